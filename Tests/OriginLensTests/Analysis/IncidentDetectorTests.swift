import Testing
@testable import OriginLens

@Suite struct IncidentDetectorTests {
    @Test func thresholdsDecideWhichMinutesCount() {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 30, perMinute: 100)
        // Minute 10: 4 521s (below --min-errors 5).
        for i in 0..<4 { b.edge(at: 600 + Double(i), status: 521) }
        // Minute 20: 6 521s among 1000 requests = 0.6 % (below --min-rate 1 %).
        b.steady(fromMin: 20, toMin: 21, perMinute: 900)
        for i in 0..<6 { b.edge(at: 1200 + Double(i), status: 521) }
        let t = b.done()
        #expect(IncidentDetector.detect(t, options: DetectionOptions()).isEmpty)
        var loose = DetectionOptions()
        loose.minErrors = 4
        loose.minRate = 0.005
        let found = IncidentDetector.detect(t, options: loose)
        #expect(found.count == 2)
        #expect(t.errors521 == 10)
        #expect(t.requests == 30 * 100 + 900 + 10)
    }

    @Test func windowStartAndEndAreTheFirstAndLast521() {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 20, perMinute: 60)
        for s in stride(from: 305.5, to: 545.0, by: 2.0) { b.edge(at: s, status: 521) }
        let w = IncidentDetector.detect(b.done(), options: DetectionOptions())
        #expect(w.count == 1)
        #expect(w[0].startUs == TrafficBuilder.t0 + 305_500_000)
        #expect(w[0].endUs == TrafficBuilder.t0 + 543_500_000)
        #expect(w[0].errors521 == 120)
        #expect(w[0].durationSeconds == 238)
        #expect(w[0].peakPerMinute == 30)
    }

    @Test func windowsCloserThanTheMergeGapMerge() {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 60, perMinute: 20)
        for m in [5, 6, 9, 10] { for i in 0..<10 { b.edge(at: Double(m * 60 + i), status: 521) } }   // gap of 3 minutes
        for m in [30, 31] { for i in 0..<10 { b.edge(at: Double(m * 60 + i), status: 521) } }        // 20 minutes later
        let t = b.done()
        let w = IncidentDetector.detect(t, options: DetectionOptions())
        #expect(w.count == 2)
        #expect(w[0].errors521 == 40)
        #expect(w[1].errors521 == 20)
        var tight = DetectionOptions()
        tight.mergeGapSeconds = 60
        #expect(IncidentDetector.detect(t, options: tight).count == 3)
    }

    @Test func sinceAndUntilLimitTheAnalysis() {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 60, perMinute: 20)
        for m in [5, 40] { for i in 0..<10 { b.edge(at: Double(m * 60 + i), status: 521) } }
        let w = IncidentDetector.detect(b.done(), options: DetectionOptions(), sinceUs: TrafficBuilder.t0 + 1_800_000_000)
        #expect(w.count == 1)
        #expect(w[0].firstMinute == TrafficBuilder.t0 / 60_000_000 + 40)
    }

    @Test func strayErrorsAreNoIncident() {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 60, perMinute: 30)
        for m in stride(from: 0, to: 60, by: 7) { b.edge(at: Double(m * 60 + 3), status: 521) }
        let t = b.done()
        #expect(IncidentDetector.detect(t, options: DetectionOptions()).isEmpty)
        #expect(t.errors521 == 9)
    }

    @Test func partialsMergeToTheSameCounts() {
        var a = TrafficBuilder(), b = TrafficBuilder(), whole = TrafficBuilder()
        a.steady(fromMin: 0, toMin: 10, perMinute: 10, colo: "FRA")
        b.steady(fromMin: 5, toMin: 15, perMinute: 10, status: 521, colo: "AMS")
        whole.steady(fromMin: 0, toMin: 10, perMinute: 10, colo: "FRA")
        whole.steady(fromMin: 5, toMin: 15, perMinute: 10, status: 521, colo: "AMS")
        var merged = a.done()
        merged.merge(b.done())
        merged.flush()
        let w = whole.done()
        #expect(merged.requests == w.requests)
        #expect(merged.errors521 == w.errors521)
        let m = TrafficBuilder.t0 / 60_000_000 + 7
        #expect(merged.minutes[m]?.e521 == 10)
        #expect(merged.minutes[m]?.colos.entries.count == 2)
        let ams = merged.minutes[m]!.colos.entries.first { merged.coloName($0.id) == "AMS" }
        #expect(ams?.a == 10)
    }
}

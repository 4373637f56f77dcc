import Testing
@testable import OriginLens

@Suite struct MinuteTableTests {
    /// A minute with every field set, breakdowns past their limits (so `other` is used) and
    /// large counts (multi-byte variable-length integers).
    static func sample(_ seed: UInt64, minute m: Int64) -> MinuteDetail {
        var rng = SplitMix(seed: seed)
        func r(_ n: UInt64) -> UInt32 { UInt32(rng.next() % n) }
        var d = MinuteDetail()
        d.total = r(UInt64(UInt32.max))
        d.e521 = r(1000); d.other52x = r(300); d.other5xx = r(70_000); d.originAnswered = r(200_000)
        d.accessTotal = r(10); d.accessFromCDN = r(1 << 20); d.accessFromLoopback = r(3); d.access5xx = r(129)
        if d.e521 > 0 {
            d.first521Us = m * 60_000_000 + Int64(r(60_000_000))
            d.last521Us = m * 60_000_000 + 59_999_999
        }
        for _ in 0..<Int(r(90)) { d.colos.add(Int32(r(2000)), a: r(3), b: r(100_000)) }
        for _ in 0..<Int(r(6)) { d.schemes.add(Int32(r(4)), a: r(3), b: r(300)) }
        for _ in 0..<Int(r(12)) { d.originIPs.add(Int32(r(20)), a: r(2), b: r(1 << 31)) }
        for _ in 0..<Int(r(30)) { d.hosts.add(Int32(r(50_000)), a: r(500), b: 0) }
        for _ in 0..<Int(r(30)) { d.paths.add(r(5) == 0 ? ByteInterner.overflow : Int32(r(50_000)), a: r(500), b: 0) }
        return d
    }

    @Test func minutesComeBackAsStored() {
        var t = MinuteTable()
        var want: [Int64: MinuteDetail] = [:]
        // Around the epoch (negative minutes), an ordinary week, and sparse far-apart minutes.
        let minutes: [Int64] = [-61, -60, -1, 0, 1, 59, 60] + (0..<200).map { 29_000_000 + Int64($0) * 7 } + [40_000_000]
        for (i, m) in minutes.enumerated() {
            let d = Self.sample(UInt64(i), minute: m)
            t.store(m, d)
            want[m] = d
        }
        // Replacing keeps one copy.
        let again = Self.sample(999, minute: 0)
        t.store(0, again)
        want[0] = again
        #expect(t.count == want.count)
        #expect(t.keys == want.keys.sorted())
        for (m, d) in want {
            #expect(t[m] == d, "minute \(m)")
            let c = t.counts(m)
            #expect(c?.total == d.total && c?.e521 == d.e521 && c?.accessFromCDN == d.accessFromCDN)
        }
        #expect(t[2] == nil && t.counts(2) == nil && t[-2] == nil)
        var seen: [Int64] = []
        for (m, d) in t { seen.append(m); #expect(d == want[m]) }
        #expect(seen == want.keys.sorted())
    }

    @Test func emptyBreakdownsTakeNoBytes() {
        var d = MinuteDetail()
        d.total = 3
        let (_, blob) = MinuteTable.encode(d, minute: 5)
        #expect(blob.isEmpty)
        #expect(MinuteTable.decode(MinuteTable.encode(d, minute: 5).0, blob, minute: 5) == d)
    }

    /// Records in any order give the same minutes as records in time order (the minute being
    /// counted is stored and read back whenever the time jumps to another minute).
    @Test func orderOfRecordsDoesNotMatter() {
        var sorted = TrafficBuilder(), shuffled = TrafficBuilder()
        var events: [(Double, Int, String)] = []
        var rng = SplitMix(seed: 7)
        for i in 0..<3000 {
            let s = Double(rng.next() % 7200) + Double(i % 10) / 10
            let status = rng.next() % 9 == 0 ? 521 : (rng.next() % 13 == 0 ? 502 : 200)
            events.append((s, status, ["FRA", "AMS", "LHR", "SIN"][Int(rng.next() % 4)]))
        }
        for e in events.sorted(by: { $0.0 < $1.0 }) { sorted.edge(at: e.0, status: e.1, colo: e.2) }
        for e in events { shuffled.edge(at: e.0, status: e.1, colo: e.2) }
        let a = sorted.done(), b = shuffled.done()
        #expect(a.minutes.keys == b.minutes.keys)
        for m in a.minutes.keys {
            let x = a.minutes[m]!, y = b.minutes[m]!
            #expect(x.total == y.total && x.e521 == y.e521 && x.other52x == y.other52x)
            #expect(x.first521Us == y.first521Us && x.last521Us == y.last521Us)
            func byName(_ c: SmallCounter, _ t: TrafficAggregate) -> [String: [UInt32]] {
                Dictionary(uniqueKeysWithValues: c.entries.map { (t.coloName($0.id), [$0.a, $0.b]) })
            }
            #expect(byName(x.colos, a) == byName(y.colos, b))
        }
    }
}

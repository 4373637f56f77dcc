import Foundation
import Testing
@testable import OriginLens

/// 2024-W03: Monday 2024-01-15 to Monday 2024-01-22 (TrafficBuilder.t0 is Monday 10:00 UTC).
let knownWeek = ISOWeek(year: 2024, week: 3)!

/// Seconds from TrafficBuilder.t0 for day `d` (0 = Monday) at `h:m:s`.
func weekSeconds(_ d: Int, _ h: Int, _ m: Int = 0, _ s: Int = 0) -> Double {
    Double(d * 86400 + h * 3600 + m * 60 + s - 36000)
}

/// A week with known numbers:
/// - 100 requests at the start of every hour, every day but Wednesday (no edge data at all) and
///   Saturday afternoon (hours 12–23 missing);
/// - Tuesday 10:20–10:29: 30 × 521 per minute (300), with an OOM kill of nginx just before;
/// - Thursday 15:00: 12 × 502; Friday 08:00: 3 × 520.
func knownWeekDataset(hostile: Bool = false) -> Dataset {
    var b = TrafficBuilder()
    for d in 0..<7 where d != 2 {
        for h in 0..<(d == 5 ? 12 : 24) { b.edge(at: weekSeconds(d, h), status: 200, count: 100) }
    }
    for m in 20..<30 {
        for i in 0..<30 {
            b.edge(at: weekSeconds(1, 10, m, i * 2), status: 521, colo: i % 3 == 0 ? "AMS" : "FRA",
                   host: hostile && i == 0 ? "<script>alert(1)</script>|x" : "www.example.com")
        }
    }
    b.edge(at: weekSeconds(3, 15, 0, 30), status: 502, count: 12)
    b.edge(at: weekSeconds(4, 8, 0, 10), status: 520, count: 3)
    let events = [
        event(.oomKill, at: weekSeconds(1, 10, 19, 55), service: "nginx", rule: "kernel-oom-killed",
              text: "Out of memory: Killed process 2207 (nginx)", line: 42),
        event(.started, at: weekSeconds(1, 10, 29, 55), service: "nginx", rule: "systemd-started",
              text: "Started nginx.service", line: 57),
    ]
    var edge = FileStats(path: "edge/logpush.json.gz", format: .cloudflareJSON)
    edge.lines = 13_520; edge.parsed = 13_515; edge.skipped = ["malformed": 4, "blank": 1]; edge.gzip = true
    var sys = FileStats(path: "origin/syslog", format: .syslog3164)
    sys.lines = 200; sys.parsed = 200
    return Dataset(traffic: b.done(), events: events, files: [edge, sys], problems: [])
}

func buildKnownWeek(history: String? = nil, hostile: Bool = false, slo: Double = 99.9) -> Weekly.Run {
    var o = WeeklyOptions(week: knownWeek)
    o.slo = slo
    return Weekly.build(data: knownWeekDataset(hostile: hostile), options: o, historyPath: history, busyTimeout: 0.2)
}

@Suite struct WeeklyReportTests {
    @Test func knownNumbersPerDay() throws {
        let r = buildKnownWeek().report
        #expect(r.week == "2024-W03")
        #expect(r.title == "Weekly reliability report 2024-W03 (2024-01-15 to 2024-01-21)")
        #expect(r.periodStart == "2024-01-15T00:00:00Z")
        #expect(r.periodEnd == "2024-01-22T00:00:00Z")
        #expect(r.days.map(\.date) == ["2024-01-15", "2024-01-16", "2024-01-17", "2024-01-18", "2024-01-19", "2024-01-20", "2024-01-21"])
        #expect(r.days.map(\.weekday) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
        #expect(r.days.map(\.requests) == [2400, 2700, 0, 2412, 2403, 1200, 2400])
        #expect(r.days.map(\.errors5xx) == [0, 300, 0, 12, 3, 0, 0])
        #expect(r.days.map(\.errors521) == [0, 300, 0, 0, 0, 0, 0])
        #expect(r.days.map(\.other52x) == [0, 0, 0, 0, 3, 0, 0])
        #expect(r.days.map(\.minutes52x) == [0, 10, 0, 0, 1, 0, 0])
        #expect(r.days.map(\.availabilityPercent) == ["100 %", "88.88 %", "no data", "99.50 %", "99.87 %", "100 %", "100 %"])
        #expect(abs(r.days[1].availability! - (1 - 300.0 / 2700)) < 1e-12)
        #expect(abs(r.days[3].availability! - (1 - 12.0 / 2412)) < 1e-12)
        #expect(r.days.map(\.coverage) == ["24/24 h", "24/24 h", "no data", "24/24 h", "24/24 h", "12/24 h", "24/24 h"])
        #expect(r.days[5].partial && !r.days[0].partial)

        let h = r.headline
        #expect(h.requests == 13_515)
        #expect(h.errors5xx == 315)
        #expect(h.errors521 == 300)
        #expect(h.other52x == 3)
        #expect(h.other5xx == 12)
        #expect(h.minutes52x == 11)
        #expect(abs(h.availability! - (1 - 315.0 / 13_515)) < 1e-12)
        #expect(h.availabilityPercent == "97.66 %")
        #expect(h.sloStatus == "missed")
        #expect(h.sloMet == false)
        #expect(h.arrow == "")
        #expect(h.comparison == "no history to compare with")
    }

    @Test func missingDayIsNoDataNotNoErrors() throws {
        let r = buildKnownWeek().report
        let wed = r.days[2]
        #expect(!wed.hasData)
        #expect(wed.availability == nil)
        #expect(wed.availabilityPercent == "no data")
        #expect(wed.coverage == "no data")
        #expect(r.dataQuality.hoursWithData == 132)
        #expect(r.dataQuality.hoursInPeriod == 168)
        #expect(r.dataQuality.gaps.map(\.text) == [
            "Wed 2024-01-17 00:00 – Thu 2024-01-18 00:00 UTC (24 h)",
            "Sat 2024-01-20 12:00 – Sun 2024-01-21 00:00 UTC (12 h)",
        ])
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("weekly.md.mustache"))
        #expect(md.contains("| Wed 2024-01-17 | no data | no data | no data | no data | no data | none |"))
        #expect(md.contains("| Sat 2024-01-20 | 1200 | 0 | 0 | 0 | 100 % | 12/24 h (partial) |"))
        #expect(md.contains("\"Wed 17 (no data)\""))
        // The availability line leaves the day without data out rather than drawing it as 0 % or 100 %.
        #expect(r.availabilityChart.contains("x-axis [\"Mon 15\", \"Tue 16\", \"Thu 18\", \"Fri 19\", \"Sat 20\", \"Sun 21\"]"))
        #expect(r.errorsChart.contains("bar [0, 300, 0, 0, 0, 0, 0]"))
    }

    @Test func aWeekWithNoEdgeDataAtAll() throws {
        let data = Dataset(traffic: TrafficAggregate(), events: [], files: [], problems: [])
        let r = Weekly.build(data: data, options: WeeklyOptions(week: knownWeek), historyPath: nil).report
        #expect(!r.headline.hasData)
        #expect(r.headline.availabilityPercent == "no data")
        #expect(r.headline.sloStatus == "no data")
        #expect(r.days.allSatisfy { !$0.hasData })
        #expect(r.budget.burnRateText == "no data")
        #expect(r.dataQuality.gaps.map(\.hours) == [168])
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("weekly.md.mustache"))
        #expect(md.contains("**No edge data for this period**"))
        #expect(!md.contains("```mermaid"))
    }

    @Test func errorBudgetWithoutHistory() throws {
        let b = buildKnownWeek().report.budget
        #expect(b.allowedErrorRate == 0.001)
        #expect(b.badRequests == 315)
        #expect(b.allowedBadRequests == 13)
        #expect(b.burnRate == 23.31)
        #expect(b.burnRateText == "23.31×")
        // Estimated 28 days: four times this week's requests.
        #expect(!b.rollingFromHistory)
        #expect(b.rollingRequests == 54_060)
        #expect(b.consumed == 5.8269)
        #expect(b.consumedPercent == "583 %")
        #expect(b.remaining == nil)
        #expect(b.exhausted)
        // A looser SLO: 97 % allows 405 failures.
        let loose = buildKnownWeek(slo: 97).report
        #expect(loose.budget.allowedBadRequests == 405)
        #expect(loose.budget.burnRate == 0.78)
        #expect(loose.headline.sloStatus == "met")
        #expect(!loose.budget.exhausted)
    }

    @Test func incidentsMTTRCausesHostsColos() throws {
        let r = buildKnownWeek().report
        #expect(r.incidentCount == 1)
        let i = try #require(r.incidents.first)
        #expect(i.id == "OL-20240116-1020")
        #expect(i.startText == "Tue 10:20")
        #expect(i.durationSeconds == 598)
        #expect(i.errors521 == 300)
        #expect(i.category == "service-down")
        #expect(i.mechanism == "oom-kill")
        #expect(i.service == "nginx")
        #expect(i.recurrence == nil)
        #expect(r.mttr.meanSeconds == 598)
        #expect(r.mttr.longestIncident == "OL-20240116-1020")
        #expect(r.mttr.meanText == "9m 58s")
        #expect(r.causes.count == 1)
        #expect(r.causes[0].mechanism == "oom-kill" && r.causes[0].count == 1 && r.causes[0].incidents == ["OL-20240116-1020"])
        #expect(r.topHosts.map(\.key) == ["www.example.com"])
        #expect(r.topHosts[0].count == 300)
        #expect(r.topColos.map(\.key) == ["FRA", "AMS"])
        #expect(r.topColos.map(\.count) == [200, 100])
        #expect(r.topColos.map(\.share) == ["67 %", "33 %"])
        #expect(r.dataQuality.filesRead == 2)
        #expect(r.dataQuality.linesRead == 13_720)
        #expect(r.dataQuality.formats.map(\.format) == ["cloudflare-json", "syslog"])
        #expect(r.dataQuality.formats[0].skippedByReason == "blank 1, malformed 4")
    }

    @Test func historyGivesTrendsRecurrenceAndRollingBudget() throws {
        let dir = TempDir()
        let path = dir.path + "/state/history.sqlite"
        // The week before (2024-W02): 10,000 requests a day, 1 failure a day, and an OOM kill.
        let h = try History(path: path)
        let prevDays = (8...14).map { HistoryDay(site: "default", day: "2024-01-\($0 < 10 ? "0" : "")\($0)", requests: 10_000, errors521: 1,
                                                 other52x: 0, other5xx: 0, minutes52x: 1, minutesWithData: 1440, hoursWithData: 24) }
        let prevIncident = HistoryIncident(site: "default", id: "OL-20240108-0300", startUs: knownWeek.startUs - 7 * 86_400_000_000 + 3 * 3_600_000_000,
                                           durationSeconds: 300, errors521: 50, requests: 60, category: "service-down",
                                           mechanism: "oom-kill", service: "nginx", confidence: 0.9)
        // Another site's rows never mix in.
        let other = HistoryDay(site: "other.example", day: "2024-01-10", requests: 5, errors521: 5, other52x: 0, other5xx: 0,
                               minutes52x: 1, minutesWithData: 1, hoursWithData: 1)
        try h.record(days: prevDays + [other], incidents: [prevIncident])

        let r = buildKnownWeek(history: path).report
        #expect(r.history.status == "recorded")
        #expect(r.history.weeksWithData == 1)
        #expect(r.hasTrends)
        #expect(r.trends.count == 8)
        #expect(r.trends.map(\.week) == ["2023-W48", "2023-W49", "2023-W50", "2023-W51", "2023-W52", "2024-W01", "2024-W02", "2024-W03"])
        #expect(r.trends[6].availabilityPercent == "99.99 %")
        #expect(r.trends[6].incidents == 1)
        #expect(r.trends[6].mttrText == "5m 00s")
        #expect(r.trends[6].daysWithData == 7)
        #expect(r.trends[5].availabilityPercent == "no data")
        #expect(r.trends[7].isCurrent && r.trends[7].incidents == 1)
        #expect(r.headline.arrow == "↓")
        #expect(r.headline.comparison == "down from 99.99 % last week")
        // Recurrence.
        #expect(r.incidents[0].recurrence == "second OOM kill in four weeks")
        #expect(r.recurrences == ["OL-20240116-1020: second OOM kill in four weeks (after OL-20240108-0300)"])
        // Rolling 28 days: this week + the 7 days from the history.
        let b = r.budget
        #expect(b.rollingFromHistory)
        #expect(b.rollingRequests == 83_515)
        #expect(b.rollingBadRequests == 322)
        #expect(b.rollingDays == 13)
        #expect(b.consumed == 3.7718)
        #expect(b.remaining == -2.8556)
        #expect(b.remainingPercent == "-286 %")
        #expect(b.exhausted)

        // Running it again changes nothing: same rows, same report.
        let again = buildKnownWeek(history: path).report
        #expect(again.trends.map(\.availabilityPercent) == r.trends.map(\.availabilityPercent))
        #expect(again.incidents[0].recurrence == "second OOM kill in four weeks")
        // The next week sees this one in its trends.
        var next = WeeklyOptions(week: knownWeek.next)
        next.slo = 99.9
        let n = Weekly.build(data: knownWeekDataset(), options: next, historyPath: path).report
        #expect(n.trends[6].week == "2024-W03")
        #expect(n.trends[6].availabilityPercent == "97.66 %")
        #expect(n.trends[6].incidents == 1)
        #expect(n.trends[6].daysWithData == 6)
        #expect(n.trends[7].availabilityPercent == "no data")
    }

    @Test func defaultTemplateRendersValidGFM() throws {
        var run = buildKnownWeek(hostile: true)
        WeeklyBuilder.link(&run.report, paths: ["OL-20240116-1020": "post mortems/OL-20240116-1020.md"])
        let md = try TemplateRenderer.render(run.report, template: TemplateRenderer.defaultTemplate("weekly.md.mustache"))
        #expect(md.hasPrefix("# Weekly reliability report 2024-W03 (2024-01-15 to 2024-01-21)\n"))
        for section in ["## Days", "## Error budget", "## Incidents", "### Causes", "### Most affected hosts",
                        "### Most affected colos", "## Trends", "## Data quality", "### Assumptions", "```mermaid", "xychart-beta"] {
            #expect(md.contains(section), "missing \(section)")
        }
        #expect(md.contains("**Availability 97.66 %**"))
        #expect(md.contains("SLO 99.9 % **missed**"))
        guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
        // Headline, days, budget, incidents, causes, hosts, colos, trends, formats.
        #expect(html.components(separatedBy: "<table>").count - 1 == 9)
        #expect(html.components(separatedBy: "<pre><code class=\"language-mermaid\">").count - 1 == 2)
        #expect(html.contains("<a href=\"post%20mortems/OL-20240116-1020.md\">OL-20240116-1020</a>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;|x"))
        // Every days-table row has its seven cells (the hostile host did not split a cell).
        let daysTable = html.components(separatedBy: "<table>")[2]
        for row in daysTable.components(separatedBy: "<tr>").dropFirst(2) {
            #expect(row.components(separatedBy: "<td").count - 1 == 7)
        }
    }

    @Test func jsonHasTheDocumentedFields() throws {
        var run = buildKnownWeek()
        WeeklyBuilder.link(&run.report, paths: ["OL-20240116-1020": "pm/OL-20240116-1020.md"])
        run.report.incidents[0].recurrence = "second OOM kill in four weeks"
        run.report.budget.remaining = 0.5
        run.report.budget.remainingPercent = "50 %"
        run.report.history.message = "x"
        run.report.headline.previousAvailability = 1
        run.report.headline.previousAvailabilityPercent = "100 %"
        let json = Analyzer.json(run.report)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(obj["schemaVersion"] as? Int == 1)
        var keys = Set<String>()
        func walk(_ v: Any) {
            if let d = v as? [String: Any] { for (k, x) in d { keys.insert(k); walk(x) } }
            if let a = v as? [Any] { for x in a { walk(x) } }
        }
        walk(obj)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/template-context.md"), encoding: .utf8)
        let weekly = try #require(doc.components(separatedBy: "## Weekly report").dropFirst().first)
        for k in keys.sorted() {
            #expect(weekly.contains("`\(k)`"), "docs/template-context.md does not document \(k)")
        }
    }

    @Test func periodFromSinceUntil() throws {
        // Tuesday 12:00 to Thursday 12:00: three partial or whole days.
        let from = knownWeek.startUs + 36 * 3_600_000_000, to = from + 2 * 86_400_000_000
        let o = WeeklyOptions(startUs: from, endUs: to)
        #expect(o.week == nil)
        #expect(WeeklyOptions(startUs: knownWeek.startUs, endUs: knownWeek.endUs).week == knownWeek)
        let r = Weekly.build(data: knownWeekDataset(), options: o, historyPath: nil).report
        #expect(r.title == "Reliability report 2024-01-16 to 2024-01-18")
        #expect(r.days.map(\.date) == ["2024-01-16", "2024-01-17", "2024-01-18"])
        #expect(r.days.map(\.hoursInPeriod) == [12, 24, 12])
        #expect(r.days.map(\.requests) == [1200, 0, 1200])
        #expect(r.incidentCount == 0)
        #expect(r.trends.last?.week == "this period")
    }

    @Test func postmortemLinksAreRelative() {
        #expect(WeeklyBuilder.relativePath("/srv/reports/pm/OL-1.md", fromDir: "/srv/reports") == "pm/OL-1.md")
        #expect(WeeklyBuilder.relativePath("/srv/pm/OL-1.md", fromDir: "/srv/reports/2026") == "../../pm/OL-1.md")
        #expect(WeeklyBuilder.relativePath("/srv/./a/../pm/x.md", fromDir: "/srv") == "pm/x.md")
        #expect(WeeklyBuilder.linkTarget("a b|c)(<>.md") == "a%20b%7Cc%29%28%3C%3E.md")
        let pm = Weekly.postmortem(for: "OL-20240116-1020", data: knownWeekDataset(), options: WeeklyOptions(week: knownWeek))
        #expect(pm.selectedIncident == "OL-20240116-1020")
        #expect(pm.incidents.map(\.id) == ["OL-20240116-1020"])
    }

    @Test func shortcutsAndTexts() {
        #expect(WeeklyBuilder.availabilityText(0.99999) == "99.99 %")
        #expect(WeeklyBuilder.availabilityText(1) == "100 %")
        #expect(WeeklyBuilder.availabilityText(0.5) == "50.00 %")
        #expect(WeeklyBuilder.availabilityText(nil) == "no data")
        #expect(WeeklyBuilder.sloText(99.9) == "99.9 %")
        #expect(WeeklyBuilder.sloText(99.95) == "99.95 %")
        #expect(WeeklyBuilder.sloText(99) == "99 %")
        #expect(WeeklyBuilder.ordinal(2) == "second")
        #expect(WeeklyBuilder.ordinal(12) == "12th")
        #expect(WeeklyBuilder.ordinal(22) == "22nd")
        #expect(WeeklyBuilder.mechanismWords("firewall-block") == "firewall block")
    }
}

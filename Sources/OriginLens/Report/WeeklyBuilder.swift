import Foundation

/// Options of `originlens weekly`.
public struct WeeklyOptions: Sendable {
    /// Detection and diagnosis settings, time zone (as for `analyze`).
    public var analyze = AnalyzeOptions()
    /// The period, UTC microseconds `[startUs, endUs)`.
    public var startUs: Int64
    public var endUs: Int64
    /// The ISO week, when the period is one.
    public var week: ISOWeek?
    /// The SLO in percent (0 < slo < 100).
    public var slo: Double = 99.9
    /// The history key of the site.
    public var site = History.defaultSite

    public init(week: ISOWeek) {
        self.week = week
        startUs = week.startUs
        endUs = week.endUs
    }

    public init(startUs: Int64, endUs: Int64) {
        self.startUs = startUs
        self.endUs = endUs
        if startUs % WeeklyBuilder.dayUs == 0, endUs - startUs == 7 * WeeklyBuilder.dayUs,
           ISOWeek(us: startUs).startUs == startUs {
            week = ISOWeek(us: startUs)
        }
    }
}

/// What the report reads from the history: the days and incidents before the period.
public struct HistorySnapshot: Sendable, Equatable {
    public var days: [HistoryDay]
    public var incidents: [HistoryIncident]
    public init(days: [HistoryDay] = [], incidents: [HistoryIncident] = []) {
        self.days = days
        self.incidents = incidents
    }
}

/// Where the history stands for one run.
public enum HistoryUse: Sendable, Equatable {
    /// `--no-history`.
    case disabled
    /// Recorded and read at `path`.
    case recorded(path: String, HistorySnapshot)
    /// Could not be used (locked, corrupt, newer…): the message says why.
    case unavailable(path: String, message: String)

    public var snapshot: HistorySnapshot? {
        if case .recorded(_, let s) = self { return s }
        return nil
    }
    /// The message to print on stderr, if any.
    public var problem: String? {
        if case .unavailable(_, let m) = self { return m }
        return nil
    }
}

extension History {
    /// The site key when `--site` is not given.
    public static let defaultSite = "default"

    /// Opens the history at `path`, records the days and incidents, and reads what lies in
    /// `[readFromUs, readToUs)`. Never throws: a history that cannot be used gives `.unavailable`
    /// with a message, and the report goes on from the logs alone.
    public static func use(path: String, site: String, days: [HistoryDay], incidents: [HistoryIncident],
                           readFromUs: Int64, readToUs: Int64, busyTimeout: TimeInterval = 5) -> HistoryUse {
        do {
            let h = try History(path: path, busyTimeout: busyTimeout)
            try h.record(days: days, incidents: incidents)
            let d = try h.days(site: site, from: WeeklyBuilder.date(readFromUs), to: WeeklyBuilder.date(readToUs))
            let i = try h.incidents(site: site, fromUs: readFromUs, toUs: readToUs)
            return .recorded(path: path, HistorySnapshot(days: d, incidents: i))
        } catch {
            return .unavailable(path: path, message: "\(error)")
        }
    }

    /// Records an `analyze` run: the days its edge data covers and its incidents.
    public static func recordAnalysis(path: String, site: String, report: PostmortemReport, data: Dataset,
                                      sinceUs: Int64?, untilUs: Int64?, busyTimeout: TimeInterval = 5) -> HistoryUse {
        // The days the edge data covers (clipped to --since/--until).
        guard let f = data.traffic.firstUs, let l = data.traffic.lastUs.map({ $0 + 1 }),
              case let first = max(f, sinceUs ?? f), case let last = min(l, untilUs ?? l), last > first else {
            return use(path: path, site: site, days: [], incidents: WeeklyBuilder.historyIncidents(report.incidents, site: site),
                       readFromUs: 0, readToUs: 0, busyTimeout: busyTimeout)
        }
        let stats = WeeklyAnalyzer.stats(data.traffic, startUs: first, endUs: last)
        let days = WeeklyBuilder.historyDays(stats, site: site, wholeDaysOnly: false)
        return use(path: path, site: site, days: days, incidents: WeeklyBuilder.historyIncidents(report.incidents, site: site),
                   readFromUs: 0, readToUs: 0, busyTimeout: busyTimeout)
    }
}

/// Builds the weekly report model from the period's roll-up, the postmortem model of the same
/// data (its incidents and causes) and the history.
public enum WeeklyBuilder {
    static let dayUs: Int64 = 86_400_000_000
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `YYYY-MM-DD` of an instant.
    static func date(_ us: Int64) -> String { String(CivilTime.rfc3339(us).prefix(10)) }

    static func weekday(_ us: Int64) -> String {
        weekdays[ISOWeek.weekday(Int(ISOWeek.floorDiv(us, dayUs))) - 1]
    }

    /// `Mon 10:23`
    static func shortTime(_ us: Int64) -> String {
        "\(weekday(us)) \(CivilTime.rfc3339(us).dropFirst(11).prefix(5))"
    }

    static func parseUs(_ s: String) -> Int64 {
        UnsafeRawBufferPointer.withBytes(of: s) { CivilTime.parseISO($0, at: 0)?.us } ?? 0
    }

    /// `99.95 %`: floored to two decimals so that 99.999 % never shows as 100 %; `no data` for nil.
    public static func availabilityText(_ a: Double?) -> String {
        guard let a else { return "no data" }
        if a >= 1 { return "100 %" }
        let v = (max(0, a) * 10000).rounded(.down) / 100
        return String(format: "%.2f %%", v)
    }

    /// `12.5 %`, `240 %`, `-35 %`.
    static func signedPercent(_ v: Double) -> String {
        let p = v * 100
        if p == 0 { return "0 %" }
        if abs(p) >= 10 { return "\(Int(p.rounded())) %" }
        return String(format: "%.1f %%", p)
    }

    /// The 7 ISO weeks before the period, oldest first.
    public static func previousWeeks(_ options: WeeklyOptions) -> [ISOWeek] {
        var w = ISOWeek(us: options.startUs)
        if w.startUs == options.startUs || options.week != nil { w = w.previous }
        var out: [ISOWeek] = []
        for _ in 0..<7 { out.append(w); w = w.previous }
        return out.reversed()
    }

    /// The part of the history the report reads: from the first trend week to the period's start.
    public static func historyRange(_ options: WeeklyOptions) -> (fromUs: Int64, toUs: Int64) {
        let from = min(previousWeeks(options).first?.startUs ?? options.startUs, options.endUs - 28 * dayUs)
        // Days are whole: the day holding the period's start belongs to the period.
        let to = ISOWeek.floorDiv(options.startUs, dayUs) * dayUs
        return (ISOWeek.floorDiv(from, dayUs) * dayUs, to)
    }

    /// Days of the roll-up to record (days with edge data only: no row means no data).
    public static func historyDays(_ stats: WeekStats, site: String, wholeDaysOnly: Bool = false) -> [HistoryDay] {
        stats.days.filter { $0.hasData && (!wholeDaysOnly || $0.endUs - $0.startUs == dayUs) }.map { d in
            HistoryDay(site: site, day: d.date, requests: d.requests, errors521: d.errors521, other52x: d.other52x,
                       other5xx: d.other5xx, minutes52x: d.minutes52x, minutesWithData: d.minutesWithData,
                       hoursWithData: d.hoursWithData)
        }
    }

    public static func historyIncidents(_ incidents: [PostmortemReport.Incident], site: String) -> [HistoryIncident] {
        incidents.map { i in
            HistoryIncident(site: site, id: i.id, startUs: parseUs(i.start), durationSeconds: i.durationSeconds,
                            errors521: i.errors521, requests: i.requests, category: i.cause.category,
                            mechanism: i.cause.mechanism, service: i.cause.service, confidence: i.cause.confidence,
                            topHost: i.hosts.first { $0.key != "(other)" }?.key,
                            topColo: i.colos.first { $0.key != "(other)" }?.key)
        }
    }

    static func ordinal(_ n: Int) -> String {
        let words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
        if n >= 1 && n <= words.count { return words[n - 1] }
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    /// `firewall block`, `OOM kill`, `incident of unknown cause`.
    static func mechanismWords(_ m: String) -> String {
        switch m {
        case "oom-kill": return "OOM kill"
        case "dns-mismatch": return "DNS mismatch"
        case "mpm-conflict": return "MPM conflict"
        case "waf-block": return "WAF block"
        case "unknown": return "incident of unknown cause"
        default: return m.replacingOccurrences(of: "-", with: " ")
        }
    }

    public static func build(stats: WeekStats, postmortem: PostmortemReport, data: Dataset,
                             history: HistoryUse, options: WeeklyOptions) -> WeeklyReport {
        let snapshot = history.snapshot
        let allowed = ((100 - options.slo) * 1e7).rounded() / 1e9
        let availability = stats.availability

        // Days.
        let days = stats.days.map { d in
            WeeklyReport.Day(
                date: d.date, weekday: weekday(d.startUs), hasData: d.hasData,
                partial: d.hasData && d.hoursWithData < d.hoursInPeriod, hoursWithData: d.hoursWithData,
                hoursInPeriod: d.hoursInPeriod, requests: d.requests, errors5xx: d.errors5xx, errors521: d.errors521,
                other52x: d.other52x, minutes52x: d.minutes52x, availability: d.availability,
                availabilityPercent: availabilityText(d.availability),
                coverage: d.hasData ? "\(d.hoursWithData)/\(d.hoursInPeriod) h" : "no data")
        }

        // Incidents and recurrence.
        let pmIncidents = postmortem.incidents
        let starts = pmIncidents.map { parseUs($0.start) }
        let past = snapshot?.incidents ?? []
        var incidents: [WeeklyReport.Incident] = []
        var recurrences: [String] = []
        for (k, i) in pmIncidents.enumerated() {
            let s = starts[k]
            let window = s - 28 * dayUs
            var prior = past.filter { $0.mechanism == i.cause.mechanism && $0.startUs >= window && $0.startUs < s && $0.id != i.id }.map(\.id)
            for j in 0..<k where pmIncidents[j].cause.mechanism == i.cause.mechanism && starts[j] >= window { prior.append(pmIncidents[j].id) }
            var recurrence: String? = nil
            if !prior.isEmpty {
                recurrence = "\(ordinal(prior.count + 1)) \(mechanismWords(i.cause.mechanism)) in four weeks"
                recurrences.append("\(i.id): \(recurrence!) (after \(prior.joined(separator: ", ")))")
            }
            incidents.append(WeeklyReport.Incident(
                id: i.id, start: i.start, end: i.end, date: i.date, startText: shortTime(s),
                durationSeconds: i.durationSeconds, durationText: i.durationText, errors521: i.errors521,
                errorRatePercent: i.errorRatePercent, category: i.cause.category, mechanism: i.cause.mechanism,
                service: i.cause.service, confidence: i.cause.confidence, confidencePercent: i.cause.confidencePercent,
                confidenceLabel: i.cause.confidenceLabel, isUnknown: i.isUnknown, summary: i.cause.summary,
                recurrence: recurrence, postmortemPath: nil, postmortemLink: nil))
        }

        // MTTR.
        let durations = pmIncidents.map(\.durationSeconds)
        let total = durations.reduce(0, +)
        let longest = pmIncidents.max { $0.durationSeconds < $1.durationSeconds }
        let mean = durations.isEmpty ? nil : Int((Double(total) / Double(durations.count)).rounded())
        let mttr = WeeklyReport.MTTR(
            meanSeconds: mean, meanText: mean.map { formatDuration(Int64($0)) } ?? "-",
            longestSeconds: longest?.durationSeconds, longestText: longest.map(\.durationText) ?? "-",
            longestIncident: longest?.id, totalSeconds: total, totalText: formatDuration(Int64(total)))

        // Causes grouped by mechanism.
        var groups: [String: WeeklyReport.CauseGroup] = [:]
        for i in pmIncidents {
            var g = groups[i.cause.mechanism] ?? WeeklyReport.CauseGroup(
                category: i.cause.category, mechanism: i.cause.mechanism, count: 0, durationSeconds: 0,
                durationText: "", errors521: 0, incidents: [])
            g.count += 1
            g.durationSeconds += i.durationSeconds
            g.errors521 += i.errors521
            g.incidents.append(i.id)
            groups[i.cause.mechanism] = g
        }
        let causes = groups.values.map { g -> WeeklyReport.CauseGroup in
            var g = g
            g.durationText = formatDuration(Int64(g.durationSeconds))
            return g
        }.sorted { ($0.count, $0.durationSeconds, $1.mechanism) > ($1.count, $1.durationSeconds, $0.mechanism) }

        // Hosts and colos.
        func counts(_ list: [BreakdownEntry], other: Int64) -> [PostmortemReport.Count] {
            let all = max(1, stats.errors521)
            var out = list.map { PostmortemReport.Count(key: $0.key, count: $0.errors521, share: PostmortemBuilder.percent(Double($0.errors521) / Double(all))) }
            if other > 0 { out.append(.init(key: "(other)", count: other, share: PostmortemBuilder.percent(Double(other) / Double(all)))) }
            return out
        }

        // Trends.
        let prevWeeks = previousWeeks(options)
        let histDays = snapshot?.days ?? []
        var trends: [WeeklyReport.TrendWeek] = []
        for w in prevWeeks {
            let from = date(w.startUs), to = date(w.endUs)
            let ds = histDays.filter { $0.day >= from && $0.day < to }
            let inc = past.filter { $0.startUs >= w.startUs && $0.startUs < w.endUs }
            let req = ds.reduce(Int64(0)) { $0 + $1.requests }, bad = ds.reduce(Int64(0)) { $0 + $1.errors5xx }
            let has = !ds.isEmpty
            let a: Double? = has && req > 0 ? 1 - Double(bad) / Double(req) : nil
            let m: Int? = inc.isEmpty ? nil : Int((Double(inc.reduce(0) { $0 + $1.durationSeconds }) / Double(inc.count)).rounded())
            trends.append(WeeklyReport.TrendWeek(
                week: w.description, start: date(w.startUs), isCurrent: false, hasData: has, availability: a,
                availabilityPercent: availabilityText(a), incidents: has || !inc.isEmpty ? inc.count : nil,
                mttrSeconds: m, mttrText: m.map { formatDuration(Int64($0)) } ?? (has ? "-" : "no data"),
                daysWithData: ds.count))
        }
        trends.append(WeeklyReport.TrendWeek(
            week: options.week?.description ?? "this period", start: date(options.startUs), isCurrent: true,
            hasData: stats.hasData, availability: availability, availabilityPercent: availabilityText(availability),
            incidents: pmIncidents.count, mttrSeconds: mean,
            mttrText: mean.map { formatDuration(Int64($0)) } ?? (stats.hasData ? "-" : "no data"),
            daysWithData: stats.days.filter(\.hasData).count))
        let weeksWithData = trends.dropLast().filter(\.hasData).count

        // Headline.
        let prev = trends.count >= 2 ? trends[trends.count - 2] : nil
        let prevAvail = prev?.availability
        var arrow = "", comparison: String
        if let p = prevAvail, let a = availability {
            let diff = a - p
            if diff > 0.00005 { arrow = "↑"; comparison = "up from \(availabilityText(p)) last week" }
            else if diff < -0.00005 { arrow = "↓"; comparison = "down from \(availabilityText(p)) last week" }
            else { arrow = "→"; comparison = "same as last week (\(availabilityText(p)))" }
        } else if snapshot == nil {
            comparison = "no history to compare with"
        } else {
            comparison = "no data for last week"
        }
        let sloMet = availability.map { $0 * 100 >= options.slo }
        let headline = WeeklyReport.Headline(
            hasData: stats.hasData, availability: availability, availabilityPercent: availabilityText(availability),
            requests: stats.requests, errors5xx: stats.errors5xx, errors521: stats.errors521, other52x: stats.other52x,
            other5xx: stats.other5xx, minutes52x: stats.minutes52x,
            sloStatus: sloMet.map { $0 ? "met" : "missed" } ?? "no data", sloMet: sloMet,
            previousAvailability: prevAvail, previousAvailabilityPercent: prevAvail.map(availabilityText),
            arrow: arrow, comparison: comparison)

        // Error budget.
        let req = stats.requests, bad = stats.errors5xx
        let periodLength = max(1, options.endUs - options.startUs)
        let windowFrom = date(options.endUs - 28 * dayUs), windowTo = date(ISOWeek.floorDiv(options.startUs, dayUs) * dayUs)
        let rollingHist = periodLength >= 28 * dayUs ? [] : histDays.filter { $0.day >= windowFrom && $0.day < windowTo }
        let fromHistory = !rollingHist.isEmpty
        let rollingReq: Int64, rollingBad: Int64
        if fromHistory {
            rollingReq = req + rollingHist.reduce(0) { $0 + $1.requests }
            rollingBad = bad + rollingHist.reduce(0) { $0 + $1.errors5xx }
        } else {
            rollingReq = periodLength >= 28 * dayUs ? req : Int64((Double(req) * Double(28 * dayUs) / Double(periodLength)).rounded())
            rollingBad = bad
        }
        let burn: Double? = req > 0 && allowed > 0 ? (Double(bad) / Double(req)) / allowed : nil
        let consumed: Double? = rollingReq > 0 && allowed > 0 ? Double(bad) / (allowed * Double(rollingReq)) : nil
        let remaining: Double? = fromHistory && rollingReq > 0 && allowed > 0 ? 1 - Double(rollingBad) / (allowed * Double(rollingReq)) : nil
        let budget = WeeklyReport.Budget(
            allowedErrorRate: allowed, badRequests: bad,
            allowedBadRequests: Int64((Double(req) * allowed).rounded(.down)),
            burnRate: burn.map { ($0 * 100).rounded() / 100 },
            burnRateText: burn.map { String(format: "%.2f×", $0) } ?? "no data",
            consumed: consumed.map { ($0 * 10000).rounded() / 10000 }, consumedPercent: consumed.map(signedPercent) ?? "no data",
            rollingFromHistory: fromHistory, rollingDays: rollingHist.count + stats.days.filter(\.hasData).count,
            rollingRequests: rollingReq, rollingBadRequests: rollingBad,
            remaining: remaining.map { ($0 * 10000).rounded() / 10000 }, remainingPercent: remaining.map(signedPercent),
            exhausted: remaining.map { $0 <= 0 } ?? ((consumed ?? 0) >= 1))

        // Data quality.
        let files = data.files
        var byFormat: [String: (files: Int, lines: Int, parsed: Int, skipped: [String: Int])] = [:]
        for f in files {
            let name = f.error != nil ? "error" : f.duplicateOf != nil ? "duplicate" : f.format.rawValue
            var e = byFormat[name] ?? (0, 0, 0, [:])
            e.files += 1; e.lines += f.lines; e.parsed += f.parsed
            for (k, v) in f.skipped { e.skipped[k, default: 0] += v }
            byFormat[name] = e
        }
        let formats = byFormat.sorted { $0.key < $1.key }.map { k, v in
            WeeklyReport.FormatLine(
                format: k, files: v.files, lines: v.lines, parsed: v.parsed, skipped: v.skipped.values.reduce(0, +),
                skippedByReason: v.skipped.isEmpty ? "-" : v.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        let gaps = stats.gaps.map { g in
            WeeklyReport.Gap(start: CivilTime.rfc3339(g.startUs), end: CivilTime.rfc3339(g.endUs), hours: g.hours,
                             text: "\(weekday(g.startUs)) \(date(g.startUs)) \(CivilTime.rfc3339(g.startUs).dropFirst(11).prefix(5)) – \(weekday(g.endUs)) \(date(g.endUs)) \(CivilTime.rfc3339(g.endUs).dropFirst(11).prefix(5)) UTC (\(g.hours) h)")
        }
        var problems = postmortem.problems
        if let m = history.problem { problems.append(m) }
        let hoursIn = stats.hoursInPeriod, hoursWith = stats.hoursWithData
        let quality = WeeklyReport.DataQuality(
            filesRead: files.filter { $0.error == nil && $0.duplicateOf == nil }.count,
            filesUnreadable: files.filter { $0.error != nil }.count,
            linesRead: files.reduce(0) { $0 + $1.lines }, linesParsed: files.reduce(0) { $0 + $1.parsed },
            linesSkipped: files.reduce(0) { $0 + $1.skippedTotal }, recordsOutsidePeriod: data.outOfRange, formats: formats,
            hoursWithData: hoursWith, hoursInPeriod: hoursIn,
            coveragePercent: hoursIn > 0 ? PostmortemBuilder.percent(Double(hoursWith) / Double(hoursIn)) : "0 %",
            hasGaps: !gaps.isEmpty, gaps: Array(gaps.prefix(30)), gapsNotShown: max(0, gaps.count - 30),
            problems: problems)

        let historyStatus: WeeklyReport.HistoryStatus
        switch history {
        case .disabled: historyStatus = .init(status: "disabled", path: nil, message: nil, weeksWithData: 0)
        case .recorded(let p, _): historyStatus = .init(status: "recorded", path: p, message: nil, weeksWithData: weeksWithData)
        case .unavailable(let p, let m): historyStatus = .init(status: "unavailable", path: p, message: m, weeksWithData: 0)
        }

        let firstDay = date(options.startUs), lastDay = date(options.endUs - 1)
        var title = options.week.map { "Weekly reliability report \($0) (\(firstDay) to \(lastDay))" }
            ?? "Reliability report \(firstDay) to \(lastDay)"
        if options.site != History.defaultSite { title += " — \(options.site)" }

        var assumptions = [
            "Period: \(CivilTime.rfc3339(options.startUs)) to \(CivilTime.rfc3339(options.endUs)) (end excluded); days are UTC days.",
            "Availability is the share of edge responses that are not 5xx (Cloudflare's 52x included), weighted by Logpush sampling. Days and hours without any edge record are shown as no data, not as no errors.",
            "A 52x minute is a minute with at least one 520–530 response at the edge.",
            "Error budget: \(PostmortemBuilder.percent(allowed)) of the requests may fail under an SLO of \(sloText(options.slo)); "
                + (fromHistory ? "the rolling 28 days take the earlier days from the history." : "without earlier days in the history, the 28-day budget assumes the other days had this period's traffic."),
        ]
        assumptions.append(contentsOf: postmortem.assumptions)
        if stats.minutesHostsCapped > 0 {
            let k = MinuteDetail().hosts.limit
            assumptions.append("In \(stats.minutesHostsCapped) minute(s) more than \(k) distinct hosts had 521s; each minute names the first \(k) it saw and counts the rest under (other), so the top hosts rank only those.")
        }

        return WeeklyReport(
            toolVersion: options.analyze.toolVersion, title: title, week: options.week?.description,
            periodStart: CivilTime.rfc3339(options.startUs), periodEnd: CivilTime.rfc3339(options.endUs),
            firstDay: firstDay, lastDay: lastDay, site: options.site, slo: options.slo, sloPercent: sloText(options.slo),
            headline: headline, days: days, budget: budget, hasIncidents: !incidents.isEmpty, incidentCount: incidents.count,
            incidents: incidents, mttr: mttr, causes: causes, recurrences: recurrences,
            topHosts: counts(stats.hosts, other: stats.hostOther), topColos: counts(stats.colos, other: stats.coloOther),
            trends: trends, hasTrends: weeksWithData > 0,
            availabilityChart: availabilityChart(stats), errorsChart: errorsChart(stats),
            dataQuality: quality, history: historyStatus, assumptions: assumptions)
    }

    /// `99.9 %`, `99.95 %`.
    static func sloText(_ slo: Double) -> String {
        var s = String(format: "%.3f", slo)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s + " %"
    }

    static func dayLabel(_ d: DayStats) -> String {
        "\(weekday(d.startUs)) \(d.date.suffix(2))"
    }

    /// Mermaid: daily availability (days with data only), the y axis from just below the worst day.
    static func availabilityChart(_ stats: WeekStats) -> String {
        let withData = stats.days.filter { $0.availability != nil }
        guard !withData.isEmpty else { return "" }
        let values = withData.map { ($0.availability! * 100_000).rounded(.down) / 1000 }
        let lo = max(0, (values.min()! - 1).rounded(.down))
        return """
        xychart-beta
            title "Availability per day (%, UTC)"
            x-axis [\(withData.map { "\"\(dayLabel($0))\"" }.joined(separator: ", "))]
            y-axis "Availability (%)" \(Int(lo)) --> 100
            line [\(values.map { String(format: "%.3f", $0) }.joined(separator: ", "))]
        """
    }

    /// Mermaid: 521 responses per day; days without data are labelled so.
    static func errorsChart(_ stats: WeekStats) -> String {
        guard !stats.days.isEmpty else { return "" }
        return """
        xychart-beta
            title "521 responses per day (UTC)"
            x-axis [\(stats.days.map { "\"\(dayLabel($0))\($0.hasData ? "" : " (no data)")\"" }.joined(separator: ", "))]
            y-axis "521s"
            bar [\(stats.days.map { String($0.errors521) }.joined(separator: ", "))]
        """
    }

    /// Sets each incident's postmortem path (relative to the report) and its Markdown link.
    public static func link(_ report: inout WeeklyReport, paths: [String: String]) {
        for k in report.incidents.indices {
            guard let p = paths[report.incidents[k].id] else { continue }
            report.incidents[k].postmortemPath = p
            report.incidents[k].postmortemLink = "[\(report.incidents[k].id)](<\(linkTarget(p))>)"
        }
    }

    /// A link destination that cannot end the link or split a table cell.
    static func linkTarget(_ p: String) -> String {
        var out = ""
        for u in p.unicodeScalars {
            switch u {
            case "<", ">", "|", "\\", "(", ")", "[", "]", " ", "`", "%": out += String(format: "%%%02X", u.value)
            default:
                if u.value < 0x20 || u.value == 0x7F { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `to` relative to the directory `fromDir` (both made absolute against the current directory).
    public static func relativePath(_ to: String, fromDir: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func parts(_ p: String) -> [String] {
            let abs = p.hasPrefix("/") ? p : cwd + "/" + p
            var out: [String] = []
            for c in abs.split(separator: "/") {
                if c == "." || c.isEmpty { continue }
                if c == ".." { if !out.isEmpty { out.removeLast() }; continue }
                out.append(String(c))
            }
            return out
        }
        let a = parts(fromDir), b = parts(to)
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        let up = Array(repeating: "..", count: a.count - i)
        let rel = (up + b[i...]).joined(separator: "/")
        return rel.isEmpty ? "." : rel
    }
}

/// `originlens weekly` as a library call.
public enum Weekly {
    /// The results of one run.
    public struct Run: Sendable {
        public var report: WeeklyReport
        public var postmortem: PostmortemReport
        public var data: Dataset
        public var history: HistoryUse
    }

    /// Reads the inputs for the period, detects and diagnoses the incidents, records the period
    /// in the history at `historyPath` (nil: no history) and builds the report.
    public static func run(paths: [String], scan: ScanOptions, options: WeeklyOptions, historyPath: String?,
                           progress: (@Sendable (FileStats) -> Void)? = nil) -> Run {
        let plan = InputPlan.make(paths: paths)
        var ingest = Ingestor.Options()
        ingest.sinceUs = options.startUs
        ingest.untilUs = options.endUs
        ingest.extraServices = Array(options.analyze.diagnosis.webServices)
        let data = Ingestor.run(plan: plan, scan: scan, options: ingest, progress: progress)
        return build(data: data, options: options, historyPath: historyPath)
    }

    /// The same from a `Dataset` already read.
    public static func build(data: Dataset, options: WeeklyOptions, historyPath: String?,
                             busyTimeout: TimeInterval = 5) -> Run {
        var a = options.analyze
        a.sinceUs = options.startUs
        a.untilUs = options.endUs
        let postmortem = PostmortemBuilder.build(data, options: a)
        let stats = WeeklyAnalyzer.stats(data.traffic, startUs: options.startUs, endUs: options.endUs)
        var history = HistoryUse.disabled
        if let path = historyPath {
            let range = WeeklyBuilder.historyRange(options)
            history = History.use(path: path, site: options.site,
                                  days: WeeklyBuilder.historyDays(stats, site: options.site),
                                  incidents: WeeklyBuilder.historyIncidents(postmortem.incidents, site: options.site),
                                  readFromUs: range.fromUs, readToUs: range.toUs, busyTimeout: busyTimeout)
        }
        let report = WeeklyBuilder.build(stats: stats, postmortem: postmortem, data: data, history: history, options: options)
        return Run(report: report, postmortem: postmortem, data: data, history: history)
    }

    /// The postmortem of one incident (the report filtered to it, as with `analyze --incident`).
    public static func postmortem(for id: String, data: Dataset, options: WeeklyOptions) -> PostmortemReport {
        var a = options.analyze
        a.sinceUs = options.startUs
        a.untilUs = options.endUs
        a.incident = id
        return PostmortemBuilder.build(data, options: a)
    }
}

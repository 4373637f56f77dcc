import Foundation

/// Options of `originlens analyze` that shape the report.
public struct AnalyzeOptions: Sendable {
    public var diagnosis = DiagnosisOptions()
    public var zone: TimeZoneSpec = .utc
    public var sinceUs: Int64? = nil
    public var untilUs: Int64? = nil
    /// `--incident ID`: report only this incident.
    public var incident: String? = nil
    public var toolVersion = OriginLensVersion.current
    /// Evidence lines shown per incident.
    public var maxEvidence = 12
    /// Timeline rows per incident.
    public var maxTimeline = 30
    /// Entries of the report's problem list; the rest are counted in its last entry (every
    /// file's own warnings stay in `inputs[].warnings`).
    public var maxProblems = 100
    /// `--redact`: mask client addresses, e-mail addresses, query strings, cookies and tokens
    /// in every text of the report (see `Redactor`). Applied by `Analyzer.run`.
    public var redact = false
    public init() {}
}

public enum OriginLensVersion {
    public static let current = "0.1.0"
}

/// Turns a `Dataset` into the postmortem report model.
public enum PostmortemBuilder {
    public static func build(_ data: Dataset, options: AnalyzeOptions) -> PostmortemReport {
        let traffic = data.traffic
        let windows = IncidentDetector.detect(traffic, options: options.diagnosis.detection,
                                              sinceUs: options.sinceUs, untilUs: options.untilUs)
        var incidents: [PostmortemReport.Incident] = []
        var in521: Int64 = 0
        var cappedNotes: [String] = []
        for w in windows {
            in521 += w.errors521
            let shape = WindowShape.describe(w, traffic: traffic)
            let hyps = Diagnoser.diagnose(w, shape: shape, events: data.events, options: options.diagnosis)
            let inc = incident(w, shape: shape, hyps: hyps, data: data, options: options)
            incidents.append(inc)
            let capped = shape.minutesCapped
            if capped > 0, options.incident == nil || options.incident == inc.id {
                let k = MinuteDetail().hosts.limit
                cappedNotes.append("\(inc.id): in \(capped) minute(s) more than \(k) distinct hosts or paths had 521s; each minute names the first \(k) it saw and counts the rest under (other), so the hosts and paths tables rank only those.")
            }
        }
        var selected: String? = nil
        if let id = options.incident {
            selected = id
            incidents = incidents.filter { $0.id == id }
        }
        let t = traffic
        let rate = t.requests > 0 ? Double(t.errors521) / Double(t.requests) : 0
        var other52x: Int64 = 0, other5xx: Int64 = 0
        for (_, d) in t.minutes { other52x += Int64(d.other52x); other5xx += Int64(d.other5xx) }
        let files = data.files
        let totals = PostmortemReport.Totals(
            requests: t.requests, errors521: t.errors521, other52x: other52x, other5xx: other5xx,
            errorRate: rate, errorRatePercent: percent(rate), edgeRecords: t.edgeRecords,
            accessRecords: t.accessRecords, originEvents: data.events.count,
            linesRead: files.reduce(0) { $0 + $1.lines }, linesParsed: files.reduce(0) { $0 + $1.parsed },
            linesSkipped: files.reduce(0) { $0 + $1.skippedTotal })
        let det = options.diagnosis.detection
        var assumptions = [
            "Times are UTC. Logs written in local time without an offset were read in \(options.zone.description)\(options.zone == .utc ? " (the default; pass --tz if the origin's clock is not UTC)" : "").",
            "An incident is a run of minutes with at least \(det.minErrors) 521 responses that are at least \(percent(det.minRate)) of the minute's requests; runs closer than \(formatDuration(Int64(det.mergeGapSeconds))) merge.",
            "Origin events from \(formatDuration(Int64(det.lookbackSeconds))) before an incident to \(formatDuration(Int64(det.afterSeconds))) after it are weighed; web-serving services: \(options.diagnosis.webServices.sorted().joined(separator: ", ")).",
            "Cloudflare address ranges: the list published on 2026-02-11.",
        ]
        if let ip = options.diagnosis.expectedOriginIP { assumptions.append("Expected origin IP: \(ip).") }
        if data.firewallNoise > 0 {
            assumptions.append("\(data.firewallNoise) firewall block(s) of non-Cloudflare addresses on non-web ports were counted as background noise, not weighed (originlens events --kind firewall-block lists them).")
        }
        assumptions += cappedNotes
        if data.traffic.edgeRecords == 0 { assumptions.append("No edge (CDN) records were read: incidents cannot be detected without them.") }
        var problems = data.problems.map(\.message)
        for (name, table) in [("hosts", t.hosts), ("paths", t.paths), ("colos", t.colos), ("origin IPs", t.ips)] where table.overflowed > 0 {
            problems.append("more than \(table.capacity) distinct \(name) in the edge logs: those past the first \(table.capacity) are counted under (other)")
        }
        if !data.droppedEvents.isEmpty {
            problems.append("origin events over the cap were counted but not kept: " + data.droppedEvents.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        for f in files where f.duplicateOf == nil {
            var warnings = f.warnings[...]
            if f.format == .unknown && f.error == nil {
                if f.lines == 0 {
                    problems.append("\(f.path): empty file, nothing to read")
                } else {
                    problems.append("\(f.path): format not recognised (\(f.lines) lines not read)\(f.sample.map { "; first line: \($0)" } ?? "")")
                }
                // The sniffer's own warning says the same.
                if let w = warnings.first, w.hasPrefix("empty file") || w.hasPrefix("unknown format") { warnings = warnings.dropFirst() }
            }
            for w in warnings { problems.append("\(f.path): \(w)") }
        }
        if problems.count > options.maxProblems {
            let more = problems.count - options.maxProblems
            problems.removeSubrange(options.maxProblems...)
            problems.append("… \(more) more problem(s) not shown (every file's warnings are in the JSON report, under inputs)")
        }
        let title = incidents.isEmpty ? "No 521 incident found"
            : incidents.count == 1 ? "521 incident \(incidents[0].id) on \(incidents[0].date)"
            : "\(incidents.count) 521 incidents, \(incidents[0].date) to \(incidents[incidents.count - 1].date)"
        return PostmortemReport(
            toolVersion: options.toolVersion, title: title, timeZone: options.zone.description,
            hasLocalTime: options.zone != .utc,
            dataStart: t.firstUs.map { CivilTime.rfc3339($0) }, dataEnd: t.lastUs.map { CivilTime.rfc3339($0) },
            thresholds: .init(minErrors: det.minErrors, minRate: det.minRate, minRatePercent: percent(det.minRate),
                              mergeGapSeconds: det.mergeGapSeconds, lookbackSeconds: det.lookbackSeconds, afterSeconds: det.afterSeconds),
            totals: totals, hasIncidents: !incidents.isEmpty, incidentCount: incidents.count, incidents: incidents,
            stray521: max(0, t.errors521 - in521),
            inputs: files.map(inputEntry), problems: problems, assumptions: assumptions, selectedIncident: selected)
    }

    static func inputEntry(_ f: FileStats) -> PostmortemReport.InputEntry {
        PostmortemReport.InputEntry(
            path: f.path, format: f.error != nil && f.lines == 0 ? "error" : f.duplicateOf != nil ? "duplicate" : f.format.rawValue,
            gzip: f.gzip, lines: f.lines, parsed: f.parsed, skipped: f.skippedTotal,
            skippedByReason: f.skipped.isEmpty ? "-" : f.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            first: f.firstUs.map { CivilTime.rfc3339($0) }, last: f.lastUs.map { CivilTime.rfc3339($0) },
            warnings: (f.error.map { [$0] } ?? []) + f.warnings)
    }

    /// `12.5 %`, `100 %`, `0.4 %`.
    public static func percent(_ v: Double) -> String {
        let p = v * 100
        if p == 0 { return "0 %" }
        if p >= 99.95 && p < 100 { return "99.9 %" }
        if p >= 10 || p == p.rounded() { return "\(Int(p.rounded())) %" }
        return String(format: "%.1f %%", p)
    }

    static func clock(_ us: Int64, offset: Int = 0) -> String {
        let s = CivilTime.format(seconds: us / 1_000_000, offsetSeconds: offset)
        let t = s.firstIndex(of: "T")!
        return String(s[s.index(after: t)...].prefix(8))
    }

    static func local(_ us: Int64, _ zone: TimeZoneSpec) -> String {
        CivilTime.format(seconds: us / 1_000_000, offsetSeconds: zone.offset(atUTC: us / 1_000_000))
    }

    static func incident(_ w: IncidentWindow, shape: WindowShape, hyps: [Hypothesis], data: Dataset,
                         options: AnalyzeOptions) -> PostmortemReport.Incident {
        let zone = options.zone
        let hasLocal = zone != .utc
        let startS = CivilTime.rfc3339(w.startUs), endS = CivilTime.rfc3339(w.endUs)
        let date = String(startS.prefix(10))
        let id = "OL-" + startS.prefix(10).replacingOccurrences(of: "-", with: "") + "-" + startS.dropFirst(11).prefix(5).replacingOccurrences(of: ":", with: "")
        let (conf, confWhy) = Diagnoser.confidence(hyps)
        let top = hyps.first
        let isUnknown = top == nil || conf < 0.25
        func causeOf(_ h: Hypothesis?, confidence: Double, why: String) -> PostmortemReport.Cause {
            guard let h, confidence >= 0.25 || h.score >= 0.25 else {
                return PostmortemReport.Cause(
                    category: "unknown", mechanism: "unknown", service: nil, confidence: 0, confidencePercent: "0 %",
                    confidenceLabel: "none",
                    summary: "The logs given do not show why the edge could not connect to the origin.",
                    reasons: hyps.isEmpty ? ["no origin event near the window points to a cause, and the window's shape at the edge does not single one out"]
                        : ["the strongest lead (\(hyps[0].mechanism.rawValue)) is too weak to name: " + hyps[0].reasons.joined(separator: "; ")],
                    confidenceReason: "no evidence")
            }
            let c = (confidence * 100).rounded() / 100
            return PostmortemReport.Cause(
                category: h.mechanism.category, mechanism: h.mechanism.rawValue, service: h.service,
                confidence: c, confidencePercent: "\(Int((c * 100).rounded())) %",
                confidenceLabel: c >= 0.75 ? "high" : c >= 0.5 ? "medium" : "low",
                summary: causeSentence(h), reasons: h.reasons, confidenceReason: why)
        }
        let cause = causeOf(isUnknown ? nil : top, confidence: conf, why: confWhy)
        var alternatives: [PostmortemReport.Cause] = []
        if let t = top {
            for h in hyps.dropFirst() where h.score >= max(0.2, 0.4 * t.score) {
                let c = (h.score * 100).rounded() / 100
                alternatives.append(PostmortemReport.Cause(
                    category: h.mechanism.category, mechanism: h.mechanism.rawValue, service: h.service,
                    confidence: c, confidencePercent: "\(Int((c * 100).rounded())) %",
                    confidenceLabel: c >= 0.75 ? "high" : c >= 0.5 ? "medium" : "low",
                    summary: causeSentence(h), reasons: h.reasons, confidenceReason: ""))
                if alternatives.count >= 3 { break }
            }
        }
        // Evidence: the chosen cause's events first, then the alternatives'.
        var evEvents: [OriginEvent] = []
        let listed = hyps.dropFirst().filter { h in alternatives.contains { $0.mechanism == h.mechanism.rawValue && $0.service == h.service } }
        var evidenceNotKept = 0
        for h in (isUnknown ? [] : [top!]) + listed {
            evidenceNotKept += h.evidenceNotKept
            for e in h.evidence where !evEvents.contains(e) { evEvents.append(e) }
            if let r = h.recoveryEvent, !evEvents.contains(r) { evEvents.append(r) }
        }
        let shown = Array(evEvents.prefix(options.maxEvidence)).sorted { $0.timeUs < $1.timeUs }
        let evidence = shown.map { e in
            PostmortemReport.Evidence(time: CivilTime.rfc3339(e.timeUs, fraction: true), source: e.source, line: e.line,
                                      location: "\(e.source):\(e.line)", kind: e.kind.rawValue, service: e.service,
                                      rule: e.rule, text: e.text, block: MarkdownText.fenced(e.text))
        }
        // Timeline: edge transitions and origin events around the window.
        var rows: [(Int64, String, String)] = []
        rows.append((w.startUs, "First 521 at the edge", w.firstID.map { "Ray ID \($0)" } ?? "edge"))
        if w.peakPerMinute > 0 {
            rows.append((w.peakMinuteUs, "Peak: \(w.peakPerMinute) 521s in the minute from \(clock(w.peakMinuteUs)) UTC", "edge"))
        }
        rows.append((w.endUs, "Last 521 at the edge", w.lastID.map { "Ray ID \($0)" } ?? "edge"))
        let lookback = Int64(options.diagnosis.detection.lookbackSeconds) * 1_000_000
        let after = Int64(options.diagnosis.detection.afterSeconds) * 1_000_000
        let relevant = data.events.filter { e in
            guard e.timeUs >= w.startUs - lookback, e.timeUs <= w.endUs + after else { return false }
            if evEvents.contains(e) { return true }
            if let s = e.service, options.diagnosis.webServices.contains(s) { return true }
            return e.cdnAddress == true || e.kind == .oomKill
        }
        let timelineNotShown = max(0, relevant.count - options.maxTimeline)
        for e in relevant.prefix(options.maxTimeline) {
            rows.append((e.timeUs, "\(e.kind.rawValue)\(e.service.map { " (\($0))" } ?? ""): \(MarkdownText.truncate(e.text, 160))", "\(e.source):\(e.line)"))
        }
        rows.sort { $0.0 < $1.0 }
        let timeline = rows.map { r in
            PostmortemReport.TimelineRow(time: CivilTime.rfc3339(r.0), clock: clock(r.0),
                                         localClock: hasLocal ? clock(r.0, offset: zone.offset(atUTC: r.0 / 1_000_000)) : nil,
                                         what: r.1, evidence: r.2)
        }
        // Recovery and detection.
        let chosen = isUnknown ? nil : top
        let firstEvent = data.events.first { e in
            e.timeUs >= w.startUs - lookback && e.timeUs <= w.endUs &&
                (chosen?.evidence.contains(e) ?? (e.service.map { options.diagnosis.webServices.contains($0) } ?? false))
        }
        let lead = firstEvent.map { Int((w.startUs - $0.timeUs) / 1_000_000) }
        let detectionText: String
        if let f = firstEvent, let l = lead {
            detectionText = l >= 0
                ? "The origin logged the first sign (\(f.kind.rawValue)) \(formatDuration(Int64(l))) before the edge's first 521."
                : "The first origin event (\(f.kind.rawValue)) came \(formatDuration(Int64(-l))) after the edge's first 521."
        } else {
            detectionText = "No origin event marks the start; the edge's first 521 is the first sign."
        }
        let recEvent = chosen?.recoveryEvent
        let recovery = PostmortemReport.Recovery(
            end: endS, timeToRecoverSeconds: w.durationSeconds, timeToRecoverText: formatDuration(Int64(w.durationSeconds)),
            event: recEvent.map { "\(chosen?.recoveryText ?? $0.kind.rawValue): \(MarkdownText.truncate($0.text, 160)) — \($0.source):\($0.line)" },
            eventTime: recEvent.map { CivilTime.rfc3339($0.timeUs) },
            firstOriginEvent: firstEvent.map { "\($0.kind.rawValue): \(MarkdownText.truncate($0.text, 160)) — \($0.source):\($0.line)" },
            firstOriginEventTime: firstEvent.map { CivilTime.rfc3339($0.timeUs) },
            detectionLeadSeconds: lead, detectionText: detectionText)
        let mech = chosen?.mechanism ?? .unknown
        let actions = ActionItems.items(for: mech, service: chosen?.service)
        func counts(_ list: [BreakdownEntry], other: Int64) -> [PostmortemReport.Count] {
            var out = list.map { PostmortemReport.Count(key: $0.key, count: $0.errors521, share: percent(w.errors521 > 0 ? Double($0.errors521) / Double(w.errors521) : 0)) }
            if other > 0 { out.append(.init(key: "(other)", count: other, share: percent(Double(other) / Double(max(1, w.errors521))))) }
            return out
        }
        let scope = PostmortemReport.Scope(
            extent: shape.extent, originFailurePercent: percent(shape.originFailureShare),
            cloudflareAlertCondition: shape.cloudflareAlertCondition, colos: shape.coloScope,
            failingColos: shape.failingColos, healthyColos: shape.healthyColos,
            colosText: shape.coloScope == "subset"
                ? "subset: failing \(shape.failingColos.joined(separator: ", ")); still reaching the origin: \(shape.healthyColos.joined(separator: ", "))"
                : shape.colos.isEmpty ? "not in the logs" : "all (\(shape.colos.count) colo\(shape.colos.count == 1 ? "" : "s") failing)",
            schemes: shape.schemeScope,
            originIPs: shape.originIPs.map(\.key), newOriginIPs: shape.newOriginIPs,
            originIPsText: shape.originIPs.isEmpty ? "not in the logs"
                : shape.originIPs.map { shape.newOriginIPs.contains($0.key) ? "\($0.key) (new)" : $0.key }.joined(separator: ", "),
            accessLogDuringWindow: shape.accessTotal, accessLogFromCDN: shape.accessFromCDN)
        let hostsText = shape.hosts.prefix(3).map(\.key).joined(separator: ", ")
        var summary = "From \(clock(w.startUs)) to \(clock(w.endUs)) UTC on \(date) (\(formatDuration(Int64(w.durationSeconds)))), "
        summary += "Cloudflare answered 521 to \(w.errors521) of \(w.requests) requests (\(percent(w.errorRate)))"
        summary += hostsText.isEmpty ? "" : " for \(hostsText)"
        summary += ": it could not open a connection to the origin"
        summary += shape.extent == "full" ? ", for every request that needed the origin" : ", for part of the requests that needed the origin"
        if shape.coloScope == "subset" { summary += " and only in some colos" }
        if shape.httpsOnly { summary += " and only over HTTPS" }
        summary += ". "
        summary += isUnknown ? "The logs do not show why." : "Most likely cause (confidence \(cause.confidencePercent)): \(cause.summary)"
        return PostmortemReport.Incident(
            id: id, start: startS, end: endS,
            startLocal: hasLocal ? local(w.startUs, zone) : nil, endLocal: hasLocal ? local(w.endUs, zone) : nil,
            date: date, durationSeconds: w.durationSeconds, durationText: formatDuration(Int64(w.durationSeconds)),
            requests: w.requests, errors521: w.errors521, other52x: w.other52x, errorRate: (w.errorRate * 10000).rounded() / 10000,
            errorRatePercent: percent(w.errorRate), peakPerMinute: w.peakPerMinute, peakMinute: CivilTime.rfc3339(w.peakMinuteUs),
            scope: scope, hosts: counts(shape.hosts, other: shape.hostOther), colos: counts(shape.colos, other: shape.coloOther),
            paths: counts(shape.paths, other: shape.pathOther),
            cause: cause, alternatives: alternatives, hasAlternatives: !alternatives.isEmpty,
            evidence: evidence, evidenceNotShown: max(0, evEvents.count - shown.count) + evidenceNotKept, timeline: timeline,
            timelineNotShown: timelineNotShown,
            recovery: recovery, actionItems: actions, checks: isUnknown ? ActionItems.checks(service: nil) : [],
            isUnknown: isUnknown, chart: chart(w, traffic: data.traffic), summary: summary)
    }


    /// One sentence naming the cause.
    static func causeSentence(_ h: Hypothesis) -> String {
        let s = h.service ?? "the web server"
        switch h.mechanism {
        case .oomKill: return "The kernel's OOM killer killed \(s), so nothing accepted connections."
        case .crash: return "A crash took \(s) down, so nothing accepted connections."
        case .configError: return "A configuration error kept \(s) from starting or reloading."
        case .restartFailed: return "A start of \(s) failed and it stayed down."
        case .stopped: return "Something stopped \(s) and nothing started it again."
        case .mpmConflict: return "Apache could not start because more than one MPM was loaded."
        case .resourceExhaustion: return "Out of workers or connections, \(s) refused new ones."
        case .firewallBlock: return "The origin's firewall blocked Cloudflare's addresses."
        case .securityGroup: return "The cloud security group rejected Cloudflare's addresses."
        case .wafBlock: return "The WAF blocked requests from Cloudflare."
        case .listenAddress: return "The web server (\(s)) kept running but did not listen where Cloudflare connects (e.g. bound to 127.0.0.1)."
        case .portClosed: return "Nothing listened on port 443, so HTTPS connections were refused."
        case .bindError: return "A bind error (address in use or not available) kept \(s) from listening."
        case .dnsMismatch: return "The edge connected to another origin IP than the one that serves the site."
        case .unknown: return "unknown."
        }
    }

    /// The body of a Mermaid `xychart-beta` block: 521s per minute from 10 minutes before the
    /// window to 10 minutes after (buckets grow so that at most 90 bars are drawn).
    static func chart(_ w: IncidentWindow, traffic: TrafficAggregate) -> String {
        let from = w.firstMinute - 10, to = w.lastMinute + 10
        let n = Int(to - from + 1)
        let bucket = max(1, (n + 89) / 90)
        var labels: [String] = [], values: [Int64] = []
        var m = from
        while m <= to {
            var v: Int64 = 0
            for k in m..<min(to + 1, m + Int64(bucket)) { v += Int64(traffic.minutes[k]?.e521 ?? 0) }
            labels.append("\"\(clock(m * 60_000_000).prefix(5))\"")
            values.append(v)
            m += Int64(bucket)
        }
        let unit = bucket == 1 ? "minute" : "\(bucket) minutes"
        return """
        xychart-beta
            title "521 responses per \(unit) (UTC)"
            x-axis [\(labels.joined(separator: ", "))]
            y-axis "521s"
            bar [\(values.map(String.init).joined(separator: ", "))]
        """
    }
}

/// A key of a breakdown with its counts in a window.
public struct BreakdownEntry: Codable, Sendable, Equatable {
    public var key: String
    /// 521s.
    public var errors521: Int64
    /// Requests the origin answered (colos, schemes) or all requests naming it (origin IPs).
    public var other: Int64
}

/// How a window's failure looked at the edge.
public struct WindowShape: Sendable, Equatable {
    /// 521 share of the origin-bound requests (521 + origin-answered), 0…1.
    public var originFailureShare: Double
    /// `full` (≥ 95 % of origin-bound requests failed) or `partial`.
    public var extent: String
    /// True when some 5-minute span was all 521 and over 10 % of the traffic (Cloudflare's
    /// own 521 alert condition).
    public var cloudflareAlertCondition: Bool
    public var colos: [BreakdownEntry]
    public var coloOther: Int64
    /// Colos with mostly 521s, and colos whose origin requests mostly succeeded.
    public var failingColos: [String]
    public var healthyColos: [String]
    public var schemes: [BreakdownEntry]
    /// True when https failed while http requests were answered.
    public var httpsOnly: Bool
    public var originIPs: [BreakdownEntry]
    /// Origin IPs in the hour before the window.
    public var originIPsBefore: [String]
    /// Origin IPs tried during the window that were not seen in the hour before.
    public var newOriginIPs: [String]
    public var hosts: [BreakdownEntry]
    public var hostOther: Int64
    public var paths: [BreakdownEntry]
    public var pathOther: Int64
    /// Minutes of the window in which more distinct hosts (paths) had 521s than a minute keeps
    /// (`MinuteDetail.hosts.limit`): the rest of that minute's hosts are in `hostOther`.
    public var minutesHostsCapped: Int = 0
    public var minutesPathsCapped: Int = 0
    /// Minutes in which either was over.
    public var minutesCapped: Int = 0
    /// The origin's access log during the window: lines, lines from CDN addresses, loopback.
    public var accessTotal: Int64
    public var accessFromCDN: Int64
    public var accessFromLoopback: Int64
    /// The access log had lines in the hour before the window (so its silence means something).
    public var accessSeenBefore: Bool

    /// Colos: `all` or `subset`.
    public var coloScope: String { healthyColos.isEmpty ? "all" : "subset" }
    /// Schemes: `all` or `https-only`.
    public var schemeScope: String { httpsOnly ? "https-only" : "all" }

    public static func describe(_ w: IncidentWindow, traffic: TrafficAggregate, topN: Int = 10) -> WindowShape {
        var colos: [Int32: (Int64, Int64)] = [:], schemes: [Int32: (Int64, Int64)] = [:]
        var ips: [Int32: (Int64, Int64)] = [:], hosts: [Int32: Int64] = [:], paths: [Int32: Int64] = [:]
        var coloOther: Int64 = 0, hostOther: Int64 = 0, pathOther: Int64 = 0
        var minutesHostsCapped = 0, minutesPathsCapped = 0, minutesCapped = 0
        var accessTotal: Int64 = 0, accessCDN: Int64 = 0, accessLoop: Int64 = 0
        // The first and last minutes are partly before and after the failure: when the window
        // is long enough, its health (origin answers per colo and scheme) is read from the
        // minutes inside it.
        let core: ClosedRange<Int64> = w.lastMinute - w.firstMinute >= 2 ? (w.firstMinute + 1)...(w.lastMinute - 1) : w.firstMinute...w.lastMinute
        var coreAnswered: Int64 = 0, core521: Int64 = 0
        for m in core { if let d = traffic.minutes[m] { coreAnswered += Int64(d.originAnswered); core521 += Int64(d.e521) } }
        for m in w.firstMinute...w.lastMinute {
            guard let d = traffic.minutes[m] else { continue }
            let inCore = core.contains(m)
            for e in d.colos.entries { colos[e.id, default: (0, 0)].0 += Int64(e.a); colos[e.id, default: (0, 0)].1 += inCore ? Int64(e.b) : 0 }
            coloOther += Int64(d.colos.otherA)
            for e in d.schemes.entries { schemes[e.id, default: (0, 0)].0 += Int64(e.a); schemes[e.id, default: (0, 0)].1 += inCore ? Int64(e.b) : 0 }
            for e in d.originIPs.entries { ips[e.id, default: (0, 0)].0 += Int64(e.a); ips[e.id, default: (0, 0)].1 += Int64(e.b) }
            for e in d.hosts.entries { hosts[e.id, default: 0] += Int64(e.a) }
            hostOther += Int64(d.hosts.otherA)
            if d.hosts.otherA > 0, d.hosts.entries.count >= d.hosts.limit { minutesHostsCapped += 1 }
            for e in d.paths.entries { paths[e.id, default: 0] += Int64(e.a) }
            pathOther += Int64(d.paths.otherA)
            let hostsOver = d.hosts.otherA > 0 && d.hosts.entries.count >= d.hosts.limit
            let pathsOver = d.paths.otherA > 0 && d.paths.entries.count >= d.paths.limit
            if pathsOver { minutesPathsCapped += 1 }
            if hostsOver || pathsOver { minutesCapped += 1 }
            if inCore {
                accessTotal += Int64(d.accessTotal); accessCDN += Int64(d.accessFromCDN); accessLoop += Int64(d.accessFromLoopback)
            }
        }
        // Before the window: origin IPs and access-log activity in the preceding hour.
        var ipsBefore = Set<String>()
        var accessBefore = false
        for m in (w.firstMinute - 60)..<w.firstMinute {
            guard let d = traffic.minutes[m] else { continue }
            for e in d.originIPs.entries where e.b > 0 { ipsBefore.insert(traffic.ipName(e.id)) }
            if d.accessTotal > 0 { accessBefore = true }
        }
        func entries(_ t: [Int32: (Int64, Int64)], _ name: (Int32) -> String) -> [BreakdownEntry] {
            t.map { BreakdownEntry(key: name($0.key), errors521: $0.value.0, other: $0.value.1) }
                .sorted { ($0.errors521, $0.other, $1.key) > ($1.errors521, $1.other, $0.key) }
        }
        let coloList = entries(colos, traffic.coloName)
        let failing = coloList.filter { Double($0.errors521) >= 0.5 * Double($0.errors521 + $0.other) && $0.errors521 > 0 }.map(\.key)
        let healthy = coloList.filter { $0.other > 0 && Double($0.errors521) < 0.1 * Double($0.errors521 + $0.other) }.map(\.key)
        let schemeList = entries(schemes, traffic.schemeName)
        let https = schemeList.first { $0.key.lowercased() == "https" }
        let http = schemeList.first { $0.key.lowercased() == "http" }
        let httpsOnly = (https.map { $0.errors521 > 0 && Double($0.errors521) >= 0.5 * Double($0.errors521 + $0.other) } ?? false)
            && (http.map { $0.other > 0 && Double($0.errors521) < 0.1 * Double($0.errors521 + $0.other) } ?? false)
        let ipList = entries(ips, traffic.ipName)
        let newIPs = ipsBefore.isEmpty ? [] : ipList.map(\.key).filter { !ipsBefore.contains($0) }
        let originBound = core521 + coreAnswered
        let share = originBound > 0 ? Double(core521) / Double(originBound) : 0
        // Cloudflare's alert: a 5-minute span all 521 (no origin answers) and > 10 % of traffic.
        var alert = false
        var m = w.firstMinute
        while m <= w.lastMinute {
            var e: Int64 = 0, ok: Int64 = 0, tot: Int64 = 0
            for k in m..<(m + 5) {
                if let d = traffic.minutes[k] { e += Int64(d.e521); ok += Int64(d.originAnswered); tot += Int64(d.total) }
            }
            if e > 0, ok == 0, Double(e) > 0.1 * Double(tot) { alert = true; break }
            m += 1
        }
        func top(_ t: [Int32: Int64], _ name: (Int32) -> String) -> [BreakdownEntry] {
            Array(t.map { BreakdownEntry(key: name($0.key), errors521: $0.value, other: 0) }
                .sorted { ($0.errors521, $1.key) > ($1.errors521, $0.key) }.prefix(topN))
        }
        let hostList = top(hosts, traffic.hostName), pathList = top(paths, traffic.pathName)
        hostOther += hosts.values.reduce(0, +) - hostList.reduce(0) { $0 + $1.errors521 }
        pathOther += paths.values.reduce(0, +) - pathList.reduce(0) { $0 + $1.errors521 }
        var shape = WindowShape(
            originFailureShare: share, extent: share >= 0.95 ? "full" : "partial",
            cloudflareAlertCondition: alert,
            colos: Array(coloList.prefix(topN)), coloOther: coloOther + coloList.dropFirst(topN).reduce(0) { $0 + $1.errors521 },
            failingColos: failing, healthyColos: healthy,
            schemes: schemeList, httpsOnly: httpsOnly,
            originIPs: ipList, originIPsBefore: ipsBefore.sorted(), newOriginIPs: newIPs,
            hosts: hostList, hostOther: hostOther, paths: pathList, pathOther: pathOther,
            accessTotal: accessTotal, accessFromCDN: accessCDN, accessFromLoopback: accessLoop,
            accessSeenBefore: accessBefore)
        shape.minutesHostsCapped = minutesHostsCapped
        shape.minutesPathsCapped = minutesPathsCapped
        shape.minutesCapped = minutesCapped
        return shape
    }
}

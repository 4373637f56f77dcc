/// The fixed vocabulary of causes (JSON `cause.category` / `cause.mechanism`).
public enum CauseMechanism: String, Codable, Sendable, CaseIterable {
    case oomKill = "oom-kill"
    case crash
    case configError = "config-error"
    case restartFailed = "restart-failed"
    case stopped
    case mpmConflict = "mpm-conflict"
    case resourceExhaustion = "resource-exhaustion"
    case firewallBlock = "firewall-block"
    case securityGroup = "security-group"
    case wafBlock = "waf-block"
    case listenAddress = "listen-address"
    case portClosed = "port-closed"
    case bindError = "bind-error"
    case dnsMismatch = "dns-mismatch"
    case unknown

    public var category: String {
        switch self {
        case .oomKill, .crash, .configError, .restartFailed, .stopped, .mpmConflict, .resourceExhaustion: return "service-down"
        case .firewallBlock, .securityGroup, .wafBlock: return "firewall"
        case .listenAddress, .portClosed, .bindError, .dnsMismatch: return "listener"
        case .unknown: return "unknown"
        }
    }
}

/// One scored explanation of a window.
public struct Hypothesis: Sendable, Equatable {
    public var mechanism: CauseMechanism
    public var service: String?
    /// 0…1.
    public var score: Double
    /// Why, in words.
    public var reasons: [String]
    /// The events that support it.
    public var evidence: [OriginEvent]
    /// The event that ended it (service started again, block lifted), when seen.
    public var recoveryEvent: OriginEvent?
    /// How it ended, in words, when the logs show it.
    public var recoveryText: String? = nil
    /// Supporting events past the cap on `evidence` (counted, not kept).
    public var evidenceNotKept: Int = 0
}

/// Settings of the diagnosis.
public struct DiagnosisOptions: Sendable {
    /// Services that serve the site (events of others count little). Always includes nginx,
    /// apache and php-fpm; `--service` adds more.
    public var webServices: Set<String> = ["nginx", "apache", "php-fpm"]
    /// `--origin-ip`: the address the CDN should connect to.
    public var expectedOriginIP: String? = nil
    public var detection = DetectionOptions()
    public init() {}
}

/// Scores candidate causes for one window from the origin events around it and the window's
/// shape at the edge.
public enum Diagnoser {
    /// Most supporting events kept per hypothesis; the rest are counted (`evidenceNotKept`).
    public static let maxEvidence = 50

    public static func diagnose(_ w: IncidentWindow, shape: WindowShape, events: [OriginEvent],
                                options: DiagnosisOptions) -> [Hypothesis] {
        let lookback = Int64(options.detection.lookbackSeconds) * 1_000_000
        let after = Int64(options.detection.afterSeconds) * 1_000_000
        let from = w.startUs - lookback, to = w.endUs + after
        let near = events.filter { $0.timeUs >= from && $0.timeUs <= to }
        var hyps: [String: Hypothesis] = [:]

        func isWeb(_ e: OriginEvent) -> Bool {
            guard let s = e.service else { return false }
            return options.webServices.contains(s) || options.webServices.contains(e.unit ?? "")
        }
        /// How much an event's time says about the start: right before the start counts most.
        func timeWeight(_ t: Int64) -> Double {
            let dt = t - w.startUs
            if dt < -lookback { return 0 }
            if dt < 0 { return 1.0 - 0.5 * Double(-dt) / Double(max(1, lookback)) }
            if dt <= 60_000_000 { return 0.9 }
            if t <= w.endUs { return 0.45 }
            return 0
        }
        func add(_ m: CauseMechanism, _ service: String?, strength: Double, event: OriginEvent?, reason: String) {
            let key = m.rawValue + "|" + (service ?? "")
            var h = hyps[key] ?? Hypothesis(mechanism: m, service: service, score: 0, reasons: [], evidence: [], recoveryEvent: nil)
            h.score = 1 - (1 - h.score) * (1 - min(0.99, max(0, strength)))
            if !h.reasons.contains(reason), h.reasons.count < 6 { h.reasons.append(reason) }
            if let e = event, !h.evidence.contains(e) {
                if h.evidence.count < Diagnoser.maxEvidence { h.evidence.append(e) } else { h.evidenceNotKept += 1 }
            }
            hyps[key] = h
        }
        func when(_ e: OriginEvent) -> String {
            let dt = (e.timeUs - w.startUs) / 1_000_000
            if dt < 0 { return "\(formatDuration(-dt)) before the first 521" }
            if dt == 0 { return "at the first 521" }
            return "\(formatDuration(dt)) after the first 521"
        }
        func svc(_ e: OriginEvent) -> String { e.service ?? e.unit ?? "a process" }

        // Services started again before the window (a stop followed by a start is no outage).
        func startedAgain(_ service: String?, after t: Int64, before limit: Int64) -> Bool {
            near.contains { $0.kind == .started && $0.service == service && $0.timeUs > t && $0.timeUs < limit }
        }

        for e in near {
            let tw = timeWeight(e.timeUs)
            if tw == 0 { continue }
            let web = isWeb(e)
            let webFactor = web ? (e.service == "php-fpm" ? 0.6 : 1.0) : 0.15
            switch e.kind {
            case .oomKill:
                add(.oomKill, e.service, strength: 0.9 * tw * webFactor, event: e,
                    reason: "\(svc(e)) was killed by the OOM killer \(when(e))")
            case .crash:
                // A process killed right after an OOM kill of the same service is the OOM
                // kill's doing, not a separate crash.
                if near.contains(where: { $0.kind == .oomKill && $0.service == e.service && abs($0.timeUs - e.timeUs) <= 60_000_000 }) {
                    add(.oomKill, e.service, strength: 0.3 * tw * webFactor, event: e,
                        reason: "\(svc(e))'s process exited as a result of the OOM kill")
                    continue
                }
                let worker = e.rule.contains("worker") || e.rule.contains("child")
                add(.crash, e.service, strength: (worker ? 0.4 : 0.8) * tw * webFactor, event: e,
                    reason: worker ? "a \(svc(e)) worker process died \(when(e))" : "\(svc(e)) crashed \(when(e))")
            case .configError:
                if e.rule.contains("mpm-conflict") {
                    add(.mpmConflict, e.service ?? "apache", strength: 0.9 * tw, event: e,
                        reason: "Apache refused to start: more than one MPM loaded (\(when(e)))")
                } else {
                    add(.configError, e.service, strength: 0.75 * tw * (web ? 1 : 0.3), event: e,
                        reason: "\(svc(e)) reported a configuration error \(when(e))")
                }
            case .restartFailed:
                add(.restartFailed, e.service, strength: 0.7 * tw * webFactor, event: e,
                    reason: "\(svc(e)) failed to start \(when(e))")
                // A failed start right after a config error is the config error's doing.
                let key = CauseMechanism.configError.rawValue + "|" + (e.service ?? "")
                if hyps[key] != nil { add(.configError, e.service, strength: 0.6 * tw, event: e, reason: "the start that followed failed") }
                let mkey = CauseMechanism.mpmConflict.rawValue + "|" + (e.service ?? "apache")
                if hyps[mkey] != nil { add(.mpmConflict, e.service ?? "apache", strength: 0.5 * tw, event: e, reason: "the start that followed failed") }
            case .stopped:
                if e.timeUs <= w.startUs + 60_000_000, !startedAgain(e.service, after: e.timeUs, before: w.startUs) {
                    add(.stopped, e.service, strength: 0.7 * tw * webFactor, event: e,
                        reason: "\(svc(e)) stopped \(when(e)) and was not started again before the 521s began")
                }
            case .resourceExhaustion:
                add(.resourceExhaustion, e.service, strength: 0.35 * tw * webFactor, event: e,
                    reason: "\(svc(e)) ran out of workers or connections \(when(e))")
            case .bindError:
                add(.bindError, e.service, strength: 0.8 * tw * webFactor, event: e,
                    reason: "\(svc(e)) could not bind its listening address \(when(e))")
            case .firewallBlock:
                if e.cdnAddress == true {
                    add(.firewallBlock, e.service, strength: 0.8 * tw, event: e,
                        reason: "the origin firewall blocked Cloudflare addresses")
                } else if let p = e.port, p == 80 || p == 443 {
                    add(.firewallBlock, e.service, strength: 0.1 * tw, event: e,
                        reason: "the firewall blocked web traffic from a non-CDN address \(when(e))")
                }
            case .securityGroupReject:
                if e.cdnAddress == true {
                    add(.securityGroup, nil, strength: 0.8 * tw, event: e,
                        reason: "the cloud security group rejected Cloudflare address \(e.address ?? "?") \(when(e))")
                }
            case .wafBlock:
                add(.wafBlock, e.service, strength: 0.1 * tw, event: e, reason: "ModSecurity denied requests \(when(e)) (a WAF usually answers 403, not 521)")
            case .reload:
                if web, e.timeUs <= w.startUs + 60_000_000 {
                    add(.listenAddress, e.service, strength: 0.35 * tw, event: e,
                        reason: "\(svc(e)) was reloaded \(when(e)) and kept running")
                    if shape.httpsOnly {
                        add(.portClosed, e.service, strength: 0.4 * tw, event: e, reason: "\(svc(e)) was reloaded \(when(e))")
                    }
                }
            case .started, .restartScheduled, .upstreamRefused, .firewallUnblock:
                break
            }
        }

        // The shape of the window at the edge.
        if shape.coloScope == "subset" {
            add(.firewallBlock, nil, strength: 0.35, event: nil,
                reason: "only some colos failed (\(shape.failingColos.prefix(6).joined(separator: ", "))) while others reached the origin (\(shape.healthyColos.prefix(6).joined(separator: ", "))): typical of a firewall that blocks part of Cloudflare's ranges")
        }
        if shape.httpsOnly {
            add(.portClosed, nil, strength: 0.7, event: nil,
                reason: "only HTTPS requests failed while HTTP reached the origin: nothing answered on port 443")
        }
        if !shape.newOriginIPs.isEmpty {
            add(.dnsMismatch, nil, strength: 0.6, event: nil,
                reason: "the edge connected to origin IP \(shape.newOriginIPs.joined(separator: ", ")), not seen in the hour before (\(shape.originIPsBefore.joined(separator: ", ")))")
        }
        if let expected = options.expectedOriginIP {
            let other = shape.originIPs.filter { $0.key != expected && $0.errors521 > 0 }.map(\.key)
            if !other.isEmpty {
                add(.dnsMismatch, nil, strength: 0.7, event: nil,
                    reason: "the edge connected to \(other.joined(separator: ", ")) instead of the expected origin \(expected)")
            }
        }
        if shape.accessFromLoopback > 0 && shape.accessFromCDN == 0 && shape.accessSeenBefore {
            add(.listenAddress, nil, strength: 0.45, event: nil,
                reason: "the origin's access log kept logging local requests (127.0.0.1/::1) but none from Cloudflare during the window: the server was up but not reachable from outside")
        }

        // Firewall blocks: one sentence for all the blocked edge addresses.
        for (k, var h) in hyps.sorted(by: { $0.key < $1.key }) where h.mechanism == .firewallBlock || h.mechanism == .securityGroup {
            let blocked = h.evidence.filter { $0.cdnAddress == true }
            guard let first = blocked.min(by: { $0.timeUs < $1.timeUs }) else { continue }
            var addrs: [String] = []
            for e in blocked { if let a = e.address, !addrs.contains(a) { addrs.append(a) } }
            let ports = Set(blocked.compactMap(\.port)).sorted().map(String.init)
            let list = addrs.prefix(5).joined(separator: ", ") + (addrs.count > 5 ? ", …" : "")
            let what = h.mechanism == .securityGroup ? "the security group rejected" : "the origin firewall\(h.service.map { " (\($0))" } ?? "") blocked"
            let sentence = "\(what) \(addrs.count) Cloudflare address\(addrs.count == 1 ? "" : "es") (\(list))\(ports.isEmpty ? "" : " on port " + ports.joined(separator: "/")), the first \(when(first))"
            h.reasons = h.reasons.map { $0 == "the origin firewall blocked Cloudflare addresses" ? sentence : $0 }
            hyps[k] = h
        }

        // The same mechanism seen from the edge (no service) and in the origin's logs (with a
        // service) is one hypothesis.
        for (k, h) in hyps.sorted(by: { $0.key < $1.key }) where h.service == nil {
            guard let found = hyps.sorted(by: { $0.key < $1.key }).first(where: { $0.value.mechanism == h.mechanism && $0.value.service != nil }) else { continue }
            let tk = found.key
            var t = found.value
            t.score = 1 - (1 - t.score) * (1 - h.score)
            t.reasons.append(contentsOf: h.reasons.filter { !t.reasons.contains($0) })
            hyps[tk] = t
            hyps.removeValue(forKey: k)
        }

        // Consequences are not causes: the stop and the failed starts that follow a config
        // error, the process exit that follows an OOM kill, belong to that root cause.
        let absorbs: [(CauseMechanism, [CauseMechanism])] = [
            (.mpmConflict, [.restartFailed, .stopped, .configError]),
            (.configError, [.restartFailed, .stopped]),
            (.bindError, [.restartFailed, .stopped]),
            (.oomKill, [.crash, .stopped]),
            (.crash, [.stopped]),
        ]
        for (root, followers) in absorbs {
            for rk in hyps.keys.sorted() where hyps[rk]?.mechanism == root {
                guard var r = hyps[rk] else { continue }
                for (fk, f) in hyps.sorted(by: { $0.key < $1.key }) where followers.contains(f.mechanism) && (f.service == r.service || f.service == nil) && fk != rk {
                    r.score = 1 - (1 - r.score) * (1 - 0.5 * f.score)
                    for e in f.evidence where !r.evidence.contains(e) && r.evidence.count < 50 { r.evidence.append(e) }
                    if let first = f.reasons.first, r.reasons.count < 8 { r.reasons.append("consequence: " + first) }
                    hyps.removeValue(forKey: fk)
                }
                hyps[rk] = r
            }
        }

        // Modifiers from the shape.
        for (k, var h) in hyps.sorted(by: { $0.key < $1.key }) {
            let cat = h.mechanism.category
            if shape.coloScope == "subset" {
                if cat == "service-down" { h.score *= 0.5; h.reasons.append("but a dead service would fail every colo, and some colos still reached the origin") }
                if cat == "listener", h.mechanism != .dnsMismatch { h.score *= 0.6 }
                if cat == "firewall", h.evidence.contains(where: { $0.cdnAddress == true }) { h.score = 1 - (1 - h.score) * 0.7 }
            }
            if shape.httpsOnly, cat == "service-down" {
                h.score *= 0.4; h.reasons.append("but HTTP requests were still answered, so the service was up")
            }
            if shape.accessFromCDN > 0, cat == "firewall", shape.coloScope == "all" {
                h.score *= 0.3; h.reasons.append("but the origin's access log shows Cloudflare requests arriving during the window")
            }
            if shape.accessFromCDN > 0, cat == "service-down", shape.extent == "full" {
                h.score *= 0.6
            }
            hyps[k] = h
        }

        // Recovery: a start or an unblock near the end strengthens its hypothesis.
        for (k, var h) in hyps.sorted(by: { $0.key < $1.key }) {
            let lo = w.endUs - 120_000_000, hi = w.endUs + after
            let rec = near.first { e in
                guard e.timeUs >= lo, e.timeUs <= hi else { return false }
                switch h.mechanism.category {
                case "service-down": return e.kind == .started && (h.service == nil || e.service == h.service)
                case "firewall": return e.kind == .firewallUnblock
                case "listener": return (e.kind == .reload || e.kind == .started) && (h.service == nil || e.service == h.service || isWeb(e))
                default: return false
                }
            }
            if rec == nil, h.mechanism.category == "firewall" {
                // A temporary block ("for 1800 secs") that expires near the end explains the recovery.
                let expiries = h.evidence.compactMap { e -> (OriginEvent, Int64)? in
                    guard let secs = Diagnoser.temporaryBlockSeconds(e.text) else { return nil }
                    return (e, e.timeUs + secs * 1_000_000)
                }
                if let last = expiries.max(by: { $0.1 < $1.1 }), abs(last.1 - w.endUs) <= 300_000_000 {
                    h.recoveryEvent = last.0
                    h.recoveryText = "the temporary block of \(last.0.address ?? "the edge address") (\(Diagnoser.temporaryBlockSeconds(last.0.text) ?? 0) s) expired at \(CivilTime.rfc3339(last.1))"
                    h.score = 1 - (1 - h.score) * 0.85
                    h.reasons.append("recovery matches: the temporary block of \(last.0.address ?? "the edge address") expired at \(CivilTime.rfc3339(last.1)), when the 521s stopped")
                    hyps[k] = h
                    continue
                }
            }
            if let r = rec, h.score > 0.1 {
                h.recoveryEvent = r
                h.recoveryText = "\(r.kind.rawValue) of \(r.service ?? "the origin") at \(CivilTime.rfc3339(r.timeUs))"
                h.score = 1 - (1 - h.score) * 0.85
                h.reasons.append("recovery matches: \(r.kind.rawValue) of \(r.service ?? "the origin") at the end of the window")
            }
            hyps[k] = h
        }
        return hyps.values.filter { $0.score >= 0.05 }
            .sorted { ($0.score, $1.mechanism.rawValue) > ($1.score, $0.mechanism.rawValue) }
    }

    /// `… for 1800 secs …` (CSF/lfd temporary blocks): the block's length in seconds.
    static func temporaryBlockSeconds(_ text: String) -> Int64? {
        guard let r = text.range(of: " for ") else { return nil }
        let rest = text[r.upperBound...]
        let digits = rest.prefix { $0.isNumber }
        guard !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(" sec"), let v = Int64(digits) else { return nil }
        return v
    }

    /// Confidence of the top hypothesis given the runner-up (0…1), with the words that say why.
    public static func confidence(_ hyps: [Hypothesis]) -> (value: Double, reason: String) {
        guard let top = hyps.first else { return (0, "no origin event or edge pattern points to a cause") }
        let second = hyps.dropFirst().first?.score ?? 0
        let margin = top.score > 0 ? second / top.score : 0
        let v = max(0, min(0.99, top.score * (1 - 0.35 * margin)))
        let why: String
        if margin > 0.8 { why = "a close alternative explains the window almost as well" }
        else if margin > 0.4 { why = "an alternative explains part of the window" }
        else { why = "no other explanation comes close" }
        return ((v * 100).rounded() / 100, why)
    }
}

/// `1h 02m`, `4m 10s`, `35s`.
public func formatDuration(_ seconds: Int64) -> String {
    let s = max(0, seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m \(String(format2(s % 60)))s" }
    return "\(s / 3600)h \(format2(s % 3600 / 60))m"
}

func format2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

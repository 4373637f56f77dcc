import Foundation

/// Turns origin records into origin events with the rule catalog (`RuleCatalog.rules`, plus any
/// user rules).
///
/// The catalog is compiled once into flat byte tables. Per record the matcher decodes the
/// message only when it is escaped, decides once per *group* of rules (same programs, formats,
/// pids) whether the record's program qualifies, and then tests each qualifying rule's cheap
/// conditions first (prefix compare, then `memmem` substring anchors). An unremarkable line costs
/// a few glob compares and a handful of `memmem` calls; `String`s are made only for a match.
public struct RuleMatcher: Sendable {
    /// The rules in matching order (user rules first).
    public let rules: [Rule]
    /// The CDN's address ranges: firewall events say whether their address lies in them.
    public let cdnRanges: CIDRSet
    /// Destination ports that count as web ports (firewall severity, VPC rejects).
    public let webPorts: [Int]
    let names: ServiceNames
    let table: CompiledRules

    /// - Parameters:
    ///   - extraServices: service names to recognise as they are (units, idents, words in
    ///     unit descriptions), besides nginx, apache and php-fpm.
    ///   - extraRules: user rules, tried before the built-in catalog.
    ///   - catalog: the built-in rules (tests may replace them).
    ///   - cdnRanges: CDN edge ranges, default Cloudflare's dated list.
    ///   - webPorts: ports whose blocking matters for the site.
    public init(extraServices: [String] = [], extraRules: [Rule] = [], catalog: [Rule] = RuleCatalog.rules,
                cdnRanges: CIDRSet = .cloudflare, webPorts: [Int] = [80, 443, 8080, 8443]) {
        let all = extraRules + catalog
        rules = all
        self.cdnRanges = cdnRanges
        self.webPorts = webPorts
        names = ServiceNames(extra: extraServices)
        table = CompiledRules(all)
    }

    /// Matches one origin record against the catalog; nil when no rule matches. `timeUs` is the
    /// event time (UTC µs, already resolved by the pipeline); `source`/`lineNumber` locate the
    /// line for the evidence.
    public func match(_ record: OriginRecord, format: LogFormat, timeUs: Int64,
                      source: String, lineNumber: Int) -> OriginEvent? {
        RuleMatcher.withMessageBytes(record.message) { msg in
            matchBytes(msg, record: record, format: format, timeUs: timeUs, source: source, lineNumber: lineNumber)
        }
    }

    /// The id of the rule that matches, without building the event (for tests and `--explain`).
    public func ruleID(for record: OriginRecord, format: LogFormat) -> String? {
        match(record, format: format, timeUs: 0, source: "", lineNumber: 0)?.rule
    }

    /// Runs `body` over the message bytes, decoding only when the field is really escaped.
    static func withMessageBytes<R>(_ f: ByteField, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch f.encoding {
        case .raw:
            return body(f.raw)
        case .jsonString:
            if ByteScan.find(ByteScan.backslash, in: f.raw) == nil { return body(f.raw) }
        case .percent:
            if ByteScan.find(0x25, in: f.raw) == nil { return body(f.raw) }
        case .jsonByteArray:
            break
        }
        return f.withDecoded(body)
    }

    // MARK: - Matching

    private func matchBytes(_ msg: UnsafeRawBufferPointer, record: OriginRecord, format: LogFormat, timeUs: Int64,
                            source: String, lineNumber: Int) -> OriginEvent? {
        let t = table
        let body = MessageScan.bodyStart(msg)
        let formatBit = CompiledRules.formatBit(format)
        let impliedName = RuleMatcher.impliedName(record.implied)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, t.groups.count)) { state -> OriginEvent? in
            state.initialize(repeating: 0)
            for ri in 0..<t.rules.count {
                let r = t.rules[ri]
                let g = Int(r.group)
                if state[g] == 0 {
                    state[g] = t.groupApplies(g, record: record, formatBit: formatBit, impliedName: impliedName) ? 1 : 2
                }
                if state[g] == 2 { continue }
                guard t.textHolds(r, msg, body: body), t.journalHolds(r, record),
                      conditionsHold(r.conditions, msg, body: body, record: record) else { continue }
                if let ev = buildEvent(rules[ri], msg, body: body, record: record, timeUs: timeUs,
                                       source: source, lineNumber: lineNumber) {
                    return ev
                }
            }
            return nil
        }
    }

    private func conditionsHold(_ c: UInt8, _ m: UnsafeRawBufferPointer, body: Int, record: OriginRecord) -> Bool {
        if c == 0 { return true }
        if c & CompiledRules.condProcessFailed != 0 {
            let failed: Bool
            if !record.exitCode.isEmpty {
                failed = !record.exitCode.equals("exited") || (record.exitStatus.intValue ?? 0) != 0
            } else {
                failed = MessageScan.processFailed(m)
            }
            if !failed { return false }
        }
        if c & CompiledRules.condEmerg != 0 {
            if !(record.severity == 0 || ByteScan.find("[emerg]", in: m) != nil) { return false }
        }
        if c & CompiledRules.condConfigLocation != 0, !MessageScan.configLocation(m) { return false }
        if c & CompiledRules.condDenyPrefix != 0, !MessageScan.denyPrefix(m, body: body) { return false }
        if c & CompiledRules.condUnitFailedV219 != 0, !MessageScan.unitFailedV219(m, body: body) { return false }
        return true
    }

    static func impliedName(_ p: ImpliedProgram) -> StaticString {
        switch p {
        case .none: return ""
        case .nginx: return "nginx"
        case .apache: return "apache"
        case .phpFpm: return "php-fpm"
        case .fail2ban: return "fail2ban"
        case .vpcFlow: return "vpc-flow"
        case .kernel: return "kernel"
        }
    }

    // MARK: - Building the event

    private func buildEvent(_ rule: Rule, _ m: UnsafeRawBufferPointer, body: Int, record: OriginRecord,
                            timeUs: Int64, source: String, lineNumber: Int) -> OriginEvent? {
        var service: String? = nil
        var unit: String? = nil
        var pid: Int? = record.pid >= 0 ? record.pid : nil

        sources: for src in rule.serviceSources {
            switch src {
            case .unit:
                if !record.unit.isEmpty {
                    let u = record.unit.string()
                    unit = u; service = names.normalize(u)
                }
            case .unitPrefix:
                if let u = MessageScan.unitPrefix(m, body: body) { unit = u; service = names.normalize(u) }
            case .unitInText:
                if let u = MessageScan.unitInText(m, body: body) { unit = u; service = names.normalize(u) }
            case .jobText:
                if let j = MessageScan.jobText(m, body: body) {
                    if let u = j.unit { unit = u; service = names.normalize(u) }
                    else { service = names.fromDescription(j.description) }
                }
            case .cgroup:
                if let leaf = MessageScan.cgroupLeaf(m) {
                    if ServiceNames.looksLikeUnit(leaf[...]) { unit = leaf }
                    service = names.normalize(leaf)
                }
            case .processComm:
                if let pc = MessageScan.processComm(m) {
                    service = names.normalize(pc.comm)
                    if let p = pc.pid { pid = p }
                }
            case .bracketComm:
                if let bc = MessageScan.bracketComm(m, body: body) {
                    service = names.normalize(bc.comm)
                    if let p = bc.pid { pid = p }
                }
            case .senderUnit:
                if let u = RuleMatcher.senderUnit(record) { unit = u; service = names.normalize(u) }
            case .ident:
                if !record.ident.isEmpty { service = names.normalize(record.ident.string()) }
            case .implied:
                if record.implied != .none { service = names.normalize(RuleMatcher.impliedName(record.implied).description) }
            case .fixed:
                service = rule.fixedService
            }
            if service != nil { break sources }
        }
        if rule.requireService == true {
            guard service != nil else { return nil }
            if let u = unit, !ServiceNames.isServiceUnit(u) { return nil }
        }
        if unit == nil {
            if !record.unit.isEmpty { unit = record.unit.string() } else { unit = RuleMatcher.senderUnit(record) }
        }

        var address: String? = nil
        var port: Int? = nil
        switch rule.extract {
        case .none: break
        case .netfilter?:
            (address, port) = MessageScan.netfilter(m)
        case .lfd?:
            address = MessageScan.firstAddress(m, from: body)
        case .fail2ban?:
            address = MessageScan.fail2banAddress(m)
        case .client?:
            address = MessageScan.clientAddress(m)
        case .vpcFlow?:
            guard let f = MessageScan.vpcFlow(m), f.action == "REJECT", webPorts.contains(f.dstPort) else { return nil }
            address = f.src; port = f.dstPort
        }
        let cdn: Bool? = address.flatMap { cdnRanges.contains($0) }

        var severity = rule.severity
        if let lower = rule.severityIfUnrelated, cdn != true, !(port.map { webPorts.contains($0) } ?? false) {
            severity = lower
        }

        let (text, repaired) = RuleMatcher.evidenceText(m)
        var ev = OriginEvent(timeUs: timeUs, kind: rule.kind, service: service, unit: unit, pid: pid,
                             severity: severity, source: source, line: lineNumber, rule: rule.id,
                             text: text, address: address, port: port, cdnAddress: cdn,
                             host: record.hostname.stringIfPresent)
        ev.textRepaired = repaired
        return ev
    }

    /// Journal `_SYSTEMD_UNIT` unless it is PID 1's `init.scope` or another scope.
    static func senderUnit(_ r: OriginRecord) -> String? {
        guard !r.senderUnit.isEmpty else { return nil }
        let s = r.senderUnit.string()
        return s.hasSuffix(".scope") ? nil : s
    }

    /// Longest evidence text kept (bytes); longer messages are cut.
    static let maxEvidenceBytes = 2048

    /// The message's first line (a coredump's stack trace follows in the same MESSAGE), at most
    /// `maxEvidenceBytes`.
    static func evidence(_ m: UnsafeRawBufferPointer) -> String { evidenceText(m).text }

    /// `evidence`, and whether its bytes were not valid UTF-8 (shown with U+FFFD).
    static func evidenceText(_ m: UnsafeRawBufferPointer) -> (text: String, repaired: Bool) {
        var end = min(m.count, maxEvidenceBytes)
        // A cut never splits a UTF-8 sequence (that would show as U+FFFD).
        if end < m.count {
            var k = 0
            while k < 3, end > 0, m[end] & 0xC0 == 0x80 { end -= 1; k += 1 }
        }
        if let nl = ByteScan.find(0x0A, in: ByteScan.slice(m, 0, end)) { end = nl }
        while end > 0, m[end - 1] == 0x0D || m[end - 1] == 0x20 { end -= 1 }
        let bytes = ByteScan.slice(m, 0, end)
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, false) }
        return (String(decoding: bytes, as: UTF8.self), true)
    }
}

/// The catalog flattened into byte tables that the hot path reads without ARC traffic or
/// allocation. Immutable after init.
final class CompiledRules: @unchecked Sendable {
    struct Span { var start: Int32; var count: Int32 }
    /// Index range `[lo, hi)` into `spans` (or `pids`).
    struct Range32 { var lo: Int32; var hi: Int32 }
    struct CRule {
        var group: Int32
        var startsWith: Range32
        var allOf: Range32
        var anyOf: Range32
        var noneOf: Range32
        var messageIDs: Range32
        var unitResults: Range32
        var exitCodes: Range32
        var conditions: UInt8
    }
    struct Group {
        var programs: Range32
        var pids: Range32
        /// Bit per `LogFormat.allCases` index; 0 = any format.
        var formatMask: UInt64
    }

    static let condProcessFailed: UInt8 = 1
    static let condEmerg: UInt8 = 2
    static let condConfigLocation: UInt8 = 4
    static let condDenyPrefix: UInt8 = 8
    static let condUnitFailedV219: UInt8 = 16

    let arena: UnsafeMutableRawBufferPointer
    let spans: UnsafeMutableBufferPointer<Span>
    let rules: UnsafeMutableBufferPointer<CRule>
    let groups: UnsafeMutableBufferPointer<Group>
    let pids: UnsafeMutableBufferPointer<Int>

    init(_ source: [Rule]) {
        var bytes: [UInt8] = []
        var spanList: [Span] = []
        var pidList: [Int] = []
        var groupList: [Group] = []
        var groupKeys: [String: Int32] = [:]
        var ruleList: [CRule] = []

        func add(_ texts: [String]?) -> Range32 {
            let lo = Int32(spanList.count)
            for t in texts ?? [] {
                let u = Array(t.utf8)
                spanList.append(Span(start: Int32(bytes.count), count: Int32(u.count)))
                bytes.append(contentsOf: u)
            }
            return Range32(lo: lo, hi: Int32(spanList.count))
        }

        for r in source {
            let formats = r.formats ?? []
            var mask: UInt64 = 0
            for f in formats { mask |= CompiledRules.formatBit(f) }
            let key = "\(mask)|\(r.programs ?? ["\u{0}*any*"])|\(r.pids ?? [])"
            let group: Int32
            if let g = groupKeys[key] {
                group = g
            } else {
                let progs = r.programs.map { add($0) } ?? Range32(lo: -1, hi: -1)
                let plo = Int32(pidList.count)
                pidList.append(contentsOf: r.pids ?? [])
                groupList.append(Group(programs: progs, pids: Range32(lo: plo, hi: Int32(pidList.count)), formatMask: mask))
                group = Int32(groupList.count - 1)
                groupKeys[key] = group
            }
            var cond: UInt8 = 0
            for c in r.require ?? [] {
                switch c {
                case .processFailed: cond |= CompiledRules.condProcessFailed
                case .emergLevel: cond |= CompiledRules.condEmerg
                case .configLocation: cond |= CompiledRules.condConfigLocation
                case .denyPrefix: cond |= CompiledRules.condDenyPrefix
                case .unitFailedV219: cond |= CompiledRules.condUnitFailedV219
                }
            }
            // An empty anyOf would never match; nil means "no condition".
            ruleList.append(CRule(group: group, startsWith: add(r.startsWith), allOf: add(r.allOf),
                                  anyOf: r.anyOf == nil ? Range32(lo: -1, hi: -1) : add(r.anyOf),
                                  noneOf: add(r.noneOf), messageIDs: add(r.messageIDs),
                                  unitResults: add(r.unitResults), exitCodes: add(r.exitCodes), conditions: cond))
        }

        arena = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        arena.copyBytes(from: bytes)
        spans = CompiledRules.copy(spanList)
        rules = CompiledRules.copy(ruleList)
        groups = CompiledRules.copy(groupList)
        pids = CompiledRules.copy(pidList)
    }

    /// Copies `a` into a new allocation (of at least one element, so the base address is never
    /// nil) and returns a buffer of exactly `a.count` elements.
    static func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
        let buf = UnsafeMutableBufferPointer(start: p, count: a.count)
        _ = buf.initialize(from: a)
        return buf
    }

    deinit {
        arena.deallocate()
        spans.baseAddress!.deallocate()
        rules.baseAddress!.deallocate()
        groups.baseAddress!.deallocate()
        pids.baseAddress!.deallocate()
    }

    /// One bit per format: the enum's case number (formats are few and payload-free, so the
    /// value is its one-byte discriminator). No switch, so new formats need no change here;
    /// the `& 63` keeps any future overflow harmless (groups would only be tried more often).
    @inline(__always)
    static func formatBit(_ f: LogFormat) -> UInt64 {
        let i = withUnsafeBytes(of: f) { $0.count > 0 ? Int($0[0]) : 63 }
        return 1 << UInt64(i & 63)
    }

    @inline(__always)
    func bytes(_ s: Span) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena.baseAddress! + Int(s.start), count: Int(s.count))
    }

    func groupApplies(_ g: Int, record: OriginRecord, formatBit: UInt64, impliedName: StaticString) -> Bool {
        let grp = groups[g]
        if grp.formatMask != 0 && grp.formatMask & formatBit == 0 { return false }
        if grp.pids.hi > grp.pids.lo && record.pid >= 0 {
            var ok = false
            for i in Int(grp.pids.lo)..<Int(grp.pids.hi) where pids[i] == record.pid { ok = true; break }
            if !ok { return false }
        }
        if grp.programs.lo < 0 { return true }
        let ident = record.ident.raw
        let implied = UnsafeRawBufferPointer(start: impliedName.utf8Start, count: impliedName.utf8CodeUnitCount)
        for i in Int(grp.programs.lo)..<Int(grp.programs.hi) {
            let pat = bytes(spans[i])
            if ident.count > 0 && MessageScan.glob(pat, ident) { return true }
            if implied.count > 0 && MessageScan.glob(pat, implied) { return true }
            if ident.count == 0 && implied.count == 0 && pat.count == 0 { return true }
        }
        return false
    }

    @inline(__always)
    func textHolds(_ r: CRule, _ m: UnsafeRawBufferPointer, body: Int) -> Bool {
        if r.startsWith.hi > r.startsWith.lo {
            var ok = false
            for i in Int(r.startsWith.lo)..<Int(r.startsWith.hi) {
                let s = bytes(spans[i])
                if body + s.count <= m.count && memcmp(m.baseAddress! + body, s.baseAddress!, s.count) == 0 {
                    ok = true; break
                }
            }
            if !ok { return false }
        }
        if r.allOf.hi > r.allOf.lo {
            for i in Int(r.allOf.lo)..<Int(r.allOf.hi) where ByteScan.find(bytes(spans[i]), in: m) == nil {
                return false
            }
        }
        if r.anyOf.lo >= 0 {
            var ok = false
            for i in Int(r.anyOf.lo)..<Int(r.anyOf.hi) where ByteScan.find(bytes(spans[i]), in: m) != nil {
                ok = true; break
            }
            if !ok { return false }
        }
        if r.noneOf.hi > r.noneOf.lo {
            for i in Int(r.noneOf.lo)..<Int(r.noneOf.hi) where ByteScan.find(bytes(spans[i]), in: m) != nil {
                return false
            }
        }
        return true
    }

    /// Journal-field conditions hold when the record lacks the field or its value is listed.
    @inline(__always)
    func journalHolds(_ r: CRule, _ record: OriginRecord) -> Bool {
        fieldHolds(r.messageIDs, record.messageID) && fieldHolds(r.unitResults, record.unitResult)
            && fieldHolds(r.exitCodes, record.exitCode)
    }

    @inline(__always)
    private func fieldHolds(_ range: Range32, _ f: ByteField) -> Bool {
        if range.hi <= range.lo || f.isEmpty { return true }
        let v = f.raw
        for i in Int(range.lo)..<Int(range.hi) {
            let s = bytes(spans[i])
            if s.count == v.count && memcmp(v.baseAddress!, s.baseAddress!, s.count) == 0 { return true }
        }
        return false
    }
}

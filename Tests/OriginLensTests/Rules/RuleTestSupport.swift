import Testing
@testable import OriginLens

/// What a rule case should produce.
struct Expect: Sendable {
    var kind: EventKind
    var service: String?
    /// The rule id must start with this.
    var rule: String
    var unit: String?? = .none
    var address: String? = nil
    var port: Int? = nil
    var cdn: Bool? = nil
    var severity: EventSeverity? = nil
    var pid: Int? = nil
}

/// One origin record built by hand (fields as text) and what the catalog should make of it.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var format: LogFormat
    var ident = ""
    var implied: ImpliedProgram = .none
    var message: String
    var pid = -1
    var severity = -1
    var unit = ""
    var senderUnit = ""
    var messageID = ""
    var unitResult = ""
    var exitCode = ""
    var exitStatus = ""
    var hostname = ""
    var expect: Expect?

    var testDescription: String { "\(format.rawValue) \(ident.isEmpty ? "-" : ident): \(message.prefix(90))" }
}

/// Builds the record inside one buffer holding every field, runs the matcher, returns the
/// (owned) event.
func runCase(_ c: RuleCase, _ matcher: RuleMatcher = RuleMatcher()) -> OriginEvent? {
    let texts = [c.ident, c.message, c.unit, c.senderUnit, c.messageID, c.unitResult, c.exitCode, c.exitStatus, c.hostname]
    var buf = [UInt8]()
    var ranges = [(Int, Int)]()
    for t in texts {
        let u = Array(t.utf8)
        ranges.append((buf.count, u.count))
        buf.append(contentsOf: u)
    }
    return buf.withUnsafeBytes { b -> OriginEvent? in
        func f(_ i: Int) -> ByteField {
            ranges[i].1 == 0 ? .empty : ByteField(ByteScan.slice(b, ranges[i].0, ranges[i].0 + ranges[i].1))
        }
        var r = OriginRecord(timeUs: 0)
        r.ident = f(0); r.message = f(1); r.unit = f(2); r.senderUnit = f(3); r.messageID = f(4)
        r.unitResult = f(5); r.exitCode = f(6); r.exitStatus = f(7); r.hostname = f(8)
        r.implied = c.implied; r.pid = c.pid; r.severity = c.severity
        return matcher.match(r, format: c.format, timeUs: 1_705_314_225_000_000, source: "test.log", lineNumber: 7)
    }
}

/// Checks one case against its expectation, recording an issue per mismatch.
func check(_ c: RuleCase, _ matcher: RuleMatcher = RuleMatcher(), sourceLocation: SourceLocation = #_sourceLocation) {
    let ev = runCase(c, matcher)
    guard let want = c.expect else {
        #expect(ev == nil, "unexpected \(ev?.rule ?? "") for: \(c.message)", sourceLocation: sourceLocation)
        return
    }
    guard let ev else {
        Issue.record("no event for: \(c.message)", sourceLocation: sourceLocation)
        return
    }
    #expect(ev.kind == want.kind, "kind \(ev.kind) (rule \(ev.rule)) for: \(c.message)", sourceLocation: sourceLocation)
    #expect(ev.service == want.service, "service \(ev.service ?? "nil") for: \(c.message)", sourceLocation: sourceLocation)
    #expect(ev.rule.hasPrefix(want.rule), "rule \(ev.rule), want \(want.rule) for: \(c.message)", sourceLocation: sourceLocation)
    if case .some(let u) = want.unit {
        #expect(ev.unit == u, "unit \(ev.unit ?? "nil") for: \(c.message)", sourceLocation: sourceLocation)
    }
    #expect(ev.address == want.address, "address \(ev.address ?? "nil") for: \(c.message)", sourceLocation: sourceLocation)
    #expect(ev.port == want.port, "port \(ev.port.map(String.init) ?? "nil") for: \(c.message)", sourceLocation: sourceLocation)
    #expect(ev.cdnAddress == want.cdn, "cdn for: \(c.message)", sourceLocation: sourceLocation)
    if let s = want.severity {
        #expect(ev.severity == s, "severity \(ev.severity) for: \(c.message)", sourceLocation: sourceLocation)
    }
    if let p = want.pid {
        #expect(ev.pid == p, "pid \(ev.pid.map(String.init) ?? "nil") for: \(c.message)", sourceLocation: sourceLocation)
    }
    #expect(ev.timeUs == 1_705_314_225_000_000 && ev.source == "test.log" && ev.line == 7)
}

// MARK: - Case builders

func E(_ kind: EventKind, _ service: String?, _ rule: String, unit: String?? = .none, address: String? = nil,
       port: Int? = nil, cdn: Bool? = nil, severity: EventSeverity? = nil, pid: Int? = nil) -> Expect {
    Expect(kind: kind, service: service, rule: rule, unit: unit, address: address, port: port, cdn: cdn,
           severity: severity, pid: pid)
}

/// nginx error log line (message after `PID#TID: `); severity per level.
func nginx(_ m: String, level: Int = 3, _ e: Expect?) -> RuleCase {
    RuleCase(format: .nginxError, implied: .nginx, message: m, pid: 1980, severity: level, expect: e)
}
/// nginx stderr copied into the journal / syslog: `nginx[PID]: nginx: [emerg] …`.
func nginxJournal(_ m: String, _ e: Expect?) -> RuleCase {
    RuleCase(format: .journalctlText, ident: "nginx", message: m, pid: 3120, expect: e)
}
/// Apache error log message (after the `[pid …]` prefix), or a startup line.
func apache(_ m: String, _ e: Expect?) -> RuleCase {
    RuleCase(format: .apacheError, implied: .apache, message: m, pid: 1980, expect: e)
}
/// Apache startup output in the journal (`apachectl[PID]:` or `apache2[PID]:`).
func apacheJournal(_ m: String, ident: String = "apachectl", _ e: Expect?) -> RuleCase {
    RuleCase(format: .syslog3164, ident: ident, message: m, pid: 3120, expect: e)
}
/// php-fpm log message (after `LEVEL: `).
func fpm(_ m: String, _ e: Expect?) -> RuleCase {
    RuleCase(format: .phpFpm, implied: .phpFpm, message: m, expect: e)
}
func kernel(_ m: String, format: LogFormat = .syslog3164, _ e: Expect?) -> RuleCase {
    RuleCase(format: format, ident: "kernel", message: m, expect: e)
}
/// A PID 1 message in plain syslog / journalctl text.
func systemd(_ m: String, pid: Int = 1, _ e: Expect?) -> RuleCase {
    RuleCase(format: .syslog3164, ident: "systemd", message: m, pid: pid, expect: e)
}
/// A PID 1 journal entry with structured fields.
func systemdJournal(_ m: String, unit: String, messageID: String = "", unitResult: String = "",
                    exitCode: String = "", exitStatus: String = "", _ e: Expect?) -> RuleCase {
    RuleCase(format: .journalExport, ident: "systemd", message: m, pid: 1, unit: unit, senderUnit: "init.scope",
             messageID: messageID, unitResult: unitResult, exitCode: exitCode, exitStatus: exitStatus,
             hostname: "web1", expect: e)
}
func prog(_ ident: String, _ m: String, format: LogFormat = .syslog3164, pid: Int = 4121, _ e: Expect?) -> RuleCase {
    RuleCase(format: format, ident: ident, message: m, pid: pid, expect: e)
}
func fail2ban(_ m: String, _ e: Expect?) -> RuleCase {
    RuleCase(format: .fail2ban, ident: "fail2ban.actions", implied: .fail2ban, message: m, pid: 812, expect: e)
}
func vpc(_ m: String, _ e: Expect?) -> RuleCase {
    RuleCase(format: .vpcFlow, implied: .vpcFlow, message: m, expect: e)
}

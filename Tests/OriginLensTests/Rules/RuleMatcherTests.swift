import Foundation
import Testing
@testable import OriginLens

@Suite struct RuleMatcherTests {
    static let matcher = RuleMatcher()

    /// One test per event kind: every table case expecting that kind.
    @Test(arguments: EventKind.allCases)
    func kind(_ kind: EventKind) {
        let cases = RuleCases.all.filter { $0.expect?.kind == kind }
        #expect(!cases.isEmpty, "no case for \(kind)")
        for c in cases { check(c, Self.matcher) }
    }

    /// Benign and unrelated lines of the reference yield no event.
    @Test func benignLinesDoNotMatch() {
        let cases = RuleCases.all.filter { $0.expect == nil }
        #expect(cases.count >= 60)
        for c in cases { check(c, Self.matcher) }
    }

    @Test func everyRuleIsExercised() {
        var seen = Set<String>()
        for c in RuleCases.all { if let e = runCase(c, Self.matcher) { seen.insert(e.rule) } }
        let missing = RuleCatalog.rules.map(\.id).filter { !seen.contains($0) }
        #expect(missing.isEmpty, "rules without a test case: \(missing)")
    }

    @Test func catalogIsWellFormed() {
        let ids = RuleCatalog.rules.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate rule ids")
        for r in RuleCatalog.rules {
            #expect(r.problem == nil, "\(r.id): \(r.problem ?? "")")
            #expect(r.reference != nil && r.summary != nil, "\(r.id) lacks summary/reference")
            #expect(r.id.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil, "\(r.id)")
        }
        #expect(ids.contains { $0.contains("mpm-conflict") })
    }

    /// Severity scheme of the brief: oom-kill/crash critical; restart-failed, config-error,
    /// bind-error error (dependency failures warning); resource-exhaustion, upstream-refused,
    /// firewall, VPC warning; lifecycle notice/info, stops warning or notice.
    @Test func severityScheme() {
        for r in RuleCatalog.rules {
            switch r.kind {
            case .oomKill, .crash: #expect(r.severity == .critical, "\(r.id)")
            case .configError, .bindError: #expect(r.severity == .error, "\(r.id)")
            case .restartFailed: #expect(r.severity == .error || r.id == "systemd-dependency-failed", "\(r.id)")
            case .resourceExhaustion, .upstreamRefused, .firewallBlock, .securityGroupReject, .wafBlock:
                #expect(r.severity == .warning, "\(r.id)")
            case .started, .reload, .restartScheduled, .firewallUnblock:
                #expect(r.severity <= .notice, "\(r.id)")
            case .stopped: #expect(r.severity == .warning || r.severity == .notice, "\(r.id)")
            }
        }
    }

    @Test func eventCarriesEvidence() throws {
        let c = systemdJournal("php8.2-fpm.service: Main process exited, code=killed, status=9/KILL",
                               unit: "php8.2-fpm.service", exitCode: "killed", exitStatus: "9", nil)
        let e = try #require(runCase(c))
        #expect(e.text == "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL")
        #expect(e.host == "web1")
        #expect(e.pid == 1)
        #expect(e.unit == "php8.2-fpm.service")
        #expect(e.source == "test.log" && e.line == 7)

        // Multi-line coredump MESSAGE: only the first line is kept.
        let d = prog("systemd-coredump", "Process 2207 (nginx) of user 33 dumped core.\n\nStack trace of thread 2207:\n#0 0x1", nil)
        #expect(runCase(d)?.text == "Process 2207 (nginx) of user 33 dumped core.")

        // Very long messages are cut.
        let long = nginx("bind() to 0.0.0.0:80 failed (98: Address already in use) " + String(repeating: "x", count: 5000), level: 0, nil)
        #expect(runCase(long)?.text.utf8.count == RuleMatcher.maxEvidenceBytes)
    }

    @Test func senderUnitSetsUnitForProgramEvents() throws {
        let c = RuleCase(format: .journalJSON, ident: "nginx", message: "nginx: [emerg] still could not bind()", pid: 3120,
                         senderUnit: "nginx.service", expect: nil)
        let e = try #require(runCase(c))
        #expect(e.service == "nginx" && e.unit == "nginx.service")
        let k = RuleCase(format: .journalJSON, ident: "systemd", message: "Started nginx.service.", pid: 1,
                         senderUnit: "init.scope", expect: nil)
        #expect(try #require(runCase(k)).unit == "nginx.service")
    }

    @Test func extraServicesAreRecognised() {
        let m = RuleMatcher(extraServices: ["mysql", "Varnish"])
        check(systemd("Failed to start MySQL Community Server.", E(.restartFailed, "mysql", "systemd-failed-to-start")), m)
        check(kernel("Out of memory: Killed process 77 (varnish) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB",
                     E(.oomKill, "Varnish", "kernel-oom-kill", pid: 77)), m)
        check(systemd("Started Varnish Cache, a high-performance HTTP accelerator.", E(.started, "Varnish", "systemd-started")), m)
    }

    @Test func escapedJournalMessagesAreDecoded() throws {
        // Journal JSON keeps `\"` escapes inside the field; the matcher decodes before matching.
        let raw = #"nginx: [emerg] unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42"#
        let e = UnsafeRawBufferPointer.withBytes(of: raw + "nginx") { b -> OriginEvent? in
            var r = OriginRecord(timeUs: 0)
            r.message = ByteField(ByteScan.slice(b, 0, raw.utf8.count), encoding: .jsonString)
            r.ident = ByteField(ByteScan.slice(b, raw.utf8.count, b.count))
            return RuleMatcher().match(r, format: .journalJSON, timeUs: 5, source: "j.json", lineNumber: 3)
        }
        let ev = try #require(e)
        #expect(ev.rule == "nginx-config-unknown-directive")
        #expect(ev.text == #"nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/sites-enabled/default:42"#)

        // A byte-array MESSAGE (ANSI colours) is decoded too.
        let bytes = Array("Out of memory: Killed process 9 (nginx) total-vm:1kB".utf8).map(String.init).joined(separator: ",")
        let e2 = UnsafeRawBufferPointer.withBytes(of: bytes + "kernel") { b -> OriginEvent? in
            var r = OriginRecord(timeUs: 0)
            r.message = ByteField(ByteScan.slice(b, 0, bytes.utf8.count), encoding: .jsonByteArray)
            r.ident = ByteField(ByteScan.slice(b, bytes.utf8.count, b.count))
            return RuleMatcher().match(r, format: .journalJSON, timeUs: 5, source: "j.json", lineNumber: 3)
        }
        #expect(e2?.kind == .oomKill && e2?.service == "nginx")
    }

    @Test func hostileBytesNeverCrash() {
        let samples: [[UInt8]] = [
            [], [0], [0x5B], [0x5B, 0x20, 0x31], Array("Killed process ".utf8), Array("Killed process 12 (".utf8),
            Array("]: segfault at ".utf8), Array("traps: [".utf8), Array("traps: x[99".utf8),
            Array("[UFW BLOCK] IN= SRC=".utf8), Array("IN=x SRC=999.1.1.1 DPT=99999999999999999999".utf8),
            Array("Failed to start ".utf8), Array("Started .".utf8), Array("Started  - .".utf8),
            Array("x.service: Control process exited, code=".utf8), Array("] Ban ".utf8), Array("*Blocked in csf*".utf8),
            Array("2 a b c d e f g h i j k REJECT".utf8), [0xFF, 0xFE, 0x80, 0x20, 0xC3],
            Array("Killed process 1 (\u{0}\u{1}) total".utf8) + [0xFF], Array(repeating: 0x5B, count: 300),
        ]
        let idents = ["", "kernel", "systemd", "nginx", "apache2", "php-fpm", "lfd", "fail2ban.actions", "systemd-oomd", "systemd-coredump"]
        let m = RuleMatcher()
        for s in samples {
            for ident in idents {
                let all = s + Array(ident.utf8)
                _ = all.withUnsafeBytes { b -> OriginEvent? in
                    var r = OriginRecord(timeUs: 0)
                    r.message = ByteField(ByteScan.slice(b, 0, s.count))
                    r.ident = ByteField(ByteScan.slice(b, s.count, b.count))
                    r.pid = 1
                    for f in [LogFormat.syslog3164, .vpcFlow, .journalJSON] {
                        _ = m.match(r, format: f, timeUs: 0, source: "", lineNumber: 1)
                    }
                    return nil
                }
            }
        }
    }

    @Test func userRulesComeFirstAndLoadFromJSON() throws {
        let json = """
        [{"id": "myapp-pool-exhausted", "kind": "resource-exhaustion", "severity": "warning",
          "programs": ["myapp*"], "allOf": ["connection pool exhausted"], "service": ["fixed"], "fixedService": "myapp"},
         {"id": "override-bind", "kind": "config-error", "severity": "error", "programs": ["nginx"],
          "allOf": ["still could not bind()"]}]
        """
        let rules = try RuleCatalog.decode(Data(json.utf8))
        #expect(rules.count == 2)
        let m = RuleMatcher(extraRules: rules)
        check(prog("myapp-worker", "ERROR connection pool exhausted (50/50)", E(.resourceExhaustion, "myapp", "myapp-pool-exhausted")), m)
        check(nginx("still could not bind()", level: 0, E(.configError, "nginx", "override-bind")), m)

        #expect(throws: RuleCatalogError.self) { try RuleCatalog.decode(Data("{}".utf8)) }
        let bad = #"[{"id": "x", "kind": "crash", "severity": "critical"}]"#
        #expect(throws: RuleCatalogError.self) { try RuleCatalog.decode(Data(bad.utf8)) }
        let badKind = #"[{"id": "x", "kind": "explosion", "severity": "critical", "allOf": ["a"]}]"#
        #expect(throws: RuleCatalogError.self) { try RuleCatalog.decode(Data(badKind.utf8)) }
    }

    @Test func catalogRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(RuleCatalog.rules)
        let back = try RuleCatalog.decode(data)
        #expect(back == RuleCatalog.rules)
        // And the decoded catalog matches the same way.
        let m = RuleMatcher(catalog: back)
        for c in RuleCases.all { check(c, m) }
    }

    @Test func cdnRangesAndWebPortsAreConfigurable() {
        let custom = try! CIDRSet(parsing: ["203.0.113.0/24"])
        let m = RuleMatcher(cdnRanges: custom, webPorts: [22])
        check(kernel("[UFW BLOCK] " + RuleCases.scanPacket,
                     E(.firewallBlock, "ufw", "firewall-ufw-block", address: "203.0.113.9", port: 22, cdn: true, severity: .warning)), m)
        check(vpc("2 123456789010 eni-1 198.51.100.1 10.0.0.1 5000 22 6 1 40 1 2 REJECT OK",
                  E(.securityGroupReject, "security-group", "vpc-reject-web", address: "198.51.100.1", port: 22, cdn: false)), m)
    }

    /// docs/rules.md lists every rule of the catalog.
    @Test func docsListEveryRule() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/rules.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for r in RuleCatalog.rules {
            #expect(text.contains("| `\(r.id)` |"), "docs/rules.md lacks \(r.id)")
        }
    }
}

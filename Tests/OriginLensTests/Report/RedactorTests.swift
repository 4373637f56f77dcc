import Foundation
import Testing
@testable import OriginLens

@Suite struct RedactorTests {
    func redact(_ s: String, keep: [String] = []) -> String {
        var r = Redactor(keepAddresses: keep)
        return r.text(s)
    }

    @Test func clientAddressesAreMaskedInfrastructureStays() {
        #expect(redact("client: 203.0.113.7, server: www.example.com") == "client: ip-1, server: www.example.com")
        // (IPv4 addresses are numbered before IPv6 ones.)
        #expect(redact("SRC=2001:db8::7 DST=203.0.113.10") == "SRC=ip-2 DST=ip-1")
        #expect(redact("from [2001:db8::7]:51234 and 203.0.113.7:443") == "from [ip-2]:51234 and ip-1:443")
        #expect(redact("peer 2001:db8::7:443 and 2001:db8::8:") == "peer ip-1 and ip-2:")
        #expect(redact("client:203.0.113.7") == "client:ip-1")
        // Cloudflare's edge, the origin (kept by name), loopback and private addresses stay:
        // the diagnosis needs them.
        #expect(redact("blocked 172.70.242.14 and 2606:4700:10::6814:1 on 198.51.100.20", keep: ["198.51.100.20"])
                == "blocked 172.70.242.14 and 2606:4700:10::6814:1 on 198.51.100.20")
        #expect(redact("bind() to 127.0.0.1:80, upstream 10.0.0.5:9000, ::1, fe80::1, 0.0.0.0:443, 192.168.1.2, fd00::5")
                == "bind() to 127.0.0.1:80, upstream 10.0.0.5:9000, ::1, fe80::1, 0.0.0.0:443, 192.168.1.2, fd00::5")
        // Not addresses.
        for s in ["10:23:44", "2024-01-15T10:23:44.123Z", "nginx/1.24.0", "version 1.2.3.4.5", "v1.2.3.4",
                  "MAC=52:54:00:3a:7c:e1", "pid 2207 exited", "a::b::c", "deadline: 5s", "999.1.1.1"] {
            #expect(redact(s) == s, "\(s)")
        }
        // An IPv4-mapped IPv6 address is the IPv4 address.
        #expect(redact("::ffff:203.0.113.7") == "::ffff:ip-1")
    }

    @Test func emailAddresses() {
        #expect(redact("mail root@evil.example or Bob.Smith+x@Mail.Example.ORG") == "mail email-1 or email-2")
        #expect(redact("ROOT@EVIL.EXAMPLE root@evil.example") == "email-1 email-1")
        // systemd template units and host-local names are not addresses.
        #expect(redact("php-fpm@www.service getty@tty1.service user@localhost") == "php-fpm@www.service getty@tty1.service user@localhost")
    }

    @Test func queryStrings() {
        #expect(redact("GET /checkout?step=2&token=abc HTTP/1.1") == "GET /checkout?query-1 HTTP/1.1")
        #expect(redact("upstream: \"http://127.0.0.1:8080/checkout?step=2\"") == "upstream: \"http://127.0.0.1:8080/checkout?query-1\"")
        #expect(redact("/a?x=1 /b?x=1 /c?y=2") == "/a?query-1 /b?query-1 /c?query-2")
        // A question mark in prose is no query.
        #expect(redact("is it down? yes") == "is it down? yes")
        #expect(redact("why?") == "why?")
    }

    @Test func cookies() {
        #expect(redact("Cookie: session=abc; theme=dark") == "Cookie: cookie-1")
        #expect(redact("header \"cookie: a=1; b=2\" next") == "header \"cookie: cookie-1\" next")
        #expect(redact("Set-Cookie: sid=xyz; Path=/; HttpOnly") == "Set-Cookie: cookie-1")
        #expect(redact("cookie=abc123; other") == "cookie=cookie-1; other")
        #expect(redact("no cookies here") == "no cookies here")
    }

    @Test func tokens() {
        #expect(redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl") == "Authorization: Bearer token-1")
        #expect(redact("authorization: Basic dXNlcjpwYXNzd29yZA==") == "authorization: Basic token-1")
        #expect(redact("api_key=AKIA1234XYZ&x=1 password=hunter2 secret: s3cr3t") == "api_key=token-1&x=1 password=token-2 secret: token-3")
        #expect(redact(#"{"password":"hunter2","user":"bob"}"#) == #"{"password":"token-1","user":"bob"}"#)
        #expect(redact("access_token=abc.def-ghi sessionid='q1w2e3'") == "access_token=token-1 sessionid='token-2'")
        // Long hex and mixed-case base64 runs.
        #expect(redact("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 done") == "sha256 token-1 done")
        #expect(redact("key AbCdEfGh12345678IjKlMnOp90123456QrSt end") == "key token-1 end")
        // A run cut by truncation keeps no tail of a secret.
        #expect(redact("…token tail e3b0c44298fc1c149a…") == "…token tail token-1…")
        // Not secrets.
        for s in ["token expired", "tokens_used=5", "missing bearer token", "proxy_pass http://backend",
                  "signal 15 (SIGTERM) received", "/usr/lib/x86_64-linux-gnu/libssl.so.3",
                  "request 123e4567-e89b-12d3-a456-426614174000", String(repeating: "A", count: 64),
                  "ray 84a1b2c3d4e5f607-FRA"] {
            #expect(redact(s) == s, "\(s)")
        }
    }

    @Test func masksAreConsistentAndIdempotent() {
        var r = Redactor()
        let a = r.text("client 203.0.113.7 mail bob@example.com /x?q=1")
        let b = r.text("again 203.0.113.7, then 203.0.113.8 and BOB@example.com /y?q=1")
        #expect(a == "client ip-1 mail email-1 /x?query-1")
        #expect(b == "again ip-1, then ip-2 and email-1 /y?query-1")
        // Spellings of one address share a mask.
        #expect(r.text("2001:DB8:0:0::7 2001:db8::7") == "ip-3 ip-3")
        #expect(r.text(a) == a)
        #expect(r.text(b) == b)
        #expect(r.count(.ip) == 3)
        #expect(r.count(.email) == 1)
    }

    /// The whole report, Markdown and JSON: nothing sensitive from the logs survives, the same
    /// value has the same mask everywhere, the diagnosis keeps the addresses it needs.
    @Test func analyzeRedactsEveryTableExcerptAndField() throws {
        let dir = TempDir()
        // Edge: 521s for hosts and paths that carry addresses, e-mails, queries and tokens.
        var edge = ""
        for m in 0..<40 {
            for k in 0..<30 {
                let t = scenarioT0 + Int64(m * 60 + k * 2)
                if (20..<30).contains(m) {
                    let host = k % 3 == 0 ? "203.0.113.50" : "www.example.com"
                    let uri = k % 2 == 0 ? "/login?user=alice@example.com&password=hunter2" : "/api/v1/items?api_key=AKIA1234XYZ"
                    edge += logpushLine(t, status: 521, host: host, uri: uri, clientIP: "203.0.113.\(k)") + "\n"
                } else {
                    edge += logpushLine(t, status: 200) + "\n"
                }
            }
        }
        dir.write("edge/logpush.json", edge)
        // Origin: the OOM kill, requests naming clients and secrets, a firewall block of a
        // Cloudflare address and of a client.
        dir.write("origin/syslog", """
        Jan 15 10:19:55 web1 kernel: Out of memory: Killed process 2207 (nginx) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0
        Jan 15 10:29:55 web1 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.

        """, mtime: scenarioMtime)
        dir.write("origin/nginx/error.log", """
        2024/01/15 10:19:50 [error] 2211#2211: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: www.example.com, request: "GET /account?token=9f8e7d6c5b4a39281716151413121110 HTTP/1.1", upstream: "http://127.0.0.1:8080/account?token=9f8e7d6c5b4a39281716151413121110", host: "www.example.com", referrer: "https://www.example.com/?email=carol@example.org"
        2024/01/15 10:19:52 [alert] 1980#1980: worker process 2207 exited on signal 9 while serving 203.0.113.7 (Cookie: sid=abcdef123456; theme=dark)

        """)
        var opts = AnalyzeOptions()
        opts.redact = true
        let (r, _) = Analyzer.run(paths: [dir.path], scan: ScanOptions(), options: opts)
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        let json = Analyzer.json(r)
        let secrets = ["203.0.113.7", "203.0.113.50", "alice@example.com", "carol@example.org", "hunter2", "AKIA1234XYZ",
                       "9f8e7d6c5b4a39281716151413121110", "abcdef123456", "user=", "step=", "api_key=AKIA"]
        for out in [md, json] {
            for s in secrets { #expect(!out.contains(s), "\(s) survived") }
        }
        let inc = try #require(r.incidents.first)
        #expect(inc.cause.mechanism == "oom-kill")
        // Hosts and paths tables.
        #expect(inc.hosts.map(\.key).contains("ip-1") || inc.hosts.map(\.key).contains { $0.hasPrefix("ip-") })
        #expect(inc.paths.contains { $0.key.hasPrefix("/login?query-") })
        #expect(inc.paths.contains { $0.key.hasPrefix("/api/v1/items?query-") })
        // The origin IP the edge connected to stays (the DNS diagnosis needs it).
        #expect(inc.scope.originIPs == ["198.51.100.20"])
        // Evidence: the block is rebuilt from the masked text; the same client has the same
        // mask in the evidence, the timeline and the recovery line.
        for e in inc.evidence { #expect(e.block == MarkdownText.fenced(e.text)) }
        let clientMask = try #require(inc.timeline.first { $0.what.contains("connect() failed") }?.what
            .components(separatedBy: "client: ").last?.components(separatedBy: ",").first)
        #expect(clientMask.hasPrefix("ip-"))
        #expect(inc.timeline.contains { $0.what.contains("serving \(clientMask) (Cookie: cookie-") })
        #expect(inc.timeline.contains { $0.what.contains("request: \"GET /account?query-") })
        // JSON is still valid, with the same masks.
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(obj != nil)
        #expect(json.contains(clientMask))
        // Without --redact nothing is masked.
        let (plain, _) = Analyzer.run(paths: [dir.path], scan: ScanOptions(), options: AnalyzeOptions())
        #expect(Analyzer.json(plain).contains("203.0.113.7"))
    }

    @Test func eventsAndWeeklyUseTheSameMasks() throws {
        var r = Redactor()
        var e = OriginEvent(timeUs: 0, kind: .firewallBlock, service: "ufw", severity: .warning, source: "kern.log", line: 3,
                            rule: "firewall-ufw-block", text: "[UFW BLOCK] IN=eth0 SRC=203.0.113.9 DST=198.51.100.20 DPT=443",
                            address: "203.0.113.9", port: 443, cdnAddress: false)
        r.apply(&e)
        #expect(e.text == "[UFW BLOCK] IN=eth0 SRC=ip-1 DST=ip-2 DPT=443")
        #expect(e.address == "ip-1")
        var cf = OriginEvent(timeUs: 0, kind: .firewallBlock, service: "ufw", severity: .warning, source: "kern.log", line: 4,
                             rule: "firewall-ufw-block", text: "[UFW BLOCK] SRC=172.70.242.14", address: "172.70.242.14", port: 443, cdnAddress: true)
        r.apply(&cf)
        #expect(cf.address == "172.70.242.14")
        // Weekly: hosts, problems, assumptions.
        let dir = TempDir()
        let s = Scenario(in: dir)
        let bad = dir.write("bad/junk.txt", "visitor 203.0.113.9 wrote to root@evil.example\n")
        let day = scenarioT0 - 10 * 3600
        var run = Weekly.run(paths: s.paths + [bad], scan: ScanOptions(), options: WeeklyOptions(startUs: day * 1_000_000, endUs: (day + 86_400) * 1_000_000), historyPath: nil)
        var w = Analyzer.redactor(for: run.data, expectedOriginIP: nil)
        w.apply(&run.report)
        let text = Analyzer.json(run.report)
        #expect(!text.contains("203.0.113.9"))
        #expect(!text.contains("root@evil.example"))
        #expect(run.report.dataQuality.problems.contains { $0.contains("first line: visitor ip-1 wrote to email-1") })
        #expect(run.report.topHosts.first?.key == "www.example.com")
    }
}

/// The sample of an unknown file (quoted in every report's problem list) is cut before a token
/// that runs past its 200 bytes, so that no part of an address escapes `--redact`.
@Suite struct SampleTextTests {
    @Test func cutsBeforeATokenThatRunsPastTheLimit() {
        let head = "{\"k\":\"" + String(repeating: "v", count: 181) + "\",\"ip\":\""      // 195 bytes: the token spans byte 200
        for tail in ["203.0.113.77\"}", "alice@example.com\"}", "2001:db8::7\"}"] {
            let line = Array((head + tail).utf8)
            let s = ParserRegistry.sampleText(line)
            #expect(s.hasSuffix("\"ip\":\"…"), "\(s)")
            var r = Redactor()
            #expect(r.text(s) == s)
        }
        // A word ends before the limit: nothing is cut off it.
        let words = String(repeating: "word ", count: 40) + "tail end"
        #expect(ParserRegistry.sampleText(Array(words.utf8)) == String(repeating: "word ", count: 40) + "…")
        // A token longer than 80 bytes is cut at the limit (the redactor masks long tokens).
        let long = String(repeating: "a", count: 300)
        #expect(ParserRegistry.sampleText(Array(long.utf8)) == String(repeating: "a", count: 200) + "…")
        // Never inside a UTF-8 sequence.
        let accents = String(repeating: "é", count: 150)
        let cut = ParserRegistry.sampleText(Array(accents.utf8))
        #expect(!cut.contains("\u{FFFD}"))
        // Short lines are whole; controls and direction overrides are replaced.
        #expect(ParserRegistry.sampleText(Array("a\u{1B}[31mb\tc\u{202E}d".utf8)) == "a\u{FFFD}[31mb c\u{FFFD}d")
    }
}

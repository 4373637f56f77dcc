import Testing
@testable import OriginLens

@Suite struct NginxErrorParserTests {
    // Reference §4.3.
    static let examples = [
        #"2024/01/15 10:23:45 [error] 2211#2211: *48213 connect() failed (111: Connection refused) while connecting to upstream, client: 172.70.242.14, server: www.example.com, request: "GET /checkout?step=2 HTTP/1.1", upstream: "http://127.0.0.1:8080/checkout?step=2", host: "www.example.com""#,
        #"2024/01/15 10:23:46 [crit] 2211#2211: *48215 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 162.158.87.3, server: www.example.com, request: "POST /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "www.example.com""#,
        "2024/01/15 10:23:40 [alert] 1980#1980: worker process 2207 exited on signal 9",
        "2024/01/15 10:24:02 [emerg] 3120#3120: bind() to 0.0.0.0:80 failed (98: Address already in use)",
        "2024/01/15 10:24:04 [emerg] 3120#3120: still could not bind()",
        #"2024/01/15 10:30:00 [emerg] 3301#3301: unknown directive "proxy_passs" in /etc/nginx/sites-enabled/default:42"#,
    ]

    @Test func referenceExamplesInUTC() {
        var p = NginxErrorParser(context: ParseContext())
        let want: [(Int64, Int, Int, String)] = [
            (1_705_314_225_000_000, 3, 2211, #"connect() failed (111: Connection refused) while connecting to upstream, client: 172.70.242.14, server: www.example.com, request: "GET /checkout?step=2 HTTP/1.1", upstream: "http://127.0.0.1:8080/checkout?step=2", host: "www.example.com""#),
            (1_705_314_226_000_000, 2, 2211, #"connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 162.158.87.3, server: www.example.com, request: "POST /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "www.example.com""#),
            (1_705_314_220_000_000, 1, 1980, "worker process 2207 exited on signal 9"),
            (1_705_314_242_000_000, 0, 3120, "bind() to 0.0.0.0:80 failed (98: Address already in use)"),
            (1_705_314_244_000_000, 0, 3120, "still could not bind()"),
            (1_705_314_600_000_000, 0, 3301, #"unknown directive "proxy_passs" in /etc/nginx/sites-enabled/default:42"#),
        ]
        for (line, w) in zip(Self.examples, want) {
            #expect(textParse(&p, line) == .origin(TextOriginSnap(timeUs: w.0, severity: w.1, pid: w.2, message: w.3, implied: .nginx)), "\(line)")
        }
    }

    @Test func fixedOffsetZone() {
        var p = NginxErrorParser(context: ParseContext(zone: .fixed(3600)))
        #expect(textParse(&p, Self.examples[0]).record?.timeUs == 1_705_310_625_000_000)
        var q = NginxErrorParser(context: ParseContext(zone: .fixed(-5 * 3600)))
        let west = textParse(&q, Self.examples[2]).record?.timeUs
        let want: Int64 = 1_705_314_220_000_000 + 5 * 3_600_000_000
        #expect(west == want)
    }

    @Test func berlinSpringForward() {
        var p = NginxErrorParser(context: ParseContext(zone: .named("Europe/Berlin")))
        // 01:59:59 CET (+01:00), then 03:00:00 CEST (+02:00): one second apart in UTC.
        #expect(textParse(&p, "2024/03/31 01:59:59 [notice] 1#1: before").record?.timeUs == 1_711_846_799_000_000)
        #expect(textParse(&p, "2024/03/31 03:00:00 [notice] 1#1: after").record?.timeUs == 1_711_846_800_000_000)
        // Winter: +01:00.
        #expect(textParse(&p, "2024/01/15 11:23:45 [error] 1#1: x").record?.timeUs == 1_705_314_225_000_000)
    }

    @Test func levelsMapToSeverities() {
        var p = NginxErrorParser(context: ParseContext())
        let levels = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"]
        for (sev, lv) in levels.enumerated() {
            #expect(textParse(&p, "2024/01/15 10:23:45 [\(lv)] 7#0: m").record?.severity == sev)
        }
    }

    @Test func connectionNumberIsNotInTheMessage() {
        var p = NginxErrorParser(context: ParseContext())
        let r = textParse(&p, "2016/09/30 08:36:06 [error] 22923#0: *4758725916 limiting requests, excess: 15.243 by zone \"one\", client: 13.123.1.123")
        #expect(r.record?.message == "limiting requests, excess: 15.243 by zone \"one\", client: 13.123.1.123")
        #expect(r.record?.pid == 22923)
        // Not a connection number: kept.
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] 1#1: *abc x").record?.message == "*abc x")
        // Empty message.
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] 1#1: ").record?.message == "")
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] 1#1: *5").record?.message == "")
    }

    @Test func fastCGIContinuationLines() {
        var p = NginxErrorParser(context: ParseContext())
        let lines = [
            #"2024/01/15 10:23:45 [error] 2211#2211: *7 FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3"#,
            "PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/index.php on line 12",
            "#0 /var/www/html/index.php(12): foo()",
            #"  thrown in /var/www/html/index.php on line 12" while reading response header from upstream, client: 162.158.87.3"#,
        ]
        #expect(textParse(&p, lines[0]).record?.message.hasPrefix("FastCGI sent in stderr: ") == true)
        #expect(textParse(&p, lines[1]) == .skip(.continuation))
        #expect(textParse(&p, lines[2]) == .skip(.continuation))
        #expect(textParse(&p, lines[3]) == .skip(.continuation))
        // A timestamp inside a continuation does not make it a record.
        #expect(textParse(&p, "PHP message: 2024/01/15 10:23:45 [error] 1#1: x") == .skip(.continuation))
        #expect(textParse(&p, "app[12]: 2024/01/15 10:23:45 not nginx") == .skip(.continuation))
        // Before any record the same line cannot be placed.
        var q = NginxErrorParser(context: ParseContext())
        #expect(textParse(&q, lines[1]) == .skip(.unrecognized))
    }

    @Test func stderrForms() {
        var p = NginxErrorParser(context: ParseContext())
        #expect(textParse(&p, "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)") ==
                .origin(TextOriginSnap(timeUs: OriginRecord.noTime, severity: 0, pid: -1,
                                       message: "bind() to 0.0.0.0:80 failed (98: Address already in use)", implied: .nginx)))
        #expect(textParse(&p, "nginx: [warn] 1024 worker_connections exceed open file resource limit: 1024").record?.severity == 4)
        #expect(textParse(&p, "nginx: configuration file /etc/nginx/nginx.conf test failed") ==
                .origin(TextOriginSnap(timeUs: OriginRecord.noTime, severity: 3, pid: -1,
                                       message: "configuration file /etc/nginx/nginx.conf test failed", implied: .nginx)))
        #expect(textParse(&p, "nginx: configuration file /etc/nginx/nginx.conf test is successful").record?.severity == 6)
        #expect(textParse(&p, "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok").record?.severity == 6)
        #expect(textSniff(NginxErrorParser.self, "nginx: [emerg] still could not bind()") == 2)
    }

    @Test func journalPrefixedCopies() {
        var p = NginxErrorParser(context: ParseContext())
        let r = textParse(&p, #"host nginx[983478]: 2023/12/09 21:35:20 [error] 983478#983478: *3 user "fake" was not found in "/var/lib/nginx/htpasswd", client: 192.0.2.3"#)
        #expect(r.record?.timeUs == 1_702_157_720_000_000)
        #expect(r.record?.hostname == "host")
        #expect(r.record?.ident == "nginx")
        #expect(r.record?.pid == 983478)
        #expect(r.record?.message == #"user "fake" was not found in "/var/lib/nginx/htpasswd", client: 192.0.2.3"#)
        let d = textParse(&p, "host nginx[23141]: host nginx: 2025/09/07 21:20:40 [error] 23141#23141: *24470 PAM: user 'username' - not authenticated")
        #expect(d.record?.timeUs == 1_757_280_040_000_000)
        #expect(d.record?.message == "PAM: user 'username' - not authenticated")
        #expect(d.record?.hostname == "host")
    }

    @Test func foreignLinesAreUnrecognizedEvenAfterARecord() {
        var p = NginxErrorParser(context: ParseContext())
        _ = textParse(&p, Self.examples[0])
        let foreign = [
            "[Fri Mar 15 10:12:48.1234 2024] [php:notice] [pid 83429] [client 192.168.1.1:23006] Failed login",
            "Jan 15 10:23:45 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=172.70.242.14",
            "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  [nginx-limit-req] Ban 162.158.87.3",
            "[15-Jan-2024 10:23:44] NOTICE: [pool www] child 2410 started",
            #"172.70.242.14 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" 502 157 "-" "curl""#,
            "<13>Jan 15 10:23:45 web1 app: x",
            #"{"MESSAGE":"x"}"#,
            "AH00015: Unable to open logs",
            "(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80",
        ]
        for line in foreign {
            #expect(textParse(&p, line) == .skip(.unrecognized), "\(line)")
        }
    }

    @Test func skipsAndErrors() {
        var p = NginxErrorParser(context: ParseContext())
        #expect(textParse(&p, "") == .skip(.blank))
        #expect(textParse(&p, "   \t") == .skip(.blank))
        #expect(textParse(&p, #"# failJSON: { "time": "2012-04-09T11:53:29", "match": true }"#) == .skip(.decoration))
        #expect(textParse(&p, "2024/13/15 10:23:45 [error] 1#1: x") == .skip(.badTimestamp))
        #expect(textParse(&p, "2024/02/30 10:23:45 [error] 1#1: x") == .skip(.badTimestamp))
        #expect(textParse(&p, "2024/01/15 25:23:45 [error] 1#1: x") == .skip(.badTimestamp))
        #expect(textParse(&p, "2024/01/15 10:23:45") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [err") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [error]") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] abc: x") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] 12#: x") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [oops] 12#1: x") == .skip(.malformed))
        #expect(textParse(&p, "2024/01/15 10:23:45 [error] 99999999999999999999999#1: x") == .skip(.malformed))
        // Invalid UTF-8 and NUL inside the message: still a record, message bytes kept.
        var bytes = Array("2024/01/15 10:23:45 [error] 5#5: bad ".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x41]
        let r = textParse(&p, bytes: bytes)
        #expect(r.record?.timeUs == 1_705_314_225_000_000)
        #expect(r.record?.message == "bad \u{FFFD}\u{FFFD}\u{0}A")
    }

    @Test func sniffScores() {
        #expect(textSniff(NginxErrorParser.self, Self.examples[0]) == 3)
        #expect(textSniff(NginxErrorParser.self, "host nginx[983478]: 2023/12/09 21:35:20 [error] 983478#983478: *3 x") == 2)
        #expect(textSniff(NginxErrorParser.self, "[Mon Jan 15 10:23:45.123456 2024] [core:notice] [pid 1980] AH00052: x") == 0)
        #expect(textSniff(NginxErrorParser.self, "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  x") == 0)
        #expect(textSniff(NginxErrorParser.self, "Jan 15 10:23:45 web1 nginx[1]: 2024/01/15 10:23:45 [error] 1#1: x") == 0)
        #expect(textSniff(NginxErrorParser.self, "PHP message: x") == 0)
    }

    @Test func neverCrashes() {
        textRobustness(NginxErrorParser.self, lines: Self.examples + [
            "nginx: [emerg] x", "host nginx[1]: 2024/01/15 10:23:45 [error] 1#1: *2 x", "2024/01/15 10:23:45 [error] 1#1: *",
        ])
    }
}

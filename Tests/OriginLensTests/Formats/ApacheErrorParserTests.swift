import Testing
@testable import OriginLens

@Suite struct ApacheErrorParserTests {
    // Reference §5.4.
    static let examples = [
        "[Mon Jan 15 10:23:45.123456 2024] [core:notice] [pid 1980:tid 140352457934592] AH00052: child pid 2207 exit signal Segmentation fault (11)",
        "[Mon Jan 15 10:23:50.000211 2024] [mpm_event:error] [pid 1980:tid 140352457934592] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
        "[Mon Jan 15 10:24:01.554301 2024] [mpm_event:notice] [pid 1980:tid 140352457934592] AH00491: caught SIGTERM, shutting down",
        "[Mon Jan 15 10:24:03.100020 2024] [mpm_prefork:notice] [pid 3120] AH00163: Apache/2.4.57 (Debian) configured -- resuming normal operations",
        "[Mon Jan 15 10:24:03.100101 2024] [core:notice] [pid 3120] AH00094: Command line: '/usr/sbin/apache2'",
        "[Mon Jan 15 10:25:00.004321 2024] [proxy:error] [pid 3125:tid 140352457934592] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost:8080) failed",
        "(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80",
        "no listening sockets available, shutting down",
        "AH00015: Unable to open logs",
        "[Mon Jan 15 10:23:45 2024] [notice] child pid 2207 exit signal Segmentation fault (11)",
    ]

    @Test func referenceExamplesInUTC() {
        var p = ApacheErrorParser(context: ParseContext())
        let noTime = OriginRecord.noTime
        let want: [TextOriginSnap] = [
            .init(timeUs: 1_705_314_225_123_456, severity: 5, pid: 1980, message: "AH00052: child pid 2207 exit signal Segmentation fault (11)", module: "core", implied: .apache),
            .init(timeUs: 1_705_314_230_000_211, severity: 3, pid: 1980, message: "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting", module: "mpm_event", implied: .apache),
            .init(timeUs: 1_705_314_241_554_301, severity: 5, pid: 1980, message: "AH00491: caught SIGTERM, shutting down", module: "mpm_event", implied: .apache),
            .init(timeUs: 1_705_314_243_100_020, severity: 5, pid: 3120, message: "AH00163: Apache/2.4.57 (Debian) configured -- resuming normal operations", module: "mpm_prefork", implied: .apache),
            .init(timeUs: 1_705_314_243_100_101, severity: 5, pid: 3120, message: "AH00094: Command line: '/usr/sbin/apache2'", module: "core", implied: .apache),
            .init(timeUs: 1_705_314_300_004_321, severity: 3, pid: 3125, message: "(111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost:8080) failed", module: "proxy", implied: .apache),
            .init(timeUs: noTime, severity: -1, pid: -1, message: "(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80", implied: .apache),
            .init(timeUs: noTime, severity: -1, pid: -1, message: "no listening sockets available, shutting down", implied: .apache),
            .init(timeUs: noTime, severity: -1, pid: -1, message: "AH00015: Unable to open logs", implied: .apache),
            .init(timeUs: 1_705_314_225_000_000, severity: 5, pid: -1, message: "child pid 2207 exit signal Segmentation fault (11)", implied: .apache),
        ]
        for (line, w) in zip(Self.examples, want) {
            #expect(textParse(&p, line) == .origin(w), "\(line)")
        }
    }

    @Test func zones() {
        var p = ApacheErrorParser(context: ParseContext(zone: .fixed(3600)))
        let r = textParse(&p, Self.examples[0]).record?.timeUs
        #expect(r == 1_705_310_625_123_456)
        var b = ApacheErrorParser(context: ParseContext(zone: .named("Europe/Berlin")))
        let before = textParse(&b, "[Sun Mar 31 01:59:59.999999 2024] [core:notice] [pid 1] a").record?.timeUs
        let after = textParse(&b, "[Sun Mar 31 03:00:00.000001 2024] [core:notice] [pid 1] b").record?.timeUs
        #expect(before == 1_711_846_799_999_999)
        #expect(after == 1_711_846_800_000_001)
    }

    @Test func shortFractionAndClientStaysInMessage() {
        var p = ApacheErrorParser(context: ParseContext())
        let r = textParse(&p, "[Fri Mar 15 10:12:48.1234 2024] [php:notice] [pid 83429] [client 192.168.1.1:23006] Failed login for someone@example.com, referer: http://0.0.0.0:9080/login")
        #expect(r == .origin(.init(timeUs: 1_710_497_568_123_400, severity: 5, pid: 83429,
                                   message: "[client 192.168.1.1:23006] Failed login for someone@example.com, referer: http://0.0.0.0:9080/login",
                                   module: "php", implied: .apache)))
        // 2.2: the client follows the level.
        let old = textParse(&p, "[Mon Jan 15 10:23:45 2024] [error] [client 172.70.242.14] File does not exist: /var/www/favicon.ico")
        #expect(old == .origin(.init(timeUs: 1_705_314_225_000_000, severity: 3, pid: -1,
                                     message: "[client 172.70.242.14] File does not exist: /var/www/favicon.ico", implied: .apache)))
        // Space-padded day, one-digit fraction, trace level.
        let t = textParse(&p, "[Fri Jan  5 10:23:45.5 2024] [ssl:trace3] [pid 7] x")
        #expect(t.record?.timeUs == 1_704_450_225_500_000)
        #expect(t.record?.severity == 7)
    }

    @Test func modSecurityLinesAreNormalRecords() {
        var p = ApacheErrorParser(context: ParseContext())
        let line = #"[Mon Jan 15 10:23:45.123456 2024] [:error] [pid 1980:tid 140352457934592] [client 162.158.87.3:41822] [client 162.158.87.3] ModSecurity: Access denied with code 403 (phase 2). Pattern match "(?:nessus)" at REQUEST_URI. [file "/etc/httpd/modsecurity.d/10_asl_rules.conf"] [line "635"] [id "340069"] [hostname "www.example.com"] [uri "/"] [unique_id "ZaUNyX8AAQEAAAbCFzMAAAAA"]"#
        let r = textParse(&p, line).record
        #expect(r?.module == "")
        #expect(r?.severity == 3)
        #expect(r?.pid == 1980)
        #expect(r?.timeUs == 1_705_314_225_123_456)
        #expect(r?.message.hasPrefix("[client 162.158.87.3:41822] [client 162.158.87.3] ModSecurity: Access denied with code 403 (phase 2).") == true)
        let old = textParse(&p, #"[Mon Jan 15 10:23:45 2024] [error] [client 162.158.87.3] ModSecurity: Access denied with code 403 (phase 2). [id "340069"]"#).record
        #expect(old?.message == #"[client 162.158.87.3] ModSecurity: Access denied with code 403 (phase 2). [id "340069"]"#)
    }

    @Test func startupSequence() {
        var p = ApacheErrorParser(context: ParseContext())
        let lines = [
            "apache2: Configuration error: More than one MPM loaded.",
            "AH00534: apache2: Configuration error: More than one MPM loaded.",
            "AH00526: Syntax error on line 12 of /etc/apache2/sites-enabled/000-default.conf:",
            "Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration",
            "Action 'start' failed.",
            "The Apache error log may have more information.",
            "/usr/sbin/httpd: Could not reliably determine the server's fully qualified domain name",
            "(EAI 2)Name or service not known: AH00547: Could not resolve host name backend -- ignoring!",
        ]
        for line in lines {
            #expect(textParse(&p, line) == .origin(.init(timeUs: OriginRecord.noTime, severity: -1, pid: -1, message: line, implied: .apache)), "\(line)")
        }
        // The reason after `Syntax error on line …:` is a record whatever its text.
        var q = ApacheErrorParser(context: ParseContext())
        #expect(textParse(&q, "Syntax error on line 3 of /etc/httpd/conf.d/site.conf:").record?.timeUs == OriginRecord.noTime)
        #expect(textParse(&q, "Either all Options must start with + or -, or no Option may.").record?.message == "Either all Options must start with + or -, or no Option may.")
    }

    @Test func syslogMessageForm() {
        var p = ApacheErrorParser(context: ParseContext())
        #expect(textParse(&p, "[authz_core:error] [pid 22034] [client 192.0.2.1:58585] AH01630: client denied by server configuration: /home/www/") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: 3, pid: 22034,
                              message: "[client 192.0.2.1:58585] AH01630: client denied by server configuration: /home/www/",
                              module: "authz_core", implied: .apache)))
        #expect(textParse(&p, "[error] [client 127.0.0.1] user wrongusername not found: /basic/file").record?.message == "[client 127.0.0.1] user wrongusername not found: /basic/file")
    }

    @Test func otherLines() {
        var p = ApacheErrorParser(context: ParseContext())
        // Before any record: an unknown text cannot be placed.
        #expect(textParse(&p, "Segmentation fault") == .skip(.unrecognized))
        #expect(textParse(&p, "# failJSON: { \"match\": false }") == .skip(.decoration))
        _ = textParse(&p, Self.examples[0])
        // Raw stderr written into the error log: a record of its own.
        #expect(textParse(&p, "PHP Warning:  PHP Startup: Unable to load dynamic library 'redis.so'") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: -1, pid: -1,
                              message: "PHP Warning:  PHP Startup: Unable to load dynamic library 'redis.so'", implied: .apache)))
        #expect(textParse(&p, "  at line 3") == .skip(.continuation))
        #expect(textParse(&p, "#1 {main}") == .skip(.continuation))
        // Foreign records.
        for line in [
            "2023/09/23 09:58:54 [error] 298#298: *1093 FastCGI sent in stderr: \"PHP message: Failed login\"",
            "Feb 15 16:23:00 srv httpd[22034]: [authz_core:error] [pid 22034] [client 192.0.2.1:58585] AH01630: client denied",
            "[15-Jan-2024 10:23:44] NOTICE: [pool www] child 2410 started",
            "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
        ] {
            #expect(textParse(&p, line) == .skip(.unrecognized), "\(line)")
        }
    }

    @Test func errors() {
        var p = ApacheErrorParser(context: ParseContext())
        #expect(textParse(&p, "") == .skip(.blank))
        #expect(textParse(&p, "[Mon Jan 32 10:23:45 2024] [error] x") == .skip(.badTimestamp))
        #expect(textParse(&p, "[Mon Jan 15 10:2") == .skip(.badTimestamp))
        #expect(textParse(&p, "[Mon Jan 15 10:23:45. 2024] [error] x") == .skip(.badTimestamp))
        #expect(textParse(&p, "[Mon Jan 15 10:23:45 20245] [error] x") == .skip(.badTimestamp))
        #expect(textParse(&p, "[Mon Jan 15 10:23:45 2024]") == .skip(.malformed))
        // Unknown prefix layout: the text after the timestamp is the message.
        #expect(textParse(&p, "[Mon Jan 15 10:23:45 2024] custom layout").record?.message == "custom layout")
        // `[pid` without a closing bracket: left in the message.
        #expect(textParse(&p, "[Mon Jan 15 10:23:45 2024] [core:error] [pid 12").record?.message == "[pid 12")
        var bytes = Array("[Mon Jan 15 10:23:45.000001 2024] [core:error] [pid 1] ".utf8)
        bytes += [0xC3, 0x28, 0x00, 0x7A]
        let r = textParse(&p, bytes: bytes)
        #expect(r.record?.timeUs == 1_705_314_225_000_001)
        #expect(r.record?.message == "\u{FFFD}(\u{0}z")
    }

    @Test func sniffScores() {
        #expect(textSniff(ApacheErrorParser.self, Self.examples[0]) == 3)
        #expect(textSniff(ApacheErrorParser.self, Self.examples[9]) == 3)
        #expect(textSniff(ApacheErrorParser.self, Self.examples[6]) == 2)
        #expect(textSniff(ApacheErrorParser.self, Self.examples[8]) == 2)
        #expect(textSniff(ApacheErrorParser.self, "[authz_core:error] [pid 22034] [client 192.0.2.1:58585] AH01630: x") == 2)
        #expect(textSniff(ApacheErrorParser.self, NginxErrorParserTests.examples[0]) == 0)
        #expect(textSniff(ApacheErrorParser.self, "[15-Jan-2024 10:23:44] NOTICE: [pool www] child 2410 started") == 0)
    }

    @Test func neverCrashes() {
        textRobustness(ApacheErrorParser.self, lines: Self.examples + ["[authz_core:error] [pid 1:tid 2] x", "Syntax error on line 1 of x:"])
    }
}

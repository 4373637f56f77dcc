import Testing
@testable import OriginLens

@Suite struct PhpFpmParserTests {
    // Reference §6.
    static let examples = [
        "[15-Jan-2024 10:23:40] WARNING: [pool www] server reached pm.max_children setting (20), consider raising it",
        "[15-Jan-2024 10:23:44] WARNING: [pool www] child 2291 exited on signal 9 (SIGKILL) after 311.204551 seconds from start",
        "[15-Jan-2024 10:23:44] NOTICE: [pool www] child 2410 started",
        "[15-Jan-2024 10:24:01] NOTICE: Terminating ...",
        "[15-Jan-2024 10:24:01] NOTICE: exiting, bye-bye!",
    ]

    @Test func referenceExamplesInUTC() {
        var p = PhpFpmParser(context: ParseContext())
        let want: [TextOriginSnap] = [
            .init(timeUs: 1_705_314_220_000_000, severity: 4, pid: -1, message: "[pool www] server reached pm.max_children setting (20), consider raising it", implied: .phpFpm),
            .init(timeUs: 1_705_314_224_000_000, severity: 4, pid: -1, message: "[pool www] child 2291 exited on signal 9 (SIGKILL) after 311.204551 seconds from start", implied: .phpFpm),
            .init(timeUs: 1_705_314_224_000_000, severity: 5, pid: -1, message: "[pool www] child 2410 started", implied: .phpFpm),
            .init(timeUs: 1_705_314_241_000_000, severity: 5, pid: -1, message: "Terminating ...", implied: .phpFpm),
            .init(timeUs: 1_705_314_241_000_000, severity: 5, pid: -1, message: "exiting, bye-bye!", implied: .phpFpm),
        ]
        for (line, w) in zip(Self.examples, want) {
            #expect(textParse(&p, line) == .origin(w), "\(line)")
        }
    }

    @Test func levels() {
        var p = PhpFpmParser(context: ParseContext())
        let r1 = textParse(&p, "[15-Jan-2024 10:24:02] ERROR: unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)")
        #expect(r1.record?.severity == 3)
        #expect(r1.record?.message == "unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)")
        #expect(textParse(&p, "[15-Jan-2024 10:24:02] ERROR: FPM initialization failed").record?.severity == 3)
        #expect(textParse(&p, "[15-Jan-2024 10:24:03] ALERT: oops, unknown child (1234) exited on signal 9 (SIGKILL). Please open a bug report (https://bugs.php.net).").record?.severity == 1)
        #expect(textParse(&p, "[15-Jan-2024 10:24:03] DEBUG: x").record?.severity == 7)
    }

    @Test func debugLayout() {
        var p = PhpFpmParser(context: ParseContext())
        #expect(textParse(&p, "[15-Jan-2024 10:23:45.123456] DEBUG: pid 1234, fpm_event_loop(), line 418: event module is epoll") ==
                .origin(.init(timeUs: 1_705_314_225_123_456, severity: 7, pid: 1234, message: "event module is epoll", implied: .phpFpm)))
        #expect(textParse(&p, "[15-Jan-2024 10:23:45.000010] NOTICE: pid 1234, fpm_children_make(), line 421: [pool www] child 2410 started") ==
                .origin(.init(timeUs: 1_705_314_225_000_010, severity: 5, pid: 1234, message: "[pool www] child 2410 started", implied: .phpFpm)))
        // A child's own line in debug mode has no pid.
        #expect(textParse(&p, "WARNING: fpm_stdio_child_said(), line 201: [pool www] child 12 said into stderr: \"x\"") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: 4, pid: -1, message: "[pool www] child 12 said into stderr: \"x\"", implied: .phpFpm)))
    }

    @Test func zones() {
        var p = PhpFpmParser(context: ParseContext(zone: .fixed(3600)))
        let fixed = textParse(&p, Self.examples[0]).record?.timeUs
        #expect(fixed == 1_705_310_620_000_000)
        // Autumn overlap in Berlin: 02:50 CEST, then 02:10 — read as CET because the line before
        // was already at 00:50 UTC.
        var b = PhpFpmParser(context: ParseContext(zone: .named("Europe/Berlin")))
        let first = textParse(&b, "[27-Oct-2024 02:50:00] NOTICE: a").record?.timeUs
        let second = textParse(&b, "[27-Oct-2024 02:10:00] NOTICE: b").record?.timeUs
        #expect(first == 1_729_990_200_000_000)
        #expect(second == 1_729_991_400_000_000)
    }

    @Test func noTimestampForms() {
        var p = PhpFpmParser(context: ParseContext())
        #expect(textParse(&p, "[WARNING] [pool www] server reached pm.max_children setting (5), consider raising it") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: 4, pid: -1, message: "[pool www] server reached pm.max_children setting (5), consider raising it", implied: .phpFpm)))
        #expect(textParse(&p, "[DEBUG] fpm_got_signal(), line 75: received SIGCHLD").record?.message == "received SIGCHLD")
        #expect(textParse(&p, "ERROR: [pool www] child failed to initialize") ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: 3, pid: -1, message: "[pool www] child failed to initialize", implied: .phpFpm)))
        #expect(textParse(&p, #"[pool www] child 1234 said into stderr: "PHP Fatal error: boom""#) ==
                .origin(.init(timeUs: OriginRecord.noTime, severity: -1, pid: -1, message: #"[pool www] child 1234 said into stderr: "PHP Fatal error: boom""#, implied: .phpFpm)))
    }

    @Test func continuationLines() {
        var p = PhpFpmParser(context: ParseContext())
        // Before any record.
        #expect(textParse(&p, "Stack trace:") == .skip(.unrecognized))
        _ = textParse(&p, Self.examples[1])
        for line in ["PHP Fatal error:  Uncaught Exception: boom in /var/www/a.php:3", "Stack trace:", "#0 {main}", "  thrown in /var/www/a.php on line 3"] {
            #expect(textParse(&p, line) == .skip(.continuation), "\(line)")
        }
        for line in [NginxErrorParserTests.examples[0], ApacheErrorParserTests.examples[0], "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  [x] Ban 1.2.3.4",
                     "Jan 15 10:23:45 web1 php-fpm8.2[1]: x"] {
            #expect(textParse(&p, line) == .skip(.unrecognized), "\(line)")
        }
        #expect(textParse(&p, "# comment") == .skip(.decoration))
    }

    @Test func phpErrorLogLines() {
        // The zone named in the line wins over --tz.
        var p = PhpFpmParser(context: ParseContext(zone: .fixed(3600)))
        #expect(textParse(&p, "[15-Jan-2024 10:23:45 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/index.php on line 12") ==
                .origin(.init(timeUs: 1_705_314_225_000_000, severity: 3, pid: -1,
                              message: "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/index.php on line 12",
                              implied: .phpFpm)))
        let berlin = textParse(&p, "[15-Jan-2024 11:23:45 Europe/Berlin] PHP Warning:  Undefined variable $x in /var/www/a.php on line 3").record
        #expect(berlin?.timeUs == 1_705_314_225_000_000)
        #expect(berlin?.severity == 4)
        let summer = textParse(&p, "[15-Jul-2024 10:23:45 Europe/Berlin] PHP Notice:  x").record
        #expect(summer?.timeUs == 1_721_031_825_000_000)
        #expect(summer?.severity == 5)
        // Unknown zone name: --tz (+01:00 here).
        #expect(textParse(&p, "[15-Jan-2024 10:23:45 Mars/Olympus] x").record?.timeUs == 1_705_310_625_000_000)
    }

    @Test func errors() {
        var p = PhpFpmParser(context: ParseContext())
        #expect(textParse(&p, "") == .skip(.blank))
        #expect(textParse(&p, "[32-Jan-2024 10:23:45] NOTICE: x") == .skip(.badTimestamp))
        #expect(textParse(&p, "[15-Jan-2024 10:2") == .skip(.badTimestamp))
        #expect(textParse(&p, "[15-Jan-2024 10:23:45.] NOTICE: x") == .skip(.badTimestamp))
        #expect(textParse(&p, "[15-Jan-2024 10:23:45 NOTICE: x") == .skip(.badTimestamp))
        // Unknown level word: kept as message.
        #expect(textParse(&p, "[15-Jan-2024 10:23:45] FOO: x").record?.message == "FOO: x")
        var bytes = Array("[15-Jan-2024 10:23:45] NOTICE: ".utf8)
        bytes += [0xFF, 0x00]
        #expect(textParse(&p, bytes: bytes).record?.message == "\u{FFFD}\u{0}")
    }

    @Test func sniffScores() {
        #expect(textSniff(PhpFpmParser.self, Self.examples[0]) == 3)
        #expect(textSniff(PhpFpmParser.self, "[15-Jan-2024 10:23:45 UTC] PHP Warning:  x") == 2)
        #expect(textSniff(PhpFpmParser.self, "[WARNING] [pool www] x") == 2)
        #expect(textSniff(PhpFpmParser.self, "NOTICE: x") == 1)
        #expect(textSniff(PhpFpmParser.self, ApacheErrorParserTests.examples[0]) == 0)
        #expect(textSniff(PhpFpmParser.self, NginxErrorParserTests.examples[0]) == 0)
    }

    @Test func neverCrashes() {
        textRobustness(PhpFpmParser.self, lines: Self.examples + [
            "[15-Jan-2024 10:23:45.123456] DEBUG: pid 1234, fpm_event_loop(), line 418: x",
            "[15-Jan-2024 10:23:45 Europe/Berlin] PHP Warning:  x", "[WARNING] x", "ALERT: x",
        ])
    }
}

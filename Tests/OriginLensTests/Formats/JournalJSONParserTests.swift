import Foundation
import Testing
@testable import OriginLens

func parseJSON(_ s: String) -> JournalResult {
    var p = JournalJSONParser(context: ParseContext())
    return UnsafeRawBufferPointer.withBytes(of: s) { summarize(p.parse($0)) }
}

func sniffJSON(_ s: String) -> Int { UnsafeRawBufferPointer.withBytes(of: s) { JournalJSONParser.sniff($0) } }

/// Runs one parser over lines, in order.
func parseJSONLines(_ lines: [String]) -> [JournalResult] {
    var p = JournalJSONParser(context: ParseContext())
    return lines.map { l in UnsafeRawBufferPointer.withBytes(of: l) { summarize(p.parse($0)) } }
}

/// The message field of a one-line parse, with its encoding.
func jsonMessage(_ s: String) -> (ByteField.Encoding, String)? {
    var p = JournalJSONParser(context: ParseContext())
    return UnsafeRawBufferPointer.withBytes(of: s) { buf -> (ByteField.Encoding, String)? in
        guard case .origin(let r) = p.parse(buf) else { return nil }
        return (r.message.encoding, r.message.string())
    }
}

@Suite struct JournalJSONParserTests {
    static let example72 = #"{"__REALTIME_TIMESTAMP":"1705314224987001","_BOOT_ID":"6c7c6013a26343b29e964691ff25d04c","_TRANSPORT":"kernel","PRIORITY":"3","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0","_HOSTNAME":"web1"}"#

    @Test func referenceExample() {
        #expect(parseJSON(Self.example72) == .record(JournalValues(
            timeUs: 1_705_314_224_987_001,
            message: "Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0",
            severity: 3, ident: "kernel", hostname: "web1")))
        #expect(jsonMessage(Self.example72)?.0 == .raw)
    }

    @Test func allUnitFields() {
        let line = #"{"COMMAND":"ExecStart","SYSLOG_IDENTIFIER":"systemd","_SYSTEMD_UNIT":"init.scope","_HOSTNAME":"web1","EXIT_CODE":"killed","__REALTIME_TIMESTAMP":"1705314225123456","_COMM":"systemd","MESSAGE_ID":"98e322203f7a4ed290d09fe03c09fe15","UNIT":"php8.2-fpm.service","PRIORITY":"4","MESSAGE":"php8.2-fpm.service: Main process exited, code=killed, status=9/KILL","_PID":"1","EXIT_STATUS":"9"}"#
        #expect(parseJSON(line) == .record(example71Values))
    }

    @Test func byteArrayMessage() {
        let line = #"{"__REALTIME_TIMESTAMP":"1705314226000000","MESSAGE":[27,91,51,49,109,110,103,105,110,120,27,91,48,109],"_PID":"2400"}"#
        let m = jsonMessage(line)
        #expect(m?.0 == .jsonByteArray)
        #expect(m?.1 == "\u{1B}[31mnginx\u{1B}[0m")
        #expect(parseJSON(line) == .record(JournalValues(timeUs: 1_705_314_226_000_000, message: "\u{1B}[31mnginx\u{1B}[0m", pid: 2400)))
        // Non-UTF-8 bytes decode to U+FFFD, never a crash.
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[255,65,300]}"#)?.1 == "\u{FFFD}A\u{FFFD}")
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[]}"#)?.1 == "")
    }

    @Test func nullField() {
        let line = #"{"PRIORITY":"6","MESSAGE":null,"_HOSTNAME":"web1","_SOURCE_REALTIME_TIMESTAMP":"1705314227999000","USER_UNIT":"app.service","__REALTIME_TIMESTAMP":"1705314228000000"}"#
        #expect(parseJSON(line) == .record(JournalValues(timeUs: 1_705_314_227_999_000, message: "", severity: 6,
            hostname: "web1", unit: "app.service")))
        #expect(parseJSON(#"{"MESSAGE":"m","__REALTIME_TIMESTAMP":null}"#) == .skip(.badTimestamp))
    }

    @Test func arraysOfRepeatedValues() {
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":["first","second"]}"#)?.1 == "first")
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[null,"second"]}"#)?.1 == "second")
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[ "a\"b" , "c" ]}"#)?.1 == "a\"b")
        let nested = #"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[[27,91,49,109,65],"second copy"],"_PID":"7"}"#
        let m = jsonMessage(nested)
        #expect(m?.0 == .jsonByteArray)
        #expect(m?.1 == "\u{1B}[1mA")
        #expect(parseJSON(nested) == .record(JournalValues(timeUs: 1, message: "\u{1B}[1mA", pid: 7)))
        // A repeated field OriginLens does not use, before the ones it does.
        #expect(parseJSON(#"{"TAG":["first",[1,2],null],"__REALTIME_TIMESTAMP":"1705314227000000","MESSAGE":"m"}"#)
            == .record(JournalValues(timeUs: 1_705_314_227_000_000, message: "m")))
        #expect(jsonMessage(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":[null,null]}"#)?.1 == "")
    }

    @Test func escapedStrings() {
        let line = #"{"__REALTIME_TIMESTAMP":"1705314227000000","MESSAGE":"Process 2291 dumped core.\n\nStack \"trace\" \u00e9\\","SYSLOG_IDENTIFIER":"systemd-coredump"}"#
        let m = jsonMessage(line)
        #expect(m?.0 == .jsonString)
        #expect(m?.1 == "Process 2291 dumped core.\n\nStack \"trace\" é\\")
    }

    @Test func spacedLayout() {
        // lnav's sample: `{ "KEY" : "value", … }`.
        let line = #"{ "__CURSOR" : "s=e991;i=372a", "__REALTIME_TIMESTAMP" : "1534860261221373", "PRIORITY" : "1", "_HOSTNAME" : "imx6ul-medusa", "SYSLOG_IDENTIFIER" : "python", "_PID" : "184", "_COMM" : "python", "_SYSTEMD_UNIT" : "medusa-GpsLocator.service", "MESSAGE" : "GPS Reference longitude: 7.358143333" }"#
        #expect(parseJSON(line) == .record(JournalValues(timeUs: 1_534_860_261_221_373, message: "GPS Reference longitude: 7.358143333",
            severity: 1, ident: "python", pid: 184, hostname: "imx6ul-medusa", senderUnit: "medusa-GpsLocator.service")))
        // json-seq framing.
        #expect(parseJSON("\u{1E}" + Self.example72) != .skip(.unrecognized))
    }

    @Test func brokenLines() {
        #expect(parseJSON(String(Self.example72.prefix(120))) == .skip(.malformed))
        #expect(parseJSON(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE""x"}"#) == .skip(.malformed))
        #expect(parseJSON(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":["x"}"#) == .skip(.malformed))
        #expect(parseJSON(#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":"x" "y":"z"}"#) == .skip(.malformed))
        #expect(parseJSON(#"{"MESSAGE":"no time"}"#) == .skip(.badTimestamp))
        #expect(parseJSON(#"{"__REALTIME_TIMESTAMP":"12:00"}"#) == .skip(.badTimestamp))
        #expect(parseJSON("{}") == .skip(.unrecognized))
        #expect(parseJSON("Jan 15 10:23:45 web1 kernel: x") == .skip(.unrecognized))
        #expect(parseJSON("   ") == .skip(.blank))
        #expect(parseJSON("") == .skip(.blank))
        #expect(parseJSON("}") == .skip(.unrecognized))
        // Bytes that are not UTF-8, and NUL, inside a value.
        let raw: [UInt8] = Array(#"{"__REALTIME_TIMESTAMP":"5","MESSAGE":""#.utf8) + [0xFF, 0x00, 0x41] + Array(#""}"#.utf8)
        var p = JournalJSONParser(context: ParseContext())
        let got = raw.withUnsafeBytes { summarize(p.parse($0)) }
        #expect(got == .record(JournalValues(timeUs: 5, message: "\u{FFFD}\u{0}A")))
        // Cut inside an escape or an array never crashes.
        for cut in [#"{"MESSAGE":"a\"#, #"{"MESSAGE":[1,"#, #"{"MESSAGE":[["#, #"{"MESSAGE":"#, #"{"#.appending(" \"")] {
            #expect(parseJSON(cut) == .skip(.malformed))
        }
    }

    @Test func prettyObject() {
        // journalctl 252 -o json-pretty: tab indent, byte array and repeated field one element per line.
        let lines = [
            "{",
            "\t\"MESSAGE\" : [",
            "\t\t[",
            "\t\t\t27,",
            "\t\t\t91,",
            "\t\t\t49,",
            "\t\t\t109,",
            "\t\t\t65",
            "\t\t],",
            "\t\t\"second copy\"",
            "\t],",
            "\t\"TAG\" : [",
            "\t\t\"first\",",
            "\t\t\"second\"",
            "\t],",
            "\t\"__REALTIME_TIMESTAMP\" : \"1705314229000000\",",
            "\t\"_PID\" : \"2600\",",
            "\t\"SYSLOG_IDENTIFIER\" : \"php-fpm8.2\",",
            "\t\"_HOSTNAME\" : null,",
            "\t\"UNIT\" : \"a\\\"b\"",
            "}",
        ]
        let got = parseJSONLines(lines)
        #expect(got.dropLast() == Array(repeating: .skip(.continuation), count: lines.count - 1))
        #expect(got.last == .record(JournalValues(timeUs: 1_705_314_229_000_000, message: "\u{1B}[1mA",
            ident: "php-fpm8.2", pid: 2600, unit: "a\"b")))
    }

    @Test func prettyByteArrayValueAndStringArray() {
        let lines = [
            "{",
            "        \"MESSAGE\" : [",
            "                104,",
            "                105",
            "        ],",
            "        \"UNIT\" : [",
            "                null,",
            "                \"x.service\"",
            "        ],",
            "        \"__REALTIME_TIMESTAMP\" : \"1724080855230058\"",
            "}",
            "{",
            "        \"MESSAGE\" : \"next\",",
            "        \"__REALTIME_TIMESTAMP\" : \"1724080855230059\"",
            "}",
        ]
        let got = parseJSONLines(lines)
        #expect(got[10] == .record(JournalValues(timeUs: 1_724_080_855_230_058, message: "hi", unit: "x.service")))
        #expect(got[14] == .record(JournalValues(timeUs: 1_724_080_855_230_059, message: "next")))
        #expect(got.filter { $0 == .skip(.continuation) }.count == 13)
    }

    @Test func prettyObjectCutShort() {
        let got = parseJSONLines(["{", "\t\"MESSAGE\" : \"lost\",", "{", "\t\"__REALTIME_TIMESTAMP\" : \"1\"", "}", "\tjunk", "}"])
        #expect(got == [.skip(.continuation), .skip(.continuation), .skip(.malformed), .skip(.continuation),
                        .record(JournalValues(timeUs: 1, message: "")), .skip(.unrecognized), .skip(.unrecognized)])
        #expect(parseJSONLines(["{", "\tjunk", "\t\"A\" : \"b\"", "}"]) == [.skip(.continuation), .skip(.malformed),
                                                                             .skip(.continuation), .skip(.badTimestamp)])
    }

    @Test func sniffScores() {
        #expect(sniffJSON(Self.example72) == 3)
        #expect(sniffJSON(#"{"MESSAGE":"Booting","PRIORITY":"6","_PID":"1"}"#) == 3)
        #expect(sniffJSON(#"{ "__CURSOR" : "s=e991", "MESSAGE" : "x" }"#) == 3)
        #expect(sniffJSON(#"{"MESSAGE":"no marker"}"#) == 0)
        // Cloudflare Logpush lines score 0.
        #expect(sniffJSON(#"{"ClientIP":"203.0.113.7","ClientRequestHost":"www.example.com","EdgeStartTimestamp":1705314225123000000,"EdgeResponseStatus":521,"RayID":"84a1b2c3d4e5f607"}"#) == 0)
        #expect(sniffJSON(#"{"EdgeStartTimestamp":"2024-01-15T10:23:45Z","EdgeResponseStatus":521,"MESSAGE":"x","_PID":"1","__CURSOR":"x"}"#) == 0)
        // Pretty lines.
        #expect(sniffJSON("{") == 0)
        #expect(sniffJSON("}") == 0)
        #expect(sniffJSON("\t\"__REALTIME_TIMESTAMP\" : \"1705314229000000\",") == 3)
        #expect(sniffJSON("        \"__CURSOR\" : \"s=e82795fad4ce42b79fb3da0866d91f7e;i=4eb1b1\",") == 3)
        #expect(sniffJSON("        \"_BOOT_ID\" : \"567980bb85ae41da8518f409570b0cb9\",") == 3)
        #expect(sniffJSON("        \"MESSAGE\" : \"Count: 0000000001\",") == 1)
        #expect(sniffJSON("\t\"MESSAGE\" : [") == 1)
        #expect(sniffJSON("  \"EdgeResponseStatus\": 521,") == 0)
        #expect(sniffJSON("__REALTIME_TIMESTAMP=1705314229000000") == 0)
    }

    @Test func cutAndGarbledLinesNeverCrash() throws {
        let text = try String(contentsOf: journalFixture("systemd252.json"), encoding: .utf8)
        let pretty = try String(contentsOf: journalFixture("systemd252.json-pretty"), encoding: .utf8)
        var p = JournalJSONParser(context: ParseContext())
        for line in text.split(separator: "\n").map({ Array($0.utf8) }) {
            for cut in stride(from: 0, to: line.count, by: 7) {
                let outcome = line[..<cut].withUnsafeBytes { summarize(p.parse($0)) }
                #expect(outcome != .edge)
                // A cut line is never taken for a whole record.
                if cut > 0 { #expect(outcome == .skip(.malformed), "cut at \(cut)") }
            }
        }
        // Random bytes, fed line by line to the pretty state machine too.
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789 \nul"#.utf8) + [0x00, 0xFF, 0x09]
        let prettyLines = pretty.split(separator: "\n").map { Array($0.utf8) }
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let junk = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            let line = Bool.random(using: &rng) ? junk : prettyLines.randomElement(using: &rng)! + junk
            _ = line.withUnsafeBytes { p.parse($0) }
        }
    }

    @Test func realJournalctlJSON() throws {
        var expected = systemd252Expected
        // journalctl -o json writes the 4,100-byte MESSAGE as null.
        if case .record(var v) = expected[5] { v.message = ""; expected[5] = .record(v) }
        for name in ["systemd252.json", "systemd252.json-pretty"] {
            let text = try String(contentsOf: journalFixture(name), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let firstLines = lines.filter { !$0.isEmpty }.prefix(30).map { Array($0.utf8) }
            #expect(ParserRegistry.sniff(lines: firstLines).format == .journalJSON, "\(name)")
            let got = parseJSONLines(lines)
            let records = got.filter { if case .record = $0 { return true } else { return false } }
            #expect(records == expected, "\(name)")
            let others = got.filter { if case .record = $0 { return false } else { return true } }
            #expect(others.allSatisfy { $0 == .skip(.continuation) || $0 == .skip(.blank) }, "\(name)")
        }
    }
}

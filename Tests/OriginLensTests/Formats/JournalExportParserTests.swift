import Foundation
import Testing
@testable import OriginLens

/// Values of an origin record, copied out of the entry buffer.
struct JournalValues: Equatable {
    var timeUs: Int64
    var message: String
    var severity: Int
    var ident: String
    var pid: Int
    var hostname: String
    var unit: String
    var senderUnit: String
    var messageID: String
    var exitCode: String
    var exitStatus: String
    var unitResult: String

    init(_ r: OriginRecord) {
        timeUs = r.timeUs; message = r.message.string(); severity = r.severity; ident = r.ident.string()
        pid = r.pid; hostname = r.hostname.string(); unit = r.unit.string(); senderUnit = r.senderUnit.string()
        messageID = r.messageID.string(); exitCode = r.exitCode.string(); exitStatus = r.exitStatus.string()
        unitResult = r.unitResult.string()
    }

    init(timeUs: Int64, message: String, severity: Int = -1, ident: String = "", pid: Int = -1, hostname: String = "",
         unit: String = "", senderUnit: String = "", messageID: String = "", exitCode: String = "",
         exitStatus: String = "", unitResult: String = "") {
        self.timeUs = timeUs; self.message = message; self.severity = severity; self.ident = ident; self.pid = pid
        self.hostname = hostname; self.unit = unit; self.senderUnit = senderUnit; self.messageID = messageID
        self.exitCode = exitCode; self.exitStatus = exitStatus; self.unitResult = unitResult
    }
}

/// What a parse gave: the values of a record, or the skip reason.
enum JournalResult: Equatable {
    case record(JournalValues)
    case skip(SkipReason)
    case edge
}

func summarize(_ o: ParseOutcome) -> JournalResult {
    switch o {
    case .origin(let r): return .record(JournalValues(r))
    case .skip(let s): return .skip(s)
    case .edge: return .edge
    }
}

func parseExport(_ bytes: [UInt8]) -> JournalResult {
    var p = JournalExportParser(context: ParseContext())
    return bytes.withUnsafeBytes { summarize(p.parse($0)) }
}

func sniffExport(_ s: String) -> Int { UnsafeRawBufferPointer.withBytes(of: s) { JournalExportParser.sniff($0) } }

/// The values journalctl shows for the §7.1 example.
let example71Values = JournalValues(
    timeUs: 1_705_314_225_123_456,
    message: "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL",
    severity: 4, ident: "systemd", pid: 1, hostname: "web1", unit: "php8.2-fpm.service",
    senderUnit: "init.scope", messageID: "98e322203f7a4ed290d09fe03c09fe15",
    exitCode: "killed", exitStatus: "9")

@Suite struct JournalExportParserTests {
    @Test func referenceExample() {
        let entry = Array(ExportBytes.example71.dropLast(2))
        #expect(parseExport(entry) == .record(example71Values))
        // With the final LF left on, or the empty line too, the result is the same.
        #expect(parseExport(ExportBytes.example71) == .record(example71Values))
    }

    @Test func binaryMessageWithBlankLines() {
        let e = Array(ExportBytes.coredump.dropLast(2))
        #expect(parseExport(e) == .record(JournalValues(
            timeUs: 1_705_314_227_000_000,
            message: "Process 2291 (php-fpm8.2) of user 33 dumped core.\n\nStack trace of thread 2291:\n#0  0x00007f0000000000 n/a",
            ident: "systemd-coredump", pid: 2501, hostname: "web1")))
        // A binary field at the very end, without its LF (the reader strips it).
        let last = ExportBytes.text("__REALTIME_TIMESTAMP", "5") + ExportBytes.binary("MESSAGE", "a\n\nb").dropLast()
        #expect(parseExport(Array(last)) == .record(JournalValues(timeUs: 5, message: "a\n\nb")))
    }

    @Test func repeatedFieldsTakeTheFirst() {
        var e: [UInt8] = []
        e += ExportBytes.text("MESSAGE", "first")
        e += ExportBytes.text("__REALTIME_TIMESTAMP", "1705314225000000")
        e += ExportBytes.binary("MESSAGE", "second\n")
        e += ExportBytes.text("MESSAGE", "third")
        e += ExportBytes.text("UNIT", "a.service")
        e += ExportBytes.text("UNIT", "b.service")
        e += ExportBytes.text("__REALTIME_TIMESTAMP", "1")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1_705_314_225_000_000, message: "first", unit: "a.service")))
        // The first occurrence is binary.
        let b = ExportBytes.binary("MESSAGE", [0x1B, 0x5B, 0x31, 0x6D, 0x41]) + ExportBytes.text("MESSAGE", "plain")
            + ExportBytes.text("__REALTIME_TIMESTAMP", "7")
        #expect(parseExport(b) == .record(JournalValues(timeUs: 7, message: "\u{1B}[1mA")))
    }

    @Test func unknownFieldsAndJunkLinesAreSkipped() {
        var e: [UInt8] = []
        e += ExportBytes.text("__SEQNUM", "5")
        e += ExportBytes.text("__SOMETHING_NEW", "x")
        e += ExportBytes.binary("COREDUMP_PROC_CGROUP", "1:name=systemd:/\n0::/user.slice\n")
        e += ExportBytes.text("UNIT_FOO", "not a unit")
        e += Array("not a field line\n".utf8)
        e += Array("lower=case name\n".utf8)
        e += ExportBytes.text("__REALTIME_TIMESTAMP", "1478389147837970")
        e += ExportBytes.text("MESSAGE", "kept=with equals")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1_478_389_147_837_970, message: "kept=with equals")))
    }

    @Test func sourceTimestampIsPreferred() {
        let e = ExportBytes.text("__REALTIME_TIMESTAMP", "1478389147837970")
            + ExportBytes.text("_SOURCE_REALTIME_TIMESTAMP", "1478389147837945") + ExportBytes.text("MESSAGE", "m")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1_478_389_147_837_945, message: "m")))
        // An unusable source time falls back on the receive time.
        let bad = ExportBytes.text("_SOURCE_REALTIME_TIMESTAMP", "soon") + ExportBytes.text("__REALTIME_TIMESTAMP", "1478389147837970")
        #expect(parseExport(bad) == .record(JournalValues(timeUs: 1_478_389_147_837_970, message: "")))
    }

    @Test func fallbacksForIdentAndUnit() {
        let e = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.text("_COMM", "gnome-shell")
            + ExportBytes.text("USER_UNIT", "app.service") + ExportBytes.text("_SYSTEMD_UNIT", "user@1000.service")
            + ExportBytes.text("UNIT_RESULT", "resources")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1, message: "", ident: "gnome-shell",
            unit: "app.service", senderUnit: "user@1000.service", unitResult: "resources")))
        // An empty SYSLOG_IDENTIFIER also falls back on _COMM.
        let f = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.text("SYSLOG_IDENTIFIER", "")
            + ExportBytes.text("_COMM", "nginx")
        #expect(parseExport(f) == .record(JournalValues(timeUs: 1, message: "", ident: "nginx")))
    }

    @Test func badNumbers() {
        let e = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.text("PRIORITY", "9")
            + ExportBytes.text("_PID", "12x")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1, message: "")))
        let p = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.text("PRIORITY", "0")
            + ExportBytes.text("_PID", "4294967296")
        #expect(parseExport(p) == .record(JournalValues(timeUs: 1, message: "", severity: 0, pid: 4_294_967_296)))
    }

    @Test func missingOrBrokenTimestamp() {
        #expect(parseExport(ExportBytes.text("MESSAGE", "no time")) == .skip(.badTimestamp))
        #expect(parseExport(ExportBytes.text("__REALTIME_TIMESTAMP", "") + ExportBytes.text("MESSAGE", "x")) == .skip(.badTimestamp))
        #expect(parseExport(ExportBytes.text("__REALTIME_TIMESTAMP", "-5")) == .skip(.badTimestamp))
        #expect(parseExport(ExportBytes.text("__REALTIME_TIMESTAMP", "99999999999999999999")) == .skip(.badTimestamp))
        #expect(parseExport(ExportBytes.text("__REALTIME_TIMESTAMP", "0")) == .skip(.badTimestamp))
        // journal-2 style: one binary MESSAGE and nothing else.
        #expect(parseExport(ExportBytes.binary("MESSAGE", "Traceback\n\n  x")) == .skip(.badTimestamp))
    }

    @Test func brokenEntries() {
        // Binary length running past the entry.
        let cut = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.binary("MESSAGE", Array("abc".utf8), claimedLength: 99)
        #expect(parseExport(cut) == .skip(.malformed))
        // Name line then fewer than 8 length bytes.
        #expect(parseExport(ExportBytes.text("__REALTIME_TIMESTAMP", "1") + Array("MESSAGE\n\u{01}\0".utf8)) == .skip(.malformed))
        // Nothing that is a field.
        #expect(parseExport(Array("hello world\nsecond line".utf8)) == .skip(.unrecognized))
        #expect(parseExport([]) == .skip(.blank))
        #expect(parseExport([0x20, 0x09]) == .skip(.blank))
    }

    @Test func invalidUTF8AndNULBytes() {
        let e = ExportBytes.text("__REALTIME_TIMESTAMP", "1")
            + ExportBytes.binary("MESSAGE", [0xFF, 0x00, 0x41, 0xC3])
            + ExportBytes.text("_HOSTNAME", "h\u{0}st")
        #expect(parseExport(e) == .record(JournalValues(timeUs: 1, message: "\u{FFFD}\u{0}A\u{FFFD}", hostname: "h\u{0}st")))
    }

    @Test func sniffScores() {
        #expect(sniffExport("__CURSOR=s=0b5e1a0cfc5249f499630477ce92c52e;i=1") == 3)
        #expect(sniffExport("__REALTIME_TIMESTAMP=1666569600994371") == 3)
        #expect(sniffExport("__MONOTONIC_TIMESTAMP=5857402") == 3)
        #expect(sniffExport("_BOOT_ID=5ea5fc4f82a14186b5332a788ef9435e") == 3)
        #expect(sniffExport("_TRANSPORT=kernel") == 2)
        #expect(sniffExport("MESSAGE=Booting Linux on physical CPU 0x0000000000 [0x410fd083]") == 2)
        #expect(sniffExport("COREDUMP_RLIMIT=-1") == 1)
        #expect(sniffExport("MESSAGE") == 0)
        #expect(sniffExport("`\0\0\0\0\0\0\01:name=systemd:/") == 0)
        #expect(sniffExport("{\"__REALTIME_TIMESTAMP\":\"1705314224987001\",\"MESSAGE\":\"x\"}") == 0)
        #expect(sniffExport("Jan 15 10:23:45 web1 systemd[1]: a=b") == 0)
        #expect(sniffExport("2024/01/15 10:23:45 [emerg] 1#1: x=y") == 0)
        #expect(sniffExport("    MESSAGE=indented (journalctl -o verbose)") == 0)
        #expect(sniffExport("{\"EdgeResponseStatus\":521,\"ClientRequestHost\":\"a=b\"}") == 0)
    }

    @Test func registryPicksExportFromTheFirstLines() throws {
        let data = try [UInt8](Data(contentsOf: journalFixture("systemd252.export")))
        let lines = data.split(separator: 0x0A).prefix(30).map(Array.init)
        #expect(ParserRegistry.sniff(lines: lines).format == .journalExport)
    }

    @Test func realJournalctlExportValues() throws {
        let data = try [UInt8](Data(contentsOf: journalFixture("systemd252.export")))
        let r = JournalExportReader(source: MemorySource(data))
        var p = JournalExportParser(context: ParseContext())
        var got: [JournalResult] = []
        while let e = try r.next() { got.append(summarize(p.parse(e))) }
        #expect(got == systemd252Expected)
    }
}

/// What the seven entries of the systemd252 fixtures hold (same in export, json and json-pretty).
let systemd252Expected: [JournalResult] = [
    .record(JournalValues(timeUs: 1_705_314_224_987_001,
        message: "Out of memory: Killed process 2291 (php-fpm8.2) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0",
        severity: 3, ident: "kernel", hostname: "web1")),
    .record(example71Values),
    .record(JournalValues(timeUs: 1_705_314_225_130_000, message: "php8.2-fpm.service: Failed with result 'oom-kill'.",
        severity: 4, ident: "systemd", pid: 1, hostname: "web1", unit: "php8.2-fpm.service", senderUnit: "init.scope",
        messageID: "d9b373ed55a64feb8242e02dbe79a49c", unitResult: "oom-kill")),
    .record(JournalValues(timeUs: 1_705_314_226_000_000,
        message: "\u{1B}[31mnginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\u{1B}[0m",
        severity: 3, ident: "nginx", pid: 2400, hostname: "web1", senderUnit: "nginx.service")),
    .record(JournalValues(timeUs: 1_705_314_227_000_000,
        message: "Process 2291 (php-fpm8.2) of user 33 dumped core.\n\nStack trace of thread 2291:\n#0  0x00007f0000000000 n/a (libc.so.6 + 0x8aebc)",
        severity: 2, ident: "systemd-coredump", pid: 2501, hostname: "web1")),
    .record(JournalValues(timeUs: 1_705_314_227_999_000, message: String(repeating: "x", count: 4100),
        severity: 6, ident: "systemd", pid: 1200, hostname: "web1", unit: "app.service")),
    .record(JournalValues(timeUs: 1_705_314_229_000_000,
        message: "\u{1B}[1mWARNING\u{1B}[0m: [pool www] server reached pm.max_children setting (5), consider raising it",
        severity: 5, ident: "php-fpm8.2", pid: 2600, hostname: "web1")),
]

import Foundation
import Testing
@testable import OriginLens

/// Builders for export-format bytes.
enum ExportBytes {
    static func text(_ name: String, _ value: String) -> [UInt8] { Array("\(name)=\(value)\n".utf8) }

    static func binary(_ name: String, _ value: [UInt8], claimedLength: UInt64? = nil, terminator: Bool = true) -> [UInt8] {
        var out = Array("\(name)\n".utf8)
        var len = claimedLength ?? UInt64(value.count)
        for _ in 0..<8 { out.append(UInt8(len & 0xFF)); len >>= 8 }
        out += value
        if terminator { out.append(0x0A) }
        return out
    }

    static func binary(_ name: String, _ value: String) -> [UInt8] { binary(name, Array(value.utf8)) }

    /// The §7.1 example entry (fields in the reference's order), with its terminating empty line.
    static let example71: [UInt8] = {
        var e: [UInt8] = []
        e += text("__CURSOR", "s=5a1c...;i=4f2e1;b=6c7c6013a26343b29e964691ff25d04c;m=4fc72436e;t=60efa1c2f5a40;x=d3e5610681098c10")
        e += text("__REALTIME_TIMESTAMP", "1705314225123456")
        e += text("__MONOTONIC_TIMESTAMP", "21415215982")
        e += text("_BOOT_ID", "6c7c6013a26343b29e964691ff25d04c")
        e += text("_TRANSPORT", "journal")
        e += text("PRIORITY", "4")
        e += text("SYSLOG_IDENTIFIER", "systemd")
        e += text("_PID", "1")
        e += text("_COMM", "systemd")
        e += text("_SYSTEMD_UNIT", "init.scope")
        e += text("UNIT", "php8.2-fpm.service")
        e += text("MESSAGE_ID", "98e322203f7a4ed290d09fe03c09fe15")
        e += text("EXIT_CODE", "killed")
        e += text("EXIT_STATUS", "9")
        e += text("COMMAND", "ExecStart")
        e += text("MESSAGE", "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL")
        e += text("_HOSTNAME", "web1")
        e += [0x0A]
        return e
    }()

    /// A coredump-style entry whose MESSAGE is binary and holds `\n\n` (7 lines in an editor:
    /// 3 text lines, the name line, 3 LFs inside the value, the value's own LF).
    static let coredump: [UInt8] = {
        var e: [UInt8] = []
        e += text("__REALTIME_TIMESTAMP", "1705314227000000")
        e += text("SYSLOG_IDENTIFIER", "systemd-coredump")
        e += text("_PID", "2501")
        e += binary("MESSAGE", "Process 2291 (php-fpm8.2) of user 33 dumped core.\n\nStack trace of thread 2291:\n#0  0x00007f0000000000 n/a")
        e += text("_HOSTNAME", "web1")
        e += [0x0A]
        return e
    }()
}

/// A source that hands out at most `step` bytes per read (exercises every resume point).
final class DribbleSource: ByteSource {
    private let data: [UInt8]
    private let step: Int
    private var offset = 0
    var warnings: [String] { [] }
    var consumedBytes: Int64 { Int64(offset) }
    init(_ data: [UInt8], step: Int) { self.data = data; self.step = step }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(step, buffer.count, data.count - offset)
        if n <= 0 { return 0 }
        for i in 0..<n { buffer[i] = data[offset + i] }
        offset += n
        return n
    }
}

struct ReadEntry: Equatable {
    var line: Int
    var bytes: [UInt8]
}

func readAll(_ reader: JournalExportReader) throws -> [ReadEntry] {
    var out: [ReadEntry] = []
    while let e = try reader.next() { out.append(ReadEntry(line: reader.lineNumber, bytes: Array(e))) }
    return out
}

func readAll(_ data: [UInt8], maxRecordBytes: Int = 1 << 20) throws -> (entries: [ReadEntry], reader: JournalExportReader) {
    let r = JournalExportReader(source: MemorySource(data), maxRecordBytes: maxRecordBytes)
    return (try readAll(r), r)
}

/// The directory of the journal fixtures, next to this file's folder (works on a fresh clone).
func journalFixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/journal/\(name)")
}

@Suite struct JournalExportReaderTests {
    @Test func splitsEntriesAndKeepsBinaryBlankLines() throws {
        let data = ExportBytes.example71 + ExportBytes.coredump
        let (entries, r) = try readAll(data)
        #expect(entries.count == 2)
        #expect(entries[0].line == 1)
        #expect(entries[0].bytes == Array(ExportBytes.example71.dropLast(2)))
        // The first entry is 17 lines + the empty line: the second starts on line 19.
        #expect(entries[1].line == 19)
        #expect(entries[1].bytes == Array(ExportBytes.coredump.dropLast(2)))
        #expect(r.truncatedEntries == 0)
        #expect(r.tooLongRecords == 0)
        #expect(r.warnings.isEmpty)
        #expect(r.bytesRead == Int64(data.count))
        #expect(r.lineNumber == 19)
    }

    @Test func sameResultWhenDataArrivesInTinyPieces() throws {
        let data = [0x0A, 0x0A] + ExportBytes.coredump + ExportBytes.example71 + ExportBytes.coredump
        let whole = try readAll(data).entries
        for step in [1, 2, 3, 7, 9, 64] {
            let r = JournalExportReader(source: DribbleSource(data, step: step), maxRecordBytes: 4096)
            let pieces = try readAll(r)
            #expect(pieces == whole, "step \(step)")
            #expect(r.warnings.isEmpty)
        }
        // Two leading blank lines; the coredump entry spans 9 lines + its empty line.
        #expect(whole.map(\.line) == [3, 13, 31])
    }

    /// An entry of exactly `maxRecordBytes` (without its last `\n`) is kept however the reads
    /// fall, one byte more is too long however they fall; with a text or a binary last field.
    /// (FuzzJournalExport found that a read ending right after the entry's last line dropped
    /// it as too long.)
    @Test func entryExactlyAtTheLimitIsKeptWhateverTheReadSizes() throws {
        let limit = 256
        let head = Array("__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1705314225123456\n".utf8)
        func textEntry(_ size: Int) -> [UInt8] {
            let prefix = Array("MESSAGE=".utf8)
            let fill = size - head.count - prefix.count
            return head + prefix + [UInt8](repeating: UInt8(ascii: "x"), count: fill) + [0x0A, 0x0A]
        }
        func binaryEntry(_ size: Int) -> [UInt8] {
            let name = Array("MESSAGE\n".utf8)
            let value = [UInt8](repeating: 0x0A, count: size - head.count - name.count - 8)
            var len = UInt64(value.count).littleEndian
            var b = head + name
            withUnsafeBytes(of: &len) { b += $0 }
            return b + value + [0x0A, 0x0A]
        }
        let next = Array("__CURSOR=s=1;i=2\nMESSAGE=after\n\n".utf8)
        for make in [textEntry, binaryEntry] {
            for (size, kept) in [(limit - 1, true), (limit, true), (limit + 1, false)] {
                let data = make(size) + next
                for step in [1, 3, 64, 97, size, size + 1, size + 2, 1 << 16] {
                    let r = JournalExportReader(source: DribbleSource(data, step: step), maxRecordBytes: limit)
                    let entries = try readAll(r)
                    #expect(entries.count == (kept ? 2 : 1), "size \(size), step \(step)")
                    if kept { #expect(entries.first?.bytes.count == size) }
                    #expect(r.tooLongRecords == (kept ? 0 : 1), "size \(size), step \(step)")
                }
            }
        }
    }

    @Test func skipsRunsOfBlankLinesBetweenEntries() throws {
        let a = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.text("MESSAGE", "a")
        let b = ExportBytes.text("__REALTIME_TIMESTAMP", "2") + ExportBytes.text("MESSAGE", "b")
        let data = a + [0x0A, 0x0A, 0x0A, 0x0A] + b + [0x0A, 0x0A, 0x0A]
        let (entries, r) = try readAll(data)
        #expect(entries.count == 2)
        #expect(entries.map(\.line) == [1, 7])
        #expect(String(decoding: entries[1].bytes, as: UTF8.self) == "__REALTIME_TIMESTAMP=2\nMESSAGE=b")
        #expect(r.warnings.isEmpty)
    }

    @Test func countsLineFeedsInsideBinaryLengthAndValue() throws {
        // Length 10 is written as 0x0A 00 00 …: an editor sees a line break there too.
        let value: [UInt8] = Array("ab\ncd\n\nefg".utf8)
        #expect(value.count == 10)
        let first = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.binary("MESSAGE", value) + [0x0A]
        let second = ExportBytes.text("__REALTIME_TIMESTAMP", "2") + [0x0A]
        let (entries, _) = try readAll(first + second)
        #expect(entries.count == 2)
        // line 1 timestamp, 2 name, 3 length byte 0x0A, +3 LFs in the value, value's LF, empty line.
        let expected = first.filter { $0 == 0x0A }.count + 1
        #expect(expected == 9)
        #expect(entries[1].line == 9)
    }

    @Test func binaryLengthPastTheEndIsATruncatedEntry() throws {
        let good = ExportBytes.example71
        let cut = ExportBytes.text("__REALTIME_TIMESTAMP", "1705314230000000")
            + ExportBytes.binary("MESSAGE", Array("only twenty bytes...".utf8), claimedLength: 500, terminator: false)
        let (entries, r) = try readAll(good + cut)
        #expect(entries.count == 1)
        #expect(entries[0].bytes == Array(good.dropLast(2)))
        #expect(r.truncatedEntries == 1)
        #expect(r.tooLongRecords == 0)
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].contains("line 19"))
        #expect(r.warnings[0].contains("byte offset \(good.count)"))
        #expect(r.warnings[0].contains("byte offset \(good.count + cut.count)"))
    }

    @Test func lengthBytesCutShortIsATruncatedEntry() throws {
        let data = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + Array("MESSAGE\n\u{05}\0\0".utf8)
        let (entries, r) = try readAll(data)
        #expect(entries.isEmpty)
        #expect(r.truncatedEntries == 1)
        #expect(r.warnings.first?.contains("byte offset 0") == true)
    }

    @Test func lastTextLineWithoutNewlineIsATruncatedEntry() throws {
        let data = ExportBytes.example71 + Array("__REALTIME_TIMESTAMP=17053".utf8)
        let (entries, r) = try readAll(data)
        #expect(entries.count == 1)
        #expect(r.truncatedEntries == 1)
    }

    @Test func completeEntryWithoutEmptyLineAtTheEndIsReturned() throws {
        // Like systemd's journal-2 test data: one binary MESSAGE, then the end of the data.
        let data = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.binary("MESSAGE", "a\n\nb")
        let (entries, r) = try readAll(data)
        #expect(entries.count == 1)
        #expect(entries[0].bytes == Array(data.dropLast()))
        #expect(r.truncatedEntries == 0)
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].contains("without its terminating empty line"))
    }

    @Test func hugeBinaryFieldIsSkippedWhileStreaming() throws {
        let big = [UInt8](repeating: 0x0A, count: 10_000)   // 10,000 LFs inside the value
        let huge = ExportBytes.text("__REALTIME_TIMESTAMP", "1") + ExportBytes.binary("MESSAGE", big) + [0x0A]
        let after = ExportBytes.text("__REALTIME_TIMESTAMP", "2") + ExportBytes.text("MESSAGE", "next") + [0x0A]
        for source in [MemorySource(huge + after) as ByteSource, DribbleSource(huge + after, step: 333)] {
            let r = JournalExportReader(source: source, maxRecordBytes: 256, chunkSize: 512)
            let entries = try readAll(r)
            #expect(entries.count == 1)
            #expect(String(decoding: entries[0].bytes, as: UTF8.self) == "__REALTIME_TIMESTAMP=2\nMESSAGE=next")
            #expect(entries[0].line == 10_005)   // 2 lines + 10,000 LFs in the value + its LF + the empty line
            #expect(r.tooLongRecords == 1)
            #expect(r.tooLongExamples == [1])
            #expect(r.truncatedEntries == 0)
        }
    }

    @Test func absurdClaimedLengthIsDiscardedToTheEnd() throws {
        let data = ExportBytes.example71 + ExportBytes.text("__REALTIME_TIMESTAMP", "1")
            + ExportBytes.binary("MESSAGE", Array("short".utf8), claimedLength: 1 << 62)
            + ExportBytes.example71
        let (entries, r) = try readAll(data, maxRecordBytes: 4096)
        #expect(entries.count == 1)
        #expect(r.tooLongRecords == 1)
        #expect(r.tooLongExamples == [19])
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].contains("too-long"))
        #expect(r.bytesRead == Int64(data.count))
    }

    @Test func manySmallFieldsOverTheLimitAreTooLong() throws {
        var big: [UInt8] = ExportBytes.text("__REALTIME_TIMESTAMP", "1")
        for i in 0..<100 { big += ExportBytes.text("FIELD_\(i)", String(repeating: "v", count: 20)) }
        big += [0x0A]
        let (entries, r) = try readAll(big + ExportBytes.example71, maxRecordBytes: 1000)
        #expect(entries.count == 1)
        #expect(entries[0].line == 103)
        #expect(r.tooLongRecords == 1)
    }

    @Test func longTextLineOverTheLimitIsTooLong() throws {
        let data = ExportBytes.text("MESSAGE", String(repeating: "x", count: 50_000)) + [0x0A] + ExportBytes.example71
        for source in [MemorySource(data) as ByteSource, DribbleSource(data, step: 1000)] {
            let r = JournalExportReader(source: source, maxRecordBytes: 1000, chunkSize: 4096)
            let entries = try readAll(r)
            #expect(entries.map(\.line) == [3])
            #expect(r.tooLongRecords == 1)
        }
    }

    @Test func emptyAndBlankOnlyInput() throws {
        #expect(try readAll([]).entries.isEmpty)
        let (entries, r) = try readAll([0x0A, 0x0A, 0x0A])
        #expect(entries.isEmpty)
        #expect(r.warnings.isEmpty)
    }

    @Test func garbageNeverCrashes() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let n = Int.random(in: 0..<3000, using: &rng)
            var data = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Sprinkle field-name lines so the binary path is taken.
            if n > 20 { data.replaceSubrange(0..<8, with: Array("MESSAGE\n".utf8)) }
            let r = JournalExportReader(source: DribbleSource(data, step: 37), maxRecordBytes: 512, chunkSize: 4096)
            var parser = JournalExportParser(context: ParseContext())
            while let e = try r.next() { _ = parser.parse(e) }
        }
    }

    @Test func readsAfterASniffedPrefix() throws {
        let data = try [UInt8](Data(contentsOf: journalFixture("systemd252.export")))
        let whole = try readAll(data).entries
        // The pipeline sniffs the first bytes, then replays them in front of the rest.
        let lines = data.prefix(4096).split(separator: 0x0A).prefix(30).map(Array.init)
        #expect(ParserRegistry.sniff(lines: lines).format == .journalExport)
        let source = PrefixedSource(prefix: Array(data.prefix(4096)), rest: MemorySource(Array(data.dropFirst(4096))))
        let r = JournalExportReader(source: source, maxRecordBytes: 1 << 20)
        #expect(try readAll(r) == whole)
    }

    @Test func realJournalctlExport() throws {
        let data = try [UInt8](Data(contentsOf: journalFixture("systemd252.export")))
        let (entries, r) = try readAll(data)
        #expect(entries.count == 7)
        #expect(entries.map(\.line) == [1, 11, 29, 45, 59, 78, 91])
        #expect(r.warnings.isEmpty)
        #expect(r.bytesRead == 7508)
    }
}

import Foundation

/// Reads entries of the systemd Journal Export Format (`journalctl -o export`, reference §7.1).
///
/// Unlike the text parsers, `parse` receives one whole **entry** (all its field lines, without
/// the terminating empty line), as split by `JournalExportReader` — never a single line. Fields
/// are `NAME=value` lines, or, for values that are not plain UTF-8 text, a line holding `NAME`
/// alone followed by a 64-bit little-endian length, that many raw bytes and `\n`.
///
/// Field mapping (first occurrence wins when a field repeats; unknown fields are skipped):
/// `_SOURCE_REALTIME_TIMESTAMP` (else `__REALTIME_TIMESTAMP`) -> `timeUs` (UTC µs),
/// `MESSAGE` -> message, `PRIORITY` -> severity, `SYSLOG_IDENTIFIER` (else `_COMM`) -> ident,
/// `_PID` -> pid, `_HOSTNAME` -> hostname, `UNIT` (else `USER_UNIT`) -> unit,
/// `_SYSTEMD_UNIT` -> senderUnit, `MESSAGE_ID`, `EXIT_CODE`, `EXIT_STATUS`, `UNIT_RESULT`.
/// Binary values are returned raw (`ByteField.Encoding.raw`).
public struct JournalExportParser: LineParser {
    public static let format: LogFormat = .journalExport

    /// Scores a text line of an export file: `__CURSOR=`, `__REALTIME_TIMESTAMP=`,
    /// `__MONOTONIC_TIMESTAMP=` and `_BOOT_ID=` lines are unmistakable (3); other fields the
    /// journal itself sets (`_…=`) or that OriginLens reads are typical (2); any other
    /// `NAME=value` line with a valid journal field name could be (1). The raw lines of binary
    /// fields score 0.
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        guard let eq = ByteScan.find(0x3D, in: line), eq > 0 else { return 0 }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<eq])
        guard JournalFields.isValidName(name) else { return 0 }
        if ByteScan.hasPrefix("__CURSOR=", in: line) || ByteScan.hasPrefix("__REALTIME_TIMESTAMP=", in: line)
            || ByteScan.hasPrefix("__MONOTONIC_TIMESTAMP=", in: line) || ByteScan.hasPrefix("_BOOT_ID=", in: line) {
            return 3
        }
        if name[0] == 0x5F || JournalFields.Name.lookup(name) != nil { return 2 }
        return 1
    }

    public init(context: ParseContext) {}

    /// Parses one export entry. Missing or invalid timestamp -> `.badTimestamp`; a binary field
    /// whose length runs past the entry -> `.malformed`; no field at all -> `.unrecognized`;
    /// no `MESSAGE` -> a record with an empty message.
    public mutating func parse(_ entry: UnsafeRawBufferPointer) -> ParseOutcome {
        let n = entry.count
        if n == 0 || ByteScan.isBlank(entry) { return .skip(.blank) }
        var f = JournalFields()
        var i = 0
        while i < n {
            let lineEnd = ByteScan.find(0x0A, in: entry, from: i) ?? n
            let line = UnsafeRawBufferPointer(rebasing: entry[i..<lineEnd])
            if let eq = ByteScan.find(0x3D, in: line) {
                let name = UnsafeRawBufferPointer(rebasing: line[0..<eq])
                if JournalFields.isValidName(name) {
                    f.fieldCount += 1
                    if let id = JournalFields.Name.lookup(name) {
                        f.offer(id, ByteField(base: entry.baseAddress! + i + eq + 1, count: lineEnd - i - eq - 1))
                    }
                }
                i = lineEnd + 1
            } else if JournalFields.isValidName(line) {
                // Binary field: NAME \n <u64 LE length> <bytes> \n
                let lenAt = lineEnd + 1
                guard lenAt + 8 <= n else { return .skip(.malformed) }
                let len = JournalExportParser.readLength(entry, at: lenAt)
                let dataAt = lenAt + 8
                guard len <= UInt64(n - dataAt) else { return .skip(.malformed) }
                let count = Int(len)
                f.fieldCount += 1
                if let id = JournalFields.Name.lookup(line) {
                    f.offer(id, ByteField(base: entry.baseAddress! + dataAt, count: count))
                }
                i = dataAt + count
                if i < n, entry[i] == 0x0A { i += 1 }
            } else {
                // Neither a field nor a binary field name: not part of the format; skip the line.
                i = lineEnd + 1
            }
        }
        if f.fieldCount == 0 { return .skip(.unrecognized) }
        return f.outcome()
    }

    /// The 64-bit little-endian length at `at` (caller checks that 8 bytes are there).
    @inline(__always)
    static func readLength(_ buf: UnsafeRawBufferPointer, at: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(buf[at + k]) << (8 * UInt64(k)) }
        return v
    }
}

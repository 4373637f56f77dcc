import Foundation

/// Splits Journal Export Format data (`journalctl -o export`, reference §7.1) into entries, for
/// `JournalExportParser`.
///
/// Each `next()` returns one entry: its field lines, without the empty line that ends it and
/// without the last field's own `\n`. The split is binary-safe: a line holding a field name
/// without `=` is followed by a 64-bit little-endian length and that many raw bytes (which may
/// contain `\n\n`) and `\n`; those bytes are never taken for an entry boundary. Blank lines
/// between entries are skipped.
///
/// Memory is bounded: an entry longer than `maxRecordBytes` is counted in `tooLongRecords` and
/// skipped as it streams past, never buffered whole (a binary field claiming a huge length is
/// read and discarded, however long it claims to be).
///
/// Damage: when the data ends inside a field (a cut file: a binary length running past the end,
/// or a last line without `\n`), the entries before it are returned, the cut entry is not; it
/// is counted in `truncatedEntries` (the pipeline counts these as `malformed`) and described in
/// `warnings` with its line and byte offset. An entry whose fields are all complete but whose
/// terminating empty line is missing at the end of the data is returned, with a warning.
///
/// Use it in place of `LineReader` for `.journalExport` files:
/// `JournalExportReader(source: source, maxRecordBytes: maxLineBytes)` (wrap the source in a
/// `PrefixedSource` to replay bytes already read for sniffing), and feed each record to
/// `JournalExportParser.parse`; add `truncatedEntries` to the file's `malformed` count and
/// `tooLongRecords` to its `too-long` count, and show `warnings`. The format sniffer works on the
/// file's first plain text lines (as `LineReader.peekLines` returns them):
/// `JournalExportParser.sniff` scores them.
public final class JournalExportReader: RecordReader {
    private let source: ByteSource
    private let maxRecord: Int
    private let buffer: UnsafeMutableRawBufferPointer

    /// Where the reader is inside the entry's syntax. `cur` is the next byte to examine.
    private enum State {
        /// At the start of a line.
        case lineStart
        /// Inside a text line that cannot be a binary field name; looking for its `\n`.
        case restOfLine
        /// After a binary field's name line: the 8 length bytes come next.
        case length
        /// Inside a binary value: this many bytes left.
        case binary(UInt64)
        /// After a binary value: its `\n` comes next.
        case afterBinary
    }

    /// First byte kept in the buffer: the current entry's start while it is kept.
    private var pos = 0
    private var cur = 0
    private var end = 0
    private var eof = false
    private var done = false
    private var state = State.lineStart
    /// Inside an entry (its first line has been seen).
    private var inEntry = false
    /// False while a too-long entry streams past.
    private var keeping = true
    /// LF bytes before `cur` in the whole stream.
    private var lfCount = 0
    private var entryLine = 0
    private var entryOffset: Int64 = 0

    /// 1-based physical line (as a text editor counts them, LFs inside binary values included)
    /// where the last returned entry starts.
    public private(set) var lineNumber = 0
    /// Entries skipped because they were longer than `maxRecordBytes`.
    public private(set) var tooLongRecords = 0
    /// Line numbers of the first few too-long entries.
    public private(set) var tooLongExamples: [Int] = []
    /// Bytes taken from the source so far.
    public private(set) var bytesRead: Int64 = 0
    /// Entries dropped because the data ends inside one of their fields (a cut file).
    public private(set) var truncatedEntries = 0
    /// Damage met while reading, each with its line and byte offset.
    public private(set) var warnings: [String] = []

    /// `maxRecordBytes`: the largest entry kept (default 1 MiB). `chunkSize`: bytes asked of the
    /// source per read.
    public init(source: ByteSource, maxRecordBytes: Int = 1 << 20, chunkSize: Int = 1 << 20) {
        self.source = source
        self.maxRecord = max(64, maxRecordBytes)
        buffer = .allocate(byteCount: self.maxRecord + max(4096, chunkSize) + 1, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Stream offset of buffer index `i`.
    private func offset(_ i: Int) -> Int64 { bytesRead - Int64(end - i) }

    /// Reads more data, first dropping the bytes no longer needed. False at the end.
    private func fill() throws -> Bool {
        if eof { return false }
        let keepFrom = (inEntry && keeping) ? pos : cur
        if keepFrom > 0 {
            let live = end - keepFrom
            if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + keepFrom, byteCount: live) }
            pos = max(0, pos - keepFrom)
            cur -= keepFrom
            end = live
        }
        let room = UnsafeMutableRawBufferPointer(rebasing: buffer[end...])
        if room.isEmpty { return false }
        let n = try source.read(into: room)
        if n == 0 { eof = true; return false }
        end += n
        bytesRead += Int64(n)
        return true
    }

    private func countLF(_ from: Int, _ count: Int) -> Int {
        var k = 0
        var i = from
        let stop = from + count
        let base = UnsafeRawPointer(buffer.baseAddress!)
        while i < stop, let p = memchr(base + i, 0x0A, stop - i) {
            k += 1
            i = UnsafeRawPointer(p) - base + 1
        }
        return k
    }

    private func startDiscard() {
        keeping = false
        tooLongRecords += 1
        if tooLongExamples.count < 5 { tooLongExamples.append(entryLine) }
    }

    /// Ends the current entry; returns it when it is kept and within the limit.
    private func finishEntry(at stop: Int) -> UnsafeRawBufferPointer? {
        inEntry = false
        let wasKeeping = keeping
        keeping = true
        guard wasKeeping else { return nil }
        var e = stop
        if e > pos, buffer[e - 1] == 0x0A { e -= 1 }
        if e - pos > maxRecord { startDiscard(); keeping = true; return nil }
        lineNumber = entryLine
        return UnsafeRawBufferPointer(start: buffer.baseAddress! + pos, count: e - pos)
    }

    /// The data ended. Returns the last entry when all its fields are complete.
    private func finishAtEOF() -> UnsafeRawBufferPointer? {
        done = true
        guard inEntry else { return nil }
        let complete: Bool
        switch state {
        case .lineStart: complete = cur >= end
        case .afterBinary: complete = true
        case .restOfLine, .length, .binary: complete = false
        }
        if complete {
            if keeping {
                warnings.append("journal export entry at line \(entryLine) (byte offset \(entryOffset)) ends at the end of the data without its terminating empty line; read as complete")
            }
            return finishEntry(at: end)
        }
        if keeping {
            truncatedEntries += 1
            warnings.append("journal export entry at line \(entryLine) (byte offset \(entryOffset)) is cut: the data ends inside a field at byte offset \(offset(end)); entry skipped")
        } else {
            warnings.append("too-long journal export entry at line \(entryLine) (byte offset \(entryOffset)) is cut: the data ends inside a field at byte offset \(offset(end))")
        }
        inEntry = false
        return nil
    }

    public func next() throws -> UnsafeRawBufferPointer? {
        if done { return nil }
        while true {
            let base = UnsafeRawPointer(buffer.baseAddress!)
            var needMore = false
            switch state {
            case .lineStart:
                if cur >= end { needMore = true; break }
                if buffer[cur] == 0x0A {
                    // Empty line: ends an entry, or separates entries.
                    cur += 1
                    lfCount += 1
                    if inEntry {
                        let r = finishEntry(at: cur - 1)
                        pos = cur
                        if let r { return r }
                    } else {
                        pos = cur
                    }
                    continue
                }
                if !inEntry {
                    inEntry = true
                    keeping = true
                    pos = cur
                    entryLine = lfCount + 1
                    entryOffset = offset(cur)
                }
                if let p = memchr(base + cur, 0x0A, end - cur) {
                    let lf = UnsafeRawPointer(p) - base
                    let line = UnsafeRawBufferPointer(start: base + cur, count: lf - cur)
                    // A valid field name alone on its line starts a binary field (a name never
                    // holds `=`, so `isValidName` also rules out `NAME=value` lines).
                    if JournalFields.isValidName(line) { state = .length }
                    cur = lf + 1
                    lfCount += 1
                } else {
                    let partial = UnsafeRawBufferPointer(start: base + cur, count: end - cur)
                    if partial.count > 64 || !JournalFields.isValidName(partial) {
                        // A text line (or junk): it cannot be a binary field's name.
                        state = .restOfLine
                        cur = end
                    }
                    needMore = true
                }
            case .restOfLine:
                if cur >= end { needMore = true; break }
                if let p = memchr(base + cur, 0x0A, end - cur) {
                    cur = UnsafeRawPointer(p) - base + 1
                    lfCount += 1
                    state = .lineStart
                } else {
                    cur = end
                    needMore = true
                }
            case .length:
                if end - cur < 8 { needMore = true; break }
                let len = JournalExportParser.readLength(UnsafeRawBufferPointer(start: base, count: end), at: cur)
                lfCount += countLF(cur, 8)
                cur += 8
                if keeping, len >= UInt64(maxRecord) || UInt64(cur - pos) + len > UInt64(maxRecord) {
                    startDiscard()
                }
                state = .binary(len)
            case .binary(let rem):
                if rem == 0 { state = .afterBinary; continue }
                if cur >= end { needMore = true; break }
                let n = Int(min(rem, UInt64(end - cur)))
                lfCount += countLF(cur, n)
                cur += n
                state = .binary(rem - UInt64(n))
            case .afterBinary:
                if cur >= end { needMore = true; break }
                if buffer[cur] == 0x0A { cur += 1; lfCount += 1 }
                state = .lineStart
            }
            if needMore {
                // The entry so far, measured as `finishEntry` would return it: at a line start
                // the last line's `\n` is not part of the entry if it ends here. (Counting it
                // dropped an entry of exactly `maxRecordBytes` when a read happened to end
                // there, but not otherwise: found by FuzzJournalExport.)
                var kept = end - pos
                if case .lineStart = state, cur >= end, kept > 0, buffer[end - 1] == 0x0A { kept -= 1 }
                if inEntry && keeping && kept > maxRecord { startDiscard(); continue }
                if try fill() { continue }
                return finishAtEOF()
            }
        }
    }
}

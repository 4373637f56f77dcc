import Foundation

/// Splits a byte stream into records: lines for every text format, entries for the journal
/// export format. A returned record is valid until the next call.
public protocol RecordReader: AnyObject {
    /// The next record (without its terminator), or nil at the end.
    func next() throws -> UnsafeRawBufferPointer?
    /// 1-based line number where the last returned record starts.
    var lineNumber: Int { get }
    /// Records skipped because they exceeded the size limit (never buffered whole).
    var tooLongRecords: Int { get }
    /// Line numbers of the first few too-long records.
    var tooLongExamples: [Int] { get }
    /// Decompressed bytes delivered so far.
    var bytesRead: Int64 { get }
}

/// Splits a byte stream on LF (a CR before the LF is dropped), with bounded memory: a line
/// longer than `maxLineBytes` is counted and skipped as it streams past, never buffered whole.
public final class LineReader: RecordReader {
    private let source: ByteSource
    private let maxLine: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private var pos = 0, end = 0, scanFrom = 0
    private var eof = false
    private var discarding = false
    public private(set) var lineNumber = 0
    public private(set) var tooLongRecords = 0
    public private(set) var tooLongExamples: [Int] = []
    public private(set) var bytesRead: Int64 = 0

    /// `maxLineBytes`: the longest line kept (default 1 MiB). `chunkSize`: bytes asked of the
    /// source per read.
    public init(source: ByteSource, maxLineBytes: Int = 1 << 20, chunkSize: Int = 1 << 20) {
        self.source = source
        self.maxLine = max(16, maxLineBytes)
        buffer = .allocate(byteCount: self.maxLine + max(4096, chunkSize) + 1, alignment: 64)
    }

    deinit { buffer.deallocate() }

    private func fill() throws -> Bool {
        if eof { return false }
        if pos > 0 {
            let live = end - pos
            if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + pos, byteCount: live) }
            scanFrom -= pos
            end = live
            pos = 0
        }
        let room = UnsafeMutableRawBufferPointer(rebasing: buffer[end...])
        if room.isEmpty { return false }
        let n = try source.read(into: room)
        if n == 0 { eof = true; return false }
        end += n
        bytesRead += Int64(n)
        return true
    }

    private func noteTooLong() {
        tooLongRecords += 1
        if tooLongExamples.count < 5 { tooLongExamples.append(lineNumber) }
    }

    public func next() throws -> UnsafeRawBufferPointer? {
        let base = UnsafeRawPointer(buffer.baseAddress!)
        while true {
            if discarding {
                if pos < end, let nl = memchr(base + pos, 0x0A, end - pos) {
                    pos = UnsafeRawPointer(nl) - base + 1
                    scanFrom = pos
                    discarding = false
                    continue
                }
                pos = 0; end = 0; scanFrom = 0
                if try !fill() { discarding = false; return nil }
                continue
            }
            if scanFrom < end, let nl = memchr(base + scanFrom, 0x0A, end - scanFrom) {
                let i = UnsafeRawPointer(nl) - base
                var stop = i
                if stop > pos, buffer[stop - 1] == 0x0D { stop -= 1 }
                let start = pos
                pos = i + 1
                scanFrom = pos
                lineNumber += 1
                if stop - start > maxLine { noteTooLong(); continue }
                return UnsafeRawBufferPointer(start: base + start, count: stop - start)
            }
            scanFrom = end
            // (A line one byte over the limit that ends in CR may still fit: the CR goes if an
            // LF follows.)
            if end - pos > maxLine, end - pos > maxLine + 1 || buffer[end - 1] != 0x0D {
                // Too long: count it now and drop bytes until the next LF.
                lineNumber += 1
                noteTooLong()
                discarding = true
                pos = end
                continue
            }
            if try !fill() {
                if pos < end {
                    var stop = end
                    if buffer[stop - 1] == 0x0D { stop -= 1 }
                    let start = pos
                    pos = end
                    scanFrom = end
                    lineNumber += 1
                    return UnsafeRawBufferPointer(start: base + start, count: stop - start)
                }
                return nil
            }
        }
    }

    /// The first non-blank lines (at most `maxLines`, from at most `maxBytes` bytes), copied,
    /// without consuming them: `next()` still returns them afterwards. Only valid before the
    /// first `next()`.
    public func peekLines(maxLines: Int = 30, maxBytes: Int = 64 * 1024) throws -> [[UInt8]] {
        let want = min(maxBytes, buffer.count - 1)
        while end - pos < want, try fill() {}
        var out: [[UInt8]] = []
        var i = pos
        let limit = min(end, pos + want)
        while i < limit, out.count < maxLines {
            var j = i
            while j < limit, buffer[j] != 0x0A { j += 1 }
            var stop = j
            if stop > i, buffer[stop - 1] == 0x0D { stop -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: buffer[i..<stop])
            if !ByteScan.isBlank(line) { out.append(Array(line)) }
            i = j + 1
        }
        return out
    }
}

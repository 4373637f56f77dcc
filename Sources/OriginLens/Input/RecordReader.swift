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
    /// The scanning state, behind a pointer: the per-line updates are plain stores, without the
    /// dynamic exclusivity checks that stored class properties get.
    private struct State {
        var pos = 0, end = 0, scanFrom = 0
        var eof = false
        var discarding = false
        var lineNumber = 0
        var tooLongRecords = 0
        var bytesRead: Int64 = 0
    }

    private let source: ByteSource
    private let maxLine: Int
    private let chunk: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private let st: UnsafeMutablePointer<State>
    public private(set) var tooLongExamples: [Int] = []
    public var lineNumber: Int { st.pointee.lineNumber }
    public var tooLongRecords: Int { st.pointee.tooLongRecords }
    public var bytesRead: Int64 { st.pointee.bytesRead }

    /// `maxLineBytes`: the longest line kept (default 1 MiB). `chunkSize`: the most bytes asked
    /// of the source per read (the buffer holds a longest line plus a chunk; only the pages in
    /// use are touched).
    public init(source: ByteSource, maxLineBytes: Int = 1 << 20, chunkSize: Int = 256 << 10) {
        self.source = source
        self.maxLine = max(16, maxLineBytes)
        self.chunk = max(4096, chunkSize)
        buffer = .allocate(byteCount: self.maxLine + self.chunk + 1, alignment: 64)
        st = .allocate(capacity: 1)
        st.initialize(to: State())
    }

    deinit {
        buffer.deallocate()
        st.deinitialize(count: 1)
        st.deallocate()
    }

    private func fill() throws -> Bool {
        if st.pointee.eof { return false }
        let pos = st.pointee.pos
        if pos > 0 {
            let live = st.pointee.end - pos
            if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + pos, byteCount: live) }
            st.pointee.scanFrom -= pos
            st.pointee.end = live
            st.pointee.pos = 0
        }
        let end = st.pointee.end
        let room = UnsafeMutableRawBufferPointer(rebasing: buffer[end..<min(buffer.count, end + chunk)])
        if room.isEmpty { return false }
        let n = try source.read(into: room)
        if n == 0 { st.pointee.eof = true; return false }
        st.pointee.end = end + n
        st.pointee.bytesRead += Int64(n)
        return true
    }

    private func noteTooLong() {
        st.pointee.tooLongRecords += 1
        if tooLongExamples.count < 5 { tooLongExamples.append(st.pointee.lineNumber) }
    }

    public func next() throws -> UnsafeRawBufferPointer? {
        let base = UnsafeRawPointer(buffer.baseAddress!)
        let st = self.st
        while true {
            if st.pointee.discarding {
                let pos = st.pointee.pos, end = st.pointee.end
                if pos < end, let nl = memchr(base + pos, 0x0A, end - pos) {
                    st.pointee.pos = UnsafeRawPointer(nl) - base + 1
                    st.pointee.scanFrom = st.pointee.pos
                    st.pointee.discarding = false
                    continue
                }
                st.pointee.pos = 0; st.pointee.end = 0; st.pointee.scanFrom = 0
                if try !fill() { st.pointee.discarding = false; return nil }
                continue
            }
            let scanFrom = st.pointee.scanFrom, end = st.pointee.end
            if scanFrom < end, let nl = memchr(base + scanFrom, 0x0A, end - scanFrom) {
                let i = UnsafeRawPointer(nl) - base
                let start = st.pointee.pos
                var stop = i
                if stop > start, base.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
                st.pointee.pos = i + 1
                st.pointee.scanFrom = i + 1
                st.pointee.lineNumber += 1
                if stop - start > maxLine { noteTooLong(); continue }
                return UnsafeRawBufferPointer(start: base + start, count: stop - start)
            }
            st.pointee.scanFrom = end
            // (A line one byte over the limit that ends in CR may still fit: the CR goes if an
            // LF follows.)
            if end - st.pointee.pos > maxLine, end - st.pointee.pos > maxLine + 1 || buffer[end - 1] != 0x0D {
                // Too long: count it now and drop bytes until the next LF.
                st.pointee.lineNumber += 1
                noteTooLong()
                st.pointee.discarding = true
                st.pointee.pos = end
                continue
            }
            if try !fill() {
                let pos = st.pointee.pos, end = st.pointee.end
                if pos < end {
                    var stop = end
                    if base.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
                    st.pointee.pos = end
                    st.pointee.scanFrom = end
                    st.pointee.lineNumber += 1
                    return UnsafeRawBufferPointer(start: base + pos, count: stop - pos)
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
        while st.pointee.end - st.pointee.pos < want, try fill() {}
        var out: [[UInt8]] = []
        let pos = st.pointee.pos, end = st.pointee.end
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

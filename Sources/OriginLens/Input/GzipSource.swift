import CZlib

/// Inflates a gzip (or zlib) stream from another source, in constant memory.
///
/// Concatenated members are read through. A truncated or corrupt stream ends the data at the
/// damage: every byte inflated before it is delivered, and a warning names the compressed byte
/// offset. Trailing bytes after the last member that are not another member are reported and
/// ignored.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let strm: UnsafeMutablePointer<z_stream>
    private let inBuf: UnsafeMutableRawBufferPointer
    private var innerEOF = false
    private var finished = false
    private var initialised = false
    /// Compressed bytes handed to zlib so far (consumed + still pending in avail_in).
    private var fedBytes: Int64 = 0
    public private(set) var warnings: [String] = []
    /// Number of gzip members fully read.
    public private(set) var members = 0
    /// True when the stream ended early because of damage.
    public private(set) var damaged = false
    public var consumedBytes: Int64 { fedBytes - Int64(strm.pointee.avail_in) }

    public init(_ inner: ByteSource, inputBufferSize: Int = 256 * 1024) {
        self.inner = inner
        strm = .allocate(capacity: 1)
        strm.initialize(to: z_stream())
        inBuf = .allocate(byteCount: inputBufferSize, alignment: 16)
        let r = inflateInit2_(strm, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        initialised = r == Z_OK
        if !initialised {
            finished = true
            warnings.append("cannot initialise zlib (code \(r))")
        }
    }

    deinit {
        if initialised { inflateEnd(strm) }
        strm.deinitialize(count: 1)
        strm.deallocate()
        inBuf.deallocate()
    }

    /// Refills zlib's input; returns false at the end of the inner source.
    private func refill() throws -> Bool {
        if innerEOF { return false }
        let n = try inner.read(into: inBuf)
        if n == 0 { innerEOF = true; return false }
        strm.pointee.next_in = inBuf.baseAddress!.assumingMemoryBound(to: Bytef.self)
        strm.pointee.avail_in = uInt(n)
        fedBytes += Int64(n)
        return true
    }

    private func stop(_ message: String) {
        warnings.append(message)
        damaged = true
        finished = true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let chunk = min(buffer.count, Int(UInt32.max))
        while true {
            var inputEnded = false
            if strm.pointee.avail_in == 0 {
                if try !refill() {
                    if members > 0 && strm.pointee.total_in == 0 {
                        finished = true   // clean end after a member
                        return 0
                    }
                    inputEnded = true
                }
            }
            strm.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
            strm.pointee.avail_out = uInt(chunk)
            let r = inflate(strm, Z_NO_FLUSH)
            let produced = chunk - Int(strm.pointee.avail_out)
            if inputEnded, r == Z_OK || r == Z_BUF_ERROR {
                // The data ends inside a member. zlib may still hold output decoded from input it
                // has consumed (a back-reference cut short by a full buffer): deliver it first.
                if produced > 0 { return produced }
                stop("truncated gzip stream: data ends inside a member at compressed byte offset \(consumedBytes); the \(strm.pointee.total_out) bytes inflated before it were kept")
                return 0
            }
            switch r {
            case Z_STREAM_END:
                members += 1
                try nextMemberOrEnd()
                if produced > 0 { return produced }
                if finished { return 0 }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR:
                if produced > 0 { return produced }
                // No progress: needs more input (handled at the top of the loop).
                if strm.pointee.avail_in != 0 {
                    stop("corrupt gzip data at compressed byte offset \(consumedBytes): inflate made no progress")
                    return 0
                }
            default:
                let msg = strm.pointee.msg.map { String(cString: $0) } ?? "code \(r)"
                let offset = consumedBytes
                if produced > 0 {
                    // Deliver what was inflated, then stop.
                    stop("corrupt gzip data at compressed byte offset \(offset): \(msg); the bytes before it were kept")
                    return produced
                }
                stop("corrupt gzip data at compressed byte offset \(offset): \(msg); the bytes before it were kept")
                return 0
            }
        }
    }

    /// After a member ends: another member follows (reset and go on), the input ends, or the
    /// rest is garbage (warn and end).
    private func nextMemberOrEnd() throws {
        if strm.pointee.avail_in == 0, try !refill() { finished = true; return }
        // Need two bytes to check the magic.
        let p = strm.pointee.next_in!
        let first = p[0]
        if first == 0x1F {
            if strm.pointee.avail_in < 2 {
                // The second byte may be in the next read: keep the first in a small carry.
                let saved = first
                if try !refill() {
                    stop("trailing garbage after gzip member \(members) at compressed byte offset \(consumedBytes): 1 byte, ignored")
                    return
                }
                if strm.pointee.next_in![0] == 0x8B {
                    // The member's first byte came in the previous read: feed it to zlib alone.
                    inflateReset(strm)
                    var one = saved
                    var sink: UInt8 = 0
                    let pendingIn = strm.pointee.next_in, pendingAvail = strm.pointee.avail_in
                    withUnsafeMutablePointer(to: &one) { op in
                        withUnsafeMutablePointer(to: &sink) { sp in
                            strm.pointee.next_in = op
                            strm.pointee.avail_in = 1
                            strm.pointee.next_out = sp
                            strm.pointee.avail_out = 1
                            _ = inflate(strm, Z_NO_FLUSH)
                        }
                    }
                    strm.pointee.next_in = pendingIn
                    strm.pointee.avail_in = pendingAvail
                    return
                }
                stop("trailing garbage after gzip member \(members) at compressed byte offset \(consumedBytes - 1): ignored")
                return
            }
            if p[1] == 0x8B { inflateReset(strm); return }
        }
        // Not a member: count what is left (zero padding is common after tar/dd).
        var allZero = true
        var rest: Int64 = 0
        let offset = consumedBytes
        repeat {
            let n = Int(strm.pointee.avail_in)
            let q = strm.pointee.next_in!
            for i in 0..<n where q[i] != 0 { allZero = false; break }
            rest += Int64(n)
            strm.pointee.avail_in = 0
        } while try refill()
        let what = allZero ? "zero padding" : "trailing garbage"
        stop("\(what) after gzip member \(members) at compressed byte offset \(offset): \(rest) bytes ignored")
        if allZero { damaged = false }
    }
}

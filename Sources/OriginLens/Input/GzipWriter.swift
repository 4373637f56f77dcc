import CZlib

/// Compresses bytes into one gzip member (used by the benchmark generator and tests).
public enum GzipWriter {
    /// `data` as a complete gzip member at compression `level` (1…9).
    public static func compress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        defer { strm.deinitialize(count: 1); strm.deallocate() }
        guard deflateInit2_(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(strm) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(strm, uLong(data.count))) + 64)
        var input = data
        let produced: Int = input.withUnsafeMutableBytes { inBuf in
            out.withUnsafeMutableBytes { outBuf in
                strm.pointee.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
                strm.pointee.avail_in = uInt(inBuf.count)
                strm.pointee.next_out = outBuf.baseAddress!.assumingMemoryBound(to: Bytef.self)
                strm.pointee.avail_out = uInt(outBuf.count)
                _ = deflate(strm, Z_FINISH)
                return outBuf.count - Int(strm.pointee.avail_out)
            }
        }
        out.removeSubrange(produced...)
        return out
    }

    public static func compress(_ text: String, level: Int32 = 6) -> [UInt8] {
        compress(Array(text.utf8), level: level)
    }
}

import Foundation
import OriginLens

/// A file being written: plain, or gzip as concatenated members of `chunk` bytes of input each
/// (so memory stays bounded for any size). Counts what went in and what came out.
final class Sink {
    let path: String
    let gzip: Bool
    let level: Int32
    private let chunk: Int
    private var file: UnsafeMutablePointer<FILE>?
    var buffer: [UInt8] = []
    private(set) var rawBytes: Int64 = 0
    private(set) var diskBytes: Int64 = 0
    var lines: Int64 = 0

    init(path: String, gzip: Bool, level: Int32 = 6, chunk: Int = 4 << 20) throws {
        self.path = path
        self.gzip = gzip
        self.level = level
        self.chunk = chunk
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        guard let f = fopen(path, "wb") else { throw GenError("cannot write \(path): \(String(cString: strerror(errno)))") }
        file = f
        buffer.reserveCapacity(chunk + (1 << 16))
    }

    /// Appends bytes (one or more complete lines).
    @inline(__always) func write(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= chunk { flushChunk() }
    }

    @inline(__always) func write(_ b: inout Bytes) {
        buffer.append(contentsOf: b.b)
        b.removeAll()
        if buffer.count >= chunk { flushChunk() }
    }

    private func flushChunk() {
        guard !buffer.isEmpty, let f = file else { return }
        rawBytes += Int64(buffer.count)
        if gzip {
            let out = GzipWriter.compress(buffer, level: level)
            out.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
            diskBytes += Int64(out.count)
        } else {
            buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
            diskBytes += Int64(buffer.count)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; sets the modification time when given (seconds since the epoch), as
    /// a real log file would have it (helps year inference for yearless formats).
    func close(mtime: Int64? = nil) {
        flushChunk()
        if let f = file { fclose(f) }
        file = nil
        if let m = mtime {
            var times = [timespec(tv_sec: Int(m), tv_nsec: 0), timespec(tv_sec: Int(m), tv_nsec: 0)]
            _ = utimensat(AT_FDCWD, path, &times, 0)
        }
    }
}

/// Writes a whole small file at once (scenarios).
func writeFile(_ path: String, _ data: [UInt8], gzip: Bool = false, mtime: Int64? = nil) throws -> Int64 {
    let s = try Sink(path: path, gzip: gzip, level: 9, chunk: max(1, data.count + 1))
    s.write(data)
    s.close(mtime: mtime)
    return s.diskBytes
}

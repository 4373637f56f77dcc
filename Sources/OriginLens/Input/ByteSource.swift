import Foundation

/// A stream of bytes: a file, standard input, or inflated gzip data.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 at the end. Damage that ends the stream early
    /// (a truncated gzip) is not thrown: it ends the stream and is reported in `warnings`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Problems met while reading (each with its byte offset).
    var warnings: [String] { get }
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip).
    var consumedBytes: Int64 { get }
}

/// Reads a file descriptor with `read(2)`. Owns and closes the descriptor.
public final class FileSource: ByteSource {
    public let path: String
    private let fd: Int32
    private let ownsFD: Bool
    public private(set) var consumedBytes: Int64 = 0
    public var warnings: [String] { [] }
    /// Told about every read (bytes from disk), when set.
    public let progress: ReadProgress?

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String, progress: ReadProgress? = nil) throws {
        self.path = path
        self.progress = progress
        if path == "-" {
            fd = 0; ownsFD = false
            return
        }
        let f = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if f < 0 { throw InputError.fromErrno(errno, path: path) }
        var st = stat()
        if fstat(f, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR { close(f); throw InputError.isDirectory(path) }
            if type != S_IFREG {
                close(f)
                let kind = type == S_IFIFO ? "a FIFO" : type == S_IFCHR ? "a character device"
                    : type == S_IFBLK ? "a block device" : type == S_IFSOCK ? "a socket" : "a special file"
                throw InputError.notRegularFile(path, kind: kind)
            }
        }
        // Back to blocking mode for plain reads.
        let flags = fcntl(f, F_GETFL)
        _ = fcntl(f, F_SETFL, flags & ~O_NONBLOCK)
        fd = f; ownsFD = true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Foundation.read(fd, base, buffer.count)
            if n >= 0 { consumedBytes += Int64(n); progress?.add(n); return n }
            if errno == EINTR { continue }
            throw InputError.readFailed(path, errno: errno)
        }
    }

    deinit { if ownsFD { close(fd) } }
}

/// A source that first replays bytes already read (the sniffed prefix), then continues with
/// the underlying source.
public final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private let rest: ByteSource
    public var warnings: [String] { rest.warnings }
    public var consumedBytes: Int64 { rest.consumedBytes }

    public init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < prefix.count {
            let n = min(buffer.count, prefix.count - offset)
            prefix.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
            if offset == prefix.count { prefix = [] ; offset = Int.max }
            return n
        }
        return try rest.read(into: buffer)
    }
}

/// An in-memory source, for tests and fuzzing.
public final class MemorySource: ByteSource {
    private let data: [UInt8]
    private var offset = 0
    public var warnings: [String] { [] }
    public var consumedBytes: Int64 { Int64(offset) }

    public init(_ data: [UInt8]) { self.data = data }
    public convenience init(_ text: String) { self.init(Array(text.utf8)) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, data.count - offset)
        if n <= 0 { return 0 }
        data.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

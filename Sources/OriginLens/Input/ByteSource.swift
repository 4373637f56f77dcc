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
///
/// Regular files are read as they are. Pipes are streams, read like standard input (`isStream`):
/// an anonymous pipe (`<(zcat x.gz)`, `/dev/fd/N`) always had a writer and is read until the
/// writer closes it, as `cat` would; a named pipe (FIFO) may have no writer at all, so it is read
/// only once a writer shows up (data or hang-up) within `fifoWaitSeconds`, and refused with
/// `InputError.fifoWithoutWriter` otherwise — a run never hangs on a forgotten FIFO. Devices,
/// sockets and directories are refused.
public final class FileSource: ByteSource {
    /// How long a named pipe is waited for by default (seconds).
    public static let defaultFifoWaitSeconds: Double = 10

    public let path: String
    private let fd: Int32
    private let ownsFD: Bool
    /// True for standard input and pipes: the data cannot be read a second time.
    public let isStream: Bool
    public private(set) var consumedBytes: Int64 = 0
    public var warnings: [String] { [] }
    /// Told about every read (bytes from disk), when set.
    public let progress: ReadProgress?

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String, fifoWaitSeconds: Double = FileSource.defaultFifoWaitSeconds, progress: ReadProgress? = nil) throws {
        self.path = path
        self.progress = progress
        if path == "-" {
            fd = 0; ownsFD = false; isStream = true
            return
        }
        // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        let f = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if f < 0 { throw InputError.fromErrno(errno, path: path) }
        var st = stat()
        var stream = false
        if fstat(f, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR { close(f); throw InputError.isDirectory(path) }
            if type == S_IFIFO {
                stream = true
                // A named FIFO resolves to a path; an anonymous pipe behind /dev/fd/N does not
                // (its link reads `pipe:[inode]`) and always had a writer.
                if let r = realpath(path, nil) {
                    free(r)
                    if !FileSource.waitForWriter(f, seconds: fifoWaitSeconds) {
                        close(f)
                        throw InputError.fifoWithoutWriter(path, seconds: fifoWaitSeconds)
                    }
                }
            } else if type != S_IFREG {
                close(f)
                let kind = type == S_IFCHR ? "a character device"
                    : type == S_IFBLK ? "a block device" : type == S_IFSOCK ? "a socket" : "a special file"
                throw InputError.notRegularFile(path, kind: kind)
            }
        }
        // Back to blocking mode for plain reads.
        let flags = fcntl(f, F_GETFL)
        _ = fcntl(f, F_SETFL, flags & ~O_NONBLOCK)
        fd = f; ownsFD = true; isStream = stream
    }

    /// What happened to the file on disk while it was read (call at the end): renamed or
    /// replaced (log rotation), or truncated under the reader (`copytruncate`); nil when
    /// nothing did, and for streams.
    public func changeWhileRead() -> String? {
        guard ownsFD, !isStream else { return nil }
        var open = stat()
        guard fstat(fd, &open) == 0 else { return nil }
        var now = stat()
        if stat(path, &now) != 0 || now.st_ino != open.st_ino || now.st_dev != open.st_dev {
            return "was renamed or replaced while being read (log rotation): the open file was read to its end; the file now at this path was not read in this run"
        }
        if Int64(open.st_size) < consumedBytes {
            return "shrank while being read (truncated, as logrotate's copytruncate does): the lines read before count; what was written after the truncation was not read"
        }
        return nil
    }

    /// Waits until the FIFO has data or its writer hung up. With no writer ever, Linux reports
    /// neither, so the wait ends at the timeout (false).
    private static func waitForWriter(_ fd: Int32, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let left = deadline.timeIntervalSinceNow
            let ms = Int32(max(0, min(Double(Int32.max), (left * 1000).rounded(.up))))
            let r = poll(&p, 1, ms)
            if r > 0 { return true }
            if r < 0 && errno == EINTR { continue }
            return false
        }
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

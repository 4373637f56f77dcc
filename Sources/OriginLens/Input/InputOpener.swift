/// Opens an input: a file or stdin, inflated when its first bytes are the gzip magic
/// (whatever its name says).
public enum InputOpener {
    public struct Opened {
        /// The byte stream (decompressed when gzip).
        public var source: ByteSource
        /// True when the data is gzip.
        public var gzip: Bool
        /// The gzip layer, for its warnings and member count.
        public var gzipSource: GzipSource?
        /// The raw file layer, for the compressed byte count.
        public var raw: ByteSource
        /// True when the input can be opened again from the start (a regular file, not stdin
        /// or a pipe, nor an injected source).
        public var canReopen: Bool { (raw as? FileSource).map { !$0.isStream } ?? false }
    }

    /// Opens `path` (`-`: standard input); reads are counted in `progress` when given.
    public static func openSource(path: String, fifoWaitSeconds: Double = FileSource.defaultFifoWaitSeconds,
                                  progress: ReadProgress? = nil) throws -> Opened {
        let file = try FileSource(path: path, fifoWaitSeconds: fifoWaitSeconds, progress: progress)
        return try wrap(file)
    }

    /// Sniffs the first bytes of `raw` and wraps it in a gzip layer when needed.
    public static func wrap(_ raw: ByteSource) throws -> Opened {
        // Read at least two bytes (short reads happen on pipes).
        var head = [UInt8](repeating: 0, count: 4096)
        var have = 0
        while have < 2 {
            let n = try head.withUnsafeMutableBytes { try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
            if n == 0 { break }
            have += n
        }
        head.removeSubrange(have...)
        let replay = PrefixedSource(prefix: head, rest: raw)
        if have >= 2, head[0] == 0x1F, head[1] == 0x8B {
            let gz = GzipSource(replay)
            return Opened(source: gz, gzip: true, gzipSource: gz, raw: raw)
        }
        return Opened(source: replay, gzip: false, gzipSource: nil, raw: raw)
    }
}

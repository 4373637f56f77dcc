/// How input files are read. Shared by every command.
public struct ScanOptions: Sendable {
    /// Zone for zoneless local timestamps (`--tz`).
    public var zone: TimeZoneSpec = .utc
    /// `--year`: the year of the first line of yearless logs (RFC 3164 syslog, journalctl short).
    public var year: Int? = nil
    /// `--max-line-bytes`: longer lines are counted as `too-long` and skipped.
    public var maxLineBytes: Int = 1 << 20
    /// `--format GLOB=FORMAT` overrides, first match wins.
    public var formatOverrides: [FormatOverride] = []
    /// How many non-blank lines the sniffer looks at.
    public var sniffLines: Int = 30
    /// When a line of an origin log is not recognised by the file's parser, try the other
    /// origin parsers (files that mix nginx and Apache lines, startup lines in the journal…).
    public var mixedFallback: Bool = true
    /// Inflate gzip files larger than this on a background thread, overlapping with parsing
    /// (nil: never).
    public var readAheadMinBytes: Int64? = 256 * 1024
    /// A named pipe (FIFO) given as an input is read like standard input once a program opens
    /// it for writing; with no writer after this many seconds it is skipped with a message
    /// (instead of waiting forever, as `cat` would). Anonymous pipes (`<(cmd)`) always have a
    /// writer and are read without this wait.
    public var fifoWaitSeconds: Double = FileSource.defaultFifoWaitSeconds
    /// Progress for a person watching (the command line sets it when stderr is a terminal).
    public var progress: ReadProgress? = nil

    public init() {}
}

/// `--format GLOB=FORMAT`: files whose path (or file name) matches GLOB are read as FORMAT.
public struct FormatOverride: Sendable, Equatable {
    public var glob: String
    public var format: LogFormat

    public init(glob: String, format: LogFormat) { self.glob = glob; self.format = format }

    /// Parses `GLOB=FORMAT`; throws a message naming the known formats.
    public init(parsing text: String) throws {
        guard let eq = text.lastIndex(of: "=") else {
            throw OptionError("--format takes GLOB=FORMAT, e.g. 'edge/*.gz=cloudflare-json'")
        }
        let g = String(text[..<eq]), f = String(text[text.index(after: eq)...])
        guard !g.isEmpty, let fmt = LogFormat(name: f), fmt != .unknown else {
            throw OptionError("unknown format '\(f)' in --format (known: \(LogFormat.allCases.filter { $0 != .unknown }.map(\.rawValue).joined(separator: ", ")))")
        }
        glob = g; format = fmt
    }

    /// True when the glob matches the whole path or the file name.
    public func matches(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return Glob.match(glob, path) || Glob.match(glob, name)
    }
}

/// A bad command-line value, with a message for the user.
public struct OptionError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Shell-style glob matching: `*` (any run, `/` included), `?`, `[abc]`, `[a-z]`, `[!x]`.
public enum Glob {
    public static func match(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count {
                let c = p[pi]
                if c == UInt8(ascii: "*") { starP = pi; starT = ti; pi += 1; continue }
                if c == UInt8(ascii: "?") { pi += 1; ti += 1; continue }
                if c == UInt8(ascii: "["), let (ok, next) = matchClass(p, pi, t[ti]) {
                    if ok { pi = next; ti += 1; continue }
                } else if c == t[ti] { pi += 1; ti += 1; continue }
            }
            if starP >= 0 { pi = starP + 1; starT += 1; ti = starT; continue }
            return false
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    private static func matchClass(_ p: [UInt8], _ start: Int, _ c: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count, p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < p.count, p[i] != UInt8(ascii: "]") || first {
            first = false
            if i + 2 < p.count, p[i + 1] == UInt8(ascii: "-"), p[i + 2] != UInt8(ascii: "]") {
                if c >= p[i] && c <= p[i + 2] { matched = true }
                i += 3
            } else {
                if c == p[i] { matched = true }
                i += 1
            }
        }
        guard i < p.count else { return nil }
        return (matched != negate, i + 1)
    }
}

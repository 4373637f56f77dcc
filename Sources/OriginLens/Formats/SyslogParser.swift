/// STUB — to be replaced by the real parser.
public struct SyslogParser: LineParser {
    public static let format: LogFormat = .syslog3164
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int { 0 }
    public init(context: ParseContext) {}
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome { .skip(.unrecognized) }
}

extension SyslogParser {
    /// True when sampled lines show journalctl's own output (decorations such as `-- Boot …`,
    /// `-- Journal begins …`, zero-padded days) rather than a syslog daemon's file.
    public static func looksLikeJournalctl(lines: [[UInt8]]) -> Bool { false }
}

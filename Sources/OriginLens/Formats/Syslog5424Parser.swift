/// STUB — to be replaced by the real parser.
public struct Syslog5424Parser: LineParser {
    public static let format: LogFormat = .syslog5424
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int { 0 }
    public init(context: ParseContext) {}
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome { .skip(.unrecognized) }
}

/// STUB — to be replaced by the real parser.
public struct NginxErrorParser: LineParser {
    public static let format: LogFormat = .nginxError
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int { 0 }
    public init(context: ParseContext) {}
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome { .skip(.unrecognized) }
}

// TEMPORARY stand-in until the rules branch lands (it provides the real CIDRSet).
public enum IPAddress: Sendable, Equatable {
    case none
    public static func parse(_ text: UnsafeRawBufferPointer) -> IPAddress? { nil }
}
public struct CIDRSet: Sendable {
    public static let cloudflare = CIDRSet()
    public func contains(_ a: IPAddress) -> Bool { false }
}

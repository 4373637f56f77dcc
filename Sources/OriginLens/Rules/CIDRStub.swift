// TEMPORARY stand-in until the rules branch lands (it provides the real CIDRSet).
public struct IPAddress: Sendable, Equatable {
    public init?(parsing: UnsafeRawBufferPointer) { return nil }
    public var isLoopback: Bool { false }
}
public struct CIDRSet: Sendable {
    public static let cloudflare = CIDRSet()
    public func contains(_ a: IPAddress) -> Bool { false }
}

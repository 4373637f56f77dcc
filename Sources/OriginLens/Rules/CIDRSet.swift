import Foundation

/// One address range (`162.158.0.0/15`, `2606:4700::/32`). The network address is stored with
/// its host bits cleared.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    /// 0…32 for IPv4, 0…128 for IPv6.
    public let prefixLength: Int

    /// Parses `address/length`; a bare address means a single host (/32 or /128). Host bits set
    /// in the address are cleared (`162.158.1.0/15` = `162.158.0.0/15`). An IPv4-mapped IPv6
    /// range of length ≥ 96 becomes the IPv4 range it covers.
    public static func parse(_ text: UnsafeRawBufferPointer) -> CIDR? {
        var end = text.count
        while end > 0 && (text[end - 1] == 0x20 || text[end - 1] == 0x09 || text[end - 1] == 0x0D) { end -= 1 }
        let t = ByteScan.slice(text, 0, end)
        let slash = ByteScan.find(0x2F, in: t)
        let addrPart = ByteScan.slice(t, 0, slash ?? t.count)
        guard let raw = IPAddress.parseRaw(addrPart, mapV4: false) else { return nil }
        var length: Int
        if let slash {
            let lenPart = ByteScan.slice(t, slash + 1, t.count)
            guard lenPart.count >= 1, lenPart.count <= 3, let l = ByteScan.parseInt(lenPart), l >= 0,
                  lenPart[0] != 0x2D else { return nil }
            length = l
        } else {
            if case .v4 = raw { length = 32 } else { length = 128 }
        }
        switch raw {
        case .v4(let v):
            guard length <= 32 else { return nil }
            return CIDR(network: .v4(v & CIDR.mask4(length)), prefixLength: length)
        case .v6(let hi, let lo):
            guard length <= 128 else { return nil }
            if hi == 0 && (lo >> 32) == 0xFFFF && length >= 96 {
                let l4 = length - 96
                return CIDR(network: .v4(UInt32(truncatingIfNeeded: lo) & CIDR.mask4(l4)), prefixLength: l4)
            }
            let (mh, ml) = CIDR.mask6(length)
            return CIDR(network: .v6(hi & mh, lo & ml), prefixLength: length)
        }
    }

    /// Parses a `String` (cold path).
    public init?(_ text: String) {
        guard let c = UnsafeRawBufferPointer.withBytes(of: text, { CIDR.parse($0) }) else { return nil }
        self = c
    }

    init(network: IPAddress, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    public func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4(let n), .v4(let a)):
            return a & CIDR.mask4(prefixLength) == n
        case (.v6(let nh, let nl), .v6(let ah, let al)):
            let (mh, ml) = CIDR.mask6(prefixLength)
            return ah & mh == nh && al & ml == nl
        default:
            return false
        }
    }

    public var description: String { "\(network)/\(prefixLength)" }

    @inline(__always)
    static func mask4(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : (length >= 32 ? UInt32.max : ~(UInt32.max >> UInt32(length)))
    }

    @inline(__always)
    static func mask6(_ length: Int) -> (UInt64, UInt64) {
        func m(_ l: Int) -> UInt64 { l <= 0 ? 0 : (l >= 64 ? UInt64.max : ~(UInt64.max >> UInt64(l))) }
        return (m(length), m(length - 64))
    }
}

/// Why a CIDR list could not be loaded.
public enum CIDRError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(source: String, line: Int, text: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read address list \(path): \(reason)"
        case .invalid(let source, let line, let text):
            return "\(source):\(line): '\(text)' is not an address range (write one CIDR per line, e.g. 173.245.48.0/20 or 2606:4700::/32; # starts a comment)"
        }
    }
}

/// A set of IPv4 and IPv6 ranges, e.g. the CDN's published edge addresses. Matching takes an
/// address as text bytes (any form `IPAddress.parse` accepts, so `::ffff:162.158.1.2` matches
/// `162.158.0.0/15`).
public struct CIDRSet: Sendable, Hashable {
    struct V4: Hashable, Sendable { var network: UInt32; var mask: UInt32 }
    struct V6: Hashable, Sendable { var hi: UInt64; var lo: UInt64; var maskHi: UInt64; var maskLo: UInt64 }

    private var v4: [V4] = []
    private var v6: [V6] = []
    /// The ranges, in the order given (duplicates removed).
    public private(set) var ranges: [CIDR] = []

    public init(_ ranges: [CIDR] = []) {
        for r in ranges { insert(r) }
    }

    /// Parses CIDR texts; throws on the first invalid one (`source` names it in the error).
    public init(parsing texts: [String], source: String = "address list") throws {
        for (i, t) in texts.enumerated() {
            guard let c = CIDR(t) else { throw CIDRError.invalid(source: source, line: i + 1, text: t) }
            insert(c)
        }
    }

    /// Parses a list file's text: one CIDR (or bare address) per line, `#` starts a comment,
    /// blank lines are ignored.
    public init(listText: String, source: String = "address list") throws {
        var lineNo = 0
        for line in listText.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var l = Substring(line)
            if let hash = l.firstIndex(of: "#") { l = l[..<hash] }
            let t = l.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { continue }
            guard let c = CIDR(t) else { throw CIDRError.invalid(source: source, line: lineNo, text: t) }
            insert(c)
        }
    }

    /// Loads a list file (see `init(listText:)`), e.g. a copy of https://www.cloudflare.com/ips-v4
    /// and ips-v6 concatenated.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw CIDRError.unreadable(path: path, reason: reason)
        }
        try self.init(listText: text, source: path)
    }

    public mutating func insert(_ c: CIDR) {
        guard !ranges.contains(c) else { return }
        ranges.append(c)
        switch c.network {
        case .v4(let n): v4.append(V4(network: n, mask: CIDR.mask4(c.prefixLength)))
        case .v6(let h, let l):
            let (mh, ml) = CIDR.mask6(c.prefixLength)
            v6.append(V6(hi: h, lo: l, maskHi: mh, maskLo: ml))
        }
    }

    /// This set plus the ranges of `other`.
    public func union(_ other: CIDRSet) -> CIDRSet {
        var s = self
        for r in other.ranges { s.insert(r) }
        return s
    }

    public var isEmpty: Bool { ranges.isEmpty }
    public var count: Int { ranges.count }

    public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a):
            for r in v4 where a & r.mask == r.network { return true }
            return false
        case .v6(let h, let l):
            for r in v6 where h & r.maskHi == r.hi && l & r.maskLo == r.lo { return true }
            return false
        }
    }

    /// Nil when the text is not an address; otherwise whether it lies in the set.
    public func contains(text: UnsafeRawBufferPointer) -> Bool? {
        guard let a = IPAddress.parse(text) else { return nil }
        return contains(a)
    }

    /// Nil when the text is not an address; otherwise whether it lies in the set.
    public func contains(_ text: String) -> Bool? {
        UnsafeRawBufferPointer.withBytes(of: text) { contains(text: $0) }
    }

    // MARK: - Cloudflare default list

    /// Date of the Cloudflare list below.
    public static let cloudflareListDate = "2026-02-11"

    /// Cloudflare's published edge ranges (https://www.cloudflare.com/ips-v4 and /ips-v6), as
    /// of **2026-02-11** (mirror "Updated: 2026-02-11 15:35:02", see reference §2): 15 IPv4 and
    /// 7 IPv6 ranges. Cloudflare changes the list rarely (last on 2021-04-08); users can load a
    /// current copy with `CIDRSet(contentsOfFile:)`. The China network (JD Cloud) is not included.
    public static let cloudflareV4: [String] = [
        "173.245.48.0/20",
        "103.21.244.0/22",
        "103.22.200.0/22",
        "103.31.4.0/22",
        "141.101.64.0/18",
        "108.162.192.0/18",
        "190.93.240.0/20",
        "188.114.96.0/20",
        "197.234.240.0/22",
        "198.41.128.0/17",
        "162.158.0.0/15",
        "104.16.0.0/13",
        "104.24.0.0/14",
        "172.64.0.0/13",
        "131.0.72.0/22",
    ]

    /// Cloudflare IPv6 ranges as of 2026-02-11 (see `cloudflareV4`).
    public static let cloudflareV6: [String] = [
        "2400:cb00::/32",
        "2606:4700::/32",
        "2803:f800::/32",
        "2405:b500::/32",
        "2405:8100::/32",
        "2a06:98c0::/29",
        "2c0f:f248::/32",
    ]

    /// The dated default Cloudflare list (2026-02-11): `cloudflareV4` + `cloudflareV6`.
    public static let cloudflare: CIDRSet = {
        // The texts above are constants checked by the test suite; a failure here is a bug.
        // swiftlint:disable:next force_try
        try! CIDRSet(parsing: cloudflareV4 + cloudflareV6, source: "built-in Cloudflare list")
    }()
}

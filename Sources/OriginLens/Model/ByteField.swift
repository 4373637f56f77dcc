import Foundation

/// A borrowed slice of the bytes of the line being parsed.
///
/// Parsers return records whose text fields point into the line buffer: no copy, no `String`,
/// no allocation. A `ByteField` is valid only until the reader moves to the next line; call
/// `string()` to keep it.
public struct ByteField {
    /// How the bytes are written in the log; `string()` and `withDecoded` undo it.
    public enum Encoding: UInt8, Sendable {
        /// Bytes as they are.
        case raw
        /// The inside of a JSON string literal (may hold `\n`, `\"`, `\uXXXX` escapes).
        case jsonString
        /// The inside of a JSON array of byte numbers (`27,91,48,109`): journal JSON's
        /// form for values that are not printable UTF-8.
        case jsonByteArray
        /// `%XX` escapes (CloudFront values).
        case percent
    }

    public var base: UnsafeRawPointer?
    public var count: Int
    public var encoding: Encoding

    @inlinable public init(base: UnsafeRawPointer?, count: Int, encoding: Encoding = .raw) {
        self.base = base
        self.count = count
        self.encoding = encoding
    }

    @inlinable public init(_ buffer: UnsafeRawBufferPointer, encoding: Encoding = .raw) {
        self.base = buffer.baseAddress
        self.count = buffer.count
        self.encoding = encoding
    }

    /// A field that is absent.
    public static var empty: ByteField { ByteField(base: nil, count: 0) }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The raw (still encoded) bytes.
    @inlinable public var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Compares the raw bytes with an ASCII literal.
    @inlinable public func equals(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == count else { return false }
        if count == 0 { return true }
        return memcmp(base!, literal.utf8Start, count) == 0
    }

    /// Parses the raw bytes as a decimal integer (optional leading `-`); nil when not a number.
    @inlinable public var intValue: Int? { ByteScan.parseInt(raw) }

    /// Calls `body` with the decoded bytes: the raw bytes themselves for `.raw`, a decoded copy
    /// otherwise.
    public func withDecoded<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if encoding == .raw { return try body(raw) }
        let bytes = decodedBytes()
        return try bytes.withUnsafeBytes { try body($0) }
    }

    /// The decoded bytes, copied.
    public func decodedBytes() -> [UInt8] {
        switch encoding {
        case .raw: return Array(raw)
        case .jsonString: return ByteScan.unescapeJSON(raw)
        case .jsonByteArray: return ByteScan.decodeByteArray(raw)
        case .percent: return ByteScan.percentDecode(raw)
        }
    }

    /// The decoded text as a `String`; invalid UTF-8 is replaced with U+FFFD, never a crash.
    public func string() -> String {
        if count == 0 { return "" }
        if encoding == .raw { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: decodedBytes(), as: UTF8.self)
    }

    /// Nil when empty, else `string()`.
    public var stringIfPresent: String? { count == 0 ? nil : string() }
}

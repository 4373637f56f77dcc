import Foundation

/// Maps byte strings (colo codes, hosts, paths) to small integer ids without creating a
/// `String` per lookup: hashing and comparing happen on the raw bytes; only a new key is
/// copied. At most `capacity` distinct keys are kept; past that `intern` returns
/// `ByteInterner.overflow` and the caller counts the value under "other".
public struct ByteInterner: Sendable {
    public static let overflow: Int32 = -1
    /// The most bytes of a key that are kept (longer keys are cut; a cut key ends with `…`).
    public static let maxKeyBytes = 512

    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var slots: [Int32]          // -1 empty, else id
    private var hashes: [UInt64] = []
    public let capacity: Int
    /// Lookups that found the table full.
    public private(set) var overflowed = 0

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
        slots = [Int32](repeating: -1, count: 64)
    }

    public var count: Int { hashes.count }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for x in b { h = (h ^ UInt64(x)) &* 0x100000001b3 }
        return h
    }

    /// A direct-mapped cache of short keys (1–16 bytes: colo codes, schemes, IPv4 addresses)
    /// packed into two words, in front of the table: a hit costs a few instructions instead of a
    /// hash over the bytes, a probe and a `memcmp`. Entries: (word 0, word 1, length << 32 | id).
    private var cache = [(UInt64, UInt64, UInt64)](repeating: (0, 0, 0), count: ByteInterner.cacheSize)
    private static let cacheSize = 64

    /// The key packed into two words (zero-padded; with the length, the packing is one-to-one).
    @inline(__always)
    private static func pack(_ b: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = b.count, p = b.baseAddress!
        if n >= 8 {
            return (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        var w: UInt64 = 0
        for i in 0..<n { w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(i)) }
        return (w, 0)
    }

    /// The id of `bytes` (inserted when new), or `overflow` when the table is full.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let n = bytes.count
        guard n >= 1 && n <= 16 else { return internInTable(bytes) }
        let (w0, w1) = ByteInterner.pack(bytes)
        let slot = Int(truncatingIfNeeded: ((w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(n)) &* 0xFF51_AFD7_ED55_8CCD) >> 58)
        let e = cache[slot]
        if e.0 == w0, e.1 == w1, e.2 >> 32 == UInt64(n) { return Int32(truncatingIfNeeded: e.2 & 0xFFFF_FFFF) }
        let id = internInTable(bytes)
        if id >= 0 { cache[slot] = (w0, w1, UInt64(n) << 32 | UInt64(UInt32(bitPattern: id))) }
        return id
    }

    private mutating func internInTable(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let key = bytes.count > ByteInterner.maxKeyBytes ? UnsafeRawBufferPointer(rebasing: bytes[..<ByteInterner.maxKeyBytes]) : bytes
        let h = ByteInterner.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h {
                let a = offsets[Int(id)], b = offsets[Int(id) + 1]
                if b - a == key.count {
                    let same = arena.withUnsafeBytes { ar in
                        key.count == 0 || memcmp(ar.baseAddress! + a, key.baseAddress!, key.count) == 0
                    }
                    if same { return id }
                }
            }
            i = (i + 1) & mask
        }
        if hashes.count >= capacity { overflowed += 1; return ByteInterner.overflow }
        let id = Int32(hashes.count)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        hashes.append(h)
        slots[i] = id
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// Adds lookups that overflowed elsewhere (another partial's table, when merging).
    public mutating func noteOverflow(_ n: Int) { overflowed += n }

    /// Interns a `String` (cold paths: merging partials).
    public mutating func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Interns a field's decoded text.
    public mutating func intern(_ f: ByteField) -> Int32 {
        f.encoding == .raw ? intern(f.raw) : f.withDecoded { intern($0) }
    }

    private mutating func grow() {
        var newSlots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = newSlots.count - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while newSlots[i] >= 0 { i = (i + 1) & mask }
            newSlots[i] = Int32(id)
        }
        slots = newSlots
    }

    /// The key of an id, as text (invalid UTF-8 repaired).
    public func string(_ id: Int32) -> String {
        guard id >= 0, Int(id) < hashes.count else { return "other" }
        let a = offsets[Int(id)], b = offsets[Int(id) + 1]
        return String(decoding: arena[a..<b], as: UTF8.self)
    }
}

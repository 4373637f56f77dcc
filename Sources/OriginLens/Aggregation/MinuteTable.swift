/// The plain counts of one minute: what the incident detector and the weekly roll-up read for
/// every minute. Stored densely, sixty to an hour page.
public struct MinuteCounts: Sendable, Equatable {
    public var total: UInt32 = 0
    public var e521: UInt32 = 0
    public var other52x: UInt32 = 0
    public var other5xx: UInt32 = 0
    public var originAnswered: UInt32 = 0
    public var accessTotal: UInt32 = 0
    public var accessFromCDN: UInt32 = 0
    public var accessFromLoopback: UInt32 = 0
    public var access5xx: UInt32 = 0
    /// First and last 521 as microseconds into the minute; `UInt32.max` when none.
    var first521: UInt32 = .max
    var last521: UInt32 = .max
    /// Request IDs (Ray IDs) of the first and last 521.
    var first521ID = ShortID()
    var last521ID = ShortID()
}

/// Per-minute traffic details in little memory: the counts of each minute live in dense hour
/// pages, and the breakdowns (colos, schemes, origin IPs, hosts, paths) of each minute are
/// packed into one small byte array of variable-length integers (about 100 bytes for a busy
/// minute, against about 1 KB as a dictionary entry holding five arrays; a minute with 521s
/// for 64 hosts and 64 paths, the most a minute names, takes about 700 bytes). A minute is decoded
/// back into a `MinuteDetail` when read, with its breakdown entries in the same order.
///
/// Memory grows with the time span covered, about 300 KB a day of data (up to about 1 MB a day
/// when every minute has 521s for many hosts and paths), never with the number of requests in
/// it.
public struct MinuteTable: Sendable, Sequence {
    struct Page: Sendable {
        var present: UInt64 = 0
        var counts = [MinuteCounts](repeating: MinuteCounts(), count: 60)
        var blobs = [[UInt8]](repeating: [], count: 60)
    }

    private var pages: [Int64: Page] = [:]
    /// Number of minutes held.
    public private(set) var count = 0

    public init() {}

    @inline(__always)
    static func split(_ m: Int64) -> (hour: Int64, slot: Int) {
        let h = m >= 0 ? m / 60 : (m - 59) / 60
        return (h, Int(m - h * 60))
    }

    /// The minute's counts alone (no decoding), nil when the minute holds no record.
    public func counts(_ m: Int64) -> MinuteCounts? {
        let (h, i) = MinuteTable.split(m)
        guard let p = pages[h], p.present & (1 << UInt64(i)) != 0 else { return nil }
        return p.counts[i]
    }

    /// The whole minute, decoded; nil when the minute holds no record.
    public subscript(m: Int64) -> MinuteDetail? {
        let (h, i) = MinuteTable.split(m)
        guard let p = pages[h], p.present & (1 << UInt64(i)) != 0 else { return nil }
        return MinuteTable.decode(p.counts[i], p.blobs[i], minute: m)
    }

    /// Stores (or replaces) a minute.
    public mutating func store(_ m: Int64, _ d: MinuteDetail) {
        let (h, i) = MinuteTable.split(m)
        let (c, blob) = MinuteTable.encode(d, minute: m)
        let bit: UInt64 = 1 << UInt64(i)
        if pages[h] == nil { pages[h] = Page() }
        pages[h]!.counts[i] = c
        pages[h]!.blobs[i] = blob
        if pages[h]!.present & bit == 0 {
            pages[h]!.present |= bit
            count += 1
        }
    }

    /// The minutes held, in ascending order.
    public var keys: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(count)
        for h in pages.keys.sorted() {
            let p = pages[h]!
            var bits = p.present
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                out.append(h * 60 + Int64(i))
                bits &= bits - 1
            }
        }
        return out
    }

    public struct Iterator: IteratorProtocol {
        let table: MinuteTable
        let keys: [Int64]
        var i = 0
        public mutating func next() -> (key: Int64, value: MinuteDetail)? {
            guard i < keys.count else { return nil }
            let k = keys[i]
            i += 1
            return (k, table[k]!)
        }
    }

    /// Minutes in ascending order, decoded.
    public func makeIterator() -> Iterator { Iterator(table: self, keys: keys) }

    // MARK: - Encoding

    static func encode(_ d: MinuteDetail, minute m: Int64) -> (MinuteCounts, [UInt8]) {
        var c = MinuteCounts(total: d.total, e521: d.e521, other52x: d.other52x, other5xx: d.other5xx,
                             originAnswered: d.originAnswered, accessTotal: d.accessTotal, accessFromCDN: d.accessFromCDN,
                             accessFromLoopback: d.accessFromLoopback, access5xx: d.access5xx)
        let base = m &* 60_000_000
        if d.first521Us != Int64.max { c.first521 = UInt32(truncatingIfNeeded: d.first521Us &- base) }
        if d.last521Us != Int64.min { c.last521 = UInt32(truncatingIfNeeded: d.last521Us &- base) }
        c.first521ID = d.first521ID
        c.last521ID = d.last521ID
        let counters = [d.colos, d.schemes, d.originIPs, d.hosts, d.paths]
        if counters.allSatisfy({ $0.entries.isEmpty && $0.otherA == 0 && $0.otherB == 0 }) { return (c, []) }
        var b: [UInt8] = []
        b.reserveCapacity(counters.reduce(2) { $0 + 4 + $1.entries.count * 5 })
        for s in counters {
            varint(UInt32(s.entries.count), &b)
            for e in s.entries {
                varint(UInt32(bitPattern: e.id), &b)
                varint(e.a, &b)
                varint(e.b, &b)
            }
            varint(s.otherA, &b)
            varint(s.otherB, &b)
        }
        return (c, b)
    }

    static func decode(_ c: MinuteCounts, _ blob: [UInt8], minute m: Int64) -> MinuteDetail {
        var d = MinuteDetail()
        d.total = c.total; d.e521 = c.e521; d.other52x = c.other52x; d.other5xx = c.other5xx
        d.originAnswered = c.originAnswered
        d.accessTotal = c.accessTotal; d.accessFromCDN = c.accessFromCDN
        d.accessFromLoopback = c.accessFromLoopback; d.access5xx = c.access5xx
        let base = m &* 60_000_000
        if c.first521 != .max { d.first521Us = base &+ Int64(c.first521) }
        if c.last521 != .max { d.last521Us = base &+ Int64(c.last521) }
        d.first521ID = c.first521ID
        d.last521ID = c.last521ID
        guard !blob.isEmpty else { return d }
        var at = 0
        func counter(limit: Int) -> SmallCounter {
            let n = Int(read(blob, &at))
            var entries: [SmallCounter.Entry] = []
            entries.reserveCapacity(n)
            for _ in 0..<n {
                let id = Int32(bitPattern: read(blob, &at))
                let a = read(blob, &at), b = read(blob, &at)
                entries.append(SmallCounter.Entry(id: id, a: a, b: b))
            }
            let oa = read(blob, &at), ob = read(blob, &at)
            return SmallCounter(limit: limit, entries: entries, otherA: oa, otherB: ob)
        }
        d.colos = counter(limit: d.colos.limit)
        d.schemes = counter(limit: d.schemes.limit)
        d.originIPs = counter(limit: d.originIPs.limit)
        d.hosts = counter(limit: d.hosts.limit)
        d.paths = counter(limit: d.paths.limit)
        return d
    }

    @inline(__always)
    static func varint(_ v: UInt32, _ b: inout [UInt8]) {
        var x = v
        while x >= 0x80 {
            b.append(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        b.append(UInt8(x))
    }

    @inline(__always)
    static func read(_ b: [UInt8], _ at: inout Int) -> UInt32 {
        var v: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let x = b[at]
            at += 1
            v |= UInt32(x & 0x7F) << shift
            if x < 0x80 { return v }
            shift += 7
        }
    }
}

/// A bounded counter of (key id → two counts) for one minute and one dimension (colo,
/// scheme, origin IP, host, path). Linear search over a short array: the dimensions are small
/// per minute; past `limit` keys the counts go to the `other` bucket.
public struct SmallCounter: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var id: Int32
        /// First count (521s).
        public var a: UInt32
        /// Second count (requests the origin answered, or all requests: per dimension).
        public var b: UInt32
    }

    public private(set) var entries: [Entry] = []
    public private(set) var otherA: UInt32 = 0
    public private(set) var otherB: UInt32 = 0
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    /// A counter restored from its parts (`MinuteTable` decoding).
    init(limit: Int, entries: [Entry], otherA: UInt32, otherB: UInt32) {
        self.limit = limit
        self.entries = entries
        self.otherA = otherA
        self.otherB = otherB
    }

    @inline(__always)
    public mutating func add(_ id: Int32, a: UInt32, b: UInt32) {
        if id < 0 { otherA &+= a; otherB &+= b; return }
        for i in entries.indices where entries[i].id == id {
            entries[i].a &+= a
            entries[i].b &+= b
            return
        }
        if entries.count < limit {
            entries.append(Entry(id: id, a: a, b: b))
        } else {
            otherA &+= a; otherB &+= b
        }
    }

    /// Adds another counter whose ids are translated by `map`.
    public mutating func merge(_ o: SmallCounter, map: (Int32) -> Int32) {
        for e in o.entries { add(map(e.id), a: e.a, b: e.b) }
        otherA &+= o.otherA
        otherB &+= o.otherB
    }
}

/// What one minute of traffic looked like, with bounded breakdowns.
public struct MinuteDetail: Sendable, Equatable {
    public var total: UInt32 = 0
    public var e521: UInt32 = 0
    public var other52x: UInt32 = 0
    public var other5xx: UInt32 = 0
    /// Edge requests the origin answered (OriginResponseStatus > 0).
    public var originAnswered: UInt32 = 0
    /// First and last 521 in the minute, UTC microseconds.
    public var first521Us: Int64 = Int64.max
    public var last521Us: Int64 = Int64.min
    /// Request IDs (Cloudflare Ray ID) of the first and last 521, for evidence links.
    public var first521ID = ShortID()
    public var last521ID = ShortID()
    /// Per colo: a = 521s, b = origin-answered requests.
    public var colos = SmallCounter(limit: 64)
    /// Per scheme: a = 521s, b = origin-answered requests.
    public var schemes = SmallCounter(limit: 4)
    /// Per origin IP: a = 521s, b = all requests that name an origin IP.
    public var originIPs = SmallCounter(limit: 8)
    /// Per host: a = 521s.
    public var hosts = SmallCounter(limit: 64)
    /// Per path: a = 521s.
    public var paths = SmallCounter(limit: 64)
    /// The origin's own access log: requests logged, and those from CDN addresses.
    public var accessTotal: UInt32 = 0
    public var accessFromCDN: UInt32 = 0
    /// Requests in the access log from loopback addresses (health checks).
    public var accessFromLoopback: UInt32 = 0
    /// Statuses ≥ 500 in the origin's access log.
    public var access5xx: UInt32 = 0
}

/// Edge and access traffic counted per minute. Records are never stored. Per-file partials
/// merge associatively (`merge`), so files can be read in parallel.
///
/// Memory grows with the time covered (`MinuteTable`: about 300 KB a day of data, 2 MB a week),
/// never with the number of lines.
public struct TrafficAggregate: Sendable {
    public private(set) var minutes = MinuteTable()
    public private(set) var colos = ByteInterner(capacity: 2_000)
    public private(set) var schemes = ByteInterner(capacity: 16)
    public private(set) var ips = ByteInterner(capacity: 1_000)
    public private(set) var hosts = ByteInterner(capacity: 50_000)
    public private(set) var paths = ByteInterner(capacity: 50_000)
    /// Edge records counted (after sampling scale-up: `requests`).
    public private(set) var edgeRecords = 0
    public private(set) var requests: Int64 = 0
    public private(set) var errors521: Int64 = 0
    public private(set) var accessRecords = 0
    public private(set) var firstUs: Int64? = nil
    public private(set) var lastUs: Int64? = nil

    private var curMinute: Int64 = Int64.min
    private var curDetail = MinuteDetail()
    private let cdn: CIDRSet

    public init(cdnRanges: CIDRSet = .cloudflare) { cdn = cdnRanges }

    @inline(__always)
    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    private mutating func switchMinute(_ m: Int64) {
        if curMinute != Int64.min { minutes.store(curMinute, curDetail) }
        curMinute = m
        curDetail = minutes[m] ?? MinuteDetail()
    }

    /// Flushes the minute being counted into the table (call before reading it).
    public mutating func flush() {
        if curMinute != Int64.min { minutes.store(curMinute, curDetail); curMinute = Int64.min; curDetail = MinuteDetail() }
    }

    @inline(__always)
    private mutating func noteTime(_ t: Int64) {
        if firstUs == nil || t < firstUs! { firstUs = t }
        if lastUs == nil || t > lastUs! { lastUs = t }
    }

    /// Counts one edge request.
    public mutating func add(_ r: EdgeRecord) {
        let weight = UInt32(clamping: max(1, r.sampleInterval))
        let minute = TrafficAggregate.floorDiv(r.timeUs, 60_000_000)
        if minute != curMinute { switchMinute(minute) }
        noteTime(r.timeUs)
        edgeRecords += 1
        requests += Int64(weight)
        let is521 = r.isOriginConnectFailure
        let s = r.status
        curDetail.total &+= weight
        if is521 {
            errors521 += Int64(weight)
            curDetail.e521 &+= weight
            if r.timeUs < curDetail.first521Us { curDetail.first521Us = r.timeUs; curDetail.first521ID = ShortID(r.requestID) }
            if r.timeUs > curDetail.last521Us { curDetail.last521Us = r.timeUs; curDetail.last521ID = ShortID(r.requestID) }
        } else if s >= 520 && s <= 530 {
            curDetail.other52x &+= weight
        } else if s >= 500 && s <= 599 {
            curDetail.other5xx &+= weight
        }
        let answered: UInt32 = r.originStatus > 0 ? weight : 0
        curDetail.originAnswered &+= answered
        let e: UInt32 = is521 ? weight : 0
        if e != 0 || answered != 0 {
            if !r.colo.isEmpty { curDetail.colos.add(colos.intern(r.colo), a: e, b: answered) }
            if !r.scheme.isEmpty { curDetail.schemes.add(schemes.intern(r.scheme), a: e, b: answered) }
        }
        if !r.originIP.isEmpty { curDetail.originIPs.add(ips.intern(r.originIP), a: e, b: weight) }
        if is521 {
            if !r.host.isEmpty { curDetail.hosts.add(hosts.intern(r.host), a: e, b: 0) }
            if !r.path.isEmpty { curDetail.paths.add(paths.intern(r.path), a: e, b: 0) }
        }
    }

    /// Counts one request of the origin's own access log.
    public mutating func addAccess(_ r: EdgeRecord) {
        let minute = TrafficAggregate.floorDiv(r.timeUs, 60_000_000)
        if minute != curMinute { switchMinute(minute) }
        accessRecords += 1
        curDetail.accessTotal &+= 1
        if r.status >= 500 { curDetail.access5xx &+= 1 }
        let ip = r.clientIP.raw
        if ByteScan.hasPrefix("127.", in: ip) || ip.elementsEqual("::1".utf8) || ip.elementsEqual("localhost".utf8) {
            curDetail.accessFromLoopback &+= 1
        } else if let addr = IPAddress.parse(ip), cdn.contains(addr) {
            curDetail.accessFromCDN &+= 1
        }
    }

    /// Adds another partial (its keys are translated to this one's ids).
    public mutating func merge(_ other: TrafficAggregate) {
        var o = other
        o.flush()
        flush()
        var coloMap: [Int32: Int32] = [:], schemeMap: [Int32: Int32] = [:], ipMap: [Int32: Int32] = [:]
        var hostMap: [Int32: Int32] = [:], pathMap: [Int32: Int32] = [:]
        func mapper(_ table: inout [Int32: Int32], _ mine: inout ByteInterner, _ theirs: ByteInterner) -> (Int32) -> Int32 {
            // Closures cannot capture inout; resolve eagerly instead.
            for id in 0..<Int32(theirs.count) where table[id] == nil { table[id] = mine.intern(theirs.string(id)) }
            let t = table
            return { t[$0] ?? ByteInterner.overflow }
        }
        colos.noteOverflow(o.colos.overflowed); schemes.noteOverflow(o.schemes.overflowed); ips.noteOverflow(o.ips.overflowed)
        hosts.noteOverflow(o.hosts.overflowed); paths.noteOverflow(o.paths.overflowed)
        let cm = mapper(&coloMap, &colos, o.colos), sm = mapper(&schemeMap, &schemes, o.schemes)
        let im = mapper(&ipMap, &ips, o.ips), hm = mapper(&hostMap, &hosts, o.hosts), pm = mapper(&pathMap, &paths, o.paths)
        for (m, d) in o.minutes {
            var mine = minutes[m] ?? MinuteDetail()
            mine.total &+= d.total; mine.e521 &+= d.e521; mine.other52x &+= d.other52x; mine.other5xx &+= d.other5xx
            mine.originAnswered &+= d.originAnswered
            if d.first521Us < mine.first521Us { mine.first521Us = d.first521Us; mine.first521ID = d.first521ID }
            if d.last521Us > mine.last521Us { mine.last521Us = d.last521Us; mine.last521ID = d.last521ID }
            mine.colos.merge(d.colos, map: cm)
            mine.schemes.merge(d.schemes, map: sm)
            mine.originIPs.merge(d.originIPs, map: im)
            mine.hosts.merge(d.hosts, map: hm)
            mine.paths.merge(d.paths, map: pm)
            mine.accessTotal &+= d.accessTotal; mine.accessFromCDN &+= d.accessFromCDN
            mine.accessFromLoopback &+= d.accessFromLoopback; mine.access5xx &+= d.access5xx
            minutes.store(m, mine)
        }
        edgeRecords += o.edgeRecords; requests += o.requests; errors521 += o.errors521
        accessRecords += o.accessRecords
        if let f = o.firstUs { firstUs = min(firstUs ?? f, f) }
        if let l = o.lastUs { lastUs = max(lastUs ?? l, l) }
    }

    /// Names for ids (after `flush`).
    public func coloName(_ id: Int32) -> String { colos.string(id) }
    public func schemeName(_ id: Int32) -> String { schemes.string(id) }
    public func ipName(_ id: Int32) -> String { ips.string(id) }
    public func hostName(_ id: Int32) -> String { hosts.string(id) }
    public func pathName(_ id: Int32) -> String { paths.string(id) }
}

/// A short identifier (a Ray ID is 16 hex digits) kept inline, without allocating: up to 24
/// bytes; longer values are cut.
public struct ShortID: Sendable, Equatable {
    private var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0
    private var count: UInt8 = 0

    public init() {}

    public init(_ f: ByteField) {
        let raw = f.raw
        let n = min(24, raw.count)
        guard n > 0 else { return }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[..<n]))
        }
        (a, b, c) = words
        count = UInt8(n)
    }

    public var isEmpty: Bool { count == 0 }

    public var string: String? {
        guard count > 0 else { return nil }
        var words = (a, b, c)
        return withUnsafeBytes(of: &words) { String(decoding: UnsafeRawBufferPointer(rebasing: $0[..<Int(count)]), as: UTF8.self) }
    }
}

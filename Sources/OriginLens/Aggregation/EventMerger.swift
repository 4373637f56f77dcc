import Foundation

/// An edge response of status ≥ 500, owned (for `originlens events --edge`).
public struct EdgeEvent: Codable, Sendable, Hashable {
    public var timeUs: Int64
    public var status: Int
    public var originStatus: Int?
    public var host: String?
    public var colo: String?
    public var path: String?
    public var originIP: String?
    public var requestID: String?
    public var source: String
    public var line: Int

    public init(_ r: EdgeRecord, source: String, line: Int) {
        timeUs = r.timeUs
        status = r.status
        originStatus = r.originStatus >= 0 ? r.originStatus : nil
        host = r.host.stringIfPresent
        colo = r.colo.stringIfPresent
        path = r.path.stringIfPresent
        originIP = r.originIP.stringIfPresent
        requestID = r.requestID.stringIfPresent
        self.source = source
        self.line = line
    }
}

/// One item of the merged event stream.
public enum MergedEvent: Sendable {
    case origin(OriginEvent)
    case edge(EdgeEvent)

    public var timeUs: Int64 {
        switch self { case .origin(let e): e.timeUs; case .edge(let e): e.timeUs }
    }
}

/// Merges the per-file event streams into one stream in time order without sorting everything:
/// each file is read lazily, and a bounded re-order window absorbs files that are not sorted
/// (Logpush batches, CloudFront's late records). Memory holds only the events inside the
/// window.
public final class EventMerger {
    public struct Options: Sendable {
        public var includeEdge = false
        /// Re-order window in microseconds (default 5 minutes).
        public var reorderWindowUs: Int64 = 300_000_000
        public var kinds: Set<EventKind> = []
        public var sinceUs: Int64? = nil
        public var untilUs: Int64? = nil
        public var extraServices: [String] = []
        public init() {}
    }

    private final class Stream {
        let scanner: FileScanner
        var watermark: Int64 = Int64.min   // max time pulled minus window
        var maxSeen: Int64 = Int64.min
        var done = false
        init(_ s: FileScanner) { scanner = s }
    }

    /// A file not opened yet: opened when the merge reaches its first record's time.
    private struct Pending {
        var item: RotationPlanner.Planned
        var firstUs: Int64
    }

    private var pending: [Pending] = []      // sorted by firstUs, descending (pop from the end)
    private var streams: [Stream] = []
    private let scanOptions: ScanOptions
    private let options: Options
    private let matcher: RuleMatcher
    private var heap = Heap<HeapItem>()
    private var seq = 0
    private var lastEmitted = Int64.min
    /// Finished files' accounting, in completion order.
    public private(set) var stats: [FileStats] = []
    /// Files that could not be opened.
    public private(set) var problems: [InputProblem] = []
    /// Events emitted earlier than an already emitted one (arrived later than the window).
    public private(set) var lateEvents = 0

    struct HeapItem: Comparable {
        var time: Int64
        var seq: Int
        var event: MergedEvent
        static func < (a: HeapItem, b: HeapItem) -> Bool { a.time != b.time ? a.time < b.time : a.seq < b.seq }
        static func == (a: HeapItem, b: HeapItem) -> Bool { a.time == b.time && a.seq == b.seq }
    }

    /// Looks at the first record of every file (files are then closed again, so that only the
    /// files whose time ranges overlap are open at once).
    public init(plan: InputPlan, scanOptions: ScanOptions, options: Options) throws {
        self.scanOptions = scanOptions
        self.options = options
        self.matcher = RuleMatcher(extraServices: options.extraServices)
        self.problems = plan.problems
        for item in plan.items {
            if item.duplicateOf != nil { stats.append(InputPlan.duplicateStats(item)); continue }
            let scanner: FileScanner
            do { scanner = try InputPlan.scanner(for: item, options: scanOptions) } catch {
                problems.append(InputProblem(path: item.file.path, message: "\(error)"))
                continue
            }
            if item.file.stream {
                // Standard input or a FIFO: keep it open and start it now.
                let st = Stream(scanner)
                streams.append(st)
                continue
            }
            let firstItem: ScanItem?
            do { firstItem = try scanner.next() } catch {
                let st = scanner.failed(error)
                stats.append(st)
                problems.append(InputProblem(path: item.file.path, message: st.error ?? "\(error)"))
                continue
            }
            guard let first = firstItem else {
                stats.append(scanner.stats)   // no records at all: its accounting is complete
                continue
            }
            let t: Int64
            switch first { case .edge(let r): t = r.timeUs; case .origin(let r): t = r.timeUs }
            pending.append(Pending(item: item, firstUs: t))
        }
        pending.sort { $0.firstUs > $1.firstUs }
    }

    /// Pulls one accepted event from a stream into the heap; updates the watermark. Returns
    /// false when the stream ended.
    private func pull(_ s: Stream) throws -> Bool {
        while let item = try nextItem(s) {
            var ev: MergedEvent? = nil
            let t: Int64
            switch item {
            case .origin(let rec):
                t = rec.timeUs
                if let e = matcher.match(rec, format: s.scanner.currentFormat, timeUs: rec.timeUs,
                                         source: s.scanner.path, lineNumber: s.scanner.lineNumber) {
                    ev = .origin(e)
                }
            case .edge(let rec):
                t = rec.timeUs
                if options.includeEdge, rec.status >= 500 {
                    ev = .edge(EdgeEvent(rec, source: s.scanner.path, line: s.scanner.lineNumber))
                }
            }
            if t > s.maxSeen { s.maxSeen = t; s.watermark = t &- options.reorderWindowUs }
            guard let event = ev, accept(event) else { continue }
            if case .origin(let e) = event { s.scanner.noteEventText(e) }
            heap.insert(HeapItem(time: event.timeUs, seq: seq, event: event))
            seq += 1
            return true
        }
        if !s.done {
            s.done = true
            s.scanner.finish()
            stats.append(s.scanner.stats)
            streams.removeAll { $0 === s }
        }
        return false
    }

    /// The stream's next record; a read error ends that file (counted in `stats` and
    /// `problems`), not the merge.
    private func nextItem(_ s: Stream) throws -> ScanItem? {
        do { return try s.scanner.next() } catch {
            s.done = true
            let st = s.scanner.failed(error)
            stats.append(st)
            problems.append(InputProblem(path: s.scanner.path, message: st.error ?? "\(error)"))
            streams.removeAll { $0 === s }
            return nil
        }
    }

    private func accept(_ e: MergedEvent) -> Bool {
        if let s = options.sinceUs, e.timeUs < s { return false }
        if let u = options.untilUs, e.timeUs >= u { return false }
        if case .origin(let o) = e, !options.kinds.isEmpty, !options.kinds.contains(o.kind) { return false }
        return true
    }

    /// The next event in time order, or nil when every file is read.
    public func next() throws -> MergedEvent? {
        while true {
            // The lowest watermark among open streams bounds what can still arrive from them;
            // a file not opened yet bounds it by its first record's time minus the window.
            var low: Stream? = nil
            for s in streams where low == nil || s.watermark < low!.watermark { low = s }
            var bound = low?.watermark ?? Int64.max
            if let p = pending.last {
                let pb = p.firstUs &- options.reorderWindowUs
                if pb <= bound {
                    // Open it now; its first record is read again.
                    pending.removeLast()
                    do {
                        streams.append(Stream(try InputPlan.scanner(for: p.item, options: scanOptions)))
                    } catch {
                        problems.append(InputProblem(path: p.item.file.path, message: "\(error)"))
                    }
                    continue
                }
                bound = min(bound, pb)
            }
            if let top = heap.min, top.time <= bound || (low == nil && pending.isEmpty) {
                let item = heap.removeMin()!
                if item.time < lastEmitted { lateEvents += 1 } else { lastEmitted = item.time }
                return item.event
            }
            guard let s = low else {
                if heap.min == nil && pending.isEmpty { return nil }
                continue
            }
            _ = try pull(s)
        }
    }
}

/// A binary min-heap.
public struct Heap<Element: Comparable> {
    private var items: [Element] = []
    public init() {}
    public var count: Int { items.count }
    public var min: Element? { items.first }

    public mutating func insert(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[i] < items[p] { items.swapAt(i, p); i = p } else { break }
        }
    }

    public mutating func removeMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let m = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var s = i
            if l < items.count, items[l] < items[s] { s = l }
            if r < items.count, items[r] < items[s] { s = r }
            if s == i { break }
            items.swapAt(i, s)
            i = s
        }
        return m
    }
}

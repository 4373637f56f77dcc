import Foundation

/// Everything read from the inputs: edge traffic counted, origin events kept, the accounting.
public struct Dataset: Sendable {
    public var traffic: TrafficAggregate
    /// Origin events in time order.
    public var events: [OriginEvent]
    public var files: [FileStats]
    public var problems: [InputProblem]
    /// Events not kept because of the cap (counted, by kind).
    public var droppedEvents: [String: Int] = [:]
    /// Records outside `--since`/`--until`.
    public var outOfRange = 0
}

/// Reads all planned files into a `Dataset`, spreading files over the cores: each worker
/// keeps its own partial aggregate, merged at the end.
public enum Ingestor {
    public struct Options: Sendable {
        public var sinceUs: Int64? = nil
        public var untilUs: Int64? = nil
        public var extraServices: [String] = []
        /// Worker threads (default: the number of cores).
        public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
        /// Most origin events kept; the rest are counted.
        public var maxEvents: Int = 200_000
        public var cdnRanges: CIDRSet = .cloudflare
        public init() {}
    }

    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var partials: [Partial?]
        init(workers: Int) { partials = Array(repeating: nil, count: workers) }
        func take() -> Int { lock.lock(); defer { lock.unlock() }; let n = next; next += 1; return n }
    }

    struct Partial: Sendable {
        var traffic: TrafficAggregate
        var events: [OriginEvent] = []
        var files: [(Int, FileStats)] = []
        var problems: [InputProblem] = []
        var dropped: [String: Int] = [:]
        var outOfRange = 0
    }

    public static func run(plan: InputPlan, scan: ScanOptions, options: Options = Options(),
                           progress: (@Sendable (FileStats) -> Void)? = nil) -> Dataset {
        let items = plan.items
        let workers = max(1, min(options.workers, items.count))
        let shared = Shared(workers: workers)
        let matcher = RuleMatcher(extraServices: options.extraServices)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var part = Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges))
            while true {
                let i = shared.take()
                if i >= items.count { break }
                let item = items[i]
                if item.duplicateOf != nil {
                    part.files.append((i, InputPlan.duplicateStats(item)))
                    continue
                }
                do {
                    let sc = try InputPlan.scanner(for: item, options: scan)
                    try read(sc, into: &part, matcher: matcher, options: options)
                    sc.finish()
                    part.files.append((i, sc.stats))
                    progress?(sc.stats)
                } catch {
                    var st = FileStats(path: item.file.path, format: .unknown)
                    st.error = "\(error)"
                    part.files.append((i, st))
                    part.problems.append(InputProblem(path: item.file.path, message: "\(error)"))
                }
            }
            part.traffic.flush()
            shared.lock.lock()
            shared.partials[w] = part
            shared.lock.unlock()
        }
        return assemble(shared.partials.compactMap { $0 }, problems: plan.problems, options: options)
    }

    /// Reads already opened scanners one after the other on the calling thread (fuzzing,
    /// tests: input that is not a set of paths, see `FileScanner(name:options:open:)`).
    public static func ingest(_ scanners: [FileScanner], options: Options = Options()) -> Dataset {
        var part = Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges))
        let matcher = RuleMatcher(extraServices: options.extraServices)
        for (i, sc) in scanners.enumerated() {
            do {
                try read(sc, into: &part, matcher: matcher, options: options)
                sc.finish()
                part.files.append((i, sc.stats))
            } catch {
                sc.finish()
                var st = sc.stats
                st.error = "\(error)"
                part.files.append((i, st))
                part.problems.append(InputProblem(path: sc.path, message: "\(error)"))
            }
        }
        part.traffic.flush()
        return assemble([part], problems: [], options: options)
    }

    private static func assemble(_ partials: [Partial], problems planProblems: [InputProblem], options: Options) -> Dataset {
        var traffic = TrafficAggregate(cdnRanges: options.cdnRanges)
        var events: [OriginEvent] = []
        var files: [(Int, FileStats)] = []
        var problems = planProblems
        var dropped: [String: Int] = [:]
        var outOfRange = 0
        for p in partials {
            traffic.merge(p.traffic)
            events.append(contentsOf: p.events)
            files.append(contentsOf: p.files)
            problems.append(contentsOf: p.problems)
            for (k, v) in p.dropped { dropped[k, default: 0] += v }
            outOfRange += p.outOfRange
        }
        traffic.flush()
        events.sort { ($0.timeUs, $0.source, $0.line) < ($1.timeUs, $1.source, $1.line) }
        if events.count > options.maxEvents {
            for e in events[options.maxEvents...] { dropped[e.kind.rawValue, default: 0] += 1 }
            events.removeSubrange(options.maxEvents...)
        }
        files.sort { $0.0 < $1.0 }
        return Dataset(traffic: traffic, events: events, files: files.map(\.1), problems: problems,
                       droppedEvents: dropped, outOfRange: outOfRange)
    }

    private static func read(_ sc: FileScanner, into part: inout Partial, matcher: RuleMatcher, options: Options) throws {
        let since = options.sinceUs ?? Int64.min, until = options.untilUs ?? Int64.max
        let cap = options.maxEvents
        while let item = try sc.next() {
            switch item {
            case .edge(let r):
                if r.timeUs < since || r.timeUs >= until { part.outOfRange += 1; continue }
                if sc.currentFormat.role == .access { part.traffic.addAccess(r) } else { part.traffic.add(r) }
            case .origin(let r):
                // Origin events are kept from a margin before --since so that causes just
                // before the analysed range are still seen.
                if r.timeUs < since &- 3_600_000_000 || r.timeUs >= until &+ 3_600_000_000 { part.outOfRange += 1; continue }
                if let e = matcher.match(r, format: sc.currentFormat, timeUs: r.timeUs, source: sc.path, lineNumber: sc.lineNumber) {
                    if part.events.count < cap { part.events.append(e) } else { part.dropped[e.kind.rawValue, default: 0] += 1 }
                }
            }
        }
    }
}

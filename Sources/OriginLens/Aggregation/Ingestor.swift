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
    /// Firewall blocks of non-CDN addresses to non-web ports (internet background noise):
    /// counted, not kept as events, so that a scanner-heavy syslog cannot crowd out evidence.
    public var firewallNoise = 0

    /// True when at least one input could be read (even if it held no records). When false, a
    /// command has nothing to report and exits with status 1.
    public var anyInputRead: Bool { files.contains { $0.error == nil || $0.lines > 0 } }
}

/// Reads all planned files into a `Dataset`, spreading files over the cores: each worker
/// keeps its own partial aggregate, merged at the end.
public enum Ingestor {
    public struct Options: Sendable {
        public var sinceUs: Int64? = nil
        public var untilUs: Int64? = nil
        public var extraServices: [String] = []
        /// Worker threads (default: the number of cores this process may run on).
        public var workers: Int = Ingestor.availableCores()
        /// Most origin events kept; the rest are counted.
        public var maxEvents: Int = 200_000
        public var cdnRanges: CIDRSet = .cloudflare
        public init() {}
    }

    /// Work shared by the worker threads: the next file to take, and an ordered fold of the
    /// per-file partials. Partials are merged strictly in plan order, so the result does not
    /// depend on the number of cores or on which file finishes first (bounded breakdowns keep
    /// the first keys they meet). A worker waits when it runs too far ahead of the fold.
    private final class Shared: @unchecked Sendable {
        let cond = NSCondition()
        var next = 0
        var frontier = 0
        var done: [Int: Partial] = [:]
        var total: Partial
        let maxAhead: Int
        init(total: Partial, maxAhead: Int) { self.total = total; self.maxAhead = maxAhead }

        func take(count: Int) -> Int? {
            cond.lock(); defer { cond.unlock() }
            while next < count && next - frontier >= maxAhead { cond.wait() }
            guard next < count else { return nil }
            let n = next
            next += 1
            return n
        }

        func finish(_ i: Int, _ p: Partial) {
            cond.lock(); defer { cond.unlock() }
            done[i] = p
            while let q = done.removeValue(forKey: frontier) {
                total.absorb(q)
                frontier += 1
            }
            cond.broadcast()
        }
    }

    struct Partial: Sendable {
        var traffic: TrafficAggregate
        var events: [OriginEvent] = []
        var files: [FileStats] = []
        var problems: [InputProblem] = []
        var dropped: [String: Int] = [:]
        var outOfRange = 0
        var firewallNoise = 0

        mutating func absorb(_ o: Partial) {
            traffic.merge(o.traffic)
            events.append(contentsOf: o.events)
            files.append(contentsOf: o.files)
            problems.append(contentsOf: o.problems)
            for (k, v) in o.dropped { dropped[k, default: 0] += v }
            outOfRange += o.outOfRange
            firewallNoise += o.firewallNoise
        }
    }

    /// The cores this process may run on: its CPU affinity (`taskset`, container CPU sets) where
    /// the system tells it (`Cpus_allowed_list` in /proc/self/status), else the cores online.
    public static func availableCores() -> Int {
        let online = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
              let allowed = cpuListCount(line.dropFirst("Cpus_allowed_list:".count)) else { return online }
        return max(1, min(online, allowed))
    }

    /// Number of CPUs in a Linux CPU list such as `0-3,8,10-11`; nil when it does not read.
    static func cpuListCount(_ text: Substring) -> Int? {
        var n = 0
        for part in text.split(separator: ",") {
            let r = part.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard let a = r.first.flatMap({ Int($0) }) else { return nil }
            let b = r.count == 2 ? Int(r[1]) : a
            guard let b, b >= a, r.count <= 2 else { return nil }
            n += b - a + 1
        }
        return n > 0 ? n : nil
    }

    public static func run(plan: InputPlan, scan: ScanOptions, options: Options = Options(),
                           progress: (@Sendable (FileStats) -> Void)? = nil) -> Dataset {
        let items = plan.items
        scan.progress?.begin(totalBytes: plan.totalBytes)
        let workers = max(1, min(options.workers, items.count))
        let shared = Shared(total: Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges)), maxAhead: 4 * workers)
        let matcher = RuleMatcher(extraServices: options.extraServices)
        // Read-ahead threads (inflate on another thread) only for the last files: while there
        // are at least as many files left as workers, every core already has a file of its own,
        // and a second thread per file would only add copies and context switches.
        var ahead = scan
        ahead.readAheadMinBytes = nil
        let tailScan = scan, bulkScan = ahead
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = shared.take(count: items.count) {
                let item = items[i]
                let scan = items.count - i >= workers && workers > 1 ? bulkScan : tailScan
                var part = Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges))
                if item.duplicateOf != nil {
                    part.files.append(InputPlan.duplicateStats(item))
                } else {
                    do {
                        let sc = try InputPlan.scanner(for: item, options: scan)
                        let st = readFile(sc, into: &part, matcher: matcher, options: options)
                        part.files.append(st)
                        progress?(st)
                    } catch {
                        var st = FileStats(path: item.file.path, format: .unknown)
                        st.error = "\(error)"
                        part.files.append(st)
                        part.problems.append(InputProblem(path: item.file.path, message: "\(error)"))
                    }
                }
                part.traffic.flush()
                shared.finish(i, part)
            }
        }
        var total = shared.total
        total.traffic.flush()
        var events = total.events
        var dropped = total.dropped
        events.sort { ($0.timeUs, $0.source, $0.line) < ($1.timeUs, $1.source, $1.line) }
        if events.count > options.maxEvents {
            for e in events[options.maxEvents...] { dropped[e.kind.rawValue, default: 0] += 1 }
            events.removeSubrange(options.maxEvents...)
        }
        return Dataset(traffic: total.traffic, events: events, files: total.files, problems: plan.problems + total.problems,
                       droppedEvents: dropped, outOfRange: total.outOfRange, firewallNoise: total.firewallNoise)
    }

    /// Reads one opened file into the partial. A read error (an I/O error half-way) ends the
    /// file: what was read before it counts, and the file's stats carry the error.
    static func readFile(_ sc: FileScanner, into part: inout Partial, matcher: RuleMatcher, options: Options) -> FileStats {
        do {
            try read(sc, into: &part, matcher: matcher, options: options)
            sc.finish()
            return sc.stats
        } catch {
            let st = sc.failed(error)
            part.problems.append(InputProblem(path: sc.path, message: st.error ?? "\(error)"))
            return st
        }
    }

    /// Reads already opened scanners one after the other on the calling thread (fuzzing,
    /// tests: input that is not a set of paths, see `FileScanner(name:options:open:)`).
    public static func ingest(_ scanners: [FileScanner], options: Options = Options()) -> Dataset {
        var total = Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges))
        let matcher = RuleMatcher(extraServices: options.extraServices)
        for sc in scanners {
            var part = Partial(traffic: TrafficAggregate(cdnRanges: options.cdnRanges))
            do {
                try read(sc, into: &part, matcher: matcher, options: options)
                sc.finish()
                part.files.append(sc.stats)
            } catch {
                part.files.append(sc.failed(error))
                part.problems.append(InputProblem(path: sc.path, message: "\(error)"))
            }
            part.traffic.flush()
            total.absorb(part)
        }
        total.traffic.flush()
        var events = total.events
        events.sort { ($0.timeUs, $0.source, $0.line) < ($1.timeUs, $1.source, $1.line) }
        return Dataset(traffic: total.traffic, events: events, files: total.files, problems: total.problems,
                       droppedEvents: total.dropped, outOfRange: total.outOfRange, firewallNoise: total.firewallNoise)
    }

    static let webPorts: Set<Int> = [80, 443, 8080, 8443]

    private static func read(_ sc: FileScanner, into part: inout Partial, matcher: RuleMatcher, options: Options) throws {
        let since = options.sinceUs ?? Int64.min, until = options.untilUs ?? Int64.max
        let cap = options.maxEvents
        try sc.forEach(edge: { r, format in
            if r.timeUs < since || r.timeUs >= until { part.outOfRange += 1; return }
            if format.role == .access { part.traffic.addAccess(r) } else { part.traffic.add(r) }
        }, origin: { r, format in
            // Origin events are kept from a margin before --since so that causes just
            // before the analysed range are still seen.
            if let s = options.sinceUs, r.timeUs < s - 3_600_000_000 { part.outOfRange += 1; return }
            if let u = options.untilUs, r.timeUs >= u + 3_600_000_000 { part.outOfRange += 1; return }
            if let e = matcher.match(r, format: format, timeUs: r.timeUs, source: sc.path, lineNumber: sc.lineNumber) {
                sc.noteEventText(e)
                if e.kind == .firewallBlock, e.cdnAddress != true, !(e.port.map(Ingestor.webPorts.contains) ?? false) {
                    part.firewallNoise += 1
                    return
                }
                if part.events.count < cap { part.events.append(e) } else { part.dropped[e.kind.rawValue, default: 0] += 1 }
            }
        })
    }
}

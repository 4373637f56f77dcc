import Foundation
import OriginLens

/// What the libFuzzer targets in `Fuzz/` run, one function per target.
///
/// It is a library compiled by every plain `swift build` (so it cannot rot while the fuzz
/// executables, which only link with `-sanitize=fuzzer`, are left out of normal builds), and the
/// regression tests replay committed inputs through exactly these paths. It uses the public API
/// only, as a user of the library would.
///
/// Each function returns a digest of everything it read so that the optimizer keeps the reads.
/// Where a second, independent computation of the same result exists (the same stream read in
/// one piece and in dribbles, a round trip through the gzip writer), the function checks that
/// both agree with `check` (a precondition that also prints its message in release builds): a
/// disagreement is a crash the fuzzer reports.
public enum Harness {
    /// The fuzz targets (product names).
    public enum Target: String, CaseIterable, Sendable {
        case cloudflareJSON = "FuzzCloudflareJSON"
        case cloudflareCSV = "FuzzCloudflareCSV"
        case cloudFront = "FuzzCloudFront"
        case accessLog = "FuzzAccessLog"
        case nginxError = "FuzzNginxError"
        case apacheError = "FuzzApacheError"
        case phpFpm = "FuzzPhpFpm"
        case syslog = "FuzzSyslog"
        case syslog5424 = "FuzzSyslog5424"
        case journalJSON = "FuzzJournalJSON"
        case journalExport = "FuzzJournalExport"
        case fail2ban = "FuzzFail2ban"
        case vpcFlow = "FuzzVPCFlow"
        case proxmoxFirewall = "FuzzProxmoxFirewall"
        case gzip = "FuzzGzip"
        case lineReader = "FuzzLineReader"
        case ruleMatcher = "FuzzRuleMatcher"
        case pipeline = "FuzzPipeline"

        /// The parser a single-parser target drives.
        public var parser: (any LineParser.Type)? {
            switch self {
            case .cloudflareJSON: CloudflareJSONParser.self
            case .cloudflareCSV: CloudflareCSVParser.self
            case .cloudFront: CloudFrontParser.self
            case .accessLog: AccessLogParser.self
            case .nginxError: NginxErrorParser.self
            case .apacheError: ApacheErrorParser.self
            case .phpFpm: PhpFpmParser.self
            case .syslog: SyslogParser.self
            case .syslog5424: Syslog5424Parser.self
            case .journalJSON: JournalJSONParser.self
            case .fail2ban: Fail2banParser.self
            case .vpcFlow: VPCFlowParser.self
            case .proxmoxFirewall: ProxmoxFirewallParser.self
            case .journalExport, .gzip, .lineReader, .ruleMatcher, .pipeline: nil
            }
        }
    }

    /// Runs one target on one input.
    @discardableResult
    public static func run(_ target: Target, _ data: UnsafeRawBufferPointer) -> UInt64 {
        switch target {
        case .journalExport: return journalExport(data)
        case .gzip: return gzip(data)
        case .lineReader: return lineReader(data)
        case .ruleMatcher: return ruleMatcher(data)
        case .pipeline: return pipeline(data).digest
        default: return parser(target.parser!, data)
        }
    }

    @discardableResult
    public static func run(_ target: Target, _ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { run(target, $0) }
    }

    // MARK: - Fixed settings

    /// A zone with DST, so that gap and overlap handling is exercised.
    public static let zone = TimeZoneSpec.named("Europe/Berlin")
    /// A fixed year anchor: results must not depend on the day the fuzzer runs.
    public static let yearReference = (year: 2024, month: 6)

    public static func context() -> ParseContext {
        ParseContext(zone: zone, years: YearTracker(explicitYear: nil, referenceYear: yearReference.year,
                                                    referenceMonth: yearReference.month), path: "fuzz")
    }

    // MARK: - Parsers

    /// Splits `data` into lines as `LineReader` does (LF, a CR before it dropped) and hands each
    /// to the parser in its own heap block of exactly the line's size, so that AddressSanitizer
    /// reports a read even one byte past the line. Every field of every record is read.
    public static func parser(_ type: any LineParser.Type, _ data: UnsafeRawBufferPointer) -> UInt64 {
        var p = type.init(context: context())
        var d: UInt64 = 0
        forEachLine(data) { line in
            d = mix(d, UInt64(type.sniff(line)))
            d = mix(d, digest(p.parse(line)))
        }
        return d
    }

    /// Calls `body` with each line copied into an exact-size allocation.
    public static func forEachLine(_ data: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        let n = data.count
        while start < n {
            var end = start
            while end < n, data[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start, data[stop - 1] == 0x0D { stop -= 1 }
            withExactCopy(UnsafeRawBufferPointer(rebasing: data[start..<stop]), body)
            start = end + 1
        }
    }

    static func withExactCopy<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { copy.deallocate() }
        if bytes.count > 0 { copy.copyMemory(from: bytes) }
        return body(UnsafeRawBufferPointer(copy))
    }

    /// Reads every field of an outcome (raw and decoded).
    public static func digest(_ o: ParseOutcome) -> UInt64 {
        switch o {
        case .skip(let reason):
            return UInt64(truncatingIfNeeded: reason.hashValue)
        case .edge(let r):
            var d = UInt64(bitPattern: r.timeUs)
            d = mix(d, UInt64(bitPattern: Int64(r.status)))
            d = mix(d, UInt64(bitPattern: Int64(r.originStatus)))
            d = mix(d, UInt64(bitPattern: Int64(r.sampleInterval)))
            d = mix(d, r.isOriginConnectFailure ? 1 : 0)
            for f in [r.host, r.colo, r.scheme, r.originIP, r.path, r.method, r.requestID, r.clientIP,
                      r.edgeServerIP, r.detail] { d = mix(d, digest(f)) }
            return d
        case .origin(let r):
            var d = UInt64(bitPattern: r.timeUs)
            d = mix(d, UInt64(bitPattern: Int64(r.pid)))
            d = mix(d, UInt64(bitPattern: Int64(r.severity)))
            d = mix(d, UInt64(r.implied.rawValue))
            for f in [r.hostname, r.ident, r.message, r.module, r.unit, r.senderUnit, r.messageID,
                      r.exitCode, r.exitStatus, r.unitResult] { d = mix(d, digest(f)) }
            return d
        }
    }

    public static func digest(_ f: ByteField) -> UInt64 {
        check(f.count >= 0, "negative field length")
        check(f.count == 0 || f.base != nil, "field with bytes but no base")
        var d = UInt64(f.count)
        for b in f.raw { d = mix(d, UInt64(b)) }
        for b in f.decodedBytes() { d = mix(d, UInt64(b)) }
        d = mix(d, UInt64(f.string().utf8.count))
        if let v = f.intValue { d = mix(d, UInt64(bitPattern: Int64(v))) }
        return d
    }

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a ^ b) &* 0x100000001B3 &+ 0x9E3779B97F4A7C15
    }

    static func seed(_ data: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF29CE484222325 ^ UInt64(data.count)
        for b in data.prefix(64) { h = (h ^ UInt64(b)) &* 0x100000001B3 }
        return h | 1
    }

    // MARK: - Journal export (reader + parser)

    /// Frames entries with `JournalExportReader` fed in small random reads (a small record limit,
    /// so that too-long entries occur), parses each, and checks the framing against a second
    /// reader given the data in large reads.
    public static func journalExport(_ data: UnsafeRawBufferPointer) -> UInt64 {
        let bytes = Array(data)
        let maxRecord = 2048
        let small = JournalExportReader(source: RandomChunkSource(bytes, seed: seed(data), maxStep: 97),
                                        maxRecordBytes: maxRecord, chunkSize: 64)
        let large = JournalExportReader(source: MemorySource(bytes), maxRecordBytes: maxRecord)
        var p = JournalExportParser(context: context())
        var d: UInt64 = 0
        forEachLine(data) { d = mix(d, UInt64(JournalExportParser.sniff($0))) }
        while true {
            let a = try? small.next()
            let b = try? large.next()
            check((a == nil) == (b == nil), "journal export framing depends on read sizes (entry count)")
            guard let a, let b else { break }
            check(a.elementsEqual(b), "journal export framing depends on read sizes (entry bytes)")
            check(small.lineNumber == large.lineNumber, "journal export line numbers depend on read sizes")
            d = mix(d, withExactCopy(a) { digest(p.parse($0)) })
        }
        check(small.truncatedEntries == large.truncatedEntries, "truncatedEntries depends on read sizes")
        check(small.tooLongRecords == large.tooLongRecords, "tooLongRecords depends on read sizes")
        check(small.tooLongExamples == large.tooLongExamples, "tooLongExamples depends on read sizes")
        check(small.bytesRead == Int64(bytes.count) && large.bytesRead == Int64(bytes.count), "bytes lost")
        d = mix(d, UInt64(small.truncatedEntries))
        d = mix(d, UInt64(small.warnings.count))
        return d
    }

    // MARK: - Line splitter

    /// `LineReader` with a small line limit (16…79 bytes, from the first input byte) over a source
    /// that returns a few bytes per read, optionally after `peekLines`; every line, line number
    /// and too-long count is checked against a plain split of the same bytes.
    public static func lineReader(_ data: UnsafeRawBufferPointer) -> UInt64 {
        guard let mode = data.first else { return 0 }
        let payload = Array(data.dropFirst())
        let maxLine = 16 + Int(mode & 0x3F)
        let step = [1, 7, 40, 4096][Int(mode >> 6)]
        let reader = LineReader(source: RandomChunkSource(payload, seed: seed(data), maxStep: step),
                                maxLineBytes: maxLine, chunkSize: 16)
        var d: UInt64 = 0
        if mode & 0x01 != 0 {
            let peeked = (try? reader.peekLines(maxLines: 3, maxBytes: mode & 0x02 != 0 ? 64 : 1 << 16)) ?? []
            for l in peeked { d = mix(d, UInt64(l.count)) }
        }
        // Reference split.
        var expected: [(line: [UInt8], number: Int)] = []
        var tooLong: [Int] = []
        var number = 0
        var start = 0
        while start < payload.count {
            var end = start
            while end < payload.count, payload[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start, payload[stop - 1] == 0x0D { stop -= 1 }
            number += 1
            if stop - start > maxLine { tooLong.append(number) } else { expected.append((Array(payload[start..<stop]), number)) }
            start = end + 1
        }
        var i = 0
        while let line = try? reader.next() {
            check(i < expected.count, "LineReader returned more lines than the data holds")
            check(line.elementsEqual(expected[i].line), "LineReader line \(expected[i].number) differs")
            check(reader.lineNumber == expected[i].number, "LineReader line number \(reader.lineNumber) != \(expected[i].number)")
            d = mix(d, withExactCopy(line) { UInt64($0.count) })
            i += 1
        }
        check(i == expected.count, "LineReader lost lines: \(i) of \(expected.count)")
        check(reader.tooLongRecords == tooLong.count, "LineReader too-long count \(reader.tooLongRecords) != \(tooLong.count)")
        check(reader.tooLongExamples == Array(tooLong.prefix(5)), "LineReader too-long examples differ")
        check(reader.bytesRead == Int64(payload.count), "LineReader bytesRead")
        return d
    }

    // MARK: - Gzip

    /// Mode byte, then data. Even mode: the data is a (possibly broken) gzip/zlib stream, inflated
    /// through tiny input buffers and reads, and compared with the same stream inflated in large
    /// pieces. Odd mode: the data is split into 1…4 members compressed with `GzipWriter`, then
    /// optionally cut short or followed by garbage or zero padding; reading it back must give the
    /// data (or, when cut, a prefix of it).
    public static func gzip(_ data: UnsafeRawBufferPointer) -> UInt64 {
        guard let mode = data.first else { return 0 }
        let payload = Array(data.dropFirst())
        if mode & 1 == 0 {
            let (a, ga) = inflateAll(RandomChunkSource(payload, seed: seed(data), maxStep: 1 + Int(mode >> 1)), inputBuffer: 1 + Int(mode >> 4), readSize: 1 + Int(mode >> 3))
            let (b, gb) = inflateAll(MemorySource(payload), inputBuffer: 256 * 1024, readSize: 1 << 16)
            check(a == b, "gzip output depends on read sizes: \(a.count) bytes (\(ga.members) members, \(ga.warnings)) in small reads, \(b.count) (\(gb.members) members, \(gb.warnings)) in large ones")
            check(ga.members == gb.members, "gzip member count depends on read sizes")
            check(ga.damaged == gb.damaged, "gzip damage flag depends on read sizes")
            check(ga.warnings.count == gb.warnings.count, "gzip warnings depend on read sizes")
            return mix(UInt64(a.count), UInt64(ga.members))
        }
        // Compose mode.
        let members = 1 + Int((mode >> 1) & 3)
        var stream: [UInt8] = []
        var cuts: [Int] = [0]
        for k in 1..<members { cuts.append(payload.count * k / members) }
        cuts.append(payload.count)
        for k in 0..<members { stream += GzipWriter.compress(Array(payload[cuts[k]..<cuts[k + 1]])) }
        let tail = Int(mode >> 3) & 3           // 0 clean, 1 cut, 2 garbage, 3 zero padding
        let amount = 1 + Int(mode >> 5)           // 1…8
        switch tail {
        case 1: stream.removeLast(min(amount, stream.count))
        case 2: stream += [0x1F] + Array(repeating: 0x42, count: amount)
        case 3: stream += Array(repeating: 0, count: amount * 100)
        default: break
        }
        let (out, g) = inflateAll(RandomChunkSource(stream, seed: seed(data), maxStep: 1 + amount * 3), inputBuffer: amount, readSize: 1 + amount * 5)
        switch tail {
        case 1:
            check(out.count <= payload.count && out.elementsEqual(payload.prefix(out.count)), "cut gzip: output is not a prefix of the data")
            check(g.damaged, "cut gzip not reported")
        default:
            check(out == payload, "gzip round trip lost data (\(out.count) of \(payload.count) bytes)")
            check(g.members == members, "gzip members \(g.members) != \(members)")
            check(g.damaged == (tail == 2), "gzip damage flag wrong for tail \(tail)")
            check(g.warnings.isEmpty == (tail == 0), "gzip warnings wrong for tail \(tail)")
        }
        return mix(UInt64(out.count), UInt64(g.members))
    }

    static func inflateAll(_ inner: ByteSource, inputBuffer: Int, readSize: Int) -> ([UInt8], GzipSource) {
        let g = GzipSource(inner, inputBufferSize: inputBuffer)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = (try? buf.withUnsafeMutableBytes { try g.read(into: $0) }) ?? 0
            if n == 0 { break }
            check(n <= readSize, "gzip read returned more than asked")
            out += buf[0..<n]
            check(out.count <= 64 << 20, "gzip bomb beyond 64 MiB")
        }
        // Reads after the end stay at the end.
        check(((try? buf.withUnsafeMutableBytes { try g.read(into: $0) }) ?? 0) == 0, "gzip read after end")
        return (out, g)
    }

    // MARK: - Rule matcher

    static let matcher = RuleMatcher(extraServices: ["myapp"])

    /// Every line through every origin parser; each origin record through the rule matcher.
    /// The whole input is also read as one journal export entry.
    public static func ruleMatcher(_ data: UnsafeRawBufferPointer) -> UInt64 {
        let ctx = context()
        let kinds: [(LogFormat, any LineParser.Type)] = [
            (.syslog3164, SyslogParser.self), (.journalctlText, SyslogParser.self),
            (.syslog5424, Syslog5424Parser.self), (.nginxError, NginxErrorParser.self),
            (.apacheError, ApacheErrorParser.self), (.phpFpm, PhpFpmParser.self),
            (.fail2ban, Fail2banParser.self), (.journalJSON, JournalJSONParser.self),
            (.pveFirewall, ProxmoxFirewallParser.self), (.vpcFlow, VPCFlowParser.self),
        ]
        var parsers: [(format: LogFormat, parser: any LineParser)] = kinds.map { ($0.0, $0.1.init(context: ctx)) }
        var d: UInt64 = 0
        var line = 0
        forEachLine(data) { bytes in
            line += 1
            for i in parsers.indices {
                if case .origin(let r) = parsers[i].parser.parse(bytes) {
                    d = mix(d, match(r, format: parsers[i].format, line: line))
                }
            }
        }
        var j = JournalExportParser(context: ctx)
        d = mix(d, withExactCopy(data) { entry -> UInt64 in
            guard case .origin(let r) = j.parse(entry) else { return 0 }
            return match(r, format: .journalExport, line: 1)
        })
        return d
    }

    static func match(_ r: OriginRecord, format: LogFormat, line: Int) -> UInt64 {
        let t = r.timeUs == OriginRecord.noTime ? 0 : r.timeUs
        guard let e = matcher.match(r, format: format, timeUs: t, source: "fuzz", lineNumber: line) else { return 1 }
        check(e.timeUs == t, "event time differs from the record's")
        return UInt64(truncatingIfNeeded: e.hashValue)
    }

    // MARK: - Whole pipeline

    /// Byte that separates the input files of the pipeline target (ASCII record separator).
    public static let fileSeparator: UInt8 = 0x1E

    /// Splits the input into up to four files at `fileSeparator`, scans them (format sniffing,
    /// gzip by magic, line splitting with a 4 KiB line limit, parsing, mixed-format fallback),
    /// ingests them (traffic aggregate, rule matching) and builds and renders the postmortem with
    /// the default template, and as JSON. Returns the dataset and the Markdown.
    public static func pipeline(_ data: UnsafeRawBufferPointer) -> (dataset: Dataset, markdown: String, json: String, digest: UInt64) {
        var files: [[UInt8]] = []
        var start = 0
        for i in 0..<data.count where data[i] == fileSeparator && files.count < 3 {
            files.append(Array(data[start..<i]))
            start = i + 1
        }
        files.append(Array(data[start...]))
        var scan = ScanOptions()
        scan.zone = zone
        scan.maxLineBytes = 4096
        scan.readAheadMinBytes = nil
        var scanners: [FileScanner] = []
        for (i, f) in files.enumerated() {
            if let sc = try? FileScanner(name: "input\(i).log", options: scan, yearReference: yearReference, open: { MemorySource(f) }) {
                scanners.append(sc)
            }
        }
        var ingest = Ingestor.Options()
        ingest.workers = 1
        let dataset = Ingestor.ingest(scanners, options: ingest)
        var opts = AnalyzeOptions()
        opts.zone = zone
        opts.diagnosis.detection.minErrors = 1
        opts.diagnosis.detection.minRate = 0
        let report = PostmortemBuilder.build(dataset, options: opts)
        let markdown = postmortemTemplate.render(report)
        let json = Analyzer.json(report)
        var d = UInt64(markdown.utf8.count)
        d = mix(d, UInt64(json.utf8.count))
        d = mix(d, UInt64(dataset.events.count))
        d = mix(d, UInt64(bitPattern: dataset.traffic.requests))
        return (dataset, markdown, json, d)
    }

    /// The default template, parsed once (it is the same for every input).
    static let postmortemTemplate: TemplateRenderer.Compiled = {
        do {
            return try TemplateRenderer.compile(TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        } catch {
            fatalError("the default postmortem template does not parse: \(error)")
        }
    }()
}

/// `precondition` that prints its message in release builds too (the fuzzer's log shows it).
@inline(__always)
func check(_ ok: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !ok() {
        let m = "fuzz check failed: \(message())\n"
        FileHandle.standardError.write(m.data(using: .utf8)!)
        fatalError(m)
    }
}

/// Returns the data a few bytes per read (sizes from a seeded generator: deterministic per
/// input), to exercise every buffer boundary of the readers.
public final class RandomChunkSource: ByteSource {
    private let data: [UInt8]
    private var offset = 0
    private var state: UInt64
    private let maxStep: Int
    public var warnings: [String] { [] }
    public var consumedBytes: Int64 { Int64(offset) }

    public init(_ data: [UInt8], seed: UInt64, maxStep: Int) {
        self.data = data
        self.state = seed | 1
        self.maxStep = max(1, maxStep)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        let want = 1 + Int(state % UInt64(maxStep))
        let n = min(want, buffer.count, data.count - offset)
        if n <= 0 { return 0 }
        data.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

import Foundation

/// One parsed record with where it came from. Borrowed: valid until the next `next()`.
public enum ScanItem {
    case edge(EdgeRecord)
    case origin(OriginRecord)
}

/// Reads one input file: opens it (gzip by magic), sniffs or applies the format, splits it
/// into lines (or journal entries), parses each and keeps the accounting. Pull-based: call
/// `next()` until nil; then `finish()` for the final `stats`.
public final class FileScanner {
    public let path: String
    public private(set) var format: LogFormat
    public private(set) var stats: FileStats
    /// Line number of the record last returned by `next()`.
    public var lineNumber: Int { reader.lineNumber }
    /// The raw bytes of the line (or entry) last returned by `next()`.
    public private(set) var currentLine = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The format of the parser that produced the last record (differs from `format` for
    /// lines of a mixed file).
    public private(set) var currentFormat: LogFormat

    private let opened: InputOpener.Opened
    private let reader: RecordReader
    private var parser: (any LineParser)?
    private var fallbacks: [(format: LogFormat, type: any LineParser.Type, parser: (any LineParser)?)] = []
    private let context: ParseContext
    private var lastTime: Int64 = OriginRecord.noTime
    private var finished = false

    /// Opens `file` (sniffing its format unless an override applies). Throws `InputError` when
    /// it cannot be opened.
    public convenience init(file: InputFile, options: ScanOptions, family: String? = nil,
                            yearReference: (year: Int, month: Int)? = nil) throws {
        let o = try InputOpener.openSource(path: file.path, fifoWaitSeconds: options.fifoWaitSeconds, progress: options.progress)
        try self.init(file: file, opened: o, options: options, family: family, yearReference: yearReference)
    }

    /// Reads bytes that do not come from a file (fuzzing, tests): `open` returns the data from
    /// its start, e.g. `{ MemorySource(bytes) }`. Gzip is detected by magic as for files; `name`
    /// stands for the path in messages and events. A journal export read this way is framed
    /// line by line (it cannot be re-read from its start).
    public convenience init(name: String, options: ScanOptions,
                            yearReference: (year: Int, month: Int)? = nil,
                            open: () throws -> ByteSource) throws {
        try self.init(file: InputFile(path: name), opened: InputOpener.wrap(open()), options: options,
                      family: nil, yearReference: yearReference)
    }

    /// Reads `file` from a source already opened (or made up: tests inject failing or slow
    /// sources through `InputOpener.wrap`).
    public init(file: InputFile, opened given: InputOpener.Opened, options: ScanOptions, family: String? = nil,
                yearReference: (year: Int, month: Int)? = nil) throws {
        path = file.path
        var o = given
        if o.gzip, let min = options.readAheadMinBytes, file.size >= min {
            o.source = ThreadedSource(o.source)
        }
        opened = o
        var st = FileStats(path: file.path, format: .unknown)
        st.gzip = opened.gzip
        st.family = family

        // Year anchor: --year, else the rotation suffix date, else the file's mtime.
        var ref = yearReference
        if ref == nil {
            let secs = file.mtime > 0 ? file.mtime : Int64(Date().timeIntervalSince1970)
            let d = CivilTime.civilFromDays(Int(secs / 86400))
            ref = (d.year, d.month)
        }
        let years = YearTracker(explicitYear: options.year, referenceYear: ref!.year, referenceMonth: ref!.month)
        context = ParseContext(zone: options.zone, years: years, path: file.path)

        // Format: override or sniff.
        let override = options.formatOverrides.first { $0.matches(file.path) }?.format
        var fmt: LogFormat
        var peekReader: LineReader? = nil
        if let o = override {
            fmt = o
        } else {
            let lr = LineReader(source: opened.source, maxLineBytes: options.maxLineBytes)
            let lines = try lr.peekLines(maxLines: options.sniffLines)
            let sniffed = ParserRegistry.sniff(lines: lines)
            fmt = sniffed.format
            if fmt == .unknown {
                st.sample = sniffed.sample
                if lines.isEmpty { st.warn("empty file: no lines to read") }
                else { st.warn("unknown format: no parser recognises lines like: \(sniffed.sample ?? "")") }
            }
            peekReader = lr
        }
        format = fmt
        currentFormat = fmt
        st.format = fmt
        if fmt == .journalExport {
            // The sniffed prefix is still in the line reader's buffer only: re-open to frame
            // entries from the start (stdin cannot be re-opened: it is read as lines).
            if peekReader != nil, opened.canReopen, !file.stream {
                let re = try InputOpener.openSource(path: file.path, fifoWaitSeconds: options.fifoWaitSeconds, progress: options.progress)
                reader = JournalExportReader(source: re.source, maxRecordBytes: options.maxLineBytes)
                _opened2 = re
            } else if peekReader == nil {
                reader = JournalExportReader(source: opened.source, maxRecordBytes: options.maxLineBytes)
            } else {
                reader = peekReader!
                st.warn("journal export from standard input or a pipe is read line by line: binary fields may be split")
            }
        } else {
            reader = peekReader ?? LineReader(source: opened.source, maxLineBytes: options.maxLineBytes)
        }
        stats = st
        parser = ParserRegistry.makeParser(fmt, context: context)
        // Text formats may hold lines of another text format (nginx and Apache lines in one
        // file, error lines in an access log): unrecognised lines are offered to the others.
        let textFormats: Set<LogFormat> = [.nginxError, .apacheError, .phpFpm, .syslog3164, .syslog5424,
                                           .journalctlText, .fail2ban, .accessLog]
        if options.mixedFallback, textFormats.contains(fmt) {
            fallbacks = ParserRegistry.all
                .filter { textFormats.contains($0.format) && $0.format != fmt && !(fmt == .journalctlText && $0.format == .syslog3164) }
                .map { ($0.format, $0, nil) }
        }
    }

    private var _opened2: InputOpener.Opened? = nil

    /// The next record, or nil at the end of the file. Damage (truncated gzip) ends the file
    /// early with a warning; a read error is thrown.
    public func next() throws -> ScanItem? {
        guard !finished else { return nil }
        while var line = try reader.next() {
            stats.lines += 1
            if line.count > 0, line[0] == 0 {
                line = skipHole(line)
                if line.isEmpty { stats.skip(.malformed); continue }
            }
            currentLine = line
            guard parser != nil else {
                stats.skip(ByteScan.isBlank(line) ? .blank : .unrecognized)
                continue
            }
            var outcome = parser!.parse(line)
            currentFormat = format
            if case .skip(.unrecognized) = outcome, !fallbacks.isEmpty, !ByteScan.isBlank(line) {
                if let (o, f) = tryFallbacks(line) {
                    outcome = o
                    currentFormat = f
                    stats.mixed[f.rawValue, default: 0] += 1
                }
            }
            switch outcome {
            case .skip(let reason):
                stats.skip(reason)
                if reason.isLoss { noteLoss(reason) }
            case .edge(let rec):
                stats.parsed += 1
                noteTime(rec.timeUs)
                return .edge(rec)
            case .origin(var rec):
                if rec.timeUs == OriginRecord.noTime {
                    if lastTime == OriginRecord.noTime {
                        // Nothing before it gives a time: cannot place it.
                        stats.skip(.untimed)
                        continue
                    }
                    rec.timeUs = lastTime
                }
                stats.parsed += 1
                noteTime(rec.timeUs)
                return .origin(rec)
            }
        }
        finish()
        return nil
    }

    /// Reads every remaining record, calling `edge` or `origin` with it and the format of the
    /// parser that produced it (the record is borrowed: valid during the call only). The same
    /// records and accounting as a `next()` loop, with the per-line state kept in locals and the
    /// parser opened once (specialised for Logpush NDJSON): the hot path of `analyze`, `weekly`
    /// and `formats`. `currentLine` and `currentFormat` are not updated.
    public func forEach(edge: (EdgeRecord, LogFormat) throws -> Void,
                        origin: (OriginRecord, LogFormat) throws -> Void) throws {
        guard !finished else { return }
        if var p = parser as? CloudflareJSONParser, let lr = reader as? LineReader {
            defer { parser = p }
            try loop(&p, lr, edge: edge, origin: origin)
        } else if var p = parser {
            defer { parser = p }
            try loop(&p, reader, edge: edge, origin: origin)
        } else {
            while let line = try reader.next() {
                stats.lines += 1
                stats.skip(ByteScan.isBlank(line) ? .blank : .unrecognized)
            }
        }
        finish()
    }

    private func loop<P: LineParser, R: RecordReader>(_ parser: inout P, _ reader: R,
                                                      edge: (EdgeRecord, LogFormat) throws -> Void,
                                                      origin: (OriginRecord, LogFormat) throws -> Void) throws {
        var st = stats
        var last = lastTime
        var minT = Int64.max, maxT = Int64.min
        let fmt = format
        let fallback = !fallbacks.isEmpty
        defer {
            if minT <= maxT {
                st.firstUs = min(st.firstUs ?? minT, minT)
                st.lastUs = max(st.lastUs ?? maxT, maxT)
            }
            stats = st
            lastTime = last
        }
        while var line = try reader.next() {
            st.lines &+= 1
            if line.count > 0, line[0] == 0 {
                line = skipHole(line)
                if line.isEmpty { st.skip(.malformed); continue }
            }
            var outcome = parser.parse(line)
            var f = fmt
            if fallback, case .skip(.unrecognized) = outcome, !ByteScan.isBlank(line) {
                if let (o, of) = tryFallbacks(line) {
                    outcome = o
                    f = of
                    st.mixed[of.rawValue, default: 0] += 1
                }
            }
            switch outcome {
            case .skip(let reason):
                st.skip(reason)
                if reason.isLoss { noteLoss(reason) }
            case .edge(let rec):
                st.parsed &+= 1
                let t = rec.timeUs
                if t < FileScanner.plausibleFromUs || t > plausibleUntilUs { noteImplausible(t) }
                if last != OriginRecord.noTime, t < last &- 1_000_000 { st.outOfOrder &+= 1 }
                last = t
                if t < minT { minT = t }
                if t > maxT { maxT = t }
                try edge(rec, f)
            case .origin(var rec):
                if rec.timeUs == OriginRecord.noTime {
                    if last == OriginRecord.noTime {
                        st.skip(.untimed)
                        continue
                    }
                    rec.timeUs = last
                }
                st.parsed &+= 1
                let t = rec.timeUs
                if t < FileScanner.plausibleFromUs || t > plausibleUntilUs { noteImplausible(t) }
                if last != OriginRecord.noTime, t < last &- 1_000_000 { st.outOfOrder &+= 1 }
                last = t
                if t < minT { minT = t }
                if t > maxT { maxT = t }
                try origin(rec, f)
            }
        }
    }

    private func tryFallbacks(_ line: UnsafeRawBufferPointer) -> (ParseOutcome, LogFormat)? {
        for i in fallbacks.indices where fallbacks[i].type.sniff(line) >= 2 {
            if fallbacks[i].parser == nil { fallbacks[i].parser = fallbacks[i].type.init(context: context) }
            let o = fallbacks[i].parser!.parse(line)
            if case .skip = o { continue }
            return (o, fallbacks[i].format)
        }
        return nil
    }

    /// Record times before this are implausible for a web server's logs (2000-01-01T00:00:00Z):
    /// a clock that was never set (1970) or a broken timestamp.
    public static let plausibleFromUs: Int64 = 946_684_800_000_000
    /// … and so are times more than a day after the run started.
    private let plausibleUntilUs = Int64(Date().timeIntervalSince1970 + 86_400) * 1_000_000
    private var nulRuns = 0
    private var nulFirstLine = 0
    private var implausible = 0
    private var implausibleFirst: (line: Int, us: Int64)? = nil
    private var lost: [SkipReason: Int] = [:]
    private var lostFirstLine = 0

    /// A line the file's parser could not read (malformed, bad timestamp, not of the format).
    private func noteLoss(_ reason: SkipReason) {
        lost[reason, default: 0] += 1
        if lostFirstLine == 0 { lostFirstLine = reader.lineNumber }
    }

    private var invalidText = 0
    private var invalidTextFirst = 0

    /// Notes the text of an origin event made from the current line: bytes that are not valid
    /// UTF-8 were shown as U+FFFD in it (lines are parsed on their bytes; only the text kept
    /// for the report is decoded). Counted, and named in the file's warnings.
    public func noteEventText(_ e: OriginEvent) {
        guard e.textRepaired else { return }
        invalidText += 1
        if invalidTextFirst == 0 { invalidTextFirst = reader.lineNumber }
    }

    /// A hole: a run of NUL bytes where a crash or a full disk left a file's preallocated tail
    /// unwritten. Counted; the line that follows it is read on.
    private func skipHole(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var k = 1
        while k < line.count, line[k] == 0 { k += 1 }
        nulRuns += 1
        if nulFirstLine == 0 { nulFirstLine = reader.lineNumber }
        return UnsafeRawBufferPointer(rebasing: line[k...])
    }

    private func noteImplausible(_ t: Int64) {
        implausible += 1
        if implausibleFirst == nil { implausibleFirst = (reader.lineNumber, t) }
    }

    @inline(__always)
    private func noteTime(_ t: Int64) {
        if t < FileScanner.plausibleFromUs || t > plausibleUntilUs { noteImplausible(t) }
        if lastTime != OriginRecord.noTime, t < lastTime - 1_000_000 { stats.outOfOrder += 1 }
        lastTime = t
        if stats.firstUs == nil || t < stats.firstUs! { stats.firstUs = t }
        if stats.lastUs == nil || t > stats.lastUs! { stats.lastUs = t }
    }

    /// Completes the accounting (too-long lines, gzip warnings, byte counts). Idempotent.
    public func finish() {
        guard !finished else { return }
        finished = true
        if reader.tooLongRecords > 0 {
            stats.lines += reader.tooLongRecords
            stats.skip(.tooLong, reader.tooLongRecords)
            let ex = reader.tooLongExamples.map(String.init).joined(separator: ", ")
            stats.warn("\(reader.tooLongRecords) line(s) longer than the limit skipped (line \(ex)); raise --max-line-bytes to read them")
        }
        if let jr = reader as? JournalExportReader {
            if jr.truncatedEntries > 0 {
                stats.lines += jr.truncatedEntries
                stats.skip(.malformed, jr.truncatedEntries)
            }
            for w in jr.warnings { stats.warn(w) }
        }
        if nulRuns > 0 {
            stats.warn("\(nulRuns) run(s) of NUL bytes skipped (first at line \(nulFirstLine)): the file has holes, as a crash or a full disk leaves them; the lines around them were read")
        }
        if !lost.isEmpty {
            let n = lost.values.reduce(0, +)
            let parts = lost.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            stats.warn("\(n) line(s) could not be read as \(format.rawValue) (\(parts); first at line \(lostFirstLine)); `originlens formats` counts them by reason")
        }
        if invalidText > 0 {
            stats.warn("\(invalidText) origin event line(s) hold bytes that are not valid UTF-8 (first at line \(invalidTextFirst)); they were read on their bytes and are shown with U+FFFD (�) in their place")
        }
        if implausible > 0, let f = implausibleFirst {
            stats.implausibleTimes = implausible
            stats.warn("\(implausible) record(s) have implausible timestamps, before 2000 or more than a day in the future (first at line \(f.line): \(CivilTime.rfc3339(f.us))); they are kept as they are: check the clock of the machine that wrote them, or use --since/--until")
        }
        if let file = (_opened2 ?? opened).raw as? FileSource, let change = file.changeWhileRead() {
            stats.warn(change)
        }
        let gz = _opened2?.gzipSource ?? opened.gzipSource
        for w in gz?.warnings ?? [] { stats.warn(w) }
        stats.bytes = reader.bytesRead
        stats.diskBytes = (_opened2 ?? opened).raw.consumedBytes
        stats.dstGaps = context.zone.gapCount
        stats.dstAmbiguous = context.zone.ambiguousCount
        if stats.dstGaps > 0 {
            stats.warn("\(stats.dstGaps) local time(s) fell into a DST gap (they do not exist in \(context.zone.spec)); read with the offset before the change")
        }
        if stats.dstAmbiguous > 0 {
            stats.warn("\(stats.dstAmbiguous) local time(s) fell into a DST overlap in \(context.zone.spec); placed by the order of the lines")
        }
    }

    /// The accounting after a read error ended the file early: what was read before the error
    /// counts, and `error` says where it stopped.
    public func failed(_ error: Error) -> FileStats {
        finish()
        var st = stats
        st.error = st.lines > 0
            ? "\(error) (after line \(reader.lineNumber); the \(st.lines) line(s) before it were read)"
            : "\(error)"
        return st
    }

    /// Reads the whole file, discarding records: just the accounting.
    public func drain() throws -> FileStats {
        try forEach(edge: { _, _ in }, origin: { _, _ in })
        return stats
    }
}

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
        try self.init(file: file, options: options, family: family, yearReference: yearReference,
                      reopenable: file.path != "-") { try InputOpener.openSource(path: file.path) }
    }

    /// Reads bytes that do not come from a file (fuzzing, tests): `open` returns the data from
    /// its start, e.g. `{ MemorySource(bytes) }`, and is called a second time when a journal
    /// export must be re-read from the start. Gzip is detected by magic as for files; `name`
    /// stands for the path in messages and events.
    public convenience init(name: String, options: ScanOptions,
                            yearReference: (year: Int, month: Int)? = nil,
                            open: () throws -> ByteSource) throws {
        try self.init(file: InputFile(path: name), options: options, family: nil, yearReference: yearReference,
                      reopenable: true) { try InputOpener.wrap(open()) }
    }

    private init(file: InputFile, options: ScanOptions, family: String?,
                 yearReference: (year: Int, month: Int)?, reopenable: Bool,
                 open: () throws -> InputOpener.Opened) throws {
        path = file.path
        var o = try open()
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
            if peekReader != nil, reopenable {
                let re = try open()
                reader = JournalExportReader(source: re.source, maxRecordBytes: options.maxLineBytes)
                _opened2 = re
            } else if peekReader == nil {
                reader = JournalExportReader(source: opened.source, maxRecordBytes: options.maxLineBytes)
            } else {
                reader = peekReader!
                st.warn("journal export on standard input is read line by line: binary fields may be split")
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
        while let line = try reader.next() {
            currentLine = line
            stats.lines += 1
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

    private func tryFallbacks(_ line: UnsafeRawBufferPointer) -> (ParseOutcome, LogFormat)? {
        for i in fallbacks.indices where fallbacks[i].type.sniff(line) >= 2 {
            if fallbacks[i].parser == nil { fallbacks[i].parser = fallbacks[i].type.init(context: context) }
            let o = fallbacks[i].parser!.parse(line)
            if case .skip = o { continue }
            return (o, fallbacks[i].format)
        }
        return nil
    }

    @inline(__always)
    private func noteTime(_ t: Int64) {
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

    /// Reads the whole file, discarding records: just the accounting.
    public func drain() throws -> FileStats {
        while try next() != nil {}
        return stats
    }
}

/// The accounting of one input file: every line read is parsed or skipped under a reason.
/// `lines == parsed + skipped.values.sum()` always holds.
public struct FileStats: Codable, Sendable, Equatable {
    public var path: String
    public var format: LogFormat
    public var gzip: Bool = false
    /// Rotation family (directory + base name), when the file belongs to one.
    public var family: String? = nil
    /// Lines (journal export: entries) read, including skipped ones.
    public var lines: Int = 0
    /// Lines that became records.
    public var parsed: Int = 0
    /// Skipped lines by reason (`SkipReason` raw values).
    public var skipped: [String: Int] = [:]
    /// Lines parsed by another parser than the file's own (mixed files), by format.
    public var mixed: [String: Int] = [:]
    /// Earliest and latest record time, UTC microseconds.
    public var firstUs: Int64? = nil
    public var lastUs: Int64? = nil
    /// Records whose time was earlier than the previous record's (by more than a second).
    public var outOfOrder: Int = 0
    /// Records with implausible times (before 2000, or more than a day after the run): kept,
    /// counted and warned about.
    public var implausibleTimes: Int = 0
    /// Local times that fell into a DST gap / overlap.
    public var dstGaps: Int = 0
    public var dstAmbiguous: Int = 0
    /// Decompressed bytes read.
    public var bytes: Int64 = 0
    /// Bytes read from disk (compressed size for gzip).
    public var diskBytes: Int64 = 0
    /// Problems: gzip damage with byte offsets, too-long lines, unknown format samples. At most
    /// `maxWarnings`, then one last entry counting the ones not kept (`warningsNotShown`).
    public var warnings: [String] = []
    /// Warnings over the cap: counted, not kept.
    public var warningsNotShown: Int = 0
    /// For `unknown` files: the first line, to show the user.
    public var sample: String? = nil
    /// When set, the file was not read because it holds the same content as this one.
    public var duplicateOf: String? = nil
    /// When set, the file could not be read at all.
    public var error: String? = nil

    public init(path: String, format: LogFormat) {
        self.path = path
        self.format = format
    }

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    /// Lines the parsers understood (parsed + structural skips such as blank or continuation).
    public var recognized: Int {
        parsed + skipped.reduce(0) { $0 + ((SkipReason(rawValue: $1.key)?.isRecognized ?? false) ? $1.value : 0) }
    }

    public mutating func skip(_ reason: SkipReason, _ n: Int = 1) {
        skipped[reason.rawValue, default: 0] += n
    }

    /// Cap on warnings kept per file; the rest are counted in the last one.
    public static let maxWarnings = 20

    public mutating func warn(_ message: String) {
        if warnings.count < FileStats.maxWarnings { warnings.append(message); return }
        warningsNotShown += 1
        let note = "… \(warningsNotShown) more warning(s) not shown"
        if warnings.count == FileStats.maxWarnings { warnings.append(note) } else { warnings[FileStats.maxWarnings] = note }
    }
}

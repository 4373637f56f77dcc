/// Why a line (or a journal-export entry) did not become a record.
///
/// Every line read is either parsed or counted under exactly one of these reasons.
public enum SkipReason: String, CaseIterable, Codable, Sendable, Comparable {
    /// Empty or whitespace-only line.
    case blank
    /// A header or directive the format defines (`#Fields:` in CloudFront, a CSV header row,
    /// a `{"events":[` batch prefix).
    case header
    /// A decoration written by a tool (`-- Boot … --`, `-- No entries --`).
    case decoration
    /// A continuation of the previous record (multi-line PHP messages, kernel OOM task tables,
    /// indented journalctl continuation lines, pretty-printed JSON bodies).
    case continuation
    /// A record read twice: the same entry in a duplicate rotation member or a duplicated line.
    case duplicate
    /// Looks like the format but a required field is missing or broken.
    case malformed
    /// The timestamp could not be read or is out of range.
    case badTimestamp = "bad-timestamp"
    /// The line does not belong to the file's format.
    case unrecognized
    /// Longer than `--max-line-bytes`; skipped without being buffered whole.
    case tooLong = "too-long"
    /// Understood, but the line carries no time of its own and nothing before it in the file
    /// gives one (a `dmesg` dump, startup lines at the top of an error log).
    case untimed = "no-time"
    /// Outside `--since`/`--until` (counted only by commands that filter while reading).
    case outOfRange = "out-of-range"

    /// Lines skipped for these reasons were still understood (they count as recognised in the
    /// corpus rate): they are structure, not loss.
    public var isRecognized: Bool {
        switch self {
        case .blank, .header, .decoration, .continuation, .duplicate, .outOfRange, .untimed: return true
        case .malformed, .badTimestamp, .unrecognized, .tooLong: return false
        }
    }

    public static func < (a: SkipReason, b: SkipReason) -> Bool { a.rawValue < b.rawValue }

    /// Lines that held data the parser could not read (as opposed to structure such as blank
    /// lines, headers or continuations): named in the file's warnings.
    public var isLoss: Bool { self == .malformed || self == .badTimestamp || self == .unrecognized }
}

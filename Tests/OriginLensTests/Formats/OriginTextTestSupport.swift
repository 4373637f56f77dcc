@testable import OriginLens

/// What an origin text parser made of one line, copied out of the borrowed record.
struct TextOriginSnap: Equatable {
    var timeUs: Int64
    var severity: Int
    var pid: Int
    var message: String
    var module: String = ""
    var ident: String = ""
    var hostname: String = ""
    var implied: ImpliedProgram = .none
}

enum TextOutcome: Equatable {
    case origin(TextOriginSnap)
    case skip(SkipReason)
    case edge

    /// The record, when there is one.
    var record: TextOriginSnap? {
        if case .origin(let r) = self { return r }
        return nil
    }
}

/// Copies the outcome; must run while the line buffer is alive.
func textOutcome(_ o: ParseOutcome) -> TextOutcome {
    switch o {
    case .edge: return .edge
    case .skip(let r): return .skip(r)
    case .origin(let r):
        return .origin(TextOriginSnap(
            timeUs: r.timeUs, severity: r.severity, pid: r.pid, message: r.message.string(),
            module: r.module.string(), ident: r.ident.string(), hostname: r.hostname.string(),
            implied: r.implied))
    }
}

/// Parses one line given as a String.
func textParse<P: LineParser>(_ parser: inout P, _ line: String) -> TextOutcome {
    UnsafeRawBufferPointer.withBytes(of: line) { textOutcome(parser.parse($0)) }
}

/// Parses one line given as raw bytes (invalid UTF-8, NUL …).
func textParse<P: LineParser>(_ parser: inout P, bytes: [UInt8]) -> TextOutcome {
    bytes.withUnsafeBytes { textOutcome(parser.parse($0)) }
}

/// Sniff score of a line.
func textSniff<P: LineParser>(_ type: P.Type, _ line: String) -> Int {
    UnsafeRawBufferPointer.withBytes(of: line) { P.sniff($0) }
}

/// Parses every prefix of every line and a few byte soups: nothing may crash, every outcome is
/// a record or a skip.
func textRobustness<P: LineParser>(_ type: P.Type, lines: [String]) {
    var p = P(context: ParseContext())
    for line in lines {
        let bytes = Array(line.utf8)
        for k in 0...bytes.count {
            _ = textParse(&p, bytes: Array(bytes[0..<k]))
            _ = bytes[0..<k].withUnsafeBytes { P.sniff($0) }
        }
        // Corrupt each position once with NUL and 0xFF.
        for k in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
            var b = bytes
            b[k] = 0
            _ = textParse(&p, bytes: b)
            b[k] = 0xFF
            _ = textParse(&p, bytes: b)
        }
    }
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
        let n = Int.random(in: 0..<120, using: &rng)
        let b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
        _ = textParse(&p, bytes: b)
        _ = b.withUnsafeBytes { P.sniff($0) }
    }
}

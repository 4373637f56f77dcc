import Foundation

/// Reads systemd journal JSON (`journalctl -o json`, reference §7.2): one JSON object per line,
/// every value a string. A value that is not printable UTF-8 is an array of byte numbers
/// (returned with `ByteField.Encoding.jsonByteArray`); a field that occurs several times is an
/// array of its values (the first non-null one is used, as in the export parser); a value that
/// journalctl left out for length (`null`) is empty. String values holding escapes are returned
/// with `.jsonString` encoding, others raw.
///
/// `journalctl -o json-pretty` is read too: its objects span many lines (`{`, one
/// `"NAME" : value` line per field, arrays one element per line, `}`). The parser copies the
/// values it needs into its own buffer as the lines go by and returns the record on the closing
/// `}` line; the other lines of the object are `.continuation`. A leading RS byte (`json-seq`)
/// is ignored.
///
/// Field mapping: as `JournalExportParser`.
public struct JournalJSONParser: LineParser {
    public static let format: LogFormat = .journalJSON

    /// A single-line object whose first key is a journal field name and that holds
    /// `"__REALTIME_TIMESTAMP"`, `"__CURSOR"`, `"_BOOT_ID"`, or both `"MESSAGE"` and `"_PID"`,
    /// is unmistakable (3). Lines of a pretty-printed object: `"__REALTIME_TIMESTAMP" : `,
    /// `"__CURSOR" : `, `"__MONOTONIC_TIMESTAMP" : `, `"_BOOT_ID" : ` score 3, other
    /// `"NAME" : ` lines with a journal field name 1; a lone `{` or `}` 0.
    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        var i = ByteScan.skipSpaces(line, from: 0)
        if i < line.count, line[i] == 0x1E { i = ByteScan.skipSpaces(line, from: i + 1) }
        guard i < line.count else { return 0 }
        if line[i] == 0x7B {   // {
            let k = ByteScan.skipSpaces(line, from: i + 1)
            guard k < line.count, line[k] == ByteScan.quote,
                  let (ke, _) = ByteScan.jsonStringEnd(line, openQuote: k),
                  JournalFields.isValidName(ByteScan.slice(line, k + 1, ke)) else { return 0 }
            if ByteScan.contains("\"__REALTIME_TIMESTAMP\"", in: line) || ByteScan.contains("\"__CURSOR\"", in: line)
                || ByteScan.contains("\"_BOOT_ID\"", in: line)
                || (ByteScan.contains("\"MESSAGE\"", in: line) && ByteScan.contains("\"_PID\"", in: line)) {
                return 3
            }
            return 0
        }
        guard line[i] == ByteScan.quote, let (ke, _) = ByteScan.jsonStringEnd(line, openQuote: i) else { return 0 }
        let name = ByteScan.slice(line, i + 1, ke)
        guard JournalFields.isValidName(name) else { return 0 }
        // Pretty layout: `"NAME" : value` (space before the colon).
        guard ByteScan.hasPrefix(" : ", in: line, at: ke + 1) else { return 0 }
        let v = ke + 4
        guard v < line.count, line[v] == ByteScan.quote || line[v] == 0x5B || line[v] == 0x6E else { return 0 }
        switch name.count {
        case 8 where ByteScan.hasPrefix("__CURSOR", in: name),
             8 where ByteScan.hasPrefix("_BOOT_ID", in: name),
             20 where ByteScan.hasPrefix("__REALTIME_TIMESTAMP", in: name),
             21 where ByteScan.hasPrefix("__MONOTONIC_TIMESTAMP", in: name):
            return 3
        default:
            return 1
        }
    }

    /// State of a `json-pretty` object being read across lines.
    private var pretty: PrettyObject?

    public init(context: ParseContext) {}

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        let n = line.count
        var i = ByteScan.skipSpaces(line, from: 0)
        if i < n, line[i] == 0x1E { i = ByteScan.skipSpaces(line, from: i + 1) }
        if i >= n || ByteScan.isBlank(UnsafeRawBufferPointer(rebasing: line[i...])) { return .skip(.blank) }
        if line[i] == 0x7B {   // {
            let k = ByteScan.skipSpaces(line, from: i + 1)
            if k >= n || ByteScan.isBlank(UnsafeRawBufferPointer(rebasing: line[k...])) {
                // `{` alone: a pretty-printed object starts.
                let cut = pretty?.isOpen ?? false
                if pretty == nil { pretty = PrettyObject() }
                pretty!.open()
                return cut ? .skip(.malformed) : .skip(.continuation)
            }
            if let p = pretty, p.isOpen {
                // A one-line object while a pretty one is open: the open one was cut.
                p.isOpen = false
            }
            return JournalJSONParser.parseObject(line, from: i)
        }
        if let p = pretty, p.isOpen { return p.feed(line, from: i) }
        return .skip(.unrecognized)
    }

    /// Parses one complete object starting at `line[at] == "{"`.
    static func parseObject(_ line: UnsafeRawBufferPointer, from at: Int) -> ParseOutcome {
        let n = line.count
        var f = JournalFields()
        var k = ByteScan.skipSpaces(line, from: at + 1)
        if k < n, line[k] == 0x7D { return .skip(.unrecognized) }   // {}
        while true {
            guard k < n, line[k] == ByteScan.quote, let (ke, kesc) = ByteScan.jsonStringEnd(line, openQuote: k) else {
                return .skip(.malformed)
            }
            let id = kesc ? nil : JournalFields.Name.lookup(UnsafeRawBufferPointer(rebasing: line[(k + 1)..<ke]))
            k = ByteScan.skipSpaces(line, from: ke + 1)
            guard k < n, line[k] == 0x3A else { return .skip(.malformed) }
            k = ByteScan.skipSpaces(line, from: k + 1)
            guard let (value, after) = readValue(line, at: k) else { return .skip(.malformed) }
            f.fieldCount += 1
            if let id { f.offer(id, value) }
            k = ByteScan.skipSpaces(line, from: after)
            guard k < n else { return .skip(.malformed) }
            if line[k] == 0x2C { k = ByteScan.skipSpaces(line, from: k + 1); continue }
            if line[k] == 0x7D { break }
            return .skip(.malformed)
        }
        return f.outcome()
    }

    /// Reads a JSON value at `at`: a string, `null`, an array (byte array, or repeated field
    /// whose first non-null element is taken) or a bare scalar. Returns the field and the index
    /// after the value; nil when the syntax is broken.
    static func readValue(_ line: UnsafeRawBufferPointer, at k: Int) -> (ByteField, Int)? {
        let n = line.count
        guard k < n else { return nil }
        switch line[k] {
        case ByteScan.quote:
            guard let (ve, esc) = ByteScan.jsonStringEnd(line, openQuote: k) else { return nil }
            return (ByteScan.field(line, k + 1, ve, encoding: esc ? .jsonString : .raw), ve + 1)
        case 0x5B:   // [
            let j = ByteScan.skipSpaces(line, from: k + 1)
            guard j < n else { return nil }
            if isDigit(line[j]) || line[j] == 0x5D {
                // Array of byte numbers (or empty).
                guard let close = ByteScan.find(0x5D, in: line, from: j) else { return nil }
                return (ByteScan.field(line, k + 1, close, encoding: .jsonByteArray), close + 1)
            }
            // Repeated field: [value, value, ...]
            var chosen: ByteField? = nil
            var e = j
            while true {
                e = ByteScan.skipSpaces(line, from: e)
                guard e < n else { return nil }
                if line[e] == 0x5B {
                    guard let close = ByteScan.find(0x5D, in: line, from: e) else { return nil }
                    if chosen == nil { chosen = ByteScan.field(line, e + 1, close, encoding: .jsonByteArray) }
                    e = close + 1
                } else if line[e] == 0x5D {
                    return (chosen ?? .empty, e + 1)
                } else {
                    guard let (v, after) = readValue(line, at: e) else { return nil }
                    if chosen == nil, !isNull(line, e) { chosen = v }
                    e = after
                }
                e = ByteScan.skipSpaces(line, from: e)
                guard e < n else { return nil }
                if line[e] == 0x2C { e += 1; continue }
                if line[e] == 0x5D { return (chosen ?? .empty, e + 1) }
                return nil
            }
        default:
            // null, or a scalar journalctl does not write (number, true, false): up to , } ]
            var e = k
            while e < n, line[e] != 0x2C, line[e] != 0x7D, line[e] != 0x5D { e += 1 }
            var stop = e
            while stop > k, line[stop - 1] == ByteScan.space || line[stop - 1] == ByteScan.tab { stop -= 1 }
            if stop == k { return nil }
            if isNull(line, k) { return (.empty, e) }
            return (ByteScan.field(line, k, stop), e)
        }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always) static func isNull(_ line: UnsafeRawBufferPointer, _ at: Int) -> Bool {
        ByteScan.hasPrefix("null", in: line, at: at)
    }
}

/// The fields of a `json-pretty` object gathered across lines, copied into an owned buffer
/// (each line's memory is gone once the next is read).
final class PrettyObject {
    private static let slots = 15
    /// Copies stop beyond this many bytes per object (journalctl nulls values ≥ 4096 bytes
    /// unless `--all`).
    private static let maxBytes = 4 << 20

    private var buf: UnsafeMutableRawPointer
    private var cap: Int
    private var used = 0
    private var offsets = [Int](repeating: 0, count: PrettyObject.slots)
    private var lengths = [Int](repeating: 0, count: PrettyObject.slots)
    private var encodings = [ByteField.Encoding](repeating: .raw, count: PrettyObject.slots)
    private var seen: UInt32 = 0
    private var fieldCount = 0
    var isOpen = false

    /// Inside a multi-line array value: nesting depth (1 = the field's own array).
    private var depth = 0
    /// The field the open array belongs to (nil: a field OriginLens does not use).
    private var arrayField: JournalFields.Name?
    /// Collecting byte numbers for `arrayField` (a byte-array value or element).
    private var collecting = false
    /// The open array already gave its value.
    private var taken = false

    init() {
        cap = 4096
        buf = .allocate(byteCount: cap, alignment: 8)
    }

    deinit { buf.deallocate() }

    func open() {
        isOpen = true
        used = 0
        seen = 0
        fieldCount = 0
        depth = 0
        arrayField = nil
        collecting = false
        taken = false
    }

    private func bit(_ name: JournalFields.Name) -> UInt32 { 1 << UInt32(name.rawValue) }

    /// Appends bytes to the buffer; false when over the limit.
    private func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.isEmpty { return true }
        if used + bytes.count > PrettyObject.maxBytes { return false }
        if used + bytes.count > cap {
            var newCap = cap * 2
            while newCap < used + bytes.count { newCap *= 2 }
            let nb = UnsafeMutableRawPointer.allocate(byteCount: newCap, alignment: 8)
            nb.copyMemory(from: buf, byteCount: used)
            buf.deallocate()
            buf = nb
            cap = newCap
        }
        (buf + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        used += bytes.count
        return true
    }

    /// Stores a whole value for `name` unless the field was already seen.
    private func store(_ name: JournalFields.Name, _ value: ByteField) {
        let b = bit(name)
        if seen & b != 0 { return }
        seen |= b
        let s = Int(name.rawValue)
        offsets[s] = used
        encodings[s] = value.encoding
        lengths[s] = append(value.raw) ? value.count : 0
    }

    /// One line inside the open object (`at`: its first non-blank byte).
    func feed(_ line: UnsafeRawBufferPointer, from at: Int) -> ParseOutcome {
        let c = line[at]
        if depth > 0 { return arrayLine(line, from: at) }
        if c == 0x7D {   // }
            isOpen = false
            if fieldCount == 0 { return .skip(.unrecognized) }
            return makeFields().outcome()
        }
        guard c == ByteScan.quote, let (ke, kesc) = ByteScan.jsonStringEnd(line, openQuote: at) else {
            return .skip(.malformed)
        }
        let id = kesc ? nil : JournalFields.Name.lookup(UnsafeRawBufferPointer(rebasing: line[(at + 1)..<ke]))
        var k = ByteScan.skipSpaces(line, from: ke + 1)
        guard k < line.count, line[k] == 0x3A else { return .skip(.malformed) }
        k = ByteScan.skipSpaces(line, from: k + 1)
        guard k < line.count else { return .skip(.malformed) }
        fieldCount += 1
        if line[k] == 0x5B, ByteScan.isBlank(UnsafeRawBufferPointer(rebasing: line[(k + 1)...])) {
            // `"NAME" : [` — the elements follow, one per line.
            depth = 1
            arrayField = id
            collecting = false
            taken = id.map { seen & bit($0) != 0 } ?? true
            return .skip(.continuation)
        }
        guard let (value, _) = JournalJSONParser.readValue(line, at: k) else { return .skip(.malformed) }
        if let id { store(id, value) }
        return .skip(.continuation)
    }

    /// A line inside a multi-line array: `]`/`],`, `[`, a number, a string or `null`.
    private func arrayLine(_ line: UnsafeRawBufferPointer, from at: Int) -> ParseOutcome {
        let c = line[at]
        if c == 0x5D {   // ]
            if collecting { finishCollecting() }
            depth -= 1
            if depth == 0 { arrayField = nil }
            return .skip(.continuation)
        }
        if c == 0x5B {   // [ : a byte-array element of a repeated field
            depth += 1
            if depth == 2, !taken, arrayField != nil { startCollecting() }
            return .skip(.continuation)
        }
        if JournalJSONParser.isDigit(c) {
            if depth == 1, !taken, !collecting, arrayField != nil { startCollecting() }   // the value itself is a byte array
            if collecting {
                var e = at
                while e < line.count, JournalJSONParser.isDigit(line[e]) { e += 1 }
                let comma: [UInt8] = [0x2C]
                var ok = append(UnsafeRawBufferPointer(rebasing: line[at..<e]))
                ok = ok && comma.withUnsafeBytes { append($0) }
                if let f = arrayField, ok { lengths[Int(f.rawValue)] = used - offsets[Int(f.rawValue)] }
            }
            return .skip(.continuation)
        }
        if c == ByteScan.quote || c == 0x6E {   // a string or null element
            guard let (value, _) = JournalJSONParser.readValue(line, at: at) else { return .skip(.malformed) }
            if depth == 1, !taken, let f = arrayField, c == ByteScan.quote {
                store(f, value)
                taken = true
            }
            return .skip(.continuation)
        }
        return .skip(.malformed)
    }

    private func startCollecting() {
        guard let f = arrayField else { return }
        let s = Int(f.rawValue)
        seen |= bit(f)
        offsets[s] = used
        lengths[s] = 0
        encodings[s] = .jsonByteArray
        collecting = true
    }

    private func finishCollecting() {
        collecting = false
        taken = true
    }

    private func makeFields() -> JournalFields {
        var f = JournalFields()
        f.fieldCount = fieldCount
        for s in 0..<PrettyObject.slots where seen & (1 << UInt32(s)) != 0 {
            let name = JournalFields.Name(rawValue: UInt8(s))!
            f.offer(name, ByteField(base: UnsafeRawPointer(buf) + offsets[s], count: lengths[s], encoding: encodings[s]))
        }
        return f
    }
}

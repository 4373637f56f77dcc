import Foundation

/// The journal fields OriginLens reads, shared by the export and JSON parsers.
///
/// Both parsers walk an entry's fields in their own syntax and hand each `(name, value)` pair to
/// `offer`. Only the first occurrence of a field counts (a field may repeat within an entry; the
/// journal keeps them in the order they were logged, so the first is the original). Unknown
/// fields are ignored.
struct JournalFields {
    /// The fields used, by name.
    enum Name: UInt8 {
        case message, priority, syslogIdentifier, comm, pid, hostname, unit, userUnit
        case systemdUnit, messageID, exitCode, exitStatus, unitResult
        case realtime, sourceRealtime

        /// The field a name denotes, or nil for a field OriginLens does not use.
        @inline(__always)
        static func lookup(_ n: UnsafeRawBufferPointer) -> Name? {
            @inline(__always) func eq(_ lit: StaticString) -> Bool {
                memcmp(n.baseAddress!, lit.utf8Start, lit.utf8CodeUnitCount) == 0
            }
            switch n.count {
            case 4: return eq("_PID") ? .pid : eq("UNIT") ? .unit : nil
            case 5: return eq("_COMM") ? .comm : nil
            case 7: return eq("MESSAGE") ? .message : nil
            case 8: return eq("PRIORITY") ? .priority : nil
            case 9: return eq("_HOSTNAME") ? .hostname : eq("USER_UNIT") ? .userUnit : eq("EXIT_CODE") ? .exitCode : nil
            case 10: return eq("MESSAGE_ID") ? .messageID : nil
            case 11: return eq("EXIT_STATUS") ? .exitStatus : eq("UNIT_RESULT") ? .unitResult : nil
            case 13: return eq("_SYSTEMD_UNIT") ? .systemdUnit : nil
            case 17: return eq("SYSLOG_IDENTIFIER") ? .syslogIdentifier : nil
            case 20: return eq("__REALTIME_TIMESTAMP") ? .realtime : nil
            case 26: return eq("_SOURCE_REALTIME_TIMESTAMP") ? .sourceRealtime : nil
            default: return nil
            }
        }
    }

    var message = ByteField.empty
    var priority = ByteField.empty
    var syslogIdentifier = ByteField.empty
    var comm = ByteField.empty
    var pid = ByteField.empty
    var hostname = ByteField.empty
    var unit = ByteField.empty
    var userUnit = ByteField.empty
    var systemdUnit = ByteField.empty
    var messageID = ByteField.empty
    var exitCode = ByteField.empty
    var exitStatus = ByteField.empty
    var unitResult = ByteField.empty
    var realtime = ByteField.empty
    var sourceRealtime = ByteField.empty
    /// Bit `Name.rawValue` set once the field was seen.
    private(set) var seen: UInt32 = 0
    /// Number of well-formed fields met (used or not).
    var fieldCount = 0

    /// True when `name` was already taken.
    @inline(__always)
    func has(_ name: Name) -> Bool { seen & (1 << UInt32(name.rawValue)) != 0 }

    /// Records a field value unless the field was already seen (first occurrence wins).
    @inline(__always)
    mutating func offer(_ name: Name, _ value: ByteField) {
        let bit: UInt32 = 1 << UInt32(name.rawValue)
        if seen & bit != 0 { return }
        seen |= bit
        switch name {
        case .message: message = value
        case .priority: priority = value
        case .syslogIdentifier: syslogIdentifier = value
        case .comm: comm = value
        case .pid: pid = value
        case .hostname: hostname = value
        case .unit: unit = value
        case .userUnit: userUnit = value
        case .systemdUnit: systemdUnit = value
        case .messageID: messageID = value
        case .exitCode: exitCode = value
        case .exitStatus: exitStatus = value
        case .unitResult: unitResult = value
        case .realtime: realtime = value
        case .sourceRealtime: sourceRealtime = value
        }
    }

    /// Latest accepted time: 9999-12-31T23:59:59Z, in microseconds.
    static let maxTimeUs: Int64 = 253_402_300_799_999_999

    /// Decimal integer value of a field (decoded first when it is escaped); nil when not a number.
    @inline(__always)
    static func int(_ f: ByteField) -> Int? {
        if f.count == 0 { return nil }
        if f.encoding == .raw { return ByteScan.parseInt(f.raw) }
        return f.withDecoded { ByteScan.parseInt($0) }
    }

    /// A journal timestamp (decimal microseconds since the epoch, UTC); nil when absent or invalid.
    @inline(__always)
    static func timestamp(_ f: ByteField) -> Int64? {
        guard let v = int(f), v > 0, Int64(v) <= maxTimeUs else { return nil }
        return Int64(v)
    }

    /// The record for these fields: `_SOURCE_REALTIME_TIMESTAMP` (the sender's time, what
    /// journalctl displays) when present and valid, else `__REALTIME_TIMESTAMP` (receive time).
    /// No valid timestamp -> `.badTimestamp`. A missing MESSAGE gives an empty message.
    func outcome() -> ParseOutcome {
        guard let t = JournalFields.timestamp(sourceRealtime) ?? JournalFields.timestamp(realtime) else {
            return .skip(.badTimestamp)
        }
        var r = OriginRecord(timeUs: t)
        r.message = message
        if let p = JournalFields.int(priority), p >= 0, p <= 7 { r.severity = p }
        r.ident = syslogIdentifier.isEmpty ? comm : syslogIdentifier
        if let p = JournalFields.int(pid), p >= 0 { r.pid = p }
        r.hostname = hostname
        r.unit = unit.isEmpty ? userUnit : unit
        r.senderUnit = systemdUnit
        r.messageID = messageID
        r.exitCode = exitCode
        r.exitStatus = exitStatus
        r.unitResult = unitResult
        return .origin(r)
    }

    /// True for a valid journal field name: 1…64 bytes of `A-Z`, `0-9`, `_`, not starting with a
    /// digit (systemd's `journal_field_valid`, with the `__` pseudo-fields of the export format
    /// allowed). The export format writes a binary field as such a name alone on its line.
    @inline(__always)
    static func isValidName(_ n: UnsafeRawBufferPointer) -> Bool {
        guard n.count >= 1, n.count <= 64 else { return false }
        if n[0] >= 0x30 && n[0] <= 0x39 { return false }
        for b in n {
            if !((b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F) { return false }
        }
        return true
    }
}

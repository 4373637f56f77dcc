/// Proxmox VE firewall log (`/var/log/pve-firewall.log`):
/// `<vmid> <level> <chain> DD/Mon/YYYY:HH:MM:SS ±hhmm <action>: IN=… SRC=… DPT=…`.
///
/// The time carries its offset. The record's message starts at the action (`policy DROP: IN=…`,
/// `REJECT: IN=…`), so that the netfilter rules of the catalog read it like a kernel LOG line;
/// `module` is the chain, `ident` is `pve-firewall`, `severity` the level column.
public struct ProxmoxFirewallParser: LineParser {
    public static let format: LogFormat = .pveFirewall
    static let identText: StaticString = "pve-firewall"

    public init(context: ParseContext) {}

    public static func sniff(_ line: UnsafeRawBufferPointer) -> Int {
        guard let p = fields(line) else { return 0 }
        return ByteScan.find("IN=", in: line, from: p.messageStart) != nil ? 3 : 2
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if ByteScan.isBlank(line) { return .skip(.blank) }
        guard let p = ProxmoxFirewallParser.fields(line) else { return .skip(.unrecognized) }
        var r = OriginRecord(timeUs: p.timeUs)
        r.ident = ByteField(base: UnsafeRawPointer(ProxmoxFirewallParser.identText.utf8Start),
                            count: ProxmoxFirewallParser.identText.utf8CodeUnitCount)
        r.implied = .kernel
        r.severity = p.level
        r.module = ByteScan.field(line, p.chain.0, p.chain.1)
        r.message = ByteScan.field(line, p.messageStart, line.count)
        return .origin(r)
    }

    struct Fields {
        var level: Int
        var chain: (Int, Int)
        var timeUs: Int64
        var messageStart: Int
    }

    static func fields(_ line: UnsafeRawBufferPointer) -> Fields? {
        guard let (_, e1) = ByteScan.digitRun(line, at: 0, max: 10), e1 < line.count, line[e1] == 0x20,
              let (level, e2) = ByteScan.digitRun(line, at: e1 + 1, max: 2), e2 < line.count, line[e2] == 0x20,
              let sp = ByteScan.find(0x20, in: line, from: e2 + 1), sp > e2 + 1 else { return nil }
        let t = sp + 1
        guard t + 26 <= line.count,
              let d = ByteScan.digits(line, at: t, count: 2), line[t + 2] == 0x2F,
              let mo = ByteScan.month(line, at: t + 3), line[t + 6] == 0x2F,
              let y = ByteScan.digits(line, at: t + 7, count: 4), line[t + 11] == 0x3A,
              let h = ByteScan.digits(line, at: t + 12, count: 2), line[t + 14] == 0x3A,
              let mi = ByteScan.digits(line, at: t + 15, count: 2), line[t + 17] == 0x3A,
              let s = ByteScan.digits(line, at: t + 18, count: 2), line[t + 20] == 0x20,
              line[t + 21] == 0x2B || line[t + 21] == 0x2D,
              let oh = ByteScan.digits(line, at: t + 22, count: 2), let om = ByteScan.digits(line, at: t + 24, count: 2),
              let secs = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        else { return nil }
        let off = Int64((oh * 3600 + om * 60) * (line[t + 21] == 0x2D ? -1 : 1))
        let msg = ByteScan.skipSpaces(line, from: t + 26)
        return Fields(level: level, chain: (e2 + 1, sp), timeUs: (secs - off) * 1_000_000, messageStart: msg)
    }
}

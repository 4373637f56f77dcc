import Testing
@testable import OriginLens

@Suite struct ProxmoxFirewallParserTests {
    let line = "0 2 PVEFW-HOST-IN 20/Jun/2022:13:09:25 +0200 REJECT: IN=vmbr0.94 MAC=24:8a:07:9a:2a:f2:d4:af:f7:44:79:d1:08:00 SRC=10.3.95.34 DST=10.3.94.12 LEN=60 TOS=0x10 PREC=0x00 TTL=62 ID=52883 DF PROTO=TCP SPT=36504 DPT=3306 SEQ=2315974272 ACK=0 WINDOW=64240 SYN "

    @Test func parsesTheLayout() {
        var p = ProxmoxFirewallParser(context: ParseContext())
        UnsafeRawBufferPointer.withBytes(of: line) { buf in
            guard case .origin(let r) = p.parse(buf) else { Issue.record("not parsed"); return }
            #expect(r.timeUs == 1_655_723_365_000_000)   // 2022-06-20T11:09:25Z
            #expect(r.severity == 2)
            #expect(r.module.string() == "PVEFW-HOST-IN")
            #expect(r.ident.string() == "pve-firewall")
            #expect(r.message.string().hasPrefix("REJECT: IN=vmbr0.94 "))
        }
        #expect(UnsafeRawBufferPointer.withBytes(of: line) { ProxmoxFirewallParser.sniff($0) } == 3)
    }

    @Test func rejectsOtherFormats() {
        var p = ProxmoxFirewallParser(context: ParseContext())
        for other in ["Jan 15 10:23:45 web1 kernel: [UFW BLOCK] IN=eth0", "2024/01/15 10:23:45 [error] 1#1: x", "0 2 X 20/Jun/2022:13:09", ""] {
            let o = UnsafeRawBufferPointer.withBytes(of: other) { p.parse($0) }
            if case .origin = o { Issue.record("claimed: \(other)") }
            #expect(UnsafeRawBufferPointer.withBytes(of: other) { ProxmoxFirewallParser.sniff($0) } == 0)
        }
    }
}

import Testing
@testable import OriginLens

@Suite struct VPCFlowParserTests {
    // AWS documentation examples (default format, version 2).
    static let accept = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
    static let reject = "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"
    static let nodata = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"
    static let skipdata = "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA"
    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

    @Test func defaultFormat() {
        var p = VPCFlowParser(context: ParseContext())
        #expect(textParse(&p, Self.accept) == .origin(.init(timeUs: 1_418_530_010_000_000, severity: 6, pid: -1, message: Self.accept, implied: .vpcFlow)))
        #expect(textParse(&p, Self.reject) == .origin(.init(timeUs: 1_418_530_010_000_000, severity: 4, pid: -1, message: Self.reject, implied: .vpcFlow)))
        #expect(textParse(&p, Self.nodata) == .origin(.init(timeUs: 1_431_280_876_000_000, severity: 7, pid: -1, message: Self.nodata, implied: .vpcFlow)))
        #expect(textParse(&p, Self.skipdata) == .origin(.init(timeUs: 1_431_280_876_000_000, severity: 4, pid: -1, message: Self.skipdata, implied: .vpcFlow)))
        let port = UnsafeRawBufferPointer.withBytes(of: Self.reject) { p.value(.dstport, in: $0).string() }
        #expect(port == "3389")
        let src = UnsafeRawBufferPointer.withBytes(of: Self.reject) { p.value(.srcaddr, in: $0).string() }
        #expect(src == "172.31.9.69")
        // The zone does not matter: flow logs carry unix seconds.
        var z = VPCFlowParser(context: ParseContext(zone: .fixed(3600)))
        #expect(textParse(&z, Self.accept).record?.timeUs == 1_418_530_010_000_000)
    }

    @Test func headerAndCustomFormat() {
        var p = VPCFlowParser(context: ParseContext())
        #expect(textParse(&p, Self.header) == .skip(.header))
        #expect(textParse(&p, Self.accept).record?.timeUs == 1_418_530_010_000_000)
        // Custom format (AWS documentation example), columns mapped by the header.
        var c = VPCFlowParser(context: ParseContext())
        #expect(textParse(&c, "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status") == .skip(.header))
        #expect(c.hasHeader)
        #expect(c.columnCount == 21)
        let line = "3 vpc-12345678 subnet-012345678 i-07890123456 eni-23456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK"
        #expect(textParse(&c, line) == .origin(.init(timeUs: 1_566_848_875_000_000, severity: 6, pid: -1, message: line, implied: .vpcFlow)))
        let port = UnsafeRawBufferPointer.withBytes(of: line) { c.value(.dstport, in: $0).string() }
        #expect(port == "5001")
        let status = UnsafeRawBufferPointer.withBytes(of: line) { c.value(.logStatus, in: $0).string() }
        #expect(status == "OK")
        // Default-format line under a 21-column header: wrong column count.
        #expect(textParse(&c, Self.accept) == .skip(.malformed))
        // Layout without start/end: no time of its own.
        var n = VPCFlowParser(context: ParseContext())
        _ = textParse(&n, "srcaddr dstaddr dstport action")
        #expect(textParse(&n, "162.158.87.3 10.0.0.5 443 REJECT") == .origin(.init(timeUs: OriginRecord.noTime, severity: 4, pid: -1, message: "162.158.87.3 10.0.0.5 443 REJECT", implied: .vpcFlow)))
        #expect(UnsafeRawBufferPointer.withBytes(of: "162.158.87.3 10.0.0.5 443 REJECT") { n.value(.start, in: $0).isEmpty })
        // `-` start: no time.
        var d = VPCFlowParser(context: ParseContext())
        _ = textParse(&d, "start action log-status")
        #expect(textParse(&d, "- - NODATA").record?.timeUs == OriginRecord.noTime)
    }

    @Test func cloudWatchExportPrefix() {
        var p = VPCFlowParser(context: ParseContext())
        let line = "2014-12-14T04:06:50.000Z " + Self.accept
        #expect(textParse(&p, line) == .origin(.init(timeUs: 1_418_530_010_000_000, severity: 6, pid: -1, message: Self.accept, implied: .vpcFlow)))
        #expect(textSniff(VPCFlowParser.self, line) == 3)
    }

    @Test func errors() {
        var p = VPCFlowParser(context: ParseContext())
        #expect(textParse(&p, "") == .skip(.blank))
        #expect(textParse(&p, "# note") == .skip(.decoration))
        #expect(textParse(&p, "2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 x 1418530070 ACCEPT OK") == .skip(.badTimestamp))
        #expect(textParse(&p, "2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 99999999999999999 1418530070 ACCEPT OK") == .skip(.badTimestamp))
        #expect(textParse(&p, "2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 -5 1418530070 ACCEPT OK") == .skip(.badTimestamp))
        #expect(textParse(&p, "2 123456789010 eni-1 1.2.3.4") == .skip(.malformed))
        #expect(textParse(&p, "2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT BROKEN") == .skip(.malformed))
        #expect(textParse(&p, "x 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT OK") == .skip(.unrecognized))
        // Fourteen tokens of a kernel line are not a flow record.
        #expect(textParse(&p, "Jan 15 10:23:45 web1 kernel: SRAT: PXM 1 -> APIC 0 -> Node 0") == .skip(.unrecognized))
        #expect(textParse(&p, NginxErrorParserTests.examples[0]) == .skip(.unrecognized))
        #expect(textParse(&p, "[Mon Jan 15 10:23:45 2024] [error] x") == .skip(.unrecognized))
        var bytes = Array("2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ".utf8)
        bytes += [0xFF, 0x20, 0x4F, 0x4B]
        #expect(textParse(&p, bytes: bytes).record?.timeUs == 1_418_530_010_000_000)
    }

    @Test func sniffScores() {
        #expect(textSniff(VPCFlowParser.self, Self.accept) == 3)
        #expect(textSniff(VPCFlowParser.self, Self.nodata) == 3)
        #expect(textSniff(VPCFlowParser.self, Self.header) == 3)
        #expect(textSniff(VPCFlowParser.self, "3 vpc-1 subnet-1 i-1 eni-2 123456789010 IPv4 1.2.3.4 10.0.0.62 1 2 1.2.3.4 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK") == 1)
        #expect(textSniff(VPCFlowParser.self, NginxErrorParserTests.examples[0]) == 0)
        #expect(textSniff(VPCFlowParser.self, "the quick brown fox") == 0)
        #expect(textSniff(VPCFlowParser.self, "start end") == 0)
    }

    @Test func neverCrashes() {
        textRobustness(VPCFlowParser.self, lines: [Self.accept, Self.nodata, Self.header, "2014-12-14T04:06:50.000Z " + Self.accept])
    }
}

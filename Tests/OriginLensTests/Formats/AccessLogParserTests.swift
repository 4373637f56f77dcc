import Testing
@testable import OriginLens

@Suite struct AccessLogParserTests {
    func parser() -> AccessLogParser { AccessLogParser(context: ParseContext()) }

    // Reference §3.1 example.
    static let combined = #"172.70.242.14 - - [15/Jan/2024:10:23:45 +0100] "GET /checkout?step=2 HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Linux x86_64)""#

    @Test func referenceCombined() throws {
        var p = parser()
        let v = try #require(p.parseEdge(Self.combined).edge)
        #expect(v.timeUs == 1_705_310_625_000_000)   // 10:23:45 +0100 = 09:23:45Z
        #expect(v.status == 502)
        #expect(v.clientIP == "172.70.242.14")
        #expect(v.method == "GET")
        #expect(v.path == "/checkout")
        #expect(v.host == "")
        #expect(v.originStatus == -1)
    }

    @Test func commonAndOffsets() throws {
        var p = parser()
        let a = try #require(p.parseEdge(#"1.2.3.4 - theuser [10/Feb/2012:16:42:07 -0500] "GET / HTTP/1.0" 301 368"#).edge)
        #expect(a.timeUs == 1_328_910_127_000_000)
        #expect(a.status == 301)
        #expect(a.path == "/")
        // No byte count at all, status last on the line.
        let b = try #require(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:09:23:45 +0000] "GET /x HTTP/1.0" 200"#).edge)
        #expect(b.timeUs == 1_705_310_625_000_000)
        #expect(b.status == 200)
        // Half-hour offset and a millisecond fraction.
        let c = try #require(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:14:53:45.250 +0530] "GET /x HTTP/1.0" 200 -"#).edge)
        #expect(c.timeUs == 1_705_310_625_250_000)
    }

    @Test func trailingFieldsAndDashBytes() throws {
        var p = parser()
        // combinedio %I %O, nginx request_time, extra quoted field.
        let lines = [
            #"10.0.0.1 - - [15/Jan/2024:10:23:45 +0100] "POST /api HTTP/2.0" 200 - "https://r.example/" "curl/8" 512 1024"#,
            #"10.0.0.1 - - [15/Jan/2024:10:23:45 +0100] "POST /api HTTP/2.0" 200 15 "-" "curl/8" 0.004 "upstream:127.0.0.1:9000""#,
            #"10.0.0.1 - - [15/Jan/2024:10:23:45 +0100] "POST /api HTTP/2.0" 200 15 "-" "-" "-""#,
        ]
        for l in lines {
            let v = p.parseEdge(l).edge
            #expect(v?.status == 200, "\(l)")
            #expect(v?.method == "POST")
            #expect(v?.path == "/api")
            #expect(v?.timeUs == 1_705_310_625_000_000)
        }
    }

    @Test func ipv6AndVhostVariants() throws {
        var p = parser()
        let a = try #require(p.parseEdge(#"2001:db8::80da:af6b:8b2c - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" 200 10 "-" "-""#).edge)
        #expect(a.clientIP == "2001:db8::80da:af6b:8b2c")
        let b = try #require(p.parseEdge(#"website.com:443 1.2.3.4 - - [25/Oct/2021:11:05:52 +0200] "GET /web/.well-known HTTP/1.1" 403 6963 "abc.com" "User-agent-string""#).edge)
        #expect(b.host == "website.com")
        #expect(b.clientIP == "1.2.3.4")
        #expect(b.status == 403)
        #expect(b.timeUs == 1_635_152_752_000_000)
        let c = try #require(p.parseEdge(#"www.crowdsec.net 1.2.3.4 - - [08/Jun/2020:08:04:43 +0000] "GET /solr/admin/info/system?wt=json HTTP/1.1" 500 803 "-" "-""#).edge)
        #expect(c.host == "www.crowdsec.net")
        #expect(c.path == "/solr/admin/info/system")
        #expect(c.timeUs == 1_591_603_483_000_000)
        // Ident field missing (`client - [`): still parses.
        let d = try #require(p.parseEdge(#"192.168.1.1 - [08/Jun/2020:08:04:43 +0000] "GET /api/test HTTP/1.1" 200 100 "-" "curl/7.68.0""#).edge)
        #expect(d.clientIP == "192.168.1.1")
        #expect(d.host == "")
    }

    @Test func garbageRequestLines() throws {
        var p = parser()
        let cases: [(String, String, String, Int)] = [
            (#""""#, "", "", 400),
            (#""-""#, "", "", 400),
            (#""\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03""#, "", "", 400),
            (#""\x03\x00\x00/*\xE0\x00\x00\x00\x00\x00Cookie: mstshash=Administr""#, "", "", 400),
            (#""HELP""#, "HELP", "", 400),
            (#""batman""#, "", "", 400),
            (#""CONNECT 123.123.123.123 HTTP/1.1""#, "CONNECT", "123.123.123.123", 400),
            (#""GET /a\"b?c HTTP/1.1""#, "GET", #"/a\"b"#, 400),
            (#""GET /say "hi" HTTP/1.1""#, "GET", "/say", 400),   // unescaped quote: status anchors the end
        ]
        for (req, method, path, status) in cases {
            let line = #"12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "# + req + " \(status) 47 \"-\" \"-\" \"-\""
            let v = p.parseEdge(line).edge
            #expect(v?.method == method, "\(req)")
            #expect(v?.path == path, "\(req)")
            #expect(v?.status == status, "\(req)")
            #expect(v?.timeUs == 1_421_780_008_000_000, "\(req)")
        }
    }

    @Test func rawNonUTF8Path() throws {
        var p = parser()
        var bytes = Array(#"www.example.com 1.2.3.4 - theuser [10/Feb/2012:16:42:07 -0500] "GET /"#.utf8)
        bytes += [0xAC, 0xB0, 0xA8, 0xE4, 0x00]
        bytes += Array(#" HTTP/1.0" 301 368 "-" "Mozilla""#.utf8)
        let v = try #require(p.parseEdge(bytes: bytes).edge)
        #expect(v.status == 301)
        #expect(v.host == "www.example.com")
        #expect(v.path.unicodeScalars.count == 6)
    }

    @Test func skips() {
        var p = parser()
        #expect(p.parseEdge("").skip == .blank)
        #expect(p.parseEdge("  ").skip == .blank)
        #expect(p.parseEdge(#"# failJSON: { "time": "2015-01-20T19:53:28", "match": true }"#).skip == .decoration)
        #expect(p.parseEdge("[Thu Oct 13 12:24:49.880562 2022] [auth_basic:error] [pid 10:tid 1] [client 31.33.58.75:50229] AH01618: user sss not found: /").skip == .unrecognized)
        #expect(p.parseEdge(#"2021/12/01 13:53:33 [error] 31#31: *46 "/usr/share/nginx/html/market/index.html" is not found"#).skip == .unrecognized)
        #expect(p.parseEdge(#"Jan 15 10:23:45 web1 nginx: 1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" 200 1"#).skip == .unrecognized)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:25:23:45 +0100] "GET / HTTP/1.1" 200 1"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Foo/2024:10:23:45 +0100] "GET / HTTP/1.1" 200 1"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:10:23:45] "GET / HTTP/1.1" 200 1"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] GET / 200 1"#).skip == .malformed)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" - 1"#).skip == .malformed)
        #expect(p.parseEdge(#"1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1"#).skip == .malformed)
        let full = Array(Self.combined.utf8)
        for k in 0..<full.count {
            let r = p.parseEdge(bytes: Array(full[0..<k]))
            if k < 72 { #expect(r.edge == nil, "prefix \(k)") }
        }
        #expect(p.parseEdge(bytes: [0x00, 0x20, 0x5B, 0x30, 0x30, 0x2F, 0xFF]).edge == nil)
    }

    @Test func sniffing() {
        #expect(edgeSniff(AccessLogParser.self, Self.combined) == 3)
        #expect(edgeSniff(AccessLogParser.self, #"1.2.3.4 - theuser [10/Feb/2012:16:42:07 -0500] "GET / HTTP/1.0" 301 368"#) == 3)
        #expect(edgeSniff(AccessLogParser.self, "Jan 15 10:23:45 web1 sshd[812]: Accepted publickey for root from 203.0.113.9 port 5122 ssh2") == 0)
        #expect(edgeSniff(AccessLogParser.self, #"Jan 15 10:23:45 web1 nginx: 1.2.3.4 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" 200 1"#) == 0)
        #expect(edgeSniff(AccessLogParser.self, "2024/01/15 10:23:45 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 172.70.242.14") == 0)
        #expect(edgeSniff(AccessLogParser.self, "[Mon Jan 15 10:23:45.123456 2024] [mpm_event:notice] [pid 1:tid 2] AH00489: Apache/2.4.58 configured") == 0)
        #expect(edgeSniff(AccessLogParser.self, "<34>1 2024-01-15T10:23:45.003Z web1 nginx 1234 - - message") == 0)
        #expect(edgeSniff(AccessLogParser.self, "# comment") == 0)
    }
}

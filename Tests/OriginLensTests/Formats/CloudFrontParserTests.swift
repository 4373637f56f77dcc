import Testing
@testable import OriginLens

@Suite struct CloudFrontParserTests {
    func parser() -> CloudFrontParser { CloudFrontParser(context: ParseContext()) }

    static let fields = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"
    // Reference §3.2 example.
    static let row = "2024-01-15\t10:23:45\tFRA56-P1\t612\t203.0.113.7\tGET\td111111abcdef8.cloudfront.net\t/checkout\t502\t-\tMozilla/5.0%20(X11;%20Linux%20x86_64)\tstep=2\t-\tError\tZq0V2x...==\twww.example.com\thttps\t412\t10.003\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tError\tHTTP/2.0\t-\t-\t51234\t10.003\tOriginConnectError\ttext/html\t507\t-\t-"

    func checkReferenceRow(_ v: EdgeValues) {
        #expect(v.timeUs == 1_705_314_225_000_000)
        #expect(v.status == 502)
        #expect(v.colo == "FRA")
        #expect(v.clientIP == "203.0.113.7")
        #expect(v.method == "GET")
        #expect(v.host == "www.example.com")    // x-host-header preferred over cs(Host)
        #expect(v.path == "/checkout")
        #expect(v.scheme == "https")
        #expect(v.requestID == "Zq0V2x...==")
        #expect(v.detail == "OriginConnectError")
        #expect(v.originStatus == -1)
    }

    @Test func referenceWithHeader() throws {
        var p = parser()
        #expect(p.parseEdge("#Version: 1.0").skip == .header)
        #expect(p.parseEdge(Self.fields).skip == .header)
        checkReferenceRow(try #require(p.parseEdge(Self.row).edge))
    }

    @Test func referenceWithoutHeaderUsesDocumentedOrder() throws {
        var p = parser()
        checkReferenceRow(try #require(p.parseEdge(Self.row).edge))
    }

    @Test func isOriginConnectFailure() throws {
        var p = parser()
        let ok = UnsafeRawBufferPointer.withBytes(of: Self.row) { buf -> Bool in
            if case .edge(let r) = p.parse(buf) { return r.isOriginConnectFailure }
            return false
        }
        #expect(ok)
    }

    @Test func olderFieldSetPercentAndDashes() throws {
        var p = parser()
        #expect(p.parseEdge("#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query").skip == .header)
        let v = try #require(p.parseEdge("2014-05-23\t01:13:11\tSEA4\t182\t192.0.2.10\tGET\td111111abcdef8.cloudfront.net\t/view/my%20file.html\t000\t-\t-\t-").edge)
        #expect(v.timeUs == 1_400_807_591_000_000)
        #expect(v.status == 0)
        #expect(v.colo == "SEA")
        #expect(v.host == "d111111abcdef8.cloudfront.net")   // no x-host-header column
        #expect(v.path == "/view/my file.html")
        #expect(v.pathEncoding == .percent)
        #expect(v.requestID == "")
        #expect(v.scheme == "")
        #expect(v.detail == "")
        // Short edge location kept whole; `-` status reads 0.
        let w = try #require(p.parseEdge("2014-05-23\t01:13:11\tAB\t182\t192.0.2.10\tGET\t-\t-\t-\t-\t-\t-").edge)
        #expect(w.colo == "AB")
        #expect(w.status == 0)
        #expect(w.host == "")
        #expect(w.path == "")
    }

    @Test func rtmpFieldSetWithoutStatusAndSpaceSeparated() throws {
        var p = parser()
        let zwsp = "\u{200B}"
        #expect(p.parseEdge("#Fields: date time x-edge-location c-ip x-event sc-bytes x-cf-status x-cf-client-id cs-uri-stem cs-uri-query c-referrer x-page-url\(zwsp)  c-user-agent x-sname x-sname-query x-file-ext x-sid").skip == .header)
        let v = try #require(p.parseEdge("2010-03-12   23:51:20   SEA4   192.0.2.147   connect   2014   OK   bfd8a98bee0840d9b871b7f6ade9908f   rtmp://s5c39gqb8ow64r.cloudfront.net/cfx/st\(zwsp)  key=value   http://player.example.com/player.swf   http://www.example.com/video   LNX%2010,0,32,18   -   -   -   -").edge)
        #expect(v.timeUs == 1_268_437_880_000_000)
        #expect(v.status == 0)
        #expect(v.colo == "SEA")
        #expect(v.clientIP == "192.0.2.147")
        #expect(v.path == "rtmp://s5c39gqb8ow64r.cloudfront.net/cfx/st")
        let t = try #require(p.parseEdge("2010-03-12\t23:51:21\tSEA4\t192.0.2.222\tplay\t3914\tOK\tbfd8\trtmp://x/cfx/st\tkey=value\t-\t-\t-\tmyvideo\tp=2&q=4\tflv\t1").edge)
        #expect(t.timeUs == 1_268_437_881_000_000)
        #expect(t.path == "rtmp://x/cfx/st")
    }

    @Test func skips() {
        var p = parser()
        #expect(p.parseEdge("").skip == .blank)
        #expect(p.parseEdge("#Software: whatever").skip == .header)
        #expect(p.parseEdge("hello world").skip == .unrecognized)
        #expect(p.parseEdge("2024-13-15\t10:23:45\tFRA56-P1\t612\t203.0.113.7\tGET\th\t/\t200").skip == .badTimestamp)
        #expect(p.parseEdge("2024-01-15\t25:23:45\tFRA56-P1\t612\t203.0.113.7\tGET\th\t/\t200").skip == .badTimestamp)
        #expect(p.parseEdge("2024-01-15\t10:23:45\tFRA56-P1\t612\t203.0.113.7\tGET\th\t/\tOK").skip == .malformed)
        #expect(p.parseEdge("2024-01-15\t10:23:45\tFRA56-P1\t612").skip == .malformed)   // truncated before sc-status
        let full = Array(Self.row.utf8)
        for k in 0..<full.count { _ = p.parseEdge(bytes: Array(full[0..<k])) }
        var garbage: [UInt8] = Array("2024-01-15\t10:23:45\t".utf8)
        garbage += [0xFF, 0x00, 0x09, 0xE2, 0x80, 0x09, 0x35, 0x30, 0x32]
        _ = p.parseEdge(bytes: garbage)
        #expect(p.parseEdge(bytes: [0xE2, 0x80, 0x8B]).skip == .unrecognized)
    }

    @Test func sniffing() {
        #expect(edgeSniff(CloudFrontParser.self, Self.fields) == 3)
        #expect(edgeSniff(CloudFrontParser.self, "#Version: 1.0") == 1)
        #expect(edgeSniff(CloudFrontParser.self, Self.row) == 3)
        #expect(edgeSniff(CloudFrontParser.self, "#Fields: date time s-ip cs-method cs-uri-stem") == 0)
        #expect(edgeSniff(CloudFrontParser.self, "2024-01-15 10:23:45,123 fail2ban.actions        [812]: NOTICE  [sshd] Ban 1.2.3.4") == 0)
        #expect(edgeSniff(CloudFrontParser.self, "2024-01-15T10:23:45.123456+01:00 web1 nginx[1]: x") == 0)
        #expect(edgeSniff(CloudFrontParser.self, CloudflareJSONParserTests.unixnano) == 0)
    }
}

@Suite struct EdgeBOMTests {
    @Test func leadingByteOrderMarkIsIgnored() {
        let bom = "\u{FEFF}"
        var cf = CloudFrontParser(context: ParseContext())
        #expect(cf.parseEdge(bom + "#Version: 1.0").skip == .header)
        #expect(cf.parseEdge(bom + CloudFrontParserTests.row).edge?.status == 502)
        var js = CloudflareJSONParser(context: ParseContext())
        #expect(js.parseEdge(bom + CloudflareJSONParserTests.unixnano).edge?.status == 521)
        var csv = CloudflareCSVParser(context: ParseContext())
        #expect(csv.parseEdge(bom + CloudflareCSVParserTests.header).skip == .header)
        #expect(csv.parseEdge(CloudflareCSVParserTests.row).edge?.status == 521)
        var acc = AccessLogParser(context: ParseContext())
        #expect(acc.parseEdge(bom + AccessLogParserTests.combined).edge?.clientIP == "172.70.242.14")
        #expect(edgeSniff(AccessLogParser.self, bom + AccessLogParserTests.combined) == 3)
    }
}

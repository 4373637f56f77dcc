import Testing
@testable import OriginLens

@Suite struct CloudflareCSVParserTests {
    func parser() -> CloudflareCSVParser { CloudflareCSVParser(context: ParseContext()) }

    static let header = "ClientIP,EdgeStartTimestamp,EdgeResponseStatus,OriginResponseStatus,ClientRequestHost,RayID"
    // Reference §1.4 csv line, in the order of the header above.
    static let row = #""203.0.113.7",1705314225123000000,521,0,"www.example.com","84a1b2c3d4e5f607""#

    @Test func referenceRowAfterHeader() throws {
        var p = parser()
        #expect(p.parseEdge(Self.header).skip == .header)
        let v = try #require(p.parseEdge(Self.row).edge)
        #expect(v.timeUs == 1_705_314_225_123_000)
        #expect(v.status == 521)
        #expect(v.originStatus == 0)
        #expect(v.clientIP == "203.0.113.7")
        #expect(v.host == "www.example.com")
        #expect(v.requestID == "84a1b2c3d4e5f607")
        #expect(v.path == "")
    }

    @Test func withoutHeaderEveryRowIsMalformed() {
        var p = parser()
        #expect(p.parseEdge(Self.row).skip == .malformed)
        #expect(p.parseEdge(Self.row).skip == .malformed)
    }

    @Test func allMappedFieldsQuotesAndRFC3339() throws {
        var p = parser()
        #expect(p.parseEdge(#""EdgeStartTimestamp","EdgeResponseStatus","ClientRequestURI","ClientRequestUserAgent","EdgeColoCode","ClientRequestScheme","OriginIP","ClientRequestMethod","EdgeServerIP","SampleInterval","ClientIP""#).skip == .header)
        let v = try #require(p.parseEdge(#""2024-01-15T10:23:45Z",521,"/checkout?step=2","Mozilla ""quoted"", with comma","FRA","https","198.51.100.20","GET","172.70.242.14",100,"2001:db8::7""#).edge)
        #expect(v.timeUs == 1_705_314_225_000_000)
        #expect(v.status == 521)
        #expect(v.path == "/checkout?step=2")
        #expect(v.colo == "FRA")
        #expect(v.scheme == "https")
        #expect(v.originIP == "198.51.100.20")
        #expect(v.method == "GET")
        #expect(v.edgeServerIP == "172.70.242.14")
        #expect(v.sampleInterval == 100)
        #expect(v.clientIP == "2001:db8::7")
    }

    @Test func unixSecondsEndFallbackAndShortRows() throws {
        var p = parser()
        #expect(p.parseEdge("EdgeEndTimestamp,EdgeResponseStatus,ClientRequestPath").skip == .header)
        let v = try #require(p.parseEdge(#"1705314225,200,"/""#).edge)
        #expect(v.timeUs == 1_705_314_225_000_000)
        #expect(v.path == "/")
        #expect(p.parseEdge("1705314225").skip == .malformed)          // no status column
        #expect(p.parseEdge(#",521,"/""#).skip == .badTimestamp)
        #expect(p.parseEdge(#"x,521,"/""#).skip == .badTimestamp)
        #expect(p.parseEdge(#"1705314225,abc,"/""#).skip == .malformed)
        #expect(p.parseEdge(#"1705314225,200,"/unterminated"#).skip == .malformed)
        #expect(p.parseEdge("").skip == .blank)
    }

    @Test func tabDelimitedHeader() throws {
        var p = parser()
        #expect(p.parseEdge("EdgeStartTimestamp\tEdgeResponseStatus\tClientRequestHost").skip == .header)
        let v = try #require(p.parseEdge("1705314225123000000\t521\t\"a.example\"").edge)
        #expect(v.status == 521)
        #expect(v.host == "a.example")
    }

    @Test func invalidBytesNeverCrash() {
        var p = parser()
        #expect(p.parseEdge(Self.header).skip == .header)
        let bytes: [UInt8] = [0x22, 0xFF, 0x00, 0x22, 0x2C, 0x31, 0x2C, 0x22]
        #expect(p.parseEdge(bytes: bytes).edge == nil)
        let full = Array(Self.row.utf8)
        for k in 1..<full.count { _ = p.parseEdge(bytes: Array(full[0..<k])) }
    }

    @Test func sniffing() {
        #expect(edgeSniff(CloudflareCSVParser.self, Self.header) == 3)
        #expect(edgeSniff(CloudflareCSVParser.self, #""EdgeResponseStatus","RayID""#) == 3)
        #expect(edgeSniff(CloudflareCSVParser.self, Self.row) == 1)
        #expect(edgeSniff(CloudflareCSVParser.self, CloudflareJSONParserTests.unixnano) == 0)
        #expect(edgeSniff(CloudflareCSVParser.self, "Jan 15 10:23:45 web1 sshd[1]: EdgeResponseStatus") == 0)
        #expect(edgeSniff(CloudflareCSVParser.self, #"172.70.242.14 - - [15/Jan/2024:10:23:45 +0100] "GET / HTTP/1.1" 502 157"#) == 0)
    }
}

import Testing
@testable import OriginLens

@Suite struct CloudflareJSONParserTests {
    func parser() -> CloudflareJSONParser { CloudflareJSONParser(context: ParseContext()) }

    // Reference §1.4, unixnano (API default).
    static let unixnano = #"{"ClientIP":"203.0.113.7","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/checkout?step=2","EdgeColoCode":"FRA","EdgeStartTimestamp":1705314225123000000,"EdgeEndTimestamp":1705314225187000000,"EdgeResponseStatus":521,"OriginResponseStatus":0,"OriginIP":"198.51.100.20","EdgeServerIP":"172.70.242.14","OriginResponseDurationMs":4,"CacheCacheStatus":"miss","RayID":"84a1b2c3d4e5f607"}"#

    @Test func referenceUnixnano() throws {
        var p = parser()
        let v = try #require(p.parseEdge(Self.unixnano).edge)
        #expect(v.timeUs == 1_705_314_225_123_000)
        #expect(v.status == 521)
        #expect(v.originStatus == 0)
        #expect(v.host == "www.example.com")
        #expect(v.method == "GET")
        #expect(v.path == "/checkout?step=2")   // no ClientRequestPath: the URI
        #expect(v.colo == "FRA")
        #expect(v.originIP == "198.51.100.20")
        #expect(v.edgeServerIP == "172.70.242.14")
        #expect(v.clientIP == "203.0.113.7")
        #expect(v.requestID == "84a1b2c3d4e5f607")
        #expect(v.scheme == "")
        #expect(v.sampleInterval == 1)
        #expect(v.pathEncoding == .raw)
    }

    @Test func referenceRFC3339AndUnix() throws {
        var p = parser()
        let a = try #require(p.parseEdge(#"{"EdgeStartTimestamp":"2024-01-15T10:23:45Z","EdgeEndTimestamp":"2024-01-15T10:23:45Z","EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestHost":"www.example.com","RayID":"84a1b2c3d4e5f608"}"#).edge)
        #expect(a.timeUs == 1_705_314_225_000_000)
        #expect(a.status == 521)
        #expect(a.originStatus == 0)
        #expect(a.host == "www.example.com")
        #expect(a.requestID == "84a1b2c3d4e5f608")
        let b = try #require(p.parseEdge(#"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":200,"OriginResponseStatus":200,"ClientRequestHost":"www.example.com","RayID":"84a1b2c3d4e5f609"}"#).edge)
        #expect(b.timeUs == 1_705_314_225_000_000)
        #expect(b.status == 200)
        #expect(b.originStatus == 200)
        #expect(b.requestID == "84a1b2c3d4e5f609")
    }

    @Test func timestampFractionsAndUnits() throws {
        var p = parser()
        let cases: [(String, Int64)] = [
            (#""2024-01-15T10:23:45.123Z""#, 1_705_314_225_123_000),
            (#""2024-01-15T10:23:45.123456789Z""#, 1_705_314_225_123_456),
            (#""2024-01-15T11:23:45+01:00""#, 1_705_314_225_000_000),
            ("1705314225123000000", 1_705_314_225_123_000),
            ("1705314225123456789", 1_705_314_225_123_456),
            ("1705314225", 1_705_314_225_000_000),
            ("1705314225123", 1_705_314_225_123_000),   // ms
            ("1705314225123456", 1_705_314_225_123_456), // µs
            ("1705314225.5", 1_705_314_225_500_000),
            (#""1705314225123000000""#, 1_705_314_225_123_000), // quoted number
        ]
        for (ts, want) in cases {
            let v = p.parseEdge(#"{"EdgeResponseStatus":521,"EdgeStartTimestamp":"# + ts + "}").edge
            #expect(v?.timeUs == want, "\(ts)")
        }
        // unixnano above 2^53 keeps its last digits (no Double on the way).
        let big = p.parseEdge(#"{"EdgeStartTimestamp":9007199254740993999,"EdgeResponseStatus":200}"#).edge
        #expect(big?.timeUs == 9_007_199_254_740_993)
    }

    @Test func endTimestampFallbackAndMissingFields() {
        var p = parser()
        #expect(p.parseEdge(#"{"EdgeEndTimestamp":1705314225,"EdgeResponseStatus":521}"#).edge?.timeUs == 1_705_314_225_000_000)
        // Unreadable start, readable end.
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":"yesterday","EdgeEndTimestamp":1705314226,"EdgeResponseStatus":521}"#).edge?.timeUs == 1_705_314_226_000_000)
        #expect(p.parseEdge(#"{"EdgeResponseStatus":521,"RayID":"x"}"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":"garbage","EdgeResponseStatus":521}"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":-5,"EdgeResponseStatus":521}"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":99999999999999999999999,"EdgeResponseStatus":521}"#).skip == .badTimestamp)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":1705314225,"RayID":"x"}"#).skip == .malformed)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":"five"}"#).skip == .malformed)
        #expect(p.parseEdge(#"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":null}"#).skip == .malformed)
        // Only unknown fields: not a Logpush record.
        #expect(p.parseEdge(#"{"foo":1,"bar":"x"}"#).skip == .unrecognized)
        #expect(p.parseEdge(#"{}"#).skip == .unrecognized)
    }

    @Test func anyOrderAllMappedFieldsAndSampleInterval() throws {
        var p = parser()
        let line = #"{"SampleInterval":10,"RayID":"abc","ClientRequestPath":"/a/b","ClientRequestURI":"/a/b?x=1","ClientRequestScheme":"https","EdgeColoCode":"AMS","OriginIP":"2001:db8::1","EdgeServerIP":"","ClientIP":"2001:db8::7","ClientRequestMethod":"POST","OriginResponseStatus":502,"EdgeResponseStatus":502,"ClientRequestHost":"api.example.com","EdgeStartTimestamp":1705314225000000000}"#
        let v = try #require(p.parseEdge(line).edge)
        #expect(v.sampleInterval == 10)
        #expect(v.path == "/a/b")   // ClientRequestPath wins over the URI
        #expect(v.scheme == "https")
        #expect(v.colo == "AMS")
        #expect(v.originIP == "2001:db8::1")
        #expect(v.edgeServerIP == "")
        #expect(v.clientIP == "2001:db8::7")
        #expect(v.method == "POST")
        #expect(v.originStatus == 502)
        #expect(v.status == 502)
        #expect(v.host == "api.example.com")
        #expect(v.timeUs == 1_705_314_225_000_000)
    }

    @Test func escapesNestedValuesAndWhitespace() throws {
        var p = parser()
        let line = #"{ "SecurityActions" : ["block","skip]\"}"], "Cookies":{"a":{"b":[1,2,{"c":"}"}]}}, "ClientRequestUserAgent":"Mo\"zilla\\", "ClientRequestPath" : "/caf\u00e9\"q", "ClientRequestHost":"ex\/ample.com", "Flag":true, "Nothing":null, "F":-1.5e3, "EdgeResponseStatus" : 521 , "EdgeStartTimestamp" : 1705314225 }"#
        let v = try #require(p.parseEdge(line).edge)
        #expect(v.status == 521)
        #expect(v.path == "/café\"q")
        #expect(v.pathEncoding == .jsonString)
        #expect(v.host == "ex/ample.com")
        #expect(v.hostEncoding == .jsonString)
        #expect(v.timeUs == 1_705_314_225_000_000)
    }

    @Test func batchWrappers() throws {
        var p = parser()
        #expect(p.parseEdge(#"{"events":["#).skip == .header)
        #expect(p.parseEdge("[").skip == .header)
        #expect(p.parseEdge("]").skip == .header)
        #expect(p.parseEdge("]}").skip == .header)
        #expect(p.parseEdge("  ] } ").skip == .header)
        #expect(p.parseEdge("").skip == .blank)
        #expect(p.parseEdge("   ").skip == .blank)
        let rec = #"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":521,"RayID":"r1"}"#
        #expect(p.parseEdge(rec + ",").edge?.requestID == "r1")
        #expect(p.parseEdge("," + rec).edge?.requestID == "r1")
        #expect(p.parseEdge("[" + rec + ",").edge?.requestID == "r1")
        #expect(p.parseEdge(rec + "]}").edge?.requestID == "r1")
        #expect(p.parseEdge(#"{"events":["# + rec + ",").edge?.requestID == "r1")
        #expect(p.parseEdge(#"{"events":[ "# + rec + "]}").edge?.status == 521)
    }

    @Test func brokenInputNeverCrashes() {
        var p = parser()
        let full = Array(Self.unixnano.utf8)
        // Every truncation is skipped (or, once complete, parsed), never a crash.
        for k in 0..<full.count {
            let r = p.parseEdge(bytes: Array(full[0..<k]))
            #expect(r.edge == nil, "prefix \(k)")
        }
        #expect(p.parseEdge(bytes: full).edge?.status == 521)
        #expect(p.parseEdge(#"{"EdgeResponseStatus":521,"EdgeStartTimestamp":1705314225"#).skip == .malformed)
        #expect(p.parseEdge(#"{"EdgeResponseStatus":521 "EdgeStartTimestamp":1705314225}"#).skip == .malformed)
        #expect(p.parseEdge(#"{"EdgeResponseStatus":521,"ClientRequestHost":"unterminated}"#).skip == .malformed)
        #expect(p.parseEdge("not json").skip == .unrecognized)
        #expect(p.parseEdge(bytes: [0x7B, 0x00, 0xFF, 0xFE, 0x22]).skip == .malformed)
        // Invalid UTF-8 and NUL inside a string value are just bytes.
        var bytes = Array(#"{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":521,"ClientRequestPath":"/"#.utf8)
        bytes += [0xC3, 0x28, 0x00, 0xFF]
        bytes += Array(#""}"#.utf8)
        let v = p.parseEdge(bytes: bytes).edge
        #expect(v?.status == 521)
        #expect(v?.path.unicodeScalars.count == 5)
    }

    @Test func sniffing() {
        #expect(edgeSniff(CloudflareJSONParser.self, Self.unixnano) == 3)
        #expect(edgeSniff(CloudflareJSONParser.self, #"{"RayID":"x","ClientIP":"1.2.3.4"}"#) == 3)
        #expect(edgeSniff(CloudflareJSONParser.self, #"{"ClientRequestHost":"a"}"#) == 3)
        #expect(edgeSniff(CloudflareJSONParser.self, #"{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"hi","_HOSTNAME":"web1"}"#) == 0)
        #expect(edgeSniff(CloudflareJSONParser.self, #"{"level":"info","msg":"EdgeResponseStatus"}"#) == 0)
        #expect(edgeSniff(CloudflareJSONParser.self, "Jan 15 10:23:45 web1 nginx: EdgeResponseStatus") == 0)
        #expect(edgeSniff(CloudflareJSONParser.self, "EdgeStartTimestamp,EdgeResponseStatus") == 0)
    }
}

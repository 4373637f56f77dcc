import Testing
@testable import OriginLens

/// The optimised NDJSON scanner against the reference (the scanner before the throughput work):
/// same outcome, same skip reason, fields at the same bytes with the same encoding, for
/// realistic lines and for tens of thousands of mutations of them.
@Suite struct CloudflareJSONDifferentialTests {
    static let logpush = #"{"ClientASN":8447,"ClientCountry":"at","ClientIP":"80.108.197.188","ClientRequestBytes":1278,"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestPath":"/products/thermo-bottle-750","ClientRequestProtocol":"HTTP/2","ClientRequestReferer":"","ClientRequestScheme":"https","ClientRequestURI":"/products/thermo-bottle-750?utm_source=newsletter&utm_medium=email","ClientRequestUserAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0","ClientSSLProtocol":"TLSv1.3","ClientSrcPort":65148,"CacheCacheStatus":"dynamic","EdgeColoCode":"FRA","EdgeColoID":27,"EdgeEndTimestamp":1794788163480000000,"EdgeRequestHost":"www.example.com","EdgeResponseBytes":37203,"EdgeResponseContentType":"text/html","EdgeResponseStatus":200,"EdgeServerIP":"172.70.242.58","EdgeStartTimestamp":1794788163322000000,"EdgeTimeToFirstByteMs":129,"OriginIP":"203.0.113.10","OriginResponseBytes":36503,"OriginResponseDurationMs":128,"OriginResponseHeaderReceiveDurationMs":117,"OriginResponseStatus":200,"OriginSSLProtocol":"TLSv1.3","OriginTCPHandshakeDurationMs":3,"OriginTLSHandshakeDurationMs":8,"ParentRayID":"00","RayID":"dfc030ec70935f45","SecurityAction":"unknown","SecurityActions":[],"SecuritySources":[],"UpperTierColoID":0,"WorkerStatus":"unknown","WorkerSubrequest":false,"ZoneName":"example.com"}"#

    static let seeds: [String] = [
        logpush,
        // Pretty separators, escapes in kept and skipped values, nested values, rfc3339, sampling.
        #"{ "EdgeStartTimestamp" : "2024-01-15T10:23:45.5Z" , "EdgeResponseStatus" : 521 ,"ClientRequestHost":"a\"b\\c.example","ClientRequestURI":"/x?q=\u00e9\\\"","SecurityRules":[{"id":"a\"]}","v":[1,2,{"x":"}"}]}],"OriginResponseStatus":0,"SampleInterval":10, "EdgeColoCode":"F\\RA","RayID":null}"#,
        #"[{"EdgeStartTimestamp":1705314225,"EdgeResponseStatus":521,"ClientRequestScheme":"https","OriginIP":"198.51.100.20"},"#,
        #"{"events":[{"EdgeEndTimestamp":1705314225123,"EdgeResponseStatus":"521","ClientIP":"203.0.113.7","EdgeServerIP":"172.70.242.14"}"#,
        #"{"EdgeStartTimestamp":"x","EdgeEndTimestamp":1705314225123456,"EdgeResponseStatus":200,"ClientRequestMethod":"GET","ClientRequestPath":"/\\\\"}"#,
        "\t{\"EdgeResponseStatus\":\t502\t,\t\"EdgeStartTimestamp\":1705314225123000000\t}\t",
        #"]}"#, #"{}"#, #"{"a":[]}"#, #"[{"#,
    ]

    /// What a parser made of a line, with field positions relative to the line.
    struct Outcome: Equatable {
        var kind: String
        var ints: [Int64] = []
        var fields: [[Int]] = []
    }

    static func outcome(_ o: ParseOutcome, base: UnsafeRawPointer?) -> Outcome {
        switch o {
        case .skip(let r): return Outcome(kind: "skip \(r)")
        case .origin: return Outcome(kind: "origin")
        case .edge(let e):
            func f(_ b: ByteField) -> [Int] {
                guard let p = b.base, let base else { return [-1, b.count, Int(b.encoding.rawValue)] }
                return [p - base, b.count, Int(b.encoding.rawValue)]
            }
            return Outcome(kind: "edge", ints: [e.timeUs, Int64(e.status), Int64(e.originStatus), Int64(e.sampleInterval)],
                           fields: [f(e.host), f(e.colo), f(e.scheme), f(e.originIP), f(e.path), f(e.method), f(e.requestID),
                                    f(e.clientIP), f(e.edgeServerIP), f(e.detail)])
        }
    }

    static func compare(_ bytes: [UInt8]) -> (Outcome, Outcome) {
        bytes.withUnsafeBytes { buf in
            guard let p = buf.baseAddress, buf.count > 0 else {
                return (Outcome(kind: "empty"), Outcome(kind: "empty"))
            }
            let a = outcome(CloudflareJSONReference.parseRecord(p, buf.count), base: p)
            let b = outcome(CloudflareJSONParser.parseRecord(p, buf.count), base: p)
            return (a, b)
        }
    }

    @Test func seedsAgree() {
        for s in Self.seeds {
            let (a, b) = Self.compare(Array(s.utf8))
            #expect(a == b, "\(s)")
        }
        // The realistic line parses, and every kept field is where the reference puts it.
        #expect(Self.compare(Array(Self.logpush.utf8)).1.kind == "edge")
    }

    @Test func mutationsAgree() {
        var rng = SplitMix(seed: 521)
        let tokens: [[UInt8]] = [" ", "\t", "\\", "\"", "\\\"", "\\\\", "{", "}", "[", "]", ",", ":", "null", "1", "-", ".",
                                 "e", "\\u0041", "\r", "\"EdgeResponseStatus\":", "\"RayID\":\"", "x"].map { Array($0.utf8) } + [[0], [0xFF], [0xC3]]
        var disagreements = 0
        var kinds: [String: Int] = [:]
        for round in 0..<40_000 {
            var line = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = line.isEmpty ? 0 : Int(rng.next() % UInt64(line.count + 1))
                switch rng.next() % 5 {
                case 0, 1: line.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                case 2: if at < line.count { line.removeSubrange(at..<min(line.count, at + 1 + Int(rng.next() % 8))) }
                case 3: if at < line.count { line[at] = UInt8(truncatingIfNeeded: rng.next()) }
                default: line.removeSubrange(min(at, line.count)...)
                }
            }
            let (a, b) = Self.compare(line)
            kinds[a.kind, default: 0] += 1
            if a != b {
                disagreements += 1
                if disagreements <= 5 { Issue.record("differs: \(String(decoding: line, as: UTF8.self))\nreference \(a)\noptimised \(b)") }
            }
        }
        #expect(disagreements == 0)
        // The mutations reach every outcome, so the agreement means something.
        for k in ["edge", "skip malformed", "skip unrecognized", "skip badTimestamp", "skip header"] {
            #expect(kinds[k, default: 0] > 100, "\(k): \(kinds)")
        }
    }
}

/// A small deterministic generator for the mutations.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

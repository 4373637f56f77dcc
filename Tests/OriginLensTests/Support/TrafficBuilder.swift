@testable import OriginLens

/// Builds a `TrafficAggregate` from plain values (test helper).
struct TrafficBuilder {
    var agg = TrafficAggregate()
    /// 2024-01-15T10:00:00Z in microseconds.
    static let t0: Int64 = 1_705_312_800_000_000

    /// Adds one edge request at `t0 + seconds`.
    mutating func edge(at seconds: Double, status: Int, originStatus: Int = -1, colo: String = "FRA",
                       scheme: String = "https", host: String = "www.example.com", path: String = "/",
                       originIP: String = "203.0.113.10", count: Int = 1) {
        let strings = [colo, scheme, host, path, originIP]
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for s in strings { let a = bytes.count; bytes += Array(s.utf8); ranges.append(a..<bytes.count) }
        bytes.withUnsafeBytes { buf in
            func f(_ i: Int) -> ByteField { ByteScan.field(buf, ranges[i].lowerBound, ranges[i].upperBound) }
            for k in 0..<count {
                var r = EdgeRecord(timeUs: TrafficBuilder.t0 + Int64(seconds * 1_000_000) + Int64(k), status: status)
                r.originStatus = originStatus >= 0 ? originStatus : (status == 521 ? 0 : status)
                r.colo = f(0); r.scheme = f(1); r.host = f(2); r.path = f(3); r.originIP = f(4)
                agg.add(r)
            }
        }
    }

    /// Steady traffic: `perMinute` requests each minute in [fromMin, toMin) with the given status.
    mutating func steady(fromMin: Int, toMin: Int, perMinute: Int, status: Int = 200, colo: String = "FRA",
                         scheme: String = "https", originIP: String = "203.0.113.10") {
        for m in fromMin..<toMin {
            for i in 0..<perMinute {
                edge(at: Double(m * 60) + Double(i) * 60.0 / Double(perMinute), status: status, colo: colo,
                     scheme: scheme, originIP: originIP)
            }
        }
    }

    /// Adds one access-log request from `client` at `t0 + seconds`.
    mutating func access(at seconds: Double, client: String, status: Int = 200) {
        var bytes = Array(client.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var r = EdgeRecord(timeUs: TrafficBuilder.t0 + Int64(seconds * 1_000_000), status: status)
            r.clientIP = ByteField(UnsafeRawBufferPointer(buf))
            agg.addAccess(r)
        }
    }

    func done() -> TrafficAggregate { var a = agg; a.flush(); return a }
}

/// An origin event at `t0 + seconds` (test helper).
func event(_ kind: EventKind, at seconds: Double, service: String? = "nginx", rule: String = "test",
           text: String = "test line", address: String? = nil, port: Int? = nil, cdn: Bool? = nil,
           line: Int = 1) -> OriginEvent {
    OriginEvent(timeUs: TrafficBuilder.t0 + Int64(seconds * 1_000_000), kind: kind, service: service,
                severity: .error, source: "origin/test.log", line: line, rule: rule, text: text,
                address: address, port: port, cdnAddress: cdn)
}

@testable import OriginLens

/// A copy of an `EdgeRecord`'s values taken while the line buffer is alive.
struct EdgeValues: Equatable {
    var timeUs: Int64
    var status: Int
    var originStatus: Int
    var host: String
    var colo: String
    var scheme: String
    var originIP: String
    var path: String
    var method: String
    var requestID: String
    var clientIP: String
    var edgeServerIP: String
    var detail: String
    var sampleInterval: Int
    var pathEncoding: ByteField.Encoding
    var hostEncoding: ByteField.Encoding

    init(_ r: EdgeRecord) {
        timeUs = r.timeUs; status = r.status; originStatus = r.originStatus
        host = r.host.string(); colo = r.colo.string(); scheme = r.scheme.string()
        originIP = r.originIP.string(); path = r.path.string(); method = r.method.string()
        requestID = r.requestID.string(); clientIP = r.clientIP.string()
        edgeServerIP = r.edgeServerIP.string(); detail = r.detail.string()
        sampleInterval = r.sampleInterval
        pathEncoding = r.path.encoding; hostEncoding = r.host.encoding
    }
}

/// What a parser made of a line, with borrowed fields copied out.
enum EdgeResult: Equatable {
    case edge(EdgeValues)
    case skip(SkipReason)
    case origin

    var edge: EdgeValues? { if case .edge(let v) = self { return v } else { return nil } }
    var skip: SkipReason? { if case .skip(let r) = self { return r } else { return nil } }
}

extension LineParser {
    /// Parses a string line and copies the outcome out of the temporary buffer.
    mutating func parseEdge(_ s: String) -> EdgeResult {
        UnsafeRawBufferPointer.withBytes(of: s) { buf in
            switch parse(buf) {
            case .edge(let r): return .edge(EdgeValues(r))
            case .origin: return .origin
            case .skip(let reason): return .skip(reason)
            }
        }
    }

    /// Parses raw bytes (invalid UTF-8, NUL …).
    mutating func parseEdge(bytes: [UInt8]) -> EdgeResult {
        bytes.withUnsafeBytes { buf in
            switch parse(buf) {
            case .edge(let r): return .edge(EdgeValues(r))
            case .origin: return .origin
            case .skip(let reason): return .skip(reason)
            }
        }
    }
}

/// Runs a parser's `sniff` on a string line.
func edgeSniff<P: LineParser>(_ type: P.Type, _ s: String) -> Int {
    UnsafeRawBufferPointer.withBytes(of: s) { type.sniff($0) }
}

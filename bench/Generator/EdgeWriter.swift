/// Cloudflare Logpush `http_requests` records (reference §1) and the origin's nginx
/// `combined` access-log lines (§3.1) for a request.

enum TimestampFormat: String {
    case unixnano, unix, rfc3339
}

/// Which fields a Logpush job selected.
enum FieldSet {
    /// About twenty fields: what an operator picks for troubleshooting (scenarios).
    case compact
    /// About forty fields, ~1.3 KB a line: a generous dashboard selection (benchmark).
    case full
}

extension Bytes {
    @inline(__always) private mutating func key(_ k: StaticString, first: Bool = false) {
        if !first { byte(0x2C) }
        byte(0x22); s(k); s("\":")
    }

    @inline(__always) private mutating func qs(_ v: [UInt8]) { byte(0x22); jsonEscaped(v); byte(0x22) }
    @inline(__always) private mutating func qsRaw(_ v: [UInt8]) { byte(0x22); s(v); byte(0x22) }
    @inline(__always) private mutating func qs(_ v: ArraySlice<UInt8>) { byte(0x22); jsonEscaped(Array(v)); byte(0x22) }

    mutating func timestamp(_ us: Int64, _ f: TimestampFormat) {
        switch f {
        case .unixnano: int(us / 1000 * 1_000_000)
        case .unix: int(us / 1_000_000)
        case .rfc3339: byte(0x22); rfc3339(us / 1_000_000); byte(0x22)
        }
    }

    /// One NDJSON record (with its newline).
    mutating func edgeJSON(_ r: Request, fields: FieldSet, ts: TimestampFormat, originIP: [UInt8]) {
        let bound = r.originBound
        switch fields {
        case .compact:
            byte(0x7B)
            key("ClientIP", first: true); qsRaw(r.clientIP)
            key("ClientRequestHost"); qsRaw(hostNames[r.host.rawValue])
            key("ClientRequestMethod"); qsRaw(r.method)
            key("ClientRequestURI"); qs(r.uri)
            key("EdgeEndTimestamp"); timestamp(r.endUs, ts)
            key("EdgeResponseBytes"); int(r.bytes)
            key("EdgeResponseStatus"); int(r.status)
            key("EdgeStartTimestamp"); timestamp(r.startUs, ts)
            key("RayID"); byte(0x22); hex(r.ray, digits: 16); byte(0x22)
            key("CacheCacheStatus"); qsRaw(r.cache.bytes)
            key("ClientCountry"); qsRaw(r.country)
            key("ClientRequestProtocol"); qsRaw(r.proto)
            key("ClientRequestScheme"); qsRaw(r.scheme)
            key("ClientRequestUserAgent"); qs(r.ua)
            key("EdgeColoCode"); qsRaw(colos[r.colo].code)
            key("EdgeServerIP"); if bound { qsRaw(r.edgeServerIP) } else { s("\"\"") }
            key("OriginIP"); if bound { qsRaw(originIP) } else { s("\"\"") }
            key("OriginResponseDurationMs"); int(r.originMs)
            key("OriginResponseStatus"); int(r.originStatus)
            key("SecurityAction"); if r.wafBlocked { s("\"block\"") } else { s("\"\"") }
            key("ZoneName"); qsRaw(zoneName)
            s("}\n")
        case .full:
            byte(0x7B)
            key("ClientASN", first: true); int(r.asn)
            key("ClientCountry"); qsRaw(r.country)
            key("ClientIP"); qsRaw(r.clientIP)
            key("ClientRequestBytes"); int(r.requestBytes)
            key("ClientRequestHost"); qsRaw(hostNames[r.host.rawValue])
            key("ClientRequestMethod"); qsRaw(r.method)
            key("ClientRequestPath"); qs(r.path)
            key("ClientRequestProtocol"); qsRaw(r.proto)
            key("ClientRequestReferer"); qs(r.referer)
            key("ClientRequestScheme"); qsRaw(r.scheme)
            key("ClientRequestURI"); qs(r.uri)
            key("ClientRequestUserAgent"); qs(r.ua)
            key("ClientSSLProtocol"); s(r.https ? "\"TLSv1.3\"" : "\"none\"")
            key("ClientSrcPort"); int(r.clientPort)
            key("CacheCacheStatus"); qsRaw(r.cache.bytes)
            key("EdgeColoCode"); qsRaw(colos[r.colo].code)
            key("EdgeColoID"); int(colos[r.colo].id)
            key("EdgeEndTimestamp"); timestamp(r.endUs, ts)
            key("EdgeRequestHost"); if bound { qsRaw(hostNames[r.host.rawValue]) } else { s("\"\"") }
            key("EdgeResponseBytes"); int(r.bytes)
            key("EdgeResponseContentType"); qsRaw(r.contentType)
            key("EdgeResponseStatus"); int(r.status)
            key("EdgeServerIP"); if bound { qsRaw(r.edgeServerIP) } else { s("\"\"") }
            key("EdgeStartTimestamp"); timestamp(r.startUs, ts)
            key("EdgeTimeToFirstByteMs"); int(r.ttfbMs)
            key("OriginIP"); if bound { qsRaw(originIP) } else { s("\"\"") }
            key("OriginResponseBytes"); int(bound ? r.originBytes : 0)
            key("OriginResponseDurationMs"); int(r.originMs)
            key("OriginResponseHeaderReceiveDurationMs"); int(bound && r.originStatus > 0 ? max(0, r.originMs - r.tcpMs - r.tlsMs) : 0)
            key("OriginResponseStatus"); int(r.originStatus)
            key("OriginSSLProtocol"); s(bound && r.https && r.originStatus > 0 ? "\"TLSv1.3\"" : (bound && !r.https ? "\"none\"" : "\"unknown\""))
            key("OriginTCPHandshakeDurationMs"); int(r.tcpMs)
            key("OriginTLSHandshakeDurationMs"); int(r.tlsMs)
            key("ParentRayID"); s("\"00\"")
            key("RayID"); byte(0x22); hex(r.ray, digits: 16); byte(0x22)
            key("SecurityAction"); s(r.wafBlocked ? "\"block\"" : "\"unknown\"")
            key("SecurityActions"); if r.wafBlocked { s("[\"block\"]") } else { s("[]") }
            key("SecuritySources"); if r.wafBlocked { s("[\"firewallManaged\"]") } else { s("[]") }
            key("UpperTierColoID"); int(0)
            key("WorkerStatus"); s("\"unknown\"")
            key("WorkerSubrequest"); s("false")
            key("ZoneName"); qsRaw(zoneName)
            s("}\n")
        }
    }

    /// nginx `combined` line for a request the origin answered; `remote` is what nginx saw as
    /// `$remote_addr` (a Cloudflare edge address unless real-IP restoration is set up).
    mutating func accessLine(_ r: Request, remote: [UInt8], atUs: Int64, offset: Int) {
        s(remote); s(" - - "); accessTime(atUs / 1_000_000, offset: offset); s(" \"")
        s(r.method); byte(0x20); nginxEscaped(r.uri); s(" HTTP/1.1\" ")
        int(r.originStatus); byte(0x20); int(r.originStatus == 304 ? 0 : r.originBytes); s(" \"")
        if r.referer.isEmpty { byte(0x2D) } else { nginxEscaped(r.referer) }
        s("\" \""); if r.ua.isEmpty { byte(0x2D) } else { nginxEscaped(r.ua) }
        s("\"\n")
    }

    /// nginx escapes `"`, `\` and bytes outside printable ASCII in logged variables as `\xHH`.
    mutating func nginxEscaped(_ v: [UInt8]) {
        for c in v {
            if c == 0x22 || c == 0x5C || c < 0x20 || c > 0x7E {
                s("\\x")
                let hi = c >> 4, lo = c & 0xF
                byte(hi < 10 ? 0x30 + hi : 0x37 + hi); byte(lo < 10 ? 0x30 + lo : 0x37 + lo)
            } else {
                byte(c)
            }
        }
    }
}

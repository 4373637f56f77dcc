/// The simulated web site behind Cloudflare: hosts, pages, visitors, colos and edge servers.
/// Everything is pre-encoded as bytes so that producing a request costs no allocation beyond
/// the URI.

@inline(__always) func B(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A Cloudflare data centre and the edge servers in it that connect to the origin.
struct Colo {
    let code: [UInt8]
    let id: Int
    /// `EdgeServerIP` values used by this colo toward the origin (Cloudflare ranges, §2).
    let edgeIPs: [[UInt8]]
    /// Round trip to the origin (Germany), milliseconds.
    let rttMs: Int
}

/// The colos of the simulation. Edge IPs are unique per colo, so that a block of some
/// addresses at the origin maps onto some colos.
let colos: [Colo] = [
    Colo(code: B("FRA"), id: 27, edgeIPs: [B("162.158.86.14"), B("162.158.86.113"), B("172.70.242.58")], rttMs: 2),
    Colo(code: B("AMS"), id: 23, edgeIPs: [B("162.158.102.21"), B("172.71.182.77")], rttMs: 8),
    Colo(code: B("LHR"), id: 40, edgeIPs: [B("172.70.85.10"), B("172.70.85.122"), B("162.158.34.41")], rttMs: 16),
    Colo(code: B("CDG"), id: 19, edgeIPs: [B("172.71.126.52"), B("172.71.126.19")], rttMs: 11),
    Colo(code: B("WAW"), id: 108, edgeIPs: [B("172.69.30.144")], rttMs: 18),
    Colo(code: B("MAD"), id: 45, edgeIPs: [B("172.71.94.61")], rttMs: 31),
    Colo(code: B("IAD"), id: 3, edgeIPs: [B("172.70.34.201"), B("162.158.78.12")], rttMs: 92),
    Colo(code: B("SIN"), id: 69, edgeIPs: [B("172.70.143.9"), B("172.70.143.61")], rttMs: 158),
]

/// Index of a colo by code.
func coloIndex(_ code: String) -> Int { colos.firstIndex { $0.code == B(code) }! }

/// A country the visitors come from: its Cloudflare code, the colo that serves it, a few ISP
/// prefixes and ASNs, and its share of the traffic.
struct Country {
    let code: [UInt8]
    let colo: Int
    /// IPv4 /16 prefixes (first two octets) and the ASN each belongs to.
    let prefixes: [(UInt8, UInt8, Int)]
    let weight: Double
}

let countries: [Country] = [
    Country(code: B("de"), colo: 0, prefixes: [(84, 150, 3320), (91, 64, 3209), (87, 123, 3320), (77, 183, 6805), (95, 91, 8881)], weight: 0.34),
    Country(code: B("at"), colo: 0, prefixes: [(80, 108, 8447), (178, 191, 25255)], weight: 0.05),
    Country(code: B("ch"), colo: 0, prefixes: [(85, 1, 3303), (178, 197, 6730)], weight: 0.04),
    Country(code: B("nl"), colo: 1, prefixes: [(83, 84, 1136), (145, 53, 33915), (86, 88, 1136)], weight: 0.12),
    Country(code: B("be"), colo: 1, prefixes: [(81, 82, 5432), (94, 109, 6848)], weight: 0.04),
    Country(code: B("gb"), colo: 2, prefixes: [(86, 12, 2856), (81, 2, 5089), (90, 205, 5607)], weight: 0.12),
    Country(code: B("fr"), colo: 3, prefixes: [(90, 3, 3215), (82, 64, 12322), (88, 170, 15557)], weight: 0.09),
    Country(code: B("pl"), colo: 4, prefixes: [(83, 28, 5617), (37, 47, 12912)], weight: 0.05),
    Country(code: B("es"), colo: 5, prefixes: [(83, 40, 3352), (88, 6, 12479)], weight: 0.04),
    Country(code: B("us"), colo: 6, prefixes: [(73, 162, 7922), (98, 207, 7922), (104, 174, 7018)], weight: 0.08),
    Country(code: B("sg"), colo: 7, prefixes: [(118, 189, 9506), (116, 86, 4657)], weight: 0.03),
]

let countryWeights = cumulative(countries.map(\.weight))

/// User agents with their device type and a weight.
struct Agent {
    let ua: [UInt8]
    let device: [UInt8]
    let weight: Double
    let bot: Bool
}

let browserAgents: [Agent] = [
    Agent(ua: B("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"), device: B("desktop"), weight: 0.24, bot: false),
    Agent(ua: B("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"), device: B("desktop"), weight: 0.09, bot: false),
    Agent(ua: B("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"), device: B("mobile"), weight: 0.2, bot: false),
    Agent(ua: B("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"), device: B("mobile"), weight: 0.18, bot: false),
    Agent(ua: B("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"), device: B("desktop"), weight: 0.07, bot: false),
    Agent(ua: B("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"), device: B("desktop"), weight: 0.06, bot: false),
    Agent(ua: B("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"), device: B("tablet"), weight: 0.03, bot: false),
    Agent(ua: B("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"), device: B("desktop"), weight: 0.02, bot: false),
]
let browserWeights = cumulative(browserAgents.map(\.weight))

let appAgents: [[UInt8]] = [
    B("ExampleShop/4.12.0 (iPhone; iOS 18.1; Scale/3.00)"),
    B("ExampleShop/4.12.0 (Android 14; Pixel 8)"),
    B("okhttp/4.12.0"),
]

/// Crawlers and scanners: (UA, source /16 and ASN, country).
let crawlers: [(ua: [UInt8], a: UInt8, b: UInt8, c: UInt8, asn: Int, country: [UInt8])] = [
    (B("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"), 66, 249, 66, 15169, B("us")),
    (B("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"), 40, 77, 167, 8075, B("us")),
    (B("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"), 5, 39, 1, 16276, B("fr")),
]

let scannerAgents: [[UInt8]] = [
    B("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36"),
    B("python-requests/2.31.0"),
    B("Go-http-client/1.1"),
    B("Mozilla/5.0 zgrab/0.x"),
]

let probePaths: [[UInt8]] = [
    B("/.env"), B("/wp-login.php"), B("/xmlrpc.php"), B("/.git/config"), B("/phpmyadmin/index.php"),
    B("/wp-content/plugins/wp-file-manager/readme.txt"), B("/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"),
    B("/config.json"), B("/admin/.env"), B("/cgi-bin/luci/;stok=/locale"),
]

let productSlugs: [String] = [
    "trail-runner-gtx", "merino-crew-socks", "alpine-down-jacket", "city-backpack-22l", "ultralight-tent-2p",
    "rain-shell-pro", "thermo-bottle-750", "hiking-boot-mid", "fleece-hoodie", "headlamp-400",
    "trekking-poles-carbon", "sleeping-bag-minus5", "camp-stove-mini", "waterproof-gloves", "sun-hat-wide",
    "running-vest-8l", "compression-tights", "trail-gaiters", "dry-bag-20l", "first-aid-kit-compact",
]
let categories: [String] = ["footwear", "jackets", "backpacks", "camping", "accessories", "running", "sale"]
let searchTerms: [String] = ["jacket", "gore-tex", "socks", "tent+2+person", "backpack", "gloves", "headlamp", "trail+shoes", "sale", "rain"]
let blogSlugs: [String] = ["packing-list-alps", "how-to-waterproof-boots", "layering-101", "best-trails-black-forest", "winter-camping-tips"]
let assetHashes: [String] = ["3f9a2c1e", "b71d04aa", "5c0e9f12"]

/// Site hosts.
enum HostKind: Int { case www = 0, api = 1, stat = 2 }
let hostNames: [[UInt8]] = [B("www.example.com"), B("api.example.com"), B("static.example.com")]
let zoneName = B("example.com")

/// Kinds of request, for cache status, timing and size.
enum ReqKind { case page, search, checkout, asset, image, api, apiWrite, probe, feed, health }

enum CacheStatus: Int {
    case hit, miss, expired, revalidated, dynamic, bypass, unknown
    var bytes: [UInt8] {
        switch self {
        case .hit: return B("hit")
        case .miss: return B("miss")
        case .expired: return B("expired")
        case .revalidated: return B("revalidated")
        case .dynamic: return B("dynamic")
        case .bypass: return B("bypass")
        case .unknown: return B("unknown")
        }
    }
}

/// One client request as the edge saw it.
struct Request {
    var startUs: Int64 = 0
    var endUs: Int64 = 0
    var host: HostKind = .www
    var kind: ReqKind = .page
    var method: [UInt8] = B("GET")
    var uri: [UInt8] = []
    var pathLen = 0
    var scheme: [UInt8] = B("https")
    var https = true
    var proto: [UInt8] = B("HTTP/2")
    var clientIP: [UInt8] = []
    var clientPort = 0
    var country: [UInt8] = []
    var asn = 0
    var device: [UInt8] = B("desktop")
    var ua: [UInt8] = []
    var referer: [UInt8] = []
    var colo = 0
    var edgeIP = 0
    var cache: CacheStatus = .dynamic
    var status = 200
    var originStatus = 200
    var originMs = 0
    var tcpMs = 0
    var tlsMs = 0
    var ttfbMs = 0
    var bytes = 0
    var originBytes = 0
    var requestBytes = 0
    var contentType: [UInt8] = B("text/html")
    var ray: UInt64 = 0
    /// Blocked by Cloudflare's WAF (never reached the origin).
    var wafBlocked = false
    var securityRule: [UInt8] = []

    /// True when the edge made (or tried) a request to the origin.
    var originBound: Bool { !wafBlocked && cache != .hit }
    var path: ArraySlice<UInt8> { uri[0..<pathLen] }
    var edgeServerIP: [UInt8] { colos[colo].edgeIPs[edgeIP] }
}

/// A size that is the same every time a URI is served (FNV-1a of the URI into lo..<hi).
func stableSize(_ uri: [UInt8], _ lo: Int, _ hi: Int) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in uri { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return lo + Int(h % UInt64(max(1, hi - lo)))
}

/// A returning visitor: address, country and browser stay the same across requests.
struct Visitor {
    var ip: [UInt8]
    var country: Int
    var asn: Int
    var agent: Int
}

/// Produces requests: visitors, pages, cache behaviour, timing, statuses. The outcome at the
/// origin (answered, refused) is left to the caller, which knows the scenario.
struct TrafficModel {
    var rng: PRNG
    var visitors: [Visitor] = []
    /// Share of requests over plain http (Cloudflare passes them to the origin's port 80).
    var httpShare = 0.04
    /// Share of WAF-blocked scanner requests.
    var scannerShare = 0.01
    var hostWeights = cumulative([0.62, 0.24, 0.14])

    init(seed: UInt64, stream: String, visitors n: Int = 260) {
        rng = PRNG(seed: seed, stream: stream)
        for _ in 0..<n {
            let c = rng.weighted(countryWeights)
            let p = rng.pick(countries[c].prefixes)
            var ip = Bytes(capacity: 16)
            if rng.chance(0.12) && c == 0 {
                // Some German visitors on IPv6 (Telekom).
                ip.s("2003:e6:"); ip.hexMinimal(UInt64(rng.int(0x1000, 0xffff))); ip.byte(0x3A)
                ip.hexMinimal(UInt64(rng.int(0x100, 0xffff))); ip.s(":"); ip.hexMinimal(UInt64(rng.int(0x1000, 0xffff)))
                ip.s(":"); ip.hexMinimal(UInt64(rng.int(1, 0xffff))); ip.s(":"); ip.hexMinimal(UInt64(rng.int(1, 0xffff)))
                ip.s(":"); ip.hexMinimal(UInt64(rng.int(1, 0xffff))); ip.s(":"); ip.hexMinimal(UInt64(rng.int(1, 0xffff)))
            } else {
                ip.uint(UInt64(p.0)); ip.byte(0x2E); ip.uint(UInt64(p.1)); ip.byte(0x2E)
                ip.uint(UInt64(rng.int(0, 255))); ip.byte(0x2E); ip.uint(UInt64(rng.int(1, 254)))
            }
            visitors.append(Visitor(ip: ip.b, country: c, asn: p.2, agent: rng.weighted(browserWeights)))
        }
    }

    mutating func request(at startUs: Int64) -> Request {
        var r = Request()
        r.startUs = startUs
        r.ray = rng.next()
        r.clientPort = rng.int(1024, 65535)
        let roll = rng.unit()
        if roll < scannerShare {
            scanner(&r)
        } else if roll < scannerShare + 0.035 {
            crawler(&r)
        } else {
            visitor(&r)
        }
        finish(&r)
        return r
    }

    private mutating func scanner(_ r: inout Request) {
        r.host = .www
        r.kind = .probe
        r.ua = rng.pick(scannerAgents)
        r.device = B("desktop")
        r.country = rng.pick([B("us"), B("cn"), B("ru"), B("nl"), B("vn"), B("br")])
        r.asn = rng.pick([14061, 4134, 16509, 202425, 45899, 7738])
        var ip = Bytes(capacity: 16)
        ip.uint(UInt64(rng.pick([45, 185, 193, 103, 167, 194]))); ip.byte(0x2E)
        ip.uint(UInt64(rng.int(1, 254))); ip.byte(0x2E); ip.uint(UInt64(rng.int(0, 255))); ip.byte(0x2E); ip.uint(UInt64(rng.int(1, 254)))
        r.clientIP = ip.b
        r.colo = rng.int(colos.count)
        r.uri = rng.pick(probePaths)
        r.pathLen = r.uri.count
        r.proto = B("HTTP/1.1")
        r.referer = []
        // Most probes are stopped by the WAF at the edge.
        if rng.chance(0.75) {
            r.wafBlocked = true
            r.securityRule = rng.chance(0.5) ? B("efb7b8c949ac4650a09736fc376e9aee") : B("5de7edfa648c4d6891dc3e7f84534ffa")
        }
    }

    private mutating func crawler(_ r: inout Request) {
        let c = rng.pick(crawlers)
        r.ua = c.ua
        r.device = B("desktop")
        r.country = c.country
        r.asn = c.asn
        var ip = Bytes(capacity: 16)
        ip.uint(UInt64(c.a)); ip.byte(0x2E); ip.uint(UInt64(c.b)); ip.byte(0x2E); ip.uint(UInt64(c.c)); ip.byte(0x2E); ip.uint(UInt64(rng.int(1, 254)))
        r.clientIP = ip.b
        r.colo = c.country == B("fr") ? 3 : 6
        r.host = .www
        r.proto = B("HTTP/1.1")
        let x = rng.unit()
        if x < 0.55 { productPage(&r) } else if x < 0.8 { categoryPage(&r) } else if x < 0.9 { r.kind = .feed; r.uri = B("/sitemap.xml") } else { r.kind = .page; r.uri = B("/robots.txt") }
        if r.pathLen == 0 { r.pathLen = r.uri.firstIndex(of: 0x3F) ?? r.uri.count }
    }

    private mutating func visitor(_ r: inout Request) {
        let v = visitors[rng.int(visitors.count)]
        let c = countries[v.country]
        r.clientIP = v.ip
        r.country = c.code
        r.asn = v.asn
        r.colo = rng.chance(0.04) ? (c.colo + 1) % colos.count : c.colo
        let h = HostKind(rawValue: rng.weighted(hostWeights))!
        r.host = h
        switch h {
        case .api:
            r.ua = rng.chance(0.7) ? rng.pick(appAgents) : browserAgents[v.agent].ua
            r.device = r.ua.starts(with: B("Mozilla")) ? browserAgents[v.agent].device : B("mobile")
            r.proto = rng.chance(0.6) ? B("HTTP/2") : B("HTTP/1.1")
            apiCall(&r)
        case .stat:
            r.ua = browserAgents[v.agent].ua
            r.device = browserAgents[v.agent].device
            r.proto = rng.chance(0.3) ? B("HTTP/3") : B("HTTP/2")
            r.kind = rng.chance(0.6) ? .image : .asset
            if r.kind == .image {
                r.uri = B("/img/products/\(rng.int(1000, 1400))-\(rng.pick(["320", "640", "1280"])).webp")
            } else {
                let hsh = rng.pick(assetHashes)
                r.uri = B(rng.pick(["/js/app.\(hsh).js", "/css/app.\(hsh).css", "/js/vendor.\(hsh).js", "/fonts/inter-var.woff2"]))
            }
            r.referer = B("https://www.example.com/")
        case .www:
            r.ua = browserAgents[v.agent].ua
            r.device = browserAgents[v.agent].device
            r.proto = rng.chance(0.25) ? B("HTTP/3") : (rng.chance(0.85) ? B("HTTP/2") : B("HTTP/1.1"))
            let x = rng.unit()
            if x < 0.16 { r.kind = .page; r.uri = B("/") }
            else if x < 0.46 { productPage(&r) }
            else if x < 0.62 { categoryPage(&r) }
            else if x < 0.72 { r.kind = .search; r.uri = B("/search?q=\(rng.pick(searchTerms))") }
            else if x < 0.78 { r.kind = .checkout; r.uri = B(rng.pick(["/cart", "/checkout?step=1", "/checkout?step=2", "/checkout?step=3", "/account/login"])) }
            else if x < 0.84 { r.kind = .page; r.uri = B("/blog/\(rng.pick(blogSlugs))") }
            else if x < 0.95 { r.kind = .asset; r.uri = B(rng.pick(["/favicon.ico", "/assets/logo.svg", "/manifest.webmanifest", "/assets/app.\(rng.pick(assetHashes)).css"])) }
            else { r.kind = .image; r.uri = B("/images/hero-\(rng.int(1, 6)).webp") }
            if rng.chance(0.6) {
                r.referer = rng.chance(0.7) ? B("https://www.example.com/") : B(rng.pick(["https://www.google.com/", "https://www.google.de/", "https://duckduckgo.com/", "https://www.bing.com/"]))
            }
        }
        if r.pathLen == 0 { r.pathLen = r.uri.firstIndex(of: 0x3F) ?? r.uri.count }
    }

    private mutating func productPage(_ r: inout Request) {
        r.kind = .page
        r.uri = B("/products/\(rng.pick(productSlugs))")
        if rng.chance(0.15) { r.uri += B("?color=\(rng.pick(["black", "blue", "red", "olive"]))&size=\(rng.pick(["s", "m", "l", "xl", "42", "43"]))") }
        if rng.chance(0.08) { r.uri += B(r.uri.contains(0x3F) ? "&utm_source=newsletter&utm_medium=email" : "?utm_source=newsletter&utm_medium=email") }
    }

    private mutating func categoryPage(_ r: inout Request) {
        r.kind = .page
        r.uri = B("/category/\(rng.pick(categories))")
        if rng.chance(0.4) { r.uri += B("?page=\(rng.int(2, 9))") }
        if rng.chance(0.1) { r.uri += B(r.uri.contains(0x3F) ? "&sort=price_asc" : "?sort=price_asc") }
    }

    private mutating func apiCall(_ r: inout Request) {
        let x = rng.unit()
        r.kind = .api
        if x < 0.3 { r.uri = B("/v1/products?category=\(rng.pick(categories))&limit=24&offset=\(rng.int(0, 5) * 24)") }
        else if x < 0.55 { r.uri = B("/v1/products/\(rng.int(1000, 1400))") }
        else if x < 0.68 { r.uri = B("/v1/stock/\(rng.int(1000, 1400))") }
        else if x < 0.8 { r.uri = B("/v1/cart"); if rng.chance(0.4) { r.method = B("POST"); r.kind = .apiWrite } }
        else if x < 0.88 { r.uri = B("/v1/orders?limit=10") }
        else if x < 0.93 { r.uri = B("/v1/session"); r.method = B("POST"); r.kind = .apiWrite }
        else if x < 0.96 { r.uri = B("/v1/orders"); r.method = B("POST"); r.kind = .apiWrite }
        else { r.uri = B("/v1/search?q=\(rng.pick(searchTerms))&limit=10") }
    }

    /// Cache status, timing, sizes and the status the origin would answer with when reachable.
    private mutating func finish(_ r: inout Request) {
        r.https = !rng.chance(httpShare)
        r.scheme = r.https ? B("https") : B("http")
        if !r.https { r.proto = B("HTTP/1.1") }
        r.edgeIP = rng.int(colos[r.colo].edgeIPs.count)
        r.requestBytes = 900 + r.ua.count + r.uri.count + rng.int(0, 1400)
        if r.wafBlocked {
            r.cache = .unknown
            r.status = 403; r.originStatus = 0
            r.bytes = 4480 + rng.int(0, 120)
            r.contentType = B("text/html")
            r.originMs = 0
            r.ttfbMs = rng.int(1, 6)
            r.endUs = r.startUs + Int64(r.ttfbMs + 1) * 1000
            return
        }
        let rtt = colos[r.colo].rttMs
        var work = 0
        switch r.kind {
        case .asset, .image:
            let x = rng.unit()
            r.cache = x < 0.86 ? .hit : (x < 0.93 ? .miss : (x < 0.97 ? .expired : .revalidated))
            r.contentType = r.kind == .image ? B("image/webp") : (r.uri.last == 0x73 && r.uri.dropLast().last == 0x6A ? B("application/javascript") : B("text/css"))
            if r.uri.starts(with: B("/fonts")) { r.contentType = B("font/woff2") }
            if r.uri.starts(with: B("/favicon")) { r.contentType = B("image/x-icon") }
            if r.uri.starts(with: B("/assets/logo")) { r.contentType = B("image/svg+xml") }
            if r.uri.starts(with: B("/manifest")) { r.contentType = B("application/manifest+json") }
            r.originBytes = r.kind == .image ? stableSize(r.uri, 18_000, 240_000) : stableSize(r.uri, 2_000, 180_000)
            work = rng.int(1, 8)
            r.originStatus = 200
        case .page, .feed:
            r.cache = r.uri == B("/robots.txt") || r.kind == .feed ? (rng.chance(0.7) ? .hit : .miss) : .dynamic
            r.contentType = r.kind == .feed ? B("application/xml") : (r.uri == B("/robots.txt") ? B("text/plain") : B("text/html"))
            r.originBytes = stableSize(r.uri, 14_000, 62_000) + rng.int(0, 40)
            work = Int(rng.logNormal(median: 140, sigma: 0.5))
            r.originStatus = rng.chance(0.03) ? 404 : (rng.chance(0.002) ? 500 : 200)
            if r.originStatus == 404 { r.originBytes = 7_812 }
        case .search:
            r.cache = .dynamic
            r.originBytes = stableSize(r.uri, 20_000, 70_000) + rng.int(0, 40)
            work = Int(rng.logNormal(median: 420, sigma: 0.7))
            r.originStatus = rng.chance(0.004) ? 504 : 200
            if r.originStatus == 504 { work = 60_000; r.originBytes = 562 }
        case .checkout:
            r.cache = .bypass
            r.originBytes = stableSize(r.uri, 9_000, 30_000) + rng.int(0, 40)
            work = Int(rng.logNormal(median: 260, sigma: 0.5))
            r.originStatus = r.uri == B("/account/login") && rng.chance(0.2) ? 302 : (rng.chance(0.003) ? 500 : 200)
        case .api:
            r.cache = r.uri.starts(with: B("/v1/products")) && rng.chance(0.3) ? .hit : .dynamic
            r.contentType = B("application/json")
            r.originBytes = stableSize(r.uri, 400, 24_000) + rng.int(0, 8)
            work = Int(rng.logNormal(median: 70, sigma: 0.6))
            r.originStatus = rng.chance(0.02) ? 404 : (rng.chance(0.003) ? 500 : 200)
        case .apiWrite:
            r.cache = .dynamic
            r.contentType = B("application/json")
            r.originBytes = stableSize(r.uri, 80, 2_400) + rng.int(0, 8)
            work = Int(rng.logNormal(median: 120, sigma: 0.5))
            r.originStatus = r.uri == B("/v1/orders") ? (rng.chance(0.9) ? 201 : 422) : (r.uri == B("/v1/session") && rng.chance(0.15) ? 401 : 200)
        case .probe:
            r.cache = .dynamic
            r.originBytes = 162
            work = rng.int(1, 4)
            r.originStatus = r.uri.starts(with: B("/.")) || r.uri.starts(with: B("/admin/.")) ? 403 : 404
            r.contentType = B("text/html")
        case .health:
            r.cache = .dynamic
            r.originBytes = 2
            work = 1
            r.originStatus = 200
        }
        // Plain-http visits to www are redirected to https by the origin.
        if !r.https && r.host == .www && r.cache != .hit {
            r.originStatus = 301; r.originBytes = 162; work = rng.int(1, 3); r.contentType = B("text/html")
        }
        if r.method == B("GET") && r.cache == .dynamic && rng.chance(0.03) && r.kind == .page {
            r.originStatus = 304; r.originBytes = 0
        }
        if r.cache == .hit {
            r.originStatus = 0
            r.status = 200
            r.originMs = 0
            r.tcpMs = 0; r.tlsMs = 0
            r.ttfbMs = rng.int(1, 12)
            r.bytes = r.originBytes + 600
        } else {
            let reused = rng.chance(0.72)
            r.tcpMs = reused ? 0 : rtt + rng.int(0, 2)
            r.tlsMs = reused || !r.https ? 0 : rtt * 2 + rng.int(1, 4)
            r.originMs = r.tcpMs + r.tlsMs + rtt + work
            r.ttfbMs = r.originMs + rng.int(1, 9)
            r.status = r.originStatus
            r.bytes = r.originBytes + 700
        }
        let transferMs = r.bytes / 2_000 + rng.int(0, 30)
        r.endUs = r.startUs + Int64(r.ttfbMs + transferMs) * 1000 + Int64(rng.int(0, 999))
    }

    /// Turns an origin-bound request into a Cloudflare 521: the origin refused the connection.
    mutating func refuse(_ r: inout Request) {
        let rtt = colos[r.colo].rttMs
        r.status = 521
        r.originStatus = 0
        // Time to the RST, plus the edge's retry on another address family/connection.
        r.originMs = rtt * 2 + rng.int(0, 3)
        r.tcpMs = 0; r.tlsMs = 0
        r.ttfbMs = r.originMs + rng.int(1, 5)
        r.bytes = 5_118 + rng.int(0, 40)
        r.originBytes = 0
        r.contentType = B("text/html")
        r.endUs = r.startUs + Int64(r.ttfbMs + 1) * 1000 + Int64(rng.int(0, 999))
    }

    /// Other Cloudflare 52x (522 timeout, 524 origin too slow) for stray errors.
    mutating func fail(_ r: inout Request, status: Int) {
        r.status = status
        r.originStatus = 0
        r.originMs = status == 522 ? 19_000 + rng.int(0, 800) : 120_000 + rng.int(0, 200)
        r.ttfbMs = r.originMs + rng.int(1, 5)
        r.bytes = 5_200 + rng.int(0, 40)
        r.originBytes = 0
        r.contentType = B("text/html")
        r.endUs = r.startUs + Int64(r.ttfbMs + 1) * 1000
    }
}

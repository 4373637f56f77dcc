import Foundation
import OriginLens

/// Assembles one scenario folder: edge traffic with a per-request fate, the origin's access and
/// error logs derived from the requests that reached it, origin event logs, rotation families,
/// and the README.
final class ScenarioBuilder {
    let name: String
    let dir: String
    var traffic: TrafficModel
    var rng: PRNG
    var host: OriginHost
    let originIP = B("203.0.113.10")
    let serverIP = "203.0.113.10"
    var requests: [Request] = []
    var access = LogBook()
    var nginxError = LogBook()
    var journal: [JournalEntry] = []
    var books: [String: LogBook] = [:]
    /// Files written: path relative to the scenario folder, bytes on disk.
    var written: [(String, Int64)] = []
    var connSerial: Int
    /// nginx worker pids over time: (from UTC µs, pids).
    var nginxWorkers: [(Int64, [Int])] = [(Int64.min, [2207, 2208])]
    var phpSocket = "unix:/run/php/php8.2-fpm.sock"
    var webRoot = "/var/www/example"

    init(name: String, dir: String, seed: UInt64, zone: String, bootUs: Int64) throws {
        self.name = name
        self.dir = dir
        traffic = TrafficModel(seed: seed, stream: name + "/traffic")
        rng = PRNG(seed: seed, stream: name + "/origin")
        host = OriginHost(zone: try Zone(zone), host: "web1", bootUs: bootUs)
        connSerial = 40_000 + rng.int(0, 20_000)
    }

    func book(_ key: String) -> LogBook { books[key] ?? LogBook() }
    func add(_ key: String, _ tUs: Int64, _ line: [UInt8]) {
        books[key, default: LogBook()].add(tUs, line)
    }
    func syslog(_ key: String, _ tUs: Int64, _ tag: String, _ pid: Int?, _ msg: String) {
        add(key, tUs, host.syslog(tUs, tag, pid, msg))
    }
    func syslog(_ tUs: Int64, _ tag: String, _ pid: Int?, _ msg: String) {
        add("syslog", tUs, host.syslog(tUs, tag, pid, msg))
    }
    func nginxLine(_ tUs: Int64, _ level: String, _ pid: Int, _ msg: String, conn: Int? = nil) {
        nginxError.add(tUs, host.nginx(tUs, level, pid, msg, conn: conn))
    }

    func worker(at tUs: Int64) -> Int {
        var pids = nginxWorkers[0].1
        for (from, p) in nginxWorkers where from <= tUs { pids = p }
        return pids[rng.int(pids.count)]
    }

    // MARK: Traffic

    /// Poisson arrivals between `from` and `to` (UTC seconds) at `rate(t)` requests/s; `fate`
    /// decides what happened at the origin (it may turn a request into a 521). Requests the
    /// origin answered go to the access log (and, for errors, to the nginx error log).
    func generateTraffic(from: Int64, to: Int64, rate: (Int64) -> Double, maxRate: Double,
                         fate: (inout Request, inout TrafficModel) -> Void) {
        var t = Double(from)
        while true {
            t += traffic.rng.exponential(mean: 1.0 / maxRate)
            if t >= Double(to) { break }
            if traffic.rng.unit() * maxRate > rate(Int64(t)) { continue }
            var r = traffic.request(at: Int64(t * 1_000_000))
            fate(&r, &traffic)
            requests.append(r)
            if r.originBound && r.originStatus > 0 { logAtOrigin(r) }
        }
    }

    /// Access-log line (and error-log lines where nginx would write one) for an answered request.
    func logAtOrigin(_ r: Request) {
        connSerial += 1 + rng.int(0, 2)
        let endUs = r.startUs + Int64(r.originMs) * 1000 + Int64(rng.int(0, 999))
        var b = Bytes(capacity: 300)
        let s = endUs / 1_000_000
        b.accessLine(r, remote: r.edgeServerIP, atUs: endUs, offset: host.zone.offset(s))
        access.add(endUs, b.b)
        let edge = String(decoding: r.edgeServerIP, as: UTF8.self)
        let hostName = String(decoding: hostNames[r.host.rawValue], as: UTF8.self)
        let req = "\(String(decoding: r.method, as: UTF8.self)) \(String(decoding: r.uri, as: UTF8.self)) HTTP/1.1"
        let ctx = "client: \(edge), server: \(hostName), request: \"\(req)\""
        let upstream = "upstream: \"fastcgi://\(phpSocket):\", host: \"\(hostName)\""
        let pid = worker(at: endUs)
        switch (r.kind, r.originStatus) {
        case (.search, 504):
            nginxLine(endUs, "error", pid, "upstream timed out (110: Connection timed out) while reading response header from upstream, \(ctx), \(upstream)", conn: connSerial)
        case (_, 500):
            nginxLine(endUs, "error", pid, "FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Error: Call to a member function getPrice() on null in \(webRoot)/src/Service/CartService.php:87\" while reading response header from upstream, \(ctx), \(upstream)", conn: connSerial)
        case (.probe, 403):
            nginxLine(endUs, "error", pid, "access forbidden by rule, \(ctx), host: \"\(hostName)\"", conn: connSerial)
        case (.probe, 404) where r.uri.starts(with: B("/wp-")) || r.uri.starts(with: B("/xmlrpc")) || r.uri.starts(with: B("/vendor")):
            nginxLine(endUs, "error", pid, "FastCGI sent in stderr: \"Primary script unknown\" while reading response header from upstream, \(ctx), \(upstream)", conn: connSerial)
        case (.page, 200) where rng.chance(0.004):
            nginxLine(endUs, "error", pid, "FastCGI sent in stderr: \"PHP message: PHP Warning:  Undefined array key \"variant\" in \(webRoot)/src/Controller/ProductController.php on line 112\" while reading response header from upstream, \(ctx), \(upstream)", conn: connSerial)
        default:
            break
        }
    }

    /// Requests to the origin's IP that did not come through Cloudflare (scanners), when the
    /// origin is reachable from outside at that time.
    func directScanners(from: Int64, to: Int64, perHour: Double, reachable: (Int64) -> Bool) {
        let paths = ["/", "/.env", "/HNAP1/", "/boaform/admin/formLogin", "/actuator/health", "/.git/HEAD", "/favicon.ico", "/owa/auth/logon.aspx"]
        let agents = ["Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", "-"]
        var t = Double(from)
        while true {
            t += rng.exponential(mean: 3600.0 / perHour)
            if t >= Double(to) { break }
            let tUs = Int64(t * 1_000_000)
            guard reachable(tUs) else { continue }
            let ip = "\(rng.pick([45, 80, 185, 193, 194, 206, 89])).\(rng.int(1, 254)).\(rng.int(0, 255)).\(rng.int(1, 254))"
            let path = rng.pick(paths)
            let status = path == "/" ? 301 : (path.hasPrefix("/.") ? 403 : 404)
            let ua = rng.pick(agents)
            var b = Bytes(capacity: 200)
            b.str(ip); b.s(" - - "); b.accessTime(tUs / 1_000_000, offset: host.zone.offset(tUs / 1_000_000))
            b.s(" \"GET "); b.str(path); b.s(" HTTP/1.1\" "); b.int(status); b.byte(0x20); b.int(status == 301 ? 169 : 153)
            b.s(" \"-\" \""); b.str(ua); b.s("\"\n")
            access.add(tUs, b.b)
        }
    }

    /// A local monitoring agent polling the site over loopback every `every` seconds.
    func healthChecks(from: Int64, to: Int64, every: Int64, up: (Int64) -> Bool) {
        var t = from + Int64(rng.int(0, Int(every) - 1))
        while t < to {
            let tUs = t * 1_000_000 + Int64(rng.int(1000, 40_000))
            if up(tUs) {
                var b = Bytes(capacity: 120)
                b.s("127.0.0.1 - - "); b.accessTime(t, offset: host.zone.offset(t))
                b.s(" \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"monit/5.33.0\"\n")
                access.add(tUs, b.b)
            }
            t += every
        }
    }

    // MARK: Syslog noise

    struct NoiseOptions {
        var cronHourly = true
        var phpSessionClean = true
        var sysstat = false
        var sshPerHour = 6.0
        /// Netfilter LOG prefix for scanner packets to closed ports ("" = none).
        var firewallPrefix = ""
        var firewallPerHour = 0.0
        var phpService = "php8.2-fpm"
        var combinedUnitNames = true
        /// Where sshd's lines go (Debian/Ubuntu: auth.log, never syslog).
        var sshKey = "auth"
    }

    /// Background lines of a quiet Debian/Ubuntu web server.
    func syslogNoise(from: Int64, to: Int64, _ o: NoiseOptions, key: String = "syslog") {
        var pid = 31_000 + rng.int(0, 4000)
        func nextPid() -> Int { pid += 1 + rng.int(0, 40); return pid }
        let hour0 = from - from % 3600
        var h = hour0
        while h < to {
            // Debian /etc/crontab: hourly at :17.
            if o.cronHourly {
                let t = h + 17 * 60 + 1
                if t >= from && t < to {
                    let p = nextPid()
                    let tUs = t * 1_000_000 + Int64(rng.int(0, 300_000))
                    syslog(key, tUs, "CRON", p, "(root) CMD (cd / && run-parts --report /etc/cron.hourly)")
                }
            }
            // phpsessionclean.timer: :09 and :39.
            if o.phpSessionClean {
                for m in [9, 39] {
                    let t = h + Int64(m) * 60
                    if t >= from && t < to {
                        let tUs = t * 1_000_000 + Int64(rng.int(0, 900_000))
                        let id = Msg.ident("phpsessionclean.service", "Clean php session files", combined: o.combinedUnitNames)
                        syslog(key, tUs, "systemd", 1, "Starting \(id)...")
                        syslog(key, tUs + 180_000 + Int64(rng.int(0, 200_000)), "systemd", 1, "phpsessionclean.service: Deactivated successfully.")
                        syslog(key, tUs + 190_000 + Int64(rng.int(200_000, 300_000)), "systemd", 1, "Finished \(id).")
                    }
                }
            }
            if o.sysstat {
                for m in stride(from: 5, to: 60, by: 10) {
                    let t = h + Int64(m) * 60
                    if t >= from && t < to {
                        let tUs = t * 1_000_000 + Int64(rng.int(0, 500_000))
                        let id = Msg.ident("sysstat-collect.service", "system activity accounting tool", combined: o.combinedUnitNames)
                        syslog(key, tUs, "systemd", 1, "Starting \(id)...")
                        syslog(key, tUs + 40_000, "systemd", 1, "sysstat-collect.service: Deactivated successfully.")
                        syslog(key, tUs + 45_000, "systemd", 1, "Finished \(id).")
                    }
                }
            }
            h += 3600
        }
        // SSH brute force from the internet.
        let users = ["admin", "test", "ubuntu", "oracle", "user", "git", "postgres", "ftpuser", "deploy1", "guest"]
        let attackers = ["61.177.172.140", "218.92.0.112", "180.101.88.240", "43.156.71.8", "159.223.45.12", "170.64.140.51"]
        var t = Double(from)
        while o.sshPerHour > 0 {
            t += rng.exponential(mean: 3600.0 / o.sshPerHour)
            if t >= Double(to) { break }
            let tUs = Int64(t * 1_000_000)
            let ip = rng.pick(attackers)
            let port = rng.int(30_000, 65_000)
            let p = nextPid()
            if rng.chance(0.3) {
                syslog(o.sshKey, tUs, "sshd", p, "Connection closed by authenticating user root \(ip) port \(port) [preauth]")
            } else {
                let u = rng.pick(users)
                syslog(o.sshKey, tUs, "sshd", p, "Invalid user \(u) from \(ip) port \(port)")
                syslog(o.sshKey, tUs + 300_000 + Int64(rng.int(0, 400_000)), "sshd", p, "Received disconnect from \(ip) port \(port):11: Bye Bye [preauth]")
                syslog(o.sshKey, tUs + 310_000 + Int64(rng.int(400_000, 500_000)), "sshd", p, "Disconnected from invalid user \(u) \(ip) port \(port) [preauth]")
            }
        }
        // Port scans against closed ports, logged by the firewall.
        if !o.firewallPrefix.isEmpty && o.firewallPerHour > 0 {
            var t = Double(from)
            while true {
                t += rng.exponential(mean: 3600.0 / o.firewallPerHour)
                if t >= Double(to) { break }
                let src = "\(rng.pick([45, 80, 89, 94, 162, 185, 193, 194, 205])).\(rng.int(1, 254)).\(rng.int(0, 255)).\(rng.int(1, 254))"
                if src.hasPrefix("162.158.") || src.hasPrefix("162.159.") { continue }
                let dpt = rng.pick([23, 3389, 8080, 5900, 2323, 8443, 6379, 3306, 5432, 81, 8888])
                syslog(key, Int64(t * 1_000_000), "kernel", nil,
                       Msg.netfilter(prefix: o.firewallPrefix, src: src, dst: serverIP, spt: rng.int(1024, 65535), dpt: dpt,
                                     ttl: rng.int(232, 248), id: rng.int(1, 65535), window: rng.pick([1024, 65535, 14600]), len: rng.pick([40, 44, 60]), df: false))
            }
        }
    }

    /// logrotate.timer's run and rsyslog's HUP (the HUP is the first line of the new file).
    func logrotateLines(_ r: Int64, combined: Bool, rsyslogVersion: String = "8.2302.0", rsyslogPid: Int = 612) {
        let id = Msg.ident("logrotate.service", "Rotate log files", combined: combined)
        syslog(r - 190_000, "systemd", 1, "Starting \(id)...")
        syslog(r + 40_000, "rsyslogd", nil, "[origin software=\"rsyslogd\" swVersion=\"\(rsyslogVersion)\" x-pid=\"\(rsyslogPid)\" x-info=\"https://www.rsyslog.com\"] rsyslogd was HUPed")
        syslog(r + 310_000, "systemd", 1, "logrotate.service: Deactivated successfully.")
        syslog(r + 312_000, "systemd", 1, "Finished \(id).")
    }

    // MARK: Writing

    /// Logpush-style batch objects in daily folders:
    /// `edge/YYYYMMDD/YYYYMMDDTHHMMSSZ_YYYYMMDDTHHMMSSZ_<8hex>.log.gz`, records grouped by the
    /// batch their end time falls in (a few late ones in the next), slightly out of order.
    func writeLogpush(ts: TimestampFormat, batchSeconds: Int64, fields: FieldSet = .compact, folder: String = "edge") throws {
        var batches: [Int64: [Request]] = [:]
        for r in requests {
            var k = (r.endUs / 1_000_000) / batchSeconds
            if rng.chance(0.03) { k += 1 }
            batches[k, default: []].append(r)
        }
        for k in batches.keys.sorted() {
            var rs = batches[k]!.sorted { $0.endUs < $1.endUs }
            var i = 1
            while i < rs.count { if rng.chance(0.25) { rs.swapAt(i - 1, i) }; i += 2 }
            var body = Bytes(capacity: rs.count * 700)
            for r in rs { body.edgeJSON(r, fields: fields, ts: ts, originIP: originIP) }
            let start = k * batchSeconds, end = start + batchSeconds
            var nameB = Bytes(capacity: 64)
            nameB.compactUTC(start); nameB.byte(0x5F); nameB.compactUTC(end); nameB.byte(0x5F); nameB.hex(rng.next(), digits: 8); nameB.s(".log.gz")
            let c = Civil(seconds: start)
            var day = Bytes(capacity: 8); day.pad(c.year, 4); day.pad(c.month, 2); day.pad(c.day, 2)
            let rel = "\(folder)/\(String(decoding: day.b, as: UTF8.self))/\(String(decoding: nameB.b, as: UTF8.self))"
            written.append((rel, try writeFile(dir + "/" + rel, body.b, gzip: true, mtime: end + 40)))
        }
    }

    /// Writes a book as a rotation family split at `rotations` (UTC µs, when logrotate ran):
    /// newest in `rel`, then `rel.1`, `rel.2.gz`, … (`.1` compressed too unless `delaycompress`).
    func writeRotated(_ book: LogBook, _ rel: String, rotations: [Int64], delaycompress: Bool = true, extraPrefix: [UInt8] = []) throws {
        let entries = book.sorted()
        let cuts = rotations.sorted()
        var segments = Array(repeating: [LogBook.Entry](), count: cuts.count + 1)
        for e in entries {
            var i = 0
            while i < cuts.count && e.t >= cuts[i] { i += 1 }
            segments[i].append(e)
        }
        for (i, seg) in segments.enumerated() where !seg.isEmpty {
            let n = cuts.count - i
            let gz = n >= 2 || (n == 1 && !delaycompress)
            let name = n == 0 ? rel : (gz ? "\(rel).\(n).gz" : "\(rel).\(n)")
            var data: [UInt8] = []
            data.reserveCapacity(seg.count * 140)
            for e in seg { data.append(contentsOf: e.line) }
            let mtime = seg.last!.t / 1_000_000
            written.append((name, try writeFile(dir + "/" + name, data, gzip: gz, mtime: mtime)))
        }
    }

    /// Journal export of the collected entries (time order).
    func writeJournal(_ rel: String, bootID: String, machineID: String) throws {
        var exp = JournalExporter(bootID: bootID, machineID: machineID, seqnumID: hex32(), bootUs: host.bootUs,
                                  seq: UInt64(0x4f000 + rng.int(0, 0xfff)), rng: PRNG(seed: rng.next()))
        var b = Bytes(capacity: journal.count * 900)
        for e in journal.enumerated().sorted(by: { ($0.element.tUs, $0.offset) < ($1.element.tUs, $1.offset) }).map(\.element) {
            exp.write(e, into: &b)
        }
        written.append((rel, try writeFile(dir + "/" + rel, b.b, mtime: (journal.map(\.tUs).max() ?? 0) / 1_000_000)))
    }

    func hex32() -> String {
        var b = Bytes(capacity: 32); b.hex(rng.next(), digits: 16); b.hex(rng.next(), digits: 16)
        return String(decoding: b.b, as: UTF8.self)
    }

    // MARK: Journal helpers

    /// A PID 1 unit message as journald stores it, with the catalog id and structured fields.
    func journalPID1(_ tUs: Int64, unit: String, message: String, priority: Int, id: String?, codeFile: String,
                     codeLine: Int, codeFunc: String, invocation: String, extra: [(String, String)] = []) {
        journal.append(JournalEntry(tUs: tUs, sourceUs: tUs - Int64(rng.int(20, 400)),
                                    fields: JournalFields.pid1(host.host, message: message, unit: unit, priority: priority, messageID: id,
                                                               codeFile: codeFile, codeLine: codeLine, codeFunc: codeFunc,
                                                               invocation: invocation, extra: extra)))
    }

    /// Statistics for reports.
    var edgeCount: Int { requests.count }
    var count521: Int { requests.lazy.filter { $0.status == 521 }.count }
    var totalBytes: Int64 { written.reduce(0) { $0 + $1.1 } }
}

/// Message ids of systemd's catalog (reference §8.3).
enum MID {
    static let starting = "7d4958e842da4a758f6c1cdc7b36dcc5"
    static let started = "39f53479d3a045ac8e11786248231fbf"
    static let stopping = "de5b426a63be47a7b6ac3eaac82e2f6f"
    static let stopped = "9d1aaa27d60140bd96365438aad20286"
    static let failed = "be02cf6855d2428ba40df7e9d022f03d"
    static let reloading = "d34d037fff1847e6ae669a370e694725"
    static let reloaded = "7b05ebc668384222baa8881179cfda54"
    static let processExit = "98e322203f7a4ed290d09fe03c09fe15"
    static let failureResult = "d9b373ed55a64feb8242e02dbe79a49c"
    static let success = "7ad2d189f7e94e70a38c781354912448"
    static let outOfMemory = "fe6faa94e7774663a0da52717891d8ef"
    static let restartScheduled = "5eb03494b6584870a536b337290809b3"
    static let resources = "ae8f7b866b0347b9af31fe1c80b127c0"
}

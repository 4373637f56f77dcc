import ArgumentParser
import Dispatch
import Foundation

/// `originlens-gen bench`: large, realistic edge + origin data with known incidents, for the
/// benchmark. Files are produced in parallel; every file has its own random stream, so the
/// output does not depend on scheduling.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Write benchmark data: Cloudflare Logpush NDJSON (~1.3 KB, 42 fields a line) and matching origin logs.",
        discussion: """
        Sizes accept B, KB, MB, GB, TB (binary multiples: 1GB = 2^30 bytes) and count uncompressed
        bytes. Every 6 hours of simulated time holds a 10-minute window in which every request that
        needs the origin gets 521; its cause is in the origin logs (OOM kill, configuration error,
        crash, in turn). A summary with the incident windows goes to standard error.
        """
    )

    @Argument(help: "Folder to write (edge/ and origin/ are created in it).") var dir: String
    @Option(name: .long, help: "Edge log volume, uncompressed (e.g. 200MB, 1GB, 8GB).") var size: String
    @Option(name: .long, help: "Number of edge files (default: one per 128 MB, at least 4).") var files: Int?
    @Flag(name: .long, help: "Write gzip (concatenated members of 4 MB of input each).") var gzip = false
    @Option(name: .long, help: "gzip level 1–9.") var level: Int32 = 6
    @Option(name: .long, help: "Seed of the pseudo-random generator.") var seed: UInt64 = 521
    @Option(name: .customLong("origin-size"), help: "Origin log volume, uncompressed (default: 10% of --size).") var originSize: String?
    @Option(name: .customLong("access-size"), help: "Also write the origin's nginx access log (combined format, Cloudflare edge addresses as clients), uncompressed size (default: none).") var accessSize: String?
    @Option(name: .long, help: "Simulated hours (default: 24 per GB, at least 24).") var hours: Int?
    @Option(name: .long, help: "Start of the simulated period (UTC, YYYY-MM-DD).") var start: String = "2026-11-16"
    @Option(name: .long, help: "Zone of the origin's local-time logs.") var tz: String = "Europe/Berlin"
    @Option(name: .long, help: "Edge timestamp format: mixed (files alternate), unixnano, rfc3339, unix.") var timestamps: String = "mixed"

    func validate() throws {
        guard parseSize(size) != nil else { throw ValidationError("--size: cannot read '\(size)' (e.g. 200MB, 1GB)") }
        if let o = originSize, parseSize(o) == nil { throw ValidationError("--origin-size: cannot read '\(o)'") }
        if let a = accessSize, parseSize(a) == nil { throw ValidationError("--access-size: cannot read '\(a)'") }
        guard (1...9).contains(level) else { throw ValidationError("--level must be 1…9") }
        if let f = files, f < 1 || f > 100_000 { throw ValidationError("--files must be 1…100000") }
        guard ["mixed", "unixnano", "rfc3339", "unix"].contains(timestamps) else { throw ValidationError("--timestamps: mixed, unixnano, rfc3339 or unix") }
        guard parseDay(start) != nil else { throw ValidationError("--start: expected YYYY-MM-DD") }
        _ = try Zone(tz)
    }

    func run() throws {
        let began = DispatchTime.now().uptimeNanoseconds
        let edgeBytes = parseSize(size)!
        let originBytes = originSize.flatMap(parseSize) ?? edgeBytes / 10
        let accessBytes = accessSize.flatMap(parseSize) ?? 0
        let extra = accessBytes > 0 ? 4 : 3
        let gib = Double(edgeBytes) / Double(1 << 30)
        let spanHours = hours ?? max(24, Int((24 * gib).rounded(.up)))
        let t0 = parseDay(start)!
        let span = Int64(spanHours) * 3600
        let nFiles = files ?? max(4, Int((Double(edgeBytes) / Double(128 << 20)).rounded(.up)))
        let plan = BenchPlan(dir: dir, seed: seed, t0: t0, span: span, zone: tz, gzip: gzip, level: level)
        let incidents = plan.incidents

        // Edge files, the three origin logs and the access log, in parallel.
        let perFile = max(1, edgeBytes / Int64(nFiles))
        let avgLine = plan.averageLineLength()
        var results = [BenchFileResult?](repeating: nil, count: nFiles + extra)
        let failure = FirstError()
        results.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            let box = UnsafeSendable(base)
            DispatchQueue.concurrentPerform(iterations: nFiles + extra) { i in
                do {
                    let r: BenchFileResult
                    if i < nFiles {
                        let ts: TimestampFormat = timestamps == "mixed" ? (i % 2 == 0 ? .unixnano : .rfc3339) : TimestampFormat(rawValue: timestamps)!
                        r = try plan.edgeFile(index: i, of: nFiles, bytes: perFile, avgLine: avgLine, ts: ts)
                    } else if i < nFiles + 3 {
                        r = try plan.originFile(kind: i - nFiles, bytes: originBytes)
                    } else {
                        r = try plan.accessFile(bytes: accessBytes)
                    }
                    box.value[i] = r
                } catch {
                    failure.set(error)
                }
            }
        }
        if let e = failure.error { throw e }
        let done = results.compactMap { $0 }
        let secs = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9

        var err = FileHandleOutput()
        let edge = done.filter { $0.edge }, origin = done.filter { !$0.edge }
        func mb(_ b: Int64) -> String { String(format: "%.1f MB", Double(b) / 1_048_576) }
        print("originlens-gen bench: \(dir)", to: &err)
        print("  simulated: \(utcText(t0)) → \(utcText(t0 + span)) (\(spanHours) h), origin zone \(tz), seed \(seed)", to: &err)
        print("  edge:   \(edge.count) files, \(edge.reduce(0) { $0 + $1.lines }) lines, \(mb(edge.reduce(0) { $0 + $1.raw })) raw, \(mb(edge.reduce(0) { $0 + $1.disk })) on disk\(gzip ? " (gzip -\(level))" : "")", to: &err)
        print("          \(edge.reduce(0) { $0 + $1.e521 }) × 521 in total", to: &err)
        for o in origin {
            print("  origin: \(o.path): \(o.lines) lines, \(mb(o.raw)) raw, \(mb(o.disk)) on disk", to: &err)
        }
        print("  incidents (UTC; every request needing the origin got 521):", to: &err)
        for inc in incidents {
            print("    \(utcText(inc.start)) → \(utcText(inc.end))  \(inc.cause.rawValue) (\(inc.cause.service))", to: &err)
        }
        print(String(format: "  took %.1f s (%.0f MB/s of edge data)", secs, Double(edge.reduce(0) { $0 + $1.raw }) / 1_048_576 / max(0.001, secs)), to: &err)
    }
}

/// The first error thrown by a worker.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func set(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

/// Shares a pointer with `concurrentPerform` workers that write disjoint elements.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: UnsafeMutablePointer<T>
    init(_ v: UnsafeMutablePointer<T>) { value = v }
}

/// "200MB", "1GB", "8G", "1.5GB", "1048576" → bytes (binary multiples).
func parseSize(_ s: String) -> Int64? {
    let t = s.trimmingCharacters(in: .whitespaces).uppercased()
    var num = t
    var mult: Double = 1
    for (suffix, m) in [("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)] where t.hasSuffix(suffix) {
        num = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
        mult = Double(m)
        break
    }
    guard let v = Double(num), v > 0 else { return nil }
    return Int64(v * mult)
}

func parseDay(_ s: String) -> Int64? {
    let p = s.split(separator: "-").compactMap { Int($0) }
    guard p.count == 3 else { return nil }
    return CivilTimeBridge.seconds(p[0], p[1], p[2])
}

enum CivilTimeBridge {
    static func seconds(_ y: Int, _ m: Int, _ d: Int) -> Int64? {
        guard (1970...2200).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return utc(y, m, d)
    }
}

struct BenchFileResult: Sendable {
    var path: String
    var edge: Bool
    var lines: Int64
    var raw: Int64
    var disk: Int64
    var e521: Int64 = 0
}

/// The incidents and file layout of a benchmark run.
struct BenchPlan: Sendable {
    enum Cause: String, Sendable {
        case oomKill = "oom-kill", configError = "config-error", crash = "crash"
        var service: String { "nginx" }
    }
    struct Incident: Sendable {
        var start: Int64, end: Int64, cause: Cause
        /// When the origin stopped accepting connections and when it came back (UTC µs).
        var downUs: Int64 { start * 1_000_000 }
        var upUs: Int64 { end * 1_000_000 }
    }

    let dir: String
    let seed: UInt64
    let t0: Int64
    let span: Int64
    let zone: String
    let gzip: Bool
    let level: Int32
    let incidents: [Incident]

    init(dir: String, seed: UInt64, t0: Int64, span: Int64, zone: String, gzip: Bool, level: Int32) {
        self.dir = dir; self.seed = seed; self.t0 = t0; self.span = span; self.zone = zone; self.gzip = gzip; self.level = level
        var inc: [Incident] = []
        var k: Int64 = 0
        let causes: [Cause] = [.oomKill, .configError, .crash]
        while true {
            let s = t0 + k * 21_600 + 9_600 + (k * 137) % 600   // 2h40m into each 6-hour block, drifting
            if s + 600 > t0 + span { break }
            inc.append(Incident(start: s, end: s + 600, cause: causes[Int(k) % causes.count]))
            k += 1
        }
        incidents = inc
    }

    func inIncident(_ us: Int64) -> Bool {
        let s = us / 1_000_000
        for i in incidents where s >= i.start && s < i.end { return true }
        return false
    }

    /// Mean length of a full-field record (calibration on a separate stream).
    func averageLineLength() -> Double {
        var tm = TrafficModel(seed: seed, stream: "bench/calibration")
        var b = Bytes(capacity: 1 << 20)
        let n = 3000
        for i in 0..<n {
            let r = tm.request(at: us(t0) + Int64(i) * 1000)
            b.edgeJSON(r, fields: .full, ts: .unixnano, originIP: B("203.0.113.10"))
        }
        return Double(b.count) / Double(n)
    }

    func edgeFile(index i: Int, of n: Int, bytes target: Int64, avgLine: Double, ts: TimestampFormat) throws -> BenchFileResult {
        let sliceStart = t0 + span * Int64(i) / Int64(n)
        let sliceEnd = t0 + span * Int64(i + 1) / Int64(n)
        var tm = TrafficModel(seed: seed, stream: "bench/visitors")
        tm.rng = PRNG(seed: seed, stream: "bench/edge/\(i)")
        var name = Bytes(capacity: 64)
        name.compactUTC(sliceStart); name.byte(0x5F); name.compactUTC(sliceEnd); name.byte(0x5F); name.hex(tm.rng.next(), digits: 8)
        name.s(gzip ? ".log.gz" : ".log")
        let c = Civil(seconds: sliceStart)
        var day = Bytes(capacity: 8); day.pad(c.year, 4); day.pad(c.month, 2); day.pad(c.day, 2)
        let path = "\(dir)/edge/\(String(decoding: day.b, as: UTF8.self))/\(String(decoding: name.b, as: UTF8.self))"
        let sink = try Sink(path: path, gzip: gzip, level: level)
        let expected = max(1, Double(target) / avgLine)
        let meanGapUs = Double(sliceEnd - sliceStart) * 1_000_000 / expected
        var t = Double(sliceStart) * 1_000_000
        var b = Bytes(capacity: (4 << 20) + 8192)
        var written: Int64 = 0, lines: Int64 = 0, e521: Int64 = 0
        let originIP = B("203.0.113.10")
        while written + Int64(b.count) < target {
            t += tm.rng.exponential(mean: meanGapUs)
            var r = tm.request(at: Int64(t))
            if r.originBound && inIncident(r.startUs) { tm.refuse(&r); e521 += 1 }
            b.edgeJSON(r, fields: .full, ts: ts, originIP: originIP)
            lines += 1
            if b.count >= 4 << 20 { written += Int64(b.count); sink.write(&b) }
        }
        written += Int64(b.count)
        sink.write(&b)
        sink.close()
        return BenchFileResult(path: path, edge: true, lines: lines, raw: sink.rawBytes, disk: sink.diskBytes, e521: e521)
    }

    /// `origin/nginx/access.log`: nginx `combined` lines of the requests the origin answered,
    /// `$remote_addr` being the Cloudflare edge server (no real-IP restoration), local time in
    /// the origin's zone, nothing while the origin is down. Statuses as the origin answered
    /// (a few 404, 500, 504), plus short bursts of 502/503 from a struggling upstream.
    func accessFile(bytes target: Int64) throws -> BenchFileResult {
        var z = try Zone(zone)
        let path = dir + "/origin/nginx/access.log" + (gzip ? ".gz" : "")
        let sink = try Sink(path: path, gzip: gzip, level: level)
        var tm = TrafficModel(seed: seed, stream: "bench/visitors")
        tm.rng = PRNG(seed: seed, stream: "bench/access")
        // Calibration on a separate stream: share of requests the origin answers, bytes a line.
        var cal = TrafficModel(seed: seed, stream: "bench/access/calibration")
        var cb = Bytes(capacity: 1 << 20)
        var answered = 0
        for i in 0..<3000 {
            let r = cal.request(at: us(t0) + Int64(i) * 1000)
            guard r.originBound, r.originStatus > 0 else { continue }
            answered += 1
            cb.accessLine(r, remote: r.edgeServerIP, atUs: r.startUs, offset: 3600)
        }
        let perRequest = Double(cb.count) / 3000   // access-log bytes per edge request
        let meanGapUs = Double(span) * 1_000_000 / max(1, Double(target) / max(1, perRequest))
        var t = Double(t0) * 1_000_000
        let end = Double(t0 + span) * 1_000_000
        var b = Bytes(capacity: (4 << 20) + 8192)
        var written: Int64 = 0, lines: Int64 = 0
        var cachedOffset = (sec: Int64.min, offset: 0)
        while written + Int64(b.count) < target {
            t += tm.rng.exponential(mean: meanGapUs)
            if t >= end { break }
            var r = tm.request(at: Int64(t))
            guard r.originBound, r.originStatus > 0, !inIncident(r.startUs) else { continue }
            let atUs = r.startUs + Int64(r.originMs) * 1000
            let s = atUs / 1_000_000
            // A struggling upstream: 2 % of the minutes answer 502/503 for a quarter of requests.
            if (s / 60) % 50 == 7 && tm.rng.chance(0.25) { r.originStatus = tm.rng.chance(0.5) ? 502 : 503; r.originBytes = 552 }
            if cachedOffset.sec != s { cachedOffset = (s, z.offset(s)) }
            b.accessLine(r, remote: r.edgeServerIP, atUs: atUs, offset: cachedOffset.offset)
            lines += 1
            if b.count >= 4 << 20 { written += Int64(b.count); sink.write(&b) }
        }
        written += Int64(b.count)
        sink.write(&b)
        sink.close()
        return BenchFileResult(path: path, edge: false, lines: lines, raw: sink.rawBytes, disk: sink.diskBytes)
    }

    /// 0: syslog (45 %), 1: nginx error.log (35 %), 2: journal export (20 %).
    func originFile(kind: Int, bytes total: Int64) throws -> BenchFileResult {
        let z = try Zone(zone)
        let share: [Double] = [0.45, 0.35, 0.20]
        let target = Int64(Double(total) * share[kind])
        let names = ["origin/syslog", "origin/nginx/error.log", "origin/journal/web1-system.export"]
        let path = dir + "/" + names[kind] + (gzip ? ".gz" : "")
        let sink = try Sink(path: path, gzip: gzip, level: level)
        var rng = PRNG(seed: seed, stream: "bench/origin/\(kind)")
        var host = OriginHost(zone: z, host: "web1", bootUs: us(t0 - 86_400 * 9 - 4_321))
        let avg: [Double] = [175, 260, 900]
        let expected = max(1, Double(target) / avg[kind])
        let meanGapUs = Double(span) * 1_000_000 / expected
        // Incident lines of this log, in time order.
        var events: [(Int64, [UInt8])] = []
        var exporter = JournalExporter(bootID: "6c7c6013a26343b29e964691ff25d04c", machineID: "d2a54f0e8c1b4f6a9b3e7c5d1a0f9e24",
                                       seqnumID: "0b5e1a0cfc5249f499630477ce92c52e", bootUs: host.bootUs, seq: 0x1000, rng: PRNG(seed: seed, stream: "bench/cursor"))
        for inc in incidents { events += incidentLines(inc, kind: kind, host: &host, exporter: &exporter) }
        events.sort { $0.0 < $1.0 }
        var ei = 0
        var t = Double(t0) * 1_000_000
        var b = Bytes(capacity: (4 << 20) + 65536)
        var written: Int64 = 0, lines: Int64 = 0
        var conn = 1_000_000
        let end = Double(t0 + span) * 1_000_000
        while true {
            t += rng.exponential(mean: meanGapUs)
            let past = t >= end
            let now = Int64(t)
            while ei < events.count && (past || events[ei].0 <= now) {
                b.s(events[ei].1)
                lines += kind == 2 ? 1 : Int64(events[ei].1.lazy.filter { $0 == 0x0A }.count)
                ei += 1
            }
            if past { break }
            if written + Int64(b.count) >= target {
                // Volume reached: only the remaining incident lines are still to come.
                if ei >= events.count { break }
                t = Double(events[ei].0)
                continue
            }
            switch kind {
            case 0: b.s(syslogNoise(now, &rng, &host))
            case 1:
                conn += 1 + rng.int(0, 30)
                b.s(nginxNoise(now, &rng, &host, conn: conn))
            default: journalNoise(now, &rng, &exporter, into: &b)
            }
            lines += 1
            if b.count >= 4 << 20 { written += Int64(b.count); sink.write(&b) }
        }
        written += Int64(b.count)
        sink.write(&b)
        sink.close()
        return BenchFileResult(path: path, edge: false, lines: lines, raw: sink.rawBytes, disk: sink.diskBytes)
    }

    // MARK: Origin noise

    private func syslogNoise(_ t: Int64, _ rng: inout PRNG, _ h: inout OriginHost) -> [UInt8] {
        let x = rng.int(100)
        if x < 45 {
            let src = "\(rng.pick([45, 80, 89, 94, 185, 193, 194, 205])).\(rng.int(1, 254)).\(rng.int(0, 255)).\(rng.int(1, 254))"
            return h.syslog(t, "kernel", nil, Msg.netfilter(prefix: "[UFW BLOCK] ", src: src, dst: "203.0.113.10", spt: rng.int(1024, 65535),
                                                           dpt: rng.pick([22, 23, 3389, 8080, 5900, 2323, 8443, 6379, 3306, 5432]),
                                                           ttl: rng.int(230, 250), id: rng.int(1, 65535), window: rng.pick([1024, 65535, 14600]), len: 44, df: false))
        } else if x < 60 {
            return h.syslog(t, "CRON", rng.int(10_000, 99_999), rng.pick(["(root) CMD (cd / && run-parts --report /etc/cron.hourly)",
                                                                          "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
                                                                          "(www-data) CMD (php /var/www/example/bin/console messenger:consume async --time-limit=55)"]))
        } else if x < 80 {
            let unit = rng.pick([("phpsessionclean.service", "Clean php session files"), ("sysstat-collect.service", "system activity accounting tool"),
                                 ("certbot.service", "Certbot"), ("apt-daily.service", "Daily apt download activities")])
            let id = Msg.ident(unit.0, unit.1, combined: true)
            switch rng.int(3) {
            case 0: return h.syslog(t, "systemd", 1, "Starting \(id)...")
            case 1: return h.syslog(t, "systemd", 1, "\(unit.0): Deactivated successfully.")
            default: return h.syslog(t, "systemd", 1, "Finished \(id).")
            }
        } else if x < 90 {
            return h.syslog(t, "systemd-timesyncd", 482, "Initial synchronization to time server 185.125.190.56:123 (ntp.ubuntu.com).")
        } else {
            return h.syslog(t, "postfix/smtpd", rng.int(10_000, 99_999), "connect from unknown[\(rng.int(1, 223)).\(rng.int(0, 255)).\(rng.int(0, 255)).\(rng.int(1, 254))]")
        }
    }

    private func nginxNoise(_ t: Int64, _ rng: inout PRNG, _ h: inout OriginHost, conn: Int) -> [UInt8] {
        let edge = String(decoding: rng.pick(colos[rng.int(colos.count)].edgeIPs), as: UTF8.self)
        let pid = rng.pick([2207, 2208, 2209, 2210])
        let up = "upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"www.example.com\""
        switch rng.int(6) {
        case 0:
            return h.nginx(t, "error", pid, "upstream timed out (110: Connection timed out) while reading response header from upstream, client: \(edge), server: www.example.com, request: \"GET /search?q=\(rng.pick(searchTerms)) HTTP/1.1\", \(up)", conn: conn)
        case 1:
            return h.nginx(t, "error", pid, "FastCGI sent in stderr: \"Primary script unknown\" while reading response header from upstream, client: \(edge), server: www.example.com, request: \"GET \(rng.pick(["/wp-login.php", "/xmlrpc.php", "/wp-admin/setup-config.php"])) HTTP/1.1\", \(up)", conn: conn)
        case 2:
            return h.nginx(t, "error", pid, "access forbidden by rule, client: \(edge), server: www.example.com, request: \"GET \(rng.pick(["/.env", "/.git/config", "/admin/.env"])) HTTP/1.1\", host: \"www.example.com\"", conn: conn)
        case 3:
            return h.nginx(t, "crit", pid, "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: \(rng.int(1, 223)).\(rng.int(0, 255)).\(rng.int(0, 255)).\(rng.int(1, 254)), server: 0.0.0.0:443", conn: conn)
        case 4:
            return h.nginx(t, "error", pid, "limiting requests, excess: \(rng.int(10, 60)).\(rng.int(100, 999)) by zone \"perip\", client: \(edge), server: api.example.com, request: \"GET /v1/products?limit=24 HTTP/1.1\", host: \"api.example.com\"", conn: conn)
        default:
            return h.nginx(t, "error", pid, "FastCGI sent in stderr: \"PHP message: PHP Warning:  Undefined array key \"variant\" in /var/www/example/src/Controller/ProductController.php on line 112\" while reading response header from upstream, client: \(edge), server: www.example.com, request: \"GET /products/\(rng.pick(productSlugs)) HTTP/1.1\", \(up)", conn: conn)
        }
    }

    private func journalNoise(_ t: Int64, _ rng: inout PRNG, _ e: inout JournalExporter, into b: inout Bytes) {
        let inv = "\(rng.next())"
        if rng.chance(0.5) {
            let p = rng.int(10_000, 99_999)
            let ip = rng.pick(["61.177.172.140", "218.92.0.112", "180.101.88.240"])
            e.write(JournalEntry(tUs: t, sourceUs: nil, fields: JournalFields.syslog("web1", ident: "sshd", pid: p, comm: "sshd", exe: "/usr/sbin/sshd",
                cmdline: "sshd: unknown [priv]", unit: "ssh.service", uid: 0, priority: 6, facility: 4,
                message: B("Invalid user \(rng.pick(["admin", "test", "oracle"])) from \(ip) port \(rng.int(30_000, 65_000))"), timestamp: "")), into: &b)
        } else {
            let unit = rng.pick(["phpsessionclean.service", "sysstat-collect.service"])
            e.write(JournalEntry(tUs: t, sourceUs: t - 200, fields: JournalFields.pid1("web1", message: "\(unit): Deactivated successfully.", unit: unit, priority: 6,
                messageID: MID.success, codeFile: "src/core/unit.c", codeLine: 5553, codeFunc: "unit_log_success", invocation: inv)), into: &b)
        }
    }

    // MARK: Incident lines

    private func incidentLines(_ inc: Incident, kind: Int, host h: inout OriginHost, exporter: inout JournalExporter) -> [(Int64, [UInt8])] {
        let d = inc.downUs - 400_000, u = inc.upUs
        let id = Msg.ident("nginx.service", Msg.nginxDescription, combined: true)
        var out: [(Int64, [UInt8])] = []
        switch (inc.cause, kind) {
        case (.oomKill, 0):
            let report = Msg.oomReport(invoker: "php-fpm8.2", invokerPid: 41_207, victim: "nginx", victimPid: 2207, unit: "nginx.service", uid: 33,
                                       totalVmKB: 2_145_672, anonKB: 1_889_340, fileKB: 1_320, shmemKB: 2_780, pgtablesKB: 3_912,
                                       tasks: [(1980, 0, 16_210, 1_402, "nginx"), (2207, 33, 536_418, 473_360, "nginx"), (2301, 0, 52_016, 6_920, "php-fpm8.2")])
            for (i, l) in report.enumerated() { out.append((d + Int64(i) * 50, h.syslog(d + Int64(i) * 50, "kernel", nil, l))) }
            let s: [(Int64, String)] = [
                (d + 20_000, "nginx.service: A process of this unit has been killed by the OOM killer."),
                (d + 10_020_000, "nginx.service: Main process exited, code=killed, status=9/KILL"),
                (d + 10_021_000, "nginx.service: Failed with result 'oom-kill'."),
                (u - 1_200_000, "nginx.service: Scheduled restart job, restart counter is at 1."),
                (u - 1_190_000, "Stopped \(id)."), (u - 1_180_000, "Starting \(id)..."), (u, "Started \(id)."),
            ]
            for (t, m) in s { out.append((t, h.syslog(t, "systemd", 1, m))) }
        case (.oomKill, 1):
            out.append((d + 12_000, h.nginx(d + 12_000, "alert", 1980, "worker process 2207 exited on signal 9")))
        case (.crash, 0):
            out.append((d, h.syslog(d, "kernel", nil, "nginx[1980]: segfault at 0 ip 000055d0c1a2b3c4 sp 00007ffd3c9a8e10 error 4 in nginx[55d0c1a00000+123000] likely on CPU 3 (core 1, socket 0)")))
            out.append((d + 1_000, h.syslog(d + 1_000, "kernel", nil, "Code: 48 8b 45 08 48 85 c0 74 1d 48 8b 50 10 <48> 8b 02 48 85 c0 74 11 48 89 c7 e8 5c ff ff ff 85 c0")))
            let s: [(Int64, String)] = [
                (d + 30_000, "nginx.service: Main process exited, code=dumped, status=11/SEGV"),
                (d + 31_000, "nginx.service: Failed with result 'core-dump'."),
                (u - 1_000_000, "Starting \(id)..."), (u, "Started \(id)."),
            ]
            for (t, m) in s { out.append((t, h.syslog(t, "systemd", 1, m))) }
        case (.configError, 1):
            out.append((d + 31_000, h.nginx(d + 31_000, "emerg", 52_244, "unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42")))
        case (.configError, 2):
            let inv = "9b1f0c2d3e4a5b6c7d8e9f0a1b2c3d4e"
            func pid1(_ t: Int64, _ m: String, _ p: Int, _ mid: String, _ extra: [(String, String)] = []) {
                var b = Bytes(capacity: 1200)
                exporter.write(JournalEntry(tUs: t, sourceUs: t - 90, fields: JournalFields.pid1("web1", message: m, unit: "nginx.service", priority: p, messageID: mid,
                    codeFile: "src/core/job.c", codeLine: 768, codeFunc: "job_emit_done_message", invocation: inv, extra: extra)), into: &b)
                out.append((t, b.b))
            }
            func std(_ t: Int64, _ m: String) {
                var b = Bytes(capacity: 1200)
                exporter.write(JournalEntry(tUs: t, sourceUs: nil, fields: JournalFields.stdout("web1", ident: "nginx", pid: 52_244, comm: "nginx", exe: "/usr/sbin/nginx",
                    cmdline: "/usr/sbin/nginx -t -q -g daemon on; master_process on;", unit: "nginx.service", invocation: inv, priority: 6, message: B(m), streamID: inv)), into: &b)
                out.append((t, b.b))
            }
            pid1(d - 100_000, "Stopping \(id)...", 6, MID.stopping)
            pid1(d - 20_000, "Stopped \(id).", 6, MID.stopped)
            pid1(d - 10_000, "Starting \(id)...", 6, MID.starting)
            std(d + 31_000, "nginx: [emerg] unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42")
            std(d + 31_400, "nginx: configuration file /etc/nginx/nginx.conf test failed")
            pid1(d + 36_000, "nginx.service: Control process exited, code=exited, status=1/FAILURE", 5, MID.processExit, [("EXIT_CODE", "exited"), ("EXIT_STATUS", "1")])
            pid1(d + 37_000, "nginx.service: Failed with result 'exit-code'.", 4, MID.failureResult, [("UNIT_RESULT", "exit-code")])
            pid1(d + 37_500, "Failed to start \(id).", 3, MID.failed, [("JOB_RESULT", "failed")])
            pid1(u - 200_000, "Starting \(id)...", 6, MID.starting)
            pid1(u, "Started \(id).", 6, MID.started, [("JOB_RESULT", "done")])
        default:
            break
        }
        return out
    }
}

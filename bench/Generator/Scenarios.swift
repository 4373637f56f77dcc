import Foundation

/// What a scenario's README states.
struct GroundTruth {
    var story: [String]
    /// Nil for the control scenario.
    var category: String?
    var mechanism: String?
    var service: String?
    var notes: [String] = []
    var tz = "Europe/Berlin"
    var year = 2026
}

/// Piecewise-linear rate over time: points of (UTC seconds, requests/s).
func ramp(_ points: [(Int64, Double)]) -> (Int64) -> Double {
    { t in
        if t <= points[0].0 { return points[0].1 }
        for i in 1..<points.count where t <= points[i].0 {
            let (t0, r0) = points[i - 1], (t1, r1) = points[i]
            return r0 + (r1 - r0) * Double(t - t0) / Double(max(1, t1 - t0))
        }
        return points[points.count - 1].1
    }
}

enum Scenarios {
    static let names = ["oom-kill", "firewall-partial", "config-error", "listen-localhost", "https-no-listener", "quiet-week"]

    static func build(_ name: String, dir: String, seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        switch name {
        case "oom-kill": return try oomKill(dir, seed)
        case "firewall-partial": return try firewallPartial(dir, seed)
        case "config-error": return try configError(dir, seed)
        case "listen-localhost": return try listenLocalhost(dir, seed)
        case "https-no-listener": return try httpsNoListener(dir, seed)
        case "quiet-week": return try quietWeek(dir, seed)
        default: throw GenError("unknown scenario '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }

    static let nginxID = Msg.ident("nginx.service", Msg.nginxDescription, combined: true)

    // MARK: a. oom-kill

    static func oomKill(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let from = utc(2026, 3, 11, 20, 8), to = utc(2026, 3, 11, 21, 13)
        let s = try ScenarioBuilder(name: "oom-kill", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: us(utc(2026, 2, 27, 6, 12, 9)))
        let kill = us(utc(2026, 3, 11, 20, 41, 7)) + 412_331
        let closed = kill + 640_000                  // ExecStop sends QUIT: listeners close
        let killAll = kill + 10_020_000              // stop-sigterm timed out
        let restart = killAll + 240_000_000 + 80_000 // RestartSec=240
        let up = restart + 1_130_000
        let rotation = us(utc(2026, 3, 11, 23, 7, 42)) + 118_000   // logrotate.timer, 00:00 local + delay
        let collected = utc(2026, 3, 12, 7, 40)
        s.nginxWorkers = [(Int64.min, [2207, 2208]), (kill, [2208, 2412]), (up, [3122, 3123])]

        s.generateTraffic(from: from, to: to, rate: ramp([(from, 1.1), (to, 0.95)]), maxRate: 1.1) { r, t in
            if r.originBound && r.startUs >= closed && r.startUs < up { t.refuse(&r) }
        }
        s.directScanners(from: from, to: to, perHour: 5) { $0 < closed || $0 >= up }

        // Syslog: background, the nightly export job, logrotate, the OOM kill and systemd.
        var o = ScenarioBuilder.NoiseOptions()
        o.sshPerHour = 0
        s.syslogNoise(from: from - 1800, to: to, o)
        s.syslogNoise(from: rotation / 1_000_000, to: collected, o)
        s.syslog(us(utc(2026, 3, 11, 20, 30, 1)) + 212_000, "CRON", 41_022, "(www-data) CMD (php /var/www/example/bin/console app:export-feed --env=prod >> /var/log/example/export.log 2>&1)")
        s.logrotateLines(rotation, combined: true)
        let tasks: [(pid: Int, uid: Int, vm: Int, rss: Int, name: String)] = [
            (318, 0, 12_511, 3_210, "systemd-journal"), (351, 0, 6_544, 1_105, "systemd-udevd"), (598, 0, 55_223, 1_011, "rsyslogd"),
            (612, 0, 4_179, 412, "cron"), (640, 0, 3_858, 1_630, "sshd"), (702, 106, 311_044, 98_114, "mariadbd"),
            (1_980, 0, 16_210, 1_402, "nginx"), (2_207, 33, 536_418, 473_360, "nginx"), (2_208, 33, 31_922, 9_886, "nginx"),
            (2_301, 0, 52_016, 6_920, "php-fpm8.2"), (41_022, 33, 122_880, 98_004, "php"),
            (41_190, 33, 66_310, 27_114, "php-fpm8.2"), (41_191, 33, 65_980, 26_870, "php-fpm8.2"), (41_207, 33, 67_002, 27_410, "php-fpm8.2"),
        ]
        let report = Msg.oomReport(invoker: "php-fpm8.2", invokerPid: 41_207, victim: "nginx", victimPid: 2207, unit: "nginx.service",
                                   uid: 33, totalVmKB: 2_145_672, anonKB: 1_889_340, fileKB: 1_320, shmemKB: 2_780, pgtablesKB: 3_912, tasks: tasks)
        for (i, line) in report.enumerated() { s.syslog(kill - 60_000 + Int64(i) * 90, "kernel", nil, line) }
        s.syslog(kill + 9_000, "kernel", nil, "oom_reaper: reaped process 2207 (nginx), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
        s.syslog(kill + 21_000, "systemd", 1, "nginx.service: A process of this unit has been killed by the OOM killer.")
        s.syslog(killAll, "systemd", 1, "nginx.service: State 'stop-sigterm' timed out. Killing.")
        s.syslog(killAll + 300, "systemd", 1, "nginx.service: Killing process 1980 (nginx) with signal SIGKILL.")
        s.syslog(killAll + 500, "systemd", 1, "nginx.service: Killing process 2208 (nginx) with signal SIGKILL.")
        s.syslog(killAll + 700, "systemd", 1, "nginx.service: Killing process 2412 (nginx) with signal SIGKILL.")
        s.syslog(killAll + 41_000, "systemd", 1, "nginx.service: Main process exited, code=killed, status=9/KILL")
        s.syslog(killAll + 41_500, "systemd", 1, "nginx.service: Failed with result 'oom-kill'.")
        s.syslog(killAll + 42_000, "systemd", 1, "nginx.service: Consumed 1h 51min 12.448s CPU time.")
        s.syslog(restart, "systemd", 1, "nginx.service: Scheduled restart job, restart counter is at 1.")
        s.syslog(restart + 2_000, "systemd", 1, "Stopped \(nginxID).")
        s.syslog(restart + 3_000, "systemd", 1, "Starting \(nginxID)...")
        s.syslog(up, "systemd", 1, "Started \(nginxID).")

        // nginx error log (`error_log … notice` on this host): the master sees its worker die,
        // respawns it, gets SIGQUIT from ExecStop; later the restart and the midnight reopen.
        s.nginxLine(kill + 11_000, "notice", 1980, "signal 17 (SIGCHLD) received from 2207")
        s.nginxLine(kill + 12_000, "alert", 1980, "worker process 2207 exited on signal 9")
        s.nginxLine(kill + 12_400, "notice", 1980, "start worker process 2412")
        s.nginxLine(closed - 20_000, "notice", 1980, "signal 3 (SIGQUIT) received from 41311, shutting down")
        s.nginxLine(closed - 19_000, "notice", 2208, "gracefully shutting down")
        s.nginxLine(closed - 18_500, "notice", 2412, "gracefully shutting down")
        let boot = up - 60_000
        s.nginxLine(boot, "notice", 3120, "using the \"epoll\" event method")
        s.nginxLine(boot + 100, "notice", 3120, "nginx/1.22.1")
        s.nginxLine(boot + 150, "notice", 3120, "built with OpenSSL 3.0.9 30 May 2023 (running with OpenSSL 3.0.11 19 Sep 2023)")
        s.nginxLine(boot + 200, "notice", 3120, "OS: Linux 6.1.0-18-amd64")
        s.nginxLine(boot + 250, "notice", 3120, "getrlimit(RLIMIT_NOFILE): 1024:524288")
        s.nginxLine(boot + 900, "notice", 3121, "start worker processes")
        s.nginxLine(boot + 1_100, "notice", 3121, "start worker process 3122")
        s.nginxLine(boot + 1_300, "notice", 3121, "start worker process 3123")
        s.nginxLine(rotation + 420_000, "notice", 3121, "signal 10 (SIGUSR1) received from 51208, reopening logs")
        s.nginxLine(rotation + 420_500, "notice", 3121, "reopening logs")
        s.nginxLine(rotation + 421_000, "notice", 3122, "reopening logs")
        s.nginxLine(rotation + 421_200, "notice", 3123, "reopening logs")
        // php-fpm was under pressure from the export job before the kill.
        s.add("php-fpm", us(utc(2026, 3, 11, 20, 38, 44)), s.host.phpFpm(us(utc(2026, 3, 11, 20, 38, 44)), "WARNING", "[pool www] server reached pm.max_children setting (12), consider raising it"))
        s.add("php-fpm", us(utc(2026, 3, 11, 20, 40, 51)), s.host.phpFpm(us(utc(2026, 3, 11, 20, 40, 51)), "WARNING", "[pool www] child 41207, script '/var/www/example/public/index.php' (request: \"GET /index.php\") executing too slow (5.214331 sec), logging"))

        try s.writeLogpush(ts: .unixnano, batchSeconds: 300)
        try s.writeRotated(s.book("syslog"), "origin/syslog", rotations: [rotation])
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: [rotation], delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: [rotation], delaycompress: false)
        try s.writeRotated(s.book("php-fpm"), "origin/php8.2-fpm.log", rotations: [])

        let truth = GroundTruth(story: [
            "A Debian 12 shop server (nginx in front of php8.2-fpm, no swap). At 21:30 local an evening cron job (`app:export-feed`) starts and memory runs out.",
            "At 21:41:07 local the kernel OOM killer picks an nginx worker (`task_memcg=/system.slice/nginx.service`); systemd's default `OOMPolicy=stop` then stops the whole unit.",
            "The graceful stop hangs under memory pressure; after `TimeoutStopSec=5` systemd SIGKILLs the master (`Main process exited, code=killed, status=9/KILL`, result `oom-kill`).",
            "A drop-in sets `Restart=on-failure` with `RestartSec=240`, so nginx comes back about four minutes later. Cloudflare answers 521 on every colo in between (cache hits still 200).",
        ], category: "service-down", mechanism: "oom-kill", service: "nginx",
        notes: ["Collected the next morning, after the nightly rotation (00:07 local): the evening is in `syslog.1`, `nginx/access.log.1.gz` and `nginx/error.log.1.gz`; `syslog` and `nginx/error.log` hold the hours after midnight.",
                "nginx's `error_log` is at `notice` on this host: the worker's death, the SIGQUIT from `ExecStop` and the restart are all visible in it.",
                "Edge: Logpush (API job, `timestamp_format=unixnano`), 5-minute batches in a daily folder."])
        return (s, truth)
    }

    // MARK: b. firewall-partial

    static func firewallPartial(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let from = utc(2026, 6, 18, 8, 44), to = utc(2026, 6, 18, 9, 52)
        // Collected two days later: the incident day is the second rotation (`.2.gz`).
        let rotations = [us(utc(2026, 6, 18, 22, 0, 44)) + 377_000, us(utc(2026, 6, 19, 22, 0, 51)) + 12_000]
        let s = try ScenarioBuilder(name: "firewall-partial", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: us(utc(2026, 6, 2, 3, 40, 51)))
        // lfd's connection-tracking check runs every 30 s (CT_INTERVAL) and blocks edge
        // addresses of the two busiest colos for 1800 s.
        let fra = colos[coloIndex("FRA")].edgeIPs.map { String(decoding: $0, as: UTF8.self) }
        let ams = colos[coloIndex("AMS")].edgeIPs.map { String(decoding: $0, as: UTF8.self) }
        let c1 = us(utc(2026, 6, 18, 8, 57, 3)) + 218_000, c2 = c1 + 30_104_000, c3 = c2 + 30_388_000
        let blocks: [(ip: String, at: Int64, conns: Int, pid: Int)] = [
            (fra[0], c1, 212, 21_877), (ams[0], c1 + 1_500, 167, 21_877),
            (fra[1], c2, 188, 21_912),
            (fra[2], c3, 171, 21_946), (ams[1], c3 + 2_100, 159, 21_946),
        ]
        // Temporary blocks are lifted by lfd's expiry check, which runs about once a minute.
        var until: [String: Int64] = [:]
        var since: [String: Int64] = [:]
        for (i, b) in blocks.enumerated() {
            since[b.ip] = b.at
            until[b.ip] = b.at + 1_800_000_000 + Int64(12 + i * 7) * 1_000_000
        }
        func blocked(_ ip: [UInt8], _ t: Int64) -> Bool {
            let k = String(decoding: ip, as: UTF8.self)
            guard let a = since[k], let b = until[k] else { return false }
            return t >= a && t < b
        }
        var firewallHits: [(Int64, Request)] = []
        s.generateTraffic(from: from, to: to, rate: ramp([(from, 1.0), (utc(2026, 6, 18, 9, 10), 1.2), (to, 1.1)]), maxRate: 1.2) { r, t in
            if r.originBound && blocked(r.edgeServerIP, r.startUs) {
                t.refuse(&r)
                firewallHits.append((r.startUs, r))
            }
        }
        s.directScanners(from: from, to: to, perHour: 6) { _ in true }

        // lfd.log: earlier SSH blocks, then the CT_LIMIT blocks of Cloudflare edges.
        s.add("lfd", us(utc(2026, 6, 18, 8, 12, 44)) + 5_000, s.host.syslog(us(utc(2026, 6, 18, 8, 12, 44)), "lfd", 21_402, "(sshd) Failed SSH login from 218.92.0.112 (CN/China/-): 5 in the last 3600 secs - *Blocked in csf* for 3600 secs [LF_SSHD]"))
        s.add("lfd", us(utc(2026, 6, 18, 8, 41, 9)), s.host.syslog(us(utc(2026, 6, 18, 8, 41, 9)), "lfd", 21_655, "(sshd) Failed SSH login from 61.177.172.140 (CN/China/-): 5 in the last 3600 secs - *Blocked in csf* for 3600 secs [LF_SSHD]"))
        for b in blocks {
            s.add("lfd", b.at, s.host.syslog(b.at, "lfd", b.pid, "(CT) IP \(b.ip) (US/United States/-) found to have \(b.conns) connections - *Blocked in csf* for 1800 secs [CT_LIMIT]"))
        }
        // Kernel: csf's LOGDROPIN chain logs blocked SYNs, limited to 30/min with a burst of 5.
        var tokens = 5.0, last = Int64(0)
        var spt = 30_000
        for (t, r) in firewallHits.sorted(by: { $0.0 < $1.0 }) {
            tokens = min(5, tokens + Double(t - last) / 2_000_000.0)
            last = t
            guard tokens >= 1 else { continue }
            tokens -= 1
            spt = 30_000 + (spt + 7_919 + s.rng.int(0, 4000)) % 30_000
            s.syslog(t + 1_000, "kernel", nil, Msg.netfilter(prefix: "Firewall: *TCP_IN Blocked* ", src: String(decoding: r.edgeServerIP, as: UTF8.self),
                                                            dst: s.serverIP, spt: spt, dpt: r.https ? 443 : 80, ttl: 57, id: 0, window: 65535))
        }
        var o = ScenarioBuilder.NoiseOptions()
        o.firewallPrefix = "Firewall: *TCP_IN Blocked* "
        o.firewallPerHour = 40
        o.sshKey = "auth"
        s.syslogNoise(from: from - 1800, to: to, o)

        try s.writeLogpush(ts: .rfc3339, batchSeconds: 300)
        try s.writeRotated(s.book("syslog"), "origin/syslog", rotations: rotations)
        try s.writeRotated(s.book("lfd"), "origin/lfd.log", rotations: [])
        try s.writeRotated(s.book("auth"), "origin/auth.log", rotations: rotations)
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: rotations, delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: rotations, delaycompress: false)

        let truth = GroundTruth(story: [
            "A cPanel-style server protected by CSF/lfd with `CT_LIMIT = \"150\"`, `DROP = \"REJECT\"` and `DROP_IP_LOGGING = \"1\"` (blocked packets are logged and refused).",
            "Around 10:57 local lfd's connection-tracking check finds more than 150 connections from single Cloudflare edge servers (all visitors arrive through a few edges) and temporarily blocks the five edge addresses used by FRA and AMS for 1800 s.",
            "Only those colos get 521 (their SYNs are rejected, see `Firewall: *TCP_IN Blocked*` in syslog); LHR, CDG, WAW, MAD, IAD and SIN keep reaching the origin, as the access log shows.",
            "The temporary blocks expire after 30 minutes and the 521s stop without anyone touching the server.",
        ], category: "firewall", mechanism: "firewall-block", service: "csf",
        notes: ["Blocked edge addresses: \((fra + ams).joined(separator: ", ")) (FRA: \(fra.joined(separator: ", ")); AMS: \(ams.joined(separator: ", "))).",
                "Edge: Logpush (dashboard job, `timestamp_format=rfc3339`), 5-minute batches.",
                "Collected two days later: the incident day's files are `syslog.2.gz`, `auth.log.2.gz`, `nginx/*.2.gz` (only the scenario's period is kept in them); `lfd.log` is lfd's own file.",
                "lfd does not log the expiry of a temporary block; the end is visible at the edge and in the access log (FRA/AMS edge addresses return)."])
        return (s, truth)
    }

    // MARK: c. config-error

    static func configError(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let from = utc(2026, 9, 3, 9, 40), to = utc(2026, 9, 3, 10, 44)
        let rotation = us(utc(2026, 9, 3, 22, 0, 52)) + 64_000
        let boot = us(utc(2026, 8, 19, 4, 1, 17)) + 551_203
        let s = try ScenarioBuilder(name: "config-error", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: boot)
        let h = "web1"
        let restartCmd = us(utc(2026, 9, 3, 10, 2, 11)) + 104_000
        let down = restartCmd + 201_000
        let retry = us(utc(2026, 9, 3, 10, 5, 48)) + 377_000
        let fixStart = us(utc(2026, 9, 3, 10, 21, 42)) + 51_000
        let up = fixStart + 236_000
        let bootID = "8f3c2a91d06e4b7c9e15a2b4c7d80f63"
        let machineID = "d2a54f0e8c1b4f6a9b3e7c5d1a0f9e24"
        s.nginxWorkers = [(Int64.min, [1377, 1378]), (up, [53_120, 53_121])]

        s.generateTraffic(from: from, to: to, rate: ramp([(from, 0.92), (to, 1.08)]), maxRate: 1.08) { r, t in
            if r.originBound && r.startUs >= down && r.startUs < up { t.refuse(&r) }
        }
        s.directScanners(from: from, to: to, perHour: 5) { $0 < down || $0 >= up }

        var inv = s.hex32()
        func pid1(_ t: Int64, _ msg: String, prio: Int = 6, id: String?, file: String = "src/core/job.c", line: Int, fn: String, extra: [(String, String)] = []) {
            s.journalPID1(t, unit: "nginx.service", message: msg, priority: prio, id: id, codeFile: file, codeLine: line, codeFunc: fn, invocation: inv, extra: extra)
        }
        var streams: [Int: String] = [:]
        func stdout(_ t: Int64, pid: Int, _ msg: String) {
            if streams[pid] == nil { streams[pid] = s.hex32() }
            s.journal.append(JournalEntry(tUs: t, sourceUs: nil, fields: JournalFields.stdout(h, ident: "nginx", pid: pid, comm: "nginx", exe: "/usr/sbin/nginx",
                cmdline: "/usr/sbin/nginx -t -q -g daemon on; master_process on;", unit: "nginx.service", invocation: inv, priority: 6, message: B(msg), streamID: streams[pid]!)))
        }
        func sysl(_ t: Int64, ident: String, pid: Int, comm: String, exe: String, cmdline: String, unit: String, uid: Int, prio: Int, fac: Int, _ msg: String) {
            var ts = Bytes(capacity: 20)
            ts.syslogTime(t / 1_000_000, offset: s.host.zone.offset(t / 1_000_000)); ts.byte(0x20)
            s.journal.append(JournalEntry(tUs: t, sourceUs: nil, fields: JournalFields.syslog(h, ident: ident, pid: pid, comm: comm, exe: exe, cmdline: cmdline,
                unit: unit, uid: uid, priority: prio, facility: fac, message: B(msg), timestamp: String(decoding: ts.b, as: UTF8.self))))
        }
        func sudo(_ t: Int64, pid: Int, _ cmd: String, pwd: String = "/home/deploy/site-config") {
            sysl(t, ident: "sudo", pid: pid, comm: "sudo", exe: "/usr/bin/sudo", cmdline: "sudo " + cmd.split(separator: " ", maxSplits: 1).enumerated().map { $0.offset == 0 ? String($0.element.split(separator: "/").last ?? "") : String($0.element) }.joined(separator: " "), unit: "session-142.scope", uid: 1001, prio: 5, fac: 10,
                 "   deploy : TTY=pts/0 ; PWD=\(pwd) ; USER=root ; COMMAND=\(cmd)")
            sysl(t + 2_300, ident: "sudo", pid: pid, comm: "sudo", exe: "/usr/bin/sudo", cmdline: "sudo", unit: "session-142.scope", uid: 1001, prio: 6, fac: 10,
                 "pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)")
            sysl(t + 180_000, ident: "sudo", pid: pid, comm: "sudo", exe: "/usr/bin/sudo", cmdline: "sudo", unit: "session-142.scope", uid: 1001, prio: 6, fac: 10,
                 "pam_unix(sudo:session): session closed for user root")
        }

        // Background: cron, session cleanup timers, ssh noise.
        var t0 = from - 1500
        t0 -= t0 % 3600
        var hh = t0
        while hh < to {
            let c = us(hh + 17 * 60 + 1) + Int64(s.rng.int(0, 200_000))
            if c >= us(from - 1500) {
                sysl(c, ident: "CRON", pid: 50_000 + s.rng.int(0, 900), comm: "cron", exe: "/usr/sbin/cron", cmdline: "/usr/sbin/cron -f", unit: "cron.service", uid: 0, prio: 6, fac: 9,
                     "(root) CMD (cd / && run-parts --report /etc/cron.hourly)")
            }
            for m in [9, 39] {
                let t = us(hh + Int64(m) * 60) + Int64(s.rng.int(0, 800_000))
                guard t >= us(from - 1500), t < us(to) else { continue }
                let sinv = s.hex32()
                let id = Msg.ident("phpsessionclean.service", "Clean php session files", combined: true)
                s.journalPID1(t, unit: "phpsessionclean.service", message: "Starting \(id)...", priority: 6, id: MID.starting, codeFile: "src/core/job.c", codeLine: 581, codeFunc: "job_emit_start_message", invocation: sinv, extra: [("JOB_ID", String(9000 + m)), ("JOB_TYPE", "start")])
                s.journalPID1(t + 190_000, unit: "phpsessionclean.service", message: "phpsessionclean.service: Deactivated successfully.", priority: 6, id: MID.success, codeFile: "src/core/unit.c", codeLine: 5553, codeFunc: "unit_log_success", invocation: sinv)
                s.journalPID1(t + 192_000, unit: "phpsessionclean.service", message: "Finished \(id).", priority: 6, id: MID.started, codeFile: "src/core/job.c", codeLine: 768, codeFunc: "job_emit_done_message", invocation: sinv, extra: [("JOB_ID", String(9000 + m)), ("JOB_TYPE", "start"), ("JOB_RESULT", "done")])
            }
            hh += 3600
        }
        var t = Double(from - 1500)
        while true {
            t += s.rng.exponential(mean: 3600.0 / 5)
            if t >= Double(to) { break }
            let ip = s.rng.pick(["61.177.172.140", "218.92.0.112", "180.101.88.240", "43.156.71.8"])
            let u = s.rng.pick(["admin", "test", "ubuntu", "oracle", "user"])
            let p = 51_000 + s.rng.int(0, 2_000)
            let port = s.rng.int(30_000, 65_000)
            let tu = Int64(t * 1_000_000)
            sysl(tu, ident: "sshd", pid: p, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: unknown [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 4, "Invalid user \(u) from \(ip) port \(port)")
            sysl(tu + 410_000, ident: "sshd", pid: p, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: unknown [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 4, "Received disconnect from \(ip) port \(port):11: Bye Bye [preauth]")
            sysl(tu + 412_000, ident: "sshd", pid: p, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: unknown [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 4, "Disconnected from invalid user \(u) \(ip) port \(port) [preauth]")
        }

        // The deploy: login, a multi-line message from the deploy hook, copy, restart.
        let login = us(utc(2026, 9, 3, 9, 58, 2)) + 331_000
        sysl(login, ident: "sshd", pid: 52_101, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: deploy [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 4,
             "Accepted publickey for deploy from 198.51.100.23 port 53122 ssh2: ED25519 SHA256:q7mN0v2Ck1s1xJt7bX3Qe4zWcYH9aLr5uT8pGdKfE2M")
        sysl(login + 3_100, ident: "sshd", pid: 52_101, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: deploy [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 10,
             "pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)")
        s.journal.append(JournalEntry(tUs: login + 9_800, sourceUs: login + 9_700, fields: [
            ("PRIORITY", B("6")), ("SYSLOG_FACILITY", B("4")), ("SYSLOG_IDENTIFIER", B("systemd-logind")), ("_UID", B("0")), ("_GID", B("0")),
            ("_TRANSPORT", B("journal")), ("_HOSTNAME", B(h)), ("MESSAGE_ID", B("8d45620c1a4348dbb17410da57c60c66")),
            ("MESSAGE", B("New session 142 of user deploy.")), ("SESSION_ID", B("142")), ("USER_ID", B("deploy")), ("LEADER", B("52101")),
            ("_PID", B("512")), ("_COMM", B("systemd-logind")), ("_EXE", B("/usr/lib/systemd/systemd-logind")), ("_CMDLINE", B("/lib/systemd/systemd-logind")),
            ("_SYSTEMD_CGROUP", B("/system.slice/systemd-logind.service")), ("_SYSTEMD_UNIT", B("systemd-logind.service")), ("_SYSTEMD_SLICE", B("system.slice")),
        ]))
        s.journal.append(JournalEntry(tUs: login + 14_000, sourceUs: login + 13_900, fields: JournalFields.pid1(h, message: "Started session-142.scope - Session 142 of User deploy.", unit: "session-142.scope", priority: 6, messageID: MID.started, codeFile: "src/core/job.c", codeLine: 768, codeFunc: "job_emit_done_message", invocation: s.hex32(), extra: [("JOB_TYPE", "start"), ("JOB_RESULT", "done")])))
        let hookT = us(utc(2026, 9, 3, 10, 1, 40)) + 602_000
        s.journal.append(JournalEntry(tUs: hookT, sourceUs: hookT - 120, fields: [
            ("PRIORITY", B("6")), ("SYSLOG_IDENTIFIER", B("deploy-hook")), ("_TRANSPORT", B("journal")), ("_UID", B("1001")), ("_GID", B("1001")),
            ("_HOSTNAME", B(h)), ("CODE_FILE", B("/home/deploy/bin/deploy-hook")), ("CODE_LINE", B("88")), ("CODE_FUNC", B("announce")),
            ("MESSAGE", B("Deploying site-config 3f9a2c1 to /etc/nginx\n\nfeat: route /api/v2 to the new upstream\n\nChanged: sites-enabled/default (+6 -2)")),
            ("DEPLOY_COMMIT", B("3f9a2c1e07b5d4a6c8e9f0b1a2c3d4e5f6a7b8c9")),
            ("_PID", B("52188")), ("_COMM", B("python3")), ("_EXE", B("/usr/bin/python3.11")), ("_CMDLINE", B("/usr/bin/python3 /home/deploy/bin/deploy-hook")),
            ("_SYSTEMD_CGROUP", B("/user.slice/user-1001.slice/session-142.scope")), ("_SYSTEMD_UNIT", B("session-142.scope")), ("_SYSTEMD_SLICE", B("user-1001.slice")),
        ]))
        sudo(us(utc(2026, 9, 3, 10, 2, 9)) + 511_000, pid: 52_231, "/usr/bin/cp sites-enabled/default /etc/nginx/sites-enabled/default")
        sudo(restartCmd, pid: 52_240, "/usr/bin/systemctl restart nginx")
        // Restart job: stop succeeds, the start's config test fails.
        pid1(restartCmd + 160_000, "Stopping \(nginxID)...", id: MID.stopping, line: 581, fn: "job_emit_start_message", extra: [("JOB_ID", "1911"), ("JOB_TYPE", "restart")])
        pid1(down - 4_000, "nginx.service: Deactivated successfully.", id: MID.success, file: "src/core/unit.c", line: 5553, fn: "unit_log_success")
        pid1(down - 3_000, "Stopped \(nginxID).", id: MID.stopped, line: 768, fn: "job_emit_done_message", extra: [("JOB_ID", "1911"), ("JOB_TYPE", "restart"), ("JOB_RESULT", "done")])
        pid1(down - 2_500, "nginx.service: Consumed 2h 44min 10.221s CPU time.", id: MID.resources, file: "src/core/unit.c", line: 5599, fn: "unit_log_resources", extra: [("CPU_USAGE_NSEC", "9850221000000")])
        inv = s.hex32()
        pid1(down, "Starting \(nginxID)...", id: MID.starting, line: 581, fn: "job_emit_start_message", extra: [("JOB_ID", "1911"), ("JOB_TYPE", "restart")])
        func failedStart(_ t: Int64, pid: Int, job: String) {
            stdout(t + 31_000, pid: pid, "nginx: [emerg] unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42")
            stdout(t + 31_400, pid: pid, "nginx: configuration file /etc/nginx/nginx.conf test failed")
            s.nginxLine(t + 31_000, "emerg", pid, "unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/default:42")
            pid1(t + 36_000, "nginx.service: Control process exited, code=exited, status=1/FAILURE", prio: 5, id: MID.processExit, file: "src/core/service.c", line: 3526, fn: "service_sigchld_event",
                 extra: [("EXIT_CODE", "exited"), ("EXIT_STATUS", "1"), ("COMMAND", "ExecStartPre")])
            pid1(t + 37_000, "nginx.service: Failed with result 'exit-code'.", prio: 4, id: MID.failureResult, file: "src/core/unit.c", line: 5568, fn: "unit_log_failure",
                 extra: [("UNIT_RESULT", "exit-code")])
            pid1(t + 37_500, "Failed to start \(nginxID).", prio: 3, id: MID.failed, line: 768, fn: "job_emit_done_message",
                 extra: [("JOB_ID", job), ("JOB_TYPE", job == "1911" ? "restart" : "start"), ("JOB_RESULT", "failed")])
        }
        failedStart(down, pid: 52_244, job: "1911")
        sudo(retry - 150_000, pid: 52_310, "/usr/bin/systemctl start nginx")
        inv = s.hex32()
        pid1(retry, "Starting \(nginxID)...", id: MID.starting, line: 581, fn: "job_emit_start_message", extra: [("JOB_ID", "1920"), ("JOB_TYPE", "start")])
        failedStart(retry, pid: 52_318, job: "1920")
        sudo(us(utc(2026, 9, 3, 10, 6, 30)) + 90_000, pid: 52_402, "/usr/bin/journalctl -u nginx -n 50")
        sudo(us(utc(2026, 9, 3, 10, 20, 55)) + 12_000, pid: 53_011, "/usr/bin/nano /etc/nginx/sites-enabled/default", pwd: "/home/deploy")
        sudo(us(utc(2026, 9, 3, 10, 21, 37)) + 640_000, pid: 53_090, "/usr/sbin/nginx -t", pwd: "/home/deploy")
        sudo(fixStart - 160_000, pid: 53_104, "/usr/bin/systemctl start nginx", pwd: "/home/deploy")
        inv = s.hex32()
        pid1(fixStart, "Starting \(nginxID)...", id: MID.starting, line: 581, fn: "job_emit_start_message", extra: [("JOB_ID", "1958"), ("JOB_TYPE", "start")])
        pid1(up, "Started \(nginxID).", id: MID.started, line: 768, fn: "job_emit_done_message", extra: [("JOB_ID", "1958"), ("JOB_TYPE", "start"), ("JOB_RESULT", "done")])
        let logout = us(utc(2026, 9, 3, 10, 27, 14)) + 20_000
        sysl(logout, ident: "sshd", pid: 52_101, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: deploy [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 4,
             "Received disconnect from 198.51.100.23 port 53122:11: disconnected by user")
        sysl(logout + 900, ident: "sshd", pid: 52_101, comm: "sshd", exe: "/usr/sbin/sshd", cmdline: "sshd: deploy [priv]", unit: "ssh.service", uid: 0, prio: 6, fac: 10,
             "pam_unix(sshd:session): session closed for user deploy")
        s.journal.append(JournalEntry(tUs: logout + 4_000, sourceUs: logout + 3_900, fields: JournalFields.pid1(h, message: "session-142.scope: Deactivated successfully.", unit: "session-142.scope", priority: 6, messageID: MID.success, codeFile: "src/core/unit.c", codeLine: 5553, codeFunc: "unit_log_success", invocation: s.hex32())))

        try s.writeLogpush(ts: .unixnano, batchSeconds: 300)
        // The ownership-challenge object Cloudflare wrote when the Logpush job was created.
        s.written.append(("edge/ownership-challenge-5d1e2c3b.txt", try writeFile(dir + "/edge/ownership-challenge-5d1e2c3b.txt", B("c1b7a0e3d9f24a6e8b5c2d7f0a9e3b14c6d8f2a0b7e5c3d1f9a8b6c4e2d0f7a1e3c5b9d7f2a4e6c8b0d3f5a7c9e1b4d6f8a2c0e9b7d5f3a1c8e6b4d2f0a9c7e5b3d1f8a6c4e2b0d9f7a5c3e1b8d6f4a2c0e7b5d3f1a9c8e6b4d2f0\n"), mtime: utc(2025, 11, 4, 14, 2, 10))))
        try s.writeJournal("origin/journal/web1-system.export", bootID: bootID, machineID: machineID)
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: [rotation], delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: [rotation], delaycompress: false)

        let truth = GroundTruth(story: [
            "A Debian 12 server without rsyslog: system messages exist only in the journal (exported with `journalctl -o export`).",
            "At 12:02 local a deploy copies a new nginx site config with a typo (`proxy_passs`) and runs `systemctl restart nginx`: the stop succeeds, the `nginx -t` in `ExecStartPre` fails (`[emerg] unknown directive`), the start fails.",
            "A second `systemctl start nginx` at 12:05 fails the same way. Cloudflare answers 521 on all colos.",
            "At 12:21 the typo is fixed, `nginx -t` passes and nginx starts; the 521s stop.",
        ], category: "service-down", mechanism: "config-error", service: "nginx",
        notes: ["The journal export contains a multi-line MESSAGE (the deploy hook's commit message, with an empty line inside), written as a binary field.",
                "`edge/ownership-challenge-5d1e2c3b.txt` is Cloudflare's destination ownership challenge: not a log.",
                "Edge: Logpush (`timestamp_format=unixnano`), 5-minute batches."])
        return (s, truth)
    }

    // MARK: d. listen-localhost

    static func listenLocalhost(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let from = utc(2026, 11, 10, 7, 41), to = utc(2026, 11, 10, 8, 47)
        let rotation = us(utc(2026, 11, 10, 23, 0, 39)) + 212_000
        let collected = utc(2026, 11, 11, 6, 55)
        let s = try ScenarioBuilder(name: "listen-localhost", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: us(utc(2026, 10, 30, 22, 14, 2)))
        let reload1 = us(utc(2026, 11, 10, 8, 4, 31)) + 604_000
        let broken = reload1 + 88_000
        let reload2 = us(utc(2026, 11, 10, 8, 19, 52)) + 377_000
        let fixed = reload2 + 91_000
        s.nginxWorkers = [(Int64.min, [1212, 1213]), (broken, [61_504, 61_505]), (fixed, [63_110, 63_111])]

        s.generateTraffic(from: from, to: to, rate: ramp([(from, 0.95), (to, 1.2)]), maxRate: 1.2) { r, t in
            if r.originBound && r.startUs >= broken && r.startUs < fixed { t.refuse(&r) }
        }
        s.directScanners(from: from, to: to, perHour: 6) { $0 < broken || $0 >= fixed }
        s.healthChecks(from: from - 600, to: to, every: 10) { _ in true }

        var o = ScenarioBuilder.NoiseOptions()
        o.firewallPrefix = "[UFW BLOCK] "
        o.firewallPerHour = 30
        s.syslogNoise(from: from - 1800, to: to, o)
        o.firewallPerHour = 8
        s.syslogNoise(from: rotation / 1_000_000, to: collected, o)
        s.logrotateLines(rotation, combined: true)
        func reload(_ t: Int64, signaller: Int, old: [Int], new: [Int], user: String) {
            s.syslog("auth", t - 1_210_000, "sudo", nil, "   \(user) : TTY=pts/1 ; PWD=/etc/nginx/sites-available ; USER=root ; COMMAND=/usr/sbin/nginx -t")
            s.syslog("auth", t - 1_208_000, "sudo", nil, "pam_unix(sudo:session): session opened for user root(uid=0) by \(user)(uid=1000)")
            s.syslog("auth", t - 1_100_000, "sudo", nil, "pam_unix(sudo:session): session closed for user root")
            s.syslog("auth", t - 21_000, "sudo", nil, "   \(user) : TTY=pts/1 ; PWD=/etc/nginx/sites-available ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx")
            s.syslog("auth", t - 19_000, "sudo", nil, "pam_unix(sudo:session): session opened for user root(uid=0) by \(user)(uid=1000)")
            s.syslog(t, "systemd", 1, "Reloading \(nginxID)...")
            s.syslog(t + 84_000, "systemd", 1, "Reloaded \(nginxID).")
            s.syslog("auth", t + 90_000, "sudo", nil, "pam_unix(sudo:session): session closed for user root")
            // error_log is at `notice` on this host, so the reload is visible in nginx's own log.
            let e = t + 41_000
            s.nginxLine(e, "notice", signaller, "signal process started")
            s.nginxLine(e + 600, "notice", 1211, "signal 1 (SIGHUP) received from \(signaller), reconfiguring")
            s.nginxLine(e + 700, "notice", 1211, "reconfiguring")
            s.nginxLine(e + 9_000, "notice", 1211, "using the \"epoll\" event method")
            s.nginxLine(e + 9_100, "notice", 1211, "start worker processes")
            for p in new { s.nginxLine(e + 9_300, "notice", 1211, "start worker process \(p)") }
            for p in old { s.nginxLine(e + 11_000, "notice", p, "gracefully shutting down") }
            for p in old { s.nginxLine(e + 13_000, "notice", p, "exiting") }
            for p in old { s.nginxLine(e + 14_000, "notice", p, "exit") }
            for p in old {
                s.nginxLine(e + 15_000, "notice", 1211, "signal 17 (SIGCHLD) received from \(p)")
                s.nginxLine(e + 15_100, "notice", 1211, "worker process \(p) exited with code 0")
            }
            s.nginxLine(e + 15_300, "notice", 1211, "signal 29 (SIGIO) received")
        }
        reload(reload1, signaller: 61_502, old: [1212, 1213], new: [61_504, 61_505], user: "alice")
        reload(reload2, signaller: 63_108, old: [61_504, 61_505], new: [63_110, 63_111], user: "alice")

        try s.writeLogpush(ts: .rfc3339, batchSeconds: 300)
        try s.writeRotated(s.book("syslog"), "origin/syslog", rotations: [rotation])
        try s.writeRotated(s.book("auth"), "origin/auth.log", rotations: [rotation])
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: [rotation], delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: [rotation], delaycompress: false)

        let truth = GroundTruth(story: [
            "A hardening change meant for an internal status page ends up in the main site: `listen 127.0.0.1:80;` and `listen 127.0.0.1:443 ssl;`.",
            "At 09:04 local the admin checks the config (`nginx -t`) and runs `systemctl reload nginx`: nginx keeps running and reopens its listeners on loopback only.",
            "Cloudflare's connections to 203.0.113.10 are refused: 521 on all colos. The access log keeps logging the local monit health check (127.0.0.1, every 10 s) but no edge requests.",
            "At 09:19 the change is reverted and nginx reloaded again; edge requests reach the origin again.",
        ], category: "listener", mechanism: "listen-address", service: "nginx",
        notes: ["nginx's `error_log` is at `notice` here, so the reloads show up as `signal process started` / `reconfiguring` lines.",
                "Edge: Logpush (`timestamp_format=rfc3339`), 5-minute batches."])
        return (s, truth)
    }

    // MARK: e. https-no-listener

    static func httpsNoListener(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let from = utc(2026, 7, 22, 15, 6), to = utc(2026, 7, 22, 16, 12)
        let rotation = us(utc(2026, 7, 22, 22, 0, 18)) + 733_000
        let collected = utc(2026, 7, 23, 6, 20)
        let s = try ScenarioBuilder(name: "https-no-listener", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: us(utc(2026, 7, 1, 5, 30, 44)))
        s.traffic.httpShare = 0.22
        let closed = us(utc(2026, 7, 22, 15, 31, 14)) + 262_000
        let reopened = us(utc(2026, 7, 22, 15, 53, 40)) + 811_000
        s.generateTraffic(from: from, to: to, rate: ramp([(from, 0.98), (to, 1.08)]), maxRate: 1.08) { r, t in
            if r.originBound && r.https && r.startUs >= closed && r.startUs < reopened { t.refuse(&r) }
        }
        s.directScanners(from: from, to: to, perHour: 6) { _ in true }

        var o = ScenarioBuilder.NoiseOptions()
        o.firewallPrefix = "[UFW BLOCK] "
        o.firewallPerHour = 30
        s.syslogNoise(from: from - 3600, to: to, o)
        o.firewallPerHour = 8
        s.syslogNoise(from: rotation / 1_000_000, to: collected, o)
        s.logrotateLines(rotation, combined: true)
        // certbot.timer renews a certificate an hour earlier; its deploy hook reloads nginx.
        let cb = us(utc(2026, 7, 22, 14, 28, 40)) + 15_000
        let cid = Msg.ident("certbot.service", "Certbot", combined: true)
        s.syslog(cb, "systemd", 1, "Starting \(cid)...")
        s.syslog(cb + 6_902_000, "systemd", 1, "Reloading \(nginxID)...")
        s.syslog(cb + 6_981_000, "systemd", 1, "Reloaded \(nginxID).")
        s.syslog(cb + 7_240_000, "systemd", 1, "certbot.service: Deactivated successfully.")
        s.syslog(cb + 7_241_000, "systemd", 1, "Finished \(cid).")
        s.syslog(cb + 7_242_000, "systemd", 1, "certbot.service: Consumed 2.914s CPU time.")
        // TLS noise from scanners before the listener disappears.
        var t = Double(from - 3600)
        while true {
            t += s.rng.exponential(mean: 3600.0 / 3)
            if t >= Double(to) { break }
            let tu = Int64(t * 1_000_000)
            if tu >= closed && tu < reopened { continue }
            s.connSerial += 3
            let src = "\(s.rng.pick([45, 80, 185, 193])).\(s.rng.int(1, 254)).\(s.rng.int(0, 255)).\(s.rng.int(1, 254))"
            s.nginxLine(tu, "crit", s.worker(at: tu), "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: \(src), server: 0.0.0.0:443", conn: s.connSerial)
        }

        try s.writeLogpush(ts: .unixnano, batchSeconds: 300)
        try s.writeRotated(s.book("syslog"), "origin/syslog", rotations: [rotation])
        try s.writeRotated(s.book("auth"), "origin/auth.log", rotations: [rotation])
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: [rotation], delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: [rotation], delaycompress: false)

        let truth = GroundTruth(story: [
            "Cloudflare SSL mode is Full: https visitors are fetched from the origin's port 443, plain-http visitors from port 80 (the origin redirects www to https, the API answers directly).",
            "At 17:31 local someone removes the TLS server block's symlink in `sites-enabled` and runs `nginx -s reload` by hand: nothing is logged (no systemd job, nginx `error_log` at the default `error` level).",
            "Port 443 is closed: every https request that needs the origin gets 521, on all colos, while http requests keep getting 301/200 from the origin.",
            "At 17:53 the symlink is restored and nginx reloaded, again by hand. The only origin event in the logs is certbot's reload an hour before the window.",
        ], category: "listener", mechanism: "port-closed", service: "nginx",
        notes: ["Expected diagnosis from the edge shape alone (https-only failure); the certbot reload at 16:28 local is a distraction outside the look-back.",
                "Edge: Logpush (`timestamp_format=unixnano`), 5-minute batches."])
        return (s, truth)
    }

    // MARK: f. quiet-week

    static func quietWeek(_ dir: String, _ seed: UInt64) throws -> (ScenarioBuilder, GroundTruth) {
        let zone = try Zone("Europe/Berlin")
        let from = zone.utcSeconds(localYear: 2026, 10, 23, 0, 0)
        let to = zone.utcSeconds(localYear: 2026, 10, 26, 0, 0)
        let collected = zone.utcSeconds(localYear: 2026, 10, 26, 8, 12)
        let s = try ScenarioBuilder(name: "quiet-week", dir: dir, seed: seed, zone: "Europe/Berlin", bootUs: us(utc(2026, 10, 14, 2, 51, 30)))
        s.host.kernelUptimePrefix = true
        s.phpSocket = "unix:/run/php/php8.1-fpm.sock"
        s.traffic.scannerShare = 0.03
        // Daily rotations at local midnight (logrotate.timer, with its random delay).
        let rotations = [us(zone.utcSeconds(localYear: 2026, 10, 24, 0, 0, 41)) + 203_000,
                         us(zone.utcSeconds(localYear: 2026, 10, 25, 0, 0, 37)) + 518_000,
                         us(zone.utcSeconds(localYear: 2026, 10, 26, 0, 0, 44)) + 87_000]
        // unattended-upgrades restarts nginx (package update) on the 24th.
        let upg = us(zone.utcSeconds(localYear: 2026, 10, 24, 6, 41, 12)) + 330_000
        let nginxDown = upg + 7_840_000, nginxUp = nginxDown + 1_120_000
        s.nginxWorkers = [(Int64.min, [912, 913]), (nginxUp, [40_118, 40_119])]
        var zz = zone
        let rate: (Int64) -> Double = { t in
            let off = zz.offset(t)
            let hour = Double(((t + Int64(off)) % 86400)) / 3600.0
            // Night trough, morning rise, evening peak.
            let shape = hour < 6 ? 0.18 : (hour < 9 ? 0.18 + (hour - 6) * 0.25 : (hour < 18 ? 0.95 : (hour < 22 ? 1.0 : 1.0 - (hour - 22) * 0.4)))
            return 0.0105 * shape
        }
        // A few stray 52x at random times, never more than one a minute.
        var strays: [Int64] = []
        var srng = PRNG(seed: seed, stream: "quiet-week/strays")
        for _ in 0..<4 { strays.append(us(from) + Int64(srng.unit() * Double(to - from)) * 1_000_000) }
        strays.sort()
        var strayIndex = 0
        s.generateTraffic(from: from, to: to, rate: rate, maxRate: 0.011) { r, t in
            if r.originBound && r.startUs >= nginxDown && r.startUs < nginxUp { t.refuse(&r); return }
            if strayIndex < strays.count && r.startUs >= strays[strayIndex] && r.originBound {
                strayIndex += 1
                switch strayIndex % 4 {
                case 1, 3: t.refuse(&r)
                case 2: t.fail(&r, status: 524)
                default: t.fail(&r, status: 522)
                }
            }
        }
        // The restart window is a second long: add the two requests that hit it.
        for i in 0..<2 {
            var r = s.traffic.request(at: nginxDown + 210_000 + Int64(i) * 530_000)
            if !r.originBound { r.cache = .dynamic; r.wafBlocked = false }
            s.traffic.refuse(&r)
            s.requests.append(r)
        }
        s.requests.sort { $0.startUs < $1.startUs }
        s.directScanners(from: from, to: to, perHour: 2) { _ in true }

        var o = ScenarioBuilder.NoiseOptions()
        o.firewallPrefix = "[UFW BLOCK] "
        o.firewallPerHour = 9
        o.phpService = "php8.1-fpm"
        o.combinedUnitNames = false
        o.sysstat = false
        o.sshPerHour = 3
        s.syslogNoise(from: from, to: collected, o)
        for r in rotations { s.logrotateLines(r, combined: false, rsyslogVersion: "8.2112.0", rsyslogPid: 701) }
        // unattended-upgrades: nginx package update restarts the service.
        let nid = Msg.ident("nginx.service", Msg.nginxDescription, combined: false)
        s.syslog(upg, "systemd", 1, "Starting Daily apt upgrade and clean activities...")
        s.syslog(nginxDown - 90_000, "systemd", 1, "Stopping \(nid)...")
        s.syslog(nginxDown + 40_000, "systemd", 1, "nginx.service: Deactivated successfully.")
        s.syslog(nginxDown + 41_000, "systemd", 1, "Stopped \(nid).")
        s.syslog(nginxDown + 44_000, "systemd", 1, "Starting \(nid)...")
        s.syslog(nginxUp, "systemd", 1, "Started \(nid).")
        s.syslog(upg + 41_300_000, "systemd", 1, "apt-daily-upgrade.service: Deactivated successfully.")
        s.syslog(upg + 41_301_000, "systemd", 1, "Finished Daily apt upgrade and clean activities.")
        s.syslog(upg + 41_302_000, "systemd", 1, "apt-daily-upgrade.service: Consumed 31.402s CPU time.")
        // php-fpm: busy warnings at evening peaks.
        for day in [23, 24, 25] {
            for _ in 0..<(1 + s.rng.int(0, 2)) {
                let tt = us(zone.utcSeconds(localYear: 2026, 10, day, 19 + s.rng.int(0, 2), s.rng.int(0, 59), s.rng.int(0, 59)))
                s.add("php-fpm", tt, s.host.phpFpm(tt, "WARNING", "[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and \(9 + s.rng.int(0, 4)) total children"))
            }
            let tt = us(zone.utcSeconds(localYear: 2026, 10, day, 20, s.rng.int(0, 59), s.rng.int(0, 59)))
            s.add("php-fpm", tt, s.host.phpFpm(tt, "WARNING", "[pool www] server reached pm.max_children setting (12), consider raising it"))
        }
        // nginx: occasional upstream timeouts outside the requests we log.
        for _ in 0..<5 {
            let tt = us(from) + Int64(s.rng.unit() * Double(to - from)) * 1_000_000
            s.connSerial += 11
            let edge = String(decoding: s.rng.pick(colos[s.rng.int(3)].edgeIPs), as: UTF8.self)
            s.nginxLine(tt, "error", s.worker(at: tt), "upstream timed out (110: Connection timed out) while reading response header from upstream, client: \(edge), server: www.example.com, request: \"GET /search?q=\(s.rng.pick(searchTerms)) HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.1-fpm.sock:\", host: \"www.example.com\"", conn: s.connSerial)
        }

        // Edge: a cron job pulls Logpull hourly and appends to a file rotated at midnight.
        var book = LogBook()
        for r in s.requests {
            let pulledHour = (r.endUs / 3_600_000_000 + 1) * 3_600_000_000 + 300_000_000
            var b = Bytes(capacity: 600)
            b.edgeJSON(r, fields: .compact, ts: .unix, originIP: s.originIP)
            book.add(pulledHour + Int64(s.rng.int(0, 999)), b.b)
        }
        try s.writeRotated(book, "edge/cloudflare.log", rotations: rotations, delaycompress: false)
        try s.writeRotated(s.book("syslog"), "origin/syslog", rotations: rotations)
        try s.writeRotated(s.book("auth"), "origin/auth.log", rotations: rotations)
        try s.writeRotated(s.nginxError, "origin/nginx/error.log", rotations: rotations, delaycompress: false)
        try s.writeRotated(s.access, "origin/nginx/access.log", rotations: rotations, delaycompress: false)
        try s.writeRotated(s.book("php-fpm"), "origin/php8.1-fpm.log", rotations: [])

        var truth = GroundTruth(story: [
            "A control period: Friday 23 to Sunday 25 October 2026 (three full days) on a small Ubuntu 22.04 shop server with little traffic; logs collected on Monday morning after the nightly rotation.",
            "Europe/Berlin leaves summer time during it (03:00 CEST → 02:00 CET on the 25th): local times between 02:00 and 03:00 occur twice.",
            "Nothing breaks. There are a handful of stray 52x responses (never more than two 521s in a minute) and the usual noise: UFW blocks of scanners, sshd brute force, php-fpm `seems busy`, nginx upstream timeouts, an unattended-upgrades restart of nginx.",
        ], category: nil, mechanism: nil, service: nil,
        notes: ["Edge: Cloudflare Logpull fetched hourly by cron at :05 (`timestamp_format=unix`) and appended to `cloudflare.log`, rotated daily at midnight and compressed; the pull of Sunday's last hour ran after the rotation and sits in the current `cloudflare.log`.",
                "Kernel lines carry the `[seconds.micro]` uptime prefix (Ubuntu rsyslog); systemd uses description-only unit texts (v249)."])
        truth.notes.append("Stray 521s: \(s.requests.filter { $0.status == 521 }.map { utcText($0.startUs / 1_000_000) }.joined(separator: ", ")).")
        return (s, truth)
    }
}

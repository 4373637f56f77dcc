/// Origin-side log lines: RFC 3164 syslog, nginx error log, lfd, php-fpm, and systemd
/// journal export entries, with the exact message texts of the reference (§4, §6, §7, §8).

/// Lines of one log, kept with their times until written (scenarios are small).
struct LogBook {
    struct Entry { var t: Int64; var seq: Int; var line: [UInt8] }
    var entries: [Entry] = []
    private var seq = 0

    mutating func add(_ tUs: Int64, _ line: [UInt8]) {
        entries.append(Entry(t: tUs, seq: seq, line: line))
        seq += 1
    }

    /// Entries in time order (stable for equal times).
    func sorted() -> [Entry] { entries.sorted { ($0.t, $0.seq) < ($1.t, $1.seq) } }
    var isEmpty: Bool { entries.isEmpty }
}

/// Writes origin lines for one host in its local zone.
struct OriginHost {
    var zone: Zone
    let host: String
    /// Kernel lines carry `[seconds.micro]` since boot (some rsyslog setups) when set.
    var kernelUptimePrefix = false
    /// Boot time, UTC microseconds (kernel uptime prefix, journal monotonic clock).
    var bootUs: Int64

    init(zone: Zone, host: String, bootUs: Int64) {
        self.zone = zone; self.host = host; self.bootUs = bootUs
    }

    /// `Mar 12 00:41:07 web1 tag[pid]: msg`
    mutating func syslog(_ tUs: Int64, _ tag: String, _ pid: Int?, _ msg: String) -> [UInt8] {
        var b = Bytes(capacity: 160)
        let s = tUs / 1_000_000
        b.syslogTime(s, offset: zone.offset(s)); b.byte(0x20); b.str(host); b.byte(0x20); b.str(tag)
        if let p = pid { b.byte(0x5B); b.int(p); b.byte(0x5D) }
        b.s(": ")
        if tag == "kernel" && kernelUptimePrefix {
            let up = max(0, tUs - bootUs)
            b.byte(0x5B); b.spad(Int(up / 1_000_000), 5); b.byte(0x2E); b.pad(Int(up % 1_000_000), 6); b.s("] ")
        }
        b.str(msg); b.nl()
        return b.b
    }

    /// `2026/03/12 00:41:07 [alert] 1980#1980: msg`
    mutating func nginx(_ tUs: Int64, _ level: String, _ pid: Int, _ msg: String, conn: Int? = nil) -> [UInt8] {
        var b = Bytes(capacity: 200)
        let s = tUs / 1_000_000
        b.nginxTime(s, offset: zone.offset(s)); b.s(" ["); b.str(level); b.s("] "); b.int(pid); b.byte(0x23); b.int(pid)
        b.s(": ")
        if let c = conn { b.byte(0x2A); b.int(c); b.byte(0x20) }
        b.str(msg); b.nl()
        return b.b
    }

    /// `[12-Mar-2026 00:38:12] WARNING: msg`
    mutating func phpFpm(_ tUs: Int64, _ level: String, _ msg: String) -> [UInt8] {
        var b = Bytes(capacity: 160)
        let s = tUs / 1_000_000
        b.phpFpmTime(s, offset: zone.offset(s)); b.byte(0x20); b.str(level); b.s(": "); b.str(msg); b.nl()
        return b.b
    }
}

// MARK: - Message texts

enum Msg {
    /// systemd "ident" for a unit in the style of the distribution: `unit - Description`
    /// (StatusUnitFormat=combined, Debian 12/Ubuntu 24.04) or just the description (v249).
    static func ident(_ unit: String, _ description: String, combined: Bool) -> String {
        combined ? "\(unit) - \(description)" : description
    }

    static let nginxDescription = "A high performance web server and a reverse proxy server"

    /// The kernel's OOM report for a global OOM (6.1 layout, §8.1), trimmed to a realistic
    /// subset of the multi-line dump; the victim's line carries `task_memcg`.
    static func oomReport(invoker: String, invokerPid: Int, victim: String, victimPid: Int, unit: String,
                          uid: Int, totalVmKB: Int, anonKB: Int, fileKB: Int, shmemKB: Int, pgtablesKB: Int,
                          tasks: [(pid: Int, uid: Int, vm: Int, rss: Int, name: String)]) -> [String] {
        var l: [String] = []
        l.append("\(invoker) invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
        l.append("CPU: 1 PID: \(invokerPid) Comm: \(invoker) Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1")
        l.append("Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014")
        l.append("Call Trace:")
        l.append(" <TASK>")
        l.append(" dump_stack_lvl+0x44/0x5c")
        l.append(" dump_header+0x4a/0x211")
        l.append(" oom_kill_process.cold+0xb/0x10")
        l.append(" out_of_memory+0x1fd/0x4c0")
        l.append(" __alloc_pages_slowpath.constprop.0+0xc9b/0xe00")
        l.append(" __alloc_pages+0x305/0x330")
        l.append(" folio_alloc+0x17/0x50")
        l.append(" __filemap_get_folio+0x155/0x340")
        l.append(" filemap_fault+0x139/0x910")
        l.append(" __do_fault+0x30/0x110")
        l.append(" do_fault+0x1b9/0x410")
        l.append(" __handle_mm_fault+0x660/0xfa0")
        l.append(" handle_mm_fault+0xdb/0x2d0")
        l.append(" do_user_addr_fault+0x19c/0x570")
        l.append(" exc_page_fault+0x70/0x170")
        l.append(" asm_exc_page_fault+0x22/0x30")
        l.append(" </TASK>")
        l.append("Mem-Info:")
        l.append("active_anon:412 inactive_anon:948812 isolated_anon:0")
        l.append(" active_file:41 inactive_file:17 isolated_file:0")
        l.append(" unevictable:0 dirty:0 writeback:0")
        l.append(" slab_reclaimable:6288 slab_unreclaimable:11208")
        l.append(" mapped:2914 shmem:3650 pagetables:5911")
        l.append(" sec_pagetables:0 bounce:0")
        l.append(" kernel_misc_reclaimable:0")
        l.append(" free:12838 free_pcp:94 free_cma:0")
        l.append("Node 0 active_anon:1648kB inactive_anon:3795248kB active_file:164kB inactive_file:68kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:11656kB dirty:0kB writeback:0kB shmem:14600kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:3456kB pagetables:23644kB sec_pagetables:0kB all_unreclaimable? yes")
        l.append("Node 0 DMA free:14336kB boost:0kB min:260kB low:324kB high:388kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB")
        l.append("lowmem_reserve[]: 0 2955 3898 3898 3898")
        l.append("Node 0 DMA32 free:29048kB boost:0kB min:50340kB low:62924kB high:75508kB reserved_highatomic:0KB active_anon:1012kB inactive_anon:2976400kB active_file:96kB inactive_file:40kB unevictable:0kB writepending:0kB present:3129196kB managed:3063660kB mlocked:0kB bounce:0kB free_pcp:248kB local_pcp:0kB free_cma:0kB")
        l.append("lowmem_reserve[]: 0 0 943 943 943")
        l.append("Free swap  = 0kB")
        l.append("Total swap = 0kB")
        l.append("1048446 pages RAM")
        l.append("0 pages HighMem/MovableOnly")
        l.append("34283 pages reserved")
        l.append("Tasks state (memory values in pages):")
        l.append("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name")
        for t in tasks {
            func r(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: " ", count: max(0, w - s.count)) + s }
            // "[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s" (mm/oom_kill.c, dump_task)
            let adj = t.name == "sshd" || t.name == "systemd-udevd" ? -1000 : 0
            l.append("[\(r(t.pid, 7))] \(r(t.uid, 5)) \(r(t.pid, 5)) \(r(t.vm, 8)) \(r(t.rss, 8)) \(r(t.rss * 8 + 65536, 8)) \(r(0, 8))         \(r(adj, 5)) \(t.name)")
        }
        l.append("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/\(unit),task=\(victim),pid=\(victimPid),uid=\(uid)")
        l.append("Out of memory: Killed process \(victimPid) (\(victim)) total-vm:\(totalVmKB)kB, anon-rss:\(anonKB)kB, file-rss:\(fileKB)kB, shmem-rss:\(shmemKB)kB, UID:\(uid) pgtables:\(pgtablesKB)kB oom_score_adj:0")
        return l
    }

    /// A netfilter LOG line (§8.5) for a TCP SYN toward the origin.
    static func netfilter(prefix: String, src: String, dst: String, spt: Int, dpt: Int, ttl: Int, id: Int, window: Int, len: Int = 60, df: Bool = true) -> String {
        "\(prefix)IN=eth0 OUT= MAC=52:54:00:3a:7c:e1:d0:07:ca:1e:4f:01:08:00 SRC=\(src) DST=\(dst) LEN=\(len) TOS=0x00 PREC=0x00 TTL=\(ttl) ID=\(id)\(df ? " DF" : "") PROTO=TCP SPT=\(spt) DPT=\(dpt) WINDOW=\(window) RES=0x00 SYN URGP=0"
    }
}

// MARK: - Journal export

/// One journal entry and its fields in the order `journalctl -o export` prints them.
struct JournalEntry {
    var tUs: Int64
    /// Sender's own time (`_SOURCE_REALTIME_TIMESTAMP`), slightly before `tUs`.
    var sourceUs: Int64?
    var fields: [(String, [UInt8])]
}

/// Writes entries in the Journal Export Format (§7.1): `NAME=value` lines, binary-safe
/// `NAME\n<le64 length><bytes>\n` for values with control characters, a blank line after
/// each entry.
struct JournalExporter {
    let bootID: String
    let machineID: String
    let seqnumID: String
    let bootUs: Int64
    var seq: UInt64
    var rng: PRNG

    mutating func write(_ e: JournalEntry, into b: inout Bytes) {
        seq += 1
        let mono = UInt64(max(0, e.tUs - bootUs))
        b.s("__CURSOR=s="); b.str(seqnumID); b.s(";i="); b.hexMinimal(seq); b.s(";b="); b.str(bootID)
        b.s(";m="); b.hexMinimal(mono); b.s(";t="); b.hexMinimal(UInt64(e.tUs)); b.s(";x="); b.hex(rng.next(), digits: 16); b.nl()
        b.s("__REALTIME_TIMESTAMP="); b.int(e.tUs); b.nl()
        b.s("__MONOTONIC_TIMESTAMP="); b.uint(mono); b.nl()
        b.s("_BOOT_ID="); b.str(bootID); b.nl()
        for (k, v) in e.fields {
            if needsBinary(v) {
                b.str(k); b.nl()
                var n = UInt64(v.count).littleEndian
                withUnsafeBytes(of: &n) { b.b.append(contentsOf: $0) }
                b.s(v); b.nl()
            } else {
                b.str(k); b.byte(0x3D); b.s(v); b.nl()
            }
        }
        b.s("_MACHINE_ID="); b.str(machineID); b.nl()
        if let s = e.sourceUs { b.s("_SOURCE_REALTIME_TIMESTAMP="); b.int(s); b.nl() }
        b.nl()
    }

    private func needsBinary(_ v: [UInt8]) -> Bool {
        for c in v where (c < 0x20 && c != 0x09) || c == 0x7F { return true }
        return String(validating: v, as: UTF8.self) == nil
    }
}

/// Field lists for common journal senders.
enum JournalFields {
    static func pid1(_ host: String, message: String, unit: String, priority: Int, messageID: String?,
                     codeFile: String, codeLine: Int, codeFunc: String, invocation: String, extra: [(String, String)] = []) -> [(String, [UInt8])] {
        var f: [(String, [UInt8])] = [
            ("PRIORITY", B(String(priority))), ("SYSLOG_FACILITY", B("3")), ("SYSLOG_IDENTIFIER", B("systemd")),
            ("_UID", B("0")), ("_GID", B("0")), ("_PID", B("1")), ("_TRANSPORT", B("journal")),
            ("_CAP_EFFECTIVE", B("1ffffffffff")), ("TID", B("1")), ("_COMM", B("systemd")),
            ("_EXE", B("/usr/lib/systemd/systemd")), ("_CMDLINE", B("/sbin/init")),
            ("_SYSTEMD_CGROUP", B("/init.scope")), ("_SYSTEMD_UNIT", B("init.scope")), ("_SYSTEMD_SLICE", B("-.slice")),
            ("_HOSTNAME", B(host)), ("CODE_FILE", B(codeFile)), ("CODE_LINE", B(String(codeLine))), ("CODE_FUNC", B(codeFunc)),
            ("UNIT", B(unit)), ("INVOCATION_ID", B(invocation)),
        ]
        if let id = messageID { f.append(("MESSAGE_ID", B(id))) }
        f.append(("MESSAGE", B(message)))
        for (k, v) in extra { f.append((k, B(v))) }
        return f
    }

    /// A process's stderr/stdout captured by journald (`_TRANSPORT=stdout`).
    static func stdout(_ host: String, ident: String, pid: Int, comm: String, exe: String, cmdline: String,
                       unit: String, invocation: String, priority: Int, message: [UInt8], streamID: String) -> [(String, [UInt8])] {
        [
            ("PRIORITY", B(String(priority))), ("SYSLOG_FACILITY", B("3")), ("_UID", B("0")), ("_GID", B("0")),
            ("_CAP_EFFECTIVE", B("1ffffffffff")), ("_SYSTEMD_SLICE", B("system.slice")), ("_TRANSPORT", B("stdout")),
            ("_HOSTNAME", B(host)), ("_STREAM_ID", B(streamID)), ("SYSLOG_IDENTIFIER", B(ident)), ("MESSAGE", message),
            ("_PID", B(String(pid))), ("_COMM", B(comm)), ("_EXE", B(exe)), ("_CMDLINE", B(cmdline)),
            ("_SYSTEMD_CGROUP", B("/system.slice/\(unit)")), ("_SYSTEMD_UNIT", B(unit)), ("_SYSTEMD_INVOCATION_ID", B(invocation)),
        ]
    }

    /// A message sent through syslog(3) (`_TRANSPORT=syslog`): sshd, sudo, CRON.
    static func syslog(_ host: String, ident: String, pid: Int, comm: String, exe: String, cmdline: String,
                       unit: String, uid: Int, priority: Int, facility: Int, message: [UInt8], timestamp: String) -> [(String, [UInt8])] {
        let f: [(String, [UInt8])] = [
            ("PRIORITY", B(String(priority))), ("SYSLOG_FACILITY", B(String(facility))), ("_UID", B(String(uid))), ("_GID", B(String(uid))),
            ("_CAP_EFFECTIVE", B(uid == 0 ? "1ffffffffff" : "0")), ("_SYSTEMD_SLICE", B(unit.hasPrefix("session-") ? "user-\(uid).slice" : "system.slice")),
            ("_TRANSPORT", B("syslog")), ("_HOSTNAME", B(host)), ("SYSLOG_IDENTIFIER", B(ident)), ("SYSLOG_PID", B(String(pid))),
            ("SYSLOG_TIMESTAMP", B(timestamp)), ("MESSAGE", message), ("_PID", B(String(pid))), ("_COMM", B(comm)),
            ("_EXE", B(exe)), ("_CMDLINE", B(cmdline)),
            ("_SYSTEMD_CGROUP", B(unit.hasPrefix("session-") ? "/user.slice/user-\(uid).slice/\(unit)" : "/system.slice/\(unit)")),
            ("_SYSTEMD_UNIT", B(unit)),
        ]
        return f.filter { !$0.1.isEmpty || $0.0 == "MESSAGE" }
    }
}

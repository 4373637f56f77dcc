/// What happened on the origin, as the rule catalog names it.
public enum EventKind: String, Codable, CaseIterable, Sendable, Comparable {
    /// Kernel OOM killer, memory-cgroup OOM, systemd's OOM notices, systemd-oomd.
    case oomKill = "oom-kill"
    /// Segfault, killed or dumped by a signal, Apache child exit signal, php-fpm child signal.
    case crash
    /// A service stopped (shutdown, deactivated, terminating).
    case stopped
    /// A service started or is ready again.
    case started
    /// systemd scheduled an automatic restart.
    case restartScheduled = "restart-scheduled"
    /// A start failed (Failed to start, start-limit-hit, control process failure).
    case restartFailed = "restart-failed"
    /// Configuration syntax error, failed config test, Apache MPM conflict.
    case configError = "config-error"
    /// Could not bind or listen (address in use, cannot assign requested address, make_sock).
    case bindError = "bind-error"
    /// Up but refusing work: max children, MaxRequestWorkers, worker_connections, open files.
    case resourceExhaustion = "resource-exhaustion"
    /// nginx/Apache could not reach php-fpm or another upstream.
    case upstreamRefused = "upstream-refused"
    /// nginx, Apache or systemd reload.
    case reload
    /// A firewall or ban tool blocked an address (UFW, iptables, firewalld, CSF/lfd, fail2ban).
    case firewallBlock = "firewall-block"
    /// A ban was lifted (fail2ban Unban, lfd temporary block expiry).
    case firewallUnblock = "firewall-unblock"
    /// ModSecurity denied a request.
    case wafBlock = "waf-block"
    /// AWS VPC flow log REJECT toward the web ports.
    case securityGroupReject = "security-group-reject"

    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}

/// How serious an event is for the site's availability.
public enum EventSeverity: String, Codable, Sendable, Comparable, CaseIterable {
    case info, notice, warning, error, critical

    private var rank: Int {
        switch self { case .info: 0; case .notice: 1; case .warning: 2; case .error: 3; case .critical: 4 }
    }
    public static func < (a: EventSeverity, b: EventSeverity) -> Bool { a.rank < b.rank }
}

/// One origin-side event: a log line the rule catalog recognised. Owned (safe to keep).
public struct OriginEvent: Codable, Sendable, Hashable {
    /// UTC microseconds.
    public var timeUs: Int64
    public var kind: EventKind
    /// Normalised service: `nginx`, `apache`, `php-fpm`, or the unit/program name.
    public var service: String?
    /// The systemd unit, when known (`nginx.service`).
    public var unit: String?
    public var pid: Int?
    public var severity: EventSeverity
    /// The file the line came from (`-` for stdin).
    public var source: String
    /// 1-based line number in the (decompressed) file; for journal exports, the line where the
    /// entry starts.
    public var line: Int
    /// The catalog rule that matched.
    public var rule: String
    /// The message text (for journal entries: MESSAGE).
    public var text: String
    /// Firewall events: the blocked source address.
    public var address: String?
    /// Firewall events: the destination port.
    public var port: Int?
    /// Firewall events: whether `address` lies in the CDN's published ranges.
    public var cdnAddress: Bool?
    /// Host name from the log, when present.
    public var host: String?
    /// The line's text held bytes that are not valid UTF-8 (`text` shows U+FFFD for them).
    /// Counted per file; not part of the JSON.
    public var textRepaired = false

    enum CodingKeys: String, CodingKey {
        case timeUs, kind, service, unit, pid, severity, source, line, rule, text, address, port, cdnAddress, host
    }

    public init(timeUs: Int64, kind: EventKind, service: String?, unit: String? = nil, pid: Int? = nil,
                severity: EventSeverity, source: String, line: Int, rule: String, text: String,
                address: String? = nil, port: Int? = nil, cdnAddress: Bool? = nil, host: String? = nil) {
        self.timeUs = timeUs; self.kind = kind; self.service = service; self.unit = unit; self.pid = pid
        self.severity = severity; self.source = source; self.line = line; self.rule = rule; self.text = text
        self.address = address; self.port = port; self.cdnAddress = cdnAddress; self.host = host
    }
}

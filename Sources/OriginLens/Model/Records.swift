/// A request as the CDN edge (or a web server's access log) saw it. Borrowed: its fields point
/// into the line being parsed (see `ByteField`).
public struct EdgeRecord {
    /// When the edge received the request (access logs: the time written), UTC microseconds.
    public var timeUs: Int64
    /// The HTTP status sent to the client (521, 200, …). 0 when the log has none (CloudFront `000`).
    public var status: Int
    /// The status the origin returned, -1 when unknown; 0 = no HTTP response from the origin.
    public var originStatus: Int = -1
    public var host: ByteField = .empty
    /// Edge location code (Cloudflare `EdgeColoCode`, CloudFront `x-edge-location` prefix).
    public var colo: ByteField = .empty
    /// `http` or `https` when known.
    public var scheme: ByteField = .empty
    /// The origin IP the edge connected to, when logged.
    public var originIP: ByteField = .empty
    /// Path without the query string where the log keeps them apart, else the URI.
    public var path: ByteField = .empty
    public var method: ByteField = .empty
    /// Cloudflare Ray ID / CloudFront request id.
    public var requestID: ByteField = .empty
    public var clientIP: ByteField = .empty
    /// The edge server's address toward the origin (what the origin firewall sees as SRC).
    public var edgeServerIP: ByteField = .empty
    /// CloudFront `x-edge-detailed-result-type` (`OriginConnectError`, …).
    public var detail: ByteField = .empty
    /// Logpush `SampleInterval` (1 = every request logged). Counts are scaled by it.
    public var sampleInterval: Int = 1

    public init(timeUs: Int64, status: Int) {
        self.timeUs = timeUs
        self.status = status
    }

    /// True when the edge could not connect to the origin: Cloudflare 521, or CloudFront's
    /// `OriginConnectError`.
    public var isOriginConnectFailure: Bool {
        status == 521 || detail.equals("OriginConnectError")
    }
}

/// A program that a format implies when the line itself does not name one (an nginx error log
/// line is nginx's even though the line never says so).
public enum ImpliedProgram: UInt8, Sendable {
    case none, nginx, apache, phpFpm, fail2ban, vpcFlow, kernel
}

/// One origin-side log entry (error log line, syslog line, journal entry). Borrowed.
public struct OriginRecord {
    /// UTC microseconds; `OriginRecord.noTime` when the line has no timestamp of its own
    /// (Apache/nginx startup lines, php-fpm child lines): the pipeline then uses the previous
    /// record's time.
    public var timeUs: Int64
    /// Host name (syslog HOST, journal `_HOSTNAME`).
    public var hostname: ByteField = .empty
    /// Program: syslog TAG, journal `SYSLOG_IDENTIFIER` (or `_COMM`).
    public var ident: ByteField = .empty
    /// The program the format implies when `ident` is empty.
    public var implied: ImpliedProgram = .none
    /// Process id, -1 when unknown.
    public var pid: Int = -1
    /// Syslog severity 0 (emerg) … 7 (debug); -1 when unknown. Error-log levels map onto it.
    public var severity: Int = -1
    /// The message text (for nginx/Apache/php-fpm: everything after the level/pid prefix).
    public var message: ByteField = .empty
    /// Apache module (`core`, `mpm_event`, …) or other sub-source.
    public var module: ByteField = .empty
    /// Journal `UNIT` (or `USER_UNIT`): the unit a systemd message is about.
    public var unit: ByteField = .empty
    /// Journal `_SYSTEMD_UNIT`: the unit of the sender.
    public var senderUnit: ByteField = .empty
    /// Journal `MESSAGE_ID` (32 lower-case hex digits).
    public var messageID: ByteField = .empty
    /// Journal `EXIT_CODE` (`exited`, `killed`, `dumped`).
    public var exitCode: ByteField = .empty
    /// Journal `EXIT_STATUS`.
    public var exitStatus: ByteField = .empty
    /// Journal `UNIT_RESULT` (`oom-kill`, `exit-code`, …).
    public var unitResult: ByteField = .empty

    public static let noTime = Int64.min

    public init(timeUs: Int64) { self.timeUs = timeUs }
}

/// What a parser made of one line.
public enum ParseOutcome {
    case edge(EdgeRecord)
    case origin(OriginRecord)
    case skip(SkipReason)
}

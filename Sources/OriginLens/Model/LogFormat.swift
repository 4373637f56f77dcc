/// Every input format OriginLens reads. The raw value is the name users type
/// (`--format GLOB=NAME`) and the name shown by `originlens formats`.
public enum LogFormat: String, CaseIterable, Codable, Sendable, Comparable {
    // Edge (CDN) formats
    case cloudflareJSON = "cloudflare-json"
    case cloudflareCSV = "cloudflare-csv"
    case cloudfront = "cloudfront"
    // Access logs (nginx/Apache combined and common). Usually the origin's own access log.
    case accessLog = "access-log"
    // Origin formats
    case nginxError = "nginx-error"
    case apacheError = "apache-error"
    case phpFpm = "php-fpm"
    case journalExport = "journal-export"
    case journalJSON = "journal-json"
    case syslog3164 = "syslog"
    case syslog5424 = "syslog-5424"
    case journalctlText = "journalctl"
    case fail2ban = "fail2ban"
    case vpcFlow = "vpc-flow"
    case pveFirewall = "pve-firewall"
    /// Nothing recognised the file.
    case unknown = "unknown"

    /// What the records of this format describe.
    public var role: FormatRole {
        switch self {
        case .cloudflareJSON, .cloudflareCSV, .cloudfront: return .edge
        case .accessLog: return .access
        case .unknown: return .none
        default: return .origin
        }
    }

    /// Formats whose lines carry local wall-clock time without a zone (read with `--tz`).
    public var usesLocalTimeWithoutZone: Bool {
        switch self {
        case .nginxError, .apacheError, .phpFpm, .syslog3164, .journalctlText, .fail2ban: return true
        default: return false
        }
    }

    public static func < (a: LogFormat, b: LogFormat) -> Bool { a.rawValue < b.rawValue }

    /// Accepts the canonical name and a few common aliases.
    public init?(name: String) {
        let n = name.lowercased()
        if let f = LogFormat(rawValue: n) { self = f; return }
        switch n {
        case "logpush", "cloudflare", "cf-json", "ndjson": self = .cloudflareJSON
        case "cf-csv", "logpush-csv": self = .cloudflareCSV
        case "combined", "common", "access", "nginx-access", "apache-access": self = .accessLog
        case "nginx": self = .nginxError
        case "apache", "httpd", "apache2": self = .apacheError
        case "php-fpm-log", "fpm": self = .phpFpm
        case "export", "journal": self = .journalExport
        case "json-journal", "journald-json": self = .journalJSON
        case "rfc3164", "syslog-3164", "messages", "kern.log": self = .syslog3164
        case "rfc5424": self = .syslog5424
        case "journalctl-short", "short", "short-iso", "short-precise", "short-iso-precise": self = .journalctlText
        case "vpc", "flow", "flow-log": self = .vpcFlow
        case "proxmox", "pve", "proxmox-firewall": self = .pveFirewall
        default: return nil
        }
    }
}

/// The part of the story a format tells.
public enum FormatRole: String, Codable, Sendable {
    /// CDN edge requests (status codes the visitor saw).
    case edge
    /// A web server's access log (requests that reached the origin).
    case access
    /// Origin-side messages: error logs, syslog, journal, firewall.
    case origin
    case none
}

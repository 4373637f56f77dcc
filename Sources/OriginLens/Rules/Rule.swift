/// One entry of the rule catalog: which origin log messages it recognises, what event they mean,
/// and how to find the service and the extra data.
///
/// Rules are plain data (Codable), so users can add their own from JSON. Matching works on the
/// bytes of the record's message; all substring conditions are case-sensitive. A rule matches
/// when every condition that is set holds:
///
/// - `formats`: the record's format is one of these.
/// - `programs`: the record's program — its `ident` (syslog tag, `SYSLOG_IDENTIFIER`) and/or the
///   program its format implies (`nginx`, `apache`, `php-fpm`, `fail2ban`, `vpc-flow`,
///   `kernel`) — matches one of these glob patterns (`*` = any run of bytes). A record with
///   neither ident nor implied program has the program name `""`.
/// - `pids`: the record's pid is one of these, or unknown.
/// - `startsWith`: the message body starts with one of these. The body is the message without
///   leading blanks, a kernel `[  123.456789]` stamp or a `[NOTICE]`-style level tag.
/// - `allOf` (every one), `anyOf` (at least one), `noneOf` (none): substrings of the message.
/// - `messageIDs`, `unitResults`, `exitCodes`: journal `MESSAGE_ID` / `UNIT_RESULT` /
///   `EXIT_CODE` must be one of these **when the record has that field** (plain-text logs lack
///   them and are judged by the text alone).
/// - `require`: named checks that substrings cannot express (see `RuleCondition`).
///
/// The first rule in catalog order that matches wins; a line yields at most one event.
public struct Rule: Codable, Sendable, Hashable {
    /// Stable identifier, `<source>-<what>` (`nginx-bind-failed`). Shown in reports.
    public var id: String
    public var kind: EventKind
    public var severity: EventSeverity
    /// Severity to use instead when the event's address is not a CDN address and its port is
    /// not a web port (firewall and ban rules: a blocked scanner is not an outage).
    public var severityIfUnrelated: EventSeverity?
    /// One-line description of what the rule matches (for docs and `--explain`).
    public var summary: String?
    /// Where the message text is documented (`§4.2`).
    public var reference: String?

    public var formats: [LogFormat]?
    public var programs: [String]?
    public var pids: [Int]?
    public var startsWith: [String]?
    public var allOf: [String]?
    public var anyOf: [String]?
    public var noneOf: [String]?
    public var messageIDs: [String]?
    public var unitResults: [String]?
    public var exitCodes: [String]?
    public var require: [RuleCondition]?

    /// Where to find the service, tried in order; the first that yields a name wins.
    /// Default: `unit`, `unitPrefix`, `implied`, `ident`.
    public var service: [ServiceSource]?
    /// The service name for `ServiceSource.fixed`.
    public var fixedService: String?
    /// When true, a match whose service cannot be named — or whose unit is not a service
    /// (`.scope`, `.target`, `.timer`, …) — is dropped. Used for systemd lifecycle messages,
    /// which otherwise report every session, mount and timer.
    public var requireService: Bool?
    /// Extra data to take from the message (address, port).
    public var extract: Extractor?

    public init(id: String, kind: EventKind, severity: EventSeverity,
                severityIfUnrelated: EventSeverity? = nil,
                summary: String? = nil, reference: String? = nil,
                formats: [LogFormat]? = nil, programs: [String]? = nil, pids: [Int]? = nil,
                startsWith: [String]? = nil, allOf: [String]? = nil, anyOf: [String]? = nil,
                noneOf: [String]? = nil, messageIDs: [String]? = nil, unitResults: [String]? = nil,
                exitCodes: [String]? = nil, require: [RuleCondition]? = nil,
                service: [ServiceSource]? = nil, fixedService: String? = nil,
                requireService: Bool? = nil, extract: Extractor? = nil) {
        self.id = id; self.kind = kind; self.severity = severity
        self.severityIfUnrelated = severityIfUnrelated
        self.summary = summary; self.reference = reference
        self.formats = formats; self.programs = programs; self.pids = pids
        self.startsWith = startsWith; self.allOf = allOf; self.anyOf = anyOf; self.noneOf = noneOf
        self.messageIDs = messageIDs; self.unitResults = unitResults; self.exitCodes = exitCodes
        self.require = require
        self.service = service; self.fixedService = fixedService
        self.requireService = requireService; self.extract = extract
    }

    /// The service sources in effect.
    public var serviceSources: [ServiceSource] {
        service ?? [.unit, .unitPrefix, .implied, .ident]
    }

    /// Why a rule cannot be used; nil when it is fine.
    public var problem: String? {
        if id.isEmpty { return "a rule has an empty id" }
        let texts = (startsWith ?? []) + (allOf ?? []) + (anyOf ?? [])
        if texts.isEmpty && (messageIDs ?? []).isEmpty && (unitResults ?? []).isEmpty
            && (require ?? []).isEmpty {
            return "rule \(id) has no condition on the message (set allOf, anyOf, startsWith, messageIDs or require)"
        }
        if let a = anyOf, a.isEmpty { return "rule \(id): anyOf is empty" }
        if (startsWith ?? []).contains("") || (allOf ?? []).contains("") || (anyOf ?? []).contains("") {
            return "rule \(id): empty substring"
        }
        if serviceSources.contains(.fixed) && (fixedService ?? "").isEmpty {
            return "rule \(id): service source 'fixed' needs fixedService"
        }
        return nil
    }
}

/// Checks a rule can require beyond substrings.
public enum RuleCondition: String, Codable, Sendable, CaseIterable {
    /// systemd `Control process exited, code=…, status=…`: the process was killed or dumped,
    /// or exited with a status other than 0 (journal `EXIT_CODE`/`EXIT_STATUS` when present).
    case processFailed = "process-failed"
    /// nginx `emerg` level: `[emerg]` in the message (stderr copies in the journal) or record
    /// severity 0.
    case emergLevel = "emerg-level"
    /// nginx configuration location: the message ends with ` in /path:N` or ` in command line`.
    case configLocation = "config-location"
    /// Netfilter `LOG` line (`IN=` … `SRC=`) whose prefix contains DROP, REJECT, BLOCK, DENY or DENIED
    /// (any case).
    case denyPrefix = "deny-prefix"
    /// systemd v219 `<unit> failed.` (the whole message).
    case unitFailedV219 = "unit-failed-v219"
}

/// Where a rule finds the service an event concerns.
public enum ServiceSource: String, Codable, Sendable, CaseIterable {
    /// Journal `UNIT`/`USER_UNIT` of the record.
    case unit
    /// A `<unit>: ` (or v219 `<unit> `) prefix of the message: `nginx.service: Failed with …`.
    case unitPrefix = "unit-prefix"
    /// The first word of the message that is a unit name (`… too quickly for nginx.service`).
    case unitInText = "unit-in-text"
    /// systemd job messages: `Started|Stopped|Failed to start|Reloaded … <unit> - <description>.`
    /// or `… <description>.` (mapped through the description table).
    case jobText = "job-text"
    /// A cgroup path: `task_memcg=/system.slice/<unit>`, systemd-oomd `Killed /…/<unit> due to`,
    /// old kernels' `Task in /…/<unit> killed`.
    case cgroup
    /// `(comm)` after `Killed process N`, `Kill process N`, coredump's `Process N`.
    case processComm = "process-comm"
    /// `comm[pid]` of kernel `segfault at` and `traps:` lines.
    case bracketComm = "bracket-comm"
    /// Journal `_SYSTEMD_UNIT` of the sender (not `init.scope` or other scopes).
    case senderUnit = "sender-unit"
    /// The record's ident (syslog tag, `SYSLOG_IDENTIFIER`).
    case ident
    /// The program the format implies (nginx error log → nginx).
    case implied
    /// `Rule.fixedService`.
    case fixed
}

/// Extra data a rule takes from the message.
public enum Extractor: String, Codable, Sendable, CaseIterable {
    /// Netfilter `LOG` layout: address from `SRC=`, port from `DPT=`.
    case netfilter
    /// CSF lfd: the first IP address of the message (after `from `, `IP ` or the `(…)` tag).
    case lfd
    /// fail2ban: the address after `Ban `/`Unban `.
    case fail2ban
    /// AWS VPC flow log (default v2 layout): srcaddr and dstport, and only when the action is
    /// REJECT and dstport is a web port; otherwise the rule does not match.
    case vpcFlow = "vpc-flow"
    /// The client address of an nginx (`client: A`) or Apache (`[client A:P]`) error line.
    case client
}

import ArgumentParser
import Foundation
import OriginLens

@main
struct OriginLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "originlens",
        abstract: "Explain CDN 521 outages from edge and origin logs.",
        discussion: """
        Reads Cloudflare Logpush / CloudFront / access logs and the origin's nginx, Apache, \
        php-fpm, syslog, journal and firewall logs (plain or gzipped, files or directories).

        EXIT STATUS
          0   success: lines that could not be parsed, and inputs that could not be read, \
        are counted and reported, not fatal
          1   nothing could be written: no input could be read, or the output failed \
        (--out never replaces one of the inputs)
          64  usage error: unknown option, bad value
        """,
        version: "0.1.0",
        subcommands: [AnalyzeCommand.self, WeeklyCommand.self, FormatsCommand.self, EventsCommand.self, TemplatesCommand.self]
    )
}

/// Options shared by every command that reads logs.
struct InputOptions: ParsableArguments {
    @Argument(help: "Log files or directories (walked recursively; hidden files skipped); - for stdin. A pipe given by name (<(zcat x.gz), a FIFO) is read like stdin; a FIFO nobody writes to is skipped after 10 s.")
    var paths: [String] = []

    @Option(name: .long, help: "Zone of logs written in local time without an offset (nginx/Apache/php-fpm error logs, RFC 3164 syslog): an IANA name such as Europe/Berlin, or ±HH:MM. Default UTC.")
    var tz: String = "UTC"

    @Option(name: .long, help: "Year of the first line of yearless logs (RFC 3164 syslog, journalctl short). Default: from the rotation suffix or the file's modification time.")
    var year: Int?

    @Option(name: .customLong("format"), help: ArgumentHelp("Read files matching GLOB as FORMAT (repeatable), e.g. 'edge/*.gz=cloudflare-json'.", valueName: "GLOB=FORMAT"))
    var formats: [String] = []

    @Option(name: .long, help: "Longest line kept, in bytes; longer lines are counted as too-long and skipped.")
    var maxLineBytes: Int = 1 << 20

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one log file or directory (or - for stdin)") }
        if TimeZoneSpec(parsing: tz) == nil {
            throw ValidationError("unknown time zone '\(tz)': use an IANA name such as Europe/Berlin, or an offset such as +01:00")
        }
        if maxLineBytes < 64 { throw ValidationError("--max-line-bytes must be at least 64") }
        if let y = year, !(1970...2200).contains(y) { throw ValidationError("--year must be between 1970 and 2200") }
        for f in formats { do { _ = try FormatOverride(parsing: f) } catch { throw ValidationError("\(error)") } }
    }

    func scanOptions() throws -> ScanOptions {
        var o = ScanOptions()
        o.zone = TimeZoneSpec(parsing: tz) ?? .utc
        o.year = year
        o.maxLineBytes = maxLineBytes
        o.formatOverrides = try formats.map { try FormatOverride(parsing: $0) }
        return o
    }
}

/// `--redact`, shared by the commands that print log content.
struct RedactOption: ParsableArguments {
    @Flag(name: .long, help: "Mask client IP addresses, e-mail addresses, query strings, cookies and tokens in the output (Cloudflare's and the origin's addresses stay readable).")
    var redact = false
}

/// `--quiet`: shared by the commands that read whole inputs before writing (analyze, weekly,
/// formats).
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "Show no progress on standard error (it is shown only when standard error is a terminal).")
    var quiet = false

    /// A progress line on stderr when it is a terminal and --quiet is not given; nil otherwise
    /// (cron, pipes, redirections).
    func reporter() -> ReadProgress? {
        quiet || isatty(2) == 0 ? nil : ReadProgress.standardError()
    }
}

/// Diagnostics go to stderr, cleaned of terminal escapes and control characters (they may
/// quote log lines).
func warn(_ message: String) {
    FileHandle.standardError.write(Data(("originlens: " + TerminalText.clean(message) + "\n").utf8))
}

/// Parses `--since`/`--until`: RFC 3339 (`2026-11-24T10:00:00Z`, offsets allowed), a date
/// (`2026-11-24`, midnight UTC), or a Unix time in seconds.
func parseTimeArgument(_ text: String, name: String) throws -> Int64 {
    if let secs = Int64(text) { return secs * 1_000_000 }
    var t = text
    if t.count == 10 { t += "T00:00:00Z" }
    if t.count == 19 { t += "Z" }
    let r = UnsafeRawBufferPointer.withBytes(of: t) { CivilTime.parseISO($0, at: 0) }
    guard let r, r.end == t.utf8.count else {
        throw ValidationError("\(name) takes an RFC 3339 time such as 2026-11-24T10:00:00Z, a date, or Unix seconds; got '\(text)'")
    }
    return r.us
}

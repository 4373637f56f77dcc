import Foundation

/// Turns the many spellings of a service (unit names, syslog idents, kernel `comm`s, systemd
/// unit descriptions) into one name per service:
///
/// - `nginx`: `nginx`, `nginx.service`, `nginx-debug`;
/// - `apache`: `apache2`, `httpd`, `apachectl`, `apache2ctl`, `apache2.service`,
///   `httpd.service`, `apache2@site.service`;
/// - `php-fpm`: anything starting with `php` that contains `fpm` (`php8.2-fpm`, `php-fpm8.2`,
///   `php7.4-fpm.service`, `php-fpm.service`, `php74-php-fpm`);
/// - names given by the user (`extraServices`) are recognised as they are, ignoring case;
/// - any other unit keeps its name without the `.service` (or other unit-type) suffix
///   (`mysql.service` → `mysql`), any other program its name.
public struct ServiceNames: Sendable {
    /// User-named services, as given and lower-cased.
    private let extras: [(name: String, lower: String)]

    public init(extra: [String] = []) {
        extras = extra.filter { !$0.isEmpty }.map { ($0, $0.lowercased()) }
    }

    /// Unit-type suffixes systemd uses.
    public static let unitSuffixes = [".service", ".socket", ".scope", ".slice", ".timer", ".mount",
                                      ".target", ".path", ".swap", ".device", ".automount"]

    /// True for names that look like a systemd unit (`nginx.service`, `session-3.scope`).
    public static func looksLikeUnit(_ s: Substring) -> Bool {
        guard s.count >= 3, s.count <= 256, !s.contains(" "), !s.contains("/"), !s.hasPrefix(".") else { return false }
        return unitSuffixes.contains { s.hasSuffix($0) && s.count > $0.count }
    }

    /// True for units that are services (or sockets that start them): lifecycle messages of
    /// other unit types (sessions, mounts, timers, targets) are noise here.
    public static func isServiceUnit(_ unit: String) -> Bool {
        unit.hasSuffix(".service") || unit.hasSuffix(".socket")
    }

    /// Normalised service name from a unit name, ident, kernel comm or cgroup path; nil for an
    /// empty name.
    public func normalize(_ name: String) -> String? {
        var s = Substring(name).trimmingCharacters(in: [" ", "\t", ":", "\"", "'"])[...]
        if let slash = s.lastIndex(of: "/") { s = s[s.index(after: slash)...] }
        for suffix in ServiceNames.unitSuffixes where s.hasSuffix(suffix) && s.count > suffix.count {
            s = s.dropLast(suffix.count)
            break
        }
        if s.isEmpty { return nil }
        let lower = s.lowercased()
        for e in extras where e.lower == lower { return e.name }
        // Template instances (`apache2@site`) map by their template name.
        let base = lower.split(separator: "@", maxSplits: 1).first.map(String.init) ?? lower
        if let known = ServiceNames.webService(base) { return known }
        for e in extras where e.lower == base { return e.name }
        return String(s)
    }

    /// `nginx`, `apache` or `php-fpm` for a lower-cased program/unit base name, else nil.
    static func webService(_ base: String) -> String? {
        if base == "nginx" || base == "nginx-debug" { return "nginx" }
        if base.hasPrefix("apache2") || base.hasPrefix("httpd") || base == "apache" || base == "apachectl" {
            return "apache"
        }
        if base.hasPrefix("php") && base.contains("fpm") { return "php-fpm" }
        return nil
    }

    /// Service for a unit `Description=` (systemd job messages without the unit name), from a
    /// small table of packaged descriptions, the user's names, and words that name a web
    /// service (`LSB: starts nginx`). Nil when unknown.
    public func fromDescription(_ description: String) -> String? {
        var d = description.lowercased()
        while d.hasSuffix(".") { d.removeLast() }
        for (text, service) in ServiceNames.descriptions where d.contains(text) { return service }
        // User names, as whole words.
        let words = d.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == "@") })
        // (The built-in names are left to the table: "Apache Kafka" is not Apache httpd.)
        for e in extras where ServiceNames.webService(e.lower) == nil && words.contains(where: { $0 == e.lower }) {
            return e.name
        }
        for w in words {
            let ws = String(w)
            if ws == "apache" { continue }   // "Apache Kafka", "Apache Tomcat"
            if let known = ServiceNames.webService(ws) { return known }
        }
        return nil
    }

    /// Packaged `Description=` texts (lower-cased substrings) → service. See reference §8.3.
    static let descriptions: [(String, String)] = [
        ("a high performance web server and a reverse proxy server", "nginx"),   // Debian/Ubuntu
        ("the nginx http and reverse proxy server", "nginx"),                    // RHEL/Fedora
        ("nginx - high performance web server", "nginx"),                        // nginx.org packages
        ("the apache http server", "apache"),                                    // Debian, RHEL
        ("the apache webserver", "apache"),                                      // SUSE
        ("fastcgi process manager", "php-fpm"),   // "The PHP 8.2 FastCGI Process Manager", RHEL "The PHP FastCGI Process Manager"
    ]
}

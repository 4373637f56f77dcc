import Foundation
import GRDB

/// One day of edge traffic as recorded in the history (UTC day).
public struct HistoryDay: Sendable, Equatable, Codable {
    /// The site the numbers belong to (`--site`, `default` unless given).
    public var site: String
    /// `YYYY-MM-DD` (UTC).
    public var day: String
    public var requests: Int64
    public var errors521: Int64
    public var other52x: Int64
    public var other5xx: Int64
    /// Minutes with at least one 52x response.
    public var minutes52x: Int
    /// Minutes and hours that had edge records at all (how complete the day was).
    public var minutesWithData: Int
    public var hoursWithData: Int

    public var errors5xx: Int64 { errors521 + other52x + other5xx }

    public init(site: String, day: String, requests: Int64, errors521: Int64, other52x: Int64, other5xx: Int64,
                minutes52x: Int, minutesWithData: Int, hoursWithData: Int) {
        self.site = site; self.day = day; self.requests = requests; self.errors521 = errors521
        self.other52x = other52x; self.other5xx = other5xx; self.minutes52x = minutes52x
        self.minutesWithData = minutesWithData; self.hoursWithData = hoursWithData
    }
}

/// One incident as recorded in the history.
public struct HistoryIncident: Sendable, Equatable, Codable {
    public var site: String
    /// `OL-YYYYMMDD-HHMM`.
    public var id: String
    /// First 521, UTC microseconds.
    public var startUs: Int64
    public var durationSeconds: Int
    public var errors521: Int64
    public var requests: Int64
    public var category: String
    public var mechanism: String
    public var service: String?
    public var confidence: Double
    /// The host and colo with the most 521s (schema v2; nil in rows recorded by v1).
    public var topHost: String?
    public var topColo: String?

    public init(site: String, id: String, startUs: Int64, durationSeconds: Int, errors521: Int64, requests: Int64,
                category: String, mechanism: String, service: String?, confidence: Double,
                topHost: String? = nil, topColo: String? = nil) {
        self.site = site; self.id = id; self.startUs = startUs; self.durationSeconds = durationSeconds
        self.errors521 = errors521; self.requests = requests; self.category = category; self.mechanism = mechanism
        self.service = service; self.confidence = confidence; self.topHost = topHost; self.topColo = topColo
    }
}

/// Why the history could not be used. The report is written from the logs alone.
public enum HistoryError: Error, CustomStringConvertible, Equatable {
    case locked(path: String)
    case corrupt(path: String, detail: String)
    case newer(path: String, detail: String)
    case foreign(path: String)
    case cannotOpen(path: String, detail: String)

    public var description: String {
        switch self {
        case .locked(let p):
            return "history \(p) is locked by another process (another originlens run?); the report is written from the logs alone and this run is not recorded"
        case .corrupt(let p, let d):
            return "history \(p) is not a readable SQLite database (\(d)); the report is written from the logs alone. Move the file aside to start a new history, or pass --history FILE / --no-history"
        case .newer(let p, let d):
            return "history \(p) was written by a newer originlens (\(d)); it is left untouched and the report is written from the logs alone. Upgrade originlens, or pass --history FILE / --no-history"
        case .foreign(let p):
            return "history \(p) is an SQLite database of another program; it is left untouched and the report is written from the logs alone. Pass --history FILE to choose another file"
        case .cannotOpen(let p, let d):
            return "cannot open history \(p): \(d); the report is written from the logs alone"
        }
    }
}

/// The reliability history: per-day aggregates and incidents of every `weekly` and `analyze`
/// run, in SQLite through GRDB. Recording is idempotent: a day is keyed by (site, day), an
/// incident by (site, id); recording the same logs again replaces the rows, it never adds.
/// A day recorded from fewer minutes of edge data never replaces one recorded from more.
public final class History: Sendable {
    /// The schema this build writes (`PRAGMA user_version` after migrating); the number of migrations.
    public static let schemaVersion = 2

    public let path: String
    let queue: DatabaseQueue

    /// `$XDG_STATE_HOME/originlens/history.sqlite`, or `~/.local/state/originlens/history.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let x = environment["XDG_STATE_HOME"], x.hasPrefix("/") {
            return x + "/originlens/history.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/originlens/history.sqlite"
    }

    /// The migrations, in order. Never change a registered migration: add a new one.
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE day (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    requests INTEGER NOT NULL,
                    errors521 INTEGER NOT NULL,
                    other52x INTEGER NOT NULL,
                    other5xx INTEGER NOT NULL,
                    minutes52x INTEGER NOT NULL,
                    minutesWithData INTEGER NOT NULL,
                    hoursWithData INTEGER NOT NULL,
                    recordedAt TEXT NOT NULL,
                    PRIMARY KEY (site, day)
                );
                CREATE TABLE incident (
                    site TEXT NOT NULL,
                    id TEXT NOT NULL,
                    startUs INTEGER NOT NULL,
                    durationSeconds INTEGER NOT NULL,
                    errors521 INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    mechanism TEXT NOT NULL,
                    service TEXT,
                    confidence REAL NOT NULL,
                    recordedAt TEXT NOT NULL,
                    PRIMARY KEY (site, id)
                );
                """)
        }
        // v2: the most affected host and colo of each incident (for recurrence by host), and an
        // index for the time-range queries of trends and recurrence.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE incident ADD COLUMN topHost TEXT;
                ALTER TABLE incident ADD COLUMN topColo TEXT;
                CREATE INDEX incident_site_start ON incident (site, startUs);
                """)
        }
        return m
    }

    /// Opens (creating the file and its directory when missing) and migrates the history.
    /// Throws `HistoryError` for a locked, corrupt, newer or foreign file; never modifies one.
    /// `busyTimeout`: how long to wait for another process's lock, in seconds.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        let dir = PathText.deletingLastComponent(path)
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw HistoryError.cannotOpen(path: path, detail: "cannot create \(dir): \(error.localizedDescription)")
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "originlens-history"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = History.migrator
            try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > History.schemaVersion {
                    throw HistoryError.newer(path: path, detail: "schema version \(version); this version knows up to \(History.schemaVersion)")
                }
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if !tables.isEmpty && !tables.contains("grdb_migrations") { throw HistoryError.foreign(path: path) }
                if tables.contains("grdb_migrations") {
                    let applied = try migrator.appliedIdentifiers(db)
                    let unknown = applied.subtracting(migrator.migrations).sorted()
                    if !unknown.isEmpty {
                        throw HistoryError.newer(path: path, detail: "unknown schema migrations \(unknown.joined(separator: ", "))")
                    }
                }
            }
            try migrator.migrate(queue)
            try queue.write { db in try db.execute(sql: "PRAGMA user_version = \(History.schemaVersion)") }
        } catch let e as HistoryError {
            throw e
        } catch let e as DatabaseError {
            throw History.map(e, path: path)
        } catch {
            throw HistoryError.cannotOpen(path: path, detail: "\(error)")
        }
    }

    static func map(_ e: DatabaseError, path: String) -> HistoryError {
        switch e.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corrupt(path: path, detail: e.message ?? "file is not a database")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL:
            return .cannotOpen(path: path, detail: e.message ?? "\(e.resultCode)")
        default:
            return .cannotOpen(path: path, detail: e.message ?? "\(e)")
        }
    }

    private func run<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch let e as DatabaseError { throw History.map(e, path: path) }
    }

    /// Records days and incidents (upserts, in one transaction).
    public func record(days: [HistoryDay], incidents: [HistoryIncident], now: Date = Date()) throws {
        let stamp = CivilTime.rfc3339(Int64(now.timeIntervalSince1970) * 1_000_000)
        try run { db in
            for d in days {
                try db.execute(sql: """
                    INSERT INTO day (site, day, requests, errors521, other52x, other5xx, minutes52x, minutesWithData, hoursWithData, recordedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (site, day) DO UPDATE SET
                        requests = excluded.requests, errors521 = excluded.errors521, other52x = excluded.other52x,
                        other5xx = excluded.other5xx, minutes52x = excluded.minutes52x,
                        minutesWithData = excluded.minutesWithData, hoursWithData = excluded.hoursWithData,
                        recordedAt = excluded.recordedAt
                    WHERE excluded.minutesWithData >= day.minutesWithData
                    """, arguments: [d.site, d.day, d.requests, d.errors521, d.other52x, d.other5xx, d.minutes52x,
                                     d.minutesWithData, d.hoursWithData, stamp])
            }
            for i in incidents {
                try db.execute(sql: """
                    INSERT INTO incident (site, id, startUs, durationSeconds, errors521, requests, category, mechanism, service, confidence, topHost, topColo, recordedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (site, id) DO UPDATE SET
                        startUs = excluded.startUs, durationSeconds = excluded.durationSeconds, errors521 = excluded.errors521,
                        requests = excluded.requests, category = excluded.category, mechanism = excluded.mechanism,
                        service = excluded.service, confidence = excluded.confidence, topHost = excluded.topHost,
                        topColo = excluded.topColo, recordedAt = excluded.recordedAt
                    """, arguments: [i.site, i.id, i.startUs, i.durationSeconds, i.errors521, i.requests, i.category,
                                     i.mechanism, i.service, i.confidence, i.topHost, i.topColo, stamp])
            }
        }
    }

    /// Days of `site` with `from <= day < to` (`YYYY-MM-DD`), in order.
    public func days(site: String, from: String, to: String) throws -> [HistoryDay] {
        try run { db in
            try Row.fetchAll(db, sql: "SELECT * FROM day WHERE site = ? AND day >= ? AND day < ? ORDER BY day",
                             arguments: [site, from, to]).map { r in
                HistoryDay(site: r["site"], day: r["day"], requests: r["requests"], errors521: r["errors521"],
                           other52x: r["other52x"], other5xx: r["other5xx"], minutes52x: r["minutes52x"],
                           minutesWithData: r["minutesWithData"], hoursWithData: r["hoursWithData"])
            }
        }
    }

    /// Incidents of `site` that started in `[fromUs, toUs)`, in order.
    public func incidents(site: String, fromUs: Int64, toUs: Int64) throws -> [HistoryIncident] {
        try run { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incident WHERE site = ? AND startUs >= ? AND startUs < ? ORDER BY startUs, id",
                             arguments: [site, fromUs, toUs]).map { r in
                HistoryIncident(site: r["site"], id: r["id"], startUs: r["startUs"], durationSeconds: r["durationSeconds"],
                                errors521: r["errors521"], requests: r["requests"], category: r["category"],
                                mechanism: r["mechanism"], service: r["service"], confidence: r["confidence"],
                                topHost: r["topHost"], topColo: r["topColo"])
            }
        }
    }
}

import Foundation
import GRDB
import Testing
@testable import OriginLens

private func rows(_ path: String) throws -> (days: [HistoryDay], incidents: [HistoryIncident]) {
    let h = try History(path: path)
    return (try h.days(site: "default", from: "0000", to: "9999"), try h.incidents(site: "default", fromUs: Int64.min, toUs: Int64.max))
}

private func fileBytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

@Suite struct HistoryTests {
    @Test func recordingTheSameWeekTwiceCountsOnce() throws {
        let dir = TempDir()
        let path = dir.path + "/history.sqlite"
        _ = buildKnownWeek(history: path)
        let first = try rows(path)
        #expect(first.days.map(\.day) == ["2024-01-15", "2024-01-16", "2024-01-18", "2024-01-19", "2024-01-20", "2024-01-21"])
        #expect(first.days.map(\.requests) == [2400, 2700, 2412, 2403, 1200, 2400])
        #expect(first.days[1].errors521 == 300)
        #expect(first.days[4].hoursWithData == 12)
        #expect(first.incidents.map(\.id) == ["OL-20240116-1020"])
        #expect(first.incidents[0].mechanism == "oom-kill")
        #expect(first.incidents[0].topHost == "www.example.com")
        #expect(first.incidents[0].topColo == "FRA")
        _ = buildKnownWeek(history: path)
        let second = try rows(path)
        #expect(second.days == first.days)
        #expect(second.incidents == first.incidents)
        let count = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM day") }
        #expect(count == 6)
    }

    @Test func lessCoverageNeverReplacesMore() throws {
        let dir = TempDir()
        let h = try History(path: dir.path + "/h.sqlite")
        let full = HistoryDay(site: "default", day: "2024-01-16", requests: 2700, errors521: 300, other52x: 0, other5xx: 0,
                              minutes52x: 10, minutesWithData: 34, hoursWithData: 24)
        var part = full
        part.requests = 300; part.minutesWithData = 10; part.hoursWithData = 1
        try h.record(days: [full], incidents: [])
        try h.record(days: [part], incidents: [])
        #expect(try h.days(site: "default", from: "2024", to: "2025") == [full])
        var fixed = full
        fixed.requests = 2800
        try h.record(days: [fixed], incidents: [])
        #expect(try h.days(site: "default", from: "2024", to: "2025") == [fixed])
    }

    @Test func analyzeRunsRecordToo() throws {
        let dir = TempDir()
        let path = dir.path + "/h.sqlite"
        let data = knownWeekDataset()
        let report = PostmortemBuilder.build(data, options: AnalyzeOptions())
        let use = History.recordAnalysis(path: path, site: "default", report: report, data: data, sinceUs: nil, untilUs: nil)
        #expect(use.problem == nil)
        let r = try rows(path)
        // The first record is Monday 00:00 (hour 0 of day 0) — the whole week is covered.
        #expect(r.days.map(\.requests) == [2400, 2700, 2412, 2403, 1200, 2400])
        #expect(r.incidents.map(\.id) == ["OL-20240116-1020"])
        // The weekly run over the same data leaves the same rows.
        _ = buildKnownWeek(history: path)
        let again = try rows(path)
        #expect(again.days == r.days)
        #expect(again.incidents.map(\.id) == r.incidents.map(\.id))
    }

    @Test func migratesFromTheFirstSchema() throws {
        let dir = TempDir()
        let path = dir.path + "/history.sqlite"
        do {
            let q = try DatabaseQueue(path: path)
            try History.migrator.migrate(q, upTo: "v1")
            try q.write { db in
                try db.execute(sql: """
                    INSERT INTO day VALUES ('default', '2024-01-08', 10000, 3, 1, 2, 2, 1440, 24, '2024-01-15T00:00:00Z');
                    INSERT INTO incident VALUES ('default', 'OL-20240108-0300', \(knownWeek.startUs - 7 * 86_400_000_000 + 3 * 3_600_000_000),
                        300, 50, 60, 'firewall', 'firewall-block', NULL, 0.8, '2024-01-15T00:00:00Z');
                    """)
            }
            let cols = try q.read { try $0.columns(in: "incident").map(\.name) }
            #expect(!cols.contains("topHost"))
        }
        let h = try History(path: path)
        let q = try DatabaseQueue(path: path)
        let (applied, version, cols, indexes) = try q.read { db in
            (try History.migrator.appliedMigrations(db), try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try db.columns(in: "incident").map(\.name), try db.indexes(on: "incident").map(\.name))
        }
        #expect(applied == ["v1", "v2"])
        #expect(version == 2)
        #expect(cols.contains("topHost") && cols.contains("topColo"))
        #expect(indexes.contains("incident_site_start"))
        let days = try h.days(site: "default", from: "2024-01-01", to: "2024-02-01")
        #expect(days == [HistoryDay(site: "default", day: "2024-01-08", requests: 10000, errors521: 3, other52x: 1, other5xx: 2,
                                    minutes52x: 2, minutesWithData: 1440, hoursWithData: 24)])
        let inc = try h.incidents(site: "default", fromUs: 0, toUs: Int64.max)
        #expect(inc.count == 1)
        #expect(inc[0].mechanism == "firewall-block")
        #expect(inc[0].topHost == nil)
        // The migrated file works for a new week, and the old incident counts for recurrence.
        let r = buildKnownWeek(history: path).report
        #expect(r.history.status == "recorded")
        #expect(r.trends[6].availabilityPercent == "99.94 %")
        #expect(r.incidents[0].recurrence == nil) // another mechanism
        #expect(try h.incidents(site: "default", fromUs: 0, toUs: Int64.max).map(\.topColo) == [nil, "FRA"])
    }

    @Test func corruptFileGivesAClearMessageAndTheReportStillBuilds() throws {
        let dir = TempDir()
        let path = dir.write("history.sqlite", "this is not an SQLite database, just some text\n" + String(repeating: "x", count: 4000))
        let before = fileBytes(path)
        #expect(throws: HistoryError.self) { try History(path: path) }
        let run = buildKnownWeek(history: path)
        let msg = try #require(run.history.problem)
        #expect(msg.hasPrefix("history \(path) is not a readable SQLite database"))
        #expect(msg.contains("the report is written from the logs alone"))
        #expect(run.report.history.status == "unavailable")
        #expect(run.report.headline.availabilityPercent == "97.66 %")
        #expect(run.report.dataQuality.problems.contains(msg))
        #expect(run.report.trends.count == 8)
        #expect(!run.report.hasTrends)
        #expect(fileBytes(path) == before)
        let md = try TemplateRenderer.render(run.report, template: TemplateRenderer.defaultTemplate("weekly.md.mustache"))
        #expect(md.contains("history: unavailable"))
    }

    @Test func newerSchemaIsLeftUntouched() throws {
        let dir = TempDir()
        // A user_version above ours.
        let p1 = dir.path + "/newer-version.sqlite"
        _ = try History(path: p1)
        try DatabaseQueue(path: p1).write { try $0.execute(sql: "PRAGMA user_version = 9") }
        do {
            _ = try History(path: p1)
            Issue.record("expected an error")
        } catch let e as HistoryError {
            #expect(e == .newer(path: p1, detail: "schema version 9; this version knows up to 2"))
            #expect(e.description.contains("written by a newer originlens"))
        }
        // A migration this build does not know.
        let p2 = dir.path + "/newer-migration.sqlite"
        _ = try History(path: p2)
        try DatabaseQueue(path: p2).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v3-future')") }
        let before = fileBytes(p2)
        let run = buildKnownWeek(history: p2)
        #expect(run.history.problem?.contains("unknown schema migrations v3-future") == true)
        #expect(run.report.history.status == "unavailable")
        #expect(run.report.incidentCount == 1)
        #expect(fileBytes(p2) == before)
    }

    @Test func lockedFileGivesAClearMessage() throws {
        let dir = TempDir()
        let path = dir.path + "/h.sqlite"
        _ = try History(path: path)
        let holder = try DatabaseQueue(path: path)
        // Another connection holds an exclusive lock while this one tries (GRDB wants the
        // transaction closed before the closure returns).
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION")
            do {
                _ = try History(path: path, busyTimeout: 0.1)
                Issue.record("expected an error")
            } catch let e as HistoryError {
                #expect(e == .locked(path: path))
            }
            let run = buildKnownWeek(history: path)
            #expect(run.history.problem?.contains("is locked by another process") == true)
            #expect(run.report.headline.requests == 13_515)
            try db.execute(sql: "ROLLBACK")
        }
    }

    @Test func anotherProgramsDatabaseIsNotTouched() throws {
        let dir = TempDir()
        let path = dir.path + "/other.sqlite"
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE notes (t TEXT)") }
        #expect(throws: HistoryError.foreign(path: path)) { try History(path: path) }
    }

    @Test func defaultPath() {
        #expect(History.defaultPath(environment: ["XDG_STATE_HOME": "/var/state", "HOME": "/home/u"]) == "/var/state/originlens/history.sqlite")
        #expect(History.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/originlens/history.sqlite")
        // A relative XDG_STATE_HOME is ignored, as the XDG spec says.
        #expect(History.defaultPath(environment: ["XDG_STATE_HOME": "state", "HOME": "/home/u"]) == "/home/u/.local/state/originlens/history.sqlite")
    }

    @Test func disabledHistory() {
        let run = buildKnownWeek(history: nil)
        #expect(run.history == .disabled)
        #expect(run.report.history.status == "disabled")
        #expect(run.report.headline.comparison == "no history to compare with")
    }
}

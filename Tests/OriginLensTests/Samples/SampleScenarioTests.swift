import Foundation
import Testing
@testable import OriginLens

/// The bundled scenarios: each analysis must give the checked-in report and the known cause.
@Suite struct SampleScenarioTests {
    struct Truth: Sendable, CustomStringConvertible {
        var name: String
        var incident: String?
        var start: String?
        var end: String?
        var category: String?
        var mechanism: String?
        var service: String?
        var description: String { name }
    }

    static let truths: [Truth] = [
        Truth(name: "oom-kill", incident: "OL-20260311-2041", start: "2026-03-11T20:41:12Z", end: "2026-03-11T20:45:16Z",
              category: "service-down", mechanism: "oom-kill", service: "nginx"),
        Truth(name: "firewall-partial", incident: "OL-20260618-0857", start: "2026-06-18T08:57:04Z", end: "2026-06-18T09:28:35Z",
              category: "firewall", mechanism: "firewall-block", service: "csf"),
        Truth(name: "config-error", incident: "OL-20260903-1002", start: "2026-09-03T10:02:12Z", end: "2026-09-03T10:21:41Z",
              category: "service-down", mechanism: "config-error", service: "nginx"),
        Truth(name: "listen-localhost", incident: "OL-20261110-0804", start: "2026-11-10T08:04:36Z", end: "2026-11-10T08:19:50Z",
              category: "listener", mechanism: "listen-address", service: "nginx"),
        Truth(name: "https-no-listener", incident: "OL-20260722-1531", start: "2026-07-22T15:31:14Z", end: "2026-07-22T15:53:40Z",
              category: "listener", mechanism: "port-closed", service: nil),
        Truth(name: "quiet-week"),
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    func analyze(_ name: String) -> PostmortemReport {
        var scan = ScanOptions()
        scan.zone = .named("Europe/Berlin")
        scan.year = 2026
        var opts = AnalyzeOptions()
        opts.zone = scan.zone
        // Relative paths, as in the README's command, so the report matches the checked-in one.
        let (report, _) = Analyzer.run(paths: [Self.root + "/samples/" + name], scan: scan, options: opts)
        return report
    }

    func relative(_ s: String) -> String { s.replacingOccurrences(of: Self.root + "/", with: "") }

    @Test(arguments: truths)
    func scenarioGivesItsKnownCause(_ t: Truth) throws {
        let r = analyze(t.name)
        guard let id = t.incident else {
            #expect(r.incidentCount == 0)
            #expect(r.stray521 > 0)
            return
        }
        #expect(r.incidentCount == 1)
        let i = try #require(r.incidents.first)
        #expect(i.id == id)
        #expect(i.start == t.start)
        #expect(i.end == t.end)
        #expect(i.cause.category == t.category)
        #expect(i.cause.mechanism == t.mechanism)
        #expect(i.cause.service == t.service)
        #expect(i.cause.confidence >= 0.6)
        #expect(!i.evidence.isEmpty || t.mechanism == "port-closed")
    }

    @Test(arguments: truths)
    func scenarioMatchesItsExpectedReport(_ t: Truth) throws {
        let r = analyze(t.name)
        let md = relative(try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache")))
        let expected = try String(contentsOfFile: Self.root + "/samples/\(t.name).expected.md", encoding: .utf8)
        #expect(md == expected, "samples/\(t.name): the report changed; review with scripts/make-expected.sh and git diff")
        let json = relative(Analyzer.json(r))
        let expectedJSON = try String(contentsOfFile: Self.root + "/samples/\(t.name).expected.json", encoding: .utf8)
        #expect(json == expectedJSON)
        guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
        #expect(html.contains("<table>"))
        #expect(!html.contains("<script"))
    }
}

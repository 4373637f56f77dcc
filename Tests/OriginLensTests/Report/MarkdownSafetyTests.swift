import Testing
@testable import OriginLens

/// Hostile log content that must neither break nor inject into the Markdown.
let hostilePayloads: [String] = [
    "```\nfenced```` break",
    "a | b | c",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](http://evil.example/)",
    "![pixel](http://evil.example/p.png)",
    "{{title}} {{{chart}}} {{#incidents}}x{{/incidents}}",
    "\u{1B}[31mred\u{1B}[0m and \u{1B}]0;title\u{07}",
    "abc\u{202E}txt.exe",
    "visit http://evil.example and www.evil.example or mail root@evil.example",
    "# heading\n- list\n> quote",
    "*bold* _em_ ~~strike~~ \\ backslash &amp; &lt;b&gt;",
    String(repeating: "A", count: 5000),
]

@Suite struct MarkdownSafetyTests {
    @Test func escapedTextCannotInject() throws {
        for payload in hostilePayloads {
            let md = "Text: " + MarkdownText.escape(payload) + "\n\n| a | b |\n|---|---|\n| " + MarkdownText.escape(payload) + " | end |\n"
            guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
            #expect(!html.contains("<script"), "\(payload)")
            #expect(!html.contains("<img"), "\(payload)")
            #expect(!html.contains("<a "), "\(payload)")
            #expect(!html.contains("<h1"), "\(payload)")
            #expect(!html.contains("<del"), "\(payload)")
            #expect(!html.contains("<em"), "\(payload)")
            #expect(!html.contains("\u{1B}"), "\(payload)")
            #expect(!html.contains("\u{202E}"), "\(payload)")
            // The table keeps exactly two cells per row.
            #expect(html.components(separatedBy: "<td>").count - 1 == 2, "\(payload)")
        }
    }

    @Test func fencedBlocksHoldAnything() throws {
        for payload in hostilePayloads {
            let md = "before\n\n" + MarkdownText.fenced(payload) + "\n\nafter\n"
            guard let html = cmarkGFM(md) else { Issue.record(Comment(rawValue: cmarkMissing)); return }
            #expect(html.contains("<p>after</p>"), "\(payload)")
            #expect(html.components(separatedBy: "<pre>").count - 1 == 1, "\(payload)")
            #expect(!html.contains("<script"))
        }
    }

    @Test func escapeKeepsOrdinaryTextReadable() {
        #expect(MarkdownText.escape("nginx was killed at 10:23:44") == "nginx was killed at 10:23:44")
        #expect(MarkdownText.escape("a|b") == "a\\|b")
        #expect(MarkdownText.escape("x@y.com") == "`x@y.com`")
        #expect(MarkdownText.escape("line1\nline2") == "line1 line2")
        #expect(MarkdownText.clean("\u{1B}[1;31mERR\u{1B}[0m") == "ERR")
    }

    @Test func fenceIsLongerThanAnyBacktickRun() {
        let f = MarkdownText.fenced("a ```` b")
        #expect(f.hasPrefix("`````text\n"))
        #expect(f.hasSuffix("\n`````"))
    }
}

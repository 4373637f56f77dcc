import Mustache

/// Making text from logs safe inside Markdown: no raw HTML, no links or images, no broken
/// tables, no terminal escapes or direction overrides.
public enum MarkdownText {
    /// Removes ANSI escape sequences, other control characters (newlines and tabs become
    /// spaces) and bidirectional-override characters (see `TerminalText.clean`).
    public static func clean(_ s: String) -> String { TerminalText.clean(s) }

    /// Escapes text for inline Markdown (paragraphs, list items and table cells): Markdown and
    /// HTML punctuation is backslash-escaped, `|` cannot split a table cell, URLs and e-mail
    /// addresses cannot become links.
    public static func escape(_ s: String) -> String {
        let c = clean(s)
        var out = ""
        out.reserveCapacity(c.utf8.count + 8)
        // Words holding `@`, `://` or `www.` become code spans: GFM turns them into links
        // whatever the escapes.
        var first = true
        for word in c.split(separator: " ", omittingEmptySubsequences: false) {
            if !first { out.append(" ") }
            if word.contains("@") || word.contains("://") || word.lowercased().contains("www.") {
                // Trailing sentence punctuation stays outside the code span.
                var core = Substring(word)
                var tail = ""
                while let last = core.last, ",.;:)!?".contains(last) { tail = String(last) + tail; core = core.dropLast() }
                out += codeSpan(String(core))
                escapeWord(Array(tail.unicodeScalars), atStart: false, into: &out)
            } else {
                escapeWord(Array(word.unicodeScalars), atStart: first, into: &out)
            }
            first = false
        }
        return out
    }

    private static func escapeWord(_ scalars: [Unicode.Scalar], atStart: Bool, into out: inout String) {
        for (i, u) in scalars.enumerated() {
            switch u {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "&", "!", "{", "}", "$":
                out.append("\\"); out.unicodeScalars.append(u)
            case "-" where i == 0 && atStart, "+" where i == 0 && atStart, "=" where i == 0 && atStart:
                out.append("\\"); out.unicodeScalars.append(u)
            default:
                out.unicodeScalars.append(u)
            }
        }
    }

    /// `text` as an inline code span (a fence longer than any backtick run; `|` escaped so that
    /// table cells do not split).
    public static func codeSpan(_ text: String) -> String {
        var longest = 0, run = 0
        for ch in text.unicodeScalars {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let body = text.replacingOccurrences(of: "|", with: "\\|")
        let pad = body.hasPrefix("`") || body.hasSuffix("`") ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A fenced code block holding `s` (control characters removed, lines kept); the fence is
    /// longer than any run of backticks in the text.
    public static func fenced(_ s: String) -> String {
        var lines: [String] = []
        for raw in s.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(clean(String(raw)))
        }
        let body = lines.joined(separator: "\n")
        var longest = 0, run = 0
        for ch in body.unicodeScalars {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "text\n" + body + "\n" + fence
    }

    /// Cuts `s` to `n` characters with an ellipsis.
    public static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n)) + "…"
    }
}

/// The Mustache content type of the Markdown templates: `{{x}}` is escaped for Markdown.
public struct MarkdownContentType: MustacheContentType {
    public init() {}
    public func escapeText(_ text: String) -> String { MarkdownText.escape(text) }
}

import Foundation
import Mustache

/// Renders report models through Mustache templates. `{{x}}` is escaped for Markdown (see
/// `MarkdownText.escape`); `{{{x}}}` inserts text as it is (for the pre-built `block` and
/// `chart` fields).
public enum TemplateRenderer {
    public struct TemplateError: Error, CustomStringConvertible {
        public var description: String
    }

    private static let registered: Bool = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        return true
    }()

    /// The default template named `name` (`postmortem.md.mustache`, `weekly.md.mustache`).
    public static func defaultTemplate(_ name: String) -> String {
        DefaultTemplates.all[name] ?? ""
    }

    /// Renders `object` with the template text. Unless the template sets its own
    /// `{{% CONTENT_TYPE: … }}`, values are escaped for Markdown.
    public static func render(_ object: Any, template text: String, name: String = "template") throws -> String {
        try compile(text, name: name).render(object)
    }

    /// A parsed template, for rendering many objects with one template (fuzzing, tests).
    public struct Compiled: @unchecked Sendable {
        let template: MustacheTemplate
        public func render(_ object: Any) -> String { template.render(object) }
    }

    /// Parses a template once (see `render(_:template:name:)`).
    public static func compile(_ text: String, name: String = "template") throws -> Compiled {
        _ = registered
        let source = text.contains("CONTENT_TYPE") ? text : "{{% CONTENT_TYPE: MARKDOWN }}\n" + text
        do {
            return Compiled(template: try MustacheTemplate(string: source))
        } catch {
            throw TemplateError(description: "cannot parse template \(name): \(error)")
        }
    }

    /// Reads a user's template file.
    public static func load(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(description: "cannot read template \(path): no such file or not readable")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes the default templates into `dir` (created if needed); returns the paths written.
    public static func dump(to dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in DefaultTemplates.all.sorted(by: { $0.key < $1.key }) {
            let path = PathText.appending(dir, name)
            let w = try OutputWriter(path: path)
            w.write(text)
            try w.commit()
            written.append(path)
        }
        return written
    }
}

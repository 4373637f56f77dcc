import Foundation

/// Renders Markdown to HTML with the real GFM renderer (Debian's cmark-gfm, installed by
/// .ci/run). Returns nil when the program is missing.
func cmarkGFM(_ markdown: String) -> String? {
    let candidates = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"]
    guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    // `--unsafe` and no `tagfilter`: raw HTML passes through as the most permissive renderer
    // (a wiki) would show it, so that the checks for tags from the logs can fail.
    p.arguments = ["--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tasklist"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    do { try p.run() } catch { return nil }
    let data = Data(markdown.utf8)
    DispatchQueue.global().async {
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: out, as: UTF8.self)
}

let cmarkMissing = "cmark-gfm is not installed: apt-get install -y cmark-gfm (.ci/run does this)"

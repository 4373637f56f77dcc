import Foundation

/// `originlens formats`: what each input file is and how much of it was read.
public struct FormatsReport: Codable, Sendable {
    public var schemaVersion = 1
    public var files: [FileStats]
    public var problems: [InputProblem]

    /// Reads every file of `paths` once (accounting only).
    public static func run(paths: [String], options: ScanOptions) -> FormatsReport {
        let plan = InputPlan.make(paths: paths)
        options.progress?.begin(totalBytes: plan.totalBytes)
        var files: [FileStats] = []
        var problems = plan.problems
        for item in plan.items {
            if item.duplicateOf != nil { files.append(InputPlan.duplicateStats(item)); continue }
            do {
                let sc = try InputPlan.scanner(for: item, options: options)
                do { files.append(try sc.drain()) } catch {
                    let st = sc.failed(error)
                    files.append(st)
                    problems.append(InputProblem(path: item.file.path, message: st.error ?? "\(error)"))
                }
            } catch {
                var s = FileStats(path: item.file.path, format: .unknown)
                s.error = "\(error)"
                files.append(s)
                problems.append(InputProblem(path: item.file.path, message: "\(error)"))
            }
        }
        return FormatsReport(files: files, problems: problems)
    }

    /// Pretty JSON.
    public func json() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(self)) ?? Data("{}".utf8)
        return TerminalText.escapeJSON(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// A fixed-width text table, one row per file, warnings below.
    public func table() -> String {
        let headers = ["FILE", "FORMAT", "GZ", "FAMILY", "LINES", "PARSED", "SKIPPED", "FIRST (UTC)", "LAST (UTC)"]
        var rows: [[String]] = []
        for f in files {
            let skipped = f.skipped.isEmpty ? "0"
                : f.skipped.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let fam = f.family.map { PathText.lastComponent($0) } ?? "-"
            rows.append([f.path, f.error != nil && f.lines == 0 ? "error" : f.duplicateOf != nil ? "duplicate" : f.format.rawValue,
                         f.gzip ? "yes" : "no", fam, String(f.lines), String(f.parsed), skipped,
                         f.firstUs.map { CivilTime.rfc3339($0) } ?? "-", f.lastUs.map { CivilTime.rfc3339($0) } ?? "-"])
        }
        // File names and samples come from the disk and the logs: nothing of them may drive
        // the terminal.
        rows = rows.map { $0.map(TerminalText.clean) }
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        for r in rows { out += line(r) + "\n" }
        let totalLines = files.reduce(0) { $0 + $1.lines }, totalParsed = files.reduce(0) { $0 + $1.parsed }
        out += "\n\(files.count) file(s), \(totalLines) lines, \(totalParsed) parsed, \(totalLines - totalParsed) skipped\n"
        var notes: [String] = []
        for f in files {
            if let e = f.error { notes.append("\(f.path): \(e)") }
            for w in f.warnings { notes.append("\(f.path): \(w)") }
            if !f.mixed.isEmpty {
                notes.append("\(f.path): mixed file, lines read by other parsers: " + f.mixed.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
        }
        for p in problems where !files.contains(where: { $0.path == p.path && $0.error != nil }) { notes.append(p.message) }
        if !notes.isEmpty {
            out += "\nwarnings:\n" + notes.map { "  " + TerminalText.clean($0) }.joined(separator: "\n") + "\n"
        }
        return out
    }
}

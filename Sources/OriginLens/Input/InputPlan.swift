/// The files a command will read, in reading order, with what could not be read.
public struct InputPlan: Sendable {
    public var items: [RotationPlanner.Planned]
    public var problems: [InputProblem]

    /// Expands `paths`, groups rotation families (oldest first) and marks duplicate members.
    public static func make(paths: [String]) -> InputPlan {
        let expanded = PathExpander.expand(paths)
        return InputPlan(items: RotationPlanner.plan(expanded.files), problems: expanded.problems)
    }

    /// Files that will be read (duplicates left out).
    public var readable: [RotationPlanner.Planned] { items.filter { $0.duplicateOf == nil } }

    /// On-disk bytes of the files that will be read; 0 (unknown) when standard input is one.
    public var totalBytes: Int64 {
        let r = readable
        return r.contains { $0.file.path == "-" } ? 0 : r.reduce(0) { $0 + $1.file.size }
    }

    /// Opens a scanner for a planned file.
    public static func scanner(for item: RotationPlanner.Planned, options: ScanOptions) throws -> FileScanner {
        let famSize = item.position.family
        return try FileScanner(file: item.file, options: options,
                               family: item.position.index != 0 || item.position.date != 0 || item.position.gzName ? famSize : nil,
                               yearReference: item.position.suffixDate)
    }

    /// Stats for a duplicate that was not read.
    public static func duplicateStats(_ item: RotationPlanner.Planned) -> FileStats {
        var s = FileStats(path: item.file.path, format: .unknown)
        s.duplicateOf = item.duplicateOf
        s.family = item.position.family
        s.gzip = item.position.gzName
        s.warn("same content as \(item.duplicateOf ?? "?"): read once, this copy skipped")
        return s
    }
}

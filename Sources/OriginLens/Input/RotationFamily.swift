import Foundation

/// Where a file stands in its logrotate family.
public struct RotationPosition: Sendable, Equatable, Comparable {
    /// The family: directory plus base name (`/var/log/nginx/error.log`).
    public var family: String
    /// 0 for the live file; N for `.N` suffixes (higher = older).
    public var index: Int
    /// `YYYYMMDD` from a date suffix (`-20261124`, `.2026-11-24`), 0 when none.
    public var date: Int
    /// The name ends in `.gz`.
    public var gzName: Bool

    /// Oldest first: dated members by date, then numbered members from the highest number, then
    /// the live file.
    public static func < (a: RotationPosition, b: RotationPosition) -> Bool {
        func rank(_ p: RotationPosition) -> (Int, Int) {
            if p.date != 0 { return (0, p.date) }
            if p.index != 0 { return (1, -p.index) }
            return (2, 0)
        }
        return rank(a) < rank(b)
    }

    /// Same place in the family (`x.log.1` and `x.log.1.gz`).
    public func samePlace(as o: RotationPosition) -> Bool {
        family == o.family && index == o.index && date == o.date
    }

    /// The reference date (year, month) implied by a date suffix: the file was closed that day.
    public var suffixDate: (year: Int, month: Int)? {
        date == 0 ? nil : (date / 10000, date / 100 % 100)
    }

    /// Reads a path's rotation position from its name.
    public init(path: String) {
        var name = PathText.lastComponent(path)
        let dir = PathText.deletingLastComponent(path)
        gzName = false
        if name.hasSuffix(".gz") { name.removeLast(3); gzName = true }
        index = 0
        date = 0
        if let r = RotationPosition.dateSuffix(name) {
            name = r.base; date = r.date
        } else if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let tail = name[name.index(after: dot)...]
            if !tail.isEmpty, tail.count <= 4, tail.allSatisfy(\.isASCII), tail.allSatisfy(\.isNumber), let n = Int(tail) {
                index = n
                name = String(name[..<dot])
            }
        }
        family = dir.isEmpty ? name : dir + "/" + name
    }

    /// `-20261124`, `.20261124`, `-2026-11-24`, `.2026-11-24`, `_20261124` at the end of a name.
    private static func dateSuffix(_ name: String) -> (base: String, date: Int)? {
        let u = Array(name.utf8)
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from >= 0, from + n <= u.count else { return nil }
            var v = 0
            for i in from..<(from + n) { guard u[i] >= 48 && u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        func isSep(_ i: Int) -> Bool { i >= 1 && (u[i] == 0x2D || u[i] == 0x2E || u[i] == 0x5F) }
        // Compact form YYYYMMDD
        if u.count >= 10, let d = digits(u.count - 8, 8), isSep(u.count - 9) {
            let y = d / 10000, m = d / 100 % 100, day = d % 100
            if (1990...2200).contains(y), (1...12).contains(m), (1...31).contains(day) {
                return (String(decoding: u[..<(u.count - 9)], as: UTF8.self), d)
            }
        }
        // Dashed form YYYY-MM-DD
        if u.count >= 12, isSep(u.count - 11), let y = digits(u.count - 10, 4), u[u.count - 6] == 0x2D,
           let m = digits(u.count - 5, 2), u[u.count - 3] == 0x2D, let day = digits(u.count - 2, 2),
           (1990...2200).contains(y), (1...12).contains(m), (1...31).contains(day) {
            return (String(decoding: u[..<(u.count - 11)], as: UTF8.self), y * 10000 + m * 100 + day)
        }
        return nil
    }
}

/// Orders input files so that each rotation family is read oldest first, and finds members
/// that hold the same content (`x.log.1` beside `x.log.1.gz`).
public enum RotationPlanner {
    public struct Planned: Sendable {
        public var file: InputFile
        public var position: RotationPosition
        /// Set when this file duplicates another (which is read instead): that file's path.
        public var duplicateOf: String?
    }

    /// Groups `files` by family, orders members oldest first, keeps families in the order of
    /// their first appearance, and marks duplicate members (same place in the family and same
    /// decompressed content). `contentHash` computes a file's content fingerprint (injected
    /// for testing; the default reads the file through gzip when needed).
    public static func plan(_ files: [InputFile],
                            contentHash: (InputFile) -> UInt64? = RotationPlanner.defaultHash) -> [Planned] {
        var order: [String] = []
        var groups: [String: [Planned]] = [:]
        for f in files {
            let pos = f.path == "-" ? RotationPosition(path: "-") : RotationPosition(path: f.path)
            if groups[pos.family] == nil { order.append(pos.family) }
            groups[pos.family, default: []].append(Planned(file: f, position: pos))
        }
        var out: [Planned] = []
        for fam in order {
            var members = groups[fam]!
            members.sort { a, b in
                if a.position == b.position { return a.file.path < b.file.path }
                if a.position.samePlace(as: b.position) { return !a.position.gzName && b.position.gzName }
                return a.position < b.position
            }
            // Duplicates: members at the same place in the family.
            var i = 0
            while i < members.count {
                var j = i + 1
                while j < members.count, members[j].position.samePlace(as: members[i].position) { j += 1 }
                if j - i > 1 {
                    let keeperHash = contentHash(members[i].file)
                    for k in (i + 1)..<j {
                        if let h = keeperHash, contentHash(members[k].file) == h {
                            members[k].duplicateOf = members[i].file.path
                        }
                    }
                }
                i = j
            }
            out.append(contentsOf: members)
        }
        return out
    }

    /// FNV-1a over the decompressed content (reads the whole file once).
    public static func defaultHash(_ file: InputFile) -> UInt64? {
        guard !file.stream, let source = try? InputOpener.openSource(path: file.path).source else { return nil }
        var h: UInt64 = 0xcbf29ce484222325
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buf.deallocate() }
        while let n = try? source.read(into: buf), n > 0 {
            for b in UnsafeRawBufferPointer(rebasing: buf[..<n]) {
                h = (h ^ UInt64(b)) &* 0x100000001b3
            }
        }
        return h
    }
}

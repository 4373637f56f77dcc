/// Path string helpers with `NSString`'s meaning, on plain Strings.
///
/// swift-corelibs-foundation (Swift 6.3) traps in `NSString.deletingLastPathComponent` for a
/// one-character path such as `a` or `-` (`String._startOfLastPathComponent`): a file named
/// `a`, standard input (`-`) or `--out r` crashed the program. These do the same work safely.
public enum PathText {
    /// The path without trailing slashes (`/` stays `/`).
    static func trimmed(_ p: String) -> Substring {
        var s = Substring(p)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        return s
    }

    /// `a/b/c.log` → `c.log`; `a/b/` → `b`; `/` → `/`; `x` → `x`.
    public static func lastComponent(_ p: String) -> String {
        let s = trimmed(p)
        if s == "/" { return "/" }
        guard let slash = s.lastIndex(of: "/") else { return String(s) }
        return String(s[s.index(after: slash)...])
    }

    /// `a/b/c.log` → `a/b`; `/x` → `/`; `x` → `` (empty); `a//b` → `a`; `/` → `/`.
    public static func deletingLastComponent(_ p: String) -> String {
        let s = trimmed(p)
        if s == "/" { return "/" }
        guard let slash = s.lastIndex(of: "/") else { return "" }
        var dir = s[..<slash]
        while dir.count > 1, dir.hasSuffix("/") { dir = dir.dropLast() }
        return dir.isEmpty ? "/" : String(dir)
    }

    /// `dir` + `/` + `name` (no doubled slash; an empty `dir` gives `name`).
    public static func appending(_ dir: String, _ name: String) -> String {
        if dir.isEmpty { return name }
        return dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}

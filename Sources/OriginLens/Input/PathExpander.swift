import Foundation

/// One input file found by expanding the user's paths.
public struct InputFile: Sendable, Equatable {
    /// Path as given or as found under a given directory; `-` for standard input.
    public var path: String
    /// File size in bytes (0 for stdin).
    public var size: Int64
    /// Modification time, seconds since the epoch (0 for stdin).
    public var mtime: Int64
    /// Standard input or a pipe: read once, as it streams (never re-opened or hashed).
    public var stream: Bool

    public init(path: String, size: Int64 = 0, mtime: Int64 = 0, stream: Bool = false) {
        self.path = path; self.size = size; self.mtime = mtime; self.stream = stream || path == "-"
    }
}

/// Something in the user's paths that is not a readable log file.
public struct InputProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { message }
}

/// Expands files and directories (recursively, hidden entries skipped, symlink loops detected)
/// into the list of input files.
public enum PathExpander {
    public struct Result: Sendable {
        public var files: [InputFile] = []
        public var problems: [InputProblem] = []
        /// Documentation files met while walking directories (README.md and other `.md`), not read.
        public var ignored: [String] = []
    }

    public static func expand(_ paths: [String]) -> Result {
        var result = Result()
        var seen = Set<String>()          // real paths of files already listed
        for p in paths {
            if p == "-" {
                result.files.append(InputFile(path: "-"))
                continue
            }
            var visiting = Set<String>()  // real paths of directories on the current walk
            walk(p, isTop: true, into: &result, seen: &seen, visiting: &visiting)
        }
        return result
    }

    private static func walk(_ path: String, isTop: Bool, into result: inout Result,
                             seen: inout Set<String>, visiting: inout Set<String>) {
        var st = stat()
        if stat(path, &st) != 0 {
            let e = errno
            var lst = stat()
            if lstat(path, &lst) == 0, (lst.st_mode & S_IFMT) == S_IFLNK {
                let msg = e == ELOOP ? InputError.symlinkLoop(path).description
                    : "skipped \(path): broken symbolic link"
                result.problems.append(InputProblem(path: path, message: msg))
            } else {
                result.problems.append(InputProblem(path: path, message: InputError.fromErrno(e, path: path).description))
            }
            return
        }
        let type = st.st_mode & S_IFMT
        let real = realPath(path) ?? path
        if type == S_IFDIR {
            if visiting.contains(real) {
                result.problems.append(InputProblem(path: path, message: InputError.symlinkLoop(path).description))
                return
            }
            visiting.insert(real)
            defer { visiting.remove(real) }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                result.problems.append(InputProblem(path: path, message: InputError.permissionDenied(path).description))
                return
            }
            let before = result.files.count
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = path.hasSuffix("/") ? path + name : path + "/" + name
                if name.lowercased().hasSuffix(".md") || name.lowercased().hasSuffix(".markdown") {
                    result.ignored.append(child)
                    continue
                }
                walk(child, isTop: false, into: &result, seen: &seen, visiting: &visiting)
            }
            if isTop && result.files.count == before {
                result.problems.append(InputProblem(path: path, message: "no log files found in \(path) (hidden files are skipped)"))
            }
            return
        }
        if type != S_IFREG {
            let kind = type == S_IFIFO ? "a FIFO" : type == S_IFCHR ? "a character device"
                : type == S_IFBLK ? "a block device" : type == S_IFSOCK ? "a socket" : "a special file"
            if isTop && type == S_IFIFO {
                // A pipe given explicitly (`<(zcat x.gz)`, a named FIFO) is read like stdin;
                // FIFOs found inside directories are skipped (nothing may ever write to them).
                result.files.append(InputFile(path: path, stream: true))
            } else {
                result.problems.append(InputProblem(path: path, message: InputError.notRegularFile(path, kind: kind).description))
            }
            return
        }
        if seen.contains(real) { return }
        seen.insert(real)
        result.files.append(InputFile(path: path, size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec)))
    }

    private static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}

import Foundation

/// Where a command's output goes: stdout, or a file written atomically (a temporary file in the
/// same directory, renamed over the target only when complete).
public final class OutputWriter {
    private let target: String?
    private let tempPath: String?
    private let file: UnsafeMutablePointer<FILE>
    private var committed = false

    /// `path` nil or `-`: stdout. Refuses a path that is one of `inputs`, or that is (by
    /// symbolic or hard link too) one of the files found under them: an output never replaces
    /// a log.
    public init(path: String?, inputs: [String] = []) throws {
        guard let path, path != "-" else {
            target = nil; tempPath = nil; file = fdopen(STDOUT_FILENO, "w")
            return
        }
        let real = OutputWriter.realish(path)
        for i in inputs where i != "-" {
            let ri = OutputWriter.realish(i)
            if ri == real {
                throw OptionError("--out \(path) is one of the inputs: refusing to overwrite a log")
            }
        }
        // An existing target may also be a file found inside an input directory, or the file
        // redirected to standard input (`-`).
        var st = stat()
        if inputs.contains("-"), stat(path, &st) == 0 {
            var si = stat()
            if fstat(STDIN_FILENO, &si) == 0, si.st_dev == st.st_dev, si.st_ino == st.st_ino {
                throw OptionError("--out \(path) is the file on standard input (-): refusing to overwrite a log")
            }
        }
        if !inputs.isEmpty, stat(path, &st) == 0 {
            for f in PathExpander.expand(inputs.filter { $0 != "-" }).files {
                var fs = stat()
                if stat(f.path, &fs) == 0, fs.st_dev == st.st_dev, fs.st_ino == st.st_ino {
                    throw OptionError("--out \(path) is the input file \(f.path): refusing to overwrite a log")
                }
            }
        }
        let dir = PathText.deletingLastComponent(path)
        let base = PathText.lastComponent(path)
        var template = Array(((dir.isEmpty ? "." : dir) + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 {
            throw OptionError("cannot write \(path): \(String(cString: strerror(errno))) (check that the directory exists and is writable)")
        }
        tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard let f = fdopen(fd, "w") else {
            close(fd)
            throw OptionError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o644)
        target = path
        file = f
    }

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, file) }
    }

    /// Flushes and, for a file, renames it into place.
    public func commit() throws {
        guard !committed else { return }
        committed = true
        if fflush(file) != 0 { throw OptionError("cannot write output: \(String(cString: strerror(errno)))") }
        guard let target, let tempPath else { return }
        if fsync(fileno(file)) != 0 {}
        fclose(file)
        if rename(tempPath, target) != 0 {
            let e = errno
            unlink(tempPath)
            throw OptionError("cannot write \(target): \(String(cString: strerror(e)))")
        }
    }

    deinit {
        if !committed, let tempPath {
            fclose(file)
            unlink(tempPath)
        }
    }

    private static func realish(_ p: String) -> String {
        if let r = realpath(p, nil) { defer { free(r) }; return String(cString: r) }
        // Not existing yet: resolve the directory.
        let dir = PathText.deletingLastComponent(p)
        let base = PathText.lastComponent(p)
        if let r = realpath(dir.isEmpty ? "." : dir, nil) { defer { free(r) }; return String(cString: r) + "/" + base }
        return p
    }
}

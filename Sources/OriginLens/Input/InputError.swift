import Foundation

/// Problems opening or reading an input. Each says what to do.
public enum InputError: Error, CustomStringConvertible, Equatable, Sendable {
    case notFound(String)
    case permissionDenied(String)
    case isDirectory(String)
    case notRegularFile(String, kind: String)
    case readFailed(String, errno: Int32)
    case symlinkLoop(String)
    /// A named pipe that no program opened for writing within the wait.
    case fifoWithoutWriter(String, seconds: Double)

    public var description: String {
        switch self {
        case .notFound(let p): return "cannot read \(p): no such file or directory (check the path)"
        case .permissionDenied(let p): return "cannot read \(p): permission denied (run as a user in group adm, or with sudo)"
        case .isDirectory(let p): return "cannot read \(p): is a directory"
        case .notRegularFile(let p, let k): return "skipped \(p): \(k), not a regular file (copy the log to a file first)"
        case .readFailed(let p, let e): return "cannot read \(p): \(String(cString: strerror(e)))"
        case .symlinkLoop(let p): return "skipped \(p): symbolic link loop"
        case .fifoWithoutWriter(let p, let s):
            let secs = s == s.rounded() ? String(Int(s)) : String(s)
            return "skipped \(p): a named pipe (FIFO) with no writer after \(secs) s (start the program that writes to it first, or pipe the log into - instead)"
        }
    }

    static func fromErrno(_ e: Int32, path: String) -> InputError {
        switch e {
        case ENOENT: return .notFound(path)
        case EACCES, EPERM: return .permissionDenied(path)
        case EISDIR: return .isDirectory(path)
        case ELOOP: return .symlinkLoop(path)
        default: return .readFailed(path, errno: e)
        }
    }
}

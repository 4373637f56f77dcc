import Foundation
@testable import OriginLens

/// A temporary directory removed when the value is released.
final class TempDir {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/originlens-test-XXXXXX").utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: p!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` (directories created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], mtime: Date? = nil) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        if let mtime { try? FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: full) }
        return full
    }

    @discardableResult
    func write(_ name: String, _ text: String, mtime: Date? = nil) -> String {
        write(name, Array(text.utf8), mtime: mtime)
    }
}

/// Reads all lines of a source as Strings (test helper).
func readLines(_ reader: RecordReader) throws -> [String] {
    var out: [String] = []
    while let l = try reader.next() { out.append(String(decoding: l, as: UTF8.self)) }
    return out
}

/// Reads a whole byte source (test helper).
func readAll(_ source: ByteSource, chunk: Int = 7) throws -> [UInt8] {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buf.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { break }
        out.append(contentsOf: buf[..<n])
    }
    return out
}

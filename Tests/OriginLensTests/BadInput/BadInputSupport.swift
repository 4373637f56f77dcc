import Foundation
import Testing
@testable import OriginLens

/// 2024-01-15T10:00:00Z in seconds: the scenario's hour.
let scenarioT0: Int64 = 1_705_312_800

/// One Cloudflare Logpush `http_requests` line (unix-seconds timestamps), strings JSON-escaped.
func logpushLine(_ secs: Int64, status: Int, originStatus: Int? = nil, host: String = "www.example.com",
                 uri: String = "/", colo: String = "FRA", originIP: String = "198.51.100.20",
                 clientIP: String = "203.0.113.7", scheme: String = "https", ray: String? = nil) -> String {
    var j = JSONLine()
    j.add("ClientIP", clientIP)
    j.add("ClientRequestHost", host)
    j.add("ClientRequestMethod", "GET")
    j.add("ClientRequestURI", uri)
    j.add("ClientRequestScheme", scheme)
    j.add("EdgeColoCode", colo)
    j.add("EdgeStartTimestamp", Int(secs))
    j.add("EdgeResponseStatus", status)
    j.add("OriginResponseStatus", originStatus ?? (status == 521 ? 0 : status))
    j.add("OriginIP", originIP)
    j.add("RayID", ray ?? String(format: "%016llx", UInt64(secs) &* 2_654_435_761 &+ UInt64(status)))
    return j.text
}

/// The edge log of the scenario: 30 requests a minute from 10:00 to 10:40 UTC on 2024-01-15,
/// every one answered 521 from 10:20 to 10:30 (300 of them).
func scenarioEdgeLog() -> String {
    var out = ""
    for m in 0..<40 {
        for k in 0..<30 {
            let t = scenarioT0 + Int64(m * 60 + k * 2)
            out += logpushLine(t, status: (20..<30).contains(m) ? 521 : 200) + "\n"
        }
    }
    return out
}

/// The origin syslog of the scenario: nginx killed by the OOM killer 5 s before the first 521,
/// started again 5 s before the last.
let scenarioSyslog = """
Jan 15 10:19:55 web1 kernel: Out of memory: Killed process 2207 (nginx) total-vm:812344kB, anon-rss:512000kB, file-rss:1024kB, shmem-rss:2048kB, UID:33 pgtables:1400kB oom_score_adj:0
Jan 15 10:29:55 web1 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.

"""

/// mtime for yearless logs of the scenario (the day after).
let scenarioMtime = Date(timeIntervalSince1970: 1_705_400_000)

/// A healthy pair of inputs (edge + origin) written into `dir`; every bad-input case runs beside
/// it to show that the rest of the run is unaffected.
struct Scenario {
    let edge: String
    let origin: String
    var paths: [String] { [edge, origin] }

    init(in dir: TempDir, sub: String = "good") {
        edge = dir.write("\(sub)/edge/logpush-20240115.json", scenarioEdgeLog())
        origin = dir.write("\(sub)/origin/syslog", scenarioSyslog, mtime: scenarioMtime)
    }
}

/// The outcome of `originlens analyze` through the library: the report, what was read, and the
/// exit status the command returns for it.
struct AnalyzeRun {
    var report: PostmortemReport
    var data: Dataset
    var exitStatus: Int32

    func file(_ suffix: String) -> FileStats? { data.files.first { $0.path.hasSuffix(suffix) } }
    func problems(containing s: String) -> [String] { report.problems.filter { $0.contains(s) } }
}

func analyze(_ paths: [String], scan: ScanOptions = ScanOptions(), options: AnalyzeOptions = AnalyzeOptions()) -> AnalyzeRun {
    let (r, d) = Analyzer.run(paths: paths, scan: scan, options: options)
    return AnalyzeRun(report: r, data: d, exitStatus: Analyzer.exitStatus(for: d))
}

/// The scenario's incident is found exactly as without the bad input.
func expectScenarioUnaffected(_ run: AnalyzeRun, sourceLocation: SourceLocation = #_sourceLocation) {
    let r = run.report
    #expect(r.incidentCount == 1, sourceLocation: sourceLocation)
    guard let i = r.incidents.first else { return }
    #expect(i.id == "OL-20240115-1020", sourceLocation: sourceLocation)
    #expect(i.errors521 == 300, sourceLocation: sourceLocation)
    #expect(i.cause.mechanism == "oom-kill", sourceLocation: sourceLocation)
    #expect(i.cause.service == "nginx", sourceLocation: sourceLocation)
    #expect(i.evidence.contains { $0.text.contains("Killed process 2207 (nginx)") }, sourceLocation: sourceLocation)
    if let e = run.file("logpush-20240115.json") {
        #expect(e.lines == 1200 && e.parsed == 1200, sourceLocation: sourceLocation)
    } else {
        Issue.record("the scenario's edge log was not read", sourceLocation: sourceLocation)
    }
    for f in run.data.files { #expect(f.lines == f.parsed + f.skippedTotal, "\(f.path)", sourceLocation: sourceLocation) }
}

/// Writes a large file in chunks (never holding it whole).
func writeStreaming(_ path: String, _ body: (_ emit: (UnsafeRawBufferPointer) -> Void) -> Void) {
    FileManager.default.createFile(atPath: path, contents: nil)
    let fh = FileHandle(forWritingAtPath: path)!
    defer { try? fh.close() }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    body { bytes in
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { fh.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
    }
    if !buffer.isEmpty { fh.write(Data(buffer)) }
}

/// Open file descriptors of this process.
func openFileDescriptors() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// Journal export helpers (reference §7.1).
enum JournalExport {
    static func text(_ name: String, _ value: String) -> [UInt8] { Array("\(name)=\(value)\n".utf8) }

    /// A binary field: name, newline, little-endian 64-bit length, the bytes, newline.
    static func binary(_ name: String, _ value: [UInt8], claimedLength: UInt64? = nil, terminator: Bool = true) -> [UInt8] {
        var out = Array("\(name)\n".utf8)
        var len = (claimedLength ?? UInt64(value.count)).littleEndian
        withUnsafeBytes(of: &len) { out += $0 }
        out += value
        if terminator { out.append(0x0A) }
        return out
    }

    /// A complete entry (ends with the empty line).
    static func entry(realtimeUs: Int64, message: String, identifier: String = "kernel", extra: [UInt8] = []) -> [UInt8] {
        var e: [UInt8] = []
        e += text("__CURSOR", "s=cc5f2af50649468f8d6ba881d4273cdd;i=\(realtimeUs % 1000);b=6c7c6013a26343b29e964691ff25d04c")
        e += text("__REALTIME_TIMESTAMP", String(realtimeUs))
        e += text("__MONOTONIC_TIMESTAMP", "21415080000")
        e += text("_BOOT_ID", "6c7c6013a26343b29e964691ff25d04c")
        e += text("_HOSTNAME", "web1")
        e += text("PRIORITY", "3")
        e += text("SYSLOG_IDENTIFIER", identifier)
        e += extra
        e += text("MESSAGE", message)
        e.append(0x0A)
        return e
    }
}

/// A byte source that delivers `data` and then fails with EIO (a disk error half-way).
final class FailingSource: ByteSource {
    private let data: [UInt8]
    private var offset = 0
    private let failAfter: Int
    var warnings: [String] { [] }
    var consumedBytes: Int64 { Int64(offset) }

    init(_ data: [UInt8], failAfter: Int) { self.data = data; self.failAfter = failAfter }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset >= failAfter { throw InputError.readFailed("injected", errno: EIO) }
        let n = min(buffer.count, min(data.count, failAfter) - offset)
        data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// The built command-line program (`swift build` puts it beside the test bundle).
func originlensBinary() -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    for c in [".build/debug/originlens", ".build/release/originlens"] {
        let p = root.appendingPathComponent(c).path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// Runs the program with a time limit; returns (status, stdout, stderr), or nil when it had to
/// be killed.
/// `stdinPath`: a file given to the program as its standard input.
/// `cwd`: the working directory (relative paths in `args` are read from it).
func runOriginlens(_ args: [String], timeout: Double = 60, stdinPath: String? = nil, cwd: String? = nil) -> (status: Int32, out: String, err: String)? {
    guard let exe = originlensBinary() else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    if let stdinPath {
        guard let fh = FileHandle(forReadingAtPath: stdinPath) else { return nil }
        p.standardInput = fh
    } else {
        p.standardInput = FileHandle.nullDevice
    }
    do { try p.run() } catch { return nil }
    // Drain both pipes while waiting (a full pipe would block the child).
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        group.wait()
        return nil
    }
    p.waitUntilExit()
    group.wait()
    return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

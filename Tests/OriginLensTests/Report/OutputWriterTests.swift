import Foundation
import Testing
@testable import OriginLens

/// `--out` never replaces a log: not a path given as an input, nor a file found under an input
/// directory (by its own name, a symbolic link or a hard link).
@Suite struct OutputWriterTests {
    func contents(_ p: String) -> String? { try? String(contentsOfFile: p, encoding: .utf8) }

    @Test func refusesEveryInputFile() throws {
        let dir = TempDir()
        let log = dir.write("logs/nginx/error.log", "2024/01/15 10:19:50 [alert] 1#1: worker process 1 exited on signal 9\n")
        let inputs = [dir.path + "/logs"]
        // The path given as an input.
        #expect(throws: OptionError.self) { try OutputWriter(path: log, inputs: [log]) }
        // A file found by walking an input directory.
        do {
            _ = try OutputWriter(path: log, inputs: inputs)
            Issue.record("--out over an input file was accepted")
        } catch {
            #expect("\(error)" == "--out \(log) is the input file \(log): refusing to overwrite a log")
        }
        // The same file by another name: a roundabout path, a symbolic link, a hard link.
        #expect(throws: OptionError.self) { try OutputWriter(path: dir.path + "/logs/nginx/../nginx/error.log", inputs: inputs) }
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/report.md", withDestinationPath: log)
        #expect(throws: OptionError.self) { try OutputWriter(path: dir.path + "/report.md", inputs: inputs) }
        #expect(link(log, dir.path + "/hard.md") == 0)
        #expect(throws: OptionError.self) { try OutputWriter(path: dir.path + "/hard.md", inputs: inputs) }
        // Nothing was touched, and no temporary file was left behind.
        #expect(contents(log) == "2024/01/15 10:19:50 [alert] 1#1: worker process 1 exited on signal 9\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/logs/nginx") == ["error.log"])
    }

    @Test func acceptsANewFileBesideTheLogs() throws {
        let dir = TempDir()
        dir.write("logs/error.log", "x\n")
        // Not an input (yet): a new file in the input directory, a hidden one, a file elsewhere.
        for p in [dir.path + "/logs/report.md", dir.path + "/logs/.report.md", dir.path + "/out/report.md"] {
            try? FileManager.default.createDirectory(atPath: dir.path + "/out", withIntermediateDirectories: true)
            let w = try OutputWriter(path: p, inputs: [dir.path + "/logs"])
            w.write("# report\n")
            try w.commit()
            #expect(contents(p) == "# report\n")
        }
        // Overwriting an earlier report that is not a log is fine.
        let again = try OutputWriter(path: dir.path + "/out/report.md", inputs: [dir.path + "/logs"])
        again.write("# second\n")
        try again.commit()
        #expect(contents(dir.path + "/out/report.md") == "# second\n")
    }
}

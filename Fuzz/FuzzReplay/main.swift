// Replays inputs through a fuzz target's harness without libFuzzer, in an ordinary build (debug
// by default: full check messages and backtraces):
//   swift run FuzzReplay TARGET FILE...
import Foundation
import FuzzHarness

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else {
    FileHandle.standardError.write("usage: FuzzReplay TARGET FILE...\ntargets: \(Harness.Target.allCases.map(\.rawValue).joined(separator: " "))\n".data(using: .utf8)!)
    exit(2)
}
let name = args[0].hasPrefix("Fuzz") ? args[0] : "Fuzz" + args[0]
guard let target = Harness.Target(rawValue: name) else {
    FileHandle.standardError.write("unknown target \(args[0])\n".data(using: .utf8)!)
    exit(2)
}
for path in args.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write("cannot read \(path)\n".data(using: .utf8)!)
        exit(1)
    }
    let start = Date()
    let digest = Harness.run(target, [UInt8](data))
    print("\(path): \(data.count) bytes, digest \(String(digest, radix: 16)), \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
}

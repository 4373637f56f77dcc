// libFuzzer target: see docs/fuzzing.md (run with scripts/fuzz.sh FuzzSyslog SECONDS).
import FuzzHarness

nonisolated(unsafe) var sink: UInt64 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    sink ^= Harness.run(.syslog, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

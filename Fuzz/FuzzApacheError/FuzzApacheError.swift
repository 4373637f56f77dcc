// libFuzzer target: see docs/fuzzing.md (run with scripts/fuzz.sh FuzzApacheError SECONDS).
import FuzzHarness

nonisolated(unsafe) var sink: UInt64 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    sink ^= Harness.run(.apacheError, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

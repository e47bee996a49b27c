// Fuzz harness: the FuzzRequests executable. `--write-seeds DIR`, `--write-limit-seeds DIR` and
// `--write-sequence-seeds DIR` write seed corpora; anything else goes to libFuzzer (scripts/fuzz.sh).

import CFuzzDriver
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer's per-input callback; must return 0. Exported under libFuzzer's own name too,
/// because the runtime's unused `main` (linked whole) refers to it. It lives here: a file
/// that takes its address as a C function pointer emits that symbol again.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM links executables with its own `main`, so libFuzzer's never runs: hand argv to
// LLVMFuzzerRunDriver ourselves (TOOLCHAIN.md section 6). Seeds are written before that.
let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "--write-seeds" {
    exit(SeedWriter.write(SeedWriter.frameSeeds, to: arguments[2]))
}
if arguments.count == 3, arguments[1] == "--write-limit-seeds" {
    exit(SeedWriter.write(FuzzSamples.boundaryFrames, to: arguments[2]))
}
if arguments.count == 3, arguments[1] == "--write-sequence-seeds" {
    exit(SeedWriter.write(SeedWriter.sequenceSeeds, to: arguments[2]))
}
if let missing = FuzzCatalog.missingBrokerCodecs() {
    print(
        "FuzzRequests: the broker handles \(missing) but FuzzCatalog has no codec for it; add one.")
    exit(2)
}
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))

import Foundation
import LinearAlgebra
import Testing

struct BLASKernelsTests {
  // Flags as /proc/cpuinfo lists them: the Intel Xeon of 2026-12-04 (family 6, model 207; Debian's
  // OpenBLAS 0.3.21 picks Prescott there), an AVX2 machine, and an SSE-only one.
  static let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]
  static let avx2: Set<String> = ["sse2", "avx", "avx2", "fma"]
  static let sse: Set<String> = ["sse2", "sse3", "ssse3"]

  @Test func theCPUFlagsChooseTheCore() {
    #expect(BLASKernels.preferredCore(cpuFlags: Self.avx512) == "SkylakeX")
    #expect(BLASKernels.preferredCore(cpuFlags: Self.avx2) == "Haswell")
    #expect(BLASKernels.preferredCore(cpuFlags: Self.avx512.subtracting(["avx512vl"])) == "Haswell")
    #expect(BLASKernels.preferredCore(cpuFlags: Self.sse) == nil)
  }

  @Test func relaunchesOnlyFromAFallbackWithoutTheVariable() {
    #expect(BLASKernels.coreToRelaunchWith(current: "Prescott", cpuFlags: Self.avx512, environment: [:]) == "SkylakeX")
    #expect(BLASKernels.coreToRelaunchWith(current: "Sandybridge", cpuFlags: Self.avx512, environment: [:]) == "SkylakeX")
    #expect(BLASKernels.coreToRelaunchWith(current: "Prescott", cpuFlags: Self.avx2, environment: [:]) == "Haswell")
    // A set OpenBLAS chose for the CPU stays, even where the CPU has more (Zen on an AVX-512 EPYC).
    #expect(BLASKernels.coreToRelaunchWith(current: "Haswell", cpuFlags: Self.avx512, environment: [:]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "Zen", cpuFlags: Self.avx512, environment: [:]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "SkylakeX", cpuFlags: Self.avx512, environment: [:]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "Cooperlake", cpuFlags: Self.avx512, environment: [:]) == nil)
    // The user's choice stands, even an empty one; an unknown name is left alone; an SSE-only CPU too.
    #expect(BLASKernels.isFallback("PRESCOTT") && !BLASKernels.isFallback("NeoverseN1"))
    #expect(BLASKernels.coreToRelaunchWith(current: "Prescott", cpuFlags: Self.avx512, environment: ["OPENBLAS_CORETYPE": "Prescott"]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "Prescott", cpuFlags: Self.avx512, environment: ["OPENBLAS_CORETYPE": ""]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "NeoverseN1", cpuFlags: Self.avx512, environment: [:]) == nil)
    #expect(BLASKernels.coreToRelaunchWith(current: "Prescott", cpuFlags: Self.sse, environment: [:]) == nil)
  }

  @Test func readsTheFlagsLine() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cpuinfo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    try "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse2 avx2 fma\nbugs\t\t: none\nprocessor\t: 1\nflags\t\t: fpu\n"
      .write(to: url, atomically: true, encoding: .utf8)
    #expect(BLASKernels.cpuFlags(cpuinfo: url.path) == ["fpu", "sse2", "avx2", "fma"])
    #expect(BLASKernels.cpuFlags(cpuinfo: url.path + "-missing").isEmpty)
  }
}

import CLapack
import Foundation

/// Which of OpenBLAS's kernel sets this process runs, and a way to get a better one when OpenBLAS
/// did not recognise the CPU.
///
/// Debian 12's OpenBLAS (0.3.21, built with `DYNAMIC_ARCH`) picks its kernels once, when the library
/// loads, from the CPU's family and model numbers. On CPUs newer than it knows (seen here: an Intel
/// Xeon of family 6, model 207, with AVX-512) it falls back to its `Prescott` kernels (SSE3): a
/// 512 × 512 single-precision product on one thread ran at 28–29 GFLOP/s there against 99–104 with
/// the `SkylakeX` (AVX-512) kernels. The
/// documented override is the `OPENBLAS_CORETYPE` environment variable, read at load time, so a
/// process that wants it must start again with it set: `relaunchWithBetterKernelsIfNeeded()` does
/// that (both executables call it first thing). Measured: descriptor training 13% more pairs/s on
/// that Xeon (docs/torch.md, "OpenBLAS kernels").
public enum BLASKernels {
  /// The kernel set OpenBLAS chose, as it names it (`Prescott`, `Haswell`, `SkylakeX`, `Zen`, …).
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// Whether OpenBLAS names one of its kernel sets without AVX2 (`Prescott`, `Nehalem`,
  /// `Sandybridge`, …: what 0.3.21 falls back to on a CPU it does not know), compared
  /// case-insensitively. Any other name, known or not, is not a fallback.
  public static func isFallback(_ name: String) -> Bool {
    fallbackCores.contains(name.lowercased())
  }

  private static let fallbackCores: Set<String> = [
    "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine", "northwood",
    "banias", "opteron", "opteron_sse3", "barcelona", "bobcat", "sandybridge", "bulldozer", "piledriver",
  ]

  /// The `OPENBLAS_CORETYPE` value for a CPU with these feature flags (as /proc/cpuinfo lists them):
  /// `SkylakeX` with AVX-512 F, CD, BW, DQ and VL; `Haswell` with AVX2 and FMA; nil otherwise.
  public static func preferredCore(cpuFlags: Set<String>) -> String? {
    if cpuFlags.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
    if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// The core type to start again with, or nil to go on as is. Only a fallback (`isFallback`) on a
  /// CPU with AVX2 and FMA is replaced. A set OpenBLAS chose for the CPU (`Haswell`, `Zen`,
  /// `SkylakeX`, …) stays, as does any set when `OPENBLAS_CORETYPE` is set (even empty: the user's
  /// choice).
  public static func coreToRelaunchWith(current: String, cpuFlags: Set<String>, environment: [String: String]) -> String? {
    guard environment["OPENBLAS_CORETYPE"] == nil, isFallback(current) else { return nil }
    return preferredCore(cpuFlags: cpuFlags)
  }

  /// The CPU's feature flags from /proc/cpuinfo (its first `flags` line); empty where there is none.
  public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      let colon = line.firstIndex(of: ":")
    else { return [] }
    return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
  }

  /// Starts this executable again, with the same arguments and `OPENBLAS_CORETYPE` set, when
  /// `coreToRelaunchWith` names a better kernel set; returns (having changed nothing) otherwise or
  /// when the new start fails. Call it first thing in `main`, before any thread or output exists.
  public static func relaunchWithBetterKernelsIfNeeded() {
    let environment = ProcessInfo.processInfo.environment
    guard let core = coreToRelaunchWith(current: coreName, cpuFlags: cpuFlags(), environment: environment) else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    fflush(nil)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    unsetenv("OPENBLAS_CORETYPE")  // execv failed: go on with the kernels loaded
  }
}

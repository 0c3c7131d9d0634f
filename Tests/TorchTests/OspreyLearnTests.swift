import Foundation
import LinearAlgebra
import Testing

/// End to end: the `osprey-learn` executable that `swift build --build-tests` builds next to the test
/// runner. Skipped when it is not there (e.g. a filtered build).
extension TorchTests {
  @Suite struct OspreyLearnTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("osprey-learn")

    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
      let process = Process()
      process.executableURL = executable
      process.arguments = arguments
      if let environment { process.environment = environment }
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func selftestPrintsFallingLoss() throws {
      let (status, output) = try Self.run(["selftest", "--steps", "30", "--threads", "1"])
      #expect(status == 0, "output: \(output)")
      #expect(output.contains("selftest: ok"))
      #expect(output.contains("step   0  loss"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func versionNamesLibtorch() throws {
      let (status, output) = try Self.run(["--version"])
      #expect(status == 0)
      #expect(output.hasPrefix("osprey-learn "))
      #expect(output.contains("libtorch 1."))
    }

    // Started without OPENBLAS_CORETYPE on a CPU with AVX2 and FMA, the executable does not run one
    // of OpenBLAS's fallback kernel sets: on a CPU that Debian's OpenBLAS does not recognise (it
    // falls back to `Prescott`) this holds only because the executable starts again with the
    // variable set. With the variable set, the executable keeps what it names.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func versionNamesOpenBLASKernelsAsCapableAsTheCPU() throws {
      var environment = ProcessInfo.processInfo.environment
      environment["OPENBLAS_CORETYPE"] = nil
      let (status, output) = try Self.run(["--version"], environment: environment)
      #expect(status == 0)
      let name = try #require(output.split(separator: "OpenBLAS kernels ").last.map { String($0.prefix { $0 != ")" }) })
      if let preferred = BLASKernels.preferredCore(cpuFlags: BLASKernels.cpuFlags()) {
        #expect(!BLASKernels.isFallback(name), "OpenBLAS runs \(name) on a CPU that allows \(preferred)")
      }
      environment["OPENBLAS_CORETYPE"] = "Prescott"
      let pinned = try Self.run(["--version"], environment: environment)
      #expect(pinned.output.contains("OpenBLAS kernels Prescott"), "output: \(pinned.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func badOptionExitsWithStatus2() throws {
      let (status, output) = try Self.run(["selftest", "--steps", "0"])
      #expect(status == 2)
      #expect(output.contains("--steps must be positive"), "output: \(output)")
      #expect(try Self.run(["selftest", "--no-such-option"]).status == 2)
    }
  }
}

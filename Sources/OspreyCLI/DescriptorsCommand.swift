import ArgumentParser
import Foundation

/// `osprey descriptors …`: runs `osprey-learn descriptors …` in place of this process.
///
/// The learning commands link libtorch (~0.5 s and ~200 MB at start-up), so they live in the
/// `osprey-learn` executable; `osprey` finds it next to its own executable (or at `$OSPREY_LEARN`)
/// and `execv`s it with the same arguments, so its output and exit status are the command's.
public struct DescriptorsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "descriptors",
    abstract: "Dense object descriptors: train, eval, show (runs osprey-learn; see docs/cli/descriptors.md).")

  @Argument(parsing: .captureForPassthrough, help: "train|eval|show and their options (`osprey descriptors train --help`).")
  var arguments: [String] = []

  public init() {}

  public func run() throws {
    try Self.execLearn(arguments)
  }

  /// Where `osprey-learn` is expected: `$OSPREY_LEARN` when set, else next to this executable.
  public static func learnExecutablePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let path = environment["OSPREY_LEARN"], !path.isEmpty { return path }
    let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    return ((own as NSString).deletingLastPathComponent as NSString).appendingPathComponent("osprey-learn")
  }

  /// Replaces this process with `osprey-learn descriptors ARGUMENTS`.
  /// - Throws: `InputError` when the executable is missing (or `execv` fails); returns only then.
  public static func execLearn(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    let path = learnExecutablePath(environment: environment)
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw InputError("descriptors: \(path): no such executable; the learning commands run in osprey-learn (links libtorch): build it with `swift build --product osprey-learn` (or `make learn` for release), next to osprey, or set OSPREY_LEARN to its path")
    }
    let argv = [path, "descriptors"] + arguments
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cArguments.append(nil)
    fflush(nil)  // every output stream
    execv(path, &cArguments)
    let reason = String(cString: strerror(errno))
    for pointer in cArguments { free(pointer) }
    throw InputError("descriptors: \(path): cannot run: \(reason)")
  }
}

import ArgumentParser
import Foundation

/// The `osprey` command line.
///
/// Exit statuses (all commands): 0 when the command ran (for `solve`: whatever the solver status),
/// 2 for bad input — an unreadable or malformed file, an unknown format, a bad option value.
/// ArgumentParser's own usage errors (exit status 64 by default) are mapped to 2 as well.
public struct OspreyCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "osprey",
    abstract: "Osprey: robotic manipulation, planning and convex optimization in Swift.",
    subcommands: [SolveCommand.self, DemoCommand.self, GCSCommand.self, PlanCommand.self, SimCommand.self, DescriptorsCommand.self])
  public init() {}
}

extension ExitCode {
  /// Bad input: a file, folder or option value the user can fix. Exit status 2.
  public static let badInput = ExitCode(2)
}

/// Bad input the user can fix (a missing or malformed file, an unknown format, a missing folder).
///
/// `OspreyCommand.main()` prints it as one line on standard error, without a usage block or a stack
/// trace, and exits with status 2 (`ExitCode.badInput`).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The whole message, naming the file and the line or field at fault where known.
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension OspreyCommand {
  /// Runs the command line of this process and exits with `exitStatus(for:)`.
  ///
  /// Shadows `ParsableCommand.main()` so that bad input of every kind ends with status 2.
  public static func main() {
    let status = execute(Array(CommandLine.arguments.dropFirst()))
    Foundation.exit(status.rawValue)
  }

  /// Parses and runs `arguments` (without the program name); prints any error message and returns
  /// the exit status instead of exiting.
  public static func execute(_ arguments: [String]) -> ExitCode {
    do {
      // Everything after `descriptors` (including --help) belongs to osprey-learn.
      if arguments.first == "descriptors" {
        try DescriptorsCommand.execLearn(Array(arguments.dropFirst()))
      }
      var command = try parseAsRoot(arguments)
      try command.run()
      return .success
    } catch {
      let status = exitStatus(for: error)
      if status == .success {
        // --help, --version: ArgumentParser's text on standard output.
        print(fullMessage(for: error))
      } else {
        let message = errorMessage(for: error)
        if !message.isEmpty { printError(message) }
      }
      return status
    }
  }

  /// The exit status for an error thrown while parsing or running: 2 for bad input and usage errors,
  /// otherwise ArgumentParser's choice (an `ExitCode` thrown by a command is kept as it is).
  public static func exitStatus(for error: any Error) -> ExitCode {
    if error is InputError { return .badInput }
    if let code = error as? ExitCode { return code }
    let code = exitCode(for: error)
    return code == .validationFailure ? .badInput : code
  }

  /// The text printed on standard error for `error`: one line for `InputError`, ArgumentParser's
  /// message with the usage for parse and validation errors.
  public static func errorMessage(for error: any Error) -> String {
    if let error = error as? InputError { return "osprey: error: \(error.message)" }
    return fullMessage(for: error)
  }
}

/// Writes one line to standard error.
func printError(_ line: String) {
  var stream = StandardError()
  print(line, to: &stream)
}

/// Standard error as a `TextOutputStream` (unbuffered).
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }
}

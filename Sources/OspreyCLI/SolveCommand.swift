import ArgumentParser
import ConicSolver
import Foundation

extension ConicFileFormat: ExpressibleByArgument {}

/// `osprey solve FILE`: reads a conic problem file, solves it, prints the outcome.
public struct SolveCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve a conic problem file (LP, QP, SOCP) with the interior-point solver.",
    discussion: """
      Prints the status, the objective in the file's own sense (minimize or maximize), the iterations \
      and the times. Exit status 0 when the solver ran, whatever its status; 2 for bad input.
      """)

  @Argument(help: "The problem file: conic JSON (.json), CBF (.cbf) or MPS (.mps).")
  public var file: String

  @Option(help: "The file format; by default inferred from the file's extension.")
  public var format: ConicFileFormat?

  @Flag(help: "Print exactly one JSON object on standard output instead of the text block.")
  public var json = false

  @Option(help: ArgumentHelp("Wall-clock limit for setup plus solve, in seconds.", valueName: "seconds"))
  public var timeLimit: Double?

  @Option(help: ArgumentHelp("Maximum number of interior-point iterations (default 200).", valueName: "n"))
  public var maxIterations: Int?

  @Flag(help: "Print the solver's iteration log on standard error.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    if let timeLimit, !(timeLimit > 0) {
      throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)")
    }
    if let maxIterations, maxIterations < 0 {
      throw ValidationError("--max-iterations must be ≥ 0, got \(maxIterations)")
    }
  }

  /// The solver settings the options ask for (defaults for the rest).
  public var settings: SolverSettings {
    var settings = SolverSettings()
    if let timeLimit { settings.timeLimitSeconds = timeLimit }
    if let maxIterations { settings.maxIterations = maxIterations }
    settings.verbose = verbose
    return settings
  }

  public func run() throws {
    let report = try ProblemRun.solve(path: file, format: format, settings: settings)
    print(json ? ResultJSON.text(for: report) : SolveCommand.textBlock(for: report))
  }

  /// The short human-readable block of `osprey solve`.
  public static func textBlock(for report: SolveReport) -> String {
    let result = report.result
    let objective =
      report.objective.map { Formatting.number($0) } ?? "- (no solution: \(result.status.rawValue))"
    return [
      "problem     \(report.name ?? report.path) (\(report.format.rawValue), \(report.objectiveSense.rawValue), n = \(report.variableCount), m = \(report.constraintCount))",
      "status      \(result.status.rawValue)",
      "objective   \(objective)",
      "iterations  \(result.iterations)",
      "residuals   primal \(Formatting.scientific(result.primalResidual)), dual \(Formatting.scientific(result.dualResidual)), gap \(Formatting.scientific(result.gapRelative)) (relative)",
      "time        setup \(Formatting.duration(seconds: result.setupTimeSeconds)), solve \(Formatting.duration(seconds: result.solveTimeSeconds)), total \(Formatting.duration(seconds: result.totalTimeSeconds))",
    ].joined(separator: "\n")
  }
}

/// Reading and solving one problem file, shared by the commands that solve files.
public enum ProblemRun {
  /// Reads `path` (format from `format` or the extension), solves it with `settings`.
  ///
  /// - Throws: `InputError` naming the file (and the line or field, from the reader) when the file is
  ///   missing, its format unknown, its content malformed, or the problem data invalid. Numerical
  ///   outcomes are statuses in the report, never errors.
  public static func solve(
    path: String, format: ConicFileFormat?, settings: SolverSettings
  ) throws(InputError) -> SolveReport {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw InputError("\(path): no such file")
    }
    if isDirectory.boolValue { throw InputError("\(path): is a folder, not a problem file") }
    guard let fileFormat = format ?? ConicFileFormat.infer(fromPath: path) else {
      let known = ConicFileFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
      throw InputError("\(path): cannot tell the file format from the extension (known: \(known)); pass --format")
    }
    let file: ConicFile
    do {
      file = try ConicFile.read(path: path, format: fileFormat)
    } catch {
      throw InputError(error.description)
    }
    let solver: InteriorPointSolver
    do {
      solver = try InteriorPointSolver(problem: file.problem, settings: settings)
    } catch {
      throw InputError("\(path): \(error.description)")
    }
    let result = solver.solve()
    let hasSolution = result.status.hasSolution
    return SolveReport(
      path: path, format: fileFormat, name: file.problem.name, objectiveSense: file.objectiveSense,
      variableCount: file.problem.variableCount, constraintCount: file.problem.constraintCount,
      result: result,
      objective: hasSolution ? file.reportedObjective(result.objective) : nil,
      dualObjective: hasSolution ? file.reportedObjective(result.dualObjective) : nil,
      knownOptimum: file.knownOptimum)
  }
}

import ArgumentParser
import ConicSolver
import Foundation
import GraphsOfConvexSets
import Objects
import Simulation

/// `osprey demo`: solves the sample problems and compares their objectives with reference values.
public struct DemoCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Solve the sample conic problems and a maze in a Graph of Convex Sets, plan a planar arm's motion, render a mug.",
    discussion: """
      Solves every problem file in the examples folder (default examples/conic, relative to the \
      current directory) with default settings and prints a table. Reference objectives come from \
      references.json in that folder, else from the file's own known optimum. Then generates a \
      maze, finds a shortest path through it in a Graph of Convex Sets (relaxation + rounding), \
      and writes the problem, the solution and an SVG drawing to the output folder. Then plans a \
      2-link arm's motion around obstacles (configuration-space IRIS regions + a GCS trajectory, \
      --arm-scene) and draws it, and renders a procedural mug on the simulated table (RGB, depth, \
      mask and cameras.json in OUTPUT/mug).
      """)

  @Option(help: ArgumentHelp("Folder of sample problems with a references.json.", valueName: "dir"))
  public var examples: String = "examples/conic"

  @Option(help: ArgumentHelp("Folder for the maze's problem, solution and SVG (created if missing).", valueName: "dir"))
  public var output: String = "out/demo"

  @Option(help: ArgumentHelp("Side of the demo maze, in cells.", valueName: "n"))
  public var mazeSize: Int = 20

  @Option(help: ArgumentHelp("The planar-arm scene planned after the maze.", valueName: "file"))
  public var armScene: String = "examples/plan/arm-2link.json"

  public func validate() throws {
    guard (2...200).contains(mazeSize) else { throw ValidationError("--maze-size must be in 2...200, got \(mazeSize)") }
  }

  public init() {}

  public func run() throws {
    let set = try ExampleSet.load(folder: examples)
    var table = DemoTable()
    var inputErrors: [InputError] = []
    let clock = ContinuousClock()
    let start = clock.now
    for (k, path) in set.problemPaths.enumerated() {
      let name = ExampleSet.problemName(path)
      do {
        let report = try ProblemRun.solve(path: path, format: nil, settings: SolverSettings())
        table.append(name: name, report: report, reference: set.references[name])
      } catch {
        inputErrors.append(error)
        table.appendInputError(name: name, reference: set.references[name])
      }
      // Progress on standard error, once the demo takes long enough for a person to wonder.
      if clock.now - start > .seconds(1) {
        printError("[\(k + 1)/\(set.problemPaths.count)] \(name) done, \(Formatting.duration(seconds: (clock.now - start).seconds)) elapsed")
      }
    }
    print(table.render())
    print(table.summary(folder: examples))
    for error in inputErrors { printError("osprey: error: \(error.message)") }
    if !inputErrors.isEmpty { throw ExitCode.badInput }
    try solveMaze()
    try planArm()
    try renderMug()
  }

  /// The configuration-space half: a planar arm's regions and trajectory, drawn.
  func planArm() throws {
    let scene = try PlanRun.loadScene(path: armScene)
    let started = DispatchTime.now().uptimeNanoseconds
    let regions: PlanRegions
    let outcome: PlanTrajectoryOutcome
    do {
      regions = try scene.buildRegions()
      var options = GCSTrajectoryOptions()
      options.velocityBounds = scene.velocityBounds ?? .symmetric([Double](repeating: 1, count: scene.dimension))
      outcome = try scene.planTrajectory(regions: regions, options: options, sampleDt: 0.02)
    } catch {
      throw PlanFailure(message: "\(armScene): planning failed: \(error)")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let path = "\(output)/arm-2link.svg"
    do {
      try GCSRun.emit(PlanDrawing.svg(scene: scene, regions: outcome.regions, trajectory: outcome.file), to: path)
    } catch let error as GCSDrawError {
      throw InputError("\(path): \(error.message)")
    }
    print("")
    print("planar arm (\(scene.dimension) joints, \(scene.obstacles.count) obstacles), regions in joint space + GCS trajectory:")
    print("  " + PlanRun.summaryLine(outcome.file, regionCount: regions.regions.count, seconds: seconds))
    print("  wrote \(path)")
  }

  /// The world half: a procedural mug rendered on the simulated table.
  func renderMug() throws {
    let folder = "\(output)/mug"
    try SimRun.prepareFolder(folder)
    let instance = SimRun.instance(.mug, seed: 3)
    let rendered: CollectedScene
    do {
      rendered = try CollectedScene.render(instance, worldSeed: 3, camera: "object_view", width: 320, height: 240, depthNoise: false)
    } catch {
      throw SimFailure(message: "render: \(error.description)")
    }
    try SimRun.write(rendered, to: folder, layout: .single)
    print("")
    print("simulated world: \(instance.name) on the table, rendered 320×240 (RGB, depth, mask, cameras.json):")
    print("  wrote \(folder)/rgb.png, depth.png, mask.png, cameras.json, scene.json, object.obj, object.json")
  }

  /// The planning half: a maze as a Graph of Convex Sets, solved and drawn.
  func solveMaze() throws {
    do {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
      throw InputError("\(output): cannot create the output folder: \(error.localizedDescription)")
    }
    let maze = Maze(size: mazeSize, seed: 1, knockdowns: Maze.defaultKnockdowns(size: mazeSize))
    let file = maze.makeProblem()
    let result = file.graph.solveShortestPath(from: file.source, to: file.target)
    let solution = GCSSolution(result: result, graph: file.graph)
    let base = "\(output)/maze-\(mazeSize)"
    try GCSRun.emit(file.serialized(), to: "\(base).json")
    try GCSRun.emit(solution, to: "\(base).solution.json")
    do {
      try GCSRun.emit(GCSDrawing.svg(problem: file, solution: solution), to: "\(base).svg")
    } catch let error as GCSDrawError {
      throw InputError("\(base).svg: \(error.message)")
    }
    print("")
    print("maze \(mazeSize)×\(mazeSize) (\(file.graph.vertexCount) vertices, \(file.graph.edgeCount) edges), shortest path in a Graph of Convex Sets:")
    print("  " + GCSRun.summaryLine(solution))
    print("  wrote \(base).json, \(base).solution.json, \(base).svg")
  }
}

/// A reference objective of a sample problem and where it came from.
public struct ReferenceObjective: Codable, Sendable, Equatable {
  /// The optimal objective, in the file's own sense.
  public var objective: Double
  /// Where the value came from (a publication, or a solver, version, machine and date).
  public var source: String
  /// The problem family shown in the demo table (`netlib_lp`, `maros_meszaros`, …).
  public var family: String?

  public init(objective: Double, source: String, family: String? = nil) {
    self.objective = objective
    self.source = source
    self.family = family
  }
}

/// The sample problems of a folder and their references (`references.json`, keyed by file name
/// without extension).
public struct ExampleSet: Sendable {
  /// Problem files, sorted by name.
  public var problemPaths: [String]
  public var references: [String: ReferenceObjective]

  /// The name of the references file inside the folder (not a problem).
  public static let referencesFileName = "references.json"

  /// Lists the problem files (`.json`, `.cbf`, `.mps`) of `folder` and reads its references.
  ///
  /// - Throws: `InputError` when the folder is missing or `references.json` is malformed.
  public static func load(folder: String) throws(InputError) -> ExampleSet {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw InputError("\(folder): no such folder (run from the repository root, or pass --examples DIR)")
    }
    let names: [String]
    do {
      names = try manager.contentsOfDirectory(atPath: folder)
    } catch {
      throw InputError("\(folder): cannot list the folder (\(error.localizedDescription))")
    }
    let extensions = Set(ConicFileFormat.allCases.map { "." + $0.rawValue })
    let problemPaths = names
      .filter { name in name != referencesFileName && extensions.contains { name.hasSuffix($0) } }
      .sorted()
      .map { (folder as NSString).appendingPathComponent($0) }
    let referencesPath = (folder as NSString).appendingPathComponent(referencesFileName)
    var references: [String: ReferenceObjective] = [:]
    if manager.fileExists(atPath: referencesPath) {
      references = try decodeReferences(path: referencesPath)
    }
    return ExampleSet(problemPaths: problemPaths, references: references)
  }

  /// Reads a `references.json`: `{"name": {"objective": v, "source": "...", "family": "..."}}`.
  public static func decodeReferences(path: String) throws(InputError) -> [String: ReferenceObjective] {
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      return try JSONDecoder().decode([String: ReferenceObjective].self, from: data)
    } catch let error as DecodingError {
      throw InputError("\(path): \(describe(error))")
    } catch {
      throw InputError("\(path): cannot read (\(error.localizedDescription))")
    }
  }

  /// The file name without folder and extension: the key into the references.
  public static func problemName(_ path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  private static func describe(_ error: DecodingError) -> String {
    func field(_ path: [any CodingKey]) -> String {
      path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context): return "\(field(context.codingPath + [key])): missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "\(field(context.codingPath)): \(context.debugDescription)"
    case .dataCorrupted(let context): return "\(field(context.codingPath)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}

/// The demo's table and its summary line.
struct DemoTable {
  /// Objectives within this relative difference of the reference count as matching.
  static let matchTolerance = 1e-6

  private var table = TextTable(columns: [
    .init("name"), .init("family"), .init("n", .right), .init("m", .right), .init("status"),
    .init("objective", .right), .init("reference", .right), .init("|rel diff|", .right),
    .init("iters", .right), .init("time", .right),
  ])
  private(set) var solvedCount = 0
  private(set) var referenceCount = 0
  private(set) var matchCount = 0
  private(set) var totalSeconds = 0.0

  mutating func append(name: String, report: SolveReport, reference: ReferenceObjective?) {
    let referenceObjective = reference?.objective ?? report.knownOptimum
    let difference = relativeDifference(report.objective, reference: referenceObjective)
    if report.result.status == .solved { solvedCount += 1 }
    if referenceObjective != nil { referenceCount += 1 }
    if let difference, difference <= Self.matchTolerance { matchCount += 1 }
    totalSeconds += report.result.totalTimeSeconds
    table.append([
      name, reference?.family ?? "-", String(report.variableCount), String(report.constraintCount),
      report.result.status.rawValue, Formatting.number(report.objective), Formatting.number(referenceObjective),
      Formatting.scientific(difference), String(report.result.iterations),
      Formatting.duration(seconds: report.result.totalTimeSeconds),
    ])
  }

  mutating func appendInputError(name: String, reference: ReferenceObjective?) {
    if reference != nil { referenceCount += 1 }
    table.append([
      name, reference?.family ?? "-", "-", "-", "input_error", "-", Formatting.number(reference?.objective), "-", "-", "-",
    ])
  }

  func render() -> String { table.render() }

  func summary(folder: String) -> String {
    """

    \(table.rows.count) problems in \(folder): \(solvedCount) solved; \(matchCount) of the \(referenceCount) \
    with a reference within \(Formatting.number(Self.matchTolerance, significantDigits: 1)) \
    (|rel diff| = |objective − reference| / max(1, |reference|)); solver time \(Formatting.duration(seconds: totalSeconds)) in all.
    """
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}

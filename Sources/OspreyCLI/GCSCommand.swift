import ArgumentParser
import ConicSolver
import Foundation
import GraphsOfConvexSets

extension GCSMethod: ExpressibleByArgument {}

/// `osprey gcs`: shortest paths in graphs of convex sets — solve problem files, make mazes, draw.
public struct GCSCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gcs",
    abstract: "Shortest paths in graphs of convex sets: solve osprey.gcs files, make mazes, draw SVGs.",
    discussion: "File formats: docs/formats/gcs.md. Exit status 0 when the command ran, 2 for bad input.",
    subcommands: [GCSSolveCommand.self, GCSMazeCommand.self, GCSDrawCommand.self])

  public init() {}
}

/// `osprey gcs solve PROBLEM.json`: solves a shortest-path problem and writes the solution file.
public struct GCSSolveCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve a GCS shortest-path problem file (osprey.gcs) and write its solution file.",
    discussion: """
      Writes the solution (osprey.gcs.solution) to standard output, or to the -o file (written to a \
      temporary file first, then renamed into place). A one-line summary goes to standard error: status, \
      cost, lower bound, gap, path length, time. Exit status 0 when the solver ran, whatever its status; 2 \
      for bad input.
      """)

  @Argument(help: ArgumentHelp("The problem file (osprey.gcs, version 1).", valueName: "problem"))
  public var problem: String

  @Option(help: "relaxation: convex relaxation, randomized rounding, convex restrictions; micp: exact branch-and-bound.")
  public var method: GCSMethod = .relaxation

  @Option(help: ArgumentHelp("Maximum number of distinct rounded paths (relaxation; default 10).", valueName: "n"))
  public var rounds: Int?

  @Option(help: ArgumentHelp("Seed of the rounding's random walks (default 0).", valueName: "seed"))
  public var seed: UInt64?

  @Flag(help: "Keep edges that cannot lie on any source–target path (no preprocessing).")
  public var noPreprocess = false

  @Option(help: ArgumentHelp("Wall-clock limit of the whole solve, in seconds.", valueName: "seconds"))
  public var timeLimit: Double?

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the solution file here instead of standard output.", valueName: "file"))
  public var output: String?

  @Flag(help: "Also print the problem's size, the phases' times and the solver's counters on standard error.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    if let rounds, rounds < 1 { throw ValidationError("--rounds must be ≥ 1, got \(rounds)") }
    if let timeLimit, !(timeLimit > 0) {
      throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)")
    }
  }

  /// The solver options the command line asks for (defaults for the rest).
  public var options: GCSOptions {
    var options = GCSOptions()
    options.method = method
    if let rounds { options.maxRoundedPaths = rounds }
    if let seed { options.roundingSeed = seed }
    options.preprocessing = !noPreprocess
    if let timeLimit { options.timeLimitSeconds = timeLimit }
    return options
  }

  public func run() throws {
    let file = try GCSRun.loadProblem(path: problem)
    if verbose { printError(GCSRun.problemLine(file, path: problem)) }
    let result = file.graph.solveShortestPath(from: file.source, to: file.target, options: options)
    let solution = GCSSolution(result: result, graph: file.graph)
    try GCSRun.emit(solution, to: output)
    printError(GCSRun.summaryLine(solution))
    if verbose { for line in GCSRun.detailLines(solution) { printError(line) } }
  }
}

/// `osprey gcs maze --size N`: writes the problem file of a random maze.
public struct GCSMazeCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "maze",
    abstract: "Write the shortest-path problem of a random N×N maze (osprey.gcs).",
    discussion: """
      A perfect maze (randomized depth-first search, seeded) with K more walls knocked down, as in the \
      GCS papers' maze experiments. Vertices: s at the centre of cell (0,0), one box per cell named \
      c{i}_{j}, t at the centre of cell (N-1,N-1); two edges per open wall. Points per cell with Euclidean \
      edge costs, or with --segments one segment per cell (the layouts of shared/benchmarks/gcs maze-* and \
      maze-seg-*).
      """)

  @Option(help: ArgumentHelp("Cells per side (≥ 1).", valueName: "n"))
  public var size: Int

  @Option(help: ArgumentHelp("Seed of the maze's random stream.", valueName: "seed"))
  public var seed: UInt64 = 1

  @Option(help: ArgumentHelp("Walls knocked down after the perfect maze (default ⌊N²/20⌋; at most (N−1)²).", valueName: "k"))
  public var knockdowns: Int?

  @Flag(help: "One segment per cell (product sets, a length cost per cell, edges that join the segments).")
  public var segments = false

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the problem file here instead of standard output.", valueName: "file"))
  public var output: String?

  public init() {}

  public func validate() throws {
    if size < 1 { throw ValidationError("--size must be ≥ 1, got \(size)") }
    if size > 2000 { throw ValidationError("--size must be ≤ 2000, got \(size)") }
    if let knockdowns, knockdowns < 0 || knockdowns > Maze.closedWallCount(size: size) {
      throw ValidationError(
        "--knockdowns must be in 0...\(Maze.closedWallCount(size: size)) for --size \(size) (the walls a perfect maze keeps), got \(knockdowns)")
    }
  }

  /// The maze the options describe.
  public var maze: Maze {
    Maze(size: size, seed: seed, knockdowns: knockdowns ?? Maze.defaultKnockdowns(size: size))
  }

  public func run() throws {
    let text: String
    do {
      text = try maze.makeProblem(segments: segments).serialized()
    } catch {
      throw InputError(error.description)
    }
    try GCSRun.emit(text, to: output)
  }
}

/// `osprey gcs draw PROBLEM.json [SOLUTION.json] -o FILE.svg`: an SVG picture of a 2-D problem.
public struct GCSDrawCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "draw",
    abstract: "Draw a 2-D GCS problem (and its solution's path) as an SVG file.",
    discussion: """
      Sets are drawn as boxes, polygons, ellipses and points; edges as thin lines between the sets' \
      centres; walls (dark lines) where two boxes share a side but no edge joins them, as in a maze; the \
      solution's path as a polyline through its points (segment vertices of dimension 4 as the segment \
      x[0..1] → x[2..3]); the source and target are marked. The y axis points up. Every set must be 2-D, \
      or a product of 2-D sets.
      """)

  @Argument(help: ArgumentHelp("The problem file (osprey.gcs).", valueName: "problem"))
  public var problem: String

  @Argument(help: ArgumentHelp("A solution file of the problem (osprey.gcs.solution).", valueName: "solution"))
  public var solution: String?

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The SVG file to write.", valueName: "file"))
  public var output: String

  public init() {}

  public func run() throws {
    let file = try GCSRun.loadProblem(path: problem)
    var solutionFile: GCSSolution?
    if let solution {
      solutionFile = try GCSRun.loadSolution(path: solution, problem: file, problemPath: problem)
    }
    let svg: String
    do {
      svg = try GCSDrawing.svg(problem: file, solution: solutionFile)
    } catch {
      throw InputError("\(problem): \(error.message)")
    }
    try GCSRun.emit(svg, to: output)
  }
}

/// Reading, writing and reporting shared by the `gcs` commands.
public enum GCSRun {
  /// Reads a problem file.
  ///
  /// - Throws: `InputError` naming the file, the line and the field.
  public static func loadProblem(path: String) throws(InputError) -> GCSFile {
    do {
      return try GCSFile.read(path: path)
    } catch {
      throw InputError(error.description)
    }
  }

  /// Reads a solution file and checks it against its problem.
  ///
  /// - Throws: `InputError` naming the file and the field.
  public static func loadSolution(path: String, problem: GCSFile, problemPath: String) throws(InputError) -> GCSSolution {
    let solution: GCSSolution
    do {
      solution = try GCSSolution.read(path: path)
    } catch {
      throw InputError(error.description)
    }
    do {
      try solution.check(against: problem)
    } catch {
      throw InputError("\(path): \(error.field.map { "\($0): " } ?? "")\(error.message) (in \(problemPath))")
    }
    return solution
  }

  /// Writes `solution` to `path` atomically, or to standard output when `path` is `nil`.
  public static func emit(_ solution: GCSSolution, to path: String?) throws(InputError) {
    try emit(solution.serialized(), to: path)
  }

  /// Writes `text` to `path` atomically (a temporary file renamed into place), or to standard output.
  public static func emit(_ text: String, to path: String?) throws(InputError) {
    guard let path else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    do {
      try writeTextAtomically(text, to: path)
    } catch {
      throw InputError(error.description)
    }
  }

  /// `problem maze.json: 102 vertices, 210 edges, source s, target t`.
  public static func problemLine(_ file: GCSFile, path: String) -> String {
    let g = file.graph
    return "problem  \(path): \(g.vertexCount) vertices, \(g.edgeCount) edges, source \(g[file.source].name), target \(g[file.target].name)"
  }

  /// The one-line summary on standard error:
  /// `optimal  cost 18.2456629  lower bound 18.22592625  gap 0.11%  path 33 vertices  time 66.20 ms`.
  public static func summaryLine(_ solution: GCSSolution) -> String {
    var parts = [
      solution.status.rawValue,
      "cost \(Formatting.number(solution.cost))",
      "lower bound \(Formatting.number(solution.lowerBound))",
      "gap \(solution.gap.map { percent($0) } ?? "-")",
      "path \(solution.path.count) vertices",
      "time \(solution.timings.map { Formatting.duration(seconds: $0.total) } ?? "-")",
    ]
    if let reason = solution.reason { parts.append("(\(reason))") }
    return parts.joined(separator: "  ")
  }

  /// The `--verbose` lines after the summary: relaxation cost, phase times, counters.
  public static func detailLines(_ solution: GCSSolution) -> [String] {
    var lines: [String] = []
    if let relaxation = solution.relaxationCost { lines.append("relaxation cost  \(Formatting.number(relaxation))") }
    if let t = solution.timings {
      let phases: [(String, Double?)] = [
        ("preprocessing", t.preprocessing), ("relaxation", t.relaxation), ("rounding", t.rounding),
        ("branch-and-bound", t.branchAndBound),
      ]
      let ran = phases.compactMap { name, value in value.map { "\(name) \(Formatting.duration(seconds: $0))" } }
      lines.append("time  " + (ran + ["total \(Formatting.duration(seconds: t.total))"]).joined(separator: ", "))
    }
    if let s = solution.statistics {
      lines.append(
        "counts  edges removed \(s.edgesRemoved), rounded paths \(s.roundedPaths), conic solves \(s.conicSolves), "
          + "interior-point iterations \(s.interiorPointIterations), branch-and-bound nodes \(s.nodes)")
    }
    return lines
  }

  /// A relative gap as a percentage with three significant digits: `0.108%`, `0%`.
  static func percent(_ gap: Double) -> String {
    gap == 0 ? "0%" : String(format: "%.3g%%", 100 * gap)
  }
}

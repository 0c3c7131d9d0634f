import ArgumentParser
import Foundation
import GraphsOfConvexSets
import Testing

@testable import OspreyCLI

@Suite struct GCSCommandTests {
  // MARK: Options

  @Test func solveOptionsBecomeGCSOptions() throws {
    let parsed = try OspreyCommand.parseAsRoot([
      "gcs", "solve", "p.json", "--method", "micp", "--rounds", "5", "--seed", "7", "--no-preprocess", "--time-limit", "2.5",
      "-o", "s.json", "--verbose",
    ])
    let solve = try #require(parsed as? GCSSolveCommand)
    #expect(solve.problem == "p.json" && solve.output == "s.json" && solve.verbose)
    var expected = GCSOptions()
    expected.method = .micp
    expected.maxRoundedPaths = 5
    expected.roundingSeed = 7
    expected.preprocessing = false
    expected.timeLimitSeconds = 2.5
    #expect(solve.options == expected)
  }

  @Test func solveDefaultsAreTheSolversDefaults() throws {
    let solve = try #require(try OspreyCommand.parseAsRoot(["gcs", "solve", "p.json"]) as? GCSSolveCommand)
    #expect(solve.options == GCSOptions())
    #expect(solve.output == nil && !solve.verbose)
  }

  @Test func mazeOptions() throws {
    let maze = try #require(
      try OspreyCommand.parseAsRoot(["gcs", "maze", "--size", "10", "--seed", "4", "--knockdowns", "3", "--segments"])
        as? GCSMazeCommand)
    #expect(maze.maze == Maze(size: 10, seed: 4, knockdowns: 3) && maze.segments)
    let defaults = try #require(try OspreyCommand.parseAsRoot(["gcs", "maze", "--size", "20"]) as? GCSMazeCommand)
    #expect(defaults.maze == Maze(size: 20, seed: 1, knockdowns: 20))
  }

  /// Usage errors and bad option values end with status 2.
  @Test(arguments: [
    ["gcs", "solve"],
    ["gcs", "solve", "p.json", "--method", "dijkstra"],
    ["gcs", "solve", "p.json", "--rounds", "0"],
    ["gcs", "solve", "p.json", "--time-limit", "0"],
    ["gcs", "solve", "p.json", "--seed", "-1"],
    ["gcs", "maze"],
    ["gcs", "maze", "--size", "0"],
    ["gcs", "maze", "--size", "3", "--knockdowns", "5"],
    ["gcs", "maze", "--size", "3", "--knockdowns=-1"],
    ["gcs", "draw", "p.json"],
    ["gcs", "nope"],
  ])
  func badOptionsExitWithStatus2(arguments: [String]) {
    #expect(OspreyCommand.execute(arguments) == .badInput)
  }

  // MARK: Bad files

  @Test func badProblemFilesExitWithStatus2() throws {
    let folder = try Fixtures.temporaryFolder()
    let malformed = try Fixtures.write("{\"format\": \"osprey.gcs\", \"version\": 1,", named: "bad.json", in: folder)
    let wrongField = try Fixtures.write(
      GCSCLIFixtures.everyKind2D.replacingOccurrences(of: "{\"from\": \"seg\", \"to\": \"t\"}", with: "{\"from\": \"seg\", \"to\": \"c9_9\"}"),
      named: "field.json", in: folder)
    for path in [malformed, wrongField, folder + "/missing.json", folder] {
      #expect(OspreyCommand.execute(["gcs", "solve", path]) == .badInput, "\(path)")
      #expect(OspreyCommand.execute(["gcs", "draw", path, "-o", folder + "/x.svg"]) == .badInput, "\(path)")
    }
    #expect(throws: InputError("\(wrongField):15: edges[6].to: unknown vertex \"c9_9\"")) {
      _ = try GCSRun.loadProblem(path: wrongField)
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/x.svg"))
  }

  // MARK: maze

  @Test func mazeWritesTheReferenceSizes() throws {
    let folder = try Fixtures.temporaryFolder()
    let path = folder + "/maze.json"
    #expect(OspreyCommand.execute(["gcs", "maze", "--size", "10", "--knockdowns", "5", "-o", path]) == .success)
    let problem = try GCSFile.read(path: path)
    #expect(problem.graph.vertexCount == 102 && problem.graph.edgeCount == 210)
    #expect(OspreyCommand.execute(["gcs", "maze", "--size", "10", "--segments", "--output", path]) == .success)
    let segments = try GCSFile.read(path: path)
    #expect(segments.graph[try #require(segments.graph.vertex(named: "c4_4"))].dimension == 4)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["maze.json"])
  }

  @Test func unwritableOutputIsAnInputError() {
    #expect(OspreyCommand.execute(["gcs", "maze", "--size", "3", "-o", "/no/such/folder/m.json"]) == .badInput)
  }

  // MARK: draw

  @Test func drawWritesAnSVG() throws {
    let folder = try Fixtures.temporaryFolder()
    let problem = try Fixtures.write(GCSCLIFixtures.everyKind2D, named: "p.json", in: folder)
    let solution = try Fixtures.write(GCSCLIFixtures.everyKind2DSolution, named: "s.json", in: folder)
    #expect(OspreyCommand.execute(["gcs", "draw", problem, solution, "-o", folder + "/p.svg"]) == .success)
    let svg = try String(contentsOfFile: folder + "/p.svg", encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") && svg.contains("class=\"path\""))
  }

  @Test func drawRejectsNon2DProblemsAndForeignSolutions() throws {
    let folder = try Fixtures.temporaryFolder()
    let threeD = try Fixtures.write(GCSCLIFixtures.threeD, named: "3d.json", in: folder)
    #expect(OspreyCommand.execute(["gcs", "draw", threeD, "-o", folder + "/3d.svg"]) == .badInput)
    let problem = try Fixtures.write(GCSCLIFixtures.everyKind2D, named: "p.json", in: folder)
    let foreign = try Fixtures.write(
      GCSCLIFixtures.everyKind2DSolution.replacingOccurrences(of: "\"path\": [\"s\", \"box\"", with: "\"path\": [\"s\", \"c0_0\""),
      named: "s.json", in: folder)
    #expect(OspreyCommand.execute(["gcs", "draw", problem, foreign, "-o", folder + "/p.svg"]) == .badInput)
    #expect(throws: InputError("\(foreign): path[1]: unknown vertex \"c0_0\" (in \(problem))")) {
      _ = try GCSRun.loadSolution(path: foreign, problem: try GCSFile.read(path: problem), problemPath: problem)
    }
    #expect(OspreyCommand.execute(["gcs", "draw", problem, problem, "-o", folder + "/p.svg"]) == .badInput)
  }

  // MARK: Reporting

  @Test func summaryLine() {
    var timings = GCSTimings()
    timings.total = 0.0662
    let solution = GCSSolution(
      status: .feasible, method: .relaxation, cost: 18.245662896002237, lowerBound: 18.225926253038352,
      gap: 0.0010817, path: Array(repeating: "v", count: 33), timings: timings)
    #expect(
      GCSRun.summaryLine(solution)
        == "feasible  cost 18.2456629  lower bound 18.22592625  gap 0.108%  path 33 vertices  time 66.20 ms")
    let none = GCSSolution(status: .infeasible, reason: "no path from s to t")
    #expect(
      GCSRun.summaryLine(none) == "infeasible  cost -  lower bound -  gap -  path 0 vertices  time -  (no path from s to t)")
  }

  @Test func verboseDetailLines() {
    var timings = GCSTimings()
    timings.total = 0.5
    timings.relaxation = 0.25
    var statistics = GCSStatistics()
    statistics.conicSolves = 11
    let lines = GCSRun.detailLines(GCSSolution(status: .optimal, relaxationCost: 2, timings: timings, statistics: statistics))
    #expect(lines.count == 3)
    #expect(lines[1] == "time  relaxation 250.00 ms, total 500.00 ms")
    #expect(lines[2].contains("conic solves 11"))
  }

  @Test func emitWritesAtomically() throws {
    let folder = try Fixtures.temporaryFolder()
    try GCSRun.emit(GCSSolution(status: .infeasible), to: folder + "/s.json")
    #expect(try GCSSolution.read(path: folder + "/s.json") == GCSSolution(status: .infeasible))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["s.json"])
  }
}

/// End-to-end solves through the command line.
@Suite struct GCSSolveEndToEndTests {
  @Test func solvesTheContractExampleAndWritesTheSolution() throws {
    let folder = try Fixtures.temporaryFolder()
    let problem = try Fixtures.write(
      """
      {"format": "osprey.gcs", "version": 1, "source": "s", "target": "t",
       "vertices": [{"name": "s", "set": {"type": "point", "x": [0, 0]}},
                    {"name": "a", "set": {"type": "box", "lb": [0, 0], "ub": [1, 1]}},
                    {"name": "t", "set": {"type": "point", "x": [2, 0]}}],
       "edges": [{"from": "s", "to": "a", "costs": [{"type": "euclidean"}]},
                 {"from": "a", "to": "t", "costs": [{"type": "euclidean"}]}]}
      """, named: "p.json", in: folder)
    let output = folder + "/s.json"
    #expect(OspreyCommand.execute(["gcs", "solve", problem, "-o", output]) == .success)
    let solution = try GCSSolution.read(path: output)
    #expect(solution.status == .optimal && solution.path == ["s", "a", "t"])
    // ‖a − s‖ + ‖t − a‖ ≥ ‖t − s‖ = 2, met by any a on the segment; 1e-6: the conic solver's tolerances.
    #expect(abs((solution.cost ?? 0) - 2) < 1e-6)
    try solution.check(against: try GCSFile.read(path: problem))
  }

  @Test func solvesTheReferenceMaze() throws {
    guard let folder = GCSCLIFixtures.benchmarkFolder else { return }
    let output = try Fixtures.temporaryFolder() + "/maze.json"
    #expect(OspreyCommand.execute(["gcs", "solve", folder + "/maze-10-s1.json", "-o", output, "--no-preprocess"]) == .success)
    let solution = try GCSSolution.read(path: output)
    // Drake 1.51 + Clarabel: relaxation 18.225926253038352, rounded path 18.245662896002237.
    #expect(solution.lowerBound.map { abs($0 - 18.225926253038352) < 1e-5 } == true)
    #expect(solution.cost.map { $0 <= 18.245662896002237 + 1e-5 } == true)
  }
}

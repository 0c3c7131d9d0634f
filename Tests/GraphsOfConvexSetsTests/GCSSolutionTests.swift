import ConvexSets
import Foundation
import Testing

@testable import GraphsOfConvexSets

@Suite struct GCSSolutionTests {
  /// The contract's example problem: s = (0, 0), a ∈ [0, 1]², t = (2, 0), Euclidean edges.
  static let problemText = """
    {"format": "osprey.gcs", "version": 1, "source": "s", "target": "t",
     "vertices": [{"name": "s", "set": {"type": "point", "x": [0, 0]}},
                  {"name": "a", "set": {"type": "box", "lb": [0, 0], "ub": [1, 1]}},
                  {"name": "t", "set": {"type": "point", "x": [2, 0]}}],
     "edges": [{"from": "s", "to": "a", "costs": [{"type": "euclidean"}]},
               {"from": "a", "to": "t", "costs": [{"type": "euclidean"}]}]}
    """

  /// A result as the solver would give for the example (built here: the solver is not needed).
  static func result(status: GCSStatus = .optimal) -> GCSResult {
    var timings = GCSTimings()
    timings.total = 0.0123
    timings.preprocessing = 0.001
    timings.relaxation = 0.01
    timings.rounding = 0.0013
    var statistics = GCSStatistics()
    statistics.roundedPaths = 1
    statistics.conicSolves = 2
    statistics.interiorPointIterations = 17
    let optimal = status == .optimal
    return GCSResult(
      status: status, method: .relaxation, cost: optimal ? 2.0 : nil, lowerBound: optimal ? 1.9999999999 : nil,
      relaxationCost: optimal ? 1.9999999999 : nil,
      path: optimal ? [VertexID(0), VertexID(1), VertexID(2)] : [], pathEdges: optimal ? [EdgeID(0), EdgeID(1)] : [],
      points: optimal ? [VertexID(0): [0, 0], VertexID(1): [1, 0.1 + 0.2], VertexID(2): [2, 0]] : [:],
      relaxationFlows: nil, reason: optimal ? nil : "no path from s to t", timings: timings, statistics: statistics)
  }

  @Test func fromAResultByName() throws {
    let problem = try GCSFile.parse(Self.problemText)
    let solution = GCSSolution(result: Self.result(), graph: problem.graph)
    #expect(solution.path == ["s", "a", "t"])
    #expect(solution.points == ["s": [0, 0], "a": [1, 0.1 + 0.2], "t": [2, 0]])
    #expect(solution.cost == 2 && solution.lowerBound == 1.9999999999 && solution.method == .relaxation)
    #expect(solution.gap == Self.result().relativeGap)
    try solution.check(against: problem)
  }

  @Test func writesTheContractsKeysInOrder() throws {
    let problem = try GCSFile.parse(Self.problemText)
    let text = GCSSolution(result: Self.result(), graph: problem.graph).serialized()
    let keys = [
      "\"format\"", "\"version\"", "\"status\"", "\"method\"", "\"cost\"", "\"lower_bound\"", "\"relaxation_cost\"", "\"gap\"",
      "\"path\"", "\"x\"", "\"timings_s\"", "\"statistics\"",
    ]
    let positions = keys.map { text.range(of: $0)?.lowerBound }
    #expect(!positions.contains(nil))
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    #expect(text.hasPrefix("{\"format\": \"osprey.gcs.solution\", \"version\": 1, \"status\": \"optimal\", \"method\": \"relaxation\", \"cost\": 2.0,"))
    #expect(text.contains("\"path\": [\"s\", \"a\", \"t\"], \"x\": {\"s\": [0.0, 0.0], \"a\": [1.0, 0.30000000000000004], \"t\": [2.0, 0.0]}"))
    // Only the phases that ran; no branch_and_bound here.
    #expect(text.contains("\"timings_s\": {\"total\": 0.0123, \"preprocessing\": 0.001, \"relaxation\": 0.01, \"rounding\": 0.0013}"))
    #expect(text.contains("\"statistics\": {\"edges_removed\": 0, \"rounded_paths\": 1, \"conic_solves\": 2, \"interior_point_iterations\": 17, \"nodes\": 0}"))
    #expect(!text.contains("reason"))
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(object?["status"] as? String == "optimal")
  }

  @Test func withoutAPathCostAndBoundAreNull() throws {
    let problem = try GCSFile.parse(Self.problemText)
    let solution = GCSSolution(result: Self.result(status: .infeasible), graph: problem.graph)
    let text = solution.serialized()
    #expect(text.contains("\"cost\": null, \"lower_bound\": null, \"path\": [], \"x\": {}, \"reason\": \"no path from s to t\""))
    #expect(try GCSSolution.parse(text) == solution)
  }

  @Test func roundTripsExactly() throws {
    let problem = try GCSFile.parse(Self.problemText)
    var solution = GCSSolution(result: Self.result(), graph: problem.graph)
    solution.timings?.branchAndBound = 1e-7
    solution.reason = "a \"quoted\"\nreason"
    let back = try GCSSolution.parse(solution.serialized())
    #expect(back == solution)
    #expect(back.points["a"]?[1].bitPattern == (0.1 + 0.2).bitPattern)
  }

  @Test func nonFiniteNumbersAreWrittenAsNull() throws {
    let solution = GCSSolution(status: .error, cost: .nan, lowerBound: .infinity, gap: .nan, points: ["a": [.nan, 1]])
    let text = solution.serialized()
    #expect(!text.contains("nan") && !text.contains("inf"))
    #expect(text.contains("\"cost\": null, \"lower_bound\": null"))
    let back = try GCSSolution.parse(text)
    #expect(back.cost == nil && back.lowerBound == nil && back.gap == nil)
    #expect(back.points["a"]?[0].isNaN == true && back.points["a"]?[1] == 1)
  }

  @Test func readsAMinimalSolutionFromAnotherTool() throws {
    let solution = try GCSSolution.parse(
      "{\"format\": \"osprey.gcs.solution\", \"version\": 1, \"status\": \"feasible\", \"cost\": 3, \"extra\": [1, {}]}")
    #expect(solution == GCSSolution(status: .feasible, cost: 3))
  }

  @Test func errorsNameTheField() {
    func error(_ text: String) -> GCSFileError? { expectGCSFileError { _ = try GCSSolution.parse(text, path: "sol.json") } }
    let head = "{\"format\": \"osprey.gcs.solution\", \"version\": 1, "
    var e = error(Self.problemText)
    #expect(e?.field == "format" && e?.message == "is \"osprey.gcs\", expected \"osprey.gcs.solution\"")
    e = error(head + "\"status\": \"solved\"}")
    #expect(e?.field == "status" && e?.message.contains("optimal, feasible, infeasible, error") == true)
    e = error(head + "\"status\": \"optimal\", \"method\": \"ipm\"}")
    #expect(e?.field == "method" && e?.message == "is \"ipm\", expected one of relaxation, micp")
    e = error(head + "\"status\": \"optimal\", \"path\": [\"s\", 3]}")
    #expect(e?.field == "path[1]" && e?.message == "expected a string, found a number")
    e = error(head + "\"status\": \"optimal\", \"x\": {\"s\": [0, \"a\"]}}")
    #expect(e?.field == "x.s[1]")
    e = error(head + "\"status\": \"optimal\", \"timings_s\": {\"relaxation\": 1}}")
    #expect(e?.field == "timings_s.total" && e?.message == "is missing")
    e = error(head + "\"status\": \"optimal\", \"statistics\": {\"nodes\": 1.5}}")
    #expect(e?.field == "statistics.nodes" && e?.message == "is 1.5, expected a non-negative integer")
    e = error("{\"format\": \"osprey.gcs.solution\", \"version\": 1}")
    #expect(e?.field == "status" && e?.message == "is missing")
  }

  @Test func checkAgainstTheProblem() throws {
    let problem = try GCSFile.parse(Self.problemText)
    func failure(_ solution: GCSSolution) -> GCSFileError? { expectGCSFileError { try solution.check(against: problem) } }
    var e = failure(GCSSolution(status: .optimal, path: ["s", "b", "t"]))
    #expect(e?.field == "path[1]" && e?.message == "unknown vertex \"b\"")
    e = failure(GCSSolution(status: .optimal, path: ["s", "t"]))
    #expect(e?.field == "path[1]" && e?.message == "no edge from \"s\" to \"t\"")
    e = failure(GCSSolution(status: .optimal, path: ["a", "t"]))
    #expect(e?.field == "path[0]" && e?.message == "is \"a\", but the source is \"s\"")
    e = failure(GCSSolution(status: .optimal, path: ["s", "a", "t"], points: ["a": [1, 2, 3]]))
    #expect(e?.field == "x.a" && e?.message == "has 3 entries, expected 2")
  }
}

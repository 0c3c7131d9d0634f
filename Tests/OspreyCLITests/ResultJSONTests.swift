import ConicSolver
import Foundation
import Testing

@testable import OspreyCLI

@Suite struct ResultJSONTests {
  private func parse(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  private func report(_ result: SolverResult, objective: Double?) -> SolveReport {
    SolveReport(
      path: "dir/p.json", format: .json, name: "p", objectiveSense: .minimize, variableCount: 2, constraintCount: 1,
      result: result, objective: objective, dualObjective: objective)
  }

  @Test func solvedResultHasEveryKey() throws {
    let text = ResultJSON.text(for: report(Fixtures.result(), objective: -1))
    let object = try parse(text)
    for key in [
      "status", "objective", "iterations", "solve_time_s", "setup_time_s", "total_time_s", "x", "primal_residual",
      "dual_residual", "gap", "gap_abs", "file", "format", "n", "m",
    ] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(object["status"] as? String == "solved")
    #expect(object["objective"] as? Double == -1)
    #expect(object["iterations"] as? Int == 7)
    #expect(object["x"] as? [Double] == [1, 2])
    // 0.001 + 0.002 in binary floating point: compare with the sum, not 0.003.
    #expect(object["total_time_s"] as? Double == 0.001 + 0.002)
    #expect(object["gap"] as? Double == 4e-9)
    #expect(!text.contains("\n"))
  }

  @Test func nonFiniteNumbersAndMissingObjectiveAreNull() throws {
    let result = Fixtures.result(
      status: .numericalError, x: [.nan, .infinity, 1], objective: .nan, primalResidual: .nan,
      dualResidual: -.infinity, gapAbsolute: .nan, gapRelative: .infinity)
    let text = ResultJSON.text(for: report(result, objective: nil))
    #expect(!text.contains("nan") && !text.contains("inf"))
    let object = try parse(text)  // valid JSON
    #expect(object["objective"] is NSNull)
    #expect(object["primal_residual"] is NSNull)
    #expect(object["dual_residual"] is NSNull)
    #expect(object["gap"] is NSNull)
    let x = try #require(object["x"] as? [Any])
    #expect(x[0] is NSNull && x[1] is NSNull && x[2] as? Double == 1)
  }

  @Test func keysComeInTheDocumentedOrder() throws {
    guard case .object(let members) = ResultJSON.value(for: report(Fixtures.result(), objective: -1)) else {
      Issue.record("not an object")
      return
    }
    #expect(
      members.map { $0.0 } == [
        "file", "format", "name", "objective_sense", "n", "m", "status", "objective", "dual_objective", "iterations",
        "setup_time_s", "solve_time_s", "total_time_s", "primal_residual", "dual_residual", "gap", "gap_abs", "x",
      ])
  }

  @Test func stringsAreEscaped() throws {
    let value = JSONValue.object([("s", .string("a\"b\\c\nd\t\u{1}é"))])
    #expect(value.serialized() == #"{"s":"a\"b\\c\nd\t\u0001é"}"#)
    let object = try parse(value.serialized())
    #expect(object["s"] as? String == "a\"b\\c\nd\t\u{1}é")
  }

  @Test func numbersRoundTrip() throws {
    for v in [0.1, -464.75314285714285, 1e-8, 1e300, 5.0, -0.0] {
      let text = JSONValue.array([.number(v)]).serialized()
      let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double])
      #expect(parsed == [v], "\(text)")
    }
    #expect(JSONValue.numberOrNull(nil) == .null)
    #expect(JSONValue.numberOrNull(.nan) == .null)
    #expect(JSONValue.array([.int(3), .bool(true), .null]).serialized() == "[3,true,null]")
  }
}

import Foundation
import LinearAlgebra
import Testing

@testable import ConicSolver

@Suite struct ConicJSONTests {
  /// minimize ½xᵀ[4 1; 1 2]x + [1 1]x + 0.5  s.t.  x₁ + x₂ = 1,  x₁ ≤ 0.7,  x₂ ≤ 0.7 (OSQP's demo QP).
  static let small = """
    {"format": "conic-json-v1", "name": "small", "n": 2, "m": 3, "objective_constant": 0.5,
     "P": {"m": 2, "n": 2, "colptr": [0, 1, 3], "rowval": [0, 0, 1], "nzval": [4.0, 1.0, 2.0]},
     "q": [1, 1.0],
     "A": {"m": 3, "n": 2, "colptr": [0, 2, 4], "rowval": [0, 1, 0, 2], "nzval": [1.0, 1.0, 1.0, 1e0]},
     "b": [1.0, 0.7, 7e-1],
     "cones": [{"ZeroConeT": 1}, {"NonnegativeConeT": 2}],
     "meta": {"known_optimum": 2.38, "note": [1, {"x": null}], "flag": true}}
    """

  /// `small` with one substring replaced, for error tests.
  static func smallWith(_ old: String, _ new: String) -> String {
    precondition(small.contains(old), "fixture does not contain \(old)")
    return small.replacingOccurrences(of: old, with: new)
  }

  static func error(_ text: String) -> ConicFileError? {
    expectFileError { _ = try ConicFile.parse(text, format: .json, path: "t.json") }
  }

  @Test func readsSmallProblemEntryByEntry() throws {
    let file = try ConicFile.parse(Self.small, format: .json)
    let p = file.problem
    #expect(dense(p.P) == [[4, 1], [0, 2]])
    #expect(p.q == [1, 1])
    #expect(dense(p.A) == [[1, 1], [1, 0], [0, 1]])
    #expect(p.b == [1, 0.7, 0.7])
    #expect(p.cones == [.zero(1), .nonnegative(2)])
    #expect(p.objectiveConstant == 0.5)
    #expect(p.name == "small")
    #expect(file.knownOptimum == 2.38)
    #expect(file.objectiveSense == .minimize)
  }

  @Test func roundTripsThroughWriter() throws {
    let file = try ConicFile.parse(Self.small, format: .json)
    let text = try file.serialized(as: .json)
    let back = try ConicFile.parse(text, format: .json)
    #expect(back.problem.P == file.problem.P && back.problem.A == file.problem.A)
    #expect(back.problem.q == file.problem.q && back.problem.b == file.problem.b)
    #expect(back.problem.cones == file.problem.cones && back.problem.objectiveConstant == 0.5)
    #expect(back.problem.name == "small" && back.knownOptimum == 2.38)
    // Clarabel's layout: the five keys it reads are there.
    for key in ["\"P\":", "\"q\":", "\"A\":", "\"b\":", "\"cones\":", "\"colptr\":", "\"ZeroConeT\":1"] {
      #expect(text.contains(key), "missing \(key)")
    }
  }

  @Test func writtenTextIsValidJSONForOtherReaders() throws {
    let text = try ConicFile.parse(Self.small, format: .json).serialized(as: .json)
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect((object?["q"] as? [Double]) == [1, 1])
  }

  @Test func objectiveSenseAndNullsInMeta() throws {
    let text = Self.smallWith("\"known_optimum\": 2.38", "\"known_optimum\": null, \"objective_sense\": \"max\"")
    let file = try ConicFile.parse(text, format: .json)
    #expect(file.objectiveSense == .maximize && file.knownOptimum == nil)
    let back = try ConicFile.parse(try file.serialized(as: .json), format: .json)
    #expect(back.objectiveSense == .maximize)
  }

  @Test func unsortedColumnsAreSorted() throws {
    let text = Self.smallWith("\"rowval\": [0, 1, 0, 2], \"nzval\": [1.0, 1.0, 1.0, 1e0]", "\"rowval\": [1, 0, 2, 0], \"nzval\": [3.0, 1.0, 5.0, 1e0]")
    let A = try ConicFile.parse(text, format: .json).problem.A
    #expect(A.isCanonical)
    #expect(dense(A) == [[1, 1], [3, 0], [0, 5]])
  }

  @Test func malformedJSONNamesLine() {
    let e = Self.error(Self.smallWith("\"q\": [1, 1.0],", "\"q\": [1 1.0],"))
    #expect(e?.line == 3)
    #expect(e?.field == "q")
    #expect(e?.description.hasPrefix("t.json:3: q: expected ',' or ']'") == true)
    #expect(Self.error("")?.message.contains("top level") == true)
    #expect(Self.error(Self.small + "]")?.message.contains("after the top-level object") == true)
    #expect(Self.error("{\"P\": {\"m\": 1")?.message.contains("expected") == true)
  }

  @Test func unknownConeIsNamed() {
    let e = Self.error(Self.smallWith("{\"NonnegativeConeT\": 2}", "{\"ExponentialConeT\": null}"))
    #expect(e?.field == "cones[1]")
    #expect(e?.message.contains("unknown cone 'ExponentialConeT'") == true)
  }

  @Test func dimensionMismatchComesThroughWithField() {
    let e = Self.error(Self.smallWith("\"b\": [1.0, 0.7, 7e-1]", "\"b\": [1.0, 0.7]"))
    #expect(e?.field == "A")
    #expect(e?.message.contains("expected 2×2") == true)
    let c = Self.error(Self.smallWith("{\"NonnegativeConeT\": 2}", "{\"NonnegativeConeT\": 3}"))
    #expect(c?.field == "cones")
  }

  @Test func nonFiniteValuesAreRejected() {
    let e = Self.error(Self.smallWith("\"q\": [1, 1.0]", "\"q\": [1, NaN]"))
    #expect(e?.field == "q")
    #expect(e?.message.contains("not finite") == true)
    let a = Self.error(Self.smallWith("[1.0, 1.0, 1.0, 1e0]", "[1.0, -Infinity, 1.0, 1e0]"))
    #expect(a?.field == "A.nzval")
    #expect(a?.message.contains("nzval[1]") == true)
  }

  @Test func fullOrNonSymmetricPIsRejectedClearly() {
    let full = "\"P\": {\"m\": 2, \"n\": 2, \"colptr\": [0, 2, 4], \"rowval\": [0, 1, 0, 1], \"nzval\": [4.0, 1.0, 1.0, 2.0]}"
    let old = "\"P\": {\"m\": 2, \"n\": 2, \"colptr\": [0, 1, 3], \"rowval\": [0, 0, 1], \"nzval\": [4.0, 1.0, 2.0]}"
    let symmetric = Self.error(Self.smallWith(old, full))
    #expect(symmetric?.field == "P")
    #expect(symmetric?.message.contains("upper triangle") == true)
    #expect(symmetric?.message.contains("symmetric") == true)
    let skew = Self.error(Self.smallWith(old, full.replacingOccurrences(of: "[4.0, 1.0, 1.0, 2.0]", with: "[4.0, 1.0, 3.0, 2.0]")))
    #expect(skew?.field == "P")
    #expect(skew?.message.contains("is not symmetric") == true)
  }

  @Test func malformedCSCNamesTheArray() {
    let e = Self.error(Self.smallWith("\"colptr\": [0, 2, 4]", "\"colptr\": [0, 2]"))
    #expect(e?.field == "A.colptr")
    #expect(e?.message.contains("expected n+1 = 3") == true)
    let r = Self.error(Self.smallWith("\"rowval\": [0, 1, 0, 2]", "\"rowval\": [0, 1, 0, 3]"))
    #expect(r?.field == "A.rowval")
    let missing = Self.error(Self.smallWith("\"b\": [1.0, 0.7, 7e-1],", ""))
    #expect(missing?.field == "b" && missing?.message == "is missing")
  }

  @Test func parsesNumbersExactly() throws {
    // Decimal forms that need the correctly rounded fallback, and escapes in strings.
    let text = Self.smallWith("\"b\": [1.0, 0.7, 7e-1]", "\"b\": [0.30000000000000004, -1.7976931348623157e308, 2.2250738585072014e-308]")
      .replacingOccurrences(of: "\"name\": \"small\"", with: "\"name\": \"a\\\"b\\u00e9\\n\"")
    let p = try ConicFile.parse(text, format: .json).problem
    #expect(p.b == [0.30000000000000004, -1.7976931348623157e308, 2.2250738585072014e-308])
    #expect(p.name == "a\"bé\n")
    let back = try ConicFile.parse(try ConicFile(problem: p).serialized(as: .json), format: .json).problem
    #expect(back.b == p.b && back.name == p.name)
  }

  /// Every benchmark instance in the shared folder must read and validate.
  @Test func readsEveryBenchmarkFile() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folder = root.appendingPathComponent("../shared/benchmarks/conic").standardized.path
    // (On Linux `enumerator(atPath:)` is non-nil even for a missing folder, so test for it first.)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
      let enumerator = FileManager.default.enumerator(atPath: folder)
    else {
      print("note: \(folder) not found; skipping the benchmark-file check")
      return
    }
    var count = 0
    for case let relative as String in enumerator where relative.hasSuffix(".json") {
      let file = try ConicFile.read(path: folder + "/" + relative)
      #expect(file.problem.constraintCount > 0, "\(relative)")
      count += 1
    }
    print("note: read \(count) JSON benchmark files under \(folder)")
    #expect(count > 0)
  }
}

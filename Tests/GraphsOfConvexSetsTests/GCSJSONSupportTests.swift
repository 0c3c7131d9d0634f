import ConicSolver
import LinearAlgebra
import Testing

@testable import GraphsOfConvexSets

@Suite struct GCSJSONSupportTests {
  @Test func numbersAreShortestRoundTripOrNull() {
    #expect(GCSJSON.writeNumber(0.1) == "0.1")
    #expect(GCSJSON.writeNumber(5) == "5.0")
    #expect(GCSJSON.writeNumber(1e-8) == "1e-08")
    #expect(GCSJSON.writeNumber(-0.0) == "-0.0")
    #expect(GCSJSON.writeNumber(.nan) == "null" && GCSJSON.writeNumber(-.infinity) == "null")
    #expect(GCSJSON.writeMatrix(Matrix(rows: [[1, 2], [3, 4]])) == "[[1.0, 2.0], [3.0, 4.0]]")
  }

  @Test func stringsAreEscaped() {
    #expect(GCSJSON.quoted("a\"b\\c\nd\u{1}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
  }

  @Test func errorDescriptionReadsLikeADiagnostic() {
    #expect(GCSFileError(path: "p.json", line: 3, field: "edges[7].to", message: "unknown vertex \"c9_9\"").description
      == "p.json:3: edges[7].to: unknown vertex \"c9_9\"")
    #expect(GCSFileError(path: "p.json", message: "no such file").description == "p.json: no such file")
  }

  /// The fields walk records where values start; keys may come in any order and repeat (last wins).
  @Test func fieldsRecordOffsetsAndValuesAreReadLater() throws {
    let text = Array("{\"b\": [1, 2], \"a\": \"x\", \"b\": [3], \"skip\": {\"deep\": [[{}]]}}".utf8)
    let (a, b) = try JSONScanner.scan(text) { (s: inout JSONScanner) throws(JSONReadError) -> (String, [Double]) in
      let f = try GCSJSON.fields(&s, field: "")
      let a = try GCSJSON.string(&s, f, "a", in: "")
      let b = try GCSJSON.vector(&s, f, "b", in: "")
      return (a, b)
    }
    #expect(a == "x" && b == [3])
  }

  @Test func nullEntriesOnlyWhereAllowed() throws {
    let text = Array("[1, null, -2.5e1]".utf8)
    let v = try JSONScanner.scan(text) { (s: inout JSONScanner) throws(JSONReadError) -> [Double] in
      try GCSJSON.vector(&s, at: 0, field: "lb", nullValue: -.infinity)
    }
    #expect(v == [1, -.infinity, -25])
    #expect(throws: JSONReadError.self) {
      _ = try JSONScanner.scan(text) { (s: inout JSONScanner) throws(JSONReadError) -> [Double] in
        try GCSJSON.vector(&s, at: 0, field: "b")
      }
    }
  }
}

import LinearAlgebra
import Testing

@testable import ConicSolver

@Suite struct CBFTests {
  /// maximize x₀ − 2x₃ + 0.5 with a variable in L+, three in QR, and L= / L- constraints.
  static let mixed = """
    # a CBF fixture
    VER
    3

    OBJSENSE
    MAX

    VAR
    4 2
    L+ 1
    QR 3

    CON
    3 2
    L= 1
    L- 2

    OBJACOORD
    2
    0 1.0
    3 -2.0

    OBJBCOORD
    0.5

    ACOORD
    4
    0 0 1.0
    0 1 1.0
    1 2 2.0
    2 3 1.0

    BCOORD
    2
    0 -1.0
    2 3.0
    """

  static func error(_ text: String) -> ConicFileError? {
    expectFileError { _ = try ConicFile.parse(text, format: .cbf, path: "t.cbf") }
  }

  @Test func readsDomainsAndConvertsToClarabelForm() throws {
    let file = try ConicFile.parse(Self.mixed, format: .cbf)
    let p = file.problem
    let h = 1 / 2.0.squareRoot()
    #expect(file.objectiveSense == .maximize)
    #expect(p.q == [-1, 0, 0, 2])  // negated: the problem is a minimization
    #expect(p.objectiveConstant == -0.5)
    #expect(p.P.nonzeroCount == 0)
    #expect(p.cones == [.zero(1), .nonnegative(3), .secondOrder(3)])
    #expect(
      dense(p.A) == [
        [-1, -1, 0, 0],  // L=: −A x + s = b
        [0, 0, 2, 0],  // L-: A x + s = −b
        [0, 0, 0, 1],
        [-1, 0, 0, 0],  // x₀ ∈ L+
        [0, -h, -h, 0],  // QR → Q: ((x₁+x₂)/√2, (x₁−x₂)/√2, x₃)
        [0, -h, h, 0],
        [0, 0, 0, -1],
      ])
    #expect(p.b == [-1, 0, -3, 0, 0, 0, 0])
    #expect(file.reportedObjective(-7) == 7)
  }

  @Test func roundTripsThroughWriter() throws {
    let file = try ConicFile.parse(Self.mixed, format: .cbf)
    let text = try file.serialized(as: .cbf)
    let back = try ConicFile.parse(text, format: .cbf)
    #expect(back.objectiveSense == .maximize)
    #expect(sameData(back.problem, file.problem))
  }

  @Test func jsonProblemRoundTripsWithRowsInReaderOrder() throws {
    // Cones out of reader order (nonnegative before zero) come back as zero rows first.
    var file = try ConicFile.parse(ConicJSONTests.small, format: .json)
    file.problem.P = .zeros(rowCount: 2, columnCount: 2)
    let soc = try ConicProblem(
      P: .zeros(rowCount: 2, columnCount: 2), q: [1, 0],
      A: SparseMatrixCSC(rowCount: 5, columnCount: 2, rows: [0, 1, 2, 3, 4], columns: [0, 0, 1, 0, 1], values: [1, -1, -1, 2, 3]),
      b: [4, 0, 0, 1, 5], cones: [.nonnegative(1), .secondOrder(2), .zero(2)])
    for problem in [file.problem, soc] {
      let back = try ConicFile.parse(try ConicFile(problem: problem).serialized(as: .cbf), format: .cbf)
      #expect(sameData(back.problem, problem.withRowsInReaderOrder()))
    }
    let back = try ConicFile.parse(try ConicFile(problem: soc).serialized(as: .cbf), format: .cbf).problem
    #expect(back.cones == [.zero(2), .nonnegative(1), .secondOrder(2)])
    #expect(back.b == [1, 5, 4, 0, 0])
  }

  @Test func quadraticObjectiveCannotBeWritten() throws {
    let file = try ConicFile.parse(ConicJSONTests.small, format: .json)
    let e = expectFileError { _ = try file.serialized(as: .cbf) }
    #expect(e?.field == "P")
  }

  @Test func errorsCarryLineNumbers() {
    let badIndex = Self.error(Self.mixed.replacingOccurrences(of: "2 3 1.0", with: "5 3 1.0"))
    #expect(badIndex?.line == 31)
    #expect(badIndex?.field == "ACOORD")
    #expect(badIndex?.description == "t.cbf:31: ACOORD: constraint index 5 is outside 0..<3")
    let badNumber = Self.error(Self.mixed.replacingOccurrences(of: "0 1.0\n3 -2.0", with: "0 1.0\n3 abc"))
    #expect(badNumber?.line == 21)
    let integer = Self.error(Self.mixed.replacingOccurrences(of: "CON\n", with: "INT\n1\n0\n\nCON\n"))
    #expect(integer?.line == 13)
    #expect(integer?.message.contains("integer variables are not supported") == true)
    let psd = Self.error(Self.mixed.replacingOccurrences(of: "CON\n", with: "PSDCON\n1\n2\n\nCON\n"))
    #expect(psd?.message.contains("PSD not supported") == true)
    let exp = Self.error(Self.mixed.replacingOccurrences(of: "QR 3", with: "EXP 3"))
    #expect(exp?.line == 11)
    #expect(exp?.message.contains("exponential") == true)
    let version = Self.error(Self.mixed.replacingOccurrences(of: "VER\n3", with: "VER\n4"))
    #expect(version?.message.contains("version 4") == true)
    let sizes = Self.error(Self.mixed.replacingOccurrences(of: "4 2\nL+ 1", with: "5 2\nL+ 1"))
    #expect(sizes?.line == 9)
    let truncated = Self.error("VER\n3\nVAR\n2 1\n")
    #expect(truncated?.message == "unexpected end of file")
  }
}

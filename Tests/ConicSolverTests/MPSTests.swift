import LinearAlgebra
import Testing

@testable import ConicSolver

@Suite struct MPSTests {
  /// A maximization QP with every row type, ranges on L and E rows, and the bound types.
  static let qp = """
    * comment line
    NAME          TESTQP
    OBJSENSE
        MAX
    ROWS
     N  COST
     L  LIM1
     G  LIM2
     E  MYEQN
     E  R4
    COLUMNS
        X1        COST         1.0   LIM1         1.0
        X1        LIM2         1.0
        X2        COST         2.0   LIM1         1.0
        X2        MYEQN       -1.0
        X3        COST        -1.0   MYEQN         1.0
        X3        R4           1.0
    RHS
        RHS       COST        -2.5
        RHS       LIM1         4.0   LIM2         1.0
        RHS       MYEQN        7.0   R4           1.0
    RANGES
        RNG       LIM1         2.5   R4           2.0
    BOUNDS
     UP BND       X1           4.0
     LO BND       X2          -1.0
     UP BND       X2           1.0
     UP BND       X3          -3.0
    QUADOBJ
        X1        X1           2.0
        X2        X1           0.5
    ENDATA
    """

  /// Fixed-format style: no RHS set name, numbers like `1.`, MI and FR bounds.
  static let fixed = """
    NAME          FIXED
    ROWS
     N  COST
     E  R1
     L  R2
    COLUMNS
        X1        COST         -1.   R1           1.
        X1        R2           2.
        X2        R1           1.
    RHS
                  R1           3.    R2           4.
    BOUNDS
     MI BOUND     X1
     FR BOUND     X2
    ENDATA
    """

  static func error(_ text: String) -> ConicFileError? {
    expectFileError { _ = try ConicFile.parse(text, format: .mps, path: "t.mps") }
  }

  @Test func readsQPEntryByEntry() throws {
    let file = try ConicFile.parse(Self.qp, format: .mps)
    let p = file.problem
    #expect(p.name == "TESTQP")
    #expect(file.objectiveSense == .maximize)
    #expect(p.q == [-1, -2, 1])
    #expect(dense(p.P) == [[-2, -0.5, 0], [0, 0, 0], [0, 0, 0]])
    #expect(p.objectiveConstant == -2.5)  // RHS on the objective row is −constant; then negated for MAX
    #expect(p.cones == [.zero(1), .nonnegative(10)])
    #expect(
      dense(p.A) == [
        [0, -1, 1],  // MYEQN
        [1, 1, 0], [-1, -1, 0],  // LIM1 ∈ [1.5, 4]
        [-1, 0, 0],  // LIM2 ≥ 1
        [0, 0, 1], [0, 0, -1],  // R4 ∈ [1, 3] (E row, positive range)
        [-1, 0, 0], [1, 0, 0],  // 0 ≤ X1 ≤ 4
        [0, -1, 0], [0, 1, 0],  // −1 ≤ X2 ≤ 1
        [0, 0, 1],  // X3 ≤ −3, lower −∞ by the negative-UP rule
      ])
    #expect(p.b == [7, 4, -1.5, -1, 3, -1, 0, 4, 1, 1, -3])
  }

  @Test func readsFixedFormat() throws {
    let p = try ConicFile.parse(Self.fixed, format: .mps).problem
    #expect(p.q == [-1, 0])
    #expect(p.cones == [.zero(1), .nonnegative(1)])
    #expect(dense(p.A) == [[1, 1], [2, 0]])
    #expect(p.b == [3, 4])
  }

  @Test func roundTripsThroughWriter() throws {
    for text in [Self.qp, Self.fixed] {
      let file = try ConicFile.parse(text, format: .mps)
      let back = try ConicFile.parse(try file.serialized(as: .mps), format: .mps)
      #expect(back.objectiveSense == file.objectiveSense)
      #expect(sameData(back.problem, file.problem))
    }
    let json = try ConicFile.parse(ConicJSONTests.small, format: .json)
    let back = try ConicFile.parse(try json.serialized(as: .mps), format: .mps)
    #expect(sameData(back.problem, json.problem))
  }

  @Test func secondOrderConesCannotBeWritten() throws {
    let cbf = try ConicFile.parse(CBFTests.mixed, format: .cbf)
    let e = expectFileError { _ = try cbf.serialized(as: .mps) }
    #expect(e?.message.contains("second-order") == true)
  }

  @Test func errorsCarryLineNumbers() {
    let integer = Self.error(Self.qp.replacingOccurrences(of: "    X2        COST", with: "    M1 'MARKER' 'INTORG'\n    X2        COST"))
    #expect(integer?.line == 14)
    #expect(integer?.description.hasPrefix("t.mps:14: COLUMNS: integer variables") == true)
    let binary = Self.error(Self.qp.replacingOccurrences(of: " UP BND       X1           4.0", with: " BV BND       X1"))
    #expect(binary?.line == 25)
    #expect(binary?.field == "BOUNDS")
    let unknownRow = Self.error(Self.qp.replacingOccurrences(of: "X3        R4", with: "X3        R5"))
    #expect(unknownRow?.line == 17)
    #expect(unknownRow?.message == "unknown row 'R5'")
    let badNumber = Self.error(Self.qp.replacingOccurrences(of: "RNG       LIM1         2.5", with: "RNG       LIM1         2.5x"))
    #expect(badNumber?.line == 23)
    #expect(badNumber?.field == "RANGES")
    let truncated = Self.error(Self.qp.replacingOccurrences(of: "ENDATA", with: ""))
    #expect(truncated?.field == "ENDATA")
    let qmatrix = Self.error(Self.qp.replacingOccurrences(of: "QUADOBJ", with: "QMATRIX"))
    #expect(qmatrix?.message.contains("not symmetric") == true)
  }

  @Test func qmatrixIsReadAsFullMatrix() throws {
    let text = Self.qp.replacingOccurrences(of: "QUADOBJ", with: "QMATRIX")
      .replacingOccurrences(of: "    X2        X1           0.5", with: "    X2        X1           0.5\n    X1        X2           0.5")
    let p = try ConicFile.parse(text, format: .mps).problem
    #expect(dense(p.P) == [[-2, -0.5, 0], [0, 0, 0], [0, 0, 0]])
  }
}

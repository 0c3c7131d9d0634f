import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct HPolyhedronOperationsTests {
  @Test func chebyshevCenterOfARectangle() throws {
    // [0, 2] × [0, 4]: the largest ball has radius 1; its centre has x = 1 and any y in [1, 3].
    let box = HPolyhedron(try Hyperrectangle(lb: [0, 0], ub: [2, 4]))
    let (center, radius) = try #require(box.chebyshevCenter())
    // LP accuracy about 1e-8.
    #expect(abs(radius - 1) < 1e-7)
    #expect(abs(center[0] - 1) < 1e-7)
    #expect(center[1] >= 1 - 1e-7 && center[1] <= 3 + 1e-7)
  }

  @Test func chebyshevCenterOfARightTriangle() throws {
    // The incircle of the right triangle with legs 1: radius (1 + 1 − √2)/2, centre (r, r).
    let r = (2 - 2.0.squareRoot()) / 2
    let (center, radius) = try #require(Fixtures.unitTriangle.chebyshevCenter())
    #expect(abs(radius - r) < 1e-7)
    #expect(Fixtures.maxDifference(center, [r, r]) < 1e-7)
  }

  @Test func chebyshevCenterIsNilForEmptyOrUnboundedRadius() throws {
    #expect(ConvexSetOperationsTests.emptyInterval.chebyshevCenter() == nil)
    #expect(ConvexSetOperationsTests.halfPlane.chebyshevCenter() == nil)
    // A strip is unbounded, but its largest ball is not: radius = half the width.
    let strip = try HPolyhedron(A: Matrix(rows: [[0, 1], [0, -1]]), b: [1, 1])
    let (_, radius) = try #require(strip.chebyshevCenter())
    #expect(abs(radius - 1) < 1e-7)
  }

  @Test func redundantRowsOfABoxAreRemoved() throws {
    // [−1, 1]² (rows 0–3) plus: a strictly redundant row, a scaled duplicate, an exact duplicate,
    // a row that touches only the corner (1, 1) (weakly redundant), and a zero row with b ≥ 0.
    let box = HPolyhedron(try Hyperrectangle(lb: [-1, -1], ub: [1, 1]))
    var rows = box.A.rows
    var rhs = box.b
    rows += [[1, 0], [2, 0], [0, 1], [1, 1], [0, 0], [-3, -1]]
    rhs += [2, 2, 1, 2, 0.5, 10]
    let padded = try HPolyhedron(A: Matrix(rows: rows), b: rhs)
    let reduced = padded.removingRedundantInequalities()
    #expect(reduced == box, "got \(reduced.A) \(reduced.b)")
  }

  @Test func essentialRowsAreKept() throws {
    // The box cut by x + y ≤ 1.5: every row matters.
    let box = HPolyhedron(try Hyperrectangle(lb: [-1, -1], ub: [1, 1]))
    let cut = try HPolyhedron(A: Matrix(rows: box.A.rows + [[1, 1]]), b: box.b + [1.5])
    #expect(cut.removingRedundantInequalities() == cut)
    #expect(Fixtures.cutCube.removingRedundantInequalities() == Fixtures.cutCube)
  }

  @Test func emptyPolyhedronIsReturnedUnchanged() {
    let empty = ConvexSetOperationsTests.emptyInterval
    #expect(empty.removingRedundantInequalities() == empty)
  }

  @Test func boundednessByRecessionCone() throws {
    #expect(Fixtures.unitTriangle.isBounded())
    #expect(!ConvexSetOperationsTests.halfPlane.isBounded())
    // n rows cannot bound ℝⁿ; a cone {x ≥ 0, y ≥ 0} is unbounded although A has full rank.
    let quadrant = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1]]), b: [0, 0])
    #expect(!quadrant.isBounded())
    // Full-rank rows whose positive span is not everything: x ≥ 0, y ≥ 0, x − y ≤ 1.
    let wedge = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1], [1, -1]]), b: [0, 0, 1])
    #expect(!wedge.isBounded())
    // Empty but with a non-trivial recession cone: bounded.
    let emptySlab = try HPolyhedron(A: Matrix(rows: [[1, 0], [-1, 0]]), b: [0, -1])
    #expect(emptySlab.isBounded())
    // Zero rows: 0ᵀx ≤ 1 is ℝ², 0ᵀx ≤ −1 is empty; beside real rows they change nothing.
    #expect(!(try HPolyhedron(A: Matrix(rows: [[0, 0]]), b: [1]).isBounded()))
    #expect(try HPolyhedron(A: Matrix(rows: [[0, 0]]), b: [-1]).isEmpty())
    let boxWithZeroRow = try HPolyhedron(A: Matrix(rows: [[1, 0], [-1, 0], [0, 1], [0, -1], [0, 0]]), b: [1, 1, 1, 1, 2])
    #expect(boxWithZeroRow.isBounded())
    #expect(boxWithZeroRow.removingRedundantInequalities().inequalityCount == 4)
    // No rows at all: ℝ².
    #expect(!(try HPolyhedron(A: Matrix(rowCount: 0, columnCount: 2, elements: []), b: []).isBounded()))
  }
}

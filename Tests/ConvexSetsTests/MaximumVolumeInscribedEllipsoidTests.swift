import Foundation
import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct MaximumVolumeInscribedEllipsoidTests {
  /// `det A⁻¹`, proportional to the volume of `{‖A(x − c)‖ ≤ 1}`.
  static func volumeFactor(_ e: Hyperellipsoid) -> Double { 1 / e.A.determinant }

  /// The barrier method stops at a gap of 1e-9 in log det; 1e-8 relative leaves room for the
  /// final centring and the LP that places the start.
  static let volumeTolerance = 1e-8

  @Test func boxGivesTheAxisAlignedEllipsoidWithHalfTheSides() throws {
    // [0, 2] × [0, 4] × [−1, 0]: semi-axes 1, 2, ½ along the coordinates, centre at the box centre.
    let box = HPolyhedron(try Hyperrectangle(lb: [0, 0, -1], ub: [2, 4, 0]))
    let e = try box.maximumVolumeInscribedEllipsoid()
    #expect(e.A.isApproximatelyEqual(to: Matrix(diagonal: [1, 0.5, 2]), absoluteTolerance: 1e-7), "\(e.A)")
    #expect(Fixtures.maxDifference(e.center, [1, 2, -0.5]) < 1e-7)
    #expect(abs(Self.volumeFactor(e) / 1 - 1) < Self.volumeTolerance)
  }

  @Test func triangleGivesTheSteinerInellipse() throws {
    // The MVIE of a triangle is its Steiner inellipse: centred at the centroid, with area
    // π/(3√3) times the triangle's.
    let triangle = try HPolyhedron(
      A: Matrix(rows: [[0, -1], [1, 1], [-2, 1]]), b: [0, 3, 0])  // vertices (0,0), (3,0), (1,2)
    let e = try triangle.maximumVolumeInscribedEllipsoid()
    let triangleArea = 3.0
    let ellipseArea = Double.pi * Self.volumeFactor(e)
    #expect(abs(ellipseArea / (Double.pi / (3 * 3.0.squareRoot()) * triangleArea) - 1) < Self.volumeTolerance)
    #expect(Fixtures.maxDifference(e.center, [4.0 / 3, 2.0 / 3]) < 1e-7)
    // The Steiner inellipse touches each side at its midpoint.
    for midpoint in [[1.5, 0], [2, 1], [0.5, 1]] {
      #expect(abs((e.A * zip(midpoint, e.center).map { $0 - $1 }).norm2 - 1) < 1e-6)
    }
  }

  @Test func regularHexagonGivesItsIncircle() throws {
    // By symmetry (the MVIE is unique) the ellipse of a regular hexagon is a disk; radius = apothem.
    let apothem = 2.0
    let rows = (0..<6).map { k -> [Double] in
      let angle = Double(k) * Double.pi / 3
      return [cos(angle), sin(angle)]
    }
    let hexagon = try HPolyhedron(A: Matrix(rows: rows), b: [Double](repeating: apothem, count: 6))
    let e = try hexagon.maximumVolumeInscribedEllipsoid()
    #expect(e.A.isApproximatelyEqual(to: Matrix(diagonal: [0.5, 0.5]), absoluteTolerance: 1e-8), "\(e.A)")
    #expect(e.center.normInf < 1e-8)
  }

  @Test func followsAnAffineMap() throws {
    // MVIE(T P + t) = T MVIE(P) + t. For the cube [−1, 1]³ the MVIE is the unit ball, so the MVIE of
    // T·cube + t is {T u + t : ‖u‖ ≤ 1}, i.e. A = C⁻¹ with C² = T Tᵀ; check A (T Tᵀ) A = I.
    let T = Matrix(rows: [[2, 0.5, 0], [0.3, 1, -0.4], [0, 0.2, 0.7]])
    let shift = [1.0, -2, 0.5]
    let cube = HPolyhedron(try Hyperrectangle(lb: [-1, -1, -1], ub: [1, 1, 1]))
    // {T y + t : A y ≤ b} = {x : A T⁻¹ x ≤ b + A T⁻¹ t}.
    let Tinv = try T.inverse()
    let mapped = cube.A * Tinv
    let image = try HPolyhedron(A: mapped, b: zip(cube.b, mapped * shift).map { $0 + $1 })
    let e = try image.maximumVolumeInscribedEllipsoid()
    let identity = e.A * T.multiplied(by: T, transposingOther: true) * e.A
    #expect(identity.isApproximatelyEqual(to: Matrix.identity(3), absoluteTolerance: 1e-7), "\(identity)")
    #expect(Fixtures.maxDifference(e.center, shift) < 1e-7)
  }

  @Test func redundantRowsDoNotChangeIt() throws {
    let box = HPolyhedron(try Hyperrectangle(lb: [-1, -1], ub: [1, 3]))
    let padded = try HPolyhedron(A: Matrix(rows: box.A.rows + [[1, 1], [3, 0]]), b: box.b + [10, 3])
    let a = try box.maximumVolumeInscribedEllipsoid()
    let b = try padded.maximumVolumeInscribedEllipsoid()
    #expect(a.A.isApproximatelyEqual(to: b.A, absoluteTolerance: 1e-7))
    #expect(Fixtures.maxDifference(a.center, b.center) < 1e-7)
  }

  @Test func tenDimensionsTwoHundredRows() throws {
    // A random polytope: the ellipsoid lies inside, touches at least n + 1 rows (an ellipsoid
    // touching fewer could grow), and the run stays well within the Newton step budget.
    var rng = SeededGenerator(seed: 2024)
    let n = 10
    let m = 200
    let rows = (0..<m).map { _ in (0..<n).map { _ in rng.nextStandardNormal() } }
    let rhs = (0..<m).map { _ in 1 + rng.nextUnit() }
    let polytope = try HPolyhedron(A: Matrix(rows: rows), b: rhs)
    let e = try polytope.maximumVolumeInscribedEllipsoid()
    let C = try e.A.inverse()
    var touching = 0
    for i in 0..<m {
      let a = rows[i]
      let reach = (C * a).norm2 + a.dot(e.center)
      // Inside to rounding: slacks at the final barrier weight are about 2m/t·‖a‖ ~ 1e-9.
      #expect(reach <= rhs[i] + 1e-9, "row \(i): \(reach) > \(rhs[i])")
      if reach >= rhs[i] - 1e-6 * a.norm2 { touching += 1 }
    }
    #expect(touching >= n + 1)
  }

  @Test func badPolyhedraThrowNamedErrors() throws {
    #expect(
      throws: ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; its inscribed ellipsoids have unbounded volume")
    ) { try ConvexSetOperationsTests.halfPlane.maximumVolumeInscribedEllipsoid() }
    let strip = try HPolyhedron(A: Matrix(rows: [[0, 1], [0, -1]]), b: [1, 1])
    #expect(
      throws: ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; its inscribed ellipsoids have unbounded volume")
    ) { try strip.maximumVolumeInscribedEllipsoid() }
    #expect(
      throws: ConvexSetError(field: "A", message: "and b describe an empty polyhedron; it has no inscribed ellipsoid")
    ) { try ConvexSetOperationsTests.emptyInterval.maximumVolumeInscribedEllipsoid() }
    #expect(throws: ConvexSetError(field: "b[2]", message: "is -1.0 on the zero row A[2]: the polyhedron is empty")) {
      try HPolyhedron(A: Matrix(rows: [[1], [-1], [0]]), b: [1, 1, -1]).maximumVolumeInscribedEllipsoid()
    }
    // A segment in the plane: x = 0 (two rows), |y| ≤ 1.
    let segment = try HPolyhedron(A: Matrix(rows: [[1, 0], [-1, 0], [0, 1], [0, -1]]), b: [0, 0, 1, 1])
    do {
      _ = try segment.maximumVolumeInscribedEllipsoid()
      Issue.record("a flat polyhedron has no full-dimensional inscribed ellipsoid")
    } catch {
      #expect(error.field == "A")
      #expect(error.message.hasPrefix("and b describe a polyhedron with empty interior (Chebyshev radius"))
    }
  }
}

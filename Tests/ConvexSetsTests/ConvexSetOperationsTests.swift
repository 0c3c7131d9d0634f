import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct ConvexSetOperationsTests {
  /// `x ≤ 0` and `x ≥ 1`: empty.
  static let emptyInterval = try! HPolyhedron(A: Matrix(rows: [[1], [-1]]), b: [0, -1])
  /// The half-plane `x ≤ 1`.
  static let halfPlane = try! HPolyhedron(A: Matrix(rows: [[1, 0]]), b: [1])

  @Test func emptiness() throws {
    #expect(Self.emptyInterval.isEmpty())
    #expect(!Fixtures.unitTriangle.isEmpty())
    #expect(!Self.halfPlane.isEmpty())
    // Disjoint disk and box: each non-empty, the intersection empty.
    let farBox = try Hyperrectangle(lb: [2, 2], ub: [3, 3])
    #expect(try Intersection([Fixtures.unitDisk, farBox]).isEmpty())
    #expect(!(try Intersection([Fixtures.unitDisk, Fixtures.box]).isEmpty()))
    #expect(try CartesianProduct([Fixtures.box, Self.emptyInterval]).isEmpty())
    // Closed forms answer without a solve.
    #expect(!(try Point([1, 2]).isEmpty()))
    #expect(!Fixtures.box.isEmpty())
    #expect(!Fixtures.shearedEllipse.isEmpty())
    #expect(!Fixtures.unitTriangleVertices.isEmpty())
  }

  @Test func boundedness() throws {
    #expect(!Self.halfPlane.isBounded())
    #expect(Self.emptyInterval.isBounded(), "the empty set is bounded")
    #expect(Fixtures.unitTriangle.isBounded())
    #expect(Fixtures.cutCube.isBounded())
    // A flat ellipsoid (rank-deficient A) is a slab: unbounded.
    let slab = try Hyperellipsoid(A: Matrix(rows: [[1, 0], [2, 0]]), center: [0, 0])
    #expect(!slab.isBounded())
    #expect(slab.boundingBox() == nil)
    #expect(!(try Hyperellipsoid(A: Matrix(rows: [[1, 0]]), center: [0, 0]).isBounded()))
    // An intersection of two unbounded sets can be bounded.
    let quadrant = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1]]), b: [0, 0])
    let cap = try HPolyhedron(A: Matrix(rows: [[1, 1]]), b: [1])
    #expect(try Intersection([quadrant, cap]).isBounded())
    #expect(!(try Intersection([quadrant, Self.halfPlane]).isBounded()))
    #expect(!(try CartesianProduct([Fixtures.box, Self.halfPlane]).isBounded()))
    #expect(try CartesianProduct([Self.halfPlane, Self.emptyInterval]).isBounded(), "a product with an empty factor is empty")
  }

  @Test func ellipsoidBoundingBoxHasTheClosedForm() throws {
    // {‖A(x − c)‖ ≤ 1} with A = [[2, 1], [0, 1]]: (AᵀA)⁻¹ = A⁻¹A⁻ᵀ, A⁻¹ = [[½, −½], [0, 1]],
    // so the half-widths are ‖(½, −½)‖ = √½ and ‖(0, 1)‖ = 1.
    let box = try #require(Fixtures.shearedEllipse.boundingBox())
    let h = 0.5.squareRoot()
    #expect(Fixtures.maxDifference(box.lb, [1 - h, 0]) < 1e-14)
    #expect(Fixtures.maxDifference(box.ub, [1 + h, 2]) < 1e-14)
    // A tall A (more rows than columns) goes through AᵀA as well.
    let tall = try Hyperellipsoid(A: Matrix(rows: [[1, 0], [0, 1], [1, 1]]), center: [0, 0])
    let generic = try #require(tall.genericBoundingBox())
    let closed = try #require(tall.boundingBox())
    // Against an SOCP solved to about 1e-8.
    #expect(Fixtures.maxDifference(closed.ub, generic.ub) < 1e-6)
  }

  @Test func boundingBoxOfUnboundedOrEmptySetsIsNil() {
    #expect(Self.halfPlane.boundingBox() == nil)
    #expect(Self.emptyInterval.boundingBox() == nil)
  }

  @Test func vPolytopeAndPointBoxes() throws {
    let box = try #require(Fixtures.unitTriangleVertices.boundingBox())
    #expect(box == (try Hyperrectangle(lb: [0, 0], ub: [1, 1])))
    #expect(try Point([3, 4]).boundingBox() == (try Hyperrectangle(lb: [3, 4], ub: [3, 4])))
    let product = try CartesianProduct([try Point([3]), Fixtures.box])
    #expect(product.boundingBox() == (try Hyperrectangle(lb: [3, -1, 0], ub: [3, 2, 1])))
  }

  @Test func intersectionTests() throws {
    #expect(Fixtures.unitDisk.intersects(Fixtures.box))
    #expect(!Fixtures.unitDisk.intersects(try Hyperrectangle(lb: [0.8, 0.8], ub: [2, 2])), "the corner (0.8, 0.8) is at distance 1.13")
    #expect(Fixtures.unitDisk.intersects(try Hyperrectangle(lb: [0.7, 0.7], ub: [2, 2])), "the corner (0.7, 0.7) is at distance 0.99")
    #expect(Fixtures.unitTriangle.intersects(try Point([0.25, 0.25])))
    #expect(!Fixtures.unitTriangle.intersects(try Point([1, 1])))
    #expect(!Fixtures.unitTriangleVertices.intersects(try Point([-0.5, 0])))
    let existential: any ConvexSet = Fixtures.box
    #expect(Fixtures.unitTriangle.intersects(existential))
  }

  @Test func closestPoints() throws {
    // Projection onto the unit disk is radial; onto the box a clamp; onto the triangle's
    // hypotenuse the foot of the perpendicular. Solved to about 1e-8, compared at 1e-6.
    let onDisk = try #require(Fixtures.unitDisk.closestPoint(to: [3, 4]))
    #expect(Fixtures.maxDifference(onDisk, [0.6, 0.8]) < 1e-6)
    #expect(Fixtures.box.closestPoint(to: [5, -3]) == [2, 0])
    let onTriangle = try #require(Fixtures.unitTriangle.closestPoint(to: [1, 1]))
    #expect(Fixtures.maxDifference(onTriangle, [0.5, 0.5]) < 1e-6)
    #expect(try Point([1, 2]).closestPoint(to: [0, 0]) == [1, 2])
    #expect(ConvexSetOperationsTests.emptyInterval.closestPoint(to: [0]) == nil)
  }
}

@Suite struct DocumentationExampleTests {
  /// The example at the top of docs/convex-sets.md, with the values it states.
  @Test func convexSetsPageExample() throws {
    let triangle = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1], [1, 1]]), b: [0, 0, 1])
    #expect(!triangle.isEmpty())
    #expect(triangle.isBounded())
    let box = try #require(triangle.boundingBox())
    #expect(Fixtures.maxDifference(box.lb + box.ub, [0, 0, 1, 1]) < 1e-7)
    let (center, radius) = try #require(triangle.chebyshevCenter())
    #expect(abs(radius - 0.2929) < 1e-4 && Fixtures.maxDifference(center, [0.2929, 0.2929]) < 1e-4)
    _ = try triangle.maximumVolumeInscribedEllipsoid()
    #expect(try triangle.uniformSamples(count: 100, seed: 7).count == 100)
    #expect(try VPolytope(triangle).points == [[0, 0], [1, 0], [0, 1]])
    #expect(!triangle.intersects(try Hyperellipsoid.ball(center: [1, 1], radius: 0.5)))
  }
}

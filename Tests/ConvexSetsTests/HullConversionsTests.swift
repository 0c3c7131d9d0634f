import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct HullConversionsTests {
  /// Compares canonical (unit-norm, sorted) facet lists entry by entry.
  static func sameFacets(_ a: HPolyhedron, _ b: HPolyhedron, tolerance: Double) -> Bool {
    let ra = Fixtures.canonicalRows(a)
    let rb = Fixtures.canonicalRows(b)
    guard ra.count == rb.count else { return false }
    return zip(ra, rb).allSatisfy { Fixtures.maxDifference($0, $1) <= tolerance }
  }

  /// Whether two point lists hold the same points (any order) to `tolerance`.
  static func samePoints(_ a: [[Double]], _ b: [[Double]], tolerance: Double) -> Bool {
    a.count == b.count && a.allSatisfy { p in b.contains { Fixtures.maxDifference(p, $0) <= tolerance } }
  }

  @Test func interval() throws {
    let h = try HPolyhedron(try VPolytope(points: [[3], [-1], [0.5]]))
    #expect(h.A == Matrix(rows: [[1], [-1]]))
    #expect(h.b == [3, 1])
    let v = try VPolytope(h)
    #expect(v.points == [[-1], [3]])
  }

  @Test func squareWithInteriorAndEdgePoints() throws {
    let points: [[Double]] = [[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [1, 0], [2, 1.5], [0.3, 1.9]]
    let h = try HPolyhedron(try VPolytope(points: points))
    let square = HPolyhedron(try Hyperrectangle(lb: [0, 0], ub: [2, 2]))
    // Unit normals from exact differences of small integers: exact up to a rounding or two.
    #expect(Self.sameFacets(h, square, tolerance: 1e-15))
    // Back to vertices: counter-clockwise from the lexicographically smallest.
    let v = try VPolytope(h)
    #expect(v.points == [[0, 0], [2, 0], [2, 2], [0, 2]])
  }

  @Test func randomPlanarHullsRoundTrip() throws {
    var rng = SeededGenerator(seed: 31)
    for trial in 0..<5 {
      let points = (0..<(20 + 10 * trial)).map { _ in [rng.nextStandardNormal(), rng.nextStandardNormal()] }
      let v = try VPolytope(points: points)
      let h = try HPolyhedron(v)
      for p in points { #expect(h.contains(p, tolerance: 1e-12)) }
      let vertices = try VPolytope(h).points
      let minimal = v.minimalRepresentation().points
      // Vertices recomputed from facet lines: rounding of a 2×2 solve, well conditioned here.
      #expect(Self.samePoints(vertices, minimal, tolerance: 1e-9), "trial \(trial)")
      // Each recomputed vertex is one of the input points.
      #expect(vertices.allSatisfy { q in points.contains { Fixtures.maxDifference($0, q) <= 1e-9 } })
      #expect(Self.sameFacets(try HPolyhedron(try VPolytope(points: vertices)), h, tolerance: 1e-9))
    }
  }

  @Test func cubeRoundTrip() throws {
    // Corners, the centre, face centres and an edge midpoint: only the corners are vertices.
    var points = Fixtures.cubeCorners
    points += [[0, 0, 0], [1, 0, 0], [0, -1, 0], [0, 0, 1], [1, 1, 0]]
    let h = try HPolyhedron(try VPolytope(points: points))
    let cube = HPolyhedron(try Hyperrectangle(lb: [-1, -1, -1], ub: [1, 1, 1]))
    // Normals of axis-aligned triangles come out exact up to rounding.
    #expect(Self.sameFacets(h, cube, tolerance: 1e-12), "\(Fixtures.canonicalRows(h))")
    let v = try VPolytope(h)
    #expect(Self.samePoints(v.points, Fixtures.cubeCorners, tolerance: 1e-12))
    #expect(v.points == v.points.sorted { $0.lexicographicallyPrecedes($1) })
  }

  @Test func gridWithCoplanarAndCollinearPoints() throws {
    // The 27 points of {−1, 0, 1}³, in two orders: 6 facets, 8 extreme points.
    var grid: [[Double]] = []
    for x in [-1.0, 0, 1] { for y in [-1.0, 0, 1] { for z in [-1.0, 0, 1] { grid.append([x, y, z]) } } }
    var rng = SeededGenerator(seed: 1)
    let cube = HPolyhedron(try Hyperrectangle(lb: [-1, -1, -1], ub: [1, 1, 1]))
    for points in [grid, grid.shuffled(using: &rng)] {
      #expect(Self.sameFacets(try HPolyhedron(try VPolytope(points: points)), cube, tolerance: 1e-12))
      #expect(Self.samePoints(try VPolytope(points: points).minimalRepresentation().points, Fixtures.cubeCorners, tolerance: 0))
    }
  }

  @Test func randomSpatialHullsRoundTrip() throws {
    var rng = SeededGenerator(seed: 77)
    for trial in 0..<4 {
      let points = (0..<(15 + 15 * trial)).map { _ in (0..<3).map { _ in rng.nextStandardNormal() } }
      let h = try HPolyhedron(try VPolytope(points: points))
      for p in points { #expect(h.contains(p, tolerance: 1e-12)) }
      let vertices = try VPolytope(h).points
      #expect(vertices.allSatisfy { q in points.contains { Fixtures.maxDifference($0, q) <= 1e-9 } }, "trial \(trial)")
      let again = try HPolyhedron(try VPolytope(points: vertices))
      // Generic random points: no four coplanar, so facets are triangles, recomputed from the
      // same three points up to the rounding of the vertex solves.
      #expect(Self.sameFacets(again, h, tolerance: 1e-8), "trial \(trial)")
      let minimal = try VPolytope(points: points).minimalRepresentation().points
      #expect(Self.samePoints(minimal, vertices, tolerance: 1e-9), "trial \(trial)")
    }
  }

  @Test func pointsOnASphereAreAllVertices() throws {
    var rng = SeededGenerator(seed: 5)
    let points = (0..<30).map { _ -> [Double] in
      let g = (0..<3).map { _ in rng.nextStandardNormal() }
      return g.scaled(by: 1 / g.norm2)
    }
    let vertices = try VPolytope(try HPolyhedron(try VPolytope(points: points))).points
    #expect(Self.samePoints(vertices, points, tolerance: 1e-9))
  }

  @Test func flatPolytopesStillGetVertices() throws {
    // A unit square in the plane z = 0 of ℝ³.
    let flat = try HPolyhedron(
      A: Matrix(rows: [[0, 0, 1], [0, 0, -1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]]), b: [0, 0, 1, 0, 1, 0])
    let v = try VPolytope(flat)
    #expect(Self.samePoints(v.points, [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], tolerance: 1e-12))
  }

  @Test func minimalRepresentationAboveThreeDimensions() throws {
    // The 16 corners of the 4-cube plus its centre and a face centre: 16 extreme points.
    var corners: [[Double]] = []
    for k in 0..<16 { corners.append((0..<4).map { (k >> $0) & 1 == 1 ? 1.0 : -1.0 }) }
    let polytope = try VPolytope(points: corners + [[0, 0, 0, 0], [1, 0, 0, 0]])
    #expect(Self.samePoints(polytope.minimalRepresentation().points, corners, tolerance: 0))
    let twoD = try VPolytope(points: [[0, 0], [1, 0], [1, 0], [0.5, 0], [0, 1], [0.2, 0.2]])
    #expect(twoD.minimalRepresentation().points == [[0, 0], [1, 0], [0, 1]])
    #expect(try VPolytope(points: [[2, 2], [2, 2]]).minimalRepresentation().points == [[2, 2]])
  }

  @Test func badInputThrowsNamedErrors() throws {
    let fourD = try VPolytope(points: [[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    #expect(
      throws: ConvexSetError(
        field: "vertices", message: "have dimension 4; HPolyhedron(VPolytope) computes convex hulls in dimensions 1 to 3 only")
    ) { try HPolyhedron(fourD) }
    #expect(
      throws: ConvexSetError(
        field: "vertices", message: "lie on one line within 1e-09 × diameter; the hull is degenerate (lower-dimensional in ℝ²)")
    ) { try HPolyhedron(try VPolytope(points: [[0, 0], [1, 1], [2, 2]])) }
    #expect(
      throws: ConvexSetError(
        field: "vertices", message: "lie in one plane within 1e-09 × diameter; the hull is degenerate (2-dimensional in ℝ³)")
    ) { try HPolyhedron(try VPolytope(points: [[0, 0, 1], [1, 0, 1], [0, 1, 1], [1, 1, 1]])) }
    #expect(
      throws: ConvexSetError(field: "vertices", message: "span a single point (2.0); the hull is degenerate (0-dimensional in ℝ¹)")
    ) { try HPolyhedron(try VPolytope(points: [[2], [2]])) }
    let box4 = HPolyhedron(try Hyperrectangle(lb: [0, 0, 0, 0], ub: [1, 1, 1, 1]))
    #expect(
      throws: ConvexSetError(field: "A", message: "has 4 columns; VPolytope(HPolyhedron) enumerates vertices in dimensions 1 to 3 only")
    ) { try VPolytope(box4) }
    #expect(
      throws: ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; it is not the hull of finitely many points")
    ) { try VPolytope(ConvexSetOperationsTests.halfPlane) }
    #expect(throws: ConvexSetError(field: "A", message: "and b describe an empty polyhedron; it has no vertices")) {
      try VPolytope(ConvexSetOperationsTests.emptyInterval)
    }
  }
}

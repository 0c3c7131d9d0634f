import ConvexSets
import LinearAlgebra
import Testing
@testable import GraphsOfConvexSets

@Suite struct RegionQueriesTests {
  @Test func boxesThatOverlapTouchOrAreApart() throws {
    let a = try Hyperrectangle(lb: [0, 0], ub: [2, 1])
    let overlapping = try Hyperrectangle(lb: [1, 0.5], ub: [3, 3])
    let touching = try Hyperrectangle(lb: [2, 0], ub: [3, 1])  // shares the face x = 2
    let apart = try Hyperrectangle(lb: [2.1, 0], ub: [3, 1])
    #expect(RegionQueries.intersect(a, overlapping))
    #expect(RegionQueries.intersect(a, touching))
    #expect(!RegionQueries.intersect(a, apart))
  }

  @Test func ballAndPolytope() throws {
    let ball = try Hyperellipsoid.ball(center: [0, 0], radius: 1)
    // The triangle x + y ≥ 1.5, x ≤ 2, y ≤ 2: its nearest point to the origin is at distance 1.06.
    let far = try HPolyhedron(A: Matrix(rows: [[-1, -1], [1, 0], [0, 1]]), b: [-1.5, 2, 2])
    let near = try HPolyhedron(A: Matrix(rows: [[-1, -1], [1, 0], [0, 1]]), b: [-1.2, 2, 2])
    #expect(!RegionQueries.intersect(ball, far))
    #expect(RegionQueries.intersect(ball, near))
  }

  @Test func extentOfBoundedUnboundedAndEmptyPolyhedra() throws {
    let triangle = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1], [1, 1]]), b: [0, 0, 1])
    guard case .bounded(let lower, let upper) = RegionQueries.extent(of: triangle) else {
      Issue.record("triangle not found bounded")
      return
    }
    // Interior-point accuracy 1e-8 relative; 1e-6 leaves margin.
    for j in 0..<2 {
      #expect(abs(lower[j]) < 1e-6)
      #expect(abs(upper[j] - 1) < 1e-6)
    }
    let halfPlane = try HPolyhedron(A: Matrix(rows: [[1, 0]]), b: [1])
    #expect(RegionQueries.extent(of: halfPlane) == .unbounded(coordinate: 0))
    let empty = try HPolyhedron(A: Matrix(rows: [[1, 0], [-1, 0], [0, 1], [0, -1]]), b: [0, -1, 1, 1])
    #expect(RegionQueries.extent(of: empty) == .empty)
  }
}

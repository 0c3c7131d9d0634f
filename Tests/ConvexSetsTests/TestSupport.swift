import LinearAlgebra
@testable import ConvexSets

/// A named set for the conformance suite, with what is known about it.
struct SetFixture: Sendable, CustomStringConvertible {
  var name: String
  var set: any ConvexSet
  /// Whether the set has interior (hit-and-run then moves; membership tests can sample around it).
  var fullDimensional: Bool = true
  var description: String { name }
}

/// Sets built from fixed data, shared by the test files.
enum Fixtures {
  /// `[−1, 2] × [0, 1]`.
  static let box = try! Hyperrectangle(lb: [-1, 0], ub: [2, 1])

  /// The triangle with vertices (0, 0), (1, 0), (0, 1): `−x ≤ 0, −y ≤ 0, x + y ≤ 1`.
  static let unitTriangle = try! HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1], [1, 1]]), b: [0, 0, 1])

  /// The same triangle as points, with an interior point and an edge midpoint that are not extreme.
  static let unitTriangleVertices = try! VPolytope(points: [[0, 0], [1, 0], [0, 1], [0.2, 0.2], [0.5, 0.5]])

  /// `{x : ‖A(x − c)‖ ≤ 1}` with a sheared `A` (axes not aligned with the coordinates).
  static let shearedEllipse = try! Hyperellipsoid(A: Matrix(rows: [[2, 1], [0, 1]]), center: [1, 1])

  /// The unit ball in ℝ² centred at the origin.
  static let unitDisk = try! Hyperellipsoid.ball(center: [0, 0], radius: 1)

  /// `[−1, 1]³` cut by `x + y + z ≤ 2` (a cube with one corner sliced off).
  static let cutCube: HPolyhedron = {
    let cube = HPolyhedron(try! Hyperrectangle(lb: [-1, -1, -1], ub: [1, 1, 1]))
    var rows = cube.A.rows
    rows.append([1, 1, 1])
    return try! HPolyhedron(A: Matrix(rows: rows), b: cube.b + [2])
  }()

  /// The 8 corners of `[−1, 1]³`.
  static let cubeCorners: [[Double]] = {
    var out: [[Double]] = []
    for x in [-1.0, 1] { for y in [-1.0, 1] { for z in [-1.0, 1] { out.append([x, y, z]) } } }
    return out
  }()

  /// Every set type, for the conformance suite.
  static let conformance: [SetFixture] = [
    SetFixture(name: "Point", set: try! Point([0.5, -1]), fullDimensional: false),
    SetFixture(name: "Hyperrectangle", set: box),
    SetFixture(name: "HPolyhedron (triangle)", set: unitTriangle),
    SetFixture(name: "HPolyhedron (cut cube, 3-D)", set: cutCube),
    SetFixture(name: "VPolytope (triangle with extra points)", set: unitTriangleVertices),
    SetFixture(name: "VPolytope (tetrahedron, 3-D)", set: try! VPolytope(points: [[0, 0, 0], [2, 0, 0], [0, 1, 0], [0, 0, 1]])),
    SetFixture(name: "Hyperellipsoid (sheared)", set: shearedEllipse),
    SetFixture(name: "Intersection (disk ∩ box)", set: try! Intersection([unitDisk, try! Hyperrectangle(lb: [-0.5, -2], ub: [2, 0.5])])),
    SetFixture(
      name: "CartesianProduct (interval × ellipse)",
      set: try! CartesianProduct([try! Hyperrectangle(lb: [3], ub: [4]), shearedEllipse])),
  ]

  /// The mean of points.
  static func mean(_ points: [[Double]]) -> [Double] {
    var out = [Double](repeating: 0, count: points[0].count)
    for p in points { out.axpy(1 / Double(points.count), p) }
    return out
  }

  /// Largest absolute entrywise difference.
  static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }

  /// The rows of an H-polyhedron scaled to unit norm, as `[a..., b]`, sorted: a canonical form to
  /// compare facet sets.
  static func canonicalRows(_ h: HPolyhedron) -> [[Double]] {
    (0..<h.inequalityCount).map { i in
      let a = h.A.row(i)
      let norm = a.norm2
      return a.map { $0 / norm } + [h.b[i] / norm]
    }.sorted { $0.lexicographicallyPrecedes($1) }
  }
}

import ConicSolver
import LinearAlgebra

/// The convex hull of finitely many points (vertex representation).
public struct VPolytope: ConvexSet, Equatable {
  /// The points, one per column (`n × p`), as in Drake.
  public var vertices: Matrix

  /// - Throws: `ConvexSetError` when there are no points or data are not finite.
  public init(vertices: Matrix) throws(ConvexSetError) {
    if vertices.columnCount == 0 { throw ConvexSetError(field: "vertices", message: "has no points") }
    if vertices.rowCount == 0 { throw ConvexSetError(field: "vertices", message: "points have dimension 0") }
    try checkFinite(vertices.elements, field: "vertices")
    self.vertices = vertices
  }

  /// The hull of the given points (one per array).
  /// - Throws: `ConvexSetError` when the points differ in dimension, there are none, or not finite.
  public init(points: [[Double]]) throws(ConvexSetError) {
    guard let n = points.first?.count else { throw ConvexSetError(field: "vertices", message: "has no points") }
    for (k, p) in points.enumerated() where p.count != n {
      throw ConvexSetError(field: "vertices[\(k)]", message: "has dimension \(p.count), expected \(n)")
    }
    var m = Matrix(rowCount: n, columnCount: points.count, repeating: 0)
    for (j, p) in points.enumerated() { for i in 0..<n { m[i, j] = p[i] } }
    try self.init(vertices: m)
  }

  public var ambientDimension: Int { vertices.rowCount }

  /// The points, one array each.
  public var points: [[Double]] { (0..<vertices.columnCount).map { vertices.column($0) } }

  /// Membership by a small LP: `x = V λ, λ ≥ 0, 1ᵀλ = 1` with residual at most `tolerance`.
  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    precondition(x.count == ambientDimension, "VPolytope.contains: point of dimension \(x.count), set of dimension \(ambientDimension)")
    return distanceToHull(x) <= tolerance
  }

  /// `x − V λ = 0, 1ᵀλ − 1 = 0` (zero cone) and `λ ≥ 0`; `λ` are the auxiliary variables.
  public var conicDescription: ConicSetDescription {
    let n = ambientDimension
    let p = vertices.columnCount
    var eq: [ConicSetDescription.SparseRow] = []
    var eqConstants: [Double] = []
    for i in 0..<n {
      var columns = [i]
      var values = [1.0]
      for j in 0..<p where vertices[i, j] != 0 {
        columns.append(n + j)
        values.append(-vertices[i, j])
      }
      eq.append(.init(columns: columns, values: values))
      eqConstants.append(0)
    }
    eq.append(.init(columns: (0..<p).map { n + $0 }, values: [Double](repeating: 1, count: p)))
    eqConstants.append(-1)
    let nonneg = (0..<p).map { ConicSetDescription.SparseRow(columns: [n + $0], values: [1]) }
    return ConicSetDescription(
      dimension: n, auxiliaryCount: p,
      blocks: [
        .init(kind: .zero, rows: eq, constants: eqConstants),
        .init(kind: .nonnegative, rows: nonneg, constants: [Double](repeating: 0, count: p)),
      ])
  }

  public var isBoundedByConstruction: Bool? { true }

  public var description: String { "VPolytope(\(vertices.columnCount) points in ℝ^\(ambientDimension))" }

  /// The ∞-norm distance from `x` to the hull, by an LP (0 inside).
  func distanceToHull(_ x: [Double]) -> Double {
    // minimize r  s.t.  −r ≤ x − Vλ ≤ r,  λ ≥ 0,  1ᵀλ = 1.
    let n = ambientDimension
    let p = vertices.columnCount
    var builder = ConicProgramBuilder()
    let lambda = builder.addVariables(p)
    let r = builder.addVariables(1).lowerBound
    builder.addLinearCost(r, 1)
    var sum = AffineExpression(constant: -1)
    for j in lambda { sum.add(j, 1) }
    builder.addConstraint(.zero, [sum])
    var rows: [AffineExpression] = []
    for i in 0..<n {
      var e = AffineExpression(constant: x[i])
      for j in 0..<p { e.add(lambda.lowerBound + j, -vertices[i, j]) }
      var up = AffineExpression.variable(r)
      up.add(e, scale: -1)
      var down = AffineExpression.variable(r)
      down.add(e)
      rows.append(up)
      rows.append(down)
    }
    rows.append(contentsOf: lambda.map { AffineExpression.variable($0) })
    builder.addConstraint(.nonnegative, rows)
    guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else {
      return .infinity
    }
    let result = solver.solve()
    return result.status.hasSolution ? max(0, result.x[r]) : .infinity
  }
}

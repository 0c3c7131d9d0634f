import ConicSolver
import LinearAlgebra

/// The polyhedron `{x : A x ≤ b}` (half-space representation), bounded or not.
public struct HPolyhedron: ConvexSet, Equatable {
  /// The `m × n` constraint matrix.
  public var A: Matrix
  /// The right-hand side, `m`.
  public var b: [Double]

  /// - Throws: `ConvexSetError` when `b` does not have one entry per row of `A`, `A` has no columns,
  ///   or data are not finite.
  public init(A: Matrix, b: [Double]) throws(ConvexSetError) {
    if A.columnCount == 0 { throw ConvexSetError(field: "A", message: "has no columns") }
    if A.rowCount != b.count {
      throw ConvexSetError(field: "b", message: "has \(b.count) entries but A has \(A.rowCount) rows")
    }
    try checkFinite(A.elements, field: "A")
    try checkFinite(b, field: "b")
    self.A = A
    self.b = b
  }

  /// The box `{lb ≤ x ≤ ub}` as an H-polyhedron (rows `+eᵢ ≤ ub`, then `−eᵢ ≤ −lb`).
  public init(_ box: Hyperrectangle) {
    let n = box.ambientDimension
    var rows: [[Double]] = []
    var rhs: [Double] = []
    for i in 0..<n {
      var r = [Double](repeating: 0, count: n)
      r[i] = 1
      rows.append(r)
      rhs.append(box.ub[i])
    }
    for i in 0..<n {
      var r = [Double](repeating: 0, count: n)
      r[i] = -1
      rows.append(r)
      rhs.append(-box.lb[i])
    }
    self.A = Matrix(rows: rows)
    self.b = rhs
  }

  public var ambientDimension: Int { A.columnCount }

  /// Number of inequalities.
  public var inequalityCount: Int { A.rowCount }

  /// `max_i (A x − b)_i ≤ tolerance`.
  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    precondition(x.count == A.columnCount, "HPolyhedron.contains: point of dimension \(x.count), set of dimension \(A.columnCount)")
    let ax = A * x
    for i in b.indices where ax[i] - b[i] > tolerance { return false }
    return true
  }

  /// `b − A x ≥ 0`.
  public var conicDescription: ConicSetDescription {
    var rows: [ConicSetDescription.SparseRow] = []
    for i in 0..<A.rowCount {
      rows.append(.init(dense: A.row(i).map { -$0 }))
    }
    return ConicSetDescription(dimension: A.columnCount, blocks: [.init(kind: .nonnegative, rows: rows, constants: b)])
  }

  public var isBoundedByConstruction: Bool? { nil }

  public var description: String { "HPolyhedron(\(A.rowCount) inequalities in ℝ^\(A.columnCount))" }
}

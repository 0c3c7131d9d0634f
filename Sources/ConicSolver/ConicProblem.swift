import LinearAlgebra

/// A cone of the product cone `K`, as users describe it (dimension only).
///
/// The solver turns each descriptor into an internal cone that owns its workspace. New cone kinds
/// (exponential, positive semidefinite) are added as new cases here and new internal cone types,
/// without touching the interior-point core.
public enum ConeSpec: Sendable, Hashable {
  /// `{0}^d`: the rows are equalities `Ax = b`.
  case zero(Int)
  /// The nonnegative orthant `ℝ^d_+`: the rows are inequalities `Ax ≤ b`.
  case nonnegative(Int)
  /// The second-order (Lorentz) cone `{(t, u) : ‖u‖₂ ≤ t}` of dimension `d ≥ 1`, `t` first.
  case secondOrder(Int)

  /// Number of rows of `A` that the cone covers.
  public var dimension: Int {
    switch self {
    case .zero(let d), .nonnegative(let d), .secondOrder(let d): return d
    }
  }
}

/// A convex conic program in the standard form used by Clarabel:
///
/// ```
/// minimize    ½ xᵀPx + qᵀx + c
/// subject to  Ax + s = b,  s ∈ K = K₁ × K₂ × …
/// ```
///
/// `P` is positive semidefinite and stored as its upper triangle (diagonal included).
public struct ConicProblem: Sendable {
  /// Quadratic cost, upper triangle, `n × n`.
  public var P: SparseMatrixCSC
  /// Linear cost, `n`.
  public var q: [Double]
  /// Constraint matrix, `m × n`.
  public var A: SparseMatrixCSC
  /// Constraint right-hand side, `m`.
  public var b: [Double]
  /// Cones in row order; their dimensions add up to `m`.
  public var cones: [ConeSpec]
  /// Constant added to the objective (reported objectives include it).
  public var objectiveConstant: Double
  /// Optional name (from the file it was read from).
  public var name: String?

  /// Number of variables.
  public var variableCount: Int { q.count }
  /// Number of constraint rows.
  public var constraintCount: Int { b.count }

  /// Builds a problem and checks it: dimensions, cone sizes, finiteness, P upper triangular.
  ///
  /// A `P` with entries below the diagonal is rejected (give the upper triangle, as Clarabel does);
  /// `ConicProblem.upperTriangle(ofSymmetric:)` converts a full symmetric matrix.
  /// - Throws: `ConicProblemError` naming the field and what is wrong.
  public init(
    P: SparseMatrixCSC, q: [Double], A: SparseMatrixCSC, b: [Double], cones: [ConeSpec],
    objectiveConstant: Double = 0, name: String? = nil
  ) throws(ConicProblemError) {
    self.P = P
    self.q = q
    self.A = A
    self.b = b
    self.cones = cones
    self.objectiveConstant = objectiveConstant
    self.name = name
    try validate()
  }

  /// Checks the problem data; `init` calls it, call it again after mutating fields.
  public func validate() throws(ConicProblemError) {
    let n = q.count
    let m = b.count
    if P.rowCount != n || P.columnCount != n {
      throw ConicProblemError(field: "P", message: "is \(P.rowCount)×\(P.columnCount), expected \(n)×\(n) (n = length of q)")
    }
    if A.rowCount != m || A.columnCount != n {
      throw ConicProblemError(field: "A", message: "is \(A.rowCount)×\(A.columnCount), expected \(m)×\(n) (m = length of b, n = length of q)")
    }
    if let problem = SparseMatrixCSC.structuralProblem(
      rowCount: P.rowCount, columnCount: P.columnCount, columnPointers: P.columnPointers,
      rowIndices: P.rowIndices, values: P.values)
    {
      throw ConicProblemError(field: "P", message: problem)
    }
    if let problem = SparseMatrixCSC.structuralProblem(
      rowCount: A.rowCount, columnCount: A.columnCount, columnPointers: A.columnPointers,
      rowIndices: A.rowIndices, values: A.values)
    {
      throw ConicProblemError(field: "A", message: problem)
    }
    for j in 0..<n {
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] where P.rowIndices[p] > j {
        throw ConicProblemError(
          field: "P",
          message: "has entry (\(P.rowIndices[p]), \(j)) below the diagonal; give the upper triangle of a symmetric P")
      }
    }
    if let k = P.values.firstIndex(where: { !$0.isFinite }) {
      throw ConicProblemError(field: "P", message: "nzval[\(k)] is \(P.values[k]) (not finite)")
    }
    if let k = A.values.firstIndex(where: { !$0.isFinite }) {
      throw ConicProblemError(field: "A", message: "nzval[\(k)] is \(A.values[k]) (not finite)")
    }
    if let k = q.firstIndex(where: { !$0.isFinite }) {
      throw ConicProblemError(field: "q", message: "q[\(k)] is \(q[k]) (not finite)")
    }
    if let k = b.firstIndex(where: { !$0.isFinite }) {
      throw ConicProblemError(field: "b", message: "b[\(k)] is \(b[k]) (not finite)")
    }
    if !objectiveConstant.isFinite {
      throw ConicProblemError(field: "objective_constant", message: "is \(objectiveConstant) (not finite)")
    }
    var total = 0
    for (k, cone) in cones.enumerated() {
      let d = cone.dimension
      if d < 0 { throw ConicProblemError(field: "cones[\(k)]", message: "has negative dimension \(d)") }
      if case .secondOrder = cone, d < 1 {
        throw ConicProblemError(field: "cones[\(k)]", message: "second-order cone needs dimension ≥ 1, got \(d)")
      }
      total += d
    }
    if total != m {
      throw ConicProblemError(field: "cones", message: "dimensions add up to \(total), but A and b have \(m) rows")
    }
  }
}

/// Bad problem data: which field, and what is wrong with it.
public struct ConicProblemError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The field at fault (`"P"`, `"A"`, `"cones[3]"`, …).
  public var field: String
  /// What is wrong, in words.
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field) \(message)" }
}

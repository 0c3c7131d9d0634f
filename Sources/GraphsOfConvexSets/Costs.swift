import LinearAlgebra

/// A convex cost on a vertex (acting on `z = x_v`) or an edge (acting on `z = (x_u, x_v)`).
///
/// The kinds are those of the `osprey.gcs` file format (see docs/formats/gcs.md).
public enum GCSCost: Sendable, Equatable {
  /// `‖x_v − x_u‖₂` (edges only, `dim x_u = dim x_v`).
  case euclidean
  /// `‖A z + b‖₂`.
  case l2Norm(A: Matrix, b: [Double])
  /// `‖A z + b‖₁`.
  case l1Norm(A: Matrix, b: [Double])
  /// `‖A z + b‖∞`.
  case lInfNorm(A: Matrix, b: [Double])
  /// `aᵀz + b`.
  case linear(a: [Double], b: Double)
  /// `½ zᵀQz + qᵀz + c`, `Q` symmetric positive semidefinite.
  case quadratic(Q: Matrix, q: [Double], c: Double)

  /// The number of entries of `z` the cost expects (`nil` for `euclidean`, which adapts).
  public var argumentDimension: Int? {
    switch self {
    case .euclidean: return nil
    case .l2Norm(let A, _), .l1Norm(let A, _), .lInfNorm(let A, _): return A.columnCount
    case .linear(let a, _): return a.count
    case .quadratic(let Q, _, _): return Q.columnCount
    }
  }

  /// The cost's value at `z`.
  public func value(at z: [Double]) -> Double {
    switch self {
    case .euclidean:
      let h = z.count / 2
      var s = 0.0
      for i in 0..<h { s += (z[h + i] - z[i]) * (z[h + i] - z[i]) }
      return s.squareRoot()
    case .l2Norm(let A, let b):
      let r = A * z
      return r.indices.reduce(0.0) { $0 + (r[$1] + b[$1]) * (r[$1] + b[$1]) }.squareRoot()
    case .l1Norm(let A, let b):
      let r = A * z
      return r.indices.reduce(0.0) { $0 + abs(r[$1] + b[$1]) }
    case .lInfNorm(let A, let b):
      let r = A * z
      return r.indices.reduce(0.0) { max($0, abs(r[$1] + b[$1])) }
    case .linear(let a, let b):
      return a.indices.reduce(b) { $0 + a[$1] * z[$1] }
    case .quadratic(let Q, let q, let c):
      let qz = Q * z
      return z.indices.reduce(c) { $0 + 0.5 * z[$1] * qz[$1] + q[$1] * z[$1] }
    }
  }
}

/// A convex constraint on a vertex (on `z = x_v`) or an edge (on `z = (x_u, x_v)`).
public enum GCSConstraint: Sendable, Equatable {
  /// `A z = b`.
  case linearEquality(A: Matrix, b: [Double])
  /// `lb ≤ A z ≤ ub`; infinite entries mean no bound on that side.
  case linearInequality(A: Matrix, lb: [Double], ub: [Double])

  /// The number of entries of `z` the constraint expects.
  public var argumentDimension: Int {
    switch self {
    case .linearEquality(let A, _), .linearInequality(let A, _, _): return A.columnCount
    }
  }

  /// The largest violation at `z` (0 when satisfied).
  public func violation(at z: [Double]) -> Double {
    switch self {
    case .linearEquality(let A, let b):
      let r = A * z
      return r.indices.reduce(0.0) { max($0, abs(r[$1] - b[$1])) }
    case .linearInequality(let A, let lb, let ub):
      let r = A * z
      return r.indices.reduce(0.0) { max($0, lb[$1] - r[$1], r[$1] - ub[$1]) }
    }
  }
}

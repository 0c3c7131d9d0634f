/// A numerical failure reported by a dense factorization or solve.
///
/// Indices are 0-based. Dimension mismatches are programmer errors and stop the program through
/// `precondition`; this type covers outcomes that depend on the values in the matrix.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The leading principal minor of order `pivot + 1` is not positive, so Cholesky stopped at
  /// diagonal entry `pivot`.
  case notPositiveDefinite(pivot: Int)
  /// The factor has an exact zero pivot at diagonal entry `pivot` (LU: `U[pivot, pivot]`,
  /// LDLᵀ: `D[pivot, pivot]`), so solves would divide by zero.
  case singular(pivot: Int)
  /// `R[column, column]` is exactly zero in a QR least-squares solve, so the columns of `A` are
  /// linearly dependent.
  case rankDeficient(column: Int)
  /// An iterative LAPACK routine (the symmetric eigensolver) did not converge; `count` is the
  /// LAPACK `info` value (number of off-diagonal elements, or the failing eigenvalue index).
  case didNotConverge(count: Int)
  /// LAPACK rejected argument number `position` of `routine` (1-based, as LAPACK counts).
  /// With LAPACKE this happens when the input matrix contains NaN.
  case invalidArgument(routine: String, position: Int)

  /// A sentence that names the failure and the pivot or index.
  public var description: String {
    switch self {
    case .notPositiveDefinite(let pivot):
      return "matrix is not positive definite: leading minor of order \(pivot + 1) is not positive (pivot \(pivot))"
    case .singular(let pivot):
      return "matrix is singular: zero pivot at diagonal entry \(pivot)"
    case .rankDeficient(let column):
      return "matrix is rank deficient: R[\(column), \(column)] is zero"
    case .didNotConverge(let count):
      return "eigensolver did not converge (LAPACK info = \(count))"
    case .invalidArgument(let routine, let position):
      return "\(routine) rejected argument \(position) (NaN in the input?)"
    }
  }
}

import CLapack

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The Cholesky factorization of a symmetric positive definite matrix (`dpotrf`).
///
/// ```
/// A = L·Lᵀ,   L lower triangular with positive diagonal
/// ```
/// Only the lower triangle of `A` is read; the strict upper triangle is ignored.
public struct CholeskyFactorization: Sendable {
  /// The order `n` of the factored `n × n` matrix.
  public let dimension: Int
  /// LAPACK's in-place factor: `L` in the lower triangle; the strict upper triangle holds
  /// whatever `A` had there (not read by the solves).
  let factor: Matrix

  /// Factors a symmetric positive definite matrix.
  ///
  /// - Complexity: O(n³/3).
  /// - Throws: `LinearAlgebraError.notPositiveDefinite` with the 0-based diagonal entry where the
  ///   leading minor stopped being positive.
  /// - Precondition: `A` is square.
  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.isSquare, "CholeskyFactorization: matrix is \(a.rowCount)×\(a.columnCount), not square")
    let n = a.rowCount
    var f = a
    if n > 0 {
      let info = f.elements.withUnsafeMutableBufferPointer { p in
        LAPACKE_dpotrf(lapackColumnMajor, LapackChar.lower, lapackInt(n), p.baseAddress, leadingDimension(n))
      }
      try checkArgumentInfo(info, "dpotrf")
      if info > 0 { throw LinearAlgebraError.notPositiveDefinite(pivot: Int(info) - 1) }
    }
    dimension = n
    factor = f
  }

  /// The lower-triangular factor `L` (zeros above the diagonal).
  /// - Complexity: O(n²).
  public var lower: Matrix {
    var l = factor
    for j in 0..<dimension {
      for i in 0..<j { l[i, j] = 0 }
    }
    return l
  }

  /// Solves `A·x = b` (`dpotrs`).
  /// - Complexity: O(n²).
  /// - Precondition: `b.count == dimension`.
  public func solve(_ b: [Double]) -> [Double] {
    precondition(b.count == dimension, "CholeskyFactorization.solve: b has \(b.count) entries, matrix is \(dimension)×\(dimension)")
    let x = solve(Matrix(rowCount: dimension, columnCount: 1, elements: b))
    return x.elements
  }

  /// Solves `A·X = B` for every column of `B` (`dpotrs`).
  /// - Complexity: O(n² · k) for `k` right-hand sides.
  /// - Precondition: `B.rowCount == dimension`.
  public func solve(_ b: Matrix) -> Matrix {
    precondition(
      b.rowCount == dimension,
      "CholeskyFactorization.solve: B is \(b.rowCount)×\(b.columnCount), matrix is \(dimension)×\(dimension)")
    var x = b
    if dimension == 0 || b.columnCount == 0 { return x }
    let info = factor.elements.withUnsafeBufferPointer { f in
      x.elements.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dpotrs(
          lapackColumnMajor, LapackChar.lower, lapackInt(dimension), lapackInt(b.columnCount),
          f.baseAddress, leadingDimension(dimension), xp.baseAddress, leadingDimension(dimension))
      }
    }
    precondition(info == 0, "CholeskyFactorization.solve: dpotrs returned info \(info)")
    return x
  }

  /// The logarithm of `det A`, which is positive for a positive definite matrix.
  ///
  /// ```
  /// log det A = 2 Σᵢ log lᵢᵢ
  /// ```
  /// - Complexity: O(n).
  public var logDeterminant: Double {
    var s = 0.0
    for i in 0..<dimension { s += log(factor[i, i]) }
    return 2 * s
  }

  /// `det A = Πᵢ lᵢᵢ²` (may overflow for large matrices; prefer `logDeterminant`).
  /// - Complexity: O(n).
  public var determinant: Double {
    var p = 1.0
    for i in 0..<dimension { p *= factor[i, i] * factor[i, i] }
    return p
  }
}

import CLapack

/// The Householder QR factorization of an `m × n` matrix (`dgeqrf`).
///
/// ```
/// A = Q·R,   Q (m × k) with orthonormal columns, R (k × n) upper triangular, k = min(m, n)
/// ```
/// No column pivoting: rank deficiency shows up as an exactly zero diagonal entry of `R` only in
/// exact arithmetic, so check the diagonal of `r` against a tolerance when that matters.
public struct QRFactorization: Sendable {
  /// Number of rows `m` of the factored matrix.
  public let rowCount: Int
  /// Number of columns `n` of the factored matrix.
  public let columnCount: Int
  /// LAPACK's compact form: `R` on and above the diagonal, Householder vectors below.
  let compact: Matrix
  /// Householder scalars, `min(m, n)` of them.
  let tau: [Double]

  /// Factors a matrix of any shape.
  /// - Complexity: O(2mn² − 2n³/3) for `m ≥ n`.
  public init(_ a: Matrix) {
    rowCount = a.rowCount
    columnCount = a.columnCount
    let k = min(a.rowCount, a.columnCount)
    var c = a
    var t = [Double](repeating: 0, count: k)
    if k > 0 {
      let info = c.elements.withUnsafeMutableBufferPointer { p in
        LAPACKE_dgeqrf(
          lapackColumnMajor, lapackInt(a.rowCount), lapackInt(a.columnCount), p.baseAddress,
          leadingDimension(a.rowCount), &t)
      }
      // dgeqrf has no value-dependent failure; a negative info means NaN input or a bug.
      precondition(info >= 0, "QRFactorization: dgeqrf rejected argument \(-info) (NaN in the matrix?)")
    }
    compact = c
    tau = t
  }

  /// The explicit thin `Q`, `m × min(m, n)` with orthonormal columns (`dorgqr`).
  /// - Complexity: O(4m·k² − 4k³/3), k = min(m, n).
  public var q: Matrix {
    let m = rowCount
    let k = min(rowCount, columnCount)
    var q = Matrix(rowCount: m, columnCount: k, elements: Array(compact.elements[0..<(m * k)]))
    if k == 0 { return q }
    let info = q.elements.withUnsafeMutableBufferPointer { p in
      LAPACKE_dorgqr(lapackColumnMajor, lapackInt(m), lapackInt(k), lapackInt(k), p.baseAddress, leadingDimension(m), tau)
    }
    precondition(info == 0, "QRFactorization.q: dorgqr returned info \(info)")
    return q
  }

  /// The upper-triangular (trapezoidal when `m < n`) factor `R`, `min(m, n) × n`.
  /// - Complexity: O(k·n).
  public var r: Matrix {
    let k = min(rowCount, columnCount)
    var r = Matrix.zeros(rowCount: k, columnCount: columnCount)
    for j in 0..<columnCount {
      for i in 0..<min(j + 1, k) { r[i, j] = compact[i, j] }
    }
    return r
  }

  /// The least-squares solution of an overdetermined (or square) system (`dormqr` + `dtrtrs`).
  ///
  /// ```
  /// x = argminₓ ‖A·x − b‖₂ = R⁻¹·(Qᵀb)[0..<n]
  /// ```
  /// - Complexity: O(m·n) after the factorization.
  /// - Throws: `LinearAlgebraError.rankDeficient` naming the column whose diagonal entry of `R`
  ///   is exactly zero.
  /// - Precondition: `rowCount >= columnCount` and `b.count == rowCount`.
  public func leastSquaresSolve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    precondition(
      b.count == rowCount, "QRFactorization.leastSquaresSolve: b has \(b.count) entries, A is \(rowCount)×\(columnCount)")
    return try leastSquaresSolve(Matrix(rowCount: rowCount, columnCount: 1, elements: b)).elements
  }

  /// The least-squares solution for every column of `B` (see `leastSquaresSolve(_:)` for vectors).
  /// - Complexity: O(m·n·k) for `k` right-hand sides.
  /// - Throws: `LinearAlgebraError.rankDeficient` naming the column with a zero diagonal entry of `R`.
  /// - Precondition: `rowCount >= columnCount` and `B.rowCount == rowCount`.
  public func leastSquaresSolve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
    let m = rowCount
    let n = columnCount
    precondition(m >= n, "QRFactorization.leastSquaresSolve: A is \(m)×\(n); needs rowCount >= columnCount")
    precondition(
      b.rowCount == m, "QRFactorization.leastSquaresSolve: B is \(b.rowCount)×\(b.columnCount), A is \(m)×\(n)")
    let nrhs = b.columnCount
    if n == 0 || nrhs == 0 { return Matrix.zeros(rowCount: n, columnCount: nrhs) }
    var c = b
    let info1 = compact.elements.withUnsafeBufferPointer { a in
      c.elements.withUnsafeMutableBufferPointer { cp in
        LAPACKE_dormqr(
          lapackColumnMajor, LapackChar.left, LapackChar.transpose, lapackInt(m), lapackInt(nrhs), lapackInt(n),
          a.baseAddress, leadingDimension(m), tau, cp.baseAddress, leadingDimension(m))
      }
    }
    try checkArgumentInfo(info1, "dormqr")
    let info2 = compact.elements.withUnsafeBufferPointer { a in
      c.elements.withUnsafeMutableBufferPointer { cp in
        LAPACKE_dtrtrs(
          lapackColumnMajor, LapackChar.upper, LapackChar.noTranspose, LapackChar.nonUnit, lapackInt(n),
          lapackInt(nrhs), a.baseAddress, leadingDimension(m), cp.baseAddress, leadingDimension(m))
      }
    }
    try checkArgumentInfo(info2, "dtrtrs")
    if info2 > 0 { throw LinearAlgebraError.rankDeficient(column: Int(info2) - 1) }
    var x = Matrix.zeros(rowCount: n, columnCount: nrhs)
    for j in 0..<nrhs {
      for i in 0..<n { x[i, j] = c[i, j] }
    }
    return x
  }
}

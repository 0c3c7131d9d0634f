import CLapack

/// The LU factorization with partial pivoting of a square matrix (`dgetrf`).
///
/// ```
/// P·A = L·U,   L unit lower triangular, U upper triangular, P a row permutation
/// ```
public struct LUFactorization: Sendable {
  /// The order `n` of the factored `n × n` matrix.
  public let dimension: Int
  /// `L` (strict lower triangle, unit diagonal implied) and `U` (upper triangle) in one matrix.
  let factors: Matrix
  /// LAPACK's 1-based row interchanges: row `i` was swapped with row `pivots[i] - 1`.
  let pivots: [Int32]

  /// Factors a square matrix.
  ///
  /// - Complexity: O(2n³/3).
  /// - Throws: `LinearAlgebraError.singular` naming the first exactly-zero diagonal entry of `U`.
  /// - Precondition: `A` is square.
  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.isSquare, "LUFactorization: matrix is \(a.rowCount)×\(a.columnCount), not square")
    let n = a.rowCount
    var f = a
    var piv = [Int32](repeating: 0, count: n)
    if n > 0 {
      let info = f.elements.withUnsafeMutableBufferPointer { p in
        LAPACKE_dgetrf(lapackColumnMajor, lapackInt(n), lapackInt(n), p.baseAddress, leadingDimension(n), &piv)
      }
      try checkArgumentInfo(info, "dgetrf")
      if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info) - 1) }
    }
    dimension = n
    factors = f
    pivots = piv
  }

  /// The unit lower-triangular factor `L`.
  /// - Complexity: O(n²).
  public var lower: Matrix {
    var l = Matrix.identity(dimension)
    for j in 0..<dimension {
      for i in (j + 1)..<max(j + 1, dimension) { l[i, j] = factors[i, j] }
    }
    return l
  }

  /// The upper-triangular factor `U`.
  /// - Complexity: O(n²).
  public var upper: Matrix {
    var u = Matrix.zeros(rowCount: dimension, columnCount: dimension)
    for j in 0..<dimension {
      for i in 0...j { u[i, j] = factors[i, j] }
    }
    return u
  }

  /// The permutation as a row order: `(P·A)[i, :] == A[rowOrder[i], :]`.
  /// - Complexity: O(n).
  public var rowOrder: [Int] {
    var order = Array(0..<dimension)
    for i in 0..<dimension { order.swapAt(i, Int(pivots[i]) - 1) }
    return order
  }

  /// Solves `A·x = b` (`dgetrs`).
  /// - Complexity: O(n²).
  /// - Precondition: `b.count == dimension`.
  public func solve(_ b: [Double]) -> [Double] {
    precondition(b.count == dimension, "LUFactorization.solve: b has \(b.count) entries, matrix is \(dimension)×\(dimension)")
    return solve(Matrix(rowCount: dimension, columnCount: 1, elements: b)).elements
  }

  /// Solves `A·X = B` for every column of `B` (`dgetrs`).
  /// - Complexity: O(n² · k) for `k` right-hand sides.
  /// - Precondition: `B.rowCount == dimension`.
  public func solve(_ b: Matrix) -> Matrix {
    precondition(
      b.rowCount == dimension,
      "LUFactorization.solve: B is \(b.rowCount)×\(b.columnCount), matrix is \(dimension)×\(dimension)")
    var x = b
    if dimension == 0 || b.columnCount == 0 { return x }
    let info = factors.elements.withUnsafeBufferPointer { f in
      x.elements.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dgetrs(
          lapackColumnMajor, LapackChar.noTranspose, lapackInt(dimension), lapackInt(b.columnCount),
          f.baseAddress, leadingDimension(dimension), pivots, xp.baseAddress, leadingDimension(dimension))
      }
    }
    precondition(info == 0, "LUFactorization.solve: dgetrs returned info \(info)")
    return x
  }

  /// `det A = det P · Πᵢ uᵢᵢ`, where `det P = (−1)^(number of interchanges)`.
  /// - Complexity: O(n).
  public var determinant: Double {
    var d = 1.0
    for i in 0..<dimension {
      d *= factors[i, i]
      if Int(pivots[i]) - 1 != i { d = -d }
    }
    return d
  }

  /// The inverse `A⁻¹` (`dgetri`). Prefer `solve`.
  /// - Complexity: O(4n³/3).
  /// - Throws: `LinearAlgebraError.singular` if a pivot is zero (cannot happen after a successful init).
  public func inverse() throws(LinearAlgebraError) -> Matrix {
    var inv = factors
    if dimension == 0 { return inv }
    let info = inv.elements.withUnsafeMutableBufferPointer { p in
      LAPACKE_dgetri(lapackColumnMajor, lapackInt(dimension), p.baseAddress, leadingDimension(dimension), pivots)
    }
    try checkArgumentInfo(info, "dgetri")
    if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info) - 1) }
    return inv
  }
}

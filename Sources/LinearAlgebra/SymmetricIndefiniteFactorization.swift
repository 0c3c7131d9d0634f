import CLapack

/// The Bunch–Kaufman LDLᵀ factorization of a symmetric, possibly indefinite matrix (`dsytrf`).
///
/// ```
/// P·A·Pᵀ = L·D·Lᵀ,   L unit lower triangular, D block diagonal with 1×1 and 2×2 blocks
/// ```
/// Only the lower triangle of `A` is read. See Bunch & Kaufman, Math. Comp. 31 (1977),
/// doi:10.1090/S0025-5718-1977-0428694-0.
public struct SymmetricIndefiniteFactorization: Sendable {
  /// The order `n` of the factored `n × n` matrix.
  public let dimension: Int
  /// LAPACK's packed factor (`L` multipliers and `D` blocks in the lower triangle).
  let factors: Matrix
  /// LAPACK's 1-based pivot description (negative entries mark 2×2 blocks).
  let pivots: [Int32]

  /// Factors a symmetric matrix.
  ///
  /// - Complexity: O(n³/3).
  /// - Throws: `LinearAlgebraError.singular` naming the first diagonal entry of `D` that is
  ///   exactly zero (the factorization exists but cannot be used to solve).
  /// - Precondition: `A` is square.
  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.isSquare, "SymmetricIndefiniteFactorization: matrix is \(a.rowCount)×\(a.columnCount), not square")
    let n = a.rowCount
    var f = a
    var piv = [Int32](repeating: 0, count: n)
    if n > 0 {
      let info = f.elements.withUnsafeMutableBufferPointer { p in
        LAPACKE_dsytrf(lapackColumnMajor, LapackChar.lower, lapackInt(n), p.baseAddress, leadingDimension(n), &piv)
      }
      try checkArgumentInfo(info, "dsytrf")
      if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info) - 1) }
    }
    dimension = n
    factors = f
    pivots = piv
  }

  /// Solves `A·x = b` (`dsytrs`).
  /// - Complexity: O(n²).
  /// - Precondition: `b.count == dimension`.
  public func solve(_ b: [Double]) -> [Double] {
    precondition(
      b.count == dimension,
      "SymmetricIndefiniteFactorization.solve: b has \(b.count) entries, matrix is \(dimension)×\(dimension)")
    return solve(Matrix(rowCount: dimension, columnCount: 1, elements: b)).elements
  }

  /// Solves `A·X = B` for every column of `B` (`dsytrs`).
  /// - Complexity: O(n² · k) for `k` right-hand sides.
  /// - Precondition: `B.rowCount == dimension`.
  public func solve(_ b: Matrix) -> Matrix {
    precondition(
      b.rowCount == dimension,
      "SymmetricIndefiniteFactorization.solve: B is \(b.rowCount)×\(b.columnCount), matrix is \(dimension)×\(dimension)")
    var x = b
    if dimension == 0 || b.columnCount == 0 { return x }
    let info = factors.elements.withUnsafeBufferPointer { f in
      x.elements.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dsytrs(
          lapackColumnMajor, LapackChar.lower, lapackInt(dimension), lapackInt(b.columnCount),
          f.baseAddress, leadingDimension(dimension), pivots, xp.baseAddress, leadingDimension(dimension))
      }
    }
    precondition(info == 0, "SymmetricIndefiniteFactorization.solve: dsytrs returned info \(info)")
    return x
  }

  /// The numbers of positive, negative and zero eigenvalues of `A`, read from the blocks of `D`
  /// (Sylvester's law of inertia: congruence keeps the signs of the eigenvalues).
  ///
  /// Interior-point methods check this to confirm a KKT matrix is quasi-definite.
  /// - Complexity: O(n).
  public var inertia: (positive: Int, negative: Int, zero: Int) {
    var pos = 0
    var neg = 0
    var zero = 0
    func count(_ v: Double) {
      if v > 0 { pos += 1 } else if v < 0 { neg += 1 } else { zero += 1 }
    }
    var k = 0
    while k < dimension {
      if pivots[k] > 0 {
        count(factors[k, k])
        k += 1
      } else {
        // 2×2 block [a b; b c] in rows/columns k, k+1.
        let a = factors[k, k]
        let b = factors[k + 1, k]
        let c = factors[k + 1, k + 1]
        let det = a * c - b * b
        if det < 0 {
          pos += 1
          neg += 1
        } else if det > 0 {
          count(a + c)
          count(a + c)
        } else {
          zero += 1
          count(a + c)
        }
        k += 2
      }
    }
    return (pos, neg, zero)
  }
}

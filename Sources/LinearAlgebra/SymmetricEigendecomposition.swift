import CLapack

/// The eigendecomposition of a symmetric matrix by divide and conquer (`dsyevd`).
///
/// ```
/// A = V·Λ·Vᵀ,   Λ = diag(λ₀ ≤ λ₁ ≤ … ≤ λₙ₋₁),   VᵀV = I
/// ```
/// Only the lower triangle of `A` is read.
public struct SymmetricEigendecomposition: Sendable {
  /// The eigenvalues in ascending order.
  public let eigenvalues: [Double]
  /// The orthonormal eigenvectors as columns; column `i` belongs to `eigenvalues[i]`.
  public let eigenvectors: Matrix

  /// Computes all eigenvalues and eigenvectors.
  ///
  /// - Complexity: O(n³).
  /// - Throws: `LinearAlgebraError.didNotConverge` when LAPACK's iteration fails (rare).
  /// - Precondition: `A` is square.
  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.isSquare, "SymmetricEigendecomposition: matrix is \(a.rowCount)×\(a.columnCount), not square")
    let n = a.rowCount
    var v = a
    var w = [Double](repeating: 0, count: n)
    if n > 0 {
      let info = v.elements.withUnsafeMutableBufferPointer { p in
        LAPACKE_dsyevd(
          lapackColumnMajor, LapackChar.vectors, LapackChar.lower, lapackInt(n), p.baseAddress, leadingDimension(n), &w)
      }
      try checkArgumentInfo(info, "dsyevd")
      if info > 0 { throw LinearAlgebraError.didNotConverge(count: Int(info)) }
    }
    eigenvalues = w
    eigenvectors = v
  }

  /// Rebuilds `V·Λ·Vᵀ` (for checks and for spectral modifications of `Λ`).
  /// - Complexity: O(n³).
  public func reconstructed(eigenvalues lambda: [Double]? = nil) -> Matrix {
    let l = lambda ?? eigenvalues
    precondition(
      l.count == eigenvalues.count,
      "SymmetricEigendecomposition.reconstructed: \(l.count) eigenvalues given, matrix has \(eigenvalues.count)")
    var scaled = eigenvectors
    let n = l.count
    for j in 0..<n {
      for i in 0..<n { scaled[i, j] *= l[j] }
    }
    return scaled.multiplied(by: eigenvectors, transposingOther: true)
  }
}

import CLapack

/// A dense matrix of `Double` in column-major contiguous storage.
///
/// Entry `(i, j)` lives at `elements[i + j * rowCount]`, the layout BLAS and LAPACK use, so
/// products and factorizations pass the storage straight through without copies.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
  /// Number of rows.
  public let rowCount: Int
  /// Number of columns.
  public let columnCount: Int
  /// The entries, column after column (`rowCount * columnCount` of them).
  public internal(set) var elements: [Double]

  /// Wraps column-major entries.
  ///
  /// - Precondition: `elements.count == rowCount * columnCount` and both dimensions are non-negative.
  public init(rowCount: Int, columnCount: Int, elements: [Double]) {
    precondition(rowCount >= 0 && columnCount >= 0, "Matrix: negative dimension \(rowCount)×\(columnCount)")
    precondition(
      elements.count == rowCount * columnCount,
      "Matrix: \(elements.count) elements given for a \(rowCount)×\(columnCount) matrix (expected \(rowCount * columnCount))")
    self.rowCount = rowCount
    self.columnCount = columnCount
    self.elements = elements
  }

  /// A matrix with every entry equal to `value`.
  public init(rowCount: Int, columnCount: Int, repeating value: Double) {
    precondition(rowCount >= 0 && columnCount >= 0, "Matrix: negative dimension \(rowCount)×\(columnCount)")
    self.init(
      rowCount: rowCount, columnCount: columnCount,
      elements: [Double](repeating: value, count: rowCount * columnCount))
  }

  /// Builds a matrix from its rows, written as they read on paper.
  ///
  /// `Matrix(rows: [[1, 2], [3, 4]])` has `self[0, 1] == 2`. An empty array gives a 0×0 matrix.
  /// - Precondition: every row has the same length.
  public init(rows: [[Double]]) {
    let m = rows.count
    let n = rows.first?.count ?? 0
    var elements = [Double](repeating: 0, count: m * n)
    for (i, row) in rows.enumerated() {
      precondition(row.count == n, "Matrix(rows:): row \(i) has \(row.count) entries, row 0 has \(n)")
      for j in 0..<n { elements[i + j * m] = row[j] }
    }
    self.init(rowCount: m, columnCount: n, elements: elements)
  }

  /// The square matrix with `diagonal` on its diagonal and zeros elsewhere.
  public init(diagonal: [Double]) {
    let n = diagonal.count
    var elements = [Double](repeating: 0, count: n * n)
    for i in 0..<n { elements[i + i * n] = diagonal[i] }
    self.init(rowCount: n, columnCount: n, elements: elements)
  }

  /// The `rowCount × columnCount` zero matrix.
  public static func zeros(rowCount: Int, columnCount: Int) -> Matrix {
    Matrix(rowCount: rowCount, columnCount: columnCount, repeating: 0)
  }

  /// The `n × n` identity matrix.
  public static func identity(_ n: Int) -> Matrix {
    Matrix(diagonal: [Double](repeating: 1, count: n))
  }

  /// Entry `(i, j)`.
  ///
  /// - Precondition: `0 <= i < rowCount` and `0 <= j < columnCount`.
  public subscript(i: Int, j: Int) -> Double {
    get {
      precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount, "Matrix: index (\(i), \(j)) outside \(rowCount)×\(columnCount)")
      return elements[i + j * rowCount]
    }
    set {
      precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount, "Matrix: index (\(i), \(j)) outside \(rowCount)×\(columnCount)")
      elements[i + j * rowCount] = newValue
    }
  }

  /// Whether the matrix has as many rows as columns.
  public var isSquare: Bool { rowCount == columnCount }

  /// Column `j` as a vector.
  /// - Complexity: O(rowCount).
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columnCount, "Matrix.column: \(j) outside 0..<\(columnCount)")
    return Array(elements[(j * rowCount)..<((j + 1) * rowCount)])
  }

  /// Row `i` as a vector.
  /// - Complexity: O(columnCount).
  public func row(_ i: Int) -> [Double] {
    precondition(i >= 0 && i < rowCount, "Matrix.row: \(i) outside 0..<\(rowCount)")
    return (0..<columnCount).map { elements[i + $0 * rowCount] }
  }

  /// The rows as arrays, the inverse of `init(rows:)`.
  public var rows: [[Double]] { (0..<rowCount).map { row($0) } }

  /// The diagonal entries `(i, i)` for `i < min(rowCount, columnCount)`.
  public var diagonal: [Double] { (0..<min(rowCount, columnCount)).map { elements[$0 + $0 * rowCount] } }

  /// The transpose `Aᵀ`.
  /// - Complexity: O(rowCount · columnCount).
  public var transposed: Matrix {
    var out = [Double](repeating: 0, count: elements.count)
    for j in 0..<columnCount {
      for i in 0..<rowCount { out[j + i * columnCount] = elements[i + j * rowCount] }
    }
    return Matrix(rowCount: columnCount, columnCount: rowCount, elements: out)
  }

  /// The sum of the diagonal entries.
  public var trace: Double { diagonal.reduce(0, +) }

  /// The Frobenius norm `sqrt(Σ aᵢⱼ²)`.
  public var frobeniusNorm: Double { elements.norm2 }

  /// The largest absolute entry (0 for an empty matrix).
  public var maxAbsoluteEntry: Double { elements.normInf }

  /// Whether both matrices have the same shape and every entry differs by at most `tolerance`.
  ///
  /// ```
  /// maxᵢⱼ |aᵢⱼ − bᵢⱼ| ≤ tolerance
  /// ```
  public func isApproximatelyEqual(to other: Matrix, absoluteTolerance tolerance: Double) -> Bool {
    guard rowCount == other.rowCount, columnCount == other.columnCount else { return false }
    for k in 0..<elements.count where !(Swift.abs(elements[k] - other.elements[k]) <= tolerance) { return false }
    return true
  }

  /// The entries, one row per line.
  public var description: String {
    "Matrix \(rowCount)×\(columnCount)" + rows.map { "\n  " + $0.map { "\($0)" }.joined(separator: "  ") }.joined()
  }
}

// MARK: - Elementwise arithmetic

extension Matrix {
  /// Elementwise sum.
  /// - Complexity: O(rowCount · columnCount).
  public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(
      lhs.rowCount == rhs.rowCount && lhs.columnCount == rhs.columnCount,
      "Matrix +: shapes differ (\(lhs.rowCount)×\(lhs.columnCount) vs \(rhs.rowCount)×\(rhs.columnCount))")
    var out = lhs
    for k in 0..<out.elements.count { out.elements[k] += rhs.elements[k] }
    return out
  }

  /// Elementwise difference.
  /// - Complexity: O(rowCount · columnCount).
  public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(
      lhs.rowCount == rhs.rowCount && lhs.columnCount == rhs.columnCount,
      "Matrix -: shapes differ (\(lhs.rowCount)×\(lhs.columnCount) vs \(rhs.rowCount)×\(rhs.columnCount))")
    var out = lhs
    for k in 0..<out.elements.count { out.elements[k] -= rhs.elements[k] }
    return out
  }

  /// Every entry multiplied by a scalar.
  /// - Complexity: O(rowCount · columnCount).
  public static func * (lhs: Double, rhs: Matrix) -> Matrix {
    Matrix(rowCount: rhs.rowCount, columnCount: rhs.columnCount, elements: rhs.elements.map { lhs * $0 })
  }
}

// MARK: - Products (CBLAS)

extension Matrix {
  /// The matrix-vector product `A·x` (`cblas_dgemv`).
  /// - Complexity: O(rowCount · columnCount).
  public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: lhs.rowCount)
    lhs.multiply(rhs, into: &y)
    return y
  }

  /// The matrix product `A·B` (`cblas_dgemm`).
  /// - Complexity: O(m · k · n) for an `m × k` times `k × n` product.
  public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
    lhs.multiplied(by: rhs)
  }

  /// The product `Aᵀ·x` without forming `Aᵀ`.
  /// - Complexity: O(rowCount · columnCount).
  public func multiplyTransposed(_ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: columnCount)
    multiply(x, into: &y, transposed: true)
    return y
  }

  /// General matrix-vector product into a preallocated vector (`cblas_dgemv`).
  ///
  /// ```
  /// y ← α·op(A)·x + β·y,   op(A) = A or Aᵀ
  /// ```
  /// With `beta == 0` the old contents of `y` are ignored (NaN included).
  /// - Complexity: O(rowCount · columnCount).
  /// - Precondition: `x` has `op(A).columnCount` entries and `y` has `op(A).rowCount` entries.
  public func multiply(
    _ x: [Double], into y: inout [Double], transposed: Bool = false, alpha: Double = 1, beta: Double = 0
  ) {
    let (m, n) = transposed ? (columnCount, rowCount) : (rowCount, columnCount)
    precondition(x.count == n, "Matrix.multiply: x has \(x.count) entries, op(A) is \(m)×\(n)")
    precondition(y.count == m, "Matrix.multiply: y has \(y.count) entries, op(A) is \(m)×\(n)")
    if m == 0 { return }
    if n == 0 {
      for i in 0..<m { y[i] = beta == 0 ? 0 : beta * y[i] }
      return
    }
    if beta == 0 { for i in 0..<m { y[i] = 0 } }
    elements.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          cblas_dgemv(
            CblasColMajor, transposed ? CblasTrans : CblasNoTrans, lapackInt(rowCount), lapackInt(columnCount),
            alpha, a.baseAddress, leadingDimension(rowCount), xp.baseAddress, 1, beta, yp.baseAddress, 1)
        }
      }
    }
  }

  /// The product `op(A)·op(B)` where `op` optionally transposes (`cblas_dgemm`).
  ///
  /// ```
  /// C = op(A)·op(B)
  /// ```
  /// - Complexity: O(m · k · n).
  /// - Precondition: the inner dimensions agree.
  public func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false) -> Matrix {
    let (m, k) = transposingSelf ? (columnCount, rowCount) : (rowCount, columnCount)
    let (k2, n) = transposingOther ? (other.columnCount, other.rowCount) : (other.rowCount, other.columnCount)
    precondition(
      k == k2,
      "Matrix.multiplied: inner dimensions differ (op(A) is \(m)×\(k), op(B) is \(k2)×\(n))")
    var c = Matrix.zeros(rowCount: m, columnCount: n)
    if m == 0 || n == 0 || k == 0 { return c }
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        c.elements.withUnsafeMutableBufferPointer { cp in
          cblas_dgemm(
            CblasColMajor, transposingSelf ? CblasTrans : CblasNoTrans, transposingOther ? CblasTrans : CblasNoTrans,
            lapackInt(m), lapackInt(n), lapackInt(k), 1.0, a.baseAddress, leadingDimension(rowCount),
            b.baseAddress, leadingDimension(other.rowCount), 0.0, cp.baseAddress, leadingDimension(m))
        }
      }
    }
    return c
  }
}

// MARK: - Convenience solves (LAPACK)

extension Matrix {
  /// Solves `A·x = b` for square `A` by LU with partial pivoting (`dgesv`).
  ///
  /// Use `LUFactorization` to solve several right-hand sides with one factorization.
  /// - Complexity: O(n³).
  /// - Throws: `LinearAlgebraError.singular` naming the zero pivot of `U`.
  /// - Precondition: `A` is square and `b.count == rowCount`.
  public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    precondition(isSquare, "Matrix.solve: matrix is \(rowCount)×\(columnCount), not square")
    precondition(b.count == rowCount, "Matrix.solve: b has \(b.count) entries, matrix is \(rowCount)×\(columnCount)")
    let n = rowCount
    if n == 0 { return [] }
    var a = elements
    var x = b
    var pivots = [Int32](repeating: 0, count: n)
    let info = LAPACKE_dgesv(
      lapackColumnMajor, lapackInt(n), 1, &a, leadingDimension(n), &pivots, &x, leadingDimension(n))
    try checkArgumentInfo(info, "dgesv")
    if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info) - 1) }
    return x
  }

  /// The determinant of a square matrix, from its LU factorization (0 for an exactly singular one).
  ///
  /// ```
  /// det A = det P · Πᵢ uᵢᵢ
  /// ```
  /// - Complexity: O(n³).
  /// - Precondition: `A` is square.
  public var determinant: Double {
    precondition(isSquare, "Matrix.determinant: matrix is \(rowCount)×\(columnCount), not square")
    do {
      return try LUFactorization(self).determinant
    } catch LinearAlgebraError.singular {
      return 0
    } catch {
      return .nan
    }
  }

  /// The inverse of a square matrix, from its LU factorization (`dgetrf` + `dgetri`).
  ///
  /// Prefer a factorization's `solve` to forming the inverse.
  /// - Complexity: O(n³).
  /// - Throws: `LinearAlgebraError.singular` naming the zero pivot.
  public func inverse() throws(LinearAlgebraError) -> Matrix {
    try LUFactorization(self).inverse()
  }
}

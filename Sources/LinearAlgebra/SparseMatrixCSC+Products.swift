// Products of a CSC matrix with vectors and with other CSC matrices.
//
// The `into:` variants write into caller-owned buffers and allocate nothing, for use inside
// solver iterations. They run over unsafe buffer pointers; safety rests on the CSC invariants
// (`SparseMatrixCSC.structuralProblem` returns nil) and on the preconditions on vector lengths.

extension SparseMatrixCSC {
  /// The product `A·x`.
  /// - Complexity: O(nnz + rowCount).
  /// - Precondition: `x.count == columnCount`.
  public static func * (lhs: SparseMatrixCSC, rhs: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: lhs.rowCount)
    lhs.multiply(rhs, into: &y)
    return y
  }

  /// The product `Aᵀ·x` without forming `Aᵀ`.
  /// - Complexity: O(nnz + columnCount).
  /// - Precondition: `x.count == rowCount`.
  public func multiplyTransposed(_ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: columnCount)
    multiplyTransposed(x, into: &y)
    return y
  }

  /// Matrix-vector product into a preallocated vector.
  ///
  /// ```
  /// y ← α·A·x + β·y
  /// ```
  /// With `beta == 0` the old contents of `y` are ignored; with `beta == 1`, `alpha == α` this is
  /// the accumulation `y += α·A·x`. Allocates nothing.
  /// - Complexity: O(nnz + rowCount).
  /// - Precondition: `x.count == columnCount` and `y.count == rowCount`.
  public func multiply(_ x: [Double], into y: inout [Double], alpha: Double = 1, beta: Double = 0) {
    precondition(x.count == columnCount, "SparseMatrixCSC.multiply: x has \(x.count) entries, A is \(rowCount)×\(columnCount)")
    precondition(y.count == rowCount, "SparseMatrixCSC.multiply: y has \(y.count) entries, A is \(rowCount)×\(columnCount)")
    let n = columnCount
    columnPointers.withUnsafeBufferPointer { cp in
      rowIndices.withUnsafeBufferPointer { ri in
        values.withUnsafeBufferPointer { v in
          x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
              scaleVector(yp, by: beta)
              if alpha == 0 { return }
              for j in 0..<n {
                let xj = alpha * xp[j]
                for p in cp[j]..<cp[j + 1] { yp[ri[p]] += v[p] * xj }
              }
            }
          }
        }
      }
    }
  }

  /// Transposed matrix-vector product into a preallocated vector.
  ///
  /// ```
  /// y ← α·Aᵀ·x + β·y
  /// ```
  /// Allocates nothing.
  /// - Complexity: O(nnz + columnCount).
  /// - Precondition: `x.count == rowCount` and `y.count == columnCount`.
  public func multiplyTransposed(_ x: [Double], into y: inout [Double], alpha: Double = 1, beta: Double = 0) {
    precondition(x.count == rowCount, "SparseMatrixCSC.multiplyTransposed: x has \(x.count) entries, A is \(rowCount)×\(columnCount)")
    precondition(y.count == columnCount, "SparseMatrixCSC.multiplyTransposed: y has \(y.count) entries, A is \(rowCount)×\(columnCount)")
    let n = columnCount
    columnPointers.withUnsafeBufferPointer { cp in
      rowIndices.withUnsafeBufferPointer { ri in
        values.withUnsafeBufferPointer { v in
          x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
              for j in 0..<n {
                var s = 0.0
                for p in cp[j]..<cp[j + 1] { s += v[p] * xp[ri[p]] }
                yp[j] = (beta == 0 ? 0 : beta * yp[j]) + alpha * s
              }
            }
          }
        }
      }
    }
  }

  /// The product with the symmetric matrix whose upper triangle (diagonal included) this matrix stores.
  ///
  /// ```
  /// y = (U + Uᵀ − diag(U))·x
  /// ```
  /// Entries below the diagonal are ignored. This is how solvers store `P` in a QP.
  /// - Complexity: O(nnz + n).
  /// - Precondition: square, `x.count == columnCount`.
  public func symmetricMultiply(_ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: rowCount)
    symmetricMultiply(x, into: &y)
    return y
  }

  /// Symmetric product from upper-triangle storage into a preallocated vector.
  ///
  /// ```
  /// y ← α·(U + Uᵀ − diag(U))·x + β·y
  /// ```
  /// Entries below the diagonal are ignored. Allocates nothing.
  /// - Complexity: O(nnz + n).
  /// - Precondition: square, `x.count == columnCount`, `y.count == rowCount`.
  public func symmetricMultiply(_ x: [Double], into y: inout [Double], alpha: Double = 1, beta: Double = 0) {
    precondition(rowCount == columnCount, "SparseMatrixCSC.symmetricMultiply: A is \(rowCount)×\(columnCount), not square")
    precondition(x.count == columnCount, "SparseMatrixCSC.symmetricMultiply: x has \(x.count) entries, A is \(rowCount)×\(columnCount)")
    precondition(y.count == rowCount, "SparseMatrixCSC.symmetricMultiply: y has \(y.count) entries, A is \(rowCount)×\(columnCount)")
    let n = columnCount
    columnPointers.withUnsafeBufferPointer { cp in
      rowIndices.withUnsafeBufferPointer { ri in
        values.withUnsafeBufferPointer { v in
          x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
              scaleVector(yp, by: beta)
              if alpha == 0 { return }
              for j in 0..<n {
                let xj = xp[j]
                var s = 0.0
                for p in cp[j]..<cp[j + 1] {
                  let i = ri[p]
                  if i < j {
                    yp[i] += alpha * v[p] * xj
                    s += v[p] * xp[i]
                  } else if i == j {
                    s += v[p] * xj
                  }
                }
                yp[j] += alpha * s
              }
            }
          }
        }
      }
    }
  }

  /// The sparse product `A·B` (Gustavson's algorithm), canonical.
  ///
  /// The pattern is the structural product: entries that cancel to zero are stored.
  /// - Complexity: O(flops + nnz(C) log(max column count) + rowCount + columnCount), where
  ///   flops = Σ over entries `b_kj` of nnz(A[:, k]).
  /// - Precondition: `lhs.columnCount == rhs.rowCount`.
  public static func * (lhs: SparseMatrixCSC, rhs: SparseMatrixCSC) -> SparseMatrixCSC {
    precondition(
      lhs.columnCount == rhs.rowCount,
      "SparseMatrixCSC *: inner dimensions differ (\(lhs.rowCount)×\(lhs.columnCount) times \(rhs.rowCount)×\(rhs.columnCount))")
    let m = lhs.rowCount
    let n = rhs.columnCount
    var mark = [Int](repeating: -1, count: m)
    var accumulator = [Double](repeating: 0, count: m)
    var pointers = [Int](repeating: 0, count: n + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    for j in 0..<n {
      let start = rows.count
      for p in rhs.columnPointers[j]..<rhs.columnPointers[j + 1] {
        let k = rhs.rowIndices[p]
        let b = rhs.values[p]
        for q in lhs.columnPointers[k]..<lhs.columnPointers[k + 1] {
          let i = lhs.rowIndices[q]
          if mark[i] != j {
            mark[i] = j
            rows.append(i)
            accumulator[i] = lhs.values[q] * b
          } else {
            accumulator[i] += lhs.values[q] * b
          }
        }
      }
      rows[start...].sort()
      for t in start..<rows.count { vals.append(accumulator[rows[t]]) }
      pointers[j + 1] = rows.count
    }
    return SparseMatrixCSC(uncheckedRowCount: m, columnCount: n, columnPointers: pointers, rowIndices: rows, values: vals)
  }
}

/// `y ← β·y`, with `β == 0` overwriting (so NaN in `y` does not survive).
@inline(__always)
func scaleVector(_ y: UnsafeMutableBufferPointer<Double>, by beta: Double) {
  if beta == 0 {
    for i in 0..<y.count { y[i] = 0 }
  } else if beta != 1 {
    for i in 0..<y.count { y[i] *= beta }
  }
}

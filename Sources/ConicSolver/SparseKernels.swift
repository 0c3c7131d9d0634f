import LinearAlgebra

/// Hot-loop sparse kernels of the solver over unsafe buffers (no allocation).
enum SparseKernels {
  /// `y = α·(U + Uᵀ − diag U)·x + β·y` for a symmetric matrix stored as its upper triangle `U`.
  static func symmetricMultiply(
    _ U: SparseMatrixCSC, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
    alpha: Double = 1, beta: Double = 0
  ) {
    let n = U.columnCount
    if beta == 0 { for i in 0..<n { y[i] = 0 } } else if beta != 1 { for i in 0..<n { y[i] *= beta } }
    U.columnPointers.withUnsafeBufferPointer { cp in
      U.rowIndices.withUnsafeBufferPointer { ri in
        U.values.withUnsafeBufferPointer { v in
          for j in 0..<n {
            let xj = alpha * x[j]
            var acc = 0.0
            for p in cp[j]..<cp[j + 1] {
              let i = ri[p]
              let a = v[p]
              if i == j {
                acc += a * x[j]
              } else {
                y[i] += a * xj
                acc += a * x[i]
              }
            }
            y[j] += alpha * acc
          }
        }
      }
    }
  }

  /// `y = α·A·x + β·y`.
  static func multiply(
    _ A: SparseMatrixCSC, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
    alpha: Double = 1, beta: Double = 0
  ) {
    let m = A.rowCount
    if beta == 0 { for i in 0..<m { y[i] = 0 } } else if beta != 1 { for i in 0..<m { y[i] *= beta } }
    A.columnPointers.withUnsafeBufferPointer { cp in
      A.rowIndices.withUnsafeBufferPointer { ri in
        A.values.withUnsafeBufferPointer { v in
          for j in 0..<A.columnCount {
            let xj = alpha * x[j]
            if xj == 0 { continue }
            for p in cp[j]..<cp[j + 1] { y[ri[p]] += v[p] * xj }
          }
        }
      }
    }
  }

  /// `y = α·Aᵀ·x + β·y`.
  static func transposeMultiply(
    _ A: SparseMatrixCSC, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
    alpha: Double = 1, beta: Double = 0
  ) {
    A.columnPointers.withUnsafeBufferPointer { cp in
      A.rowIndices.withUnsafeBufferPointer { ri in
        A.values.withUnsafeBufferPointer { v in
          for j in 0..<A.columnCount {
            var acc = 0.0
            for p in cp[j]..<cp[j + 1] { acc += v[p] * x[ri[p]] }
            y[j] = beta == 0 ? alpha * acc : beta * y[j] + alpha * acc
          }
        }
      }
    }
  }

  /// The transpose of `A` (canonical) and, for each entry of `A`, its position in the transpose.
  static func transposeWithMap(_ A: SparseMatrixCSC) -> (SparseMatrixCSC, [Int]) {
    let m = A.rowCount
    let n = A.columnCount
    let nnz = A.nonzeroCount
    var counts = [Int](repeating: 0, count: m + 1)
    for i in A.rowIndices { counts[i + 1] += 1 }
    for i in 0..<m { counts[i + 1] += counts[i] }
    var next = counts
    var rows = [Int](repeating: 0, count: nnz)
    var values = [Double](repeating: 0, count: nnz)
    var map = [Int](repeating: 0, count: nnz)
    for j in 0..<n {
      for p in A.columnPointers[j]..<A.columnPointers[j + 1] {
        let i = A.rowIndices[p]
        let q = next[i]
        rows[q] = j
        values[q] = A.values[p]
        map[p] = q
        next[i] += 1
      }
    }
    return (
      SparseMatrixCSC(uncheckedRowCount: n, columnCount: m, columnPointers: counts, rowIndices: rows, values: values),
      map
    )
  }

  /// `‖v‖∞` of a buffer.
  static func normInf(_ v: UnsafePointer<Double>, _ count: Int) -> Double {
    var r = 0.0
    for i in 0..<count { r = max(r, abs(v[i])) }
    return r
  }

  /// `aᵀb` of two buffers.
  static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var r = 0.0
    for i in 0..<count { r += a[i] * b[i] }
    return r
  }
}

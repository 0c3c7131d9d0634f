// Structural operations on CSC matrices: transpose, sums, scaling, norms, slicing, concatenation,
// triangles and dense conversion. Results are canonical (sorted rows, no duplicates) whenever the
// inputs are, and every operation keeps explicit zeros in the pattern unless it says otherwise,
// because solvers rely on fixed sparsity patterns.

extension SparseMatrixCSC {
  /// The transpose `Aᵀ`. Its columns come out sorted whatever the input order.
  /// - Complexity: O(nnz + rowCount + columnCount).
  public var transposed: SparseMatrixCSC {
    let m = rowCount
    let n = columnCount
    let nnz = nonzeroCount
    var pointers = [Int](repeating: 0, count: m + 1)
    for p in 0..<nnz { pointers[rowIndices[p] + 1] += 1 }
    for i in 0..<m { pointers[i + 1] += pointers[i] }
    var next = pointers
    var rows = [Int](repeating: 0, count: nnz)
    var vals = [Double](repeating: 0, count: nnz)
    for j in 0..<n {
      for p in columnPointers[j]..<columnPointers[j + 1] {
        let i = rowIndices[p]
        let q = next[i]
        rows[q] = j
        vals[q] = values[p]
        next[i] = q + 1
      }
    }
    return SparseMatrixCSC(uncheckedRowCount: n, columnCount: m, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// Entry `(i, j)`, summing duplicates; 0 where nothing is stored.
  /// - Complexity: O(number of entries stored in column `j`).
  /// - Precondition: indices in range.
  public subscript(i: Int, j: Int) -> Double {
    precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount, "SparseMatrixCSC: index (\(i), \(j)) outside \(rowCount)×\(columnCount)")
    var s = 0.0
    for p in columnPointers[j]..<columnPointers[j + 1] where rowIndices[p] == i { s += values[p] }
    return s
  }
}

// MARK: - Sums and scaling

extension SparseMatrixCSC {
  /// The linear combination `α·A + β·B`, canonical, on the union of the two patterns.
  ///
  /// ```
  /// C = α·A + β·B
  /// ```
  /// Duplicates in the inputs are summed; entries that cancel stay stored.
  /// - Complexity: O(nnz(A) + nnz(B) + Σⱼ cⱼ log cⱼ + rowCount + columnCount), cⱼ = nnz(C[:, j]).
  /// - Precondition: `A` and `B` have the same shape.
  public static func linearCombination(
    _ alpha: Double, _ a: SparseMatrixCSC, _ beta: Double, _ b: SparseMatrixCSC
  ) -> SparseMatrixCSC {
    precondition(
      a.rowCount == b.rowCount && a.columnCount == b.columnCount,
      "SparseMatrixCSC: shapes differ (\(a.rowCount)×\(a.columnCount) vs \(b.rowCount)×\(b.columnCount))")
    let m = a.rowCount
    let n = a.columnCount
    var mark = [Int](repeating: -1, count: m)
    var accumulator = [Double](repeating: 0, count: m)
    var pointers = [Int](repeating: 0, count: n + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    rows.reserveCapacity(a.nonzeroCount + b.nonzeroCount)
    vals.reserveCapacity(a.nonzeroCount + b.nonzeroCount)
    for j in 0..<n {
      let start = rows.count
      for (matrix, scale) in [(a, alpha), (b, beta)] {
        for p in matrix.columnPointers[j]..<matrix.columnPointers[j + 1] {
          let i = matrix.rowIndices[p]
          if mark[i] != j {
            mark[i] = j
            rows.append(i)
            accumulator[i] = scale * matrix.values[p]
          } else {
            accumulator[i] += scale * matrix.values[p]
          }
        }
      }
      rows[start...].sort()
      for t in start..<rows.count { vals.append(accumulator[rows[t]]) }
      pointers[j + 1] = rows.count
    }
    return SparseMatrixCSC(uncheckedRowCount: m, columnCount: n, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// The sum `A + B` on the union pattern (see `linearCombination`).
  /// - Complexity: as `linearCombination`.
  public static func + (lhs: SparseMatrixCSC, rhs: SparseMatrixCSC) -> SparseMatrixCSC {
    linearCombination(1, lhs, 1, rhs)
  }

  /// The difference `A − B` on the union pattern (see `linearCombination`).
  /// - Complexity: as `linearCombination`.
  public static func - (lhs: SparseMatrixCSC, rhs: SparseMatrixCSC) -> SparseMatrixCSC {
    linearCombination(1, lhs, -1, rhs)
  }

  /// Every stored value multiplied by `alpha`; the pattern is unchanged (also when `alpha == 0`).
  /// - Complexity: O(nnz).
  public static func * (lhs: Double, rhs: SparseMatrixCSC) -> SparseMatrixCSC {
    rhs.scaled(by: lhs)
  }

  /// The negation `−A`, same pattern.
  /// - Complexity: O(nnz).
  public static prefix func - (operand: SparseMatrixCSC) -> SparseMatrixCSC {
    operand.scaled(by: -1)
  }

  /// Multiplies every stored value by `alpha` in place.
  /// - Complexity: O(nnz).
  public mutating func scale(by alpha: Double) {
    for p in 0..<values.count { values[p] *= alpha }
  }

  /// A copy with every stored value multiplied by `alpha`.
  /// - Complexity: O(nnz).
  public func scaled(by alpha: Double) -> SparseMatrixCSC {
    var c = self
    c.scale(by: alpha)
    return c
  }

  /// Scales rows and columns by diagonal matrices in place, as in Ruiz equilibration.
  ///
  /// ```
  /// A ← D·A·E,   D = diag(rowScales), E = diag(columnScales)
  /// ```
  /// Pass `nil` for a side that is not scaled. Allocates nothing.
  /// - Complexity: O(nnz).
  /// - Precondition: `rowScales.count == rowCount`, `columnScales.count == columnCount`.
  public mutating func scale(rows rowScales: [Double]?, columns columnScales: [Double]?) {
    if let d = rowScales {
      precondition(d.count == rowCount, "SparseMatrixCSC.scale: \(d.count) row scales for \(rowCount) rows")
      for p in 0..<values.count { values[p] *= d[rowIndices[p]] }
    }
    if let e = columnScales {
      precondition(e.count == columnCount, "SparseMatrixCSC.scale: \(e.count) column scales for \(columnCount) columns")
      for j in 0..<columnCount {
        for p in columnPointers[j]..<columnPointers[j + 1] { values[p] *= e[j] }
      }
    }
  }

  /// A copy scaled by diagonal matrices, `D·A·E` (see `scale(rows:columns:)`).
  /// - Complexity: O(nnz).
  public func scaled(rows rowScales: [Double]?, columns columnScales: [Double]?) -> SparseMatrixCSC {
    var c = self
    c.scale(rows: rowScales, columns: columnScales)
    return c
  }
}

// MARK: - Norms

extension SparseMatrixCSC {
  /// The infinity norm of each column, `maxᵢ |aᵢⱼ|` (0 for an empty column).
  /// - Complexity: O(nnz + columnCount).
  public func columnInfinityNorms() -> [Double] {
    var out = [Double](repeating: 0, count: columnCount)
    columnInfinityNorms(into: &out)
    return out
  }

  /// Writes the column infinity norms into a preallocated vector (allocates nothing).
  /// - Complexity: O(nnz + columnCount).
  /// - Precondition: `norms.count == columnCount`.
  public func columnInfinityNorms(into norms: inout [Double]) {
    precondition(norms.count == columnCount, "SparseMatrixCSC.columnInfinityNorms: buffer has \(norms.count) entries for \(columnCount) columns")
    for j in 0..<columnCount {
      var m = 0.0
      for p in columnPointers[j]..<columnPointers[j + 1] { m = max(m, abs(values[p])) }
      norms[j] = m
    }
  }

  /// The infinity norm of each row, `maxⱼ |aᵢⱼ|` (0 for an empty row).
  /// - Complexity: O(nnz + rowCount).
  public func rowInfinityNorms() -> [Double] {
    var out = [Double](repeating: 0, count: rowCount)
    rowInfinityNorms(into: &out)
    return out
  }

  /// Writes the row infinity norms into a preallocated vector (allocates nothing).
  /// - Complexity: O(nnz + rowCount).
  /// - Precondition: `norms.count == rowCount`.
  public func rowInfinityNorms(into norms: inout [Double]) {
    precondition(norms.count == rowCount, "SparseMatrixCSC.rowInfinityNorms: buffer has \(norms.count) entries for \(rowCount) rows")
    for i in 0..<rowCount { norms[i] = 0 }
    for p in 0..<nonzeroCount {
      let i = rowIndices[p]
      norms[i] = max(norms[i], abs(values[p]))
    }
  }

  /// Column infinity norms of the symmetric matrix whose upper triangle this matrix stores,
  /// `(U + Uᵀ − diag U)` (entries below the diagonal are ignored). Allocates nothing.
  /// - Complexity: O(nnz + n).
  /// - Precondition: square and `norms.count == columnCount`.
  public func symmetricColumnInfinityNorms(into norms: inout [Double]) {
    precondition(rowCount == columnCount, "SparseMatrixCSC.symmetricColumnInfinityNorms: A is \(rowCount)×\(columnCount), not square")
    precondition(norms.count == columnCount, "SparseMatrixCSC.symmetricColumnInfinityNorms: buffer has \(norms.count) entries for \(columnCount) columns")
    for j in 0..<columnCount { norms[j] = 0 }
    for j in 0..<columnCount {
      for p in columnPointers[j]..<columnPointers[j + 1] {
        let i = rowIndices[p]
        if i > j { continue }
        let a = abs(values[p])
        norms[j] = max(norms[j], a)
        norms[i] = max(norms[i], a)
      }
    }
  }
}

// MARK: - Slicing

extension SparseMatrixCSC {
  /// The rows in `range`, all columns.
  /// - Complexity: O(nnz + columnCount).
  /// - Precondition: `range` lies inside `0..<rowCount`.
  public func rows(_ range: Range<Int>) -> SparseMatrixCSC {
    precondition(range.lowerBound >= 0 && range.upperBound <= rowCount, "SparseMatrixCSC.rows: \(range) outside 0..<\(rowCount)")
    var pointers = [Int](repeating: 0, count: columnCount + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    for j in 0..<columnCount {
      for p in columnPointers[j]..<columnPointers[j + 1] where range.contains(rowIndices[p]) {
        rows.append(rowIndices[p] - range.lowerBound)
        vals.append(values[p])
      }
      pointers[j + 1] = rows.count
    }
    return SparseMatrixCSC(
      uncheckedRowCount: range.count, columnCount: columnCount, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// The columns in `range`, all rows.
  /// - Complexity: O(nnz of the slice + range.count).
  /// - Precondition: `range` lies inside `0..<columnCount`.
  public func columns(_ range: Range<Int>) -> SparseMatrixCSC {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= columnCount, "SparseMatrixCSC.columns: \(range) outside 0..<\(columnCount)")
    let base = columnPointers[range.lowerBound]
    let end = columnPointers[range.upperBound]
    return SparseMatrixCSC(
      uncheckedRowCount: rowCount, columnCount: range.count,
      columnPointers: columnPointers[range.lowerBound...range.upperBound].map { $0 - base },
      rowIndices: Array(rowIndices[base..<end]), values: Array(values[base..<end]))
  }

  /// The submatrix on a row range and a column range.
  /// - Complexity: O(nnz of the column slice + columns.count).
  public func submatrix(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> SparseMatrixCSC {
    columns(columnRange).rows(rowRange)
  }

  /// The submatrix `A[rowList, columnList]`: entry `(r, c)` is `A[rowList[r], columnList[c]]`.
  ///
  /// The lists may repeat indices and be in any order; the result is canonical if `A` has no
  /// duplicate entries.
  /// - Complexity: O(rowCount + rowList.count + Σ over selected columns of (nnz + output) log).
  /// - Precondition: every index is in range.
  public func submatrix(rows rowList: [Int], columns columnList: [Int]) -> SparseMatrixCSC {
    // Inverse row map in CSR-like form: old row i goes to new rows targets[starts[i]..<starts[i+1]].
    var starts = [Int](repeating: 0, count: rowCount + 1)
    for (r, i) in rowList.enumerated() {
      precondition(i >= 0 && i < rowCount, "SparseMatrixCSC.submatrix: row index \(i) at position \(r) outside 0..<\(rowCount)")
      starts[i + 1] += 1
    }
    for i in 0..<rowCount { starts[i + 1] += starts[i] }
    var targets = [Int](repeating: 0, count: rowList.count)
    var next = starts
    for (r, i) in rowList.enumerated() {
      targets[next[i]] = r
      next[i] += 1
    }
    var pointers = [Int](repeating: 0, count: columnList.count + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    var column: [(row: Int, value: Double)] = []
    for (c, j) in columnList.enumerated() {
      precondition(j >= 0 && j < columnCount, "SparseMatrixCSC.submatrix: column index \(j) at position \(c) outside 0..<\(columnCount)")
      column.removeAll(keepingCapacity: true)
      for p in columnPointers[j]..<columnPointers[j + 1] {
        let i = rowIndices[p]
        for t in starts[i]..<starts[i + 1] { column.append((targets[t], values[p])) }
      }
      column.sort { $0.row < $1.row }
      for entry in column {
        rows.append(entry.row)
        vals.append(entry.value)
      }
      pointers[c + 1] = rows.count
    }
    return SparseMatrixCSC(
      uncheckedRowCount: rowList.count, columnCount: columnList.count, columnPointers: pointers, rowIndices: rows,
      values: vals)
  }
}

// MARK: - Concatenation

extension SparseMatrixCSC {
  /// Stacks matrices on top of each other, `[A; B; …]`.
  /// - Complexity: O(Σ nnz + k · columnCount) for `k` blocks.
  /// - Precondition: at least one block, all with the same `columnCount`.
  public static func stackedVertically(_ blocks: [SparseMatrixCSC]) -> SparseMatrixCSC {
    precondition(!blocks.isEmpty, "SparseMatrixCSC.stackedVertically: no blocks")
    let n = blocks[0].columnCount
    for (k, b) in blocks.enumerated() {
      precondition(b.columnCount == n, "SparseMatrixCSC.stackedVertically: block \(k) has \(b.columnCount) columns, block 0 has \(n)")
    }
    var pointers = [Int](repeating: 0, count: n + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    let total = blocks.reduce(0) { $0 + $1.nonzeroCount }
    rows.reserveCapacity(total)
    vals.reserveCapacity(total)
    for j in 0..<n {
      var offset = 0
      for b in blocks {
        for p in b.columnPointers[j]..<b.columnPointers[j + 1] {
          rows.append(b.rowIndices[p] + offset)
          vals.append(b.values[p])
        }
        offset += b.rowCount
      }
      pointers[j + 1] = rows.count
    }
    let m = blocks.reduce(0) { $0 + $1.rowCount }
    return SparseMatrixCSC(uncheckedRowCount: m, columnCount: n, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// Places matrices side by side, `[A B …]`.
  /// - Complexity: O(Σ nnz + Σ columnCount).
  /// - Precondition: at least one block, all with the same `rowCount`.
  public static func stackedHorizontally(_ blocks: [SparseMatrixCSC]) -> SparseMatrixCSC {
    precondition(!blocks.isEmpty, "SparseMatrixCSC.stackedHorizontally: no blocks")
    let m = blocks[0].rowCount
    for (k, b) in blocks.enumerated() {
      precondition(b.rowCount == m, "SparseMatrixCSC.stackedHorizontally: block \(k) has \(b.rowCount) rows, block 0 has \(m)")
    }
    var pointers = [0]
    var rows: [Int] = []
    var vals: [Double] = []
    for b in blocks {
      let base = rows.count
      rows.append(contentsOf: b.rowIndices)
      vals.append(contentsOf: b.values)
      for j in 0..<b.columnCount { pointers.append(base + b.columnPointers[j + 1]) }
    }
    return SparseMatrixCSC(
      uncheckedRowCount: m, columnCount: pointers.count - 1, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// The block-diagonal matrix `diag(A, B, …)`; an empty list gives the 0×0 matrix.
  /// - Complexity: O(Σ nnz + Σ columnCount).
  public static func blockDiagonal(_ blocks: [SparseMatrixCSC]) -> SparseMatrixCSC {
    var pointers = [0]
    var rows: [Int] = []
    var vals: [Double] = []
    var rowOffset = 0
    for b in blocks {
      let base = rows.count
      rows.append(contentsOf: b.rowIndices.map { $0 + rowOffset })
      vals.append(contentsOf: b.values)
      for j in 0..<b.columnCount { pointers.append(base + b.columnPointers[j + 1]) }
      rowOffset += b.rowCount
    }
    return SparseMatrixCSC(
      uncheckedRowCount: rowOffset, columnCount: pointers.count - 1, columnPointers: pointers, rowIndices: rows,
      values: vals)
  }
}

// MARK: - Triangles

extension SparseMatrixCSC {
  /// The entries on and above the diagonal (`i ≤ j`), the storage solvers use for symmetric matrices.
  /// - Complexity: O(nnz + columnCount).
  public var upperTriangle: SparseMatrixCSC {
    var pointers = [Int](repeating: 0, count: columnCount + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    for j in 0..<columnCount {
      for p in columnPointers[j]..<columnPointers[j + 1] where rowIndices[p] <= j {
        rows.append(rowIndices[p])
        vals.append(values[p])
      }
      pointers[j + 1] = rows.count
    }
    return SparseMatrixCSC(
      uncheckedRowCount: rowCount, columnCount: columnCount, columnPointers: pointers, rowIndices: rows, values: vals)
  }

  /// The full symmetric matrix from upper-triangle storage (entries below the diagonal ignored).
  ///
  /// ```
  /// S = U + Uᵀ − diag(U)
  /// ```
  /// - Complexity: O(nnz log + n).
  /// - Precondition: square.
  public var symmetricFromUpper: SparseMatrixCSC {
    precondition(rowCount == columnCount, "SparseMatrixCSC.symmetricFromUpper: A is \(rowCount)×\(columnCount), not square")
    let upper = upperTriangle
    var pointers = [Int](repeating: 0, count: columnCount + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    for j in 0..<columnCount {
      for p in upper.columnPointers[j]..<upper.columnPointers[j + 1] where upper.rowIndices[p] < j {
        rows.append(upper.rowIndices[p])
        vals.append(upper.values[p])
      }
      pointers[j + 1] = rows.count
    }
    let strict = SparseMatrixCSC(
      uncheckedRowCount: rowCount, columnCount: columnCount, columnPointers: pointers, rowIndices: rows, values: vals)
    return upper + strict.transposed
  }
}

// MARK: - Dense conversion and comparison

extension SparseMatrixCSC {
  /// The sparse form of a dense matrix, keeping entries with `|aᵢⱼ| > dropTolerance` (and NaN).
  /// - Complexity: O(rowCount · columnCount).
  public init(_ dense: Matrix, dropTolerance: Double = 0) {
    var pointers = [Int](repeating: 0, count: dense.columnCount + 1)
    var rows: [Int] = []
    var vals: [Double] = []
    for j in 0..<dense.columnCount {
      for i in 0..<dense.rowCount {
        let v = dense[i, j]
        if !(abs(v) <= dropTolerance) {
          rows.append(i)
          vals.append(v)
        }
      }
      pointers[j + 1] = rows.count
    }
    self.init(
      uncheckedRowCount: dense.rowCount, columnCount: dense.columnCount, columnPointers: pointers, rowIndices: rows,
      values: vals)
  }

  /// Whether the two matrices have the same shape and every entry (stored or not) differs by at
  /// most `tolerance`. Patterns may differ.
  ///
  /// ```
  /// maxᵢⱼ |aᵢⱼ − bᵢⱼ| ≤ tolerance
  /// ```
  /// - Complexity: as `linearCombination`.
  public func isApproximatelyEqual(to other: SparseMatrixCSC, absoluteTolerance tolerance: Double) -> Bool {
    guard rowCount == other.rowCount, columnCount == other.columnCount else { return false }
    let difference = SparseMatrixCSC.linearCombination(1, self, -1, other)
    return difference.values.allSatisfy { abs($0) <= tolerance }
  }
}

extension Matrix {
  /// The dense form of a sparse matrix (duplicate entries are summed).
  /// - Complexity: O(rowCount · columnCount + nnz).
  public init(_ sparse: SparseMatrixCSC) {
    var m = Matrix.zeros(rowCount: sparse.rowCount, columnCount: sparse.columnCount)
    for j in 0..<sparse.columnCount {
      for p in sparse.columnPointers[j]..<sparse.columnPointers[j + 1] {
        m.elements[sparse.rowIndices[p] + j * sparse.rowCount] += sparse.values[p]
      }
    }
    self = m
  }
}

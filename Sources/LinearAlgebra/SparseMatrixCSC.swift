/// A sparse matrix of `Double` in compressed sparse column (CSC) form, 0-based.
///
/// Column `j` holds the entries `values[p]` at rows `rowIndices[p]` for
/// `p` in `columnPointers[j] ..< columnPointers[j + 1]`. Matrices built by this module keep the row
/// indices of each column strictly increasing (sorted, no duplicates); `isCanonical` checks that.
///
/// This is the layout of SuiteSparse, Clarabel and SciPy's `csc_matrix`, so conversion is a copy.
public struct SparseMatrixCSC: Sendable, Equatable {
  /// Number of rows.
  public var rowCount: Int
  /// Number of columns.
  public var columnCount: Int
  /// Column start offsets, `columnCount + 1` entries, `columnPointers[0] == 0`.
  public var columnPointers: [Int]
  /// Row index of each stored entry.
  public var rowIndices: [Int]
  /// Value of each stored entry.
  public var values: [Double]

  /// Number of stored entries.
  public var nonzeroCount: Int { columnPointers[columnCount] }

  /// Wraps CSC arrays, checking their shape and ranges.
  ///
  /// - Precondition: the arrays are consistent (`precondition` names the first inconsistency).
  ///   Use `validated(...)` for input that comes from users or files.
  public init(rowCount: Int, columnCount: Int, columnPointers: [Int], rowIndices: [Int], values: [Double]) {
    if let problem = SparseMatrixCSC.structuralProblem(
      rowCount: rowCount, columnCount: columnCount, columnPointers: columnPointers,
      rowIndices: rowIndices, values: values)
    {
      preconditionFailure("SparseMatrixCSC: \(problem)")
    }
    self.rowCount = rowCount
    self.columnCount = columnCount
    self.columnPointers = columnPointers
    self.rowIndices = rowIndices
    self.values = values
  }

  /// Wraps CSC arrays without checking them. The caller guarantees consistency.
  public init(
    uncheckedRowCount rowCount: Int, columnCount: Int, columnPointers: [Int], rowIndices: [Int],
    values: [Double]
  ) {
    self.rowCount = rowCount
    self.columnCount = columnCount
    self.columnPointers = columnPointers
    self.rowIndices = rowIndices
    self.values = values
  }

  /// Describes the first structural inconsistency of CSC arrays, or returns `nil` when they are
  /// consistent (sizes, monotone column pointers, row indices in range). Sortedness is not required.
  public static func structuralProblem(
    rowCount: Int, columnCount: Int, columnPointers: [Int], rowIndices: [Int], values: [Double]
  ) -> String? {
    if rowCount < 0 || columnCount < 0 { return "negative dimension \(rowCount)×\(columnCount)" }
    if columnPointers.count != columnCount + 1 {
      return "colptr has \(columnPointers.count) entries, expected n+1 = \(columnCount + 1)"
    }
    if columnPointers[0] != 0 { return "colptr[0] is \(columnPointers[0]), expected 0" }
    for j in 0..<columnCount where columnPointers[j + 1] < columnPointers[j] {
      return "colptr is decreasing at column \(j) (\(columnPointers[j]) > \(columnPointers[j + 1]))"
    }
    let nnz = columnPointers[columnCount]
    if rowIndices.count != nnz { return "rowval has \(rowIndices.count) entries, colptr[n] says \(nnz)" }
    if values.count != nnz { return "nzval has \(values.count) entries, colptr[n] says \(nnz)" }
    for (p, i) in rowIndices.enumerated() where i < 0 || i >= rowCount {
      return "rowval[\(p)] = \(i) is outside 0..<\(rowCount)"
    }
    return nil
  }

  /// The `rowCount × columnCount` matrix with no stored entries.
  public static func zeros(rowCount: Int, columnCount: Int) -> SparseMatrixCSC {
    SparseMatrixCSC(
      uncheckedRowCount: rowCount, columnCount: columnCount,
      columnPointers: [Int](repeating: 0, count: columnCount + 1), rowIndices: [], values: [])
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> SparseMatrixCSC {
    SparseMatrixCSC(
      uncheckedRowCount: n, columnCount: n, columnPointers: Array(0...n), rowIndices: Array(0..<n),
      values: [Double](repeating: 1, count: n))
  }

  /// Builds a canonical matrix (sorted rows, duplicates summed) from coordinate triplets.
  ///
  /// Explicit zeros are kept as stored entries (solvers rely on fixed sparsity patterns).
  /// - Complexity: O(nnz + rowCount + columnCount).
  /// - Precondition: every index is in range and the three arrays have equal length.
  public init(rowCount: Int, columnCount: Int, rows: [Int], columns: [Int], values: [Double]) {
    precondition(
      rows.count == columns.count && rows.count == values.count,
      "SparseMatrixCSC: triplet arrays differ in length (\(rows.count), \(columns.count), \(values.count))")
    // Bucket by row first (gives sorted rows within each column after the column pass).
    var rowCounts = [Int](repeating: 0, count: rowCount + 1)
    for (k, i) in rows.enumerated() {
      precondition(i >= 0 && i < rowCount, "SparseMatrixCSC: row index \(i) at triplet \(k) outside 0..<\(rowCount)")
      let j = columns[k]
      precondition(j >= 0 && j < columnCount, "SparseMatrixCSC: column index \(j) at triplet \(k) outside 0..<\(columnCount)")
      rowCounts[i + 1] += 1
    }
    for i in 0..<rowCount { rowCounts[i + 1] += rowCounts[i] }
    var byRow = [Int](repeating: 0, count: rows.count)
    var next = rowCounts
    for (k, i) in rows.enumerated() {
      byRow[next[i]] = k
      next[i] += 1
    }
    var colCounts = [Int](repeating: 0, count: columnCount + 1)
    for j in columns { colCounts[j + 1] += 1 }
    for j in 0..<columnCount { colCounts[j + 1] += colCounts[j] }
    var order = [Int](repeating: 0, count: rows.count)
    var cnext = colCounts
    for k in byRow {
      let j = columns[k]
      order[cnext[j]] = k
      cnext[j] += 1
    }
    // Merge duplicates.
    var pointers = [Int](repeating: 0, count: columnCount + 1)
    var outRows: [Int] = []
    var outValues: [Double] = []
    outRows.reserveCapacity(rows.count)
    outValues.reserveCapacity(rows.count)
    for j in 0..<columnCount {
      let start = outRows.count
      for p in colCounts[j]..<colCounts[j + 1] {
        let k = order[p]
        if outRows.count > start, outRows[outRows.count - 1] == rows[k] {
          outValues[outValues.count - 1] += values[k]
        } else {
          outRows.append(rows[k])
          outValues.append(values[k])
        }
      }
      pointers[j + 1] = outRows.count
    }
    self.init(
      uncheckedRowCount: rowCount, columnCount: columnCount, columnPointers: pointers, rowIndices: outRows,
      values: outValues)
  }

  /// Whether every column's row indices are strictly increasing.
  public var isCanonical: Bool {
    for j in 0..<columnCount {
      var p = columnPointers[j] + 1
      while p < columnPointers[j + 1] {
        if rowIndices[p] <= rowIndices[p - 1] { return false }
        p += 1
      }
    }
    return true
  }
}

import LinearAlgebra

/// Collects constraint rows by cone kind while a reader converts a file, then stacks them in the
/// order every reader uses: zero rows, then nonnegative rows, then second-order blocks in the order
/// they were added. Each kind's rows stay contiguous, so the cones are `[.zero, .nonnegative, .secondOrder…]`
/// (empty kinds left out).
struct ConicRowAssembler {
  struct Section {
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    var b: [Double] = []

    /// Starts a new row with right-hand side `rhs` and returns its index within the section.
    mutating func addRow(rhs: Double) -> Int {
      b.append(rhs)
      return b.count - 1
    }

    mutating func add(row: Int, column: Int, value: Double) {
      rows.append(row)
      columns.append(column)
      values.append(value)
    }
  }

  let columnCount: Int
  var zero = Section()
  var nonnegative = Section()
  var secondOrder = Section()
  var secondOrderDimensions: [Int] = []

  init(columnCount: Int) { self.columnCount = columnCount }

  /// Stacks the sections into `A`, `b` and the cone list.
  func assemble() -> (A: SparseMatrixCSC, b: [Double], cones: [ConeSpec]) {
    let zeroCount = zero.b.count
    let nonnegativeCount = nonnegative.b.count
    let m = zeroCount + nonnegativeCount + secondOrder.b.count
    var rows = zero.rows
    rows.reserveCapacity(zero.rows.count + nonnegative.rows.count + secondOrder.rows.count)
    rows.append(contentsOf: nonnegative.rows.lazy.map { $0 + zeroCount })
    rows.append(contentsOf: secondOrder.rows.lazy.map { $0 + zeroCount + nonnegativeCount })
    let columns = zero.columns + nonnegative.columns + secondOrder.columns
    let values = zero.values + nonnegative.values + secondOrder.values
    let A = SparseMatrixCSC(rowCount: m, columnCount: columnCount, rows: rows, columns: columns, values: values)
    var cones: [ConeSpec] = []
    if zeroCount > 0 { cones.append(.zero(zeroCount)) }
    if nonnegativeCount > 0 { cones.append(.nonnegative(nonnegativeCount)) }
    cones.append(contentsOf: secondOrderDimensions.map { ConeSpec.secondOrder($0) })
    return (A, zero.b + nonnegative.b + secondOrder.b, cones)
  }
}

extension ConicProblem {
  /// The rows of `A` and `b` in the order the readers produce: all zero-cone rows, then all
  /// nonnegative rows (each group in their original order), then the second-order blocks in order;
  /// adjacent zero and nonnegative cones are merged. Writers emit this order so that reading a
  /// written file gives back exactly this problem.
  func withRowsInReaderOrder() -> ConicProblem {
    var zeroRows: [Int] = []
    var nonnegativeRows: [Int] = []
    var secondOrderRows: [Int] = []
    var secondOrderDimensions: [Int] = []
    var offset = 0
    var alreadyOrdered = true
    var lastKind = 0
    for cone in cones {
      let range = offset..<(offset + cone.dimension)
      let kind: Int
      switch cone {
      case .zero: zeroRows.append(contentsOf: range); kind = 0
      case .nonnegative: nonnegativeRows.append(contentsOf: range); kind = 1
      case .secondOrder(let d):
        secondOrderRows.append(contentsOf: range); secondOrderDimensions.append(d); kind = 2
      }
      if cone.dimension > 0 && kind < lastKind { alreadyOrdered = false }
      if cone.dimension > 0 { lastKind = max(lastKind, kind) }
      offset += cone.dimension
    }
    var newCones: [ConeSpec] = []
    if !zeroRows.isEmpty { newCones.append(.zero(zeroRows.count)) }
    if !nonnegativeRows.isEmpty { newCones.append(.nonnegative(nonnegativeRows.count)) }
    newCones.append(contentsOf: secondOrderDimensions.map { ConeSpec.secondOrder($0) })
    var result = self
    result.cones = newCones
    if alreadyOrdered { return result }
    let order = zeroRows + nonnegativeRows + secondOrderRows  // new row k is old row order[k]
    var newIndex = [Int](repeating: 0, count: order.count)
    for (k, old) in order.enumerated() { newIndex[old] = k }
    var rows: [Int] = []
    var columns: [Int] = []
    rows.reserveCapacity(A.nonzeroCount)
    columns.reserveCapacity(A.nonzeroCount)
    for j in 0..<A.columnCount {
      for p in A.columnPointers[j]..<A.columnPointers[j + 1] {
        rows.append(newIndex[A.rowIndices[p]])
        columns.append(j)
      }
    }
    result.A = SparseMatrixCSC(
      rowCount: A.rowCount, columnCount: A.columnCount, rows: rows, columns: columns, values: A.values)
    result.b = order.map { b[$0] }
    return result
  }
}

/// `x` as text that reads back to the same `Double` (shortest round-trip form, e.g. `1e-05`, `0.1`).
@inline(__always)
func formatNumber(_ x: Double) -> String {
  if x == x.rounded(), abs(x) < 1e15 {
    return x == 0 ? (x.sign == .minus ? "-0.0" : "0.0") : String(Int64(x)) + ".0"
  }
  return x.description
}

import LinearAlgebra
import Testing

@Suite struct SparseMatrixCSCTests {
  /// [[1, 0, 2], [0, 0, 3]] written as triplets, out of order and with a duplicate to merge.
  static let triplets = (rows: [1, 0, 0, 0], columns: [2, 2, 0, 2], values: [3.0, 1.5, 1, 0.5])

  @Test func tripletInitSortsAndSumsDuplicates() {
    let t = Self.triplets
    let a = SparseMatrixCSC(rowCount: 2, columnCount: 3, rows: t.rows, columns: t.columns, values: t.values)
    #expect(a.columnPointers == [0, 1, 1, 3])
    #expect(a.rowIndices == [0, 0, 1])
    #expect(a.values == [1, 2, 3])
    #expect(a.isCanonical)
    #expect(a.nonzeroCount == 3)
    #expect(Matrix(a) == Matrix(rows: [[1, 0, 2], [0, 0, 3]]))
  }

  @Test func tripletInitKeepsExplicitZeros() {
    let a = SparseMatrixCSC(rowCount: 2, columnCount: 2, rows: [0, 1], columns: [0, 1], values: [0, 4])
    #expect(a.nonzeroCount == 2)
    #expect(a.values == [0, 4])
  }

  @Test func structuralProblemsAreNamed() {
    #expect(
      SparseMatrixCSC.structuralProblem(rowCount: 2, columnCount: 1, columnPointers: [0, 1], rowIndices: [2], values: [1])
        == "rowval[0] = 2 is outside 0..<2")
    #expect(
      SparseMatrixCSC.structuralProblem(rowCount: 2, columnCount: 2, columnPointers: [0, 1], rowIndices: [0], values: [1])
        == "colptr has 2 entries, expected n+1 = 3")
    #expect(
      SparseMatrixCSC.structuralProblem(rowCount: 2, columnCount: 1, columnPointers: [0, 1], rowIndices: [0], values: [1])
        == nil)
  }

  @Test func nonCanonicalIsDetected() {
    let a = SparseMatrixCSC(uncheckedRowCount: 2, columnCount: 1, columnPointers: [0, 2], rowIndices: [1, 0], values: [1, 2])
    #expect(!a.isCanonical)
    // Transposing twice sorts the rows.
    #expect(a.transposed.transposed.isCanonical)
    #expect(Matrix(a.transposed.transposed) == Matrix(a))
  }

  @Test func zerosAndIdentity() {
    #expect(Matrix(SparseMatrixCSC.zeros(rowCount: 2, columnCount: 3)) == .zeros(rowCount: 2, columnCount: 3))
    #expect(Matrix(SparseMatrixCSC.identity(4)) == .identity(4))
    #expect(SparseMatrixCSC.identity(0).nonzeroCount == 0)
  }
}

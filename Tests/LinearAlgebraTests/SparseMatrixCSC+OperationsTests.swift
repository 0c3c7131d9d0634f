import LinearAlgebra
import Testing

// Every operation is checked against the same operation on the dense form. Structural operations
// move values without arithmetic, so they are compared exactly; arithmetic ones within 1e-14
// (one rounding per entry on values of size ≤ 2).

@Suite struct SparseMatrixCSCOperationsTests {
  static func fixture(_ m: Int, _ n: Int, seed: UInt64, density: Double = 0.35) -> SparseMatrixCSC {
    var rng = SplitMix64(seed: seed)
    return Fixtures.randomSparse(m, n, density: density, &rng)
  }

  @Test func transposeMatchesDense() {
    let a = Self.fixture(5, 8, seed: 51)
    #expect(Matrix(a.transposed) == Matrix(a).transposed)
    #expect(a.transposed.isCanonical)
    #expect(a.transposed.transposed == a)
  }

  @Test func subscriptReadsEntries() {
    let a = Self.fixture(6, 4, seed: 52)
    let d = Matrix(a)
    for i in 0..<6 { for j in 0..<4 { #expect(a[i, j] == d[i, j]) } }
  }

  @Test func sumsDifferencesAndScaling() {
    let a = Self.fixture(6, 7, seed: 53)
    let b = Self.fixture(6, 7, seed: 54)
    #expect(Matrix(a + b).isApproximatelyEqual(to: Matrix(a) + Matrix(b), absoluteTolerance: 1e-14))
    #expect(Matrix(a - b).isApproximatelyEqual(to: Matrix(a) - Matrix(b), absoluteTolerance: 1e-14))
    #expect((a + b).isCanonical)
    let c = SparseMatrixCSC.linearCombination(2, a, -3, b)
    #expect(Matrix(c).isApproximatelyEqual(to: 2 * Matrix(a) - 3 * Matrix(b), absoluteTolerance: 1e-14))
    #expect(Matrix(2.5 * a) == 2.5 * Matrix(a))
    #expect(Matrix(-a) == -1 * Matrix(a))
    // A − A keeps the pattern with explicit zeros.
    let z = a - a
    #expect(z.nonzeroCount == a.nonzeroCount && z.values.allSatisfy { $0 == 0 })
    #expect(0 * a == SparseMatrixCSC(uncheckedRowCount: 6, columnCount: 7, columnPointers: a.columnPointers, rowIndices: a.rowIndices, values: a.values.map { _ in 0 }))
  }

  @Test func diagonalScalingMatchesDenseProducts() {
    let a = Self.fixture(4, 5, seed: 55)
    let d: [Double] = [1, 2, 0.5, -1]
    let e: [Double] = [3, 1, 1, 0.25, 2]
    let expected = Matrix(diagonal: d) * Matrix(a) * Matrix(diagonal: e)
    #expect(Matrix(a.scaled(rows: d, columns: e)).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-14))
    #expect(Matrix(a.scaled(rows: d, columns: nil)) == Matrix(diagonal: d) * Matrix(a))
    var b = a
    b.scale(rows: nil, columns: e)
    #expect(Matrix(b) == Matrix(a) * Matrix(diagonal: e))
  }

  @Test func infinityNormsMatchDense() {
    let a = Self.fixture(6, 5, seed: 56)
    let d = Matrix(a)
    #expect(a.columnInfinityNorms() == (0..<5).map { d.column($0).normInf })
    #expect(a.rowInfinityNorms() == (0..<6).map { d.row($0).normInf })
    let s = Self.fixture(6, 6, seed: 57)
    let full = s + s.transposed
    var norms = [Double](repeating: .nan, count: 6)
    full.upperTriangle.symmetricColumnInfinityNorms(into: &norms)
    #expect(norms == full.columnInfinityNorms())
  }

  @Test func slicingMatchesDense() {
    let a = Self.fixture(7, 6, seed: 58)
    let d = Matrix(a)
    func denseSub(_ rows: [Int], _ cols: [Int]) -> Matrix {
      Matrix(rows: rows.map { i in cols.map { j in d[i, j] } })
    }
    #expect(Matrix(a.rows(2..<5)) == denseSub(Array(2..<5), Array(0..<6)))
    #expect(Matrix(a.columns(1..<4)) == denseSub(Array(0..<7), Array(1..<4)))
    #expect(Matrix(a.submatrix(rows: 1..<6, columns: 3..<6)) == denseSub(Array(1..<6), Array(3..<6)))
    let rowList = [6, 0, 3, 3]
    let colList = [5, 1, 1]
    let picked = a.submatrix(rows: rowList, columns: colList)
    #expect(picked.isCanonical)
    #expect(Matrix(picked) == denseSub(rowList, colList))
    #expect(a.rows(3..<3).rowCount == 0)
  }

  @Test func concatenationMatchesDense() {
    let a = Self.fixture(3, 4, seed: 59)
    let b = Self.fixture(2, 4, seed: 60)
    let c = Self.fixture(3, 2, seed: 61)
    let v = SparseMatrixCSC.stackedVertically([a, b])
    #expect(v.isCanonical)
    #expect(Matrix(v).rows == Matrix(a).rows + Matrix(b).rows)
    let h = SparseMatrixCSC.stackedHorizontally([a, c])
    #expect(h.isCanonical)
    #expect(Matrix(h).rows == zip(Matrix(a).rows, Matrix(c).rows).map { $0 + $1 })
    let bd = SparseMatrixCSC.blockDiagonal([a, c])
    #expect(bd.rowCount == 6 && bd.columnCount == 6)
    let dense = Matrix(bd)
    for i in 0..<6 {
      for j in 0..<6 {
        let expected = i < 3 && j < 4 ? a[i, j] : (i >= 3 && j >= 4 ? c[i - 3, j - 4] : 0)
        #expect(dense[i, j] == expected)
      }
    }
    #expect(SparseMatrixCSC.blockDiagonal([]).rowCount == 0)
  }

  @Test func trianglesAndSymmetricExpansion() {
    let a = Self.fixture(5, 5, seed: 62, density: 0.6)
    let u = a.upperTriangle
    let d = Matrix(a)
    for i in 0..<5 { for j in 0..<5 { #expect(u[i, j] == (i <= j ? d[i, j] : 0)) } }
    let s = u.symmetricFromUpper
    #expect(s.isCanonical)
    #expect(Matrix(s) == Matrix(u) + Matrix(u).transposed - Matrix(diagonal: Matrix(u).diagonal))
  }

  @Test func denseConversionDropsZerosAndSmallEntries() {
    let m = Matrix(rows: [[1, 0, 1e-12], [0, -2, 0]])
    let exact = SparseMatrixCSC(m)
    #expect(exact.nonzeroCount == 3)
    #expect(Matrix(exact) == m)
    let dropped = SparseMatrixCSC(m, dropTolerance: 1e-9)
    #expect(dropped.nonzeroCount == 2)
    #expect(dropped.isApproximatelyEqual(to: exact, absoluteTolerance: 1e-9))
    #expect(!dropped.isApproximatelyEqual(to: exact, absoluteTolerance: 1e-13))
    #expect(!exact.isApproximatelyEqual(to: exact.transposed, absoluteTolerance: 1))
  }
}

import LinearAlgebra
import Testing

// Tolerance: the products below are sums of at most 8 terms of size ≤ 1, so naive and BLAS
// evaluation orders agree to a few ulps of 8; 1e-12 leaves a wide margin.
private let productTolerance = 1e-12

@Suite struct DenseMatrixTests {
  @Test func layoutIsColumnMajorAndRowsRoundTrip() {
    let a = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(a.rowCount == 2 && a.columnCount == 3)
    #expect(a.elements == [1, 4, 2, 5, 3, 6])
    #expect(a[0, 2] == 3 && a[1, 0] == 4)
    #expect(a.rows == [[1, 2, 3], [4, 5, 6]])
    #expect(a.column(1) == [2, 5])
    #expect(a.row(1) == [4, 5, 6])
    #expect(a.transposed == Matrix(rows: [[1, 4], [2, 5], [3, 6]]))
  }

  @Test func identityZerosDiagonalTrace() {
    #expect(Matrix.identity(3) == Matrix(diagonal: [1, 1, 1]))
    #expect(Matrix.zeros(rowCount: 2, columnCount: 3).elements == [Double](repeating: 0, count: 6))
    let a = Matrix(rows: [[1, 2], [3, 4]])
    #expect(a.diagonal == [1, 4])
    #expect(a.trace == 5)
    var b = a
    b[0, 1] = 7
    #expect(b.row(0) == [1, 7])
  }

  @Test func elementwiseArithmetic() {
    let a = Matrix(rows: [[1, 2], [3, 4]])
    let b = Matrix(rows: [[5, 6], [7, 8]])
    #expect(a + b == Matrix(rows: [[6, 8], [10, 12]]))
    #expect(b - a == Matrix(rows: [[4, 4], [4, 4]]))
    #expect(2 * a == Matrix(rows: [[2, 4], [6, 8]]))
    #expect(Matrix(rows: [[3, 4]]).frobeniusNorm == 5)
  }

  @Test func productsMatchNaiveLoops() {
    var rng = SplitMix64(seed: 1)
    let a = Fixtures.randomMatrix(5, 8, &rng)
    let b = Fixtures.randomMatrix(8, 3, &rng)
    let x = Fixtures.randomVector(8, &rng)
    var naive = Matrix.zeros(rowCount: 5, columnCount: 3)
    for i in 0..<5 {
      for j in 0..<3 {
        for k in 0..<8 { naive[i, j] += a[i, k] * b[k, j] }
      }
    }
    #expect((a * b).isApproximatelyEqual(to: naive, absoluteTolerance: productTolerance))
    // Transposed variants agree with explicit transposes.
    #expect(a.transposed.multiplied(by: a.transposed, transposingSelf: true)
      .isApproximatelyEqual(to: a * a.transposed, absoluteTolerance: productTolerance))
    #expect(b.multiplied(by: a, transposingSelf: true, transposingOther: true)
      .isApproximatelyEqual(to: (a * b).transposed, absoluteTolerance: productTolerance))
    let ax = a * x
    let naiveAx = (0..<5).map { i in (0..<8).reduce(0.0) { $0 + a[i, $1] * x[$1] } }
    #expect(Fixtures.maxDifference(ax, naiveAx) <= productTolerance)
    let y = Fixtures.randomVector(5, &rng)
    #expect(Fixtures.maxDifference(a.multiplyTransposed(y), a.transposed * y) <= productTolerance)
  }

  @Test func gemvIntoBufferHonoursAlphaBetaAndIgnoresNaNWhenBetaIsZero() {
    let a = Matrix(rows: [[1, 2], [3, 4]])
    var y: [Double] = [.nan, .nan]
    a.multiply([1, 1], into: &y)
    #expect(y == [3, 7])
    a.multiply([1, 0], into: &y, alpha: 2, beta: 1)
    #expect(y == [5, 13])
    a.multiply([1, 0], into: &y, transposed: true, alpha: 1, beta: -1)
    #expect(y == [-4, -11])
  }

  @Test func emptyProductsAreZero() {
    let a = Matrix.zeros(rowCount: 2, columnCount: 0)
    let b = Matrix.zeros(rowCount: 0, columnCount: 3)
    #expect(a * b == Matrix.zeros(rowCount: 2, columnCount: 3))
    #expect(a * [] == [0, 0])
  }

  @Test func solveDeterminantInverse() throws {
    let a = Matrix(rows: [[2, 1, 0], [1, 3, 1], [0, 1, 4]])
    // det by cofactor expansion: 2(12 − 1) − 1(4 − 0) = 18.
    #expect(abs(a.determinant - 18) <= 1e-12)
    let x = try a.solve([3, 5, 5])
    #expect(Fixtures.maxDifference(x, [1, 1, 1]) <= 1e-13)
    let inv = try a.inverse()
    #expect((a * inv).isApproximatelyEqual(to: .identity(3), absoluteTolerance: 1e-13))
  }

  @Test func singularSolveThrowsAndDeterminantIsZero() {
    let a = Matrix(rows: [[1, 2], [2, 4]])
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) { try a.solve([1, 1]) }
    #expect(a.determinant == 0)
    #expect(throws: LinearAlgebraError.self) { try a.inverse() }
  }

  @Test func nanInputIsReportedAsInvalidArgument() {
    let a = Matrix(rows: [[1, .nan], [0, 1]])
    #expect(throws: LinearAlgebraError.invalidArgument(routine: "dgesv", position: 4)) { try a.solve([1, 1]) }
  }
}

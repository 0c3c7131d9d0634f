import LinearAlgebra
import Testing

// Sparse results are compared with the dense `Matrix` operations on the same seeded matrices.
// Tolerance: each entry is a sum of at most ~12 products of numbers in [-1, 1); the two evaluation
// orders differ by a few ulps of 12, so 1e-12 is a wide margin.
private let tolerance = 1e-12

@Suite struct SparseMatrixCSCProductsTests {
  @Test(arguments: [(7, 5, 0.3), (1, 9, 0.5), (10, 10, 0.1), (4, 6, 0.0)])
  func matrixVectorMatchesDense(m: Int, n: Int, density: Double) {
    var rng = SplitMix64(seed: UInt64(m * 100 + n))
    let a = Fixtures.randomSparse(m, n, density: density, &rng)
    let d = Matrix(a)
    let x = Fixtures.randomVector(n, &rng)
    let z = Fixtures.randomVector(m, &rng)
    #expect(Fixtures.maxDifference(a * x, d * x) <= tolerance)
    #expect(Fixtures.maxDifference(a.multiplyTransposed(z), d.multiplyTransposed(z)) <= tolerance)

    // y ← α A x + β y against the same formula in dense arithmetic.
    let y0 = Fixtures.randomVector(m, &rng)
    var y = y0
    a.multiply(x, into: &y, alpha: -0.5, beta: 2)
    var expected = (d * x).scaled(by: -0.5)
    expected.axpy(2, y0)
    #expect(Fixtures.maxDifference(y, expected) <= tolerance)

    let w0 = Fixtures.randomVector(n, &rng)
    var w = w0
    a.multiplyTransposed(z, into: &w, alpha: 3, beta: 1)
    var expectedW = d.multiplyTransposed(z).scaled(by: 3)
    expectedW.axpy(1, w0)
    #expect(Fixtures.maxDifference(w, expectedW) <= tolerance)
  }

  @Test func betaZeroOverwritesNaN() {
    let a = SparseMatrixCSC.identity(2)
    var y: [Double] = [.nan, .nan]
    a.multiply([1, 2], into: &y)
    #expect(y == [1, 2])
    var w: [Double] = [.nan, .nan]
    a.multiplyTransposed([3, 4], into: &w)
    #expect(w == [3, 4])
    var s: [Double] = [.nan, .nan]
    a.symmetricMultiply([5, 6], into: &s)
    #expect(s == [5, 6])
  }

  @Test func symmetricMultiplyFromUpperMatchesFullDense() {
    var rng = SplitMix64(seed: 41)
    let b = Fixtures.randomSparse(8, 8, density: 0.3, &rng)
    let full = b + b.transposed  // symmetric
    let upper = full.upperTriangle
    let x = Fixtures.randomVector(8, &rng)
    #expect(Fixtures.maxDifference(upper.symmetricMultiply(x), Matrix(full) * x) <= tolerance)
    // Entries below the diagonal are ignored.
    #expect(Fixtures.maxDifference(full.symmetricMultiply(x), upper.symmetricMultiply(x)) == 0)
    let y0 = Fixtures.randomVector(8, &rng)
    var y = y0
    upper.symmetricMultiply(x, into: &y, alpha: 2, beta: -1)
    var expected = (Matrix(full) * x).scaled(by: 2)
    expected.axpy(-1, y0)
    #expect(Fixtures.maxDifference(y, expected) <= tolerance)
  }

  @Test(arguments: [(6, 4, 5), (1, 7, 1), (9, 9, 9), (3, 0, 2)])
  func sparseProductMatchesDense(m: Int, k: Int, n: Int) {
    var rng = SplitMix64(seed: UInt64(m * 10_000 + k * 100 + n))
    let a = Fixtures.randomSparse(m, k, density: 0.4, &rng)
    let b = Fixtures.randomSparse(k, n, density: 0.4, &rng)
    let c = a * b
    #expect(c.isCanonical)
    #expect(c.rowCount == m && c.columnCount == n)
    #expect(Matrix(c).isApproximatelyEqual(to: Matrix(a) * Matrix(b), absoluteTolerance: tolerance))
  }

  @Test func productKeepsStructuralCancellation() {
    // [1 1] · [1; −1] = 0, stored as an explicit zero (the pattern is structural).
    let a = SparseMatrixCSC(Matrix(rows: [[1, 1]]))
    let b = SparseMatrixCSC(Matrix(rows: [[1], [-1]]))
    let c = a * b
    #expect(c.nonzeroCount == 1 && c.values == [0])
  }
}

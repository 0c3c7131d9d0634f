import LinearAlgebra
import Testing

// Tolerance: partial-pivoting LU on random 8×8 matrices with entries in [-1, 1) has tiny growth
// here; reconstruction and residuals sit near 1e-15, and 1e-10 allows for ill-conditioned draws.
private let tolerance = 1e-10

@Suite struct LUFactorizationTests {
  @Test func reconstructsPermutedMatrix() throws {
    var rng = SplitMix64(seed: 7)
    let a = Fixtures.randomMatrix(8, 8, &rng)
    let lu = try LUFactorization(a)
    let order = lu.rowOrder
    #expect(order.sorted() == Array(0..<8))
    var pa = Matrix.zeros(rowCount: 8, columnCount: 8)
    for i in 0..<8 {
      for j in 0..<8 { pa[i, j] = a[order[i], j] }
    }
    #expect((lu.lower * lu.upper).isApproximatelyEqual(to: pa, absoluteTolerance: tolerance))
    let b = Fixtures.randomVector(8, &rng)
    #expect(Fixtures.maxDifference(a * lu.solve(b), b) <= tolerance)
    #expect((a * (try lu.inverse())).isApproximatelyEqual(to: .identity(8), absoluteTolerance: tolerance))
  }

  @Test func determinantIncludesPermutationSign() throws {
    // Swapping the rows of the identity gives det −1; LU needs one interchange.
    let p = Matrix(rows: [[0, 1], [1, 0]])
    #expect(try LUFactorization(p).determinant == -1)
    // Upper-triangular: det is the product of the diagonal.
    #expect(try LUFactorization(Matrix(rows: [[2, 5, 1], [0, 3, 7], [0, 0, -4]])).determinant == -24)
  }

  @Test func singularMatrixThrowsNamingThePivot() {
    #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
      try LUFactorization(Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 0]]))
    }
  }
}

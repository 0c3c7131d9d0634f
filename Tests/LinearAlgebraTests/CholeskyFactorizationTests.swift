import LinearAlgebra
import Testing

// Tolerance: Cholesky is backward stable; for the fixtures (n ≤ 12, condition number < 10,
// entries O(n)) the reconstruction and the residuals are within ~100 ulps of ‖A‖; 1e-11 is ample.
private let tolerance = 1e-11

@Suite struct CholeskyFactorizationTests {
  @Test(arguments: [1, 2, 5, 12]) func reconstructsAndSolves(n: Int) throws {
    var rng = SplitMix64(seed: UInt64(100 + n))
    let a = Fixtures.randomSPD(n, &rng)
    let chol = try CholeskyFactorization(a)
    let l = chol.lower
    for j in 0..<n {
      for i in 0..<j { #expect(l[i, j] == 0) }
      #expect(l[j, j] > 0)
    }
    #expect((l * l.transposed).isApproximatelyEqual(to: a, absoluteTolerance: tolerance * Double(n)))
    let b = Fixtures.randomVector(n, &rng)
    let x = chol.solve(b)
    #expect(Fixtures.maxDifference(a * x, b) <= tolerance)
    let bs = Fixtures.randomMatrix(n, 3, &rng)
    #expect((a * chol.solve(bs)).isApproximatelyEqual(to: bs, absoluteTolerance: tolerance))
  }

  @Test func determinantOfKnownMatrix() throws {
    // [[4, 2], [2, 3]]: det = 12 − 4 = 8, L = [[2, 0], [1, √2]].
    let chol = try CholeskyFactorization(Matrix(rows: [[4, 2], [2, 3]]))
    #expect(abs(chol.determinant - 8) <= 1e-14)
    #expect(abs(chol.logDeterminant - 2.0794415416798357) <= 1e-14)  // log 8
    #expect(abs(chol.lower[1, 1] - 2.0.squareRoot()) <= 1e-15)
  }

  @Test func readsOnlyTheLowerTriangle() throws {
    let chol = try CholeskyFactorization(Matrix(rows: [[4, 999], [2, 3]]))
    #expect((chol.lower * chol.lower.transposed).isApproximatelyEqual(to: Matrix(rows: [[4, 2], [2, 3]]), absoluteTolerance: 1e-14))
  }

  @Test func indefiniteMatrixThrowsNamingThePivot() {
    // Leading minors: 1, then 1·1 − 2·2 = −3 < 0, so the factorization fails at pivot 1.
    let a = Matrix(rows: [[1, 2, 0], [2, 1, 0], [0, 0, 1]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(pivot: 1)) { try CholeskyFactorization(a) }
    #expect(throws: LinearAlgebraError.notPositiveDefinite(pivot: 0)) { try CholeskyFactorization(Matrix(rows: [[-1]])) }
  }

  @Test func errorMessageNamesThePivot() {
    #expect(LinearAlgebraError.notPositiveDefinite(pivot: 1).description.contains("pivot 1"))
    #expect(LinearAlgebraError.singular(pivot: 3).description.contains("entry 3"))
  }
}

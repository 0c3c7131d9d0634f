import LinearAlgebra
import Testing

// Tolerance: Householder QR is backward stable; for 9×4 random matrices orthogonality and
// reconstruction errors are ~1e-15, so 1e-12 is loose but still catches any real defect.
private let tolerance = 1e-12

@Suite struct QRFactorizationTests {
  @Test func tallMatrixFactorsIntoOrthonormalQAndUpperR() {
    var rng = SplitMix64(seed: 21)
    let a = Fixtures.randomMatrix(9, 4, &rng)
    let qr = QRFactorization(a)
    let q = qr.q
    let r = qr.r
    #expect(q.rowCount == 9 && q.columnCount == 4 && r.rowCount == 4 && r.columnCount == 4)
    #expect(q.multiplied(by: q, transposingSelf: true).isApproximatelyEqual(to: .identity(4), absoluteTolerance: tolerance))
    for j in 0..<4 { for i in (j + 1)..<4 { #expect(r[i, j] == 0) } }
    #expect((q * r).isApproximatelyEqual(to: a, absoluteTolerance: tolerance))
  }

  @Test func wideMatrixFactors() {
    var rng = SplitMix64(seed: 22)
    let a = Fixtures.randomMatrix(3, 5, &rng)
    let qr = QRFactorization(a)
    #expect(qr.q.columnCount == 3 && qr.r.rowCount == 3 && qr.r.columnCount == 5)
    #expect((qr.q * qr.r).isApproximatelyEqual(to: a, absoluteTolerance: tolerance))
  }

  @Test func leastSquaresMatchesNormalEquations() throws {
    var rng = SplitMix64(seed: 23)
    let a = Fixtures.randomMatrix(12, 3, &rng)
    let b = Fixtures.randomVector(12, &rng)
    let x = try QRFactorization(a).leastSquaresSolve(b)
    // Independent answer: AᵀA x = Aᵀb by Cholesky (condition number squared, still tiny here).
    let normal = try CholeskyFactorization(a.multiplied(by: a, transposingSelf: true)).solve(a.multiplyTransposed(b))
    #expect(Fixtures.maxDifference(x, normal) <= 1e-10)
    // The residual is orthogonal to the columns of A.
    var residual = a * x
    residual.axpy(-1, b)
    #expect(a.multiplyTransposed(residual).normInf <= 1e-12)
  }

  @Test func exactFitIsRecovered() throws {
    // Points on y = 2 + 3t are fitted exactly.
    let t: [Double] = [0, 1, 2, 3]
    let a = Matrix(rows: t.map { [1, $0] })
    let x = try QRFactorization(a).leastSquaresSolve(t.map { 2 + 3 * $0 })
    #expect(Fixtures.maxDifference(x, [2, 3]) <= 1e-13)
  }

  @Test func rankDeficientThrowsNamingTheColumn() {
    // Column 1 is zero, so R[1, 1] == 0 exactly.
    let a = Matrix(rows: [[1, 0], [1, 0], [1, 0]])
    #expect(throws: LinearAlgebraError.rankDeficient(column: 1)) { try QRFactorization(a).leastSquaresSolve([1, 2, 3]) }
  }
}

import LinearAlgebra
import Testing

// Tolerance: Bunch–Kaufman is normwise backward stable with modest growth; for the 10×10 KKT
// fixture (entries O(10), condition number ~1e2) residuals are ~1e-14, and 1e-10 is a safe bound.
private let tolerance = 1e-10

@Suite struct SymmetricIndefiniteFactorizationTests {
  /// A KKT matrix `[P Aᵀ; A −δI]`, quasi-definite: inertia (n, m, 0).
  static func kkt(n: Int, m: Int, seed: UInt64) -> Matrix {
    var rng = SplitMix64(seed: seed)
    let p = Fixtures.randomSPD(n, &rng)
    let a = Fixtures.randomMatrix(m, n, &rng)
    var k = Matrix.zeros(rowCount: n + m, columnCount: n + m)
    for i in 0..<n { for j in 0..<n { k[i, j] = p[i, j] } }
    for i in 0..<m {
      for j in 0..<n {
        k[n + i, j] = a[i, j]
        k[j, n + i] = a[i, j]
      }
      k[n + i, n + i] = -1e-1
    }
    return k
  }

  @Test func solvesIndefiniteSystemAndReportsInertia() throws {
    let k = Self.kkt(n: 6, m: 4, seed: 11)
    let ldl = try SymmetricIndefiniteFactorization(k)
    var rng = SplitMix64(seed: 12)
    let b = Fixtures.randomVector(10, &rng)
    #expect(Fixtures.maxDifference(k * ldl.solve(b), b) <= tolerance)
    let bs = Fixtures.randomMatrix(10, 2, &rng)
    #expect((k * ldl.solve(bs)).isApproximatelyEqual(to: bs, absoluteTolerance: tolerance))
    let inertia = ldl.inertia
    #expect(inertia.positive == 6 && inertia.negative == 4 && inertia.zero == 0)
  }

  @Test func inertiaMatchesEigenvalueSigns() throws {
    // Sylvester's law: the signs of D's eigenvalues equal those of A's.
    var rng = SplitMix64(seed: 13)
    let b = Fixtures.randomMatrix(7, 7, &rng)
    let a = b + b.transposed
    let eig = try SymmetricEigendecomposition(a)
    let ldl = try SymmetricIndefiniteFactorization(a)
    #expect(ldl.inertia.positive == eig.eigenvalues.filter { $0 > 0 }.count)
    #expect(ldl.inertia.negative == eig.eigenvalues.filter { $0 < 0 }.count)
  }

  @Test func needsTwoByTwoPivotForZeroDiagonal() throws {
    // [[0, 1], [1, 0]] has no usable 1×1 pivot; eigenvalues ±1.
    let ldl = try SymmetricIndefiniteFactorization(Matrix(rows: [[0, 1], [1, 0]]))
    #expect(ldl.solve([2, 3]) == [3, 2])
    #expect(ldl.inertia == (positive: 1, negative: 1, zero: 0))
  }

  @Test func exactlySingularMatrixThrows() {
    #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
      try SymmetricIndefiniteFactorization(Matrix(rows: [[1, 0], [0, 0]]))
    }
  }
}

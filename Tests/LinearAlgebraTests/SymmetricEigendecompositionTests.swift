import LinearAlgebra
import Testing

@Suite struct SymmetricEigendecompositionTests {
  @Test func knownEigenvaluesOfTridiagonalMatrix() throws {
    // The n×n tridiagonal matrix with 2 on the diagonal and −1 beside it has eigenvalues
    // 2 − 2cos(kπ/(n+1)), k = 1…n (a classical result for the discrete Laplacian).
    let n = 6
    var a = Matrix.zeros(rowCount: n, columnCount: n)
    for i in 0..<n {
      a[i, i] = 2
      if i + 1 < n {
        a[i, i + 1] = -1
        a[i + 1, i] = -1
      }
    }
    let eig = try SymmetricEigendecomposition(a)
    let expected = (1...n).map { 2 - 2 * cos(Double($0) * Double.pi / Double(n + 1)) }
    // Tolerance: eigenvalues of a symmetric matrix are perfectly conditioned; error ~ n·ε·‖A‖ ≈ 1e-14.
    #expect(Fixtures.maxDifference(eig.eigenvalues, expected) <= 1e-13)
  }

  @Test func diagonalMatrixEigenvaluesAscend() throws {
    let eig = try SymmetricEigendecomposition(Matrix(diagonal: [3, -1, 2]))
    #expect(eig.eigenvalues == [-1, 2, 3])
    #expect(abs(eig.eigenvectors[1, 0]) == 1)
  }

  @Test func reconstructsRandomSymmetricMatrix() throws {
    var rng = SplitMix64(seed: 31)
    let b = Fixtures.randomMatrix(9, 9, &rng)
    let a = b + b.transposed
    let eig = try SymmetricEigendecomposition(a)
    let v = eig.eigenvectors
    // Tolerance: backward-stable solver, ‖A‖ ≈ 6, so errors ≈ 1e-14; 1e-12 is a safe bound.
    #expect(v.multiplied(by: v, transposingSelf: true).isApproximatelyEqual(to: .identity(9), absoluteTolerance: 1e-12))
    #expect(eig.reconstructed().isApproximatelyEqual(to: a, absoluteTolerance: 1e-12))
    #expect(zip(eig.eigenvalues, eig.eigenvalues.dropFirst()).allSatisfy { $0 <= $1 })
    for k in 0..<9 {
      let vk = v.column(k)
      var r = a * vk
      r.axpy(-eig.eigenvalues[k], vk)
      #expect(r.normInf <= 1e-12)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

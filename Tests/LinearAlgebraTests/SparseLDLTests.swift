import LinearAlgebra
import Testing

/// A random sparse quasi-definite matrix
///
/// ```
/// K = [ E + εI      Fᵀ       ]     E, G symmetric, diagonally dominant with margin, so E + εI ⪰ I, G + εI ⪰ I
///     [ F       −(G + εI)    ]
/// ```
/// given by its upper triangle, and the same matrix dense (both triangles) for reference solves.
/// With `E, G ⪰ I` every singular value of `K` is at least 1 (Vanderbei 1995, doi:10.1137/0805005),
/// so `‖K⁻¹‖₂ ≤ 1` and the reference solves are well conditioned.
struct QuasiDefiniteFixture {
  let primalCount: Int
  let dualCount: Int
  let upper: SparseMatrixCSC
  var dimension: Int { primalCount + dualCount }

  init(primalCount n: Int, dualCount m: Int, density: Double, epsilon: Double = 1, seed: UInt64) {
    primalCount = n
    dualCount = m
    var rng = SplitMix64(seed: seed)
    var rows: [Int] = []
    var cols: [Int] = []
    var vals: [Double] = []
    // Symmetric diagonally dominant block on indices base..<base+size, sign applied to all entries.
    func block(base: Int, size: Int, sign: Double) {
      var rowSums = [Double](repeating: 0, count: size)
      for j in 0..<size {
        for i in 0..<j where Double.random(in: 0..<1, using: &rng) < density {
          let v = rng.symmetricUnit()
          rows.append(base + i)
          cols.append(base + j)
          vals.append(sign * v)
          rowSums[i] += abs(v)
          rowSums[j] += abs(v)
        }
      }
      for j in 0..<size {
        rows.append(base + j)
        cols.append(base + j)
        vals.append(sign * (rowSums[j] + epsilon + Double.random(in: 0..<1, using: &rng)))
      }
    }
    block(base: 0, size: n, sign: 1)
    block(base: n, size: m, sign: -1)
    // F (m × n) in the upper-right block: entry (j, n + i) of K is F[i][j].
    for i in 0..<m {
      for j in 0..<n where Double.random(in: 0..<1, using: &rng) < density {
        rows.append(j)
        cols.append(n + i)
        vals.append(2 * rng.symmetricUnit())
      }
    }
    upper = SparseMatrixCSC(rowCount: n + m, columnCount: n + m, rows: rows, columns: cols, values: vals)
  }

  /// The full symmetric matrix of an upper triangle with the given values.
  static func denseSymmetric(_ upper: SparseMatrixCSC, values: [Double]? = nil) -> Matrix {
    let values = values ?? upper.values
    var d = Matrix.zeros(rowCount: upper.rowCount, columnCount: upper.columnCount)
    for j in 0..<upper.columnCount {
      for p in upper.columnPointers[j]..<upper.columnPointers[j + 1] {
        let i = upper.rowIndices[p]
        d[i, j] = values[p]
        d[j, i] = values[p]
      }
    }
    return d
  }
}

@Suite struct SparseLDLTests {
  /// Fixtures: (primal rows, dual rows, density, seed).
  static let sizes: [(Int, Int, Double, UInt64)] = [
    (1, 1, 1.0, 11), (5, 3, 0.5, 12), (20, 15, 0.2, 13), (60, 40, 0.08, 14), (40, 0, 0.1, 15), (0, 30, 0.1, 16),
  ]

  /// `‖Kx − b‖∞ / (‖K‖∞‖x‖∞ + ‖b‖∞)`: the normwise backward error of a solve.
  static func backwardError(_ K: Matrix, _ x: [Double], _ b: [Double]) -> Double {
    let r = zip(K * x, b).map { abs($0 - $1) }.max() ?? 0
    let kNorm = (0..<K.rowCount).map { i in K.row(i).reduce(0) { $0 + abs($1) } }.max() ?? 0
    let xNorm = x.map(abs).max() ?? 0
    let bNorm = b.map(abs).max() ?? 0
    return r / max(kNorm * xNorm + bNorm, .leastNormalMagnitude)
  }

  @Test(arguments: 0..<sizes.count)
  func solvesQuasiDefiniteSystemsLikeDenseLU(_ index: Int) throws {
    let (n, m, density, seed) = Self.sizes[index]
    let fixture = QuasiDefiniteFixture(primalCount: n, dualCount: m, density: density, seed: seed)
    let K = QuasiDefiniteFixture.denseSymmetric(fixture.upper)
    var rng = SplitMix64(seed: seed &+ 100)
    let b = Fixtures.randomVector(n + m, &rng)
    let ldl = try SparseLDL(upperTriangle: fixture.upper)
    try ldl.factor(values: fixture.upper.values)
    let x = ldl.solve(b)
    // LDLᵀ of a quasi-definite matrix is backward stable for any symmetric ordering (Gill, Saunders,
    // Shinnerl 1996); 1e-13 leaves ~500 ulps of room for growth over these small, dominant blocks.
    #expect(Self.backwardError(K, x, b) < 1e-13)
    // ‖K⁻¹‖₂ ≤ 1 and ‖K‖ ≲ 20 here, so the forward error is at most ~cond·ε ≈ 1e-14; 1e-11 is slack.
    let reference = try K.solve(b)
    #expect(Fixtures.maxDifference(x, reference) < 1e-11)
    // Inertia: a quasi-definite matrix with n primal rows has exactly n positive pivots, whatever
    // the ordering, and no pivot needed regularization.
    #expect(ldl.positivePivotCount == n)
    #expect(ldl.regularizedPivotCount == 0)
    #expect(ldl.pivots.filter { $0 > 0 }.count == n)
  }

  @Test func amdAndNaturalOrderingsGiveTheSameSolution() throws {
    let fixture = QuasiDefiniteFixture(primalCount: 50, dualCount: 30, density: 0.1, seed: 21)
    var rng = SplitMix64(seed: 22)
    let b = Fixtures.randomVector(80, &rng)
    let amd = try SparseLDL(upperTriangle: fixture.upper, ordering: .amd)
    let natural = try SparseLDL(upperTriangle: fixture.upper, ordering: .natural)
    #expect(natural.permutation == Array(0..<80))
    #expect(amd.permutation.sorted() == Array(0..<80))
    for k in 0..<80 { #expect(amd.inversePermutation[amd.permutation[k]] == k) }
    try amd.factor(values: fixture.upper.values)
    try natural.factor(values: fixture.upper.values)
    // Both are backward stable on a matrix with cond ≲ 20 (see the fixture), so they agree to ~1e-14.
    #expect(Fixtures.maxDifference(amd.solve(b), natural.solve(b)) < 1e-11)
    #expect(amd.positivePivotCount == 50 && natural.positivePivotCount == 50)
    // A reversed order given by the caller works too.
    let reversed = try SparseLDL(upperTriangle: fixture.upper, ordering: .given(Array((0..<80).reversed())))
    try reversed.factor(values: fixture.upper.values)
    #expect(Fixtures.maxDifference(reversed.solve(b), natural.solve(b)) < 1e-11)
  }

  @Test func refactorsNewValuesOnTheSamePattern() throws {
    let fixture = QuasiDefiniteFixture(primalCount: 30, dualCount: 20, density: 0.15, seed: 31)
    let upper = fixture.upper
    let ldl = try SparseLDL(upperTriangle: upper)
    let fillBefore = ldl.factorNonzeroCount
    try ldl.factor(values: upper.values)
    var rng = SplitMix64(seed: 32)
    let b = Fixtures.randomVector(50, &rng)
    _ = ldl.solve(b)
    // New values: diagonals doubled, off-diagonals halved — still quasi-definite and dominant.
    var newValues = upper.values
    for j in 0..<upper.columnCount {
      for p in upper.columnPointers[j]..<upper.columnPointers[j + 1] {
        newValues[p] *= upper.rowIndices[p] == j ? 2 : -0.5
      }
    }
    try ldl.factor(values: newValues)
    #expect(ldl.factorNonzeroCount == fillBefore)
    let K = QuasiDefiniteFixture.denseSymmetric(upper, values: newValues)
    let x = ldl.solve(b)
    // Same reasoning as the dense comparison above: cond ≲ 40, forward error ≈ 1e-14.
    #expect(Fixtures.maxDifference(x, try K.solve(b)) < 1e-11)
    #expect(Self.backwardError(K, x, b) < 1e-13)
    #expect(ldl.positivePivotCount == 30)
    // In-place solve agrees with the allocating one bit for bit.
    var inPlace = b
    inPlace.withUnsafeMutableBufferPointer { ldl.solve(inPlace: $0) }
    #expect(inPlace == x)
  }

  /// `diag(1, 0)`: the second pivot is exactly zero.
  static let singularDiagonal = SparseMatrixCSC(
    rowCount: 2, columnCount: 2, rows: [0, 1], columns: [0, 1], values: [1, 0])

  @Test func dynamicRegularizationReplacesAZeroPivotWhenSignsAreGiven() throws {
    let ldl = try SparseLDL(upperTriangle: Self.singularDiagonal, ordering: .natural)
    try ldl.factor(values: Self.singularDiagonal.values, pivotSigns: [1, 1], threshold: 1e-13, delta: 1e-6)
    #expect(ldl.regularizedPivotCount == 1)
    #expect(ldl.pivots == [1, 1e-6])
    #expect(ldl.positivePivotCount == 2)
    // The regularized factorization solves diag(1, δ)x = b exactly.
    #expect(ldl.solve([3, 2e-6]) == [3, 2])
  }

  @Test func aPivotOfTheWrongSignIsReplacedBySignTimesDelta() throws {
    // [[0, 1], [1, 0]] with signs (+, −): the first pivot 0 becomes +δ, the second is −1/δ.
    let K = SparseMatrixCSC(rowCount: 2, columnCount: 2, rows: [0, 0, 1], columns: [0, 1, 1], values: [0, 1, 0])
    let ldl = try SparseLDL(upperTriangle: K, ordering: .natural)
    try ldl.factor(values: K.values, pivotSigns: [1, -1], delta: 1e-4)
    #expect(ldl.regularizedPivotCount == 1)
    #expect(ldl.pivots[0] == 1e-4)
    #expect(ldl.pivots[1] == -1e4)
    #expect(ldl.positivePivotCount == 1)
    // A negative pivot where +1 is expected is also replaced.
    let negative = SparseMatrixCSC(rowCount: 1, columnCount: 1, rows: [0], columns: [0], values: [-3])
    let one = try SparseLDL(upperTriangle: negative)
    try one.factor(values: negative.values, pivotSigns: [1], delta: 0.5)
    #expect(one.pivots == [0.5])
    #expect(one.regularizedPivotCount == 1)
  }

  @Test func zeroPivotWithoutSignsThrows() throws {
    let ldl = try SparseLDL(upperTriangle: Self.singularDiagonal, ordering: .natural)
    #expect(throws: SparseFactorizationError.zeroPivot(index: 1)) {
      try ldl.factor(values: Self.singularDiagonal.values)
    }
    #expect(!ldl.isFactored)
    #expect(SparseFactorizationError.zeroPivot(index: 1).description.contains("index 1"))
    // A NaN pivot is reported the same way.
    #expect(throws: SparseFactorizationError.zeroPivot(index: 0)) {
      try ldl.factor(values: [.nan, 1])
    }
    // After a failure, a good factorization works again.
    try ldl.factor(values: [2, 4])
    #expect(ldl.solve([2, 4]) == [1, 1])
  }

  @Test func missingDiagonalThrows() {
    // [[1, 2], [2, ·]]: no (1, 1) entry stored.
    let K = SparseMatrixCSC(rowCount: 2, columnCount: 2, rows: [0, 0], columns: [0, 1], values: [1, 2])
    #expect(throws: SparseFactorizationError.missingDiagonal(index: 1)) {
      _ = try SparseLDL(upperTriangle: K)
    }
    #expect(SparseFactorizationError.missingDiagonal(index: 1).description.contains("no diagonal entry stored at index 1"))
    let empty3 = SparseMatrixCSC.zeros(rowCount: 3, columnCount: 3)
    #expect(throws: SparseFactorizationError.missingDiagonal(index: 0)) {
      _ = try SparseLDL(upperTriangle: empty3, ordering: .natural)
    }
  }

  @Test func emptyAndOneByOneMatrices() throws {
    let empty = try SparseLDL(upperTriangle: .zeros(rowCount: 0, columnCount: 0))
    try empty.factor(values: [])
    #expect(empty.dimension == 0)
    #expect(empty.solve([]) == [])
    #expect(empty.positivePivotCount == 0)

    let one = SparseMatrixCSC(rowCount: 1, columnCount: 1, rows: [0], columns: [0], values: [4])
    let ldl = try SparseLDL(upperTriangle: one)
    try ldl.factor(values: [4])
    #expect(ldl.solve([2]) == [0.5])
    #expect(ldl.positivePivotCount == 1)
    #expect(ldl.factorNonzeroCount == 0)
    try ldl.factor(values: [-4])
    #expect(ldl.solve([2]) == [-0.5])
    #expect(ldl.positivePivotCount == 0)
  }
}

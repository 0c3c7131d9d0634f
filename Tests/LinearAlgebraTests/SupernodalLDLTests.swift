import Testing

import LinearAlgebra

/// Upper triangle of a random quasi-definite matrix `[E + εI, Fᵀ; F, −(G + εI)]`
/// (E, G symmetric diagonally dominant with nonnegative diagonals).
func randomQuasiDefinite(
  nx: Int, nz: Int, densityE: Double, densityF: Double, densityG: Double, epsilon: Double = 1e-3,
  emptyEvery: Int = 0, seed: UInt64
) -> SparseMatrixCSC {
  var rng = SplitMix64(seed: seed)
  let n = nx + nz
  var rows: [Int] = []
  var cols: [Int] = []
  var vals: [Double] = []
  var diag = [Double](repeating: 0, count: n)
  func isEmpty(_ i: Int) -> Bool { emptyEvery > 0 && i % emptyEvery == 0 }
  for j in 0..<nx where !isEmpty(j) {
    for i in 0..<j where !isEmpty(i) && rng.uniform() < densityE {
      let v = rng.uniform() * 2 - 1
      rows.append(i); cols.append(j); vals.append(v)
      diag[i] += abs(v); diag[j] += abs(v)
    }
  }
  for j in 0..<nz where !isEmpty(nx + j) {
    for i in 0..<j where !isEmpty(nx + i) && rng.uniform() < densityG {
      let v = rng.uniform() * 2 - 1
      rows.append(nx + i); cols.append(nx + j); vals.append(-v)
      diag[nx + i] += abs(v); diag[nx + j] += abs(v)
    }
    for i in 0..<nx where !isEmpty(i) && !isEmpty(nx + j) && rng.uniform() < densityF {
      rows.append(i); cols.append(nx + j); vals.append(rng.uniform() * 2 - 1)
    }
  }
  for i in 0..<n {
    rows.append(i); cols.append(i)
    let d = diag[i] + epsilon + rng.uniform() * 0.1
    vals.append(i < nx ? d : -d)
  }
  return SparseMatrixCSC(rowCount: n, columnCount: n, rows: rows, columns: cols, values: vals)
}

/// `K x` from the upper triangle of symmetric `K`.
func symmetricMultiply(_ U: SparseMatrixCSC, values: [Double]? = nil, _ x: [Double]) -> [Double] {
  let v = values ?? U.values
  var y = [Double](repeating: 0, count: U.rowCount)
  for j in 0..<U.columnCount {
    for p in U.columnPointers[j]..<U.columnPointers[j + 1] {
      let i = U.rowIndices[p]
      y[i] += v[p] * x[j]
      if i != j { y[j] += v[p] * x[i] }
    }
  }
  return y
}

func maxAbs(_ x: [Double]) -> Double { x.reduce(0) { max($0, abs($1)) } }

func randomVector(_ n: Int, seed: UInt64) -> [Double] {
  var rng = SplitMix64(seed: seed)
  return (0..<n).map { _ in rng.uniform() * 2 - 1 }
}

@Suite struct SupernodalLDLTests {
  struct Case: Sendable, CustomStringConvertible {
    var nx, nz: Int
    var dE, dF, dG: Double
    var emptyEvery = 0
    var description: String { "\(nx)+\(nz) dE=\(dE) dF=\(dF) dG=\(dG) empty=\(emptyEvery)" }
  }

  static let cases: [Case] = [
    Case(nx: 3, nz: 2, dE: 0.5, dF: 0.5, dG: 0.5),
    Case(nx: 20, nz: 10, dE: 0.2, dF: 0.3, dG: 0.1),
    Case(nx: 120, nz: 80, dE: 0.03, dF: 0.05, dG: 0.02),
    Case(nx: 200, nz: 150, dE: 0.01, dF: 0.02, dG: 0.0, emptyEvery: 7),
    Case(nx: 150, nz: 120, dE: 0.02, dF: 0.03, dG: 0.6),  // dense-ish trailing block
    Case(nx: 400, nz: 300, dE: 0.2, dF: 0.1, dG: 0.05),  // heavy fill, BLAS paths
    Case(nx: 600, nz: 400, dE: 0.002, dF: 0.004, dG: 0.001),
  ]

  @Test(arguments: cases)
  func solvesAndAgreesWithSparseLDL(_ c: Case) throws {
    let K = randomQuasiDefinite(
      nx: c.nx, nz: c.nz, densityE: c.dE, densityF: c.dF, densityG: c.dG, emptyEvery: c.emptyEvery,
      seed: UInt64(c.nx * 1000 + c.nz))
    let n = K.rowCount
    let snode = try SupernodalLDL(upperTriangle: K)
    let simple = try SparseLDL(upperTriangle: K)
    #expect(snode.dimension == n)
    #expect(snode.factorNonzeroCount == simple.factorNonzeroCount)
    try snode.factor(values: K.values)
    try simple.factor(values: K.values)
    #expect(snode.isFactored)
    #expect(snode.positivePivotCount == c.nx)
    #expect(snode.positivePivotCount == simple.positivePivotCount)
    let b = randomVector(n, seed: 42)
    let x = snode.solve(b)
    let xs = simple.solve(b)
    let r = zip(symmetricMultiply(K, x), b).map { $0 - $1 }
    #expect(maxAbs(r) <= 1e-10 * max(1, maxAbs(b)))
    let diff = zip(x, xs).map { $0 - $1 }
    #expect(maxAbs(diff) <= 1e-10 * max(1, maxAbs(xs)))
    if c.nx == 400 {
      // The heavy case must reach the blocked (recursive, dgemm) and BLAS-solve paths.
      #expect(snode.maximumFrontOrder > 256)
    }
  }

  @Test func naturalAndGivenOrderings() throws {
    let K = randomQuasiDefinite(nx: 90, nz: 60, densityE: 0.1, densityF: 0.1, densityG: 0.1, seed: 99)
    let n = K.rowCount
    let b = randomVector(n, seed: 8)
    var rng = SplitMix64(seed: 4)
    var given = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) { given.swapAt(i, rng.int(i + 1)) }
    for ordering in [SparseLDL.Ordering.natural, .given(given)] {
      let snode = try SupernodalLDL(upperTriangle: K, ordering: ordering)
      let simple = try SparseLDL(upperTriangle: K, ordering: ordering)
      #expect(snode.factorNonzeroCount == simple.factorNonzeroCount)
      try snode.factor(values: K.values)
      var x = b
      x.withUnsafeMutableBufferPointer { snode.solve(inPlace: $0) }
      let r = zip(symmetricMultiply(K, x), b).map { $0 - $1 }
      #expect(maxAbs(r) <= 1e-10 * max(1, maxAbs(b)))
      #expect(Set(snode.permutation) == Set(0..<n))
      for k in 0..<n { #expect(snode.inversePermutation[snode.permutation[k]] == k) }
    }
  }

  @Test func refactorsWithNewValues() throws {
    let K = randomQuasiDefinite(nx: 300, nz: 200, densityE: 0.05, densityF: 0.05, densityG: 0.05, seed: 7)
    let snode = try SupernodalLDL(upperTriangle: K)
    let n = K.rowCount
    let b = randomVector(n, seed: 3)
    for round in 0..<3 {
      var rng = SplitMix64(seed: UInt64(100 + round))
      // Scale each entry, keeping quasi-definiteness: diagonal entries grow, off-diagonals shrink.
      var values = K.values
      for j in 0..<n {
        for p in K.columnPointers[j]..<K.columnPointers[j + 1] {
          values[p] *= K.rowIndices[p] == j ? 1 + rng.uniform() : rng.uniform()
        }
      }
      try snode.factor(values: values)
      let x = snode.solve(b)
      let r = zip(symmetricMultiply(K, values: values, x), b).map { $0 - $1 }
      #expect(maxAbs(r) <= 1e-10 * max(1, maxAbs(b)))
    }
  }

  @Test func tinyMatrices() throws {
    let empty = SparseMatrixCSC(rowCount: 0, columnCount: 0, rows: [], columns: [], values: [])
    let e = try SupernodalLDL(upperTriangle: empty)
    try e.factor(values: [Double]())
    #expect(e.isFactored)
    #expect(e.solve([]) == [])
    let one = SparseMatrixCSC(rowCount: 1, columnCount: 1, rows: [0], columns: [0], values: [-4])
    let o = try SupernodalLDL(upperTriangle: one)
    try o.factor(values: [-4])
    #expect(o.solve([2]) == [-0.5])
    #expect(o.factorNonzeroCount == 0)
    #expect(throws: SparseFactorizationError.zeroPivot(index: 0)) { try o.factor(values: [0]) }
  }

  @Test func dynamicRegularization() throws {
    // A quasi-definite matrix with isolated zero diagonal entries (exact zero pivots).
    let base = randomQuasiDefinite(nx: 80, nz: 60, densityE: 0.05, densityF: 0.05, densityG: 0.05, emptyEvery: 9, seed: 11)
    let n = base.rowCount
    var values = base.values
    for j in stride(from: 0, to: n, by: 9) {
      for p in base.columnPointers[j]..<base.columnPointers[j + 1] where base.rowIndices[p] == j { values[p] = 0 }
    }
    let signs = (0..<n).map { $0 < 80 ? 1.0 : -1.0 }
    let snode = try SupernodalLDL(upperTriangle: base)
    let simple = try SparseLDL(upperTriangle: base)
    #expect(throws: SparseFactorizationError.self) { try snode.factor(values: values) }
    #expect(!snode.isFactored)
    do {
      try snode.factor(values: values)
      Issue.record("expected zeroPivot")
    } catch {
      guard case .zeroPivot(let i) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(i % 9 == 0)
    }
    try snode.factor(values: values, pivotSigns: signs)
    try simple.factor(values: values, pivotSigns: signs)
    #expect(snode.regularizedPivotCount == (n + 8) / 9)
    #expect(snode.regularizedPivotCount == simple.regularizedPivotCount)
    let b = randomVector(n, seed: 5)
    let x = snode.solve(b)
    let xs = simple.solve(b)
    let diff = zip(x, xs).map { $0 - $1 }
    #expect(maxAbs(diff) <= 1e-9 * max(1, maxAbs(xs)))
    // Solutions of well-posed refactors still work afterwards.
    try snode.factor(values: base.values)
    let r = zip(symmetricMultiply(base, snode.solve(b)), b).map { $0 - $1 }
    #expect(maxAbs(r) <= 1e-10)
  }
}

import LinearAlgebra

/// The quasi-definite KKT system of one interior-point iteration, factored by `SparseLDL`.
///
/// ```
/// K = [ P̂ + εI        Âᵀ        ]      (upper triangle stored)
///     [ Â        −(WᵀW + εI)   ]
/// ```
/// Second-order cones larger than `secondOrderConeDenseMaxDimension` are not stored as dense blocks:
/// `WᵀW = η²(2w̄w̄ᵀ − J)` is written `η²(D + uuᵀ − vvᵀ)` with `D = diag(d₀, 1, …, 1)` and two extra
/// variables `p`, `r` per cone:
///
/// ```
/// [ −η²D   ηu   ηv ]        eliminating p (pivot +1) and r (pivot −1) gives back −η²(D + uuᵀ − vvᵀ)
/// [ ηuᵀ    1    0  ]        d₀ = ½ / (2w̄₀² − 1) keeps the matrix quasi-definite
/// [ ηvᵀ    0   −1  ]        (the idea of the ECOS solver, Domahidi, Chu, Boyd 2013)
/// ```
/// The symbolic analysis is done once; each iteration rewrites the `−WᵀW` block and refactors.
/// Solves are refined iteratively against `K` without the static regularization `ε`.
final class KKTSystem {
  let n: Int
  let m: Int
  /// Order of `K`: `n + m + 2·(number of expanded second-order cones)`.
  let dimension: Int
  private(set) var matrix: SparseMatrixCSC
  let factorization: KKTFactorization
  private let signs: [Double]
  private let epsilon: Double
  private let settings: SolverSettings

  private var xDiagonal: [Int]
  private var zDiagonal: [Int]
  /// Position in `matrix.values` of each entry of P̂ and Â (for data updates).
  private let pEntryIndex: [Int]
  private let aEntryIndex: [Int]
  /// Dense second-order blocks: index of each cone's first upper-block entry (−1 when expanded).
  private var socBlockStart: [Int]
  /// Expanded second-order cones: first index of the p column and of the r column.
  private var socPColumnStart: [Int]
  private var socRColumnStart: [Int]

  private var residual: [Double]
  private var trial: [Double]
  private var trialResidual: [Double]
  private var correction: [Double]

  /// Number of refinement passes in the last solve.
  private(set) var lastRefinementCount = 0

  init(P: SparseMatrixCSC, A: SparseMatrixCSC, cones: ConeProduct, settings: SolverSettings) throws(SparseFactorizationError) {
    n = P.columnCount
    m = A.rowCount
    self.settings = settings
    epsilon = settings.staticRegularization
    let dense = settings.secondOrderConeDenseMaxDimension
    // Per-row cone kind: 0 zero/nonnegative, 1 dense SOC, 2 expanded SOC; and the SOC offset.
    var rowKind = [UInt8](repeating: 0, count: m)
    var rowConeStart = [Int](repeating: 0, count: m)
    var expandedCount = 0
    for c in cones.secondOrders {
      let kind: UInt8 = c.dimension > dense ? 2 : 1
      if kind == 2 { expandedCount += 1 }
      for i in c.offset..<c.offset + c.dimension {
        rowKind[i] = kind
        rowConeStart[i] = c.offset
      }
    }
    dimension = n + m + 2 * expandedCount
    let N = dimension
    let (At, aMap) = SparseKernels.transposeWithMap(A)

    var colptr = [Int](repeating: 0, count: N + 1)
    var rows: [Int] = []
    var values: [Double] = []
    let estimate = P.nonzeroCount + n + A.nonzeroCount + m + 4 * cones.secondOrders.reduce(0) { $0 + $1.dimension * ($1.dimension > dense ? 1 : $1.dimension) }
    rows.reserveCapacity(estimate)
    values.reserveCapacity(estimate)
    var pIndex = [Int](repeating: 0, count: P.nonzeroCount)
    var xDiag = [Int](repeating: 0, count: n)
    for j in 0..<n {
      var sawDiagonal = false
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] {
        let i = P.rowIndices[p]
        if i == j { sawDiagonal = true; xDiag[j] = rows.count }
        pIndex[p] = rows.count
        rows.append(i)
        values.append(P.values[p])
      }
      if !sawDiagonal {
        xDiag[j] = rows.count
        rows.append(j)
        values.append(0)
      }
      colptr[j + 1] = rows.count
    }
    var aIndex = [Int](repeating: 0, count: A.nonzeroCount)
    var atIndex = [Int](repeating: 0, count: At.nonzeroCount)
    var zDiag = [Int](repeating: 0, count: m)
    for i in 0..<m {
      for p in At.columnPointers[i]..<At.columnPointers[i + 1] {
        atIndex[p] = rows.count
        rows.append(At.rowIndices[p])
        values.append(At.values[p])
      }
      if rowKind[i] == 1 {
        for r in rowConeStart[i]..<i {
          rows.append(n + r)
          values.append(0)
        }
      }
      zDiag[i] = rows.count
      rows.append(n + i)
      values.append(-1)
      colptr[n + i + 1] = rows.count
    }
    for p in 0..<A.nonzeroCount { aIndex[p] = atIndex[aMap[p]] }

    var blockStart = [Int](repeating: -1, count: cones.secondOrders.count)
    var pStart = [Int](repeating: -1, count: cones.secondOrders.count)
    var rStart = [Int](repeating: -1, count: cones.secondOrders.count)
    var signs = [Double](repeating: 1, count: N)
    for i in 0..<m { signs[n + i] = -1 }
    var column = n + m
    for (k, c) in cones.secondOrders.enumerated() {
      if c.dimension <= dense {
        // The first column of the block starts right after Âᵀ's entries of row c.offset.
        blockStart[k] = zDiag[c.offset]  // column c.offset holds only its diagonal in the block
        continue
      }
      pStart[k] = rows.count
      for r in c.offset..<c.offset + c.dimension {
        rows.append(n + r)
        values.append(0)
      }
      rows.append(column)
      values.append(1)
      colptr[column + 1] = rows.count
      signs[column] = 1
      column += 1
      rStart[k] = rows.count
      for r in c.offset..<c.offset + c.dimension {
        rows.append(n + r)
        values.append(0)
      }
      rows.append(column)
      values.append(-1)
      colptr[column + 1] = rows.count
      signs[column] = -1
      column += 1
    }
    matrix = SparseMatrixCSC(uncheckedRowCount: N, columnCount: N, columnPointers: colptr, rowIndices: rows, values: values)
    xDiagonal = xDiag
    zDiagonal = zDiag
    pEntryIndex = pIndex
    aEntryIndex = aIndex
    socBlockStart = blockStart
    socPColumnStart = pStart
    socRColumnStart = rStart
    self.signs = signs
    for j in 0..<n { matrix.values[xDiag[j]] += epsilon }
    factorization = try KKTFactorization(matrix, supernodalMinimumFactorSize: settings.supernodalMinimumFactorSize)
    residual = [Double](repeating: 0, count: N)
    trial = residual
    trialResidual = residual
    correction = residual
  }

  /// Rewrites the P̂ and Â entries (same pattern as at `init`).
  func updateData(P: SparseMatrixCSC, A: SparseMatrixCSC) {
    for j in 0..<n { matrix.values[xDiagonal[j]] = 0 }
    for p in 0..<P.nonzeroCount { matrix.values[pEntryIndex[p]] = P.values[p] }
    for j in 0..<n { matrix.values[xDiagonal[j]] += epsilon }
    for p in 0..<A.nonzeroCount { matrix.values[aEntryIndex[p]] = A.values[p] }
  }

  /// Writes `−(WᵀW + εI)` for the cones' current scalings.
  func updateScaling(_ cones: ConeProduct) {
    let eps = epsilon
    let dense = settings.secondOrderConeDenseMaxDimension
    matrix.values.withUnsafeMutableBufferPointer { v in
      zDiagonal.withUnsafeBufferPointer { zd in
        for c in cones.zeros {
          for i in c.offset..<c.offset + c.dimension { v[zd[i]] = -eps }
        }
        for c in cones.nonnegatives {
          c.w.withUnsafeBufferPointer { w in
            for k in 0..<c.dimension { v[zd[c.offset + k]] = -(w[k] * w[k] + eps) }
          }
        }
        for (k, c) in cones.secondOrders.enumerated() {
          let d = c.dimension
          let e2 = c.eta * c.eta
          c.wbar.withUnsafeBufferPointer { w in
            if d <= dense {
              // Column `col` of the block holds rows 0...col; entries are consecutive from the
              // block's own rows, which sit right before each column's diagonal.
              for col in 0..<d {
                let diagonalIndex = zd[c.offset + col]
                for r in 0...col {
                  var h = 2 * w[r] * w[col]
                  if r == col { h += (r == 0 ? -1 : 1) }
                  let index = diagonalIndex - (col - r)
                  v[index] = r == col ? -(e2 * h + eps) : -e2 * h
                }
              }
            } else {
              let w0 = w[0]
              let cc = 2 * w0 * w0 - 1
              let d0 = 0.5 / cc
              let u0 = (cc - d0).squareRoot()
              let u1 = 2 * w0 / u0
              let v1 = max(u1 * u1 - 2, 0).squareRoot()
              v[zd[c.offset]] = -(e2 * d0 + eps)
              for i in 1..<d { v[zd[c.offset + i]] = -(e2 + eps) }
              let eta = c.eta
              let ps = socPColumnStart[k]
              let rs = socRColumnStart[k]
              v[ps] = eta * u0
              v[rs] = 0
              for i in 1..<d {
                v[ps + i] = eta * u1 * w[i]
                v[rs + i] = eta * v1 * w[i]
              }
            }
          }
        }
      }
    }
  }

  /// Numeric factorization with dynamic regularization.
  func factor() throws(SparseFactorizationError) {
    try matrix.values.withUnsafeBufferPointer { (values) throws(SparseFactorizationError) in
      try factorization.factor(
        values: values, pivotSigns: signs, threshold: settings.dynamicRegularizationThreshold,
        delta: settings.dynamicRegularizationDelta)
    }
  }

  /// `out = K·v` without the static regularization.
  private func multiplyUnregularized(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    SparseKernels.symmetricMultiply(matrix, v, out)
    let eps = epsilon
    for i in 0..<n { out[i] -= eps * v[i] }
    for i in n..<n + m { out[i] += eps * v[i] }
  }

  /// Solves `K·sol = rhs` (both of length `dimension`) with iterative refinement.
  func solve(_ rhs: UnsafePointer<Double>, _ sol: UnsafeMutablePointer<Double>) {
    let N = dimension
    for i in 0..<N { sol[i] = rhs[i] }
    factorization.solve(inPlace: UnsafeMutableBufferPointer(start: sol, count: N))
    let rhsNorm = SparseKernels.normInf(rhs, N)
    let tolerance = settings.refinementAbsoluteTolerance + settings.refinementRelativeTolerance * rhsNorm
    var passes = 0
    residual.withUnsafeMutableBufferPointer { r in
    trial.withUnsafeMutableBufferPointer { t in
    trialResidual.withUnsafeMutableBufferPointer { tr in
    correction.withUnsafeMutableBufferPointer { dx in
      let r = r.baseAddress!, t = t.baseAddress!, tr = tr.baseAddress!
      multiplyUnregularized(sol, r)
      for i in 0..<N { r[i] = rhs[i] - r[i] }
      var norm = SparseKernels.normInf(r, N)
      while passes < settings.refinementMaxIterations && norm > tolerance {
        for i in 0..<N { dx[i] = r[i] }
        factorization.solve(inPlace: dx)
        for i in 0..<N { t[i] = sol[i] + dx[i] }
        multiplyUnregularized(t, tr)
        for i in 0..<N { tr[i] = rhs[i] - tr[i] }
        let trialNorm = SparseKernels.normInf(tr, N)
        passes += 1
        if !(trialNorm < norm) { break }
        for i in 0..<N {
          sol[i] = t[i]
          r[i] = tr[i]
        }
        let improvement = norm / trialNorm
        norm = trialNorm
        if improvement < 5 { break }
      }
    }}}}
    lastRefinementCount = passes
  }
}

/// The sparse LDLᵀ behind `KKTSystem`: the simplicial `SparseLDL` for factors with little fill,
/// the multifrontal `SupernodalLDL` (dense BLAS-3 fronts) when the predicted factor is large.
/// Both use the same AMD ordering; the choice is made once, from the symbolic analysis.
enum KKTFactorization {
  case simplicial(SparseLDL)
  case supernodal(SupernodalLDL)

  init(_ upperTriangle: SparseMatrixCSC, supernodalMinimumFactorSize: Int) throws(SparseFactorizationError) {
    let simplicial = try SparseLDL(upperTriangle: upperTriangle, ordering: .amd)
    if simplicial.factorNonzeroCount >= supernodalMinimumFactorSize {
      self = .supernodal(
        try SupernodalLDL(upperTriangle: upperTriangle, ordering: .given(simplicial.permutation)))
    } else {
      self = .simplicial(simplicial)
    }
  }

  /// Entries of `L` below the diagonal.
  var factorNonzeroCount: Int {
    switch self {
    case .simplicial(let f): return f.factorNonzeroCount
    case .supernodal(let f): return f.factorNonzeroCount
    }
  }

  /// Whether the supernodal factorization is in use.
  var isSupernodal: Bool {
    if case .supernodal = self { return true }
    return false
  }

  func factor(values: UnsafeBufferPointer<Double>, pivotSigns: [Double], threshold: Double, delta: Double) throws(SparseFactorizationError) {
    switch self {
    case .simplicial(let f): try f.factor(values: values, pivotSigns: pivotSigns, threshold: threshold, delta: delta)
    case .supernodal(let f): try f.factor(values: values, pivotSigns: pivotSigns, threshold: threshold, delta: delta)
    }
  }

  func solve(inPlace b: UnsafeMutableBufferPointer<Double>) {
    switch self {
    case .simplicial(let f): f.solve(inPlace: b)
    case .supernodal(let f): f.solve(inPlace: b)
    }
  }
}

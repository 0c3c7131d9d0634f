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
  /// The static regularization ε in force (starts at `settings.staticRegularization`).
  private(set) var epsilon: Double
  /// A solve whose residual stays above this times ‖rhs‖∞ (100× the default feasibility
  /// tolerance) is inaccurate.
  static let inaccurateSolveThreshold = 1e-6
  /// Consecutive iterations with an inaccurate solve after which ε is lowered.
  static let inaccurateIterationLimit = 5
  /// Largest ‖residual‖∞/‖rhs‖∞ of the solves since the last `adaptRegularization()`.
  private var worstRelativeResidual = 0.0
  /// Consecutive iterations whose solves were inaccurate.
  private var inaccurateIterations = 0
  /// Set once the solves have stayed inaccurate (see `adaptRegularization()`); from then on a solve
  /// that refinement leaves above its tolerance goes on with GMRES.
  private(set) var isIllConditioned = false
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
  /// GMRES workspace, allocated at the first solve that needs it: the Krylov basis
  /// (`krylovMaxIterations + 1` vectors) and the Hessenberg matrix, column-major.
  private var krylovBasis: [Double] = []
  private var krylovHessenberg: [Double] = []

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

  /// Restores ε to `settings.staticRegularization` and forgets the inaccurate solves (the start of
  /// a solve).
  func resetRegularization() {
    let initial = settings.staticRegularization
    for j in 0..<n { matrix.values[xDiagonal[j]] += initial - epsilon }
    epsilon = initial
    worstRelativeResidual = 0
    inaccurateIterations = 0
    isIllConditioned = false
  }

  /// Lowers ε (100× at a time, down to `settings.staticRegularizationMinimum`) once the solves
  /// have ended with a relative residual above `inaccurateSolveThreshold` in
  /// `inaccurateIterationLimit` consecutive iterations: the factorization of `K + εS` is then too
  /// poor a preconditioner for `K` (ε‖K⁻¹‖ ≳ 1) for refinement to make up the difference, and
  /// iterates cannot reach the feasibility tolerance. Call once per iteration, before
  /// `updateScaling` (which writes the dual block with the new ε).
  func adaptRegularization() {
    if worstRelativeResidual > KKTSystem.inaccurateSolveThreshold {
      inaccurateIterations += 1
    } else {
      inaccurateIterations = 0
    }
    worstRelativeResidual = 0
    guard inaccurateIterations >= KKTSystem.inaccurateIterationLimit else { return }
    inaccurateIterations = 0
    isIllConditioned = true
    let lowered = max(epsilon * 0.01, settings.staticRegularizationMinimum)
    guard lowered < epsilon else { return }
    for j in 0..<n { matrix.values[xDiagonal[j]] += lowered - epsilon }
    epsilon = lowered
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
      // Refinement converges at the rate ‖I − F⁻¹K‖, which is about ε‖K⁻¹‖ for the static
      // regularization ε: on an ill-conditioned K (near the end of a solve whose constraint matrix
      // has tiny singular values) it crawls or stalls far above the tolerance. The few eigenvalues
      // of F⁻¹K that are far from 1 are what GMRES removes in as many iterations.
      if norm > tolerance && isIllConditioned && settings.krylovMaxIterations > 0 {
        norm = krylovSolve(rhs, sol, residual: r, residualNorm: norm, tolerance: tolerance, scratch: t, dx.baseAddress!)
      }
      if rhsNorm > 0 { worstRelativeResidual = max(worstRelativeResidual, norm / rhsNorm) }
    }}}}
    lastRefinementCount = passes
  }

  /// GMRES (unrestarted) on `K·sol = rhs` (K without the static regularization), right-preconditioned
  /// by the factorization `F`: minimizes ‖rhs − K(sol₀ + F⁻¹Vy)‖₂ over the Krylov space of `F⁻¹K`
  /// built from the current residual `r` (Saad & Schultz 1986, doi:10.1137/0907058). Keeps the result
  /// only where its ∞-norm residual beats `residualNorm`; returns the residual norm of `sol`.
  ///
  /// - Complexity: `k` products with `K` and `k + 1` solves with `F`, plus `O(k²·dimension)`
  ///   orthogonalization, for `k ≤ settings.krylovMaxIterations` iterations.
  private func krylovSolve(
    _ rhs: UnsafePointer<Double>, _ sol: UnsafeMutablePointer<Double>, residual r: UnsafeMutablePointer<Double>,
    residualNorm: Double, tolerance: Double, scratch t: UnsafeMutablePointer<Double>, _ tr: UnsafeMutablePointer<Double>
  ) -> Double {
    let N = dimension
    let k = settings.krylovMaxIterations
    if krylovBasis.count < (k + 1) * N {
      krylovBasis = [Double](repeating: 0, count: (k + 1) * N)
      krylovHessenberg = [Double](repeating: 0, count: (k + 1) * k)
    }
    var cosines = [Double](repeating: 0, count: k)
    var sines = [Double](repeating: 0, count: k)
    var g = [Double](repeating: 0, count: k + 1)
    var beta = 0.0
    for i in 0..<N { beta += r[i] * r[i] }
    beta = beta.squareRoot()
    guard beta > 0 && beta.isFinite else { return residualNorm }
    var result = residualNorm
    krylovBasis.withUnsafeMutableBufferPointer { vb in
    krylovHessenberg.withUnsafeMutableBufferPointer { hb in
      let V = vb.baseAddress!, H = hb.baseAddress!
      // Column j of H is H[j*(k+1) ..< (j+1)*(k+1)]; basis vector i is V[i*N ..< (i+1)*N].
      for i in 0..<N { V[i] = r[i] / beta }
      g[0] = beta
      var steps = 0
      // A 2-norm below the ∞-norm tolerance is enough; stop a little past it to leave room for
      // the rounding in the recurrence.
      let target = 0.1 * tolerance
      while steps < k {
        let j = steps
        let vj = V + j * N
        let w = V + (j + 1) * N
        for i in 0..<N { t[i] = vj[i] }
        factorization.solve(inPlace: UnsafeMutableBufferPointer(start: t, count: N))
        multiplyUnregularized(t, w)
        let hj = H + j * (k + 1)
        for i in 0...j {
          let vi = V + i * N
          let h = SparseKernels.dot(w, vi, N)
          hj[i] = h
          for l in 0..<N { w[l] -= h * vi[l] }
        }
        let wNorm = SparseKernels.dot(w, w, N).squareRoot()
        hj[j + 1] = wNorm
        if wNorm > 0 { for l in 0..<N { w[l] /= wNorm } }
        for i in 0..<j {
          let a = hj[i], b = hj[i + 1]
          hj[i] = cosines[i] * a + sines[i] * b
          hj[i + 1] = -sines[i] * a + cosines[i] * b
        }
        let radius = (hj[j] * hj[j] + hj[j + 1] * hj[j + 1]).squareRoot()
        guard radius > 0 && radius.isFinite else { break }
        cosines[j] = hj[j] / radius
        sines[j] = hj[j + 1] / radius
        hj[j] = radius
        hj[j + 1] = 0
        g[j + 1] = -sines[j] * g[j]
        g[j] = cosines[j] * g[j]
        steps += 1
        if abs(g[j + 1]) <= target || wNorm == 0 { break }
      }
      guard steps > 0 else { return }
      // y = R⁻¹g, then the correction F⁻¹(Vy).
      var y = [Double](repeating: 0, count: steps)
      for i in stride(from: steps - 1, through: 0, by: -1) {
        var v = g[i]
        for l in (i + 1)..<steps { v -= H[l * (k + 1) + i] * y[l] }
        y[i] = v / H[i * (k + 1) + i]
      }
      for l in 0..<N { t[l] = 0 }
      for i in 0..<steps {
        let vi = V + i * N
        let yi = y[i]
        for l in 0..<N { t[l] += yi * vi[l] }
      }
      factorization.solve(inPlace: UnsafeMutableBufferPointer(start: t, count: N))
      for l in 0..<N { t[l] += sol[l] }
      multiplyUnregularized(t, tr)
      for l in 0..<N { tr[l] = rhs[l] - tr[l] }
      let trialNorm = SparseKernels.normInf(tr, N)
      if trialNorm < residualNorm {
        for l in 0..<N {
          sol[l] = t[l]
          r[l] = tr[l]
        }
        result = trialNorm
      }
    }}
    return result
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

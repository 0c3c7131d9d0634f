import CSuiteSparse

/// Sparse `LDLᵀ` factorization of a symmetric matrix, for quasi-definite systems such as the
/// KKT matrices of interior-point methods.
///
/// ```
/// P K Pᵀ = L D Lᵀ     (L unit lower triangular, D diagonal, P a fill-reducing permutation)
/// ```
///
/// The fill-reducing ordering is SuiteSparse AMD (Amestoy, Davis, Duff; `amd_l_order`), the
/// elimination tree and column counts come from SuiteSparse LDL (`ldl_l_symbolic`, Davis 2005,
/// doi:10.1145/1114268.1114277). The numeric phase is the same up-looking algorithm, done here so that
/// it can apply *dynamic regularization*: for a quasi-definite matrix each pivot has a known sign
/// (`+1` for the primal block, `−1` for the dual block), and a pivot that comes out with the wrong
/// sign or too small is replaced by `sign·δ` (the scheme of QDLDL/Clarabel), which keeps the
/// factorization defined when the static regularization is not enough.
///
/// The symbolic analysis (`init`) is done once per sparsity pattern; `factor(values:)` refactors with
/// new numeric values many times. The matrix is given by its upper triangle (diagonal included, every
/// diagonal entry stored).
public final class SparseLDL {
  /// Order of the matrix.
  public let dimension: Int
  /// `permutation[k]` is the original index eliminated at step `k`.
  public let permutation: [Int]
  /// `inversePermutation[permutation[k]] == k`.
  public let inversePermutation: [Int]
  /// Number of stored entries of `L` (strictly lower part), fixed by the symbolic analysis.
  public let factorNonzeroCount: Int

  // Permuted upper triangle of the matrix (pattern fixed; values refreshed by `factor`).
  private let upperColumnPointers: [Int]
  private let upperRowIndices: [Int]
  private var upperValues: [Double]
  /// `entryMap[p]` is where entry `p` of the caller's upper triangle lands in the permuted one.
  private let entryMap: [Int]
  private let sourceNonzeroCount: Int

  // Factor.
  private let parent: [Int]
  private let lColumnPointers: [Int]
  private var lRowIndices: [Int]
  private var lValues: [Double]
  private var diagonal: [Double]
  private var inverseDiagonal: [Double]
  private var signs: [Double]

  // Workspaces of the numeric phase and the solve.
  private var work: [Double]
  private var flag: [Int]
  private var pattern: [Int]
  private var columnFill: [Int]
  private var solveBuffer: [Double]

  /// Whether a numeric factorization is available.
  public private(set) var isFactored = false
  /// Pivots replaced by dynamic regularization in the last `factor` call.
  public private(set) var regularizedPivotCount = 0
  /// Number of positive entries of `D` after the last `factor` call (the matrix inertia's n₊).
  public private(set) var positivePivotCount = 0

  /// Ordering used by the symbolic analysis.
  public enum Ordering: Sendable {
    /// Approximate minimum degree (SuiteSparse AMD).
    case amd
    /// The identity: no reordering.
    case natural
    /// A permutation given by the caller (`permutation[k]` = original index eliminated at step k).
    case given([Int])
  }

  /// Symbolic analysis: ordering, permuted pattern, elimination tree and the pattern of `L`.
  ///
  /// - Parameters:
  ///   - upperTriangle: the upper triangle of the symmetric matrix (diagonal included). Entries
  ///     below the diagonal are a programmer error. Only the pattern is used here.
  ///   - ordering: fill-reducing ordering, AMD by default.
  /// - Throws: `SparseFactorizationError` when AMD fails or a diagonal entry is missing.
  /// - Complexity: about O(nnz(L)) after AMD.
  public init(upperTriangle: SparseMatrixCSC, ordering: Ordering = .amd) throws(SparseFactorizationError) {
    precondition(
      upperTriangle.rowCount == upperTriangle.columnCount,
      "SparseLDL: matrix is \(upperTriangle.rowCount)×\(upperTriangle.columnCount), expected square")
    let n = upperTriangle.rowCount
    dimension = n
    let nnz = upperTriangle.nonzeroCount
    sourceNonzeroCount = nnz
    let Ap = upperTriangle.columnPointers
    let Ai = upperTriangle.rowIndices
    let (perm, pinv) = try SparseLDL.fillReducingOrdering(upperTriangle, ordering: ordering, caller: "SparseLDL")
    permutation = perm
    inversePermutation = pinv

    // Permuted upper triangle with a map from source entries.
    var counts = [Int](repeating: 0, count: n + 1)
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] {
        let a = pinv[Ai[p]]
        let b = pinv[j]
        counts[max(a, b) + 1] += 1
      }
    }
    for j in 0..<n { counts[j + 1] += counts[j] }
    var next = counts
    var rows = [Int](repeating: 0, count: nnz)
    var map = [Int](repeating: 0, count: nnz)
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] {
        let a = pinv[Ai[p]]
        let b = pinv[j]
        let col = max(a, b)
        rows[next[col]] = min(a, b)
        map[p] = next[col]
        next[col] += 1
      }
    }
    upperColumnPointers = counts
    upperRowIndices = rows
    upperValues = [Double](repeating: 0, count: nnz)
    entryMap = map

    // Elimination tree and column counts (LDL symbolic on the already-permuted matrix).
    var lp = [Int](repeating: 0, count: n + 1)
    var par = [Int](repeating: -1, count: n)
    var lnz = [Int](repeating: 0, count: n)
    var flg = [Int](repeating: 0, count: n)
    if n > 0 {
      var cp = counts
      var ri = rows
      cp.withUnsafeMutableBufferPointer { cpb in
        ri.withUnsafeMutableBufferPointer { rib in
          lp.withUnsafeMutableBufferPointer { lpb in
            par.withUnsafeMutableBufferPointer { pb in
              lnz.withUnsafeMutableBufferPointer { lb in
                flg.withUnsafeMutableBufferPointer { fb in
                  ldl_l_symbolic(
                    n, cpb.baseAddress, rib.baseAddress, lpb.baseAddress, pb.baseAddress, lb.baseAddress,
                    fb.baseAddress, nil, nil)
                }
              }
            }
          }
        }
      }
    }
    parent = par
    lColumnPointers = lp
    factorNonzeroCount = lp[n]
    lRowIndices = [Int](repeating: 0, count: lp[n])
    lValues = [Double](repeating: 0, count: lp[n])
    diagonal = [Double](repeating: 0, count: n)
    inverseDiagonal = [Double](repeating: 0, count: n)
    signs = [Double](repeating: 0, count: n)
    work = [Double](repeating: 0, count: n)
    flag = [Int](repeating: 0, count: n)
    pattern = [Int](repeating: 0, count: n)
    columnFill = [Int](repeating: 0, count: n)
    solveBuffer = [Double](repeating: 0, count: n)
  }

  /// Numeric factorization with new values on the pattern given at `init`.
  ///
  /// - Parameters:
  ///   - values: the upper triangle's values, in the order of the matrix given at `init`.
  ///   - pivotSigns: optional expected sign (`+1`/`−1`) of each pivot, indexed in the original
  ///     ordering; with it, a pivot `d` with `sign·d ≤ threshold` becomes `sign·delta`.
  ///   - threshold, delta: dynamic-regularization parameters.
  /// - Throws: `SparseFactorizationError.zeroPivot` when a pivot is exactly zero (or not finite)
  ///   and no sign was given for it.
  /// - Complexity: O(Σ_k |L_{k,:}|²)-ish, the cost of the up-looking algorithm; no allocation.
  public func factor(
    values: UnsafeBufferPointer<Double>, pivotSigns: [Double]? = nil, threshold: Double = 1e-13,
    delta: Double = 2e-7
  ) throws(SparseFactorizationError) {
    precondition(values.count == sourceNonzeroCount, "SparseLDL.factor: got \(values.count) values, pattern has \(sourceNonzeroCount)")
    let n = dimension
    isFactored = false
    if let pivotSigns {
      precondition(pivotSigns.count == n, "SparseLDL.factor: \(pivotSigns.count) signs for order \(n)")
      for k in 0..<n { signs[k] = pivotSigns[permutation[k]] }
    } else {
      for k in 0..<n { signs[k] = 0 }
    }
    var bumped = 0
    var positives = 0
    var failure: Int? = nil
    entryMap.withUnsafeBufferPointer { map in
      upperValues.withUnsafeMutableBufferPointer { ux in
        for p in 0..<values.count { ux[map[p]] = values[p] }
      }
    }
    upperColumnPointers.withUnsafeBufferPointer { Ap in
    upperRowIndices.withUnsafeBufferPointer { Ai in
    upperValues.withUnsafeBufferPointer { Ax in
    parent.withUnsafeBufferPointer { Parent in
    lColumnPointers.withUnsafeBufferPointer { Lp in
    lRowIndices.withUnsafeMutableBufferPointer { Li in
    lValues.withUnsafeMutableBufferPointer { Lx in
    diagonal.withUnsafeMutableBufferPointer { D in
    inverseDiagonal.withUnsafeMutableBufferPointer { Dinv in
    signs.withUnsafeBufferPointer { S in
    work.withUnsafeMutableBufferPointer { Y in
    flag.withUnsafeMutableBufferPointer { Flag in
    pattern.withUnsafeMutableBufferPointer { Pattern in
    columnFill.withUnsafeMutableBufferPointer { Lnz in
      for k in 0..<n {
        // Scatter column k of the permuted upper triangle and find the pattern of row k of L.
        Y[k] = 0
        var top = n
        Flag[k] = k
        Lnz[k] = 0
        for p in Ap[k]..<Ap[k + 1] {
          var i = Ai[p]
          Y[i] += Ax[p]
          var len = 0
          while Flag[i] != k {
            Pattern[len] = i
            len += 1
            Flag[i] = k
            i = Parent[i]
          }
          while len > 0 {
            top -= 1
            len -= 1
            Pattern[top] = Pattern[len]
          }
        }
        // Sparse triangular solve for row k of L, and the pivot.
        var d = Y[k]
        Y[k] = 0
        while top < n {
          let i = Pattern[top]
          let yi = Y[i]
          Y[i] = 0
          let start = Lp[i]
          let end = start + Lnz[i]
          var p = start
          while p < end {
            Y[Li[p]] -= Lx[p] * yi
            p += 1
          }
          let lki = yi * Dinv[i]
          d -= lki * yi
          Li[end] = k
          Lx[end] = lki
          Lnz[i] += 1
          top += 1
        }
        let sign = S[k]
        if sign != 0 {
          if !(sign * d > threshold) {
            d = sign * delta
            bumped += 1
          }
        } else if d == 0 || !d.isFinite {
          failure = k
          return
        }
        D[k] = d
        Dinv[k] = 1 / d
        if d > 0 { positives += 1 }
      }
    }}}}}}}}}}}}}}
    if let k = failure {
      throw SparseFactorizationError.zeroPivot(index: permutation[k])
    }
    regularizedPivotCount = bumped
    positivePivotCount = positives
    isFactored = true
  }

  /// Checks an upper triangle (square, nothing below the diagonal, every diagonal entry stored) and
  /// returns the elimination order for `ordering` with its inverse. Shared by `SparseLDL` and
  /// `SupernodalLDL`. `caller` names the type in precondition messages.
  static func fillReducingOrdering(
    _ upperTriangle: SparseMatrixCSC, ordering: Ordering, caller: String
  ) throws(SparseFactorizationError) -> (permutation: [Int], inverse: [Int]) {
    let n = upperTriangle.rowCount
    let Ap = upperTriangle.columnPointers
    let Ai = upperTriangle.rowIndices
    var hasDiagonal = [Bool](repeating: false, count: n)
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] {
        let i = Ai[p]
        precondition(i <= j, "\(caller): entry (\(i), \(j)) is below the diagonal; pass the upper triangle")
        if i == j { hasDiagonal[j] = true }
      }
    }
    if let missing = hasDiagonal.firstIndex(of: false) {
      throw SparseFactorizationError.missingDiagonal(index: missing)
    }
    var perm = [Int](repeating: 0, count: n)
    switch ordering {
    case .natural:
      for k in 0..<n { perm[k] = k }
    case .given(let given):
      precondition(given.count == n, "\(caller): permutation has \(given.count) entries, expected \(n)")
      perm = given
    case .amd:
      if n > 0 {
        var control = [Double](repeating: 0, count: Int(AMD_CONTROL))
        var info = [Double](repeating: 0, count: Int(AMD_INFO))
        amd_l_defaults(&control)
        // AMD wants the pattern of the whole symmetric matrix (both triangles, no diagonal).
        var (colptr, rowind) = SparseLDL.symmetricPatternWithoutDiagonal(n: n, Ap: Ap, Ai: Ai)
        let status = colptr.withUnsafeMutableBufferPointer { cp in
          rowind.withUnsafeMutableBufferPointer { ri in
            perm.withUnsafeMutableBufferPointer { pp in
              amd_l_order(n, cp.baseAddress, ri.baseAddress, pp.baseAddress, &control, &info)
            }
          }
        }
        if status != AMD_OK && status != AMD_OK_BUT_JUMBLED {
          throw SparseFactorizationError.orderingFailed(status: Int(status))
        }
      }
    }
    var pinv = [Int](repeating: -1, count: n)
    for k in 0..<n {
      precondition(perm[k] >= 0 && perm[k] < n && pinv[perm[k]] == -1, "\(caller): ordering is not a permutation")
      pinv[perm[k]] = k
    }
    return (perm, pinv)
  }

  /// The pattern of `U + Uᵀ` without the diagonal, columns sorted, for AMD.
  static func symmetricPatternWithoutDiagonal(n: Int, Ap: [Int], Ai: [Int]) -> ([Int], [Int]) {
    var counts = [Int](repeating: 0, count: n + 1)
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] where Ai[p] != j {
        counts[Ai[p] + 1] += 1
        counts[j + 1] += 1
      }
    }
    for j in 0..<n { counts[j + 1] += counts[j] }
    var next = counts
    var rows = [Int](repeating: 0, count: counts[n])
    // Column j gets, in increasing order, the rows i < j (from U's column j) then i > j (from U's rows).
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] where Ai[p] != j {
        let i = Ai[p]
        rows[next[j]] = i
        next[j] += 1
      }
    }
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] where Ai[p] != j {
        let i = Ai[p]
        rows[next[i]] = j
        next[i] += 1
      }
    }
    return (counts, rows)
  }

  /// Convenience overload of `factor(values:...)` for an array.
  public func factor(
    values: [Double], pivotSigns: [Double]? = nil, threshold: Double = 1e-13, delta: Double = 2e-7
  ) throws(SparseFactorizationError) {
    try values.withUnsafeBufferPointer { (v) throws(SparseFactorizationError) in
      try factor(values: v, pivotSigns: pivotSigns, threshold: threshold, delta: delta)
    }
  }

  /// Solves `K x = b` in place with the current factorization.
  ///
  /// - Precondition: `factor` succeeded; `b.count == dimension`.
  /// - Complexity: O(nnz(L) + n), no allocation.
  public func solve(inPlace b: UnsafeMutableBufferPointer<Double>) {
    precondition(isFactored, "SparseLDL.solve: no numeric factorization")
    precondition(b.count == dimension, "SparseLDL.solve: right-hand side has \(b.count) entries, expected \(dimension)")
    let n = dimension
    permutation.withUnsafeBufferPointer { perm in
    solveBuffer.withUnsafeMutableBufferPointer { x in
    lColumnPointers.withUnsafeBufferPointer { Lp in
    lRowIndices.withUnsafeBufferPointer { Li in
    lValues.withUnsafeBufferPointer { Lx in
    inverseDiagonal.withUnsafeBufferPointer { Dinv in
      for k in 0..<n { x[k] = b[perm[k]] }
      // L y = x
      for j in 0..<n {
        let xj = x[j]
        if xj != 0 {
          for p in Lp[j]..<Lp[j + 1] { x[Li[p]] -= Lx[p] * xj }
        }
      }
      // D z = y
      for j in 0..<n { x[j] *= Dinv[j] }
      // Lᵀ w = z
      var j = n - 1
      while j >= 0 {
        var acc = x[j]
        for p in Lp[j]..<Lp[j + 1] { acc -= Lx[p] * x[Li[p]] }
        x[j] = acc
        j -= 1
      }
      for k in 0..<n { b[perm[k]] = x[k] }
    }}}}}}
  }

  /// Solves `K x = b`, returning `x`.
  public func solve(_ b: [Double]) -> [Double] {
    var x = b
    x.withUnsafeMutableBufferPointer { solve(inPlace: $0) }
    return x
  }

  /// The diagonal `D` of the last factorization, in elimination order.
  public var pivots: [Double] { diagonal }
}

/// Why a sparse factorization failed.
public enum SparseFactorizationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The pattern has no stored diagonal entry at this (original) index.
  case missingDiagonal(index: Int)
  /// AMD returned this status.
  case orderingFailed(status: Int)
  /// The pivot at this (original) index is zero or not finite.
  case zeroPivot(index: Int)

  public var description: String {
    switch self {
    case .missingDiagonal(let i): return "sparse LDLᵀ: no diagonal entry stored at index \(i)"
    case .orderingFailed(let s): return "sparse LDLᵀ: AMD ordering failed with status \(s)"
    case .zeroPivot(let i): return "sparse LDLᵀ: zero or non-finite pivot at index \(i)"
    }
  }
}

import CLapack
import CSuiteSparse

/// Supernodal (multifrontal) sparse `LDLᵀ` factorization of a symmetric quasi-definite matrix,
/// with the same interface and semantics as `SparseLDL` (dynamic regularization included).
///
/// ```
/// P K Pᵀ = L D Lᵀ     (L unit lower triangular, D diagonal, P = AMD ordering followed by an
///                      elimination-tree postorder)
/// ```
///
/// Symbolic phase: AMD ordering, elimination tree and column counts (`ldl_l_symbolic`), postorder,
/// fundamental supernodes, relaxed amalgamation (CHOLMOD's default `nrelax`/`zrelax` rules), the row
/// structure of each supernode, and the assembly maps. Numeric phase: for each supernode in postorder,
/// the dense frontal matrix is assembled from the original entries and the children's update
/// matrices (extend-add), its leading columns are factored by a blocked dense `LDLᵀ` without pivoting
/// (BLAS-3 `dgemm` for the trailing updates) and the Schur complement is passed to the parent.
/// Each pivot is checked as in `SparseLDL`: with a sign, a pivot `d` with `sign·d ≤ threshold`
/// becomes `sign·delta`; without one, a zero or non-finite pivot throws `zeroPivot`.
public final class SupernodalLDL {
  /// Order of the matrix.
  public let dimension: Int
  /// `permutation[k]` is the original index eliminated at step `k`.
  public let permutation: [Int]
  /// `inversePermutation[permutation[k]] == k`.
  public let inversePermutation: [Int]
  /// Number of structural nonzeros of `L` (strictly lower part), as for `SparseLDL`.
  public let factorNonzeroCount: Int
  /// Number of doubles stored for `L` (dense supernodal blocks, explicit zeros included).
  public let storedFactorCount: Int
  /// Number of supernodes after amalgamation.
  public let supernodeCount: Int
  /// Largest frontal matrix order.
  public let maximumFrontOrder: Int

  /// Whether a numeric factorization is available.
  public private(set) var isFactored = false
  /// Pivots replaced by dynamic regularization in the last `factor` call.
  public private(set) var regularizedPivotCount = 0
  /// Number of positive entries of `D` after the last `factor` call.
  public private(set) var positivePivotCount = 0

  private let sourceNonzeroCount: Int
  /// Source entry → position in the permuted lower triangle (`lowerValues`).
  private let entryMap: [Int]
  private var lowerValues: [Double]
  /// Lower-triangle entry → offset in its supernode's frontal matrix (column-major, ld = front order).
  private let frontOffset: [Int]
  /// Supernode `s` owns lower entries `lowerSuperPointers[s]..<lowerSuperPointers[s+1]`.
  private let lowerSuperPointers: [Int]

  /// Columns of supernode `s`: `superStart[s]..<superStart[s+1]` (permuted numbering).
  private let superStart: [Int]
  /// Rows of supernode `s` below its columns: `rowIndices[rowPointers[s]..<rowPointers[s+1]]`.
  private let rowPointers: [Int]
  private let rowIndices: [Int]
  /// For each row of `s` below its columns, its index in the parent's frontal matrix.
  private let relativeIndices: [Int]
  /// Children of `s`: `childList[childPointers[s]..<childPointers[s+1]]`, increasing.
  private let childPointers: [Int]
  private let childList: [Int]
  /// `L` block of `s`: `m × k` column-major at `factorPointers[s]` (m = front order, k = columns).
  private let factorPointers: [Int]
  private var factorValues: [Double]

  private var diagonal: [Double]
  private var inverseDiagonal: [Double]
  private var signs: [Double]
  private var front: [Double]
  private var updateStack: [Double]
  private var updateOffset: [Int]
  private var panelWork: [Double]
  private var solveBuffer: [Double]
  private var solveWork: [Double]

  /// Panel width of the blocked dense factorization.
  static let panelWidth = 32
  /// Column-block width of the lower-triangular `dgemm` updates.
  static let updateBlock = 256
  /// Supernodes with at least this many stored factor entries are solved with `dtrsv`/`dgemv`.
  static let solveBLASSize = 4096

  /// Symbolic analysis: ordering, supernodes, assembly maps. Same contract as `SparseLDL.init`.
  public init(upperTriangle: SparseMatrixCSC, ordering: SparseLDL.Ordering = .amd) throws(SparseFactorizationError) {
    precondition(
      upperTriangle.rowCount == upperTriangle.columnCount,
      "SupernodalLDL: matrix is \(upperTriangle.rowCount)×\(upperTriangle.columnCount), expected square")
    let n = upperTriangle.rowCount
    dimension = n
    let nnz = upperTriangle.nonzeroCount
    sourceNonzeroCount = nnz
    let Ap = upperTriangle.columnPointers
    let Ai = upperTriangle.rowIndices
    let (perm0, _) = try SparseLDL.fillReducingOrdering(upperTriangle, ordering: ordering, caller: "SupernodalLDL")

    // Elimination tree of the ordered matrix, then postorder it (same fill, contiguous subtrees).
    let (cp0, ri0, _) = SupernodalLDL.permutedUpper(n: n, Ap: Ap, Ai: Ai, perm: perm0)
    let (parent0, _) = SupernodalLDL.eliminationTree(n: n, Ap: cp0, Ai: ri0)
    let post = SupernodalLDL.postorder(n: n, parent: parent0)
    var perm = [Int](repeating: 0, count: n)
    var pinv = [Int](repeating: 0, count: n)
    for k in 0..<n {
      perm[k] = perm0[post[k]]
      pinv[perm[k]] = k
    }
    permutation = perm
    inversePermutation = pinv
    let (cp, ri, upperMap) = SupernodalLDL.permutedUpper(n: n, Ap: Ap, Ai: Ai, perm: perm)
    let (parent, colCount) = SupernodalLDL.eliminationTree(n: n, Ap: cp, Ai: ri)
    factorNonzeroCount = colCount.reduce(0, +)

    // Permuted lower triangle (transpose of the permuted upper one), rows increasing.
    var lowerPointers = [Int](repeating: 0, count: n + 1)
    for p in 0..<nnz { lowerPointers[ri[p] + 1] += 1 }
    for j in 0..<n { lowerPointers[j + 1] += lowerPointers[j] }
    var lowerRows = [Int](repeating: 0, count: nnz)
    var upperToLower = [Int](repeating: 0, count: nnz)
    do {
      var next = lowerPointers
      for k in 0..<n {
        for p in cp[k]..<cp[k + 1] {
          let c = ri[p]
          lowerRows[next[c]] = k
          upperToLower[p] = next[c]
          next[c] += 1
        }
      }
    }
    var emap = [Int](repeating: 0, count: nnz)
    for p in 0..<nnz { emap[p] = upperToLower[upperMap[p]] }
    entryMap = emap
    lowerValues = [Double](repeating: 0, count: nnz)

    // Fundamental supernodes: column j joins j−1's when parent(j−1) = j and the structures nest.
    var fundStart: [Int] = []
    for j in 0..<n {
      if j == 0 || !(parent[j - 1] == j && colCount[j - 1] == colCount[j] + 1) { fundStart.append(j) }
    }
    let nf = fundStart.count
    fundStart.append(n)
    var fundOf = [Int](repeating: 0, count: n)
    for s in 0..<nf { for j in fundStart[s]..<fundStart[s + 1] { fundOf[j] = s } }
    var fundParent = [Int](repeating: -1, count: nf)
    for s in 0..<nf {
      let last = fundStart[s + 1] - 1
      if parent[last] >= 0 { fundParent[s] = fundOf[parent[last]] }
    }

    // Relaxed amalgamation (CHOLMOD defaults): merge s into its parent's group when the parent's
    // columns follow s's and the explicit zeros added stay small.
    var groupOf = [Int](repeating: 0, count: nf)
    var groupCols = [Int](repeating: 0, count: nf)
    var groupRows = [Int](repeating: 0, count: nf)
    var groupNZ = [Double](repeating: 0, count: nf)
    var s = nf - 1
    while s >= 0 {
      let cols = fundStart[s + 1] - fundStart[s]
      var nzs = 0
      for j in fundStart[s]..<fundStart[s + 1] { nzs += colCount[j] + 1 }
      let rows = colCount[fundStart[s + 1] - 1]
      groupOf[s] = s
      groupCols[s] = cols
      groupRows[s] = rows
      groupNZ[s] = Double(nzs)
      let p = fundParent[s]
      if p == s + 1 {
        let g = groupOf[p]
        let k = Double(groupCols[g] + cols)
        let r = Double(groupRows[g])
        let dense = k * (k + 1) / 2 + k * r
        let frac = (dense - (groupNZ[g] + Double(nzs))) / dense
        if k <= 4 || (k <= 16 && frac < 0.8) || (k <= 48 && frac < 0.1) || frac < 0.05 {
          groupOf[s] = g
          groupCols[g] += cols
          groupNZ[g] += Double(nzs)
        }
      }
      s -= 1
    }
    var starts: [Int] = []
    for f in 0..<nf where f == 0 || groupOf[f] != groupOf[f - 1] { starts.append(fundStart[f]) }
    let ns = starts.count
    starts.append(n)
    superStart = starts
    supernodeCount = ns
    var superOf = [Int](repeating: 0, count: n)
    for t in 0..<ns { for j in starts[t]..<starts[t + 1] { superOf[j] = t } }
    var superParent = [Int](repeating: -1, count: ns)
    var cptr = [Int](repeating: 0, count: ns + 1)
    for t in 0..<ns {
      let last = starts[t + 1] - 1
      if parent[last] >= 0 {
        superParent[t] = superOf[parent[last]]
        cptr[superParent[t] + 1] += 1
      }
    }
    for t in 0..<ns { cptr[t + 1] += cptr[t] }
    var clist = [Int](repeating: 0, count: cptr[ns])
    do {
      var next = cptr
      for t in 0..<ns where superParent[t] >= 0 {
        clist[next[superParent[t]]] = t
        next[superParent[t]] += 1
      }
    }
    childPointers = cptr
    childList = clist

    // Row structure of each supernode: children's rows and original entries below its columns.
    var rptr = [Int](repeating: 0, count: ns + 1)
    var rind: [Int] = []
    rind.reserveCapacity(factorNonzeroCount / 2 + n)
    var mark = [Int](repeating: -1, count: n)
    for t in 0..<ns {
      let f = starts[t]
      let l = starts[t + 1] - 1
      let begin = rind.count
      for q in cptr[t]..<cptr[t + 1] {
        let c = clist[q]
        for p in rptr[c]..<rptr[c + 1] {
          let i = rind[p]
          if i > l && mark[i] != t {
            mark[i] = t
            rind.append(i)
          }
        }
      }
      for p in lowerPointers[f]..<lowerPointers[l + 1] {
        let i = lowerRows[p]
        if i > l && mark[i] != t {
          mark[i] = t
          rind.append(i)
        }
      }
      rind[begin...].sort()
      rptr[t + 1] = rind.count
    }
    rowPointers = rptr
    rowIndices = rind

    // Assembly maps, factor storage, stack size.
    var local = [Int](repeating: 0, count: n)
    var offsets = [Int](repeating: 0, count: nnz)
    var rel = [Int](repeating: 0, count: rind.count)
    var fptr = [Int](repeating: 0, count: ns + 1)
    var lsp = [Int](repeating: 0, count: ns + 1)
    var maxFront = 0
    var stackTop = 0
    var maxStack = 0
    var maxPanel = 0
    var offsetOfUpdate = [Int](repeating: 0, count: ns)
    for t in 0..<ns {
      let f = starts[t]
      let k = starts[t + 1] - f
      let r = rptr[t + 1] - rptr[t]
      let m = k + r
      maxFront = max(maxFront, m)
      // Trailing updates: r × k for the Schur complement; inside the front at most m rows times
      // the left part of the top-level split (≤ k/2 + panel width).
      maxPanel = max(maxPanel, r * k, m * min(k, k / 2 + SupernodalLDL.panelWidth))
      for j in 0..<k { local[f + j] = j }
      for q in 0..<r { local[rind[rptr[t] + q]] = k + q }
      lsp[t] = lowerPointers[f]
      for c in f..<(f + k) {
        for p in lowerPointers[c]..<lowerPointers[c + 1] {
          offsets[p] = local[lowerRows[p]] + (c - f) * m
        }
      }
      var childBase = stackTop
      for q in cptr[t]..<cptr[t + 1] {
        let c = clist[q]
        childBase = min(childBase, offsetOfUpdate[c])
        for p in rptr[c]..<rptr[c + 1] { rel[p] = local[rind[p]] }
      }
      stackTop = childBase
      offsetOfUpdate[t] = stackTop
      stackTop += r * r
      maxStack = max(maxStack, stackTop)
      fptr[t + 1] = fptr[t] + m * k
    }
    lsp[ns] = lowerPointers[n]
    frontOffset = offsets
    lowerSuperPointers = lsp
    relativeIndices = rel
    factorPointers = fptr
    storedFactorCount = fptr[ns]
    maximumFrontOrder = maxFront
    factorValues = [Double](repeating: 0, count: fptr[ns])
    diagonal = [Double](repeating: 0, count: n)
    inverseDiagonal = [Double](repeating: 0, count: n)
    signs = [Double](repeating: 0, count: n)
    front = [Double](repeating: 0, count: maxFront * maxFront)
    updateStack = [Double](repeating: 0, count: maxStack)
    updateOffset = [Int](repeating: 0, count: ns)
    // Scaled copy `L·D` of the columns used by a trailing update.
    panelWork = [Double](repeating: 0, count: maxPanel)
    solveBuffer = [Double](repeating: 0, count: n)
    solveWork = [Double](repeating: 0, count: maxFront)
  }

  // MARK: Symbolic helpers

  /// Upper triangle of `P K Pᵀ` (rows increasing within columns) and the map from source entries.
  static func permutedUpper(n: Int, Ap: [Int], Ai: [Int], perm: [Int]) -> ([Int], [Int], [Int]) {
    var pinv = [Int](repeating: 0, count: n)
    for k in 0..<n { pinv[perm[k]] = k }
    let nnz = Ap[n]
    // Transpose twice (bucket by row, then by column) so rows come out sorted.
    var counts = [Int](repeating: 0, count: n + 1)
    var rowOf = [Int](repeating: 0, count: nnz)
    var colOf = [Int](repeating: 0, count: nnz)
    for j in 0..<n {
      for p in Ap[j]..<Ap[j + 1] {
        let a = pinv[Ai[p]]
        let b = pinv[j]
        rowOf[p] = min(a, b)
        colOf[p] = max(a, b)
        counts[rowOf[p] + 1] += 1
      }
    }
    for j in 0..<n { counts[j + 1] += counts[j] }
    var byRow = [Int](repeating: 0, count: nnz)
    var next = counts
    for p in 0..<nnz {
      byRow[next[rowOf[p]]] = p
      next[rowOf[p]] += 1
    }
    var cp = [Int](repeating: 0, count: n + 1)
    for p in 0..<nnz { cp[colOf[p] + 1] += 1 }
    for j in 0..<n { cp[j + 1] += cp[j] }
    next = cp
    var ri = [Int](repeating: 0, count: nnz)
    var map = [Int](repeating: 0, count: nnz)
    for p in byRow {
      let c = colOf[p]
      ri[next[c]] = rowOf[p]
      map[p] = next[c]
      next[c] += 1
    }
    return (cp, ri, map)
  }

  /// Elimination tree and strictly-lower column counts of `L` (SuiteSparse LDL symbolic).
  static func eliminationTree(n: Int, Ap: [Int], Ai: [Int]) -> ([Int], [Int]) {
    var par = [Int](repeating: -1, count: n)
    var lnz = [Int](repeating: 0, count: n)
    guard n > 0 else { return (par, lnz) }
    var lp = [Int](repeating: 0, count: n + 1)
    var flg = [Int](repeating: 0, count: n)
    var cp = Ap
    var ri = Ai
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
    return (par, lnz)
  }

  /// Postorder of a forest: `post[k]` is the node visited k-th (children in increasing order).
  static func postorder(n: Int, parent: [Int]) -> [Int] {
    var head = [Int](repeating: -1, count: n)
    var nextSibling = [Int](repeating: -1, count: n)
    var j = n - 1
    while j >= 0 {
      if parent[j] >= 0 {
        nextSibling[j] = head[parent[j]]
        head[parent[j]] = j
      }
      j -= 1
    }
    var post = [Int](repeating: 0, count: n)
    var stack = [Int](repeating: 0, count: n)
    var k = 0
    for root in 0..<n where parent[root] < 0 {
      var top = 0
      stack[0] = root
      while top >= 0 {
        let p = stack[top]
        let child = head[p]
        if child == -1 {
          top -= 1
          post[k] = p
          k += 1
        } else {
          head[p] = nextSibling[child]
          top += 1
          stack[top] = child
        }
      }
    }
    return post
  }

  // MARK: Numeric factorization

  /// Numeric factorization with new values on the pattern given at `init`; same contract as
  /// `SparseLDL.factor(values:pivotSigns:threshold:delta:)`.
  public func factor(
    values: UnsafeBufferPointer<Double>, pivotSigns: [Double]? = nil, threshold: Double = 1e-13,
    delta: Double = 2e-7
  ) throws(SparseFactorizationError) {
    precondition(
      values.count == sourceNonzeroCount,
      "SupernodalLDL.factor: got \(values.count) values, pattern has \(sourceNonzeroCount)")
    let n = dimension
    isFactored = false
    if let pivotSigns {
      precondition(pivotSigns.count == n, "SupernodalLDL.factor: \(pivotSigns.count) signs for order \(n)")
      for k in 0..<n { signs[k] = pivotSigns[permutation[k]] }
    } else {
      for k in 0..<n { signs[k] = 0 }
    }
    entryMap.withUnsafeBufferPointer { map in
      lowerValues.withUnsafeMutableBufferPointer { lx in
        for p in 0..<values.count { lx[map[p]] = values[p] }
      }
    }
    var counters = PivotCounters()
    var failure = -1
    let ns = supernodeCount
    superStart.withUnsafeBufferPointer { starts in
    rowPointers.withUnsafeBufferPointer { rptr in
    relativeIndices.withUnsafeBufferPointer { rel in
    childPointers.withUnsafeBufferPointer { cptr in
    childList.withUnsafeBufferPointer { clist in
    factorPointers.withUnsafeBufferPointer { fptr in
    factorValues.withUnsafeMutableBufferPointer { Lx in
    lowerValues.withUnsafeBufferPointer { ax in
    frontOffset.withUnsafeBufferPointer { aoff in
    lowerSuperPointers.withUnsafeBufferPointer { lsp in
    diagonal.withUnsafeMutableBufferPointer { D in
    signs.withUnsafeBufferPointer { S in
    front.withUnsafeMutableBufferPointer { Fbuf in
    updateStack.withUnsafeMutableBufferPointer { stack in
    updateOffset.withUnsafeMutableBufferPointer { uoff in
    panelWork.withUnsafeMutableBufferPointer { W in
      var stackTop = 0
      for t in 0..<ns {
        let f = starts[t]
        let k = starts[t + 1] - f
        let r = rptr[t + 1] - rptr[t]
        let m = k + r
        let F = Fbuf.baseAddress!
        // Zero the lower triangle only: the strict upper triangle is never read (dgemm may write
        // there, elementwise, so stale values stay confined to it).
        if m < 32 {
          for j in 0..<m {
            let col = F + j * m
            for i in j..<m { col[i] = 0 }
          }
        } else {
          for j in 0..<m { (F + j * m + j).update(repeating: 0, count: m - j) }
        }
        // Original entries.
        for p in lsp[t]..<lsp[t + 1] { F[aoff[p]] += ax[p] }
        // Children's update matrices (extend-add), then pop them.
        var childBase = stackTop
        for q in cptr[t]..<cptr[t + 1] {
          let c = clist[q]
          let rc = rptr[c + 1] - rptr[c]
          let U = stack.baseAddress! + uoff[c]
          let ri = rel.baseAddress! + rptr[c]
          childBase = min(childBase, uoff[c])
          for j in 0..<rc {
            let col = F + ri[j] * m
            let ucol = U + j * rc
            for i in j..<rc { col[ri[i]] += ucol[i] }
          }
        }
        stackTop = childBase
        // Partial dense LDLᵀ of the first k columns; Schur complement in F[k..<m, k..<m].
        let bad = SupernodalLDL.factorFront(
          F, m: m, k: k, D: D.baseAddress! + f, S: S.baseAddress! + f, threshold: threshold,
          delta: delta, W: W.baseAddress!, counters: &counters)
        if bad >= 0 {
          failure = f + bad
          return
        }
        // Keep L's columns (contiguous m·k block) and push the update matrix.
        (Lx.baseAddress! + fptr[t]).update(from: F, count: m * k)
        if r > 0 {
          let U = stack.baseAddress! + stackTop
          if r < 32 {
            for j in 0..<r {
              let src = F + (k + j) * m + k
              let dst = U + j * r
              for i in j..<r { dst[i] = src[i] }
            }
          } else {
            for j in 0..<r {
              (U + j * r + j).update(from: F + (k + j) * m + k + j, count: r - j)
            }
          }
          uoff[t] = stackTop
          stackTop += r * r
        }
      }
    }}}}}}}}}}}}}}}}
    if failure >= 0 {
      throw SparseFactorizationError.zeroPivot(index: permutation[failure])
    }
    var positives = 0
    for k in 0..<n {
      inverseDiagonal[k] = 1 / diagonal[k]
      if diagonal[k] > 0 { positives += 1 }
    }
    regularizedPivotCount = counters.bumped
    positivePivotCount = positives
    isFactored = true
  }

  struct PivotCounters {
    var bumped = 0
  }

  /// Partial `LDLᵀ` of the leading `k` columns of the `m × m` column-major front `F` (lower triangle).
  /// On return `F[:, 0..<k]` holds `L` (unit diagonal implied), `D[0..<k]` the pivots and
  /// `F[k..<m, k..<m]` the Schur complement. Returns the first failing local column, or −1.
  static func factorFront(
    _ F: UnsafeMutablePointer<Double>, m: Int, k: Int, D: UnsafeMutablePointer<Double>,
    S: UnsafePointer<Double>, threshold: Double, delta: Double, W: UnsafeMutablePointer<Double>,
    counters: inout PivotCounters
  ) -> Int {
    let bad = factorColumns(
      F, m: m, a: 0, b: k, D: D, S: S, threshold: threshold, delta: delta, W: W, counters: &counters)
    if bad >= 0 { return bad }
    if k < m { trailingUpdate(F, m: m, c0: k, c1: m, p0: 0, p1: k, D: D, W: W) }
    return -1
  }

  /// Recursive blocked factorization of columns `a..<b` (rows down to `m`): the left half, a
  /// `dgemm` update of the right half by it, then the right half. Returns a failing column or −1.
  static func factorColumns(
    _ F: UnsafeMutablePointer<Double>, m: Int, a: Int, b: Int, D: UnsafeMutablePointer<Double>,
    S: UnsafePointer<Double>, threshold: Double, delta: Double, W: UnsafeMutablePointer<Double>,
    counters: inout PivotCounters
  ) -> Int {
    let nb = panelWidth
    if b - a <= nb {
      return factorPanel(F, m: m, j0: a, j1: b, D: D, S: S, threshold: threshold, delta: delta, counters: &counters)
    }
    // Split on a multiple of the panel width.
    let mid = a + max(nb, ((b - a) / 2 + nb - 1) / nb * nb)
    var bad = factorColumns(
      F, m: m, a: a, b: mid, D: D, S: S, threshold: threshold, delta: delta, W: W, counters: &counters)
    if bad >= 0 { return bad }
    trailingUpdate(F, m: m, c0: mid, c1: b, p0: a, p1: mid, D: D, W: W)
    bad = factorColumns(
      F, m: m, a: mid, b: b, D: D, S: S, threshold: threshold, delta: delta, W: W, counters: &counters)
    return bad
  }

  /// Unblocked right-looking factorization of the panel `j0..<j1` (rows `j0..<m`), with the pivot
  /// checks and dynamic regularization. Returns a failing column or −1.
  static func factorPanel(
    _ F: UnsafeMutablePointer<Double>, m: Int, j0: Int, j1: Int, D: UnsafeMutablePointer<Double>,
    S: UnsafePointer<Double>, threshold: Double, delta: Double, counters: inout PivotCounters
  ) -> Int {
    for j in j0..<j1 {
      let colj = F + j * m
      var d = colj[j]
      let sign = S[j]
      if sign != 0 {
        if !(sign * d > threshold) {
          d = sign * delta
          counters.bumped += 1
        }
      } else if d == 0 || !d.isFinite {
        return j
      }
      D[j] = d
      colj[j] = d
      let dinv = 1 / d
      var c = j + 1
      while c < j1 {
        let t = colj[c] * dinv
        if t != 0 {
          let colc = F + c * m
          var i = c
          while i < m {
            colc[i] -= colj[i] * t
            i += 1
          }
        }
        c += 1
      }
      var i = j + 1
      while i < m {
        colj[i] *= dinv
        i += 1
      }
    }
    return -1
  }

  /// `F[i, c] −= Σ_{p0 ≤ p < p1} L[i, p] D[p] L[c, p]` for `c0 ≤ c < c1`, `c ≤ i < m`.
  static func trailingUpdate(
    _ F: UnsafeMutablePointer<Double>, m: Int, c0: Int, c1: Int, p0: Int, p1: Int,
    D: UnsafeMutablePointer<Double>, W: UnsafeMutablePointer<Double>
  ) {
    let rows = m - c0
    let w = p1 - p0
    if rows * (c1 - c0) * w < 24 * 24 * 24 || w < 4 {
      for c in c0..<c1 {
        let colc = F + c * m
        for p in p0..<p1 {
          let colp = F + p * m
          let t = colp[c] * D[p]
          if t != 0 {
            var i = c
            while i < m {
              colc[i] -= colp[i] * t
              i += 1
            }
          }
        }
      }
      return
    }
    // W = L[c0..<m, p0..<p1] · D[p0..<p1]
    for q in 0..<w {
      let src = F + (p0 + q) * m + c0
      let dst = W + q * rows
      let dq = D[p0 + q]
      for i in 0..<rows { dst[i] = src[i] * dq }
    }
    var cb = c0
    while cb < c1 {
      let width = min(updateBlock, c1 - cb)
      cblas_dgemm(
        CblasColMajor, CblasNoTrans, CblasTrans, blasint(m - cb), blasint(width), blasint(w), -1,
        W + (cb - c0), blasint(rows), F + p0 * m + cb, blasint(m), 1, F + cb * m + cb, blasint(m))
      cb += width
    }
  }

  /// Convenience overload of `factor(values:...)` for an array.
  public func factor(
    values: [Double], pivotSigns: [Double]? = nil, threshold: Double = 1e-13, delta: Double = 2e-7
  ) throws(SparseFactorizationError) {
    try values.withUnsafeBufferPointer { (v) throws(SparseFactorizationError) in
      try factor(values: v, pivotSigns: pivotSigns, threshold: threshold, delta: delta)
    }
  }

  // MARK: Solve

  /// Solves `K x = b` in place with the current factorization.
  ///
  /// - Precondition: `factor` succeeded; `b.count == dimension`.
  /// - Complexity: O(stored factor + n), no allocation.
  public func solve(inPlace b: UnsafeMutableBufferPointer<Double>) {
    precondition(isFactored, "SupernodalLDL.solve: no numeric factorization")
    precondition(
      b.count == dimension, "SupernodalLDL.solve: right-hand side has \(b.count) entries, expected \(dimension)")
    let n = dimension
    let ns = supernodeCount
    permutation.withUnsafeBufferPointer { perm in
    solveBuffer.withUnsafeMutableBufferPointer { xb in
    superStart.withUnsafeBufferPointer { starts in
    rowPointers.withUnsafeBufferPointer { rptr in
    rowIndices.withUnsafeBufferPointer { rind in
    factorPointers.withUnsafeBufferPointer { fptr in
    factorValues.withUnsafeBufferPointer { Lx in
    inverseDiagonal.withUnsafeBufferPointer { Dinv in
    solveWork.withUnsafeMutableBufferPointer { tb in
      let x = xb.baseAddress!
      for k in 0..<n { x[k] = b[perm[k]] }
      let tmp = tb.baseAddress!
      // L y = x
      for t in 0..<ns {
        let f = starts[t]
        let k = starts[t + 1] - f
        let rows = rind.baseAddress! + rptr[t]
        let r = rptr[t + 1] - rptr[t]
        let m = k + r
        let L = Lx.baseAddress! + fptr[t]
        let xs = x + f
        if k * m >= SupernodalLDL.solveBLASSize {
          cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasUnit, blasint(k), L, blasint(m), xs, 1)
          if r > 0 {
            cblas_dgemv(CblasColMajor, CblasNoTrans, blasint(r), blasint(k), 1, L + k, blasint(m), xs, 1, 0, tmp, 1)
            for q in 0..<r { x[rows[q]] -= tmp[q] }
          }
          continue
        }
        if k == 1 {
          // Single column: scatter directly.
          let xj = xs[0]
          if xj != 0 {
            let below = L + 1
            for q in 0..<r { x[rows[q]] -= below[q] * xj }
          }
          continue
        }
        for q in 0..<r { tmp[q] = 0 }
        for j in 0..<k {
          let xj = xs[j]
          if xj == 0 { continue }
          let col = L + j * m
          var i = j + 1
          while i < k {
            xs[i] -= col[i] * xj
            i += 1
          }
          let below = col + k
          for q in 0..<r { tmp[q] += below[q] * xj }
        }
        for q in 0..<r { x[rows[q]] -= tmp[q] }
      }
      // D z = y
      for j in 0..<n { x[j] *= Dinv[j] }
      // Lᵀ w = z
      var t = ns - 1
      while t >= 0 {
        let f = starts[t]
        let k = starts[t + 1] - f
        let rows = rind.baseAddress! + rptr[t]
        let r = rptr[t + 1] - rptr[t]
        let m = k + r
        let L = Lx.baseAddress! + fptr[t]
        let xs = x + f
        if k == 1 {
          let below = L + 1
          var acc = xs[0]
          for q in 0..<r { acc -= below[q] * x[rows[q]] }
          xs[0] = acc
          t -= 1
          continue
        }
        for q in 0..<r { tmp[q] = x[rows[q]] }
        if k * m >= SupernodalLDL.solveBLASSize {
          if r > 0 {
            cblas_dgemv(CblasColMajor, CblasTrans, blasint(r), blasint(k), -1, L + k, blasint(m), tmp, 1, 1, xs, 1)
          }
          cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasUnit, blasint(k), L, blasint(m), xs, 1)
          t -= 1
          continue
        }
        var j = k - 1
        while j >= 0 {
          let col = L + j * m
          var acc = xs[j]
          let below = col + k
          for q in 0..<r { acc -= below[q] * tmp[q] }
          var i = j + 1
          while i < k {
            acc -= col[i] * xs[i]
            i += 1
          }
          xs[j] = acc
          j -= 1
        }
        t -= 1
      }
      for k in 0..<n { b[perm[k]] = x[k] }
    }}}}}}}}}
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

import LinearAlgebra

/// Ruiz equilibration of the problem data (Ruiz 2001; as used by OSQP and Clarabel).
///
/// Finds diagonal `D` (n), `E` (m) and a cost scale `c > 0` so that the scaled data
///
/// ```
/// P̂ = c·D P D,   q̂ = c·D q,   Â = E A D,   b̂ = E b
/// ```
/// has columns of `[P̂ Âᵀ; Â 0]` with infinity norms near 1. `E` is constant on every second-order
/// cone so the cone is unchanged. A solution `(x̂, ŝ, ẑ)` of the scaled problem maps back as
/// `x = D x̂`, `s = E⁻¹ ŝ`, `z = E ẑ / c`.
struct Equilibration {
  var d: [Double]
  var e: [Double]
  var c: Double = 1
  var dInverse: [Double]
  var eInverse: [Double]

  /// The identity scaling.
  init(n: Int, m: Int) {
    d = [Double](repeating: 1, count: n)
    e = [Double](repeating: 1, count: m)
    dInverse = d
    eInverse = e
  }

  /// Equilibrates `P` (upper triangle), `q`, `A`, `b` in place and returns the scaling used.
  static func equilibrate(
    P: inout SparseMatrixCSC, q: inout [Double], A: inout SparseMatrixCSC, b: inout [Double],
    uniformBlocks: [Range<Int>], settings: SolverSettings
  ) -> Equilibration {
    let n = q.count
    let m = b.count
    var scaling = Equilibration(n: n, m: m)
    guard settings.equilibrate else { return scaling }
    let lo = settings.equilibrationMinScaling
    let hi = settings.equilibrationMaxScaling
    var columnNorms = [Double](repeating: 0, count: n)
    var rowNorms = [Double](repeating: 0, count: m)
    var dStep = [Double](repeating: 1, count: n)
    var eStep = [Double](repeating: 1, count: m)

    func limited(_ norm: Double) -> Double {
      // A zero norm leaves that row/column alone.
      guard norm > 0 else { return 1 }
      return min(max(1 / norm.squareRoot(), lo), hi)
    }

    for _ in 0..<settings.equilibrationIterations {
      for j in 0..<n { columnNorms[j] = 0 }
      for i in 0..<m { rowNorms[i] = 0 }
      for j in 0..<n {
        for p in P.columnPointers[j]..<P.columnPointers[j + 1] {
          let v = abs(P.values[p])
          let i = P.rowIndices[p]
          columnNorms[j] = max(columnNorms[j], v)
          columnNorms[i] = max(columnNorms[i], v)
        }
        for p in A.columnPointers[j]..<A.columnPointers[j + 1] {
          let v = abs(A.values[p])
          columnNorms[j] = max(columnNorms[j], v)
          rowNorms[A.rowIndices[p]] = max(rowNorms[A.rowIndices[p]], v)
        }
      }
      var converged = true
      for j in 0..<n {
        dStep[j] = limited(columnNorms[j])
        if abs(columnNorms[j] - 1) > 1e-3 && columnNorms[j] > 0 { converged = false }
      }
      for i in 0..<m {
        eStep[i] = limited(rowNorms[i])
        if abs(rowNorms[i] - 1) > 1e-3 && rowNorms[i] > 0 { converged = false }
      }
      if converged { break }
      // Apply the step.
      for j in 0..<n {
        for p in P.columnPointers[j]..<P.columnPointers[j + 1] {
          P.values[p] *= dStep[P.rowIndices[p]] * dStep[j]
        }
        for p in A.columnPointers[j]..<A.columnPointers[j + 1] {
          A.values[p] *= eStep[A.rowIndices[p]] * dStep[j]
        }
        scaling.d[j] *= dStep[j]
      }
      for i in 0..<m { scaling.e[i] *= eStep[i] }
    }
    // A second-order cone needs one factor for all its rows: replace the block's factors by their
    // mean (after the elementwise passes, so that the passes themselves are unconstrained).
    if !uniformBlocks.isEmpty {
      for i in 0..<m { eStep[i] = 1 }
      for block in uniformBlocks where block.count > 1 {
        var mean = 0.0
        for i in block { mean += scaling.e[i] }
        mean /= Double(block.count)
        for i in block {
          eStep[i] = mean / scaling.e[i]
          scaling.e[i] = mean
        }
      }
      for p in 0..<A.nonzeroCount { A.values[p] *= eStep[A.rowIndices[p]] }
    }
    for j in 0..<n { q[j] *= scaling.d[j] }
    for i in 0..<m { b[i] *= scaling.e[i] }

    // Cost scaling: bring the larger of mean‖P̂ column‖∞ and ‖q̂‖∞ to 1.
    for j in 0..<n { columnNorms[j] = 0 }
    for j in 0..<n {
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] {
        let v = abs(P.values[p])
        columnNorms[j] = max(columnNorms[j], v)
        columnNorms[P.rowIndices[p]] = max(columnNorms[P.rowIndices[p]], v)
      }
    }
    let meanPNorm = n > 0 ? columnNorms.reduce(0, +) / Double(n) : 0
    let qNorm = q.reduce(0) { max($0, abs($1)) }
    let costNorm = max(meanPNorm, qNorm)
    if costNorm > 0 {
      scaling.c = min(max(1 / costNorm, lo), hi)
    }
    if scaling.c != 1 {
      for p in 0..<P.values.count { P.values[p] *= scaling.c }
      for j in 0..<n { q[j] *= scaling.c }
    }
    scaling.dInverse = scaling.d.map { 1 / $0 }
    scaling.eInverse = scaling.e.map { 1 / $0 }
    return scaling
  }
}

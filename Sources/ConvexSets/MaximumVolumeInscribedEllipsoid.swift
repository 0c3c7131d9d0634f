import Foundation
import LinearAlgebra

extension HPolyhedron {
  /// The ellipsoid of largest volume inside the polyhedron (its John ellipsoid, MVIE).
  ///
  /// With `E = {C u + d : ‖u‖ ≤ 1}`, `C` symmetric positive definite (Boyd & Vandenberghe, *Convex
  /// Optimization*, §8.4.2):
  ///
  /// ```
  /// maximize    log det C
  /// subject to  ‖C aᵢ‖₂ + aᵢᵀd ≤ bᵢ   (every row i)
  /// ```
  /// The conic solver has no positive-semidefinite or exponential cone, so this is solved by a
  /// dedicated primal barrier (path-following Newton) method on `(C, d)` with analytic gradient and
  /// Hessian, each row's constraint carried by the second-order-cone barrier
  /// `−log((bᵢ − aᵢᵀd)² − ‖C aᵢ‖²)`. It starts from the Chebyshev ball (coordinates are shifted to
  /// its centre and scaled by its radius) and stops when the barrier bound on the gap in `log det C`
  /// (`2m/t`) is below 1e-9, so the volume is within about 1e-9 relative of the optimum (the tests
  /// check 1e-8 against closed forms).
  ///
  /// The result is returned in `Hyperellipsoid` form: `A = C⁻¹`, `center = d`.
  ///
  /// - Throws: `ConvexSetError` (field `"A"`) when the polyhedron is empty, unbounded, or has empty
  ///   interior (Chebyshev radius ≤ 1e-7 · max(1, ‖centre‖∞), the LP's accuracy), or when the
  ///   Newton method fails.
  /// - Complexity: two LPs, then about 50–100 Newton steps, each O(m·N² + N³) with
  ///   `N = n(n+1)/2 + n` unknowns (`N = 65` for `n = 10`).
  public func maximumVolumeInscribedEllipsoid() throws(ConvexSetError) -> Hyperellipsoid {
    let n = ambientDimension
    let unit = unitRows()
    for i in unit.zeroRows where b[i] < 0 {
      throw ConvexSetError(field: "b[\(i)]", message: "is \(b[i]) on the zero row A[\(i)]: the polyhedron is empty")
    }
    guard let (center, radius) = chebyshevCenter() else {
      if isEmpty() {
        throw ConvexSetError(field: "A", message: "and b describe an empty polyhedron; it has no inscribed ellipsoid")
      }
      throw ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; its inscribed ellipsoids have unbounded volume")
    }
    if !recessionConeIsTrivial(unit.rows) {
      throw ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; its inscribed ellipsoids have unbounded volume")
    }
    // Coordinates y = (x − centre)/radius: rows âᵢᵀy ≤ (b̂ᵢ − âᵢᵀcentre)/radius, which is ≥ 1 up to
    // the LP's accuracy (about 1e-8 relative). A radius at that accuracy level, or right-hand sides
    // far below 1, mean the ball is noise: the interior is empty (numerically).
    let rows = unit.rows.map(\.a)
    let rhs = unit.rows.map { ($0.b - $0.a.dot(center)) / radius }
    if radius <= 1e-7 * max(1, center.normInf) || rhs.contains(where: { !($0 >= 0.75) }) {
      throw ConvexSetError(
        field: "A",
        message: "and b describe a polyhedron with empty interior (Chebyshev radius \(radius)); its inscribed ellipsoids are flat")
    }
    var solver = EllipsoidBarrierSolver(rows: rows, rhs: rhs, dimension: n)
    guard let (c, d) = solver.solve() else {
      throw ConvexSetError(
        field: "A", message: "maximum-volume inscribed ellipsoid: the Newton method failed (\(solver.failure ?? "unknown"))")
    }
    // Back to x: C_x = radius·C_y, d_x = centre + radius·d_y; A = C_x⁻¹.
    let cx = radius * c
    guard let inverse = try? cx.inverse() else {
      throw ConvexSetError(field: "A", message: "maximum-volume inscribed ellipsoid: the shape matrix came out singular")
    }
    var symmetric = inverse
    for i in 0..<n {
      for j in 0..<i {
        let v = 0.5 * (inverse[i, j] + inverse[j, i])
        symmetric[i, j] = v
        symmetric[j, i] = v
      }
    }
    var dx = center
    dx.axpy(radius, d)
    return try Hyperellipsoid(A: symmetric, center: dx)
  }
}

/// The barrier method behind `maximumVolumeInscribedEllipsoid()`, on rows of unit norm in
/// coordinates where the unit ball is (almost) inscribed.
///
/// Unknowns `z = (c, d)`: `c` holds the upper triangle of the symmetric `C` (`N_c = n(n+1)/2`
/// entries, pair `(k, l)` with `k ≤ l`), `d ∈ ℝⁿ`. For barrier weight `t` it minimizes
///
/// ```
/// F_t(C, d) = −t log det C − Σᵢ log(sᵢ² − ‖uᵢ‖²),   sᵢ = bᵢ − aᵢᵀd,  uᵢ = C aᵢ,  sᵢ > 0
/// ```
/// by damped Newton steps, then multiplies `t` by `growth`. Each row's barrier has parameter 2, so
/// a centred point is within `2m/t` of the optimal `log det C`. With `Dᵢ = sᵢ² − ‖uᵢ‖²`, `wᵢ = 2/Dᵢ`:
///
/// ```
/// ∇F   = −t ∇log det C + Σᵢ gᵢ,               gᵢ = (wᵢ Uᵢᵀuᵢ, wᵢ sᵢ aᵢ)
/// ∇²F  = t H_logdet + Σᵢ gᵢgᵢᵀ + [ Q  0 ; 0  −P ],  P = Σᵢ wᵢ aᵢaᵢᵀ,  Q(Δ₁, Δ₂) = tr(Δ₁Δ₂P)
/// H_logdet(Δ₁, Δ₂) = tr(C⁻¹Δ₁C⁻¹Δ₂)
/// ```
/// where `Uᵢ` is the Jacobian of `C aᵢ` with respect to `c`.
struct EllipsoidBarrierSolver {
  let n: Int
  let m: Int
  /// Rows `aᵢ`, row-major `m × n`.
  let a: [Double]
  let b: [Double]
  /// Pair `(k, l)`, `k ≤ l`, of each entry of `c`.
  let pairK: [Int]
  let pairL: [Int]
  var failure: String?

  /// Stopping bound on `2m/t`, the gap in `log det C`.
  let gapTolerance = 1e-9
  /// A centring ends when the squared Newton decrement `λ²` (about twice the distance to the
  /// centre in `F_t`) is below this.
  let centringTolerance = 1e-10
  /// Factor by which `t` grows between centrings.
  let growth = 8.0
  let maxNewtonStepsPerCentring = 100
  let maxTotalNewtonSteps = 2000

  init(rows: [[Double]], rhs: [Double], dimension: Int) {
    n = dimension
    m = rows.count
    var flat = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { flat[i * n + j] = rows[i][j] } }
    a = flat
    b = rhs
    var pk: [Int] = []
    var pl: [Int] = []
    for k in 0..<n {
      for l in k..<n {
        pk.append(k)
        pl.append(l)
      }
    }
    pairK = pk
    pairL = pl
  }

  var symmetricCount: Int { n * (n + 1) / 2 }
  var unknownCount: Int { symmetricCount + n }

  /// The matrix `C` held in `z`.
  func shape(_ z: [Double]) -> Matrix {
    var c = Matrix.zeros(rowCount: n, columnCount: n)
    for p in 0..<symmetricCount {
      c[pairK[p], pairL[p]] = z[p]
      c[pairL[p], pairK[p]] = z[p]
    }
    return c
  }

  /// `F_t(z)`, or `nil` outside the domain.
  func value(_ z: [Double], t: Double) -> Double? {
    guard let chol = try? CholeskyFactorization(shape(z)) else { return nil }
    var total = -t * chol.logDeterminant
    let nc = symmetricCount
    var u = [Double](repeating: 0, count: n)
    for i in 0..<m {
      let (s, uu) = rowSlack(z, i, &u, nc)
      guard s > 0 else { return nil }
      let d = s * s - uu
      guard d > 0 else { return nil }
      total -= log(d)
    }
    return total
  }

  /// `sᵢ = bᵢ − aᵢᵀd` and `‖C aᵢ‖²`, with `C aᵢ` written to `u`.
  @inline(__always)
  func rowSlack(_ z: [Double], _ i: Int, _ u: inout [Double], _ nc: Int) -> (Double, Double) {
    var s = b[i]
    for j in 0..<n { s -= a[i * n + j] * z[nc + j] }
    for r in 0..<n { u[r] = 0 }
    for p in 0..<nc {
      let k = pairK[p]
      let l = pairL[p]
      let v = z[p]
      u[k] += v * a[i * n + l]
      if k != l { u[l] += v * a[i * n + k] }
    }
    var uu = 0.0
    for r in 0..<n { uu += u[r] * u[r] }
    return (s, uu)
  }

  /// Gradient and Hessian of `F_t` at a point of the domain.
  func derivatives(_ z: [Double], t: Double) -> (gradient: [Double], hessian: Matrix)? {
    let nc = symmetricCount
    let N = unknownCount
    guard let chol = try? CholeskyFactorization(shape(z)) else { return nil }
    let S = chol.solve(Matrix.identity(n))  // C⁻¹
    var gradient = [Double](repeating: 0, count: N)
    var hessian = Matrix.zeros(rowCount: N, columnCount: N)
    // −t log det C.
    for p in 0..<nc {
      let k = pairK[p]
      let l = pairL[p]
      gradient[p] = k == l ? -t * S[k, k] : -2 * t * S[k, l]
    }
    // Rows: gᵢ into G (m × N), P = Σ wᵢ aᵢaᵢᵀ.
    var G = Matrix.zeros(rowCount: m, columnCount: N)
    var P = Matrix.zeros(rowCount: n, columnCount: n)
    var u = [Double](repeating: 0, count: n)
    for i in 0..<m {
      let (s, uu) = rowSlack(z, i, &u, nc)
      let D = s * s - uu
      guard s > 0, D > 0 else { return nil }
      let w = 2 / D
      for p in 0..<nc {
        let k = pairK[p]
        let l = pairL[p]
        let g = k == l ? w * u[k] * a[i * n + k] : w * (u[k] * a[i * n + l] + u[l] * a[i * n + k])
        G[i, p] = g
        gradient[p] += g
      }
      for j in 0..<n {
        let g = w * s * a[i * n + j]
        G[i, nc + j] = g
        gradient[nc + j] += g
        for r in 0..<n { P[r, j] += w * a[i * n + r] * a[i * n + j] }
      }
    }
    hessian = G.multiplied(by: G, transposingSelf: true)
    // t·tr(S Δ₁ S Δ₂) + tr(Δ₁ Δ₂ P) on the symmetric basis E_kl = e_k e_lᵀ (+ e_l e_kᵀ when k ≠ l):
    // the sum over (i, j) ∈ pairs(p), (r, s) ∈ pairs(q) of t·S_jr S_si + [j = r] P_si.
    @inline(__always) func term(_ i: Int, _ j: Int, _ r: Int, _ s: Int) -> Double {
      t * S[j, r] * S[s, i] + (j == r ? P[s, i] : 0)
    }
    for p in 0..<nc {
      let pk = pairK[p]
      let pl = pairL[p]
      for q in p..<nc {
        let qk = pairK[q]
        let ql = pairL[q]
        var v = term(pk, pl, qk, ql)
        if qk != ql { v += term(pk, pl, ql, qk) }
        if pk != pl {
          v += term(pl, pk, qk, ql)
          if qk != ql { v += term(pl, pk, ql, qk) }
        }
        hessian[p, q] += v
        if q != p { hessian[q, p] += v }
      }
    }
    for j in 0..<n {
      for r in 0..<n { hessian[nc + r, nc + j] -= P[r, j] }
    }
    return (gradient, hessian)
  }

  /// Runs the barrier method from `C = ½ I`, `d = 0`; returns `(C, d)` or `nil` (see `failure`).
  ///
  /// `F_t` is self-concordant (a sum of self-concordant barriers, the log-det one scaled by
  /// `t ≥ 1`), which fixes the step rules: while the Newton decrement `λ` exceeds ¼, a backtracking
  /// line search with the Armijo test (falling back to the damped step `1/(1 + λ)`, which always
  /// stays in the domain and decreases `F_t`); below ¼, full Newton steps, which converge
  /// quadratically. The Armijo test is not used near the centre, where differences of `F_t` drown
  /// in its rounding (`F_t` grows like `t`). A centring ends when `λ² ≤ centringTolerance`, or when
  /// `λ²` stops shrinking below 1e-4 (the rounding floor of the gradient at large `t`).
  mutating func solve() -> (Matrix, [Double])? {
    let nc = symmetricCount
    let N = unknownCount
    var z = [Double](repeating: 0, count: N)
    for p in 0..<nc where pairK[p] == pairL[p] { z[p] = 0.5 }
    guard value(z, t: 1) != nil else {
      failure = "the starting point C = ½I, d = 0 is not strictly feasible"
      return nil
    }
    var t = 1.0
    var totalSteps = 0
    let barrierParameter = 2 * Double(m)
    while true {
      var centred = false
      var previousDecrement = Double.infinity
      for _ in 0..<maxNewtonStepsPerCentring {
        totalSteps += 1
        if totalSteps > maxTotalNewtonSteps { break }
        guard let (gradient, hessian) = derivatives(z, t: t), let step = newtonStep(gradient, hessian) else {
          failure = "the Newton system could not be solved at t = \(t)"
          return nil
        }
        let decrement = max(0, -gradient.dot(step))  // λ²
        if decrement <= centringTolerance || (decrement <= 1e-4 && decrement > 0.25 * previousDecrement) {
          centred = true
          break
        }
        previousDecrement = decrement
        let lambda = decrement.squareRoot()
        if lambda > 0.25 {
          guard let current = value(z, t: t) else { return nil }
          var alpha = 1.0
          var moved = false
          while alpha >= 1e-3 {
            var trial = z
            trial.axpy(alpha, step)
            if let v = value(trial, t: t), v <= current - 0.25 * alpha * decrement {
              z = trial
              moved = true
              break
            }
            alpha *= 0.5
          }
          if !moved { z.axpy(1 / (1 + lambda), step) }
        } else {
          var alpha = 1.0
          var trial = z
          trial.axpy(alpha, step)
          while value(trial, t: t) == nil && alpha > 1e-12 {
            // Theory says the full step stays inside; rounding may disagree at the boundary.
            alpha *= 0.5
            trial = z
            trial.axpy(alpha, step)
          }
          z = trial
        }
      }
      if !centred {
        failure = "no convergence in \(maxNewtonStepsPerCentring) Newton steps at t = \(t) (\(totalSteps) in all)"
        return nil
      }
      if barrierParameter / t <= gapTolerance * (1 + 1e-12) { break }
      t = min(t * growth, barrierParameter / gapTolerance)
    }
    var d = [Double](repeating: 0, count: n)
    for j in 0..<n { d[j] = z[nc + j] }
    return (shape(z), d)
  }

  /// Solves `H step = −g` by Cholesky, adding a small diagonal shift when `H` is numerically
  /// indefinite.
  func newtonStep(_ gradient: [Double], _ hessian: Matrix) -> [Double]? {
    let N = gradient.count
    let negative = gradient.map { -$0 }
    var largest = 0.0
    for k in 0..<N { largest = max(largest, abs(hessian[k, k])) }
    var shift = 0.0
    for _ in 0..<8 {
      var h = hessian
      if shift > 0 { for k in 0..<N { h[k, k] += shift } }
      if let chol = try? CholeskyFactorization(h) { return chol.solve(negative) }
      shift = shift == 0 ? 1e-14 * max(largest, 1) : shift * 100
    }
    return nil
  }
}

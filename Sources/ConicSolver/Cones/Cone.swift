/// The operations the interior-point core needs from a cone of the product `K = K₁ × K₂ × …`.
///
/// Every method works on *full-length* vectors (length `m`, one entry per constraint row) given by
/// base pointers; a cone reads and writes only its own rows `offset ..< offset + dimension`. Cones
/// keep their Nesterov–Todd scaling `W` (symmetric, `W⁻ᵀs = Wz = λ`) internally.
///
/// To add a cone kind (exponential, PSD): write a type conforming to this protocol, give
/// `ConeProduct` an array of it, and teach `KKTSystem` its block of `−WᵀW` — the iteration itself
/// does not change.
protocol InteriorPointCone {
  /// First row of the cone.
  var offset: Int { get }
  /// Number of rows.
  var dimension: Int { get }
  /// Barrier degree (contribution to `ν` in `μ = (sᵀz + τκ)/(ν + 1)`).
  var degree: Int { get }

  /// Largest `α ≥ 0` with `v + α·dv` in the cone (`.infinity` when unbounded). `v` is interior.
  func stepLength(_ v: UnsafePointer<Double>, _ dv: UnsafePointer<Double>) -> Double
  /// How far inside the cone `v` is: the least eigenvalue `minimum` (largest `t` with `v − t·e` in
  /// the cone; negative outside) and the sum of the positive parts of the eigenvalues that bound
  /// the cone (`positive`). Used to shift the starting point inside, all cones together.
  func margins(_ v: UnsafePointer<Double>) -> (minimum: Double, positive: Double)
  /// Sets `W = I` (used to compute the starting point).
  mutating func setIdentityScaling()
  /// Computes the NT scaling at `(s, z)` and writes `λ = Wz`. Returns false when `s` or `z` is not
  /// strictly inside the cone.
  mutating func updateScaling(
    s: UnsafePointer<Double>, z: UnsafePointer<Double>, lambda: UnsafeMutablePointer<Double>
  ) -> Bool
  /// `out = W·v`.
  func multiplyW(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>)
  /// `out = W⁻¹·v` (`W` is symmetric, so this is also `W⁻ᵀ·v`).
  func multiplyWInverse(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>)
  /// `out = WᵀW·v`.
  func multiplyH(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>)
  /// `out = a ∘ b`, the Jordan product of the cone's algebra.
  func jordanProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>)
  /// `out` solving `λ ∘ out = d` (the Jordan "division" by an interior `λ`).
  func jordanDivide(_ lambda: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>)
  /// `v += α·e`, `e` the identity element of the cone's algebra.
  func addIdentity(_ v: UnsafeMutablePointer<Double>, _ alpha: Double)
}

/// `{0}^d`: equality rows. `s` stays 0, `z` is free; it adds nothing to the barrier.
struct ZeroCone: InteriorPointCone {
  let offset: Int
  let dimension: Int
  var degree: Int { 0 }

  func stepLength(_ v: UnsafePointer<Double>, _ dv: UnsafePointer<Double>) -> Double { .infinity }
  func margins(_ v: UnsafePointer<Double>) -> (minimum: Double, positive: Double) { (.infinity, 0) }
  mutating func setIdentityScaling() {}
  mutating func updateScaling(
    s: UnsafePointer<Double>, z: UnsafePointer<Double>, lambda: UnsafeMutablePointer<Double>
  ) -> Bool {
    for i in offset..<offset + dimension { lambda[i] = 0 }
    return true
  }
  func multiplyW(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = 0 }
  }
  func multiplyWInverse(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = 0 }
  }
  func multiplyH(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = 0 }
  }
  func jordanProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = 0 }
  }
  func jordanDivide(_ lambda: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = 0 }
  }
  func addIdentity(_ v: UnsafeMutablePointer<Double>, _ alpha: Double) {}
}

/// The nonnegative orthant `ℝ^d_+`, with the diagonal NT scaling `W = diag(√(s/z))`, `λ = √(s∘z)`.
struct NonnegativeCone: InteriorPointCone {
  let offset: Int
  let dimension: Int
  /// `w_i = √(s_i/z_i)` for the rows of this cone (indexed from 0).
  var w: [Double]

  init(offset: Int, dimension: Int) {
    self.offset = offset
    self.dimension = dimension
    w = [Double](repeating: 1, count: dimension)
  }

  var degree: Int { dimension }

  func stepLength(_ v: UnsafePointer<Double>, _ dv: UnsafePointer<Double>) -> Double {
    var alpha = Double.infinity
    for i in offset..<offset + dimension where dv[i] < 0 {
      alpha = min(alpha, -v[i] / dv[i])
    }
    return alpha
  }

  func margins(_ v: UnsafePointer<Double>) -> (minimum: Double, positive: Double) {
    var minimum = Double.infinity
    var positive = 0.0
    for i in offset..<offset + dimension {
      minimum = min(minimum, v[i])
      positive += max(v[i], 0)
    }
    return (minimum, positive)
  }

  mutating func setIdentityScaling() {
    for i in 0..<dimension { w[i] = 1 }
  }

  mutating func updateScaling(
    s: UnsafePointer<Double>, z: UnsafePointer<Double>, lambda: UnsafeMutablePointer<Double>
  ) -> Bool {
    var ok = true
    w.withUnsafeMutableBufferPointer { w in
      for k in 0..<dimension {
        let si = s[offset + k]
        let zi = z[offset + k]
        if !(si > 0 && zi > 0) { ok = false }
        w[k] = (si / zi).squareRoot()
        lambda[offset + k] = (si * zi).squareRoot()
      }
    }
    return ok
  }

  func multiplyW(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    w.withUnsafeBufferPointer { w in
      for k in 0..<dimension { out[offset + k] = w[k] * v[offset + k] }
    }
  }
  func multiplyWInverse(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    w.withUnsafeBufferPointer { w in
      for k in 0..<dimension { out[offset + k] = v[offset + k] / w[k] }
    }
  }
  func multiplyH(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    w.withUnsafeBufferPointer { w in
      for k in 0..<dimension { out[offset + k] = w[k] * w[k] * v[offset + k] }
    }
  }
  func jordanProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = a[i] * b[i] }
  }
  func jordanDivide(_ lambda: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for i in offset..<offset + dimension { out[i] = d[i] / lambda[i] }
  }
  func addIdentity(_ v: UnsafeMutablePointer<Double>, _ alpha: Double) {
    for i in offset..<offset + dimension { v[i] += alpha }
  }
}

/// The second-order cone `{(t, u) : ‖u‖₂ ≤ t}` with Nesterov–Todd scaling.
///
/// With `J = diag(1, −I)`, normalized points `s̄ = s/√(sᵀJs)`, `z̄ = z/√(zᵀJz)`,
/// `γ = √((1 + s̄ᵀz̄)/2)` and `w̄ = (s̄ + Jz̄)/(2γ)` (so `w̄ᵀJw̄ = 1`):
///
/// ```
/// W   = η [ w̄₀   w̄₁ᵀ                   ]      η = (sᵀJs / zᵀJz)^¼
///         [ w̄₁   I + w̄₁w̄₁ᵀ/(1 + w̄₀)     ]
/// W⁻¹ = (1/η) J W̄ J,      WᵀW = η² (2w̄w̄ᵀ − J)
/// ```
/// (Nesterov & Todd 1997; the formulas as in Vandenberghe's CVXOPT notes and ECOS.)
struct SecondOrderCone: InteriorPointCone {
  let offset: Int
  let dimension: Int
  /// `η` of the current scaling.
  var eta: Double = 1
  /// `w̄` of the current scaling (length `dimension`).
  var wbar: [Double]

  init(offset: Int, dimension: Int) {
    self.offset = offset
    self.dimension = dimension
    wbar = [Double](repeating: 0, count: dimension)
    wbar[0] = 1
  }

  var degree: Int { 1 }

  /// `(t − ‖u‖)(t + ‖u‖)` of the block starting at `v`, and `‖u‖`.
  @inline(__always)
  private func jNorm(_ v: UnsafePointer<Double>) -> (value: Double, tail: Double) {
    var sq = 0.0
    for i in 1..<dimension { sq += v[i] * v[i] }
    let tail = sq.squareRoot()
    return ((v[0] - tail) * (v[0] + tail), tail)
  }

  func stepLength(_ vFull: UnsafePointer<Double>, _ dvFull: UnsafePointer<Double>) -> Double {
    let v = vFull + offset
    let dv = dvFull + offset
    // f(α) = (v₀ + α dv₀)² − ‖v₁ + α dv₁‖² = a α² + 2b α + c, c > 0 for interior v.
    var a = dv[0] * dv[0]
    var b = v[0] * dv[0]
    var c = v[0] * v[0]
    for i in 1..<dimension {
      a -= dv[i] * dv[i]
      b -= v[i] * dv[i]
      c -= v[i] * v[i]
    }
    if c <= 0 { return 0 }
    // Also keep the first coordinate positive (the cone, not its negative).
    var limit = Double.infinity
    if dv[0] < 0 { limit = -v[0] / dv[0] }
    let root: Double
    if a == 0 {
      root = b < 0 ? -c / (2 * b) : .infinity
    } else {
      let disc = b * b - a * c
      if disc < 0 {
        root = .infinity  // f keeps the sign of c > 0 only when a > 0; for a < 0 disc ≥ 0.
      } else {
        let sq = disc.squareRoot()
        // Roots of a α² + 2b α + c: (−b ± √disc)/a, computed stably.
        let qv = -(b + (b >= 0 ? sq : -sq))
        let r1 = qv / a
        let r2 = qv != 0 ? c / qv : .infinity
        var best = Double.infinity
        if r1 > 0 { best = min(best, r1) }
        if r2 > 0 { best = min(best, r2) }
        root = best
      }
    }
    return min(root, limit)
  }

  func margins(_ vFull: UnsafePointer<Double>) -> (minimum: Double, positive: Double) {
    let v = vFull + offset
    var sq = 0.0
    for i in 1..<dimension { sq += v[i] * v[i] }
    let minimum = v[0] - sq.squareRoot()
    return (minimum, max(minimum, 0))
  }

  mutating func setIdentityScaling() {
    eta = 1
    for i in 0..<dimension { wbar[i] = 0 }
    wbar[0] = 1
  }

  mutating func updateScaling(
    s sFull: UnsafePointer<Double>, z zFull: UnsafePointer<Double>, lambda: UnsafeMutablePointer<Double>
  ) -> Bool {
    let s = sFull + offset
    let z = zFull + offset
    let (sJs, sTail) = jNorm(s)
    let (zJz, zTail) = jNorm(z)
    guard s[0] > sTail, z[0] > zTail, sJs > 0, zJz > 0 else { return false }
    let sScale = 1 / sJs.squareRoot()
    let zScale = 1 / zJz.squareRoot()
    var dot = 0.0
    for i in 0..<dimension { dot += s[i] * z[i] }
    let normalizedDot = dot * sScale * zScale  // s̄ᵀz̄ ≥ 1
    let gamma = ((1 + normalizedDot) / 2).squareRoot()
    let inv2g = 1 / (2 * gamma)
    eta = (sJs / zJz).squareRoot().squareRoot()
    let d = dimension
    wbar.withUnsafeMutableBufferPointer { w in
      w[0] = (s[0] * sScale + z[0] * zScale) * inv2g
      for i in 1..<d { w[i] = (s[i] * sScale - z[i] * zScale) * inv2g }
    }
    multiplyW(zFull, lambda)
    return true
  }

  func multiplyW(_ vFull: UnsafePointer<Double>, _ outFull: UnsafeMutablePointer<Double>) {
    let v = vFull + offset
    let out = outFull + offset
    wbar.withUnsafeBufferPointer { w in
      var w1v1 = 0.0
      for i in 1..<dimension { w1v1 += w[i] * v[i] }
      let v0 = v[0]
      let first = w[0] * v0 + w1v1
      let coefficient = v0 + w1v1 / (1 + w[0])
      out[0] = eta * first
      for i in 1..<dimension { out[i] = eta * (v[i] + coefficient * w[i]) }
    }
  }

  func multiplyWInverse(_ vFull: UnsafePointer<Double>, _ outFull: UnsafeMutablePointer<Double>) {
    let v = vFull + offset
    let out = outFull + offset
    wbar.withUnsafeBufferPointer { w in
      var w1v1 = 0.0
      for i in 1..<dimension { w1v1 += w[i] * v[i] }
      let v0 = v[0]
      let first = w[0] * v0 - w1v1
      let coefficient = -v0 + w1v1 / (1 + w[0])
      let inv = 1 / eta
      out[0] = inv * first
      for i in 1..<dimension { out[i] = inv * (v[i] + coefficient * w[i]) }
    }
  }

  func multiplyH(_ vFull: UnsafePointer<Double>, _ outFull: UnsafeMutablePointer<Double>) {
    let v = vFull + offset
    let out = outFull + offset
    wbar.withUnsafeBufferPointer { w in
      var wv = 0.0
      for i in 0..<dimension { wv += w[i] * v[i] }
      let e2 = eta * eta
      out[0] = e2 * (2 * w[0] * wv - v[0])
      for i in 1..<dimension { out[i] = e2 * (2 * w[i] * wv + v[i]) }
    }
  }

  func jordanProduct(_ aFull: UnsafePointer<Double>, _ bFull: UnsafePointer<Double>, _ outFull: UnsafeMutablePointer<Double>) {
    let a = aFull + offset
    let b = bFull + offset
    let out = outFull + offset
    var dot = 0.0
    for i in 0..<dimension { dot += a[i] * b[i] }
    let a0 = a[0]
    let b0 = b[0]
    for i in 1..<dimension { out[i] = a0 * b[i] + b0 * a[i] }
    out[0] = dot
  }

  func jordanDivide(_ lFull: UnsafePointer<Double>, _ dFull: UnsafePointer<Double>, _ outFull: UnsafeMutablePointer<Double>) {
    let l = lFull + offset
    let d = dFull + offset
    let out = outFull + offset
    var tail = 0.0
    var l1d1 = 0.0
    for i in 1..<dimension {
      tail += l[i] * l[i]
      l1d1 += l[i] * d[i]
    }
    let l0 = l[0]
    let det = (l0 - tail.squareRoot()) * (l0 + tail.squareRoot())
    let y0 = (l0 * d[0] - l1d1) / det
    out[0] = y0
    for i in 1..<dimension { out[i] = (d[i] - y0 * l[i]) / l0 }
  }

  func addIdentity(_ v: UnsafeMutablePointer<Double>, _ alpha: Double) {
    v[offset] += alpha
  }
}

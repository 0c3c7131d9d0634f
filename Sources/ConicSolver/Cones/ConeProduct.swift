/// The product cone `K = K₁ × K₂ × …` the solver works with: one array per cone kind, so every
/// call dispatches statically. Adjacent zero and nonnegative descriptors are merged.
struct ConeProduct {
  var zeros: [ZeroCone] = []
  var nonnegatives: [NonnegativeCone] = []
  var secondOrders: [SecondOrderCone] = []
  /// Total number of rows.
  let dimension: Int
  /// Barrier degree `ν`.
  let degree: Int

  init(_ specs: [ConeSpec]) {
    var offset = 0
    var zeros: [ZeroCone] = []
    var nonnegatives: [NonnegativeCone] = []
    var secondOrders: [SecondOrderCone] = []
    var degree = 0
    for spec in specs {
      switch spec {
      case .zero(let d):
        guard d > 0 else { continue }
        if let last = zeros.last, last.offset + last.dimension == offset {
          zeros[zeros.count - 1] = ZeroCone(offset: last.offset, dimension: last.dimension + d)
        } else {
          zeros.append(ZeroCone(offset: offset, dimension: d))
        }
      case .nonnegative(let d):
        guard d > 0 else { continue }
        if let last = nonnegatives.last, last.offset + last.dimension == offset {
          nonnegatives[nonnegatives.count - 1] = NonnegativeCone(offset: last.offset, dimension: last.dimension + d)
        } else {
          nonnegatives.append(NonnegativeCone(offset: offset, dimension: d))
        }
        degree += d
      case .secondOrder(let d):
        secondOrders.append(SecondOrderCone(offset: offset, dimension: d))
        degree += 1
      }
      offset += spec.dimension
    }
    self.zeros = zeros
    self.nonnegatives = nonnegatives
    self.secondOrders = secondOrders
    self.dimension = offset
    self.degree = degree
  }

  /// Row ranges that must share one equilibration factor (second-order cones).
  var uniformScalingBlocks: [Range<Int>] {
    secondOrders.map { $0.offset..<$0.offset + $0.dimension }
  }

  func stepLength(_ v: UnsafePointer<Double>, _ dv: UnsafePointer<Double>) -> Double {
    var alpha = Double.infinity
    for c in nonnegatives { alpha = min(alpha, c.stepLength(v, dv)) }
    for c in secondOrders { alpha = min(alpha, c.stepLength(v, dv)) }
    return alpha
  }

  /// Moves `v` inside `K` (`isPrimal`: `v` is the slack `s`, whose zero-cone rows are set to 0;
  /// otherwise `z`, whose zero-cone rows are free).
  ///
  /// All cones move by the same multiple of their identity `e`, up to a common margin
  /// `max(1, 0.1·Σ positive margins)`, so the starting point is equally central in every cone
  /// (the rule of Clarabel's symmetric initialization).
  func shiftIntoInterior(_ v: UnsafeMutablePointer<Double>, isPrimal: Bool) {
    if isPrimal {
      for c in zeros { for i in c.offset..<c.offset + c.dimension { v[i] = 0 } }
    }
    var minimum = Double.infinity
    var positive = 0.0
    for c in nonnegatives where c.dimension > 0 {
      let (lo, pos) = c.margins(v)
      minimum = min(minimum, lo)
      positive += pos
    }
    for c in secondOrders {
      let (lo, pos) = c.margins(v)
      minimum = min(minimum, lo)
      positive += pos
    }
    guard minimum.isFinite else { return }
    let target = max(1, 0.1 * positive)
    if minimum <= 0 {
      // Two stages, so that a large shift does not cancel v exactly.
      addIdentity(v, -minimum)
      addIdentity(v, target)
    } else if minimum < target {
      addIdentity(v, target - minimum)
    }
  }

  mutating func setIdentityScaling() {
    for k in nonnegatives.indices { nonnegatives[k].setIdentityScaling() }
    for k in secondOrders.indices { secondOrders[k].setIdentityScaling() }
  }

  mutating func updateScaling(
    s: UnsafePointer<Double>, z: UnsafePointer<Double>, lambda: UnsafeMutablePointer<Double>
  ) -> Bool {
    var ok = true
    for k in zeros.indices { ok = zeros[k].updateScaling(s: s, z: z, lambda: lambda) && ok }
    for k in nonnegatives.indices { ok = nonnegatives[k].updateScaling(s: s, z: z, lambda: lambda) && ok }
    for k in secondOrders.indices { ok = secondOrders[k].updateScaling(s: s, z: z, lambda: lambda) && ok }
    return ok
  }

  func multiplyW(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for c in zeros { c.multiplyW(v, out) }
    for c in nonnegatives { c.multiplyW(v, out) }
    for c in secondOrders { c.multiplyW(v, out) }
  }

  func multiplyWInverse(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for c in zeros { c.multiplyWInverse(v, out) }
    for c in nonnegatives { c.multiplyWInverse(v, out) }
    for c in secondOrders { c.multiplyWInverse(v, out) }
  }

  func multiplyH(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for c in zeros { c.multiplyH(v, out) }
    for c in nonnegatives { c.multiplyH(v, out) }
    for c in secondOrders { c.multiplyH(v, out) }
  }

  func jordanProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for c in zeros { c.jordanProduct(a, b, out) }
    for c in nonnegatives { c.jordanProduct(a, b, out) }
    for c in secondOrders { c.jordanProduct(a, b, out) }
  }

  func jordanDivide(_ lambda: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
    for c in zeros { c.jordanDivide(lambda, d, out) }
    for c in nonnegatives { c.jordanDivide(lambda, d, out) }
    for c in secondOrders { c.jordanDivide(lambda, d, out) }
  }

  func addIdentity(_ v: UnsafeMutablePointer<Double>, _ alpha: Double) {
    for c in nonnegatives { c.addIdentity(v, alpha) }
    for c in secondOrders { c.addIdentity(v, alpha) }
  }
}

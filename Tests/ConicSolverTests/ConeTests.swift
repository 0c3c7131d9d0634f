import LinearAlgebra
import Testing

@testable import ConicSolver

/// The shared SplitMix64 generator (LinearAlgebra's `SeededGenerator`), under this file's old name.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
  /// Uniform in [-1, 1).
  mutating func symmetricUnit() -> Double { Double.random(in: -1..<1, using: &self) }
  /// Uniform in [a, b).
  mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a..<b, using: &self) }
}

/// One cone kind and dimension, for the conformance suite.
enum ConeCase: CustomStringConvertible, Sendable, CaseIterable {
  case zero(Int), nonnegative(Int), secondOrder(Int)

  static let allCases: [ConeCase] = [
    .zero(3), .nonnegative(1), .nonnegative(6),
    .secondOrder(1), .secondOrder(2), .secondOrder(3), .secondOrder(5), .secondOrder(10),
  ]

  var description: String {
    switch self {
    case .zero(let d): return "zero(\(d))"
    case .nonnegative(let d): return "nonnegative(\(d))"
    case .secondOrder(let d): return "secondOrder(\(d))"
    }
  }

  var dimension: Int {
    switch self {
    case .zero(let d), .nonnegative(let d), .secondOrder(let d): return d
    }
  }

  var isZero: Bool { if case .zero = self { return true } else { return false } }
  var isNonnegative: Bool { if case .nonnegative = self { return true } else { return false } }

  func make(offset: Int) -> any InteriorPointCone {
    switch self {
    case .zero(let d): return ZeroCone(offset: offset, dimension: d)
    case .nonnegative(let d): return NonnegativeCone(offset: offset, dimension: d)
    case .secondOrder(let d): return SecondOrderCone(offset: offset, dimension: d)
    }
  }

  /// A random point strictly inside the cone (for the zero cone: 0 as primal, anything as dual).
  func interiorPoint(_ rng: inout SplitMix64, primal: Bool = true) -> [Double] {
    switch self {
    case .zero(let d):
      return primal ? [Double](repeating: 0, count: d) : (0..<d).map { _ in rng.symmetricUnit() }
    case .nonnegative(let d):
      return (0..<d).map { _ in rng.uniform(0.1, 2) }
    case .secondOrder(let d):
      let u = (1..<max(d, 1)).map { _ in rng.symmetricUnit() }
      return [euclideanNorm(u) + rng.uniform(0.1, 1)] + u
    }
  }

  /// `min` over the cone's "eigenvalues": `minᵢ vᵢ` (orthant), `t − ‖u‖` (second-order); `> 0` inside.
  func margin(_ v: [Double]) -> Double {
    switch self {
    case .zero: return 0
    case .nonnegative: return v.min() ?? .infinity
    case .secondOrder: return v[0] - euclideanNorm(Array(v.dropFirst()))
    }
  }
}

func euclideanNorm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
func innerProduct(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count)
  return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Runs cone methods on a cone placed at `offset = 2` inside vectors with 2 padding rows on each
/// side. Inputs are padded with NaN (a cone that reads outside its rows produces NaN), outputs with
/// a sentinel (a cone that writes outside its rows is caught).
struct PaddedCone {
  static let pad = 2
  static let sentinel = -12345.0
  var cone: any InteriorPointCone
  let dimension: Int

  init(_ c: ConeCase) {
    cone = c.make(offset: Self.pad)
    dimension = c.dimension
  }

  func padded(_ v: [Double]) -> [Double] {
    [Double](repeating: .nan, count: Self.pad) + v + [Double](repeating: .nan, count: Self.pad)
  }

  /// Calls `body(inputs…, out)` on padded copies and returns the cone's rows of `out`.
  func apply(_ inputs: [[Double]], _ body: ([UnsafePointer<Double>], UnsafeMutablePointer<Double>) -> Void) -> [Double] {
    let ins = inputs.map(padded)
    var out = [Double](repeating: Self.sentinel, count: dimension + 2 * Self.pad)
    // Copy inputs into one buffer so every pointer stays valid through `body`.
    let storage = ins.flatMap { $0 }
    let width = dimension + 2 * Self.pad
    storage.withUnsafeBufferPointer { sp in
      out.withUnsafeMutableBufferPointer { op in
        let pointers = (0..<ins.count).map { sp.baseAddress! + $0 * width }
        body(pointers, op.baseAddress!)
      }
    }
    for k in 0..<Self.pad {
      #expect(out[k] == Self.sentinel && out[width - 1 - k] == Self.sentinel, "wrote outside its rows")
    }
    return Array(out[Self.pad..<(Self.pad + dimension)])
  }

  func multiplyW(_ v: [Double]) -> [Double] { apply([v]) { cone.multiplyW($0[0], $1) } }
  func multiplyWInverse(_ v: [Double]) -> [Double] { apply([v]) { cone.multiplyWInverse($0[0], $1) } }
  func multiplyH(_ v: [Double]) -> [Double] { apply([v]) { cone.multiplyH($0[0], $1) } }
  func jordanProduct(_ a: [Double], _ b: [Double]) -> [Double] { apply([a, b]) { cone.jordanProduct($0[0], $0[1], $1) } }
  func jordanDivide(_ l: [Double], _ d: [Double]) -> [Double] { apply([l, d]) { cone.jordanDivide($0[0], $0[1], $1) } }

  /// Scales at `(s, z)`, returns whether it succeeded and `λ`.
  mutating func updateScaling(s: [Double], z: [Double]) -> (Bool, [Double]) {
    var ok = false
    var c = cone
    let lambda = apply([s, z]) { ok = c.updateScaling(s: $0[0], z: $0[1], lambda: $1) }
    cone = c
    return (ok, lambda)
  }

  func stepLength(_ v: [Double], _ dv: [Double]) -> Double {
    let pv = padded(v)
    let pdv = padded(dv)
    return pv.withUnsafeBufferPointer { a in pdv.withUnsafeBufferPointer { b in cone.stepLength(a.baseAddress!, b.baseAddress!) } }
  }

  func margins(_ v: [Double]) -> (minimum: Double, positive: Double) {
    let pv = padded(v)
    return pv.withUnsafeBufferPointer { cone.margins($0.baseAddress!) }
  }

  func addIdentity(_ v: [Double], _ alpha: Double) -> [Double] {
    var pv = [Double](repeating: Self.sentinel, count: Self.pad) + v + [Double](repeating: Self.sentinel, count: Self.pad)
    pv.withUnsafeMutableBufferPointer { cone.addIdentity($0.baseAddress!, alpha) }
    return Array(pv[Self.pad..<(Self.pad + dimension)])
  }
}

/// Conformance suite for every `InteriorPointCone`. Points are O(1) with margins ≥ 0.1, so the
/// scaling `W` has condition number ≲ 10³ and identities hold to ~1e-12; the tolerances below
/// (1e-10 relative to the data's scale) leave two orders of magnitude for that.
@Suite struct ConeTests {
  static let trials = 20
  static let tolerance = 1e-10

  @Test(arguments: ConeCase.allCases)
  func scalingMapsZAndSToLambda(_ c: ConeCase) {
    var rng = SplitMix64(seed: 1000 + UInt64(c.dimension))
    var cone = PaddedCone(c)
    for _ in 0..<Self.trials {
      let s = c.interiorPoint(&rng)
      let z = c.interiorPoint(&rng, primal: false)
      let (ok, lambda) = cone.updateScaling(s: s, z: z)
      #expect(ok)
      if c.isZero {
        #expect(lambda.allSatisfy { $0 == 0 })
        continue
      }
      let scale = 1 + euclideanNorm(s) + euclideanNorm(z)
      #expect(maxAbsDifference(cone.multiplyW(z), lambda) <= Self.tolerance * scale)
      #expect(maxAbsDifference(cone.multiplyWInverse(s), lambda) <= Self.tolerance * scale)
      // λᵀλ = (Wz)ᵀ(W⁻¹s) = zᵀs since W is symmetric.
      #expect(abs(innerProduct(lambda, lambda) - innerProduct(s, z)) <= Self.tolerance * scale * scale)
      // λ ∘ λ has first ("trace") entry λᵀλ for the second-order cone, entries λᵢ² for the orthant.
      let square = cone.jordanProduct(lambda, lambda)
      if case .nonnegative = c {
        #expect(maxAbsDifference(square, lambda.map { $0 * $0 }) <= Self.tolerance * scale * scale)
      } else {
        #expect(abs(square[0] - innerProduct(s, z)) <= Self.tolerance * scale * scale)
      }
      // λ is strictly inside the cone: the geometric mean of two interior points.
      #expect(c.margin(lambda) > 0)
    }
  }

  @Test(arguments: ConeCase.allCases)
  func hIsWTimesWAndWInverseUndoesW(_ c: ConeCase) {
    var rng = SplitMix64(seed: 2000 + UInt64(c.dimension))
    var cone = PaddedCone(c)
    for trial in 0..<Self.trials {
      if trial > 0 {  // trial 0 checks the identity scaling
        _ = cone.updateScaling(s: c.interiorPoint(&rng), z: c.interiorPoint(&rng, primal: false))
      } else {
        cone.cone.setIdentityScaling()
      }
      let v = (0..<c.dimension).map { _ in rng.symmetricUnit() }
      let wv = cone.multiplyW(v)
      let wwv = cone.multiplyW(wv)
      let hv = cone.multiplyH(v)
      let scale = 1 + euclideanNorm(wwv)
      #expect(maxAbsDifference(hv, wwv) <= Self.tolerance * scale)
      if c.isZero {
        #expect(hv.allSatisfy { $0 == 0 } && wv.allSatisfy { $0 == 0 })
        continue
      }
      #expect(maxAbsDifference(cone.multiplyWInverse(wv), v) <= Self.tolerance * (1 + euclideanNorm(wv)) * 1e2)
      #expect(maxAbsDifference(cone.multiplyW(cone.multiplyWInverse(v)), v) <= Self.tolerance * 1e2)
      if trial == 0 {
        #expect(maxAbsDifference(wv, v) == 0, "identity scaling")
      }
    }
  }

  @Test(arguments: ConeCase.allCases)
  func jordanDivideInvertsJordanProduct(_ c: ConeCase) {
    var rng = SplitMix64(seed: 3000 + UInt64(c.dimension))
    let cone = PaddedCone(c)
    for _ in 0..<Self.trials {
      let lambda = c.interiorPoint(&rng)
      let d = (0..<c.dimension).map { _ in rng.symmetricUnit() }
      let y = cone.jordanDivide(lambda, d)
      let back = cone.jordanProduct(lambda, y)
      if c.isZero {
        #expect(back.allSatisfy { $0 == 0 })
        continue
      }
      // The Jordan product by λ has condition number ≤ (λ₀ + ‖λ₁‖)/(λ₀ − ‖λ₁‖) ≲ 50 for these points.
      #expect(maxAbsDifference(back, d) <= Self.tolerance * (1 + euclideanNorm(y)))
      // The identity element e: e ∘ d = d, and addIdentity adds α·e.
      let e = cone.addIdentity([Double](repeating: 0, count: c.dimension), 1)
      #expect(maxAbsDifference(cone.jordanProduct(e, d), d) <= 1e-15)
      #expect(cone.jordanProduct(e, e) == e)
    }
  }

  @Test(arguments: ConeCase.allCases)
  func stepLengthStopsOnTheBoundary(_ c: ConeCase) {
    var rng = SplitMix64(seed: 4000 + UInt64(c.dimension))
    let cone = PaddedCone(c)
    var finiteCount = 0
    for _ in 0..<(5 * Self.trials) {
      let v = c.interiorPoint(&rng)
      let dv = (0..<c.dimension).map { _ in 3 * rng.symmetricUnit() }
      let alpha = cone.stepLength(v, dv)
      if c.isZero {
        #expect(alpha == .infinity)
        continue
      }
      #expect(alpha > 0)
      // A direction pointing into the cone never leaves it.
      let inward = c.interiorPoint(&rng)
      #expect(cone.stepLength(v, inward) == .infinity)
      #expect(cone.stepLength(v, [Double](repeating: 0, count: c.dimension)) == .infinity)
      guard alpha.isFinite else {
        // No boundary crossing: far along dv the point is still inside.
        let far = zip(v, dv).map { $0 + 1e6 * $1 }
        #expect(c.margin(far) >= -1e-6 * euclideanNorm(far))
        continue
      }
      finiteCount += 1
      let onBoundary = zip(v, dv).map { $0 + alpha * $1 }
      let inside = zip(v, dv).map { $0 + 0.99 * alpha * $1 }
      // The root of a quadratic in α is accurate to ~ε·(‖v‖ + α‖dv‖)/|f′(α)|; tangent crossings
      // are measure zero, so 1e-9 relative is ample for these seeds. Except for the second-order
      // cone of dimension 1 (the ray t ≥ 0): there f(α) = (v₀ + α·dv₀)² has a double root, which the
      // discriminant formula only finds to ~√ε relative (the result is capped by the exact
      // −v₀/dv₀, so it errs inside the cone): 1e-7 relative, and never outside.
      let scale = 1 + euclideanNorm(v) + alpha * euclideanNorm(dv)
      let boundaryTolerance = c.dimension == 1 && !(c.isNonnegative) ? 1e-7 : 1e-9
      #expect(abs(c.margin(onBoundary)) <= boundaryTolerance * scale, "\(c): margin \(c.margin(onBoundary)) at α = \(alpha)")
      #expect(c.margin(onBoundary) >= -1e-9 * scale, "\(c): outside the cone at the returned α")
      #expect(onBoundary[0] >= -1e-9 * scale, "the cone, not its negative")
      #expect(c.margin(inside) > 0, "\(c): not strictly inside at 0.99α")
    }
    if !c.isZero { #expect(finiteCount > 0, "random directions should hit the boundary at least once") }
  }

  @Test(arguments: ConeCase.allCases)
  func marginsAreTheLeastEigenvalue(_ c: ConeCase) {
    var rng = SplitMix64(seed: 5000 + UInt64(c.dimension))
    let cone = PaddedCone(c)
    for _ in 0..<Self.trials {
      let v = (0..<c.dimension).map { _ in 2 * rng.symmetricUnit() }
      let (minimum, positive) = cone.margins(v)
      if c.isZero {
        #expect(minimum == .infinity && positive == 0, "the zero cone never limits the shift")
        continue
      }
      // Exact up to the rounding of one norm (1e-12 absolute for entries of size ≤ 2).
      #expect(abs(minimum - c.margin(v)) <= 1e-12)
      #expect(positive >= max(minimum, 0) - 1e-12)
    }
  }

  @Test func productShiftMakesEveryConeStrictlyInterior() {
    var rng = SplitMix64(seed: 5100)
    var product = ConeProduct([.zero(2), .nonnegative(3), .secondOrder(1), .secondOrder(3), .secondOrder(6)])
    product.setIdentityScaling()
    for _ in 0..<50 {
      let v = (0..<product.dimension).map { _ in 3 * rng.symmetricUnit() }
      var primal = v
      var dual = v
      primal.withUnsafeMutableBufferPointer { product.shiftIntoInterior($0.baseAddress!, isPrimal: true) }
      dual.withUnsafeMutableBufferPointer { product.shiftIntoInterior($0.baseAddress!, isPrimal: false) }
      #expect(primal[0] == 0 && primal[1] == 0, "zero-cone slacks are set to 0")
      #expect(dual[0] == v[0] && dual[1] == v[1], "zero-cone duals are free and left alone")
      for point in [primal, dual] {
        // Every non-zero cone ends with margin ≥ 1 (the target is at least 1), up to rounding.
        for c in product.nonnegatives { #expect(point[c.offset..<c.offset + c.dimension].min()! >= 1 - 1e-12) }
        for c in product.secondOrders {
          let u = point[(c.offset + 1)..<(c.offset + c.dimension)]
          #expect(point[c.offset] - u.map { $0 * $0 }.reduce(0, +).squareRoot() >= 1 - 1e-12)
        }
      }
    }
    // A point whose least margin already exceeds the target is not moved.
    var centred = [Double](repeating: 0, count: product.dimension)
    for i in 2..<5 { centred[i] = 2 }
    for c in product.secondOrders { centred[c.offset] = 2 }
    let before = centred
    centred.withUnsafeMutableBufferPointer { product.shiftIntoInterior($0.baseAddress!, isPrimal: true) }
    #expect(centred == before)
  }

  @Test(arguments: [1, 2, 3, 5, 10])
  func secondOrderScalingIsAConeAutomorphism(_ d: Int) {
    // The NT scaling of the second-order cone is η times a hyperbolic rotation: it preserves
    // vᵀJv up to η² (J = diag(1, −I)) and so maps the cone onto itself. Wz = W⁻¹s alone does not
    // pin this down (any square root of a positive definite H with Hz = s satisfies it).
    var rng = SplitMix64(seed: 7000 + UInt64(d))
    let c = ConeCase.secondOrder(d)
    var cone = PaddedCone(c)
    func jForm(_ v: [Double]) -> Double { v[0] * v[0] - v.dropFirst().reduce(0) { $0 + $1 * $1 } }
    for _ in 0..<Self.trials {
      let s = c.interiorPoint(&rng), z = c.interiorPoint(&rng)
      _ = cone.updateScaling(s: s, z: z)
      let eta = (cone.cone as! SecondOrderCone).eta
      // η⁴ = sᵀJs / zᵀJz.
      #expect(abs(eta * eta * eta * eta - jForm(s) / jForm(z)) <= 1e-12 * (1 + jForm(s) / jForm(z)))
      let v = (0..<d).map { _ in rng.symmetricUnit() }
      let wv = cone.multiplyW(v)
      #expect(abs(jForm(wv) - eta * eta * jForm(v)) <= Self.tolerance * (1 + innerProduct(wv, wv)))
      #expect(c.margin(cone.multiplyW(c.interiorPoint(&rng))) > 0, "W maps the interior into itself")
    }
  }

  @Test func updateScalingRejectsPointsOutsideTheCone() {
    for c in ConeCase.allCases where !c.isZero {
      var cone = PaddedCone(c)
      var rng = SplitMix64(seed: 6000)
      let z = c.interiorPoint(&rng)
      var s = c.interiorPoint(&rng)
      s[0] = -1
      #expect(!cone.updateScaling(s: s, z: z).0, "\(c)")
      #expect(!cone.updateScaling(s: z, z: s).0, "\(c)")
    }
  }

  @Test func productMergesAdjacentDescriptorsAndCountsDegree() {
    let product = ConeProduct([.zero(2), .zero(1), .nonnegative(3), .nonnegative(0), .nonnegative(2),
                               .secondOrder(3), .nonnegative(1), .secondOrder(6), .zero(0)])
    #expect(product.dimension == 18)
    #expect(product.degree == 3 + 2 + 1 + 1 + 1)
    #expect(product.zeros.map(\.offset) == [0] && product.zeros.map(\.dimension) == [3])
    #expect(product.nonnegatives.map(\.offset) == [3, 11])
    #expect(product.nonnegatives.map(\.dimension) == [5, 1])
    #expect(product.secondOrders.map(\.offset) == [8, 12])
    #expect(product.uniformScalingBlocks == [8..<11, 12..<18])
  }
}

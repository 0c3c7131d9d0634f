/// A Bézier curve `r : [0, 1] → ℝᵈ` of order `n` with control points `q₀, …, qₙ ∈ ℝᵈ`.
///
/// ```
/// r(s) = Σᵢ₌₀ⁿ C(n, i) sⁱ (1 − s)ⁿ⁻ⁱ qᵢ,     s ∈ [0, 1]
/// r'(s) is the Bézier curve of order n − 1 with control points n (qᵢ₊₁ − qᵢ)
/// r⁽ᵏ⁾(0) = n!/(n − k)! Σⱼ₌₀ᵏ (−1)ᵏ⁻ʲ C(k, j) qⱼ
/// r⁽ᵏ⁾(1) = n!/(n − k)! Σⱼ₌₀ᵏ (−1)ᵏ⁻ʲ C(k, j) qₙ₋ₖ₊ⱼ
/// ```
///
/// The curve lies in the convex hull of its control points (so a curve whose control points lie in a
/// convex set lies in that set), and every derivative is linear in the control points. Both facts
/// make it the segment of choice in GCS trajectory optimization.
public struct BezierCurve: Sendable, Equatable {
  /// The control points `q₀ … qₙ`, each of dimension `dimension`.
  public private(set) var controlPoints: [[Double]]

  /// A curve with the given control points.
  /// - Precondition: at least one control point, all of the same nonzero dimension.
  public init(controlPoints: [[Double]]) {
    precondition(!controlPoints.isEmpty, "BezierCurve: no control points")
    let d = controlPoints[0].count
    precondition(d > 0, "BezierCurve: control points of dimension 0")
    for (i, q) in controlPoints.enumerated() {
      precondition(q.count == d, "BezierCurve: control point \(i) has dimension \(q.count), expected \(d)")
    }
    self.controlPoints = controlPoints
  }

  /// The order `n` (the number of control points minus one).
  public var order: Int { controlPoints.count - 1 }

  /// The dimension `d` of the space the curve lives in.
  public var dimension: Int { controlPoints[0].count }

  /// `r(s)`, by de Casteljau's algorithm (numerically stable for `s ∈ [0, 1]`).
  /// - Complexity: O(n² d).
  public func value(at s: Double) -> [Double] {
    var points = controlPoints
    var count = points.count
    while count > 1 {
      for i in 0..<(count - 1) {
        for j in 0..<dimension {
          points[i][j] = (1 - s) * points[i][j] + s * points[i + 1][j]
        }
      }
      count -= 1
    }
    return points[0]
  }

  /// The derivative `r'(s)`: a curve of order `n − 1` with control points `n (qᵢ₊₁ − qᵢ)`; the zero
  /// curve of order 0 when `n = 0`.
  /// - Complexity: O(n d).
  public func derivative() -> BezierCurve {
    if order == 0 { return BezierCurve(controlPoints: [[Double](repeating: 0, count: dimension)]) }
    let n = Double(order)
    let points = (0..<order).map { i in
      (0..<dimension).map { j in n * (controlPoints[i + 1][j] - controlPoints[i][j]) }
    }
    return BezierCurve(controlPoints: points)
  }

  /// The `k`-th derivative `r⁽ᵏ⁾` (the curve itself for `k = 0`).
  /// - Precondition: `k ≥ 0`.
  public func derivative(order k: Int) -> BezierCurve {
    precondition(k >= 0, "BezierCurve.derivative: order \(k) < 0")
    var curve = self
    for _ in 0..<k { curve = curve.derivative() }
    return curve
  }

  /// `r⁽ᵏ⁾(s)`.
  /// - Precondition: `k ≥ 0`.
  public func derivativeValue(order k: Int, at s: Double) -> [Double] {
    derivative(order: k).value(at: s)
  }

  /// The length of the control polygon `Σᵢ ‖qᵢ₊₁ − qᵢ‖`, an upper bound on the curve's arc length.
  public var controlPolygonLength: Double {
    var total = 0.0
    for i in 0..<order {
      var s = 0.0
      for j in 0..<dimension {
        let d = controlPoints[i + 1][j] - controlPoints[i][j]
        s += d * d
      }
      total += s.squareRoot()
    }
    return total
  }

  /// Weights `cⱼ` with `r⁽ᵏ⁾(0) = Σⱼ cⱼ qⱼ` for a curve of order `n` (one weight per control point;
  /// all zero when `k > n`).
  ///
  /// ```
  /// cⱼ = n!/(n − k)! (−1)ᵏ⁻ʲ C(k, j)  for j ≤ k,   0 otherwise
  /// ```
  /// - Precondition: `n ≥ 0`, `k ≥ 0`.
  public static func startDerivativeWeights(order n: Int, derivative k: Int) -> [Double] {
    precondition(n >= 0 && k >= 0, "startDerivativeWeights: order \(n), derivative \(k)")
    var weights = [Double](repeating: 0, count: n + 1)
    if k > n { return weights }
    var falling = 1.0
    for m in 0..<k { falling *= Double(n - m) }
    for j in 0...k {
      let sign: Double = (k - j) % 2 == 0 ? 1 : -1
      weights[j] = falling * sign * binomial(k, j)
    }
    return weights
  }

  /// Weights `cⱼ` with `r⁽ᵏ⁾(1) = Σⱼ cⱼ qⱼ` for a curve of order `n` (nonzero on the last `k + 1`
  /// control points).
  /// - Precondition: `n ≥ 0`, `k ≥ 0`.
  public static func endDerivativeWeights(order n: Int, derivative k: Int) -> [Double] {
    precondition(n >= 0 && k >= 0, "endDerivativeWeights: order \(n), derivative \(k)")
    var weights = [Double](repeating: 0, count: n + 1)
    if k > n { return weights }
    let start = startDerivativeWeights(order: n, derivative: k)
    for j in 0...k { weights[n - k + j] = start[j] }
    return weights
  }

  static func binomial(_ n: Int, _ k: Int) -> Double {
    var result = 1.0
    for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
    return result
  }
}

/// A straight joint-space segment from `start` to `end`, timed by the minimum-jerk profile
/// (Flash & Hogan 1985, doi:10.1523/JNEUROSCI.05-07-01688.1985):
///
/// ```
/// q(t) = q₀ + s(τ) (q₁ − q₀),   τ = t / T ∈ [0, 1]
/// s(τ)  = 10τ³ − 15τ⁴ + 6τ⁵
/// s′(τ) = 30τ² − 60τ³ + 30τ⁴          (peak 15/8 at τ = ½)
/// s″(τ) = 60τ − 180τ² + 120τ³         (peak 10/√3 ≈ 5.774 at τ = (3 − √3)/6)
/// ```
///
/// Velocity and acceleration are zero at both ends, so consecutive segments join smoothly at rest.
/// Every joint moves along the same straight line in joint space, the line a collision checker's
/// `isSegmentFree` tests.
public struct MinimumJerkSegment: Sendable, Equatable {
  /// `q₀`, radians.
  public let start: [Double]
  /// `q₁`, radians.
  public let end: [Double]
  /// `T`, seconds (> 0).
  public let durationSeconds: Double

  /// Peak of `s′`: a joint moving by `Δ` in `T` peaks at `15/8 · Δ / T`.
  public static let peakSpeedFactor = 1.875
  /// Peak of `|s″|`: a joint moving by `Δ` in `T` peaks at `10/√3 · Δ / T²`.
  public static let peakAccelerationFactor = 10 / 3.0.squareRoot()

  /// A segment of `durationSeconds` from `start` to `end`.
  public init(from start: [Double], to end: [Double], durationSeconds: Double) {
    precondition(start.count == end.count, "MinimumJerkSegment: start has \(start.count) joints, end \(end.count)")
    precondition(durationSeconds > 0 && durationSeconds.isFinite, "MinimumJerkSegment: duration \(durationSeconds) s must be positive")
    self.start = start
    self.end = end
    self.durationSeconds = durationSeconds
  }

  /// The shortest duration that keeps every joint's peak speed and acceleration within its limit,
  /// and at least `minimumSeconds`:
  ///
  /// ```
  /// T = max(T_min, maxᵢ max(15/8 · |Δᵢ| / v̄ᵢ, √(10/√3 · |Δᵢ| / āᵢ)))
  /// ```
  public static func duration(from start: [Double], to end: [Double], speedLimits: [Double], accelerationLimits: [Double],
                              minimumSeconds: Double = 0.1) -> Double {
    precondition(start.count == end.count && speedLimits.count == start.count && accelerationLimits.count == start.count,
                 "MinimumJerkSegment.duration: \(start.count), \(end.count) joints, \(speedLimits.count) speed and \(accelerationLimits.count) acceleration limits")
    precondition(speedLimits.allSatisfy { $0 > 0 } && accelerationLimits.allSatisfy { $0 > 0 }, "MinimumJerkSegment.duration: limits must be positive")
    var seconds = minimumSeconds
    for i in start.indices {
      let distance = abs(end[i] - start[i])
      seconds = max(seconds, peakSpeedFactor * distance / speedLimits[i], (peakAccelerationFactor * distance / accelerationLimits[i]).squareRoot())
    }
    return seconds
  }

  /// Writes `q(t)` and `q̇(t)` into `positions` and `velocities` (resized if needed); `t` is clamped
  /// to `[0, T]`.
  public func evaluate(atSeconds t: Double, positions: inout [Double], velocities: inout [Double]) {
    let tau = min(max(t / durationSeconds, 0), 1)
    let tau2 = tau * tau
    let s = tau2 * tau * (10 - 15 * tau + 6 * tau2)
    let ds = 30 * tau2 * (1 - 2 * tau + tau2) / durationSeconds
    if positions.count != start.count { positions = start }
    if velocities.count != start.count { velocities = start }
    for i in start.indices {
      let delta = end[i] - start[i]
      positions[i] = start[i] + s * delta
      velocities[i] = ds * delta
    }
  }

  /// `q(t)`, `t` clamped to `[0, T]`.
  public func position(atSeconds t: Double) -> [Double] {
    var q: [Double] = [], v: [Double] = []
    evaluate(atSeconds: t, positions: &q, velocities: &v)
    return q
  }

  /// `q̇(t)`, `t` clamped to `[0, T]`.
  public func velocity(atSeconds t: Double) -> [Double] {
    var q: [Double] = [], v: [Double] = []
    evaluate(atSeconds: t, positions: &q, velocities: &v)
    return v
  }

  /// The Euclidean joint-space length `‖q₁ − q₀‖`, radians.
  public var lengthRadians: Double { jointSpaceDistance(start, end) }
}

/// `‖b − a‖`, the Euclidean distance of two configurations (radians).
func jointSpaceDistance(_ a: [Double], _ b: [Double]) -> Double {
  var sum = 0.0
  for i in a.indices { sum += (b[i] - a[i]) * (b[i] - a[i]) }
  return sum.squareRoot()
}

/// A trajectory `q : [t₀, T] → ℝᵈ` made of Bézier segments placed end to end in time.
///
/// Segment `i` holds a path `rᵢ : [0, 1] → ℝᵈ` (a `BezierCurve`), a start time `tᵢ` and a duration
/// `hᵢ > 0`; on `[tᵢ, tᵢ + hᵢ]` the trajectory is `rᵢ` with its parameter scaled by time:
///
/// ```
/// q(t) = rᵢ(s),   s = (t − tᵢ) / hᵢ
/// dᵏq/dtᵏ(t) = r⁽ᵏ⁾ᵢ(s) / hᵢᵏ                (chain rule, ds/dt = 1/hᵢ)
/// ```
///
/// At a join `t = tᵢ₊₁` the later segment is used. Times outside `[startTime, endTime]` are clamped to
/// the nearest end. This is the shape of Drake's `CompositeTrajectory` of `BezierCurve`s that
/// `GcsTrajectoryOptimization::SolvePath` returns.
public struct PiecewiseBezierTrajectory: Sendable, Equatable {
  /// One segment: its path `r(s)`, start time and duration.
  public struct Segment: Sendable, Equatable {
    /// The path `r : [0, 1] → ℝᵈ`.
    public var path: BezierCurve
    /// The time `tᵢ` the segment starts.
    public var startTime: Double
    /// The duration `hᵢ > 0`.
    public var duration: Double

    public init(path: BezierCurve, startTime: Double, duration: Double) {
      precondition(duration > 0 && duration.isFinite, "Segment: duration \(duration), expected > 0 and finite")
      precondition(startTime.isFinite, "Segment: start time \(startTime) is not finite")
      self.path = path
      self.startTime = startTime
      self.duration = duration
    }

    /// `tᵢ + hᵢ`.
    public var endTime: Double { startTime + duration }

    /// `dᵏq/dtᵏ` at `t` (clamped to the segment), by the chain rule.
    public func derivative(order k: Int, at t: Double) -> [Double] {
      let s = min(1, max(0, (t - startTime) / duration))
      let r = path.derivativeValue(order: k, at: s)
      if k == 0 { return r }
      var scale = 1.0
      for _ in 0..<k { scale /= duration }
      return r.map { $0 * scale }
    }
  }

  /// A position (and its first two time derivatives) at a time; see `samples(dt:)`.
  public struct Sample: Sendable, Equatable {
    public var time: Double
    public var position: [Double]
    public var velocity: [Double]
    public var acceleration: [Double]
  }

  /// The segments, in time order, each starting where the previous one ends.
  public let segments: [Segment]

  /// A trajectory from contiguous segments.
  /// - Precondition: at least one segment; every segment of the same dimension; each segment starts
  ///   where the previous one ends (to `1e-9` relative).
  public init(segments: [Segment]) {
    precondition(!segments.isEmpty, "PiecewiseBezierTrajectory: no segments")
    let d = segments[0].path.dimension
    for k in segments.indices {
      precondition(
        segments[k].path.dimension == d,
        "PiecewiseBezierTrajectory: segment \(k) has dimension \(segments[k].path.dimension), expected \(d)")
      if k > 0 {
        let gap = abs(segments[k].startTime - segments[k - 1].endTime)
        precondition(
          gap <= 1e-9 * max(1, abs(segments[k].startTime)),
          "PiecewiseBezierTrajectory: segment \(k) starts at \(segments[k].startTime), the previous ends at \(segments[k - 1].endTime)")
      }
    }
    self.segments = segments
  }

  /// A trajectory from paths and durations, the first segment starting at `startTime`.
  /// - Precondition: as many durations as paths, each `> 0`.
  public init(paths: [BezierCurve], durations: [Double], startTime: Double = 0) {
    precondition(paths.count == durations.count, "PiecewiseBezierTrajectory: \(paths.count) paths but \(durations.count) durations")
    var t = startTime
    var segments: [Segment] = []
    for k in paths.indices {
      segments.append(Segment(path: paths[k], startTime: t, duration: durations[k]))
      t += durations[k]
    }
    self.init(segments: segments)
  }

  /// The dimension `d`.
  public var dimension: Int { segments[0].path.dimension }
  /// `t₀`, the start of the first segment.
  public var startTime: Double { segments[0].startTime }
  /// `T`, the end of the last segment.
  public var endTime: Double { segments[segments.count - 1].endTime }
  /// `T − t₀`.
  public var duration: Double { endTime - startTime }

  /// The index of the segment that holds `t`: the last segment with `tᵢ ≤ t` (the later one at a
  /// join), clamped to the first and last.
  /// - Complexity: O(log segments).
  public func segmentIndex(at t: Double) -> Int {
    var low = 0
    var high = segments.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if segments[mid].startTime <= t { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// `dᵏq/dtᵏ(t)` (`k = 0`: the position).
  /// - Precondition: `k ≥ 0`.
  public func derivative(order k: Int, at t: Double) -> [Double] {
    precondition(k >= 0, "PiecewiseBezierTrajectory.derivative: order \(k) < 0")
    let clamped = min(endTime, max(startTime, t))
    return segments[segmentIndex(at: clamped)].derivative(order: k, at: clamped)
  }

  /// `q(t)`.
  public func position(at t: Double) -> [Double] { derivative(order: 0, at: t) }
  /// `q̇(t) = r'(s) / h`.
  public func velocity(at t: Double) -> [Double] { derivative(order: 1, at: t) }
  /// `q̈(t) = r''(s) / h²`.
  public func acceleration(at t: Double) -> [Double] { derivative(order: 2, at: t) }

  /// Samples at `t₀, t₀ + dt, t₀ + 2dt, …` and at `T` (always included, once).
  /// - Precondition: `dt > 0`.
  /// - Complexity: O((T − t₀)/dt · n² d).
  public func samples(dt: Double) -> [Sample] {
    precondition(dt > 0 && dt.isFinite, "samples: dt = \(dt), expected > 0 and finite")
    var result: [Sample] = []
    let slack = 1e-9 * max(1, abs(endTime))
    var k = 0
    while true {
      let t = startTime + Double(k) * dt
      if t >= endTime - slack { break }
      result.append(sample(at: t))
      k += 1
    }
    result.append(sample(at: endTime))
    return result
  }

  /// The sample at `t`.
  public func sample(at t: Double) -> Sample {
    Sample(time: t, position: position(at: t), velocity: velocity(at: t), acceleration: acceleration(at: t))
  }

  /// The same paths with every segment one unit of time long, starting at `startTime`: the path
  /// `r(s)` itself, whose derivative continuity is what path-continuity constraints enforce (as
  /// Drake's `NormalizeSegmentTimes`).
  public func normalizedSegmentTimes() -> PiecewiseBezierTrajectory {
    PiecewiseBezierTrajectory(
      paths: segments.map(\.path), durations: [Double](repeating: 1, count: segments.count), startTime: startTime)
  }
}

/// Options of `GCSTrajectoryOptimization`; every default is documented.
///
/// The defaults are those of Drake's `GcsTrajectoryOptimization` examples: a minimum-time plus
/// path-length objective (weight 1 each), cubic segments, `h ∈ [1e-6, 20]` seconds per region.
public struct GCSTrajectoryOptions: Sendable, Equatable {
  /// Per-coordinate velocity bounds `lower ≤ q̇(t) ≤ upper`; an infinite entry leaves that side free.
  public struct VelocityBounds: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]
    public init(lower: [Double], upper: [Double]) {
      self.lower = lower
      self.upper = upper
    }
    /// `−limit ≤ q̇ᵢ ≤ limit` on every coordinate.
    public static func symmetric(_ limit: [Double]) -> VelocityBounds {
      VelocityBounds(lower: limit.map { -$0 }, upper: limit)
    }
  }

  /// The order `n` of every segment's Bézier curve (default 3). Drake's examples use 3 (some 1 or
  /// 5; Drake has no default). Order 3 is the least that can start and stop at rest inside a single
  /// region (zero end velocities pin `q₁ = q₀` and `q₃ = q₂`, leaving `q₁ → q₂` free). Must be ≥ 1.
  public var order: Int = 3
  /// The least time `h_min` (seconds) a segment may take, if its region is used (default 1e-6, as
  /// Drake's `AddRegions`). Must be > 0: a zero-length segment has no velocity.
  public var minimumSegmentDuration: Double = 1e-6
  /// The most time `h_max` (seconds) a segment may take (default 20, as Drake's `AddRegions`).
  public var maximumSegmentDuration: Double = 20
  /// Weight of the minimum-time cost `Σ h` (default 1; 0 adds none).
  public var timeCostWeight: Double = 1
  /// Weight of the path-length cost `Σᵢ ‖qᵢ₊₁ − qᵢ‖₂`, an upper bound on arc length (default 1;
  /// 0 adds none).
  public var pathLengthCostWeight: Double = 1
  /// Weight of the path-energy cost `Σᵢ ‖qᵢ₊₁ − qᵢ‖₂²` (default 0: none, as Drake, which recommends
  /// it only for convex restrictions).
  public var pathEnergyCostWeight: Double = 0
  /// Velocity bounds on every segment (default: none). With a time cost and no bounds, every
  /// segment takes `h_min`.
  public var velocityBounds: VelocityBounds? = nil
  /// Path-derivative continuity at region changes, orders `1…pathContinuityOrder` of `r(s)`
  /// (default 1; 0 enforces position continuity only, which Drake does unless asked for more).
  /// Time-derivative continuity is not enforced: see `GCSTrajectoryOptimization`.
  public var pathContinuityOrder: Int = 1
  /// Options of the shortest-path solve (default: `GCSOptions()`, relaxation and 10 rounded paths;
  /// Drake's `SolvePath` uses 5).
  public var shortestPath = GCSOptions()

  public init() {}

  /// Throws the first bad field, named `options.<field>`.
  func validate(dimension: Int) throws(GCSError) {
    if order < 1 { throw GCSError(field: "options.order", message: "is \(order), expected ≥ 1") }
    if !(minimumSegmentDuration > 0 && minimumSegmentDuration.isFinite) {
      throw GCSError(field: "options.minimumSegmentDuration", message: "is \(minimumSegmentDuration), expected > 0 and finite")
    }
    if !(maximumSegmentDuration >= minimumSegmentDuration && maximumSegmentDuration.isFinite) {
      throw GCSError(
        field: "options.maximumSegmentDuration",
        message: "is \(maximumSegmentDuration), expected finite and ≥ minimumSegmentDuration (\(minimumSegmentDuration))")
    }
    let weights = [
      ("timeCostWeight", timeCostWeight), ("pathLengthCostWeight", pathLengthCostWeight),
      ("pathEnergyCostWeight", pathEnergyCostWeight),
    ]
    for (name, w) in weights where !(w >= 0 && w.isFinite) {
      throw GCSError(field: "options.\(name)", message: "is \(w), expected ≥ 0 and finite")
    }
    if pathContinuityOrder < 0 || pathContinuityOrder > order {
      throw GCSError(field: "options.pathContinuityOrder", message: "is \(pathContinuityOrder), expected 0…order (\(order))")
    }
    if let bounds = velocityBounds {
      try GCSTrajectoryOptions.check(bounds, dimension: dimension, field: "options.velocityBounds")
    }
  }

  static func check(_ bounds: VelocityBounds, dimension: Int, field: String) throws(GCSError) {
    if bounds.lower.count != dimension || bounds.upper.count != dimension {
      throw GCSError(field: field, message: "has \(bounds.lower.count) lower and \(bounds.upper.count) upper entries, expected \(dimension)")
    }
    for i in 0..<dimension {
      let (lo, hi) = (bounds.lower[i], bounds.upper[i])
      if lo.isNaN || hi.isNaN { throw GCSError(field: "\(field)[\(i)]", message: "is NaN") }
      if lo > hi { throw GCSError(field: "\(field)[\(i)]", message: "has lower \(lo) above upper \(hi)") }
      if lo == .infinity || hi == -.infinity {
        throw GCSError(field: "\(field)[\(i)]", message: "has bounds [\(lo), \(hi)], which no velocity meets")
      }
    }
  }
}

/// The velocity a trajectory must have at its start or its end.
public enum EndpointVelocity: Sendable, Equatable {
  /// At rest: `q̇ = 0` (path velocity `r'(s) = 0`, so `q₁ = q₀` at the start, `qₙ = qₙ₋₁` at the end).
  case zero
  /// `q̇ = v`, enforced as the linear constraint `n (q₁ − q₀) = v h` (`n (qₙ − qₙ₋₁) = v h` at the end).
  case fixed([Double])
  /// No constraint.
  case free
}

/// How a trajectory solve ended. Raw values are the strings of the CLI and JSON output.
public enum GCSTrajectoryStatus: String, Sendable, Equatable {
  /// A trajectory was found (the shortest-path solve returned a path: optimal or feasible).
  case solved
  /// No trajectory exists: the start or goal lies in no region, no chain of intersecting regions
  /// joins them, or the relaxation is infeasible (see `reason`).
  case infeasible
  /// A numerical failure or a limit reached without a trajectory (see `reason`).
  case error

  /// The status of a trajectory solve whose shortest-path solve ended with `status`.
  init(_ status: GCSStatus) {
    switch status {
    case .optimal, .feasible: self = .solved
    case .infeasible: self = .infeasible
    case .error: self = .error
    }
  }
}

/// The result of a trajectory solve.
public struct GCSTrajectoryResult: Sendable {
  public var status: GCSTrajectoryStatus
  /// The trajectory, starting at time 0; `nil` unless `status == .solved`.
  public var trajectory: PiecewiseBezierTrajectory?
  /// Indices of the regions the trajectory passes through, in order (one per segment).
  public var regionPath: [Int]
  /// The objective value of the trajectory (the convex restriction on its regions).
  public var cost: Double?
  /// A proven lower bound on the optimal objective (the relaxation's value), when one was proved.
  public var lowerBound: Double?
  /// Why there is no trajectory (status `.infeasible` or `.error`).
  public var reason: String?
  /// The underlying shortest-path result (timings, statistics, points); `nil` when no solve ran
  /// (the start or goal lies in no region).
  public var shortestPath: GCSResult?
}

import ConicSolver

/// How `solveShortestPath` solves.
public enum GCSMethod: String, Sendable, CaseIterable {
  /// Convex relaxation, then randomized rounding and convex restrictions on the rounded paths.
  case relaxation
  /// The exact mixed-integer program, by branch-and-bound over the edge variables.
  case micp
}

/// Options of `GraphOfConvexSets.solveShortestPath`; every default is documented.
public struct GCSOptions: Sendable, Equatable {
  /// The method (default: `.relaxation`).
  public var method: GCSMethod = .relaxation
  /// Maximum number of distinct rounded paths tried after the relaxation (default 10, as Drake).
  public var maxRoundedPaths: Int = 10
  /// Random walks tried to find them (default 100, as Drake).
  public var maxRoundingTrials: Int = 100
  /// Seed of the rounding's random walks (default 0).
  public var roundingSeed: UInt64 = 0
  /// Edges whose relaxed flow is at most this are never walked (default 1e-5, as Drake).
  public var flowTolerance: Double = 1e-5
  /// Remove edges that cannot lie on any s–t path before solving (default `true`).
  public var preprocessing: Bool = true
  /// Add the 2-cycle elimination constraints to the formulation (default `true`; they cut
  /// relaxation solutions that go back and forth on a pair of opposite edges).
  public var twoCycleElimination: Bool = true
  /// Wall-clock limit of the whole solve, in seconds (default: none). Branch-and-bound stops at it
  /// with its incumbent and bound.
  public var timeLimitSeconds: Double = .infinity
  /// A path is `optimal` when `(cost − bound) ≤ this · max(1, |cost|)`: rounding that meets the
  /// relaxation's bound, or branch-and-bound, which stops there (default 1e-6).
  public var relativeGapTolerance: Double = 1e-6
  /// Branch-and-bound node limit (default 100 000).
  public var maxNodes: Int = 100_000
  /// Settings of every conic solve (default: the solver's defaults).
  public var solverSettings = SolverSettings()

  public init() {}
}

/// The outcome of a shortest-path solve.
public enum GCSStatus: String, Sendable, Equatable {
  /// The path is proved optimal within tolerance (MICP closed its gap, or rounding met the
  /// relaxation's bound).
  case optimal
  /// A feasible path with a gap to the lower bound.
  case feasible
  /// No feasible s–t path exists (see `reason`).
  case infeasible
  /// A numerical failure or a limit reached without any path.
  case error
}

/// Timings of a shortest-path solve, in seconds.
public struct GCSTimings: Sendable, Equatable {
  public var total = 0.0
  public var preprocessing: Double? = nil
  public var relaxation: Double? = nil
  public var rounding: Double? = nil
  public var branchAndBound: Double? = nil
  public init() {}
}

/// Counters of a shortest-path solve.
public struct GCSStatistics: Sendable, Equatable {
  /// Edges removed by preprocessing.
  public var edgesRemoved = 0
  /// Distinct rounded paths whose restriction was solved.
  public var roundedPaths = 0
  /// Conic programs solved.
  public var conicSolves = 0
  /// Interior-point iterations, over all solves.
  public var interiorPointIterations = 0
  /// Branch-and-bound nodes explored.
  public var nodes = 0
  public init() {}
}

/// The result of a shortest-path solve: a path, its points, its cost, and a proven lower bound.
public struct GCSResult: Sendable {
  public var status: GCSStatus
  public var method: GCSMethod
  /// Cost of the returned path (its convex restriction); `nil` without a path.
  public var cost: Double?
  /// The best proven lower bound on the optimal cost; `nil` when none was proved.
  public var lowerBound: Double?
  /// Optimal value of the convex relaxation (root node for MICP); `nil` when not solved.
  public var relaxationCost: Double?
  /// The path, source first; empty without a path.
  public var path: [VertexID]
  /// The edges of the path, in order.
  public var pathEdges: [EdgeID]
  /// The point of every vertex on the path.
  public var points: [VertexID: [Double]]
  /// Relaxed flow of every edge (index = edge index), when a relaxation was solved.
  public var relaxationFlows: [Double]?
  /// Why there is no path (status `.infeasible` or `.error`).
  public var reason: String?
  public var timings: GCSTimings
  public var statistics: GCSStatistics

  /// A result; layers above (trajectory optimization, planners) build their own from parts.
  public init(
    status: GCSStatus, method: GCSMethod, cost: Double? = nil, lowerBound: Double? = nil,
    relaxationCost: Double? = nil, path: [VertexID] = [], pathEdges: [EdgeID] = [], points: [VertexID: [Double]] = [:],
    relaxationFlows: [Double]? = nil, reason: String? = nil, timings: GCSTimings = GCSTimings(),
    statistics: GCSStatistics = GCSStatistics()
  ) {
    self.status = status
    self.method = method
    self.cost = cost
    self.lowerBound = lowerBound
    self.relaxationCost = relaxationCost
    self.path = path
    self.pathEdges = pathEdges
    self.points = points
    self.relaxationFlows = relaxationFlows
    self.reason = reason
    self.timings = timings
    self.statistics = statistics
  }

  /// `(cost − lowerBound) / max(|cost|, tiny)` when both exist.
  public var relativeGap: Double? {
    guard let c = cost, let lb = lowerBound else { return nil }
    return max(0, c - lb) / max(abs(c), 1e-12)
  }
}

import ConicSolver
import ConvexSets
import Foundation
import LinearAlgebra

/// Trajectory optimization through convex regions of free space with Graphs of Convex Sets
/// (Marcucci, Petersen, von Wrangel, Tedrake, "Motion planning around obstacles with convex
/// optimization", Science Robotics 2023, arXiv:2205.04422), in the simplified form of Drake's
/// `GcsTrajectoryOptimization`: one time scaling per region.
///
/// Every region `X` (a bounded convex set in configuration space ℝᵈ) becomes a vertex whose point is a
/// Bézier segment `r(s)` of order `n` with control points `q₀ … qₙ ∈ X` and a duration
/// `h ∈ [h_min, h_max]`; by the convex-hull property the whole segment lies in `X`. Regions that
/// intersect are joined by edges in both directions. The start and the goal are point vertices joined
/// to the regions that contain them. One shortest-path solve picks the regions and the curve:
///
/// ```
/// vertex point   x = (q₀, …, qₙ, h) ∈ Xⁿ⁺¹ × [h_min, h_max]
/// segment        q(t) = r((t − tᵢ)/h),   q̇ = r'(s)/h,   r'(s) has control points n (qᵢ₊₁ − qᵢ)
/// costs          w_time Σ h  +  w_length Σᵢ ‖qᵢ₊₁ − qᵢ‖₂  (+ w_energy Σᵢ ‖qᵢ₊₁ − qᵢ‖₂²)
/// velocity       lb h ≤ n (qᵢ₊₁ − qᵢ) ≤ ub h                 (linear; convex hull ⇒ lb ≤ q̇(t) ≤ ub)
/// edge u → v     qₙᵘ = q₀ᵛ,   r⁽ᵏ⁾ᵤ(1) = r⁽ᵏ⁾ᵥ(0) for k = 1 … pathContinuityOrder
/// start → v      q₀ᵛ = start,   n (q₁ᵛ − q₀ᵛ) = v_start h       (zero by default)
/// u → goal       qₙᵘ = goal,    n (qₙᵘ − qₙ₋₁ᵘ) = v_goal h     (zero by default)
/// ```
///
/// Continuity is on the path `r(s)`, not on the trajectory `q(t)`: `q̇ = r'/h` jumps at a join when the
/// two segments' `h` differ. Equal time derivatives, `r'ᵤ(1)/hᵤ = r'ᵥ(0)/hᵥ`, are bilinear in `(r, h)`
/// and not convex; they are not enforced (Drake also enforces them only through a nonconvex
/// constraint with a convex surrogate). `PiecewiseBezierTrajectory.normalizedSegmentTimes()` gives
/// the path with its continuity. The energy cost is the path energy in `s`, not `∫‖q̇‖² dt =
/// ∫‖r'‖² ds / h`, which needs a perspective in `h` that the GCS cost kinds do not offer (Drake makes
/// the same choice). Continuous revolute joints (angles that wrap around 2π) are not supported.
///
/// Coordinates of a vertex point for custom costs and constraints: control point `i`, coordinate `j`
/// is at `controlPointIndex(i, j)`; the duration `h` is at `durationIndex` (the last).
public struct GCSTrajectoryOptimization: Sendable {
  /// The regions, in the order given; region `k` is vertex `VertexID(k)` of `graph`.
  public let regions: [any ConvexSet]
  /// The options the problem was built with.
  public let options: GCSTrajectoryOptions
  /// The graph of region vertices and region edges, with every cost and constraint added so far
  /// (the start and goal vertices are added per solve, on a copy).
  public private(set) var graph: GraphOfConvexSets
  /// The directed edges between regions, `(from, to)` region indices, in insertion order.
  public let regionEdges: [(from: Int, to: Int)]
  /// Seconds spent building: region checks and pairwise intersection tests.
  public let setupSeconds: Double
  /// Path-continuity orders already on the edges.
  private var continuityOrders: Set<Int> = []

  /// Builds the graph over `regions`, with the costs and constraints `options` asks for.
  ///
  /// Edges: `edgesBetweenRegions` when given (directed pairs of region indices); otherwise both
  /// directions between every pair of regions that intersect (one conic feasibility solve per pair).
  ///
  /// - Throws: `GCSError` when there are no regions, their dimensions differ, a region is unbounded
  ///   or empty, an option is out of range, or an edge names a region that does not exist.
  /// - Complexity: `R(R − 1)/2` small conic solves for the intersection tests (none with explicit
  ///   edges), plus the emptiness and boundedness checks of `ConvexSet` for regions not bounded by construction.
  public init(
    regions: [any ConvexSet], options: GCSTrajectoryOptions = GCSTrajectoryOptions(),
    edgesBetweenRegions: [(Int, Int)]? = nil
  ) throws(GCSError) {
    let start = DispatchTime.now()
    guard let d = regions.first?.ambientDimension else { throw GCSError(field: "regions", message: "is empty") }
    for (k, r) in regions.enumerated() where r.ambientDimension != d {
      throw GCSError(field: "regions[\(k)]", message: "has dimension \(r.ambientDimension), expected \(d)")
    }
    try options.validate(dimension: d)
    for (k, r) in regions.enumerated() where r.isBoundedByConstruction != true {
      if r.isBoundedByConstruction == false {
        throw GCSError(field: "regions[\(k)]", message: "is unbounded (\(r.description))")
      }
      if r.isEmpty() { throw GCSError(field: "regions[\(k)]", message: "is empty") }
      if !r.isBounded() { throw GCSError(field: "regions[\(k)]", message: "is unbounded (\(r.description))") }
    }
    var pairs: [(from: Int, to: Int)] = []
    if let given = edgesBetweenRegions {
      for (k, (u, v)) in given.enumerated() {
        guard regions.indices.contains(u), regions.indices.contains(v) else {
          throw GCSError(field: "edgesBetweenRegions[\(k)]", message: "is (\(u), \(v)), expected region indices in 0..<\(regions.count)")
        }
        if u == v { throw GCSError(field: "edgesBetweenRegions[\(k)]", message: "is a self-loop (\(u), \(u))") }
        pairs.append((u, v))
      }
    } else {
      for u in regions.indices {
        for v in (u + 1)..<regions.count
        where regions[u].intersects(regions[v]) {
          pairs.append((u, v))
          pairs.append((v, u))
        }
      }
    }

    self.regions = regions
    self.options = options
    self.regionEdges = pairs
    var g = GraphOfConvexSets()
    let duration = try! Hyperrectangle(lb: [options.minimumSegmentDuration], ub: [options.maximumSegmentDuration])
    for (k, r) in regions.enumerated() {
      let set = try! CartesianProduct([any ConvexSet](repeating: r, count: options.order + 1) + [duration])
      try g.addVertex(set, name: "region[\(k)]")
    }
    for (u, v) in pairs {
      let e = try g.addEdge(from: VertexID(u), to: VertexID(v))
      let continuity = Self.positionContinuityMatrix(d: d, order: options.order)
      try g.addConstraint(.linearEquality(A: continuity, b: [Double](repeating: 0, count: d)), to: e)
    }
    self.graph = g
    self.setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9

    if options.timeCostWeight > 0 { addTimeCost(weight: options.timeCostWeight) }
    if options.pathLengthCostWeight > 0 { try addPathLengthCost(weight: options.pathLengthCostWeight) }
    if options.pathEnergyCostWeight > 0 { try addPathEnergyCost(weight: options.pathEnergyCostWeight) }
    if let bounds = options.velocityBounds { try addVelocityBounds(bounds) }
    if options.pathContinuityOrder >= 1 {
      for k in 1...options.pathContinuityOrder { try addPathContinuityConstraints(order: k) }
    }
  }

  // MARK: - Layout

  /// The configuration-space dimension `d`.
  public var dimension: Int { regions[0].ambientDimension }
  /// The Bézier order `n`.
  public var order: Int { options.order }
  /// The dimension of a region vertex's point, `(n + 1) d + 1`.
  public var vertexDimension: Int { (order + 1) * dimension + 1 }
  /// The coordinate of `h` in a region vertex's point (the last).
  public var durationIndex: Int { (order + 1) * dimension }
  /// The coordinate of control point `i`, coordinate `j`, in a region vertex's point.
  public func controlPointIndex(_ i: Int, _ j: Int) -> Int {
    precondition(
      i >= 0 && i <= order && j >= 0 && j < dimension,
      "controlPointIndex: (\(i), \(j)) out of range for order \(order), dimension \(dimension)")
    return i * dimension + j
  }
  /// The vertex of region `k`.
  public func vertex(ofRegion k: Int) -> VertexID {
    precondition(regions.indices.contains(k), "vertex(ofRegion:): \(k) out of 0..<\(regions.count)")
    return VertexID(k)
  }

  // MARK: - Costs and constraints

  /// Adds `weight · Σ h` (minimum time) on every region.
  public mutating func addTimeCost(weight: Double = 1) {
    var a = [Double](repeating: 0, count: vertexDimension)
    a[durationIndex] = weight
    for k in regions.indices { try! graph.addCost(.linear(a: a, b: 0), to: VertexID(k)) }
  }

  /// Adds `Σᵢ ‖weight · (qᵢ₊₁ − qᵢ)‖₂` on every region: the length of the control polygon, an upper
  /// bound on the path's arc length (as Drake's `AddPathLengthCost`).
  /// - Throws: `GCSError` when `weight` is negative or not finite.
  public mutating func addPathLengthCost(weight: Double = 1) throws(GCSError) {
    guard weight >= 0, weight.isFinite else { throw GCSError(field: "weight", message: "is \(weight), expected ≥ 0 and finite") }
    try addPathLengthCost(weightMatrix: weight * Matrix.identity(dimension))
  }

  /// Adds `Σᵢ ‖W (qᵢ₊₁ − qᵢ)‖₂` on every region (one ℓ₂-norm cost per consecutive pair).
  /// - Throws: `GCSError` when `W` is not `d × d` or not finite.
  public mutating func addPathLengthCost(weightMatrix W: Matrix) throws(GCSError) {
    try checkWeightMatrix(W)
    for i in 0..<order {
      let A = differenceMatrix(W, i)
      for k in regions.indices { try graph.addCost(.l2Norm(A: A, b: [Double](repeating: 0, count: dimension)), to: VertexID(k)) }
    }
  }

  /// Adds `weight · Σᵢ ‖qᵢ₊₁ − qᵢ‖₂²` on every region (path energy in `s`; see the type's notes).
  /// - Throws: `GCSError` when `weight` is negative or not finite.
  public mutating func addPathEnergyCost(weight: Double = 1) throws(GCSError) {
    guard weight >= 0, weight.isFinite else { throw GCSError(field: "weight", message: "is \(weight), expected ≥ 0 and finite") }
    try addPathEnergyCost(weightMatrix: weight.squareRoot() * Matrix.identity(dimension))
  }

  /// Adds `Σᵢ ‖W (qᵢ₊₁ − qᵢ)‖₂²` on every region, as one quadratic `½ xᵀQx` with
  /// `Q = 2 Σᵢ Dᵢᵀ WᵀW Dᵢ` (`Dᵢ x = qᵢ₊₁ − qᵢ`).
  /// - Throws: `GCSError` when `W` is not `d × d` or not finite.
  public mutating func addPathEnergyCost(weightMatrix W: Matrix) throws(GCSError) {
    try checkWeightMatrix(W)
    var Q = Matrix(rowCount: vertexDimension, columnCount: vertexDimension, repeating: 0)
    for i in 0..<order {
      let D = differenceMatrix(W, i)
      let DtD = D.multiplied(by: D, transposingSelf: true)
      Q = Q + 2 * DtD
    }
    for k in regions.indices {
      try graph.addCost(.quadratic(Q: Q, q: [Double](repeating: 0, count: vertexDimension), c: 0), to: VertexID(k))
    }
  }

  /// Adds `lower ≤ q̇(t) ≤ upper` on every region, as `lower h ≤ n (qᵢ₊₁ − qᵢ) ≤ upper h` on the
  /// control points of `r'` (linear; by the convex-hull property the bound holds for every `t`).
  /// Infinite entries leave that side free.
  /// - Throws: `GCSError` on a length mismatch, NaN, or `lower > upper`.
  public mutating func addVelocityBounds(_ bounds: GCSTrajectoryOptions.VelocityBounds) throws(GCSError) {
    try GCSTrajectoryOptions.check(bounds, dimension: dimension, field: "velocityBounds")
    var rows: [[Double]] = []
    var lo: [Double] = []
    var hi: [Double] = []
    let n = Double(order)
    for i in 0..<order {
      for j in 0..<dimension {
        var row = [Double](repeating: 0, count: vertexDimension)
        row[controlPointIndex(i + 1, j)] = n
        row[controlPointIndex(i, j)] = -n
        if bounds.upper[j].isFinite {
          // n Δq − ub h ≤ 0
          var r = row
          r[durationIndex] = -bounds.upper[j]
          rows.append(r)
          lo.append(-.infinity)
          hi.append(0)
        }
        if bounds.lower[j].isFinite {
          // n Δq − lb h ≥ 0
          var r = row
          r[durationIndex] = -bounds.lower[j]
          rows.append(r)
          lo.append(0)
          hi.append(.infinity)
        }
      }
    }
    if rows.isEmpty { return }
    let constraint = GCSConstraint.linearInequality(A: Matrix(rows: rows), lb: lo, ub: hi)
    for k in regions.indices { try graph.addConstraint(constraint, to: VertexID(k)) }
  }

  /// Adds `r⁽ᵏ⁾ᵤ(1) = r⁽ᵏ⁾ᵥ(0)` on every region edge `u → v` (continuity of the `k`-th derivative of
  /// the path with respect to its own parameter; linear in the control points). Adding an order
  /// twice has no further effect.
  /// - Throws: `GCSError` unless `1 ≤ k ≤ order`.
  public mutating func addPathContinuityConstraints(order k: Int) throws(GCSError) {
    guard k >= 1, k <= order else {
      throw GCSError(field: "order", message: "is \(k), expected 1…\(order) (position continuity is always enforced)")
    }
    guard continuityOrders.insert(k).inserted else { return }
    let end = BezierCurve.endDerivativeWeights(order: order, derivative: k)
    let start = BezierCurve.startDerivativeWeights(order: order, derivative: k)
    var A = Matrix(rowCount: dimension, columnCount: 2 * vertexDimension, repeating: 0)
    for j in 0..<dimension {
      for i in 0...order {
        A[j, controlPointIndex(i, j)] = end[i]
        A[j, vertexDimension + controlPointIndex(i, j)] = -start[i]
      }
    }
    let constraint = GCSConstraint.linearEquality(A: A, b: [Double](repeating: 0, count: dimension))
    for e in graph.edges.indices { try graph.addConstraint(constraint, to: EdgeID(e)) }
  }

  /// Adds a constraint on the point `(q₀, …, qₙ, h)` of region `region`, or of every region when
  /// `region` is `nil` (see `controlPointIndex` and `durationIndex`).
  /// - Throws: `GCSError` on a dimension mismatch or bad bounds.
  public mutating func addConstraint(_ constraint: GCSConstraint, region: Int? = nil) throws(GCSError) {
    for k in try targetRegions(region) { try graph.addConstraint(constraint, to: VertexID(k)) }
  }

  /// Adds a cost on the point `(q₀, …, qₙ, h)` of region `region`, or of every region when `region`
  /// is `nil`.
  /// - Throws: `GCSError` on a dimension mismatch or bad data.
  public mutating func addCost(_ cost: GCSCost, region: Int? = nil) throws(GCSError) {
    for k in try targetRegions(region) { try graph.addCost(cost, to: VertexID(k)) }
  }

  // MARK: - Solving

  /// Finds a trajectory from `start` to `goal` with one shortest-path solve
  /// (`options.shortestPath`: relaxation and rounding by default).
  ///
  /// Returns status `.infeasible` with a reason when the start or goal lies in no region (to
  /// `1e-9` in each set's constraint units) or no chain of regions joins them. Never throws.
  /// - Precondition: `start`, `goal` and fixed velocities have `dimension` entries.
  public func solvePath(
    from start: [Double], to goal: [Double], startVelocity: EndpointVelocity = .zero,
    goalVelocity: EndpointVelocity = .zero
  ) -> GCSTrajectoryResult {
    switch endpointGraph(start: start, goal: goal, startVelocity: startVelocity, goalVelocity: goalVelocity) {
    case .failure(let box): return box.result
    case .success(let (g, s, t)):
      return trajectoryResult(g.solveShortestPath(from: s, to: t, options: options.shortestPath))
    }
  }

  /// Solves the convex restriction on a given chain of regions (region indices, in order): the best
  /// trajectory that visits exactly these regions (as Drake's `SolveConvexRestriction`).
  ///
  /// Returns `.infeasible` with a reason when the chain is empty, consecutive regions are not joined
  /// by an edge, the start is not in the first region or the goal not in the last.
  /// - Precondition: as `solvePath`.
  public func solveConvexRestriction(
    regionPath: [Int], from start: [Double], to goal: [Double], startVelocity: EndpointVelocity = .zero,
    goalVelocity: EndpointVelocity = .zero
  ) -> GCSTrajectoryResult {
    guard let first = regionPath.first, let last = regionPath.last,
      regionPath.allSatisfy({ regions.indices.contains($0) })
    else {
      return Self.failure(.infeasible, "the region path is empty or names a region that does not exist")
    }
    switch endpointGraph(start: start, goal: goal, startVelocity: startVelocity, goalVelocity: goalVelocity) {
    case .failure(let box): return box.result
    case .success(let (g, s, t)):
      if !g[s].outgoing.contains(where: { g[$0].to == VertexID(first) }) {
        return Self.failure(.infeasible, "the start lies outside region \(first), where the region path begins")
      }
      if !g[t].incoming.contains(where: { g[$0].from == VertexID(last) }) {
        return Self.failure(.infeasible, "the goal lies outside region \(last), where the region path ends")
      }
      let path = [s] + regionPath.map(VertexID.init) + [t]
      return trajectoryResult(g.solveConvexRestriction(path: path, options: options.shortestPath))
    }
  }

  // MARK: - Internals

  /// A copy of the graph with the start and goal vertices and their edges.
  private func endpointGraph(
    start: [Double], goal: [Double], startVelocity: EndpointVelocity, goalVelocity: EndpointVelocity
  ) -> Result<(GraphOfConvexSets, VertexID, VertexID), GCSTrajectoryResultBox> {
    let d = dimension
    precondition(start.count == d, "solvePath: start has \(start.count) entries, expected \(d)")
    precondition(goal.count == d, "solvePath: goal has \(goal.count) entries, expected \(d)")
    if case .fixed(let v) = startVelocity { precondition(v.count == d, "solvePath: start velocity has \(v.count) entries, expected \(d)") }
    if case .fixed(let v) = goalVelocity { precondition(v.count == d, "solvePath: goal velocity has \(v.count) entries, expected \(d)") }
    guard let startSet = try? Point(start) else {
      return .failure(GCSTrajectoryResultBox(Self.failure(.infeasible, "the start \(start) is not finite")))
    }
    guard let goalSet = try? Point(goal) else {
      return .failure(GCSTrajectoryResultBox(Self.failure(.infeasible, "the goal \(goal) is not finite")))
    }
    let startRegions = regions.indices.filter { regions[$0].contains(start) }
    let goalRegions = regions.indices.filter { regions[$0].contains(goal) }
    if startRegions.isEmpty {
      return .failure(GCSTrajectoryResultBox(Self.failure(.infeasible, "the start \(start) lies in no region")))
    }
    if goalRegions.isEmpty {
      return .failure(GCSTrajectoryResultBox(Self.failure(.infeasible, "the goal \(goal) lies in no region")))
    }
    var g = graph
    let s = try! g.addVertex(startSet, name: "start")
    let t = try! g.addVertex(goalSet, name: "goal")
    let D = vertexDimension
    let n = Double(order)
    for k in startRegions {
      let e = try! g.addEdge(from: s, to: VertexID(k))
      // start − q₀ = 0 on z = (start, x_v).
      var A = Matrix(rowCount: d, columnCount: d + D, repeating: 0)
      for j in 0..<d {
        A[j, j] = 1
        A[j, d + controlPointIndex(0, j)] = -1
      }
      try! g.addConstraint(.linearEquality(A: A, b: [Double](repeating: 0, count: d)), to: e)
      if let v = velocity(startVelocity) {
        // n (q₁ − q₀) − v h = 0.
        var B = Matrix(rowCount: d, columnCount: d + D, repeating: 0)
        for j in 0..<d {
          B[j, d + controlPointIndex(1, j)] = n
          B[j, d + controlPointIndex(0, j)] = -n
          B[j, d + durationIndex] = -v[j]
        }
        try! g.addConstraint(.linearEquality(A: B, b: [Double](repeating: 0, count: d)), to: e)
      }
    }
    for k in goalRegions {
      let e = try! g.addEdge(from: VertexID(k), to: t)
      // qₙ − goal = 0 on z = (x_u, goal).
      var A = Matrix(rowCount: d, columnCount: D + d, repeating: 0)
      for j in 0..<d {
        A[j, controlPointIndex(order, j)] = 1
        A[j, D + j] = -1
      }
      try! g.addConstraint(.linearEquality(A: A, b: [Double](repeating: 0, count: d)), to: e)
      if let v = velocity(goalVelocity) {
        // n (qₙ − qₙ₋₁) − v h = 0.
        var B = Matrix(rowCount: d, columnCount: D + d, repeating: 0)
        for j in 0..<d {
          B[j, controlPointIndex(order, j)] = n
          B[j, controlPointIndex(order - 1, j)] = -n
          B[j, durationIndex] = -v[j]
        }
        try! g.addConstraint(.linearEquality(A: B, b: [Double](repeating: 0, count: d)), to: e)
      }
    }
    return .success((g, s, t))
  }

  private func velocity(_ v: EndpointVelocity) -> [Double]? {
    switch v {
    case .zero: return [Double](repeating: 0, count: dimension)
    case .fixed(let value): return value
    case .free: return nil
    }
  }

  /// The trajectory result of a shortest-path (or restriction) result.
  private func trajectoryResult(_ r: GCSResult) -> GCSTrajectoryResult {
    var result = GCSTrajectoryResult(
      status: GCSTrajectoryStatus(r.status), trajectory: nil, regionPath: [], cost: r.cost, lowerBound: r.lowerBound,
      reason: r.reason, shortestPath: r)
    guard result.status == .solved else { return result }
    let regionVertices = r.path.filter { $0.index < regions.count }
    var paths: [BezierCurve] = []
    var durations: [Double] = []
    for v in regionVertices {
      guard let x = r.points[v] else {
        result.status = .error
        result.reason = "the shortest-path result has no point for region \(v.index)"
        return result
      }
      paths.append(BezierCurve(controlPoints: (0...order).map { i in Array(x[(i * dimension)..<((i + 1) * dimension)]) }))
      // The solver meets h ≥ h_min to its tolerance; keep every duration positive.
      durations.append(max(x[durationIndex], options.minimumSegmentDuration))
    }
    if paths.isEmpty {
      result.status = .error
      result.reason = "the shortest path visits no region"
      return result
    }
    result.regionPath = regionVertices.map(\.index)
    result.trajectory = PiecewiseBezierTrajectory(paths: paths, durations: durations)
    return result
  }

  private static func failure(_ status: GCSTrajectoryStatus, _ reason: String) -> GCSTrajectoryResult {
    GCSTrajectoryResult(status: status, trajectory: nil, regionPath: [], cost: nil, lowerBound: nil, reason: reason, shortestPath: nil)
  }

  private func targetRegions(_ region: Int?) throws(GCSError) -> [Int] {
    guard let k = region else { return Array(regions.indices) }
    guard regions.indices.contains(k) else { throw GCSError(field: "region", message: "is \(k), expected 0..<\(regions.count)") }
    return [k]
  }

  private func checkWeightMatrix(_ W: Matrix) throws(GCSError) {
    if W.rowCount != dimension || W.columnCount != dimension {
      throw GCSError(field: "weightMatrix", message: "is \(W.rowCount)×\(W.columnCount), expected \(dimension)×\(dimension)")
    }
    if !W.elements.allSatisfy(\.isFinite) { throw GCSError(field: "weightMatrix", message: "has non-finite entries") }
  }

  /// `W (qᵢ₊₁ − qᵢ)` as a `d × vertexDimension` matrix.
  private func differenceMatrix(_ W: Matrix, _ i: Int) -> Matrix {
    var A = Matrix(rowCount: dimension, columnCount: vertexDimension, repeating: 0)
    for r in 0..<dimension {
      for c in 0..<dimension where W[r, c] != 0 {
        A[r, controlPointIndex(i + 1, c)] = W[r, c]
        A[r, controlPointIndex(i, c)] = -W[r, c]
      }
    }
    return A
  }

  /// `qₙᵘ − q₀ᵛ` on `z = (x_u, x_v)`.
  private static func positionContinuityMatrix(d: Int, order: Int) -> Matrix {
    let D = (order + 1) * d + 1
    var A = Matrix(rowCount: d, columnCount: 2 * D, repeating: 0)
    for j in 0..<d {
      A[j, order * d + j] = 1
      A[j, D + j] = -1
    }
    return A
  }
}

/// A result as an `Error`, so that early outcomes can travel in a `Result`.
struct GCSTrajectoryResultBox: Error {
  let result: GCSTrajectoryResult
  init(_ result: GCSTrajectoryResult) { self.result = result }
}

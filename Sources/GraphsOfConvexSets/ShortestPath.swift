import ConicSolver
import ConvexSets
import Foundation

extension GraphOfConvexSets {
  /// Solves the shortest-path problem from `source` to `target`.
  ///
  /// With `.relaxation` (the default): preprocessing, the convex relaxation, randomized rounding of its
  /// flows into up to `maxRoundedPaths` distinct paths, and the convex restriction on each; the best
  /// path wins, and the relaxation's optimum is the lower bound. With `.micp`: branch-and-bound over
  /// the edge variables, which returns the proven optimum when it finishes within the time limit.
  ///
  /// Numerical outcomes (infeasible, limits) are statuses in the result; this never throws.
  public func solveShortestPath(
    from source: VertexID, to target: VertexID, options: GCSOptions = GCSOptions()
  ) -> GCSResult {
    precondition(source.index >= 0 && source.index < vertexCount, "solveShortestPath: source \(source) is not a vertex")
    precondition(target.index >= 0 && target.index < vertexCount, "solveShortestPath: target \(target) is not a vertex")
    var context = SolveContext(graph: self, source: source, target: target, options: options)
    return context.run()
  }

  /// Solves the convex restriction of the problem to a given path (the vertices, in order).
  ///
  /// Returns status `.infeasible` with a reason when consecutive vertices are not joined by an edge
  /// or the convex program is infeasible; `.optimal` with the path's cost otherwise (its lower bound is
  /// the same cost: it is optimal for that path).
  public func solveConvexRestriction(path: [VertexID], options: GCSOptions = GCSOptions()) -> GCSResult {
    let start = DispatchTime.now()
    var result = GCSResult(
      status: .infeasible, method: options.method, cost: nil, lowerBound: nil, relaxationCost: nil, path: [],
      pathEdges: [], points: [:], relaxationFlows: nil, reason: nil, timings: GCSTimings(), statistics: GCSStatistics())
    if path.isEmpty {
      result.reason = "the path is empty"
      return result
    }
    for v in path where v.index < 0 || v.index >= vertexCount {
      result.reason = "\(v) is not a vertex of the graph"
      return result
    }
    if Set(path).count != path.count {
      result.reason = "the path visits a vertex twice"
      return result
    }
    let pathEdges: [EdgeID]
    switch edgesAlong(path) {
    case .success(let e): pathEdges = e
    case .failure(let gap):
      result.reason = "no edge joins \"\(self[path[gap.position]].name)\" to \"\(self[path[gap.position + 1]].name)\""
      return result
    }
    // Only the path's costs are prepared (a quadratic's factor costs an eigendecomposition).
    var vertexCosts = [[PreparedCost]](repeating: [], count: vertexCount)
    for v in path { vertexCosts[v.index] = self[v].costs.map(PreparedCost.init) }
    var edgeCosts = [[PreparedCost]](repeating: [], count: edgeCount)
    for e in pathEdges { edgeCosts[e.index] = self[e].costs.map(PreparedCost.init) }
    let outcome = restriction(
      path: path, pathEdges: pathEdges, preparedVertexCosts: vertexCosts, preparedEdgeCosts: edgeCosts,
      settings: options.solverSettings)
    result.statistics.conicSolves = 1
    result.statistics.interiorPointIterations = outcome.iterations
    if let cost = outcome.cost {
      result.status = .optimal
      result.cost = cost
      result.lowerBound = cost
      result.path = path
      result.pathEdges = pathEdges
      result.points = outcome.points
    } else {
      result.status = outcome.status == .primalInfeasible ? .infeasible : .error
      result.reason = "the convex restriction on the path is \(outcome.status.rawValue.replacingOccurrences(of: "_", with: " "))"
    }
    result.timings.total = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return result
  }
}

/// The state of one shortest-path solve.
struct SolveContext {
  let graph: GraphOfConvexSets
  let source: VertexID
  let target: VertexID
  let options: GCSOptions
  let start = DispatchTime.now()
  let vertexCosts: [[PreparedCost]]
  let edgeCosts: [[PreparedCost]]
  var result: GCSResult
  /// Restriction costs of the paths tried so far (`nil`: infeasible), keyed by edge indices.
  var tried: [[Int]: Double?] = [:]
  /// Bounds of branch-and-bound subtrees whose node failed numerically (still unexplored).
  var pendingBounds: [Double] = []

  init(graph: GraphOfConvexSets, source: VertexID, target: VertexID, options: GCSOptions) {
    self.graph = graph
    self.source = source
    self.target = target
    self.options = options
    vertexCosts = graph.vertices.map { $0.costs.map(PreparedCost.init) }
    edgeCosts = graph.edges.map { $0.costs.map(PreparedCost.init) }
    result = GCSResult(
      status: .error, method: options.method, cost: nil, lowerBound: nil, relaxationCost: nil, path: [], pathEdges: [],
      points: [:], relaxationFlows: nil, reason: nil, timings: GCSTimings(), statistics: GCSStatistics())
  }

  var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

  mutating func run() -> GCSResult {
    solve()
    result.timings.total = elapsed
    return result
  }

  private mutating func solve() {
    if source == target {
      result.status = .infeasible
      result.reason = "the source and the target are the same vertex"
      return
    }
    // Edges that take part: not fixed off, not into the source, not out of the target.
    var active = graph.edges.map { $0.fixed != false && $0.to != source && $0.from != target }
    let t0 = elapsed
    result.statistics.edgesRemoved += graph.pruneUnreachable(source: source, target: target, active: &active)
    if options.preprocessing {
      var preprocessor = EdgePreprocessor(graph: graph, active: active)
      result.statistics.edgesRemoved += preprocessor.prune(graph: graph, source: source, target: target, active: &active)
      result.statistics.edgesRemoved += graph.pruneUnreachable(source: source, target: target, active: &active)
    }
    result.timings.preprocessing = elapsed - t0
    if let e = graph.edges.indices.first(where: { graph.edges[$0].fixed == true && !active[$0] }) {
      result.status = .infeasible
      result.reason = "edge \(graph[graph.edges[e].from].name)→\(graph[graph.edges[e].to].name) is fixed on but lies on no s–t path"
      return
    }
    if !active.contains(true) {
      result.status = .infeasible
      result.reason = "no path from \"\(graph[source].name)\" to \"\(graph[target].name)\""
      return
    }
    let formulation: RelaxationFormulation
    do {
      formulation = try RelaxationFormulation(
        graph: graph, source: source, target: target, active: active,
        twoCycleElimination: options.twoCycleElimination, preparedVertexCosts: vertexCosts, preparedEdgeCosts: edgeCosts)
    } catch {
      result.reason = "could not build the relaxation: \(error)"
      return
    }
    switch options.method {
    case .relaxation: solveByRounding(formulation)
    case .micp: solveByBranchAndBound(formulation)
    }
    return
  }

  // MARK: - Relaxation and rounding

  mutating func solveByRounding(_ formulation: RelaxationFormulation) {
    let t0 = elapsed
    var settings = options.solverSettings
    settings.timeLimitSeconds = min(settings.timeLimitSeconds, options.timeLimitSeconds)
    let lower = formulation.edges.map { graph[$0].fixed == true ? 1.0 : 0.0 }
    let upper = [Double](repeating: 1, count: formulation.edges.count)
    let b = formulation.rightHandSide(lower: lower, upper: upper)
    var problem = formulation.problem
    problem.b = b
    guard let solver = try? InteriorPointSolver(problem: problem, settings: settings) else {
      result.reason = "could not set up the relaxation"
      return
    }
    let relaxed = solver.solve()
    result.timings.relaxation = elapsed - t0
    result.statistics.conicSolves += 1
    result.statistics.interiorPointIterations += relaxed.iterations
    guard relaxed.status.hasSolution else {
      if relaxed.status == .primalInfeasible {
        result.status = .infeasible
        result.reason = "the convex relaxation is infeasible, so no path is feasible"
      } else {
        result.reason = "the convex relaxation ended with status \(relaxed.status.rawValue)"
      }
      return
    }
    result.relaxationCost = relaxed.objective
    result.lowerBound = relaxed.objective
    let flows = flowsPerEdge(formulation, relaxed.x)
    result.relaxationFlows = flows
    let t1 = elapsed
    var generator = SeededGenerator(seed: options.roundingSeed)
    let paths = roundedPaths(flows: flows, count: options.maxRoundedPaths, generator: &generator)
    for path in paths { _ = tryPath(path) }
    result.timings.rounding = elapsed - t1
    if result.cost == nil {
      result.status = .error
      result.reason = paths.isEmpty
        ? "rounding found no path in the relaxation's flows"
        : "none of the \(paths.count) rounded paths has a feasible convex restriction"
      return
    }
    result.status = isClosed(cost: result.cost!, bound: relaxed.objective) ? .optimal : .feasible
  }

  /// Flow of every graph edge (0 for those not in the formulation).
  func flowsPerEdge(_ formulation: RelaxationFormulation, _ x: [Double]) -> [Double] {
    var flows = [Double](repeating: 0, count: graph.edgeCount)
    for (k, e) in formulation.edges.enumerated() { flows[e.index] = min(1, max(0, x[formulation.phi[k]])) }
    return flows
  }

  func isClosed(cost: Double, bound: Double) -> Bool {
    cost - bound <= options.relativeGapTolerance * max(1, abs(cost))
  }

  /// Up to `count` distinct s–t paths (as edge lists) by random walks that follow the flows: from the
  /// current vertex, an outgoing edge to an unvisited vertex with flow above the tolerance is taken
  /// with probability proportional to its flow; a dead end is abandoned and the walk backs up.
  func roundedPaths(flows: [Double], count: Int, generator: inout SeededGenerator) -> [[EdgeID]] {
    var found: [[EdgeID]] = []
    var seen = Set<[Int]>()
    var visited = [Bool](repeating: false, count: graph.vertexCount)
    for _ in 0..<options.maxRoundingTrials where found.count < count {
      for i in visited.indices { visited[i] = false }
      var stack = [source]
      var pathEdges: [EdgeID] = []
      visited[source.index] = true
      while let current = stack.last, current != target {
        let candidates = graph[current].outgoing.filter {
          flows[$0.index] > options.flowTolerance && !visited[graph[$0].to.index]
        }
        if candidates.isEmpty {
          stack.removeLast()
          if !pathEdges.isEmpty { pathEdges.removeLast() }
          continue
        }
        let total = candidates.reduce(0.0) { $0 + flows[$1.index] }
        var pick = generator.nextUnit() * total
        var chosen = candidates[candidates.count - 1]
        for e in candidates {
          pick -= flows[e.index]
          if pick < 0 {
            chosen = e
            break
          }
        }
        let next = graph[chosen].to
        visited[next.index] = true
        stack.append(next)
        pathEdges.append(chosen)
      }
      guard stack.last == target else { continue }
      let key = pathEdges.map(\.index)
      if seen.insert(key).inserted { found.append(pathEdges) }
    }
    return found
  }

  /// Solves the restriction on a path (once per distinct path) and keeps it if it beats the
  /// incumbent; returns its cost.
  mutating func tryPath(_ pathEdges: [EdgeID]) -> Double? {
    let key = pathEdges.map(\.index)
    if let known = tried[key] { return known }
    let vertices = [source] + pathEdges.map { graph[$0].to }
    var settings = options.solverSettings
    settings.timeLimitSeconds = min(settings.timeLimitSeconds, max(1, options.timeLimitSeconds - elapsed))
    let outcome = graph.restriction(
      path: vertices, pathEdges: pathEdges, preparedVertexCosts: vertexCosts, preparedEdgeCosts: edgeCosts,
      settings: settings)
    result.statistics.conicSolves += 1
    result.statistics.roundedPaths += 1
    result.statistics.interiorPointIterations += outcome.iterations
    tried[key] = outcome.cost
    if let cost = outcome.cost, cost < (result.cost ?? .infinity) {
      result.cost = cost
      result.path = vertices
      result.pathEdges = pathEdges
      result.points = outcome.points
    }
    return outcome.cost
  }
}

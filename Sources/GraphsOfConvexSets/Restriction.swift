import ConicSolver
import ConvexSets

/// The convex restriction of the shortest-path problem to one fixed path: a point per vertex on the
/// path, in its set, minimizing the path's vertex and edge costs under their constraints.
struct RestrictionOutcome {
  /// The restriction's optimal cost, when it was solved.
  var cost: Double?
  /// The points of the path's vertices.
  var points: [VertexID: [Double]]
  /// The conic solver's status.
  var status: SolverStatus
  var iterations: Int
}

extension GraphOfConvexSets {
  /// Solves the restriction to the path with vertices `path` and edges `pathEdges`.
  func restriction(
    path: [VertexID], pathEdges: [EdgeID], preparedVertexCosts: [[PreparedCost]],
    preparedEdgeCosts: [[PreparedCost]], settings: SolverSettings
  ) -> RestrictionOutcome {
    var builder = ConicProgramBuilder()
    var variables: [[Int]] = []
    for v in path {
      let x = Array(builder.addVariables(self[v].dimension))
      variables.append(x)
      self[v].set.conicDescription.addConstraints(to: &builder, point: x)
      for cost in preparedVertexCosts[v.index] { cost.addPerspective(to: &builder, z: x, scale: .one) }
      for c in self[v].constraints { c.addPerspective(to: &builder, z: x, scale: .one) }
    }
    for (k, e) in pathEdges.enumerated() {
      let z = variables[k] + variables[k + 1]
      for cost in preparedEdgeCosts[e.index] { cost.addPerspective(to: &builder, z: z, scale: .one) }
      for c in self[e].constraints { c.addPerspective(to: &builder, z: z, scale: .one) }
    }
    guard let problem = try? builder.build(name: "gcs-restriction"),
      let solver = try? InteriorPointSolver(problem: problem, settings: settings)
    else {
      return RestrictionOutcome(cost: nil, points: [:], status: .numericalError, iterations: 0)
    }
    let result = solver.solve()
    guard result.status.hasSolution else {
      return RestrictionOutcome(cost: nil, points: [:], status: result.status, iterations: result.iterations)
    }
    var points: [VertexID: [Double]] = [:]
    for (k, v) in path.enumerated() { points[v] = variables[k].map { result.x[$0] } }
    return RestrictionOutcome(cost: result.objective, points: points, status: result.status, iterations: result.iterations)
  }

  /// The edges joining consecutive vertices of `path` (the first such edge, in insertion order), or
  /// the index of the first pair that no edge joins.
  func edgesAlong(_ path: [VertexID]) -> Result<[EdgeID], PathGap> {
    var result: [EdgeID] = []
    for k in 0..<max(0, path.count - 1) {
      guard let e = self[path[k]].outgoing.first(where: { self[$0].to == path[k + 1] }) else {
        return .failure(PathGap(position: k))
      }
      result.append(e)
    }
    return .success(result)
  }
}

/// Consecutive path vertices `position`, `position + 1` that no edge joins.
struct PathGap: Error {
  let position: Int
}

import ConicSolver
import ConvexSets
import LinearAlgebra

/// The convex relaxation of the mixed-integer shortest-path program of Marcucci et al. (SIAM J.
/// Optim. 2024, §5), on a chosen subset of edges.
///
/// Each edge `e = (u, v)` has a flow `φ_e ∈ [0, 1]` and copies `z_e^u, z_e^v` of the points of its
/// ends, constrained to the perspective sets `z_e^u ∈ φ_e X_u`, `z_e^v ∈ φ_e X_v`. With
/// `ℓ̃(z, φ) = φ ℓ(z/φ)` the perspective of a cost:
///
/// ```
/// minimize    Σ_e ℓ̃_e(z_e^u, z_e^v, φ_e) + Σ_v Σ_{e ∈ out(v)} ℓ̃_v(z_e^u, φ_e)   (in(t) for the target)
/// subject to  Σ_{out(s)} φ = 1,  Σ_{in(t)} φ = 1,
///             Σ_{in(v)} φ = Σ_{out(v)} φ ≤ 1,            v ≠ s, t   (conservation, degree)
///             Σ_{in(v)} z_e^v = Σ_{out(v)} z_e^v,          v ≠ s, t   (spatial conservation)
///             the edges' and vertices' constraints in perspective form, and optionally
///             Σ_{in(v)} φ − φ_uv − φ_vu ≥ 0 with its spatial version (2-cycle elimination).
/// ```
///
/// With `φ ∈ {0, 1}` this is the exact mixed-integer program. The bounds `lo ≤ φ ≤ hi` sit in rows of
/// their own, so branch-and-bound changes only the right-hand side (and keeps the factorization's
/// symbolic analysis).
struct RelaxationFormulation {
  /// The graph edges that take part, in increasing order.
  let edges: [EdgeID]
  /// `φ` variable of each participating edge.
  let phi: [Int]
  /// Variables of `z_e^u` and `z_e^v`, per participating edge.
  let tailCopy: [[Int]]
  let headCopy: [[Int]]
  /// The conic program.
  let problem: ConicProblem
  /// Row of the first bound row: row `boundRow + 2k` is `φ_k − lo_k ≥ 0`, the next `hi_k − φ_k ≥ 0`.
  let boundRow: Int

  /// Builds the formulation on the edges with `active[e] == true`.
  /// - Throws: `ConicProblemError` if data are not finite (already checked when the graph was built).
  init(
    graph: GraphOfConvexSets, source: VertexID, target: VertexID, active: [Bool],
    twoCycleElimination: Bool, preparedVertexCosts: [[PreparedCost]], preparedEdgeCosts: [[PreparedCost]]
  ) throws(ConicProblemError) {
    var builder = ConicProgramBuilder()
    let edges = graph.edges.indices.filter { active[$0] }.map(EdgeID.init)
    var localIndex = [Int](repeating: -1, count: graph.edgeCount)
    for (k, e) in edges.enumerated() { localIndex[e.index] = k }

    var phi: [Int] = []
    var tail: [[Int]] = []
    var head: [[Int]] = []
    for e in edges {
      let edge = graph[e]
      phi.append(builder.addVariables(1).lowerBound)
      tail.append(Array(builder.addVariables(graph[edge.from].dimension)))
      head.append(Array(builder.addVariables(graph[edge.to].dimension)))
    }
    // Bound rows first among the inequalities, so their rows are known: 0 ≤ φ ≤ 1 by default.
    var bounds: [AffineExpression] = []
    for k in edges.indices {
      bounds.append(AffineExpression(indices: [phi[k]], coefficients: [1], constant: 0))
      bounds.append(AffineExpression(indices: [phi[k]], coefficients: [-1], constant: 1))
    }
    builder.addConstraint(.nonnegative, bounds)

    // Perspective sets, edge costs and constraints.
    var descriptions: [ConicSetDescription?] = Array(repeating: nil, count: graph.vertexCount)
    func description(_ v: VertexID) -> ConicSetDescription {
      if let d = descriptions[v.index] { return d }
      let d = graph[v].set.conicDescription
      descriptions[v.index] = d
      return d
    }
    for (k, e) in edges.enumerated() {
      let edge = graph[e]
      let scale = Homogenization.variable(phi[k])
      description(edge.from).addConstraints(to: &builder, point: tail[k], scale: phi[k])
      description(edge.to).addConstraints(to: &builder, point: head[k], scale: phi[k])
      let z = tail[k] + head[k]
      for cost in preparedEdgeCosts[e.index] { cost.addPerspective(to: &builder, z: z, scale: scale) }
      for c in edge.constraints { c.addPerspective(to: &builder, z: z, scale: scale) }
    }

    // Vertices: flow, degree, spatial conservation, vertex costs and constraints, 2-cycles.
    for vIndex in 0..<graph.vertexCount {
      let v = VertexID(vIndex)
      let vertex = graph[v]
      let incoming = vertex.incoming.compactMap { localIndex[$0.index] >= 0 ? localIndex[$0.index] : nil }
      let outgoing = vertex.outgoing.compactMap { localIndex[$0.index] >= 0 ? localIndex[$0.index] : nil }
      if v == source {
        var sum = AffineExpression(constant: -1)
        for k in outgoing { sum.add(phi[k], 1) }
        builder.addConstraint(.zero, [sum])
      } else if v == target {
        var sum = AffineExpression(constant: -1)
        for k in incoming { sum.add(phi[k], 1) }
        builder.addConstraint(.zero, [sum])
      } else if !incoming.isEmpty || !outgoing.isEmpty {
        var conservation = AffineExpression()
        var degree = AffineExpression(constant: 1)
        for k in incoming {
          conservation.add(phi[k], 1)
          degree.add(phi[k], -1)
        }
        for k in outgoing { conservation.add(phi[k], -1) }
        var spatial: [AffineExpression] = []
        for i in 0..<vertex.dimension {
          var e = AffineExpression()
          for k in incoming { e.add(head[k][i], 1) }
          for k in outgoing { e.add(tail[k][i], -1) }
          spatial.append(e)
        }
        builder.addConstraint(.zero, [conservation] + spatial)
        if !incoming.isEmpty { builder.addConstraint(.nonnegative, [degree]) }
      }
      // Vertex costs: once per path through v, on the copies of x_v of v's outgoing edges (of the
      // incoming edges for the target), as Drake does.
      let costCopies: [(copy: [Int], phi: Int)] =
        v == target ? incoming.map { (head[$0], phi[$0]) } : outgoing.map { (tail[$0], phi[$0]) }
      for cost in preparedVertexCosts[vIndex] {
        for (copy, p) in costCopies { cost.addPerspective(to: &builder, z: copy, scale: .variable(p)) }
      }
      // Vertex constraints hold on every copy of x_v.
      for c in vertex.constraints {
        for k in incoming { c.addPerspective(to: &builder, z: head[k], scale: .variable(phi[k])) }
        for k in outgoing { c.addPerspective(to: &builder, z: tail[k], scale: .variable(phi[k])) }
      }
      if twoCycleElimination && v != source && v != target {
        for kIn in incoming {
          let u = graph[edges[kIn]].from
          guard let kOut = outgoing.first(where: { graph[edges[$0]].to == u }) else { continue }
          // y = Σ_in φ − φ_uv − φ_vu ≥ 0, and Σ_in z^v − z_uv^v − z_vu^v ∈ y X_v.
          var y = AffineExpression()
          for k in incoming { y.add(phi[k], 1) }
          y.add(phi[kIn], -1)
          y.add(phi[kOut], -1)
          var point: [AffineExpression] = []
          for i in 0..<vertex.dimension {
            var e = AffineExpression()
            for k in incoming where k != kIn { e.add(head[k][i], 1) }
            e.add(tail[kOut][i], -1)
            point.append(e)
          }
          builder.addConstraint(.nonnegative, [y])
          description(v).addConstraints(to: &builder, pointExpressions: point, scale: y)
        }
      }
    }

    self.edges = edges
    self.phi = phi
    self.tailCopy = tail
    self.headCopy = head
    self.boundRow = builder.rowRanges.nonnegative.lowerBound
    self.problem = try builder.build(name: "gcs-relaxation")
  }

  /// The right-hand side with bounds `lo ≤ φ ≤ hi` (per participating edge).
  func rightHandSide(lower: [Double], upper: [Double]) -> [Double] {
    var b = problem.b
    for k in edges.indices {
      b[boundRow + 2 * k] = -lower[k]
      b[boundRow + 2 * k + 1] = upper[k]
    }
    return b
  }
}

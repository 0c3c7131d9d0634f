/// Removal of edges that cannot lie on any simple s–t path, before the convex program is built.
///
/// An edge `u → v` lies on a simple s–t path exactly when there are vertex-disjoint paths `s ⇝ u` and
/// `v ⇝ t` (neither using `u → v` or `v → u`). Deciding that is NP-hard in directed graphs, so we
/// test a necessary condition that is a single max-flow problem: with every vertex of capacity 1, a
/// super-source feeding `s` and `v` and a super-sink fed by `u` and `t`, two units of flow must get
/// through. An edge that fails is removed; no edge of a simple s–t path is ever removed.
///
/// Drake's preprocessing solves a small linear program per edge instead (the paper's §9.1); this test
/// is weaker on some graphs but costs two breadth-first searches per edge.
///
/// - Complexity: O(E · (V + E)) time, O(V + E) memory.
struct EdgePreprocessor {
  // Residual network over split vertices: node 2w is w_in, 2w + 1 is w_out.
  private var head: [Int] = []  // arc → node it points to
  private var capacity: [Int] = []  // residual capacity
  private var edgeOfArc: [Int] = []  // graph edge index of a forward/backward arc pair, −1 for splits
  private var start: [Int] = []  // CSR offsets per node
  private var arcsOut: [Int] = []  // CSR arc list
  private let nodeCount: Int

  /// Builds the network on the edges with `active[e] == true`.
  init(graph: GraphOfConvexSets, active: [Bool]) {
    nodeCount = 2 * graph.vertexCount
    var tails: [Int] = []
    func addArc(_ a: Int, _ b: Int, _ edge: Int) {
      head.append(b)
      capacity.append(1)
      edgeOfArc.append(edge)
      tails.append(a)
      head.append(a)
      capacity.append(0)
      edgeOfArc.append(edge)
      tails.append(b)
    }
    for w in 0..<graph.vertexCount { addArc(2 * w, 2 * w + 1, -1) }
    for (e, edge) in graph.edges.enumerated() where active[e] {
      addArc(2 * edge.from.index + 1, 2 * edge.to.index, e)
    }
    var counts = [Int](repeating: 0, count: nodeCount + 1)
    for a in tails { counts[a + 1] += 1 }
    for i in 0..<nodeCount { counts[i + 1] += counts[i] }
    start = counts
    arcsOut = [Int](repeating: 0, count: tails.count)
    var next = counts
    for (arc, a) in tails.enumerated() {
      arcsOut[next[a]] = arc
      next[a] += 1
    }
  }

  /// Marks inactive every active edge that fails the two-disjoint-paths test; returns how many.
  mutating func prune(graph: GraphOfConvexSets, source: VertexID, target: VertexID, active: inout [Bool]) -> Int {
    var removed = 0
    var reverseOf = [Int](repeating: -1, count: graph.edgeCount)
    for (e, edge) in graph.edges.enumerated() where active[e] {
      if let r = graph[edge.to].outgoing.first(where: { active[$0.index] && graph[$0].to == edge.from }) {
        reverseOf[e] = r.index
      }
    }
    var parentArc = [Int](repeating: -1, count: nodeCount)
    var seen = [Int](repeating: -1, count: nodeCount)
    var queue = [Int](repeating: 0, count: nodeCount)
    var touched: [Int] = []
    var stamp = 0
    for (e, edge) in graph.edges.enumerated() where active[e] {
      let u = edge.from.index
      let v = edge.to.index
      let banned = (e, reverseOf[e])
      var sources = [2 * source.index, 2 * v]
      var sinks = [2 * u + 1, 2 * target.index + 1]
      var units = 0
      for _ in 0..<2 {
        stamp += 1
        var found = -1
        var qHead = 0
        var qTail = 0
        for s in sources where seen[s] != stamp {
          seen[s] = stamp
          parentArc[s] = -1
          queue[qTail] = s
          qTail += 1
        }
        search: while qHead < qTail {
          let a = queue[qHead]
          qHead += 1
          if sinks.contains(a) {
            found = a
            break search
          }
          for p in start[a]..<start[a + 1] {
            let arc = arcsOut[p]
            if capacity[arc] == 0 { continue }
            let ge = edgeOfArc[arc]
            if ge >= 0 && (ge == banned.0 || ge == banned.1) { continue }
            let b = head[arc]
            if seen[b] == stamp { continue }
            seen[b] = stamp
            parentArc[b] = arc
            queue[qTail] = b
            qTail += 1
          }
        }
        if found < 0 { break }
        units += 1
        // Augment along the parent arcs; the path's first node is one of the sources.
        var node = found
        while parentArc[node] >= 0 {
          let arc = parentArc[node]
          capacity[arc] -= 1
          capacity[arc ^ 1] += 1
          touched.append(arc)
          node = head[arc ^ 1]
        }
        sources.removeAll { $0 == node }
        sinks.removeAll { $0 == found }
      }
      for arc in touched {
        capacity[arc] = arc & 1 == 0 ? 1 : 0
        capacity[arc ^ 1] = (arc ^ 1) & 1 == 0 ? 1 : 0
      }
      touched.removeAll(keepingCapacity: true)
      if units < 2 {
        active[e] = false
        removed += 1
      }
    }
    return removed
  }
}

extension GraphOfConvexSets {
  /// Marks inactive the edges whose tail cannot be reached from `source` (without passing through
  /// `target`) or whose head cannot reach `target` (without passing through `source`); returns how many.
  ///
  /// - Complexity: O(V + E).
  func pruneUnreachable(source: VertexID, target: VertexID, active: inout [Bool]) -> Int {
    var forward = [Bool](repeating: false, count: vertexCount)
    var stack = [source.index]
    forward[source.index] = true
    while let a = stack.popLast() {
      if a == target.index { continue }
      for e in vertices[a].outgoing where active[e.index] {
        let b = edges[e.index].to.index
        if !forward[b] {
          forward[b] = true
          stack.append(b)
        }
      }
    }
    var backward = [Bool](repeating: false, count: vertexCount)
    stack = [target.index]
    backward[target.index] = true
    while let b = stack.popLast() {
      if b == source.index { continue }
      for e in vertices[b].incoming where active[e.index] {
        let a = edges[e.index].from.index
        if !backward[a] {
          backward[a] = true
          stack.append(a)
        }
      }
    }
    var removed = 0
    for (e, edge) in edges.enumerated() where active[e] {
      if !forward[edge.from.index] || !backward[edge.to.index] || edge.from == target || edge.to == source {
        active[e] = false
        removed += 1
      }
    }
    return removed
  }
}

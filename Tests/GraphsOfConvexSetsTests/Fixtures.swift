import ConvexSets
import LinearAlgebra
@testable import GraphsOfConvexSets

/// Named graphs for the tests.
enum Fixtures {
  /// s = (0, 0) → box [0.5, 1.5] × [−1, 1] → t = (2, 0), and a detour s → b → t through a box far up.
  /// The shortest path goes through `a` and costs 2 (a straight line).
  static func twoRoutes() throws -> (GraphOfConvexSets, VertexID, VertexID) {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0, 0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [0.5, -1], ub: [1.5, 1]), name: "a")
    let b = try g.addVertex(Hyperrectangle(lb: [0.5, 2], ub: [1.5, 3]), name: "b")
    let t = try g.addVertex(Point([2, 0]), name: "t")
    for (u, v) in [(s, a), (a, t), (s, b), (b, t), (a, b), (b, a)] {
      try g.addCost(.euclidean, to: g.addEdge(from: u, to: v))
    }
    return (g, s, t)
  }

  /// A random graph in the SIAM paper's statistical setup, scaled down: `count` boxes of side
  /// `side` in the unit cube of dimension `dimension`, source at the origin, target at (1, …, 1),
  /// `edgeCount` random directed edges plus edges from the source and into the target, with
  /// Euclidean (`squared: false`) or squared Euclidean edge costs.
  static func randomBoxes(
    seed: UInt64, dimension: Int, count: Int, edgeCount: Int, side: Double = 0.2, squared: Bool
  ) throws -> (GraphOfConvexSets, VertexID, VertexID) {
    var rng = SeededGenerator(seed: seed)
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([Double](repeating: 0, count: dimension)), name: "s")
    var boxes: [VertexID] = []
    for k in 0..<count {
      let lb = (0..<dimension).map { _ in rng.nextUnit() * (1 - side) }
      boxes.append(try g.addVertex(Hyperrectangle(lb: lb, ub: lb.map { $0 + side }), name: "v\(k)"))
    }
    let t = try g.addVertex(Point([Double](repeating: 1, count: dimension)), name: "t")
    var pairs = Set<[Int]>()
    func connect(_ u: VertexID, _ v: VertexID) throws {
      guard u != v, pairs.insert([u.index, v.index]).inserted else { return }
      let e = try g.addEdge(from: u, to: v)
      if squared {
        // ½ zᵀQz with Q = 2 [I −I; −I I] is ‖x_v − x_u‖².
        var Q = Matrix(rowCount: 2 * dimension, columnCount: 2 * dimension, repeating: 0)
        for i in 0..<dimension {
          Q[i, i] = 2
          Q[dimension + i, dimension + i] = 2
          Q[i, dimension + i] = -2
          Q[dimension + i, i] = -2
        }
        try g.addCost(.quadratic(Q: Q, q: [Double](repeating: 0, count: 2 * dimension), c: 0), to: e)
      } else {
        try g.addCost(.euclidean, to: e)
      }
    }
    for k in 0..<3 { try connect(s, boxes[k]) }
    for k in (count - 3)..<count { try connect(boxes[k], t) }
    while pairs.count < edgeCount + 6 {
      let u = boxes[Int(rng.next() % UInt64(count))]
      let v = boxes[Int(rng.next() % UInt64(count))]
      try connect(u, v)
    }
    return (g, s, t)
  }

  /// The exact optimum by enumerating every simple s–t path and solving its restriction.
  static func bruteForce(_ g: GraphOfConvexSets, _ s: VertexID, _ t: VertexID) -> (cost: Double, path: [VertexID])? {
    var best: (Double, [VertexID])? = nil
    var path = [s]
    var onPath = Set([s])
    func extend() {
      let u = path.last!
      if u == t {
        let r = g.solveConvexRestriction(path: path)
        if let c = r.cost, c < (best?.0 ?? .infinity) { best = (c, path) }
        return
      }
      for e in g[u].outgoing {
        let v = g[e].to
        if onPath.contains(v) || v == s { continue }
        path.append(v)
        onPath.insert(v)
        extend()
        path.removeLast()
        onPath.remove(v)
      }
    }
    extend()
    return best.map { (cost: $0.0, path: $0.1) }
  }
}

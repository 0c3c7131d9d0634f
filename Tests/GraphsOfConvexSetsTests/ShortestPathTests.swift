import ConvexSets
import LinearAlgebra
import Testing
@testable import GraphsOfConvexSets

@Suite struct ShortestPathTests {
  @Test func straightLineThroughABox() throws {
    let (g, s, t) = try Fixtures.twoRoutes()
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.status == .optimal)
    #expect(r.path.map { g[$0].name } == ["s", "a", "t"])
    // The straight segment from (0,0) to (2,0) passes through a: cost 2 (solver tolerance 1e-8,
    // with margin).
    #expect(abs(r.cost! - 2) < 1e-6)
    #expect(r.lowerBound! <= r.cost! + 1e-7)
    #expect(g[g.vertex(named: "a")!].set.contains(r.points[g.vertex(named: "a")!]!, tolerance: 1e-7))
  }

  @Test func relaxationBoundsTheExactOptimumWhichBoundsRounding() throws {
    // Squared Euclidean costs make the relaxation loose on some graphs (as in the paper's Fig. 6).
    for seed in UInt64(1)...6 {
      let (g, s, t) = try Fixtures.randomBoxes(seed: seed, dimension: 2, count: 9, edgeCount: 22, squared: true)
      let exact = try #require(Fixtures.bruteForce(g, s, t))
      let relaxed = g.solveShortestPath(from: s, to: t)
      var options = GCSOptions()
      options.method = .micp
      let micp = g.solveShortestPath(from: s, to: t, options: options)
      // Tolerances: interior-point accuracy is 1e-8 relative; allow 1e-6.
      #expect(micp.status == .optimal, "seed \(seed)")
      #expect(abs(micp.cost! - exact.cost) <= 1e-6 * max(1, exact.cost), "seed \(seed): MICP \(micp.cost!) vs enumeration \(exact.cost)")
      #expect(relaxed.lowerBound! <= exact.cost + 1e-6, "seed \(seed)")
      #expect(relaxed.cost! >= exact.cost - 1e-6, "seed \(seed)")
      #expect(micp.lowerBound! <= micp.cost! + 1e-9)
    }
  }

  @Test func micpMatchesEnumerationWithEuclideanCostsIn3D() throws {
    for seed in UInt64(10)...13 {
      let (g, s, t) = try Fixtures.randomBoxes(seed: seed, dimension: 3, count: 8, edgeCount: 20, squared: false)
      let exact = try #require(Fixtures.bruteForce(g, s, t))
      var options = GCSOptions()
      options.method = .micp
      let micp = g.solveShortestPath(from: s, to: t, options: options)
      #expect(micp.status == .optimal)
      #expect(abs(micp.cost! - exact.cost) <= 1e-6 * max(1, exact.cost), "seed \(seed)")
    }
  }

  @Test func preprocessingKeepsTheOptimum() throws {
    for seed in UInt64(20)...25 {
      let (g, s, t) = try Fixtures.randomBoxes(seed: seed, dimension: 2, count: 10, edgeCount: 18, squared: false)
      var with = GCSOptions()
      with.method = .micp
      var without = with
      without.preprocessing = false
      let a = g.solveShortestPath(from: s, to: t, options: with)
      let b = g.solveShortestPath(from: s, to: t, options: without)
      #expect(a.status == b.status)
      if let ca = a.cost, let cb = b.cost { #expect(abs(ca - cb) <= 1e-6 * max(1, cb), "seed \(seed)") }
    }
  }

  @Test func preprocessingRemovesADeadEndCorridor() throws {
    // s → a → t, plus a → d → e (a dead end with a way back e → a): a→d, d→e, e→a can never be
    // on a simple s–t path.
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0, 0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [0, 0], ub: [1, 1]), name: "a")
    let d = try g.addVertex(Hyperrectangle(lb: [0, 1], ub: [1, 2]), name: "d")
    let e = try g.addVertex(Hyperrectangle(lb: [1, 1], ub: [2, 2]), name: "e")
    let t = try g.addVertex(Point([1, 0]), name: "t")
    for (u, v) in [(s, a), (a, t), (a, d), (d, e), (e, a), (d, a)] {
      try g.addCost(.euclidean, to: g.addEdge(from: u, to: v))
    }
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.statistics.edgesRemoved == 4)
    #expect(r.status == .optimal)
    #expect(abs(r.cost! - 1) < 1e-6)
  }

  @Test func noPathIsInfeasibleWithAReason() throws {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [0], ub: [1]), name: "a")
    let t = try g.addVertex(Point([2]), name: "t")
    try g.addEdge(from: s, to: a)
    try g.addEdge(from: t, to: a)
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.status == .infeasible)
    #expect(r.reason == "no path from \"s\" to \"t\"")
    #expect(r.cost == nil && r.path.isEmpty)
  }

  @Test func edgeConstraintsThatNoPointMeetsMakeTheRelaxationInfeasible() throws {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [0], ub: [1]), name: "a")
    let t = try g.addVertex(Point([2]), name: "t")
    try g.addEdge(from: s, to: a)
    let e = try g.addEdge(from: a, to: t)
    // x_a − x_t = 5 is impossible with x_a ≤ 1, x_t = 2.
    try g.addConstraint(.linearEquality(A: Matrix(rows: [[1, -1]]), b: [5]), to: e)
    for method in GCSMethod.allCases {
      var options = GCSOptions()
      options.method = method
      let r = g.solveShortestPath(from: s, to: t, options: options)
      #expect(r.status == .infeasible, "\(method)")
    }
  }

  @Test func fixedEdgesAreRespected() throws {
    var (g, s, t) = try Fixtures.twoRoutes()
    let sb = try #require(g[s].outgoing.first { g[g[$0].to].name == "b" })
    g.fixEdge(sb, true)
    for method in GCSMethod.allCases {
      var options = GCSOptions()
      options.method = method
      let r = g.solveShortestPath(from: s, to: t, options: options)
      // Through b the best costs 2√5 (the reflection bound); s→b→a→t ties with s→b→t, since the
      // segment from b's point to t may cross a.
      #expect(r.path.prefix(2).map { g[$0].name } == ["s", "b"], "\(method)")
      #expect(abs(r.cost! - 2 * (5.0).squareRoot()) < 1e-6, "\(method)")
    }
    g.fixEdge(sb, false)
    let sa = try #require(g[s].outgoing.first { g[g[$0].to].name == "a" })
    g.fixEdge(sa, false)
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.status == .infeasible)
  }

  @Test func everyCostKindIsPricedAtTheReturnedPoints() throws {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0, 0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [1, -1], ub: [2, 1]), name: "a")
    let b = try g.addVertex(HPolyhedron(A: Matrix(rows: [[1, 0], [-1, 0], [0, 1], [0, -1]]), b: [4, -3, 1, 1]), name: "b")
    let t = try g.addVertex(Point([5, 0.5]), name: "t")
    let costs: [GCSCost] = [
      .l1Norm(A: Matrix(rows: [[-1, 0, 1, 0], [0, -1, 0, 1]]), b: [0, 0.1]),
      .lInfNorm(A: Matrix(rows: [[-1, 0, 1, 0], [0, -1, 0, 1]]), b: [0.2, 0]),
      .linear(a: [0, 0, 0.5, 0], b: 1),
    ]
    let e1 = try g.addEdge(from: s, to: a)
    let e2 = try g.addEdge(from: a, to: b)
    let e3 = try g.addEdge(from: b, to: t)
    for (e, c) in zip([e1, e2, e3], costs) { try g.addCost(c, to: e) }
    try g.addCost(.quadratic(Q: Matrix(rows: [[2, 0], [0, 4]]), q: [0, -1], c: 0.5), to: a)
    try g.addCost(.l2Norm(A: Matrix(rows: [[1, 0], [0, 1]]), b: [-3.5, 0]), to: b)
    try g.addConstraint(.linearInequality(A: Matrix(rows: [[0, 1]]), lb: [0.25], ub: [.infinity]), to: b)
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.status == .optimal)
    let x = r.points
    var total = 0.0
    total += costs[0].value(at: x[s]! + x[a]!)
    total += costs[1].value(at: x[a]! + x[b]!)
    total += costs[2].value(at: x[b]! + x[t]!)
    total += GCSCost.quadratic(Q: Matrix(rows: [[2, 0], [0, 4]]), q: [0, -1], c: 0.5).value(at: x[a]!)
    total += GCSCost.l2Norm(A: Matrix(rows: [[1, 0], [0, 1]]), b: [-3.5, 0]).value(at: x[b]!)
    #expect(abs(total - r.cost!) < 1e-6)
    #expect(x[b]![1] >= 0.25 - 1e-7)
    // The relaxation on a single path is exact.
    #expect(abs(r.lowerBound! - r.cost!) < 1e-6)
  }

  @Test func restrictionOnAGivenPath() throws {
    let (g, s, t) = try Fixtures.twoRoutes()
    let b = g.vertex(named: "b")!
    let r = g.solveConvexRestriction(path: [s, b, t])
    #expect(r.status == .optimal)
    // Via b: from (0,0) to (1, 2) to (2, 0), the shortest through the box [0.5,1.5]×[2,3] touches y = 2 at x = 1.
    #expect(abs(r.cost! - 2 * (5.0).squareRoot()) < 1e-6)
    let bad = g.solveConvexRestriction(path: [s, t])
    #expect(bad.status == .infeasible)
    #expect(bad.reason == "no edge joins \"s\" to \"t\"")
  }

  @Test func roundingIsDeterministicForASeed() throws {
    let (g, s, t) = try Fixtures.randomBoxes(seed: 3, dimension: 2, count: 12, edgeCount: 30, squared: true)
    var options = GCSOptions()
    options.roundingSeed = 7
    let a = g.solveShortestPath(from: s, to: t, options: options)
    let b = g.solveShortestPath(from: s, to: t, options: options)
    #expect(a.path == b.path)
    #expect(a.cost == b.cost)
  }
}

@Suite struct ReadmeExampleTests {
  /// The example of README.md, section "Shortest paths in Graphs of Convex Sets".
  @Test func readmeExample() throws {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0, 0]), name: "s")
    let a = try g.addVertex(Hyperrectangle(lb: [0.5, -1], ub: [1.5, 1]), name: "a")
    let b = try g.addVertex(Hyperellipsoid.ball(center: [1, 2.5], radius: 0.5), name: "b")
    let t = try g.addVertex(Point([2, 0]), name: "t")
    for (u, v) in [(s, a), (a, t), (s, b), (b, t)] {
      try g.addCost(.euclidean, to: g.addEdge(from: u, to: v))
    }
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.status == .optimal)
    #expect(abs(r.cost! - 2) < 1e-6 && abs(r.lowerBound! - 2) < 1e-6)
    #expect(r.path == [s, a, t])
    var exact = GCSOptions()
    exact.method = .micp
    let proven = g.solveShortestPath(from: s, to: t, options: exact)
    #expect(proven.status == .optimal && proven.path == [s, a, t])
  }
}

@Suite struct EmptySetTests {
  /// A vertex whose set is empty ({x ≤ 0} ∩ {x ≥ 1}) cannot be on a path: with it as the only way
  /// through, the problem is infeasible; with a detour, the detour is taken.
  @Test func emptySetVertexIsAvoidedOrMakesTheProblemInfeasible() throws {
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point([0]), name: "s")
    let empty = try g.addVertex(HPolyhedron(A: Matrix(rows: [[1], [-1]]), b: [0, -1]), name: "empty")
    let t = try g.addVertex(Point([2]), name: "t")
    try g.addCost(.euclidean, to: g.addEdge(from: s, to: empty))
    try g.addCost(.euclidean, to: g.addEdge(from: empty, to: t))
    for method in GCSMethod.allCases {
      var options = GCSOptions()
      options.method = method
      let r = g.solveShortestPath(from: s, to: t, options: options)
      #expect(r.status == .infeasible, "\(method): \(r.status) \(r.reason ?? "")")
      #expect(r.reason != nil)
    }
    let detour = try g.addVertex(Hyperrectangle(lb: [0], ub: [2]), name: "detour")
    try g.addCost(.euclidean, to: g.addEdge(from: s, to: detour))
    try g.addCost(.euclidean, to: g.addEdge(from: detour, to: t))
    let r = g.solveShortestPath(from: s, to: t)
    #expect(r.path == [s, detour, t])
    #expect(abs(r.cost! - 2) < 1e-6)
  }
}

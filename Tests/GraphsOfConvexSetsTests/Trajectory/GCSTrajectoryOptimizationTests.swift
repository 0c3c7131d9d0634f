import ConvexSets
import LinearAlgebra
import Testing
@testable import GraphsOfConvexSets

/// Named problems for the trajectory tests.
enum TrajectoryFixtures {
  /// An L-shaped corridor: a horizontal box [0, 4] × [0, 1] and a vertical box [3, 4] × [0, 5],
  /// overlapping in [3, 4] × [0, 1]; plus a decoy box [−3, −1] × [0, 1] that touches neither.
  static func lCorridor() throws -> [any ConvexSet] {
    [
      try Hyperrectangle(lb: [0, 0], ub: [4, 1]),
      try Hyperrectangle(lb: [3, 0], ub: [4, 5]),
      try Hyperrectangle(lb: [-3, 0], ub: [-1, 1]),
    ]
  }
  static let lStart = [0.5, 0.5]
  static let lGoal = [3.5, 4.5]

  /// A ring of eight boxes around the obstacle [1, 2]² in [0, 3]² (corners, then sides between
  /// them); neighbours overlap in strips of width 0.1 and no box enters the obstacle's interior.
  /// Two routes (over the bottom-right or the top-left) join the corners (0, 0) and (3, 3).
  static func ring() throws -> [any ConvexSet] {
    [
      try Hyperrectangle(lb: [0, 0], ub: [1.1, 1]),  // bottom-left corner
      try Hyperrectangle(lb: [0.9, 0], ub: [2.1, 1]),  // bottom
      try Hyperrectangle(lb: [1.9, 0], ub: [3, 1]),  // bottom-right corner
      try Hyperrectangle(lb: [2, 0.9], ub: [3, 2.1]),  // right
      try Hyperrectangle(lb: [1.9, 2], ub: [3, 3]),  // top-right corner
      try Hyperrectangle(lb: [0.9, 2], ub: [2.1, 3]),  // top
      try Hyperrectangle(lb: [0, 2], ub: [1.1, 3]),  // top-left corner
      try Hyperrectangle(lb: [0, 0.9], ub: [1, 2.1]),  // left
    ]
  }
}

@Suite struct GCSTrajectoryOptimizationTests {
  @Test func graphHasOneVertexPerRegionAndEdgesBothWaysBetweenIntersectingRegions() throws {
    let problem = try GCSTrajectoryOptimization(regions: TrajectoryFixtures.lCorridor())
    #expect(problem.graph.vertexCount == 3)
    #expect(problem.regionEdges.map { [$0.from, $0.to] } == [[0, 1], [1, 0]])
    #expect(problem.vertexDimension == 4 * 2 + 1)
    #expect(problem.graph[problem.vertex(ofRegion: 1)].dimension == 9)
    #expect(problem.durationIndex == 8)
    #expect(problem.controlPointIndex(2, 1) == 5)
  }

  @Test func lCorridorTrajectoryStaysInsideMeetsBoundsAndIsContinuous() throws {
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([1, 1])
    options.pathContinuityOrder = 2
    let regions = try TrajectoryFixtures.lCorridor()
    let problem = try GCSTrajectoryOptimization(regions: regions, options: options)
    let result = problem.solvePath(from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    #expect(result.status == .solved, "\(result.reason ?? "")")
    #expect(result.regionPath == [0, 1])
    let q = try #require(result.trajectory)
    #expect(q.segments.count == 2)
    #expect(q.startTime == 0)
    // Tolerances: the interior-point solver meets constraints to 1e-8 relative on data of size ≤ 20
    // (h_max); 1e-6 absolute leaves margin.
    let tol = 1e-6
    func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= tol } }
    #expect(close(q.position(at: 0), TrajectoryFixtures.lStart))
    #expect(close(q.position(at: q.endTime), TrajectoryFixtures.lGoal))
    #expect(close(q.velocity(at: 0), [0, 0]), "\(q.velocity(at: 0))")
    #expect(close(q.velocity(at: q.endTime), [0, 0]), "\(q.velocity(at: q.endTime))")
    // Each segment's control points lie in its region, hence the whole segment does.
    for (k, segment) in q.segments.enumerated() {
      let region = regions[result.regionPath[k]]
      for p in segment.path.controlPoints { #expect(region.contains(p, tolerance: tol), "segment \(k): \(p)") }
      #expect(segment.duration >= options.minimumSegmentDuration)
    }
    // Dense samples lie in the union and respect the velocity bounds.
    let samples = q.samples(dt: q.duration / 2000)
    #expect(samples.count == 2001)
    for s in samples {
      #expect(regions[0].contains(s.position, tolerance: tol) || regions[1].contains(s.position, tolerance: tol), "t \(s.time): \(s.position)")
      for j in 0..<2 { #expect(abs(s.velocity[j]) <= 1 + tol, "t \(s.time): velocity \(s.velocity)") }
    }
    // Joins: position and path derivatives (orders 1, 2) agree.
    for k in 0..<(q.segments.count - 1) {
      let u = q.segments[k].path
      let v = q.segments[k + 1].path
      for order in 0...2 {
        #expect(close(u.derivativeValue(order: order, at: 1), v.derivativeValue(order: order, at: 0)), "join \(k), order \(order)")
      }
      #expect(abs(q.segments[k].endTime - q.segments[k + 1].startTime) < 1e-12)
    }
    // The cost is the objective at the returned trajectory: Σ h + Σ control-polygon lengths.
    let objective = q.duration + q.segments.reduce(0.0) { $0 + $1.path.controlPolygonLength }
    #expect(abs(result.cost! - objective) <= 1e-5 * objective)
    #expect(result.lowerBound! <= result.cost! + 1e-6)
    // The relaxation is tight here (a single corridor): no gap beyond solver accuracy.
    #expect(result.shortestPath?.status == .optimal)
  }

  @Test func timeAndLengthOnOneBoxMeetTheirLowerBounds() throws {
    // From a to b in one box with |q̇ⱼ| ≤ vⱼ: the length is ≥ ‖b − a‖ and the time ≥ max |Δⱼ|/vⱼ.
    // With cubic segments at rest at both ends, q₁ = q₀ = a and q₃ = q₂ = b, so 3 (b − a) ≤ v h:
    // the formulation's optimum is exactly ‖b − a‖ + 3 maxⱼ |Δⱼ|/vⱼ.
    let box = try Hyperrectangle(lb: [0, 0], ub: [2, 1])
    var options = GCSTrajectoryOptions()
    let v = [1.0, 0.5]
    options.velocityBounds = .symmetric(v)
    let problem = try GCSTrajectoryOptimization(regions: [box], options: options)
    let a = [0.2, 0.3]
    let b = [1.7, 0.8]
    let result = problem.solvePath(from: a, to: b)
    #expect(result.status == .solved)
    let delta = [b[0] - a[0], b[1] - a[1]]
    let length = (delta[0] * delta[0] + delta[1] * delta[1]).squareRoot()
    let slowest = max(abs(delta[0]) / v[0], abs(delta[1]) / v[1])
    let cost = try #require(result.cost)
    #expect(cost >= length + slowest - 1e-6)
    // Interior-point accuracy 1e-8 relative on a cost of about 6; 1e-6 leaves margin.
    #expect(abs(cost - (length + 3 * slowest)) <= 1e-6, "cost \(cost), expected \(length + 3 * slowest)")
    #expect(abs(result.trajectory!.duration - 3 * slowest) <= 1e-6)
  }

  @Test func unreachableGoalIsInfeasible() throws {
    let problem = try GCSTrajectoryOptimization(regions: TrajectoryFixtures.lCorridor())
    // The goal lies in the decoy box, which no region touches.
    let cut = problem.solvePath(from: TrajectoryFixtures.lStart, to: [-2, 0.5])
    #expect(cut.status == .infeasible)
    #expect(cut.trajectory == nil)
    #expect(cut.reason == "no path from \"start\" to \"goal\"")
    // The goal lies in no region at all.
    let outside = problem.solvePath(from: TrajectoryFixtures.lStart, to: [10, 10])
    #expect(outside.status == .infeasible)
    #expect(outside.reason == "the goal [10.0, 10.0] lies in no region")
    #expect(outside.shortestPath == nil)
  }

  @Test func convexRestrictionOnTheChosenRegionsGivesTheSameTrajectoryCost() throws {
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([1, 1])
    let problem = try GCSTrajectoryOptimization(regions: TrajectoryFixtures.lCorridor(), options: options)
    let best = problem.solvePath(from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    let fixed = problem.solveConvexRestriction(regionPath: [0, 1], from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    #expect(fixed.status == .solved)
    #expect(abs(fixed.cost! - best.cost!) <= 1e-6 * best.cost!)
    let wrongStart = problem.solveConvexRestriction(regionPath: [1], from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    #expect(wrongStart.status == .infeasible)
    #expect(wrongStart.reason == "the start lies outside region 1, where the region path begins")
    let gap = problem.solveConvexRestriction(regionPath: [0, 2, 1], from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    #expect(gap.status == .infeasible)
  }

  @Test func fixedAndFreeEndpointVelocities() throws {
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([1, 1])
    let problem = try GCSTrajectoryOptimization(regions: TrajectoryFixtures.lCorridor(), options: options)
    let moving = problem.solvePath(
      from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal, startVelocity: .fixed([0.5, 0]), goalVelocity: .free)
    #expect(moving.status == .solved)
    let q = try #require(moving.trajectory)
    let v0 = q.velocity(at: 0)
    #expect(abs(v0[0] - 0.5) <= 1e-6 && abs(v0[1]) <= 1e-6, "\(v0)")
  }

  @Test func extraRegionConstraintsAndEnergyCostPassThrough() throws {
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([1, 1])
    options.pathEnergyCostWeight = 0.1
    var problem = try GCSTrajectoryOptimization(regions: TrajectoryFixtures.lCorridor(), options: options)
    // Make the vertical box take at least 8 s.
    var a = [Double](repeating: 0, count: problem.vertexDimension)
    a[problem.durationIndex] = 1
    try problem.addConstraint(.linearInequality(A: Matrix(rows: [a]), lb: [8], ub: [.infinity]), region: 1)
    let result = problem.solvePath(from: TrajectoryFixtures.lStart, to: TrajectoryFixtures.lGoal)
    #expect(result.status == .solved)
    let q = try #require(result.trajectory)
    #expect(q.segments[1].duration >= 8 - 1e-6)
    #expect(throws: GCSError.self) { try problem.addConstraint(.linearInequality(A: Matrix(rows: [[1]]), lb: [0], ub: [1])) }
    #expect(throws: GCSError.self) { try problem.addCost(.linear(a: a, b: 0), region: 5) }
  }

  @Test func ringAroundAnObstacleWithRoundingAndBranchAndBound() throws {
    let regions = try TrajectoryFixtures.ring()
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([1, 1])
    let rounding = try GCSTrajectoryOptimization(regions: regions, options: options)
    options.shortestPath.method = .micp
    let exact = try GCSTrajectoryOptimization(regions: regions, options: options)
    let start = [0.3, 0.3]
    let goal = [2.7, 2.7]
    let r = rounding.solvePath(from: start, to: goal)
    let m = exact.solvePath(from: start, to: goal)
    #expect(r.status == .solved)
    #expect(m.status == .solved)
    #expect(m.shortestPath?.status == .optimal)
    // Relaxation ≤ exact optimum ≤ rounded cost (solver accuracy 1e-8 relative; 1e-6 margin).
    #expect(r.lowerBound! <= m.cost! + 1e-6)
    #expect(m.cost! <= r.cost! + 1e-6)
    // Whichever route, every sample avoids the obstacle's interior and stays in the ring.
    let q = try #require(m.trajectory)
    for s in q.samples(dt: q.duration / 1000) {
      #expect(regions.contains { $0.contains(s.position, tolerance: 1e-6) }, "t \(s.time): \(s.position)")
      let inside = (1 + 1e-6..<2 - 1e-6).contains(s.position[0]) && (1 + 1e-6..<2 - 1e-6).contains(s.position[1])
      #expect(!inside, "t \(s.time): \(s.position) is inside the obstacle")
    }
    #expect(m.regionPath.first == 0 && m.regionPath.last == 4)
  }

  @Test func ellipsoidalRegions() throws {
    // Two overlapping unit discs (centres 1.70 apart); the straight line between the start and
    // the goal leaves their union.
    let regions: [any ConvexSet] = [
      try Hyperellipsoid.ball(center: [0, 0], radius: 1),
      try Hyperellipsoid.ball(center: [1.2, 1.2], radius: 1),
    ]
    var options = GCSTrajectoryOptions()
    options.velocityBounds = .symmetric([2, 2])
    let problem = try GCSTrajectoryOptimization(regions: regions, options: options)
    #expect(problem.regionEdges.count == 2)
    let result = problem.solvePath(from: [-0.5, 0.5], to: [1.8, 1.0])
    #expect(result.status == .solved, "\(result.reason ?? "")")
    let q = try #require(result.trajectory)
    for (k, segment) in q.segments.enumerated() {
      for p in segment.path.controlPoints { #expect(regions[result.regionPath[k]].contains(p, tolerance: 1e-6)) }
    }
    for s in q.samples(dt: q.duration / 500) {
      #expect(regions.contains { $0.contains(s.position, tolerance: 1e-6) }, "t \(s.time): \(s.position)")
    }
  }

  @Test func badRegionsAreRejected() throws {
    let box = try Hyperrectangle(lb: [0, 0], ub: [1, 1])
    let halfPlane = try HPolyhedron(A: Matrix(rows: [[1, 0]]), b: [1])
    #expect(throws: GCSError(field: "regions[1]", message: "is unbounded (HPolyhedron(1 inequalities in ℝ^2))")) {
      _ = try GCSTrajectoryOptimization(regions: [box, halfPlane])
    }
    #expect(throws: GCSError(field: "regions[1]", message: "has dimension 1, expected 2")) {
      _ = try GCSTrajectoryOptimization(regions: [box, try Hyperrectangle(lb: [0], ub: [1])])
    }
    #expect(throws: GCSError(field: "regions", message: "is empty")) { _ = try GCSTrajectoryOptimization(regions: []) }
    #expect(throws: GCSError(field: "edgesBetweenRegions[0]", message: "is (0, 3), expected region indices in 0..<2")) {
      _ = try GCSTrajectoryOptimization(regions: [box, box], edgesBetweenRegions: [(0, 3)])
    }
  }
}

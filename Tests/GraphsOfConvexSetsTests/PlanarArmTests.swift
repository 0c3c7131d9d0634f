import ConvexSets
import Foundation
import LinearAlgebra
import Testing

@testable import GraphsOfConvexSets

enum ArmFixtures {
  /// examples/plan/arm-2link.json: a 2-link arm reaching around three obstacles placed beyond its
  /// first link (so its configuration space stays connected without joint wraparound); start and
  /// goal are free.
  static let scene: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try! String(contentsOf: root.appendingPathComponent("examples/plan/arm-2link.json"), encoding: .utf8)
  }()

  static func sceneWith(_ old: String, _ new: String) -> String {
    precondition(scene.components(separatedBy: old).count == 2, "fixture holds \(old) not exactly once")
    return scene.replacingOccurrences(of: old, with: new)
  }
}

@Suite struct PlanarArmTests {
  let arm = try! PlanarArm(base: [1, 2], linkLengths: [1, 0.5], linkRadius: 0.1)

  @Test func forwardKinematicsAddsTheJointAngles() {
    let p = arm.jointPositions([Double.pi / 2, -Double.pi / 2])
    // Link 1 points up (+y), link 2 turns back to +x.
    #expect(abs(p[0][0] - 1) < 1e-15 && abs(p[0][1] - 2) < 1e-15)
    #expect(abs(p[1][0] - 1) < 1e-15 && abs(p[1][1] - 3) < 1e-15)
    #expect(abs(p[2][0] - 1.5) < 1e-15 && abs(p[2][1] - 3) < 1e-15)
  }

  /// The clearance against a box agrees with a brute-force distance (points every 1e-4 along each link).
  @Test func clearanceMatchesBruteForce() throws {
    let box = try Hyperrectangle(lb: [1.8, 2.6], ub: [2.4, 3.4])
    let checker = try PlanarArmCollisionChecker(arm: arm, obstacles: [box])
    func pointBoxDistance(_ x: Double, _ y: Double) -> Double {
      let dx = max(box.lb[0] - x, 0, x - box.ub[0])
      let dy = max(box.lb[1] - y, 0, y - box.ub[1])
      return (dx * dx + dy * dy).squareRoot()
    }
    var generator = SeededGenerator(seed: 5)
    var checked = 0
    for _ in 0..<200 {
      let q = [(generator.nextUnit() * 2 - 1) * Double.pi, (generator.nextUnit() * 2 - 1) * Double.pi]
      let p = arm.jointPositions(q)
      var brute = Double.infinity
      for i in 0..<2 {
        for k in 0...10_000 {
          let t = Double(k) / 10_000
          brute = min(brute, pointBoxDistance(p[i][0] + t * (p[i + 1][0] - p[i][0]), p[i][1] + t * (p[i + 1][1] - p[i][1])))
        }
      }
      let clearance = try #require(checker.clearance(q))
      if brute > 0 {
        #expect(abs(clearance - (brute - 0.1)) < 2e-4, "q = \(q)")
        checked += 1
      } else {
        #expect(clearance <= -0.1 + 1e-12, "q = \(q): the arm crosses the box")
      }
      #expect(checker.isFree(q) == (clearance > 0))
    }
    #expect(checked > 100)
  }

  @Test func linksThatShareNoJointMayCollide() throws {
    let three = try PlanarArm(base: [0, 0], linkLengths: [1, 1, 1], linkRadius: 0.05)
    let folded = [0, 2.9, 2.9]  // link 3 folds back across link 1
    #expect(!(try PlanarArmCollisionChecker(arm: three, obstacles: [])).isFree(folded))
    var relaxed = three
    relaxed.selfCollision = false
    #expect(try PlanarArmCollisionChecker(arm: relaxed, obstacles: []).isFree(folded))
    #expect(try PlanarArmCollisionChecker(arm: three, obstacles: []).isFree([0, 1, 1]))
  }

  @Test func obstaclesMayBeAnyBoundedPolygon() throws {
    let triangle = try VPolytope(points: [[0.5, -0.2], [0.5, 0.2], [0.9, 0]])
    let sameAsH = try HPolyhedron(triangle)
    let a = try PlanarArmCollisionChecker(arm: arm, obstacles: [triangle])
    let b = try PlanarArmCollisionChecker(arm: arm, obstacles: [sameAsH])
    var generator = SeededGenerator(seed: 9)
    for _ in 0..<100 {
      let q = [generator.nextUnit() * 6 - 3, generator.nextUnit() * 6 - 3]
      #expect(abs(a.clearance(q)! - b.clearance(q)!) < 1e-9)
    }
    #expect(throws: ConvexSetError.self) { try PlanarArmCollisionChecker(arm: arm, obstacles: [try Hyperellipsoid.ball(center: [0, 0], radius: 1)]) }
    #expect(throws: ConvexSetError.self) { try PlanarArmCollisionChecker(arm: arm, obstacles: [try Hyperrectangle(lb: [0, 0, 0], ub: [1, 1, 1])]) }
  }

  @Test func badArmsThrowNamingTheField() {
    #expect(throws: ConvexSetError(field: "link_lengths[1]", message: "is -1.0, expected a positive finite length")) {
      try PlanarArm(base: [0, 0], linkLengths: [1, -1], linkRadius: 0.1)
    }
    #expect(throws: ConvexSetError(field: "link_radius", message: "is nan, expected finite and ≥ 0")) {
      try PlanarArm(base: [0, 0], linkLengths: [1], linkRadius: .nan)
    }
    #expect(throws: ConvexSetError.self) { try PlanarArm(base: [0], linkLengths: [1], linkRadius: 0) }
  }
}

@Suite struct ArmSceneTests {
  @Test func readsAndRoundTrips() throws {
    let scene = try PlanScene.parse(ArmFixtures.scene)
    let arm = try #require(scene.robot)
    #expect(arm.linkLengths == [1.0, 0.8] && arm.linkRadius == 0.05 && arm.selfCollision && scene.dimension == 2)
    let text = try scene.serialized()
    #expect(text.contains("\"robot\""))
    let again = try PlanScene.parse(text)
    let text2 = try again.serialized()
    #expect(again.robot == scene.robot && text2 == text)
  }

  @Test(arguments: [
    ("\"type\": \"planar_arm\"", "\"type\": \"scara\"", "scene.json:2: robot.type: is \"scara\", expected \"planar_arm\" (the one robot this version knows)"),
    ("[1.0, 0.8]", "[1.0, 0]", "scene.json:2: robot.link_lengths[1]: is 0.0, expected a positive finite length"),
    ("\"lb\": [-3.14159, -2.8], \"ub\": [3.14159, 2.8]", "\"lb\": [-3, -3, -3], \"ub\": [3, 3, 3]",
     "scene.json:3: domain: has dimension 3, but robot has 2 joints (the domain is the box of joint limits)"),
    ("\"start\": [-0.6, 1.2]", "\"start\": [0.3, 0.0]",
     "scene.json:7: start: is [0.3, 0.0], a configuration in collision (clearance -0.05)"),
    ("{\"type\": \"box\", \"lb\": [1.2, 0.2], \"ub\": [1.6, 0.6]}", "{\"type\": \"box\", \"lb\": [1.2, 0.2, 0], \"ub\": [1.6, 0.6, 1]}",
     "scene.json:4: obstacles[0]: has dimension 3, expected 2 (the arm's workspace plane)"),
    ("{\"type\": \"box\", \"lb\": [1.2, 0.2], \"ub\": [1.6, 0.6]}", "{\"type\": \"ellipsoid\", \"A\": [[1, 0], [0, 1]], \"center\": [3, 3]}",
     "scene.json:4: obstacles[0]: is Hyperellipsoid(center: [3, 3]); a planar arm's obstacles must be polygons (box, vpolytope or hpolyhedron)"),
  ])
  func badArmScenesNameTheField(old: String, new: String, expected: String) {
    do {
      _ = try PlanScene.parse(ArmFixtures.sceneWith(old, new), path: "scene.json")
      Issue.record("accepted: \(expected)")
    } catch {
      #expect(error.description == expected)
    }
  }

  /// Regions grown in configuration space, then a GCS trajectory: every sample is free and inside a
  /// region, velocities within bounds, ends at rest at the start and the goal.
  @Test func plansAroundTheObstaclesInConfigurationSpace() throws {
    let scene = try PlanScene.parse(ArmFixtures.scene)
    var options = PlanRegionOptions()
    options.gridPointsPerAxis = 3
    options.targetCoverage = 0.9
    let regions = try scene.buildRegions(options: options)
    #expect(regions.regions.count >= 3)
    let coverage = try #require(regions.coverage)
    #expect(coverage.fraction >= 0.9 && coverage.freeSamples > 1000)
    #expect(try PlanRegions.parse(regions.serialized()).coverage == coverage)
    let checker = try scene.collisionChecker()
    for (k, region) in regions.regions.enumerated() {
      #expect(region.contains(regions.seeds[k]))
      let samples = try region.uniformSamples(count: 500, seed: UInt64(k))
      let colliding = samples.filter { !checker.isFree($0) }.count
      #expect(colliding <= 15, "region \(k): \(colliding) of 500 samples collide (ε = 1% at 95% confidence)")
    }
    var trajectoryOptions = GCSTrajectoryOptions()
    trajectoryOptions.velocityBounds = .symmetric([1, 1])
    let problem = try GCSTrajectoryOptimization(regions: regions.regions, options: trajectoryOptions)
    let result = problem.solvePath(from: scene.start, to: scene.goal)
    #expect(result.status == .solved)
    var file = PlanTrajectoryFile(result: result, sampleDt: 0.02)
    file.checkSamples(with: checker)
    #expect(file.samplesInCollision == 0)
    let tolerance = 1e-6
    for sample in file.samples {
      #expect(regions.regions.contains { $0.contains(sample.q, tolerance: tolerance) }, "t = \(sample.t)")
      #expect(sample.v.allSatisfy { abs($0) <= 1 + tolerance }, "t = \(sample.t)")
    }
    let first = try #require(file.samples.first), last = try #require(file.samples.last)
    #expect(zip(first.q, scene.start).allSatisfy { abs($0 - $1) < tolerance })
    #expect(zip(last.q, scene.goal).allSatisfy { abs($0 - $1) < tolerance })
    #expect(first.v.allSatisfy { abs($0) < tolerance } && last.v.allSatisfy { abs($0) < tolerance })
    // The file keeps the count.
    #expect(try PlanTrajectoryFile.parse(file.serialized()).samplesInCollision == 0)
  }
}

@Suite struct RegionRepairTests {
  /// A point robot in [0, 10]² with one disc of radius 1 at (5, 5), given as a checker.
  struct Disc: CollisionChecker {
    var dimension: Int { 2 }
    func isFree(_ q: [Double]) -> Bool { (q[0] - 5) * (q[0] - 5) + (q[1] - 5) * (q[1] - 5) > 1 }
  }

  @Test func excludingCutsCollidingPointsAndKeepsSeeds() throws {
    // Two regions that both overlap the disc (as sampled regions may).
    let regions = try PlanRegions(
      regions: [try Hyperrectangle(lb: [0, 0], ub: [6, 6]), HPolyhedron(try Hyperrectangle(lb: [4.5, 0], ub: [10, 10]))],
      seeds: [[1, 1], [9, 9]])
    let colliding = [[5.5, 5.5], [4.6, 4.6], [5.0, 4.2]]
    let (repaired, added) = regions.excluding(colliding, checker: Disc())
    #expect(added >= 2)  // one plane may cut several of the points
    for (k, region) in repaired.regions.enumerated() {
      #expect(region is HPolyhedron)
      #expect(region.contains(regions.seeds[k]), "region \(k) lost its seed")
      for p in colliding { #expect(!region.contains(p), "region \(k) still holds \(p)") }
    }
    // Free points far from the disc stay.
    #expect(repaired.regions[0].contains([2, 5]) && repaired.regions[1].contains([9, 2]))
  }

  /// A wall with a narrow doorway: coverage sampling alone may leave the doorway uncovered; the
  /// connectivity rule keeps seeding until a chain of regions joins start and goal.
  @Test func regionsJoinStartAndGoalThroughANarrowDoorway() throws {
    let scene = try PlanScene(
      domain: try Hyperrectangle(lb: [0, 0], ub: [10, 10]),
      obstacles: [try Hyperrectangle(lb: [4.9, 0], ub: [5.1, 4.8]), try Hyperrectangle(lb: [4.9, 5.0], ub: [5.1, 10])],
      start: [1, 1], goal: [9, 9])
    var options = PlanRegionOptions()
    options.gridPointsPerAxis = 2
    let regions = try scene.buildRegions(options: options)
    let problem = try GCSTrajectoryOptimization(regions: regions.regions, options: GCSTrajectoryOptions())
    let result = problem.solvePath(from: scene.start, to: scene.goal)
    #expect(result.status == .solved, "\(regions.regions.count) regions, \(result.reason ?? "")")
  }
}

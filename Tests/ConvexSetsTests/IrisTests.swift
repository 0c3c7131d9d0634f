import Foundation
import LinearAlgebra
import Testing
@testable import ConvexSets

/// A scene: a domain box and obstacles.
struct IrisScene {
  var domain: HPolyhedron
  var obstacles: [any ConvexSet]
}

enum IrisFixtures {
  /// `[0, 10]²`.
  static let domain = HPolyhedron(try! Hyperrectangle(lb: [0, 0], ub: [10, 10]))

  /// Two boxes `[0, 10] × [0, 4]` and `[0, 10] × [6, 10]` leaving the corridor `y ∈ [4, 6]`.
  static let corridor: [any ConvexSet] = [
    try! Hyperrectangle(lb: [0, 0], ub: [10, 4]), try! Hyperrectangle(lb: [0, 6], ub: [10, 10]),
  ]

  /// A mixed scene: a box, a triangle (V-polytope), a disk and an H-polyhedron.
  static let mixed: [any ConvexSet] = [
    try! Hyperrectangle(lb: [2, 2], ub: [3, 4]),
    try! VPolytope(points: [[6, 1], [8, 1], [7, 3]]),
    try! Hyperellipsoid.ball(center: [7, 7], radius: 1),
    try! HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1], [1, 1]]), b: [-1, -7, 10]),  // x ≥ 1, y ≥ 7, x + y ≤ 10
  ]

  /// ../shared/benchmarks/plan/boxes-0-s2.json next to the package root (format osprey.plan.scene),
  /// parsed here only.
  static func benchmarkScene() throws -> (scene: IrisScene, start: [Double], goal: [Double]) {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let url = root.appendingPathComponent("../shared/benchmarks/plan/boxes-0-s2.json").standardized
    let data = try Data(contentsOf: url)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["format"] as? String == "osprey.plan.scene")
    let domainJSON = try #require(json["domain"] as? [String: Any])
    let lb = try #require(domainJSON["lb"] as? [Double]), ub = try #require(domainJSON["ub"] as? [Double])
    var obstacles: [any ConvexSet] = []
    for item in try #require(json["obstacles"] as? [[String: Any]]) {
      #expect(item["type"] as? String == "box")
      obstacles.append(try Hyperrectangle(lb: try #require(item["lb"] as? [Double]), ub: try #require(item["ub"] as? [Double])))
    }
    return (
      IrisScene(domain: HPolyhedron(try Hyperrectangle(lb: lb, ub: ub)), obstacles: obstacles),
      try #require(json["start"] as? [Double]), try #require(json["goal"] as? [Double])
    )
  }

  /// The region with every right-hand side lowered by `inset` (its interior, numerically).
  static func shrunk(_ p: HPolyhedron, by inset: Double) -> HPolyhedron {
    try! HPolyhedron(A: p.A, b: p.b.map { $0 - inset })
  }

  /// Checks that no obstacle meets the region's interior: the region shrunk by 1e-6 (above the
  /// solvers' 1e-8 accuracy at this scale) misses every obstacle, by a conic feasibility solve and
  /// by 200 hit-and-run samples of each full-dimensional obstacle.
  static func expectCollisionFree(_ region: HPolyhedron, _ obstacles: [any ConvexSet], sourceLocation: SourceLocation = #_sourceLocation) {
    let inner = shrunk(region, by: 1e-6)
    for (j, obstacle) in obstacles.enumerated() {
      #expect(!inner.intersects(obstacle), "obstacle \(j) meets the region", sourceLocation: sourceLocation)
      if let samples = try? obstacle.uniformSamples(count: 200, seed: UInt64(7 + j)) {
        let inside = samples.filter { inner.contains($0, tolerance: 0) }
        #expect(inside.isEmpty, "obstacle \(j) samples in region: \(inside.prefix(3))", sourceLocation: sourceLocation)
      }
    }
  }

  /// Every vertex of the region's bounding box lies in the domain box (the region is in the domain).
  static func expectInDomain(_ region: HPolyhedron, _ domain: HPolyhedron, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let box = region.boundingBox(), let outer = domain.boundingBox() else {
      Issue.record("no bounding box", sourceLocation: sourceLocation)
      return
    }
    for i in box.lb.indices {
      #expect(box.lb[i] >= outer.lb[i] - 1e-7 && box.ub[i] <= outer.ub[i] + 1e-7, sourceLocation: sourceLocation)
    }
  }
}

@Suite struct IrisTests {
  @Test func withoutObstaclesTheRegionIsTheDomain() throws {
    let result = try irisRegion(obstacles: [], seed: [3, 4], domain: IrisFixtures.domain)
    #expect(result.region == IrisFixtures.domain)
    // The MVIE of the square is its inscribed disk, radius 5 (MVIE accuracy 1e-8 relative).
    #expect(abs(ellipsoidVolume(result.ellipsoid) / (25 * Double.pi) - 1) < 1e-6)
  }

  @Test func seedBetweenTwoBoxesGivesTheCorridor() throws {
    let region = try iris(obstacles: IrisFixtures.corridor, seed: [5, 5], domain: IrisFixtures.domain)
    // The corridor [0, 10] × [4, 6]: its bounding box, and its area by the bounding box of a region
    // with exactly these extents (planes tangent at the boxes' faces; 1e-6 for the QP's accuracy).
    let box = try #require(region.boundingBox())
    #expect(Fixtures.maxDifference(box.lb, [0, 4]) < 1e-6, "\(box)")
    #expect(Fixtures.maxDifference(box.ub, [10, 6]) < 1e-6, "\(box)")
    #expect(region.contains([0.01, 5]) && region.contains([9.99, 5]) && region.contains([5, 4.001]))
    IrisFixtures.expectCollisionFree(region, IrisFixtures.corridor)
  }

  @Test func mixedObstaclesRegionIsCollisionFreeContainsSeedAndStaysInDomain() throws {
    for seed in [[5.0, 5.0], [1.0, 1.0], [9.0, 3.0], [4.5, 8.0]] {
      let result = try irisRegion(obstacles: IrisFixtures.mixed, seed: seed, domain: IrisFixtures.domain)
      #expect(result.region.contains(seed, tolerance: 1e-9), "seed \(seed)")
      #expect(result.region.contains(result.ellipsoid.center, tolerance: 1e-9))
      IrisFixtures.expectCollisionFree(result.region, IrisFixtures.mixed)
      IrisFixtures.expectInDomain(result.region, IrisFixtures.domain)
    }
  }

  @Test func marginKeepsTheRegionAwayFromObstacles() throws {
    var options = IrisOptions()
    options.margin = 0.1
    let region = try iris(obstacles: IrisFixtures.mixed, seed: [5, 5], domain: IrisFixtures.domain, options: options)
    // Grown by 0.05 < margin, the obstacles still miss the region.
    let grown = try HPolyhedron(A: region.A, b: region.b.map { $0 + 0.05 })
    for obstacle in IrisFixtures.mixed { #expect(!grown.intersects(obstacle)) }
  }

  @Test func requiredContainmentPointIsHonoured() throws {
    // From (2, 5) plain IRIS stops at the box's left face x ≤ 4, cutting off (5, 9) above the box;
    // the segment from the seed to (5, 9) passes above the box's top-left corner (4, 7).
    let obstacles: [any ConvexSet] = [try Hyperrectangle(lb: [4, 3], ub: [6, 7])]
    let seed = [2.0, 5.0], target = [5.0, 9.0]
    let plain = try iris(obstacles: obstacles, seed: seed, domain: IrisFixtures.domain)
    #expect(!plain.contains(target, tolerance: 1e-9))
    var options = IrisOptions()
    options.requiredContainmentPoints = [target]
    let region = try iris(obstacles: obstacles, seed: seed, domain: IrisFixtures.domain, options: options)
    #expect(region.contains(target, tolerance: 1e-7))
    #expect(region.contains(seed, tolerance: 1e-7))
    IrisFixtures.expectCollisionFree(region, obstacles)
  }

  @Test func requiredPointsWhoseHullMeetsAnObstacleThrow() throws {
    let obstacles: [any ConvexSet] = [try Hyperrectangle(lb: [4, 3], ub: [6, 7])]
    var options = IrisOptions()
    options.requiredContainmentPoints = [[8, 5]]
    #expect {
      try iris(obstacles: obstacles, seed: [2, 5], domain: IrisFixtures.domain, options: options)
    } throws: { error in
      (error as? ConvexSetError)?.field == "requiredContainmentPoints"
    }
  }

  @Test func maximumFacesIsHonoured() throws {
    let domainRows = IrisFixtures.domain.inequalityCount
    let unlimited = try iris(obstacles: IrisFixtures.mixed, seed: [5, 5], domain: IrisFixtures.domain)
    #expect(unlimited.inequalityCount - domainRows >= 3)
    // Two faces do not exclude the four obstacles around (5, 5) in the first iteration.
    var options = IrisOptions()
    options.maximumFaces = 2
    #expect(throws: ConvexSetError.self) {
      try iris(obstacles: IrisFixtures.mixed, seed: [5, 5], domain: IrisFixtures.domain, options: options)
    }
    // The corridor needs two faces; with a limit of 2 the region has at most 2 beyond the domain's.
    let region = try iris(obstacles: IrisFixtures.corridor, seed: [5, 5], domain: IrisFixtures.domain, options: options)
    #expect(region.inequalityCount - domainRows <= 2)
    IrisFixtures.expectCollisionFree(region, IrisFixtures.corridor)
  }

  @Test func iterationLimitAndTermination() throws {
    var options = IrisOptions()
    options.iterationLimit = 1
    let one = try irisRegion(obstacles: IrisFixtures.mixed, seed: [5, 5], domain: IrisFixtures.domain, options: options)
    #expect(one.iterations == 1 && one.termination == .iterationLimit)
    let full = try irisRegion(obstacles: IrisFixtures.mixed, seed: [5, 5], domain: IrisFixtures.domain)
    #expect(full.termination != .iterationLimit && full.termination != .faceLimit)
    #expect(full.iterations < 100)
  }

  @Test func errorMessages() throws {
    func message(_ body: () throws -> Void) -> String? {
      do { try body() } catch { return (error as? ConvexSetError)?.description ?? "\(error)" }
      return nil
    }
    #expect(
      message { _ = try iris(obstacles: IrisFixtures.corridor, seed: [5, 2], domain: IrisFixtures.domain) }
        == "seed [5, 2] is inside obstacles[0] (Hyperrectangle(lb: [0, 0], ub: [10, 4]))")
    #expect(
      message { _ = try iris(obstacles: [], seed: [11, 2], domain: IrisFixtures.domain) }
        == "seed [11, 2] is outside the domain")
    #expect(
      message { _ = try iris(obstacles: [], seed: [1, 2, 3], domain: IrisFixtures.domain) }
        == "seed has 3 entries but the domain has dimension 2")
    #expect(
      message { _ = try iris(obstacles: [try! Point([1, 2, 3])], seed: [1, 2], domain: IrisFixtures.domain) }
        == "obstacles[0] has dimension 3 but the domain has dimension 2")
    var options = IrisOptions()
    options.requiredContainmentPoints = [[5, 1]]
    #expect(
      message {
        _ = try iris(obstacles: IrisFixtures.corridor, seed: [5, 5], domain: IrisFixtures.domain, options: options)
      } == "requiredContainmentPoints[0] [5, 1] is inside obstacles[0]")
  }

  @Test func benchmarkSceneRegionsAtStartAndGoal() throws {
    let (scene, start, goal) = try IrisFixtures.benchmarkScene()
    for seed in [start, goal] {
      let region = try iris(obstacles: scene.obstacles, seed: seed, domain: scene.domain)
      #expect(region.contains(seed, tolerance: 1e-9))
      IrisFixtures.expectCollisionFree(region, scene.obstacles)
      IrisFixtures.expectInDomain(region, scene.domain)
    }
  }
}

@Suite struct IrisCoverTests {
  @Test func coverReachesTargetOnTheCorridorScene() throws {
    // Free space: the corridor plus nothing else; one region covers it.
    var options = IrisCoverOptions()
    options.targetCoverage = 0.95
    options.randomSeed = 3
    let cover = try irisCover(obstacles: IrisFixtures.corridor, domain: IrisFixtures.domain, options: options)
    #expect(cover.reachedTarget && cover.coverage >= 0.95)
    #expect(cover.regions.count == 1)
    // About a fifth of the 2000 box samples fall in the corridor (2/10 of the area).
    #expect(cover.coverageSampleCount > 300 && cover.coverageSampleCount < 500)
  }

  @Test func coverOfTheMixedSceneFromGivenAndSampledSeeds() throws {
    var options = IrisCoverOptions()
    options.targetCoverage = 0.8
    options.randomSeed = 11
    let cover = try irisCover(obstacles: IrisFixtures.mixed, domain: IrisFixtures.domain, seeds: [[5, 5]], options: options)
    #expect(cover.seeds.first == [5, 5])
    #expect(cover.reachedTarget, "coverage \(cover.coverage) with \(cover.regions.count) regions")
    for region in cover.regions { IrisFixtures.expectCollisionFree(region, IrisFixtures.mixed) }
    // Same random seed, same cover.
    let again = try irisCover(obstacles: IrisFixtures.mixed, domain: IrisFixtures.domain, seeds: [[5, 5]], options: options)
    #expect(again.seeds == cover.seeds && again.coverage == cover.coverage)
  }

  @Test func coverOfTheBenchmarkScene() throws {
    let (scene, _, _) = try IrisFixtures.benchmarkScene()
    var options = IrisCoverOptions()
    options.targetCoverage = 0.9
    options.randomSeed = 5
    let cover = try irisCover(obstacles: scene.obstacles, domain: scene.domain, options: options)
    #expect(cover.reachedTarget, "coverage \(cover.coverage) with \(cover.regions.count) regions")
    for region in cover.regions { IrisFixtures.expectCollisionFree(region, scene.obstacles) }
  }

  @Test func badOptionsThrow() {
    var options = IrisCoverOptions()
    options.targetCoverage = 1.5
    #expect(throws: ConvexSetError(field: "targetCoverage", message: "is 1.5, expected in [0, 1]")) {
      try irisCover(obstacles: [], domain: IrisFixtures.domain, options: options)
    }
  }
}

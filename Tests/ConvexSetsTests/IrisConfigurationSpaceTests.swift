import Foundation
import LinearAlgebra
import Testing

@testable import ConvexSets

/// A configuration space with round obstacles: free unless within `radius` of a centre. Its exact
/// geometry lets tests measure how much of a region collides.
struct DiscsChecker: CollisionChecker {
  var centers: [[Double]]
  var radius: Double
  var dimension: Int { centers[0].count }
  func isFree(_ q: [Double]) -> Bool {
    centers.allSatisfy { c in zip(q, c).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } > radius * radius }
  }
  func clearance(_ q: [Double]) -> Double? {
    centers.map { c in zip(q, c).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() - radius }.min()
  }
}

@Suite struct IrisConfigurationSpaceTests {
  static let domain = HPolyhedron(try! Hyperrectangle(lb: [0, 0], ub: [10, 10]))
  static let discs = DiscsChecker(centers: [[3, 3], [7, 3], [5, 7.5], [2, 8]], radius: 1.2)

  /// The fraction of `count` uniform samples of `region` that collide.
  func collidingFraction(_ region: HPolyhedron, _ checker: any CollisionChecker, count: Int = 4000) throws -> Double {
    let samples = try region.uniformSamples(count: count, seed: 99, burnIn: 200, stepsBetweenSamples: 20)
    return Double(samples.filter { !checker.isFree($0) }.count) / Double(count)
  }

  @Test func sampleCountIsTheUnadaptiveTestsBound() {
    // Werner et al. 2024, Definition 1, with δ₁ = 6δ/π²: ε = 0.01, δ = 0.05, τ = 0.5 gives
    // 2 ln(π²/(6·0.05)) / (0.01 · 0.25) = 2794.7…, computed by hand.
    let options = ConfigurationSpaceIrisOptions()
    #expect(options.sampleCount(test: 1) == 2795)
    // Later tests get a smaller share of δ, so more samples; never fewer than particleCount.
    #expect(options.sampleCount(test: 10) > options.sampleCount(test: 1))
    var loose = options
    loose.admissibleCollisionFraction = 0.5
    #expect(loose.sampleCount(test: 1) == loose.particleCount)
  }

  @Test func regionAroundDiscsIsMostlyFreeAndCertified() throws {
    for seed in [[5.0, 5.0], [1.0, 1.0], [9.0, 9.0], [5.0, 1.0]] {
      let result = try irisInConfigurationSpace(checker: Self.discs, seed: seed, domain: Self.domain)
      #expect(result.region.contains(seed), "seed \(seed)")
      #expect(result.certified, "seed \(seed): last test rejected, fraction \(result.lastCollisionFraction)")
      // ε = 1e-2 with 95% confidence; an independent estimate from 4000 samples stays near that.
      let fraction = try collidingFraction(result.region, Self.discs)
      #expect(fraction <= 0.02, "seed \(seed): \(fraction) of the region collides")
      // And the region is not a sliver: its inscribed ellipsoid's area π/|det A| exceeds 1.5 (every
      // seed here has a free square of side ≥ 1.5, area 2.25, around it).
      let area = Double.pi / abs(result.ellipsoid.A.determinant)
      #expect(area > 1.5, "seed \(seed): ellipsoid area \(area)")
    }
  }

  @Test func matchesTaskSpaceIrisOnBoxes() throws {
    // A point robot among boxes: the sampled method sees the same obstacles as the exact one, so its
    // region must be nearly free and comparable in size (ellipsoid volume within a factor 3).
    let boxes: [any ConvexSet] = [
      try Hyperrectangle(lb: [2, 2], ub: [4, 8]), try Hyperrectangle(lb: [6, 0], ub: [7, 5]),
      try Hyperrectangle(lb: [6, 7], ub: [9, 8]),
    ]
    let checker = try PointRobotCollisionChecker(dimension: 2, obstacles: boxes)
    let seed = [5.0, 5.0]
    let sampled = try irisInConfigurationSpace(checker: checker, seed: seed, domain: Self.domain)
    let exact = try irisRegion(obstacles: boxes, seed: seed, domain: Self.domain)
    #expect(try collidingFraction(sampled.region, checker) <= 0.02)
    let ratio = abs(exact.ellipsoid.A.determinant / sampled.ellipsoid.A.determinant)  // vol(sampled) / vol(exact)
    #expect(ratio > 1 / 3 && ratio < 3, "volume ratio \(ratio)")
  }

  @Test func keepsRequiredPointsInside() throws {
    var options = ConfigurationSpaceIrisOptions()
    options.requiredContainmentPoints = [[5, 3], [5, 5.5]]  // between the discs
    let result = try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain, options: options)
    for p in options.requiredContainmentPoints { #expect(result.region.contains(p), "\(p)") }
  }

  @Test func isDeterministicForASeed() throws {
    let a = try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain)
    let b = try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain)
    #expect(a.region == b.region && a.collisionChecks == b.collisionChecks)
    var options = ConfigurationSpaceIrisOptions()
    options.randomSeed = 7
    let c = try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain, options: options)
    #expect(c.region != a.region)
  }

  @Test func worksInFourDimensions() throws {
    let domain = HPolyhedron(try Hyperrectangle(lb: [0, 0, 0, 0], ub: [4, 4, 4, 4]))
    let checker = DiscsChecker(centers: [[1, 1, 1, 1], [3, 3, 3, 3], [1, 3, 1, 3]], radius: 0.8)
    let seed = [2.0, 2.0, 2.0, 2.0]
    let result = try irisInConfigurationSpace(checker: checker, seed: seed, domain: domain)
    #expect(result.region.contains(seed))
    #expect(try collidingFraction(result.region, checker, count: 3000) <= 0.02)
  }

  @Test(arguments: [
    ([5.0, 5.0, 1.0], "seed", "has 3 entries, expected 2"),
    ([3.0, 3.0], "seed", "[3, 3] is in collision"),
    ([11.0, 5.0], "seed", "[11, 5] is outside the domain"),
  ])
  func badSeedsThrowNamingTheSeed(seed: [Double], field: String, message: String) {
    #expect(throws: ConvexSetError(field: field, message: message)) {
      try irisInConfigurationSpace(checker: Self.discs, seed: seed, domain: Self.domain)
    }
  }

  @Test func badOptionsAndCheckersThrowNamingTheField() throws {
    var options = ConfigurationSpaceIrisOptions()
    options.admissibleCollisionFraction = 0
    #expect(throws: ConvexSetError(field: "admissibleCollisionFraction", message: "is 0.0, expected in (0, 1)")) {
      try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain, options: options)
    }
    options = ConfigurationSpaceIrisOptions()
    options.requiredContainmentPoints = [[7, 3]]
    #expect(throws: ConvexSetError(field: "requiredContainmentPoints[0]", message: "[7, 3] is in collision")) {
      try irisInConfigurationSpace(checker: Self.discs, seed: [5, 5], domain: Self.domain, options: options)
    }
    let three = DiscsChecker(centers: [[0, 0, 0]], radius: 1)
    #expect(throws: ConvexSetError(field: "checker", message: "has dimension 3 but the domain has dimension 2")) {
      try irisInConfigurationSpace(checker: three, seed: [5, 5], domain: Self.domain)
    }
  }

  @Test func segmentsAreCheckedAtTheResolution() throws {
    #expect(!Self.discs.isSegmentFree(from: [1, 3], to: [5, 3], resolution: 0.1))  // through the disc at (3, 3)
    #expect(Self.discs.isSegmentFree(from: [1, 5], to: [9, 5], resolution: 0.1))
    // Too coarse a resolution steps over the disc (two checks, at the ends): documented behaviour.
    #expect(Self.discs.isSegmentFree(from: [1, 3], to: [5, 3], resolution: 10))
    let boxes = try PointRobotCollisionChecker(dimension: 2, obstacles: [try Hyperrectangle(lb: [1, 1], ub: [2, 2])])
    #expect(!boxes.isFree([1.5, 1.5]) && !boxes.isFree([2, 2]) && boxes.isFree([2.1, 2]))
  }
}

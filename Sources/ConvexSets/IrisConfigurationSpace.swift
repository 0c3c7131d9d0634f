import Foundation
import LinearAlgebra

/// Options of `irisInConfigurationSpace(checker:seed:domain:options:)`. Defaults are those of
/// Werner, Petersen, Sarmiento, Tedrake, "Faster Algorithms for Growing Collision-Free Convex Polytopes
/// in Robot Configuration Space" (ISRR 2024, arXiv:2410.12649) and of Drake's `IrisZoOptions`.
public struct ConfigurationSpaceIrisOptions: Sendable, Equatable {
  /// ε: the fraction of the region's volume that may be in collision (default 1e-2).
  public var admissibleCollisionFraction: Double = 1e-2
  /// δ: the probability, over the whole run, that the region returned as certified has more than
  /// ε of its volume in collision (default 5e-2).
  public var failureProbability: Double = 5e-2
  /// τ ∈ (0, 1): the decision threshold of the statistical test; a test accepts when at most
  /// (1 − τ)·ε·M of its M samples collide (default 0.5).
  public var decisionThreshold: Double = 0.5
  /// Fewest samples drawn per test (default 1000); the test draws more when ε, δ and τ need it.
  public var particleCount: Int = 1000
  /// Bisection steps from the ellipsoid's centre towards each colliding sample, to find a point near
  /// the boundary of the configuration-space obstacle (default 10).
  public var bisectionSteps: Int = 10
  /// Most alternations of the separating-planes step and the inscribed ellipsoid (default 3).
  public var iterationLimit: Int = 3
  /// Most rounds (test + new planes) in one separating-planes step (default 20).
  public var planeRoundLimit: Int = 20
  /// Most planes added in one round (default 10).
  public var planesPerRound: Int = 10
  /// Distance, in configuration units, by which each plane is moved from the collision towards the
  /// region (default 1e-2); relaxed for a plane where it would cut off the seed or a required point.
  public var configurationSpaceMargin: Double = 1e-2
  /// Stop when the inscribed ellipsoid's volume grows by no more than this (default 2e-2).
  public var terminationThreshold: Double = 2e-2
  /// Stop when the volume grows by no more than this fraction (default 1e-3).
  public var relativeTerminationThreshold: Double = 1e-3
  /// Configurations the region must keep inside, besides the seed (each collision-free). A colliding
  /// sample that cannot be cut off without losing one of them stays in the region.
  public var requiredContainmentPoints: [[Double]] = []
  /// Radius of the starting ball around the seed (default 1e-2).
  public var startingBallRadius: Double = 1e-2
  /// Hit-and-run steps between two samples (default 50, as Drake's `mixing_steps`).
  public var mixingSteps: Int = 50
  /// Seed of the samples; the region is a deterministic function of it (default 1234).
  public var randomSeed: UInt64 = 1234

  public init() {}

  /// The number of samples of the `k`-th test (k = 1, 2, …): Werner et al.'s unadaptive test,
  /// `M = ⌈2 log(1/δₖ) / (ε τ²)⌉`, with `δₖ = 6δ / (π² k²)` so that the failure probabilities of all
  /// tests of a run sum to at most δ; at least `particleCount`.
  public func sampleCount(test k: Int) -> Int {
    let deltaK = 6 * failureProbability / (Double.pi * Double.pi * Double(k) * Double(k))
    let m = 2 * log(1 / deltaK) / (admissibleCollisionFraction * decisionThreshold * decisionThreshold)
    return max(particleCount, Int(m.rounded(.up)))
  }
}

/// What `irisInConfigurationSpace` computed.
public struct ConfigurationSpaceIrisResult: Sendable {
  /// The region: the domain's inequalities first, then the separating planes.
  public var region: HPolyhedron
  /// The last inscribed ellipsoid.
  public var ellipsoid: Hyperellipsoid
  /// Whether the last statistical test accepted the region returned: then, with probability at
  /// least 1 − δ over the run, at most ε of its volume is in collision. `false` when a round limit
  /// stopped the run first.
  public var certified: Bool
  /// The fraction of the last test's samples that collided.
  public var lastCollisionFraction: Double
  /// Outer iterations (separating-planes steps) and rounds in all.
  public var iterations: Int
  public var rounds: Int
  /// Calls to the checker's `isFree`.
  public var collisionChecks: Int
  /// Colliding samples left in the region because cutting them off would cut a required point.
  public var samplesKeptForContainment: Int
}

/// A large convex region of configuration space around `seed` in which, with high probability, at
/// most a fraction ε of the volume collides: IRIS driven by samples and bisection only, so any
/// `CollisionChecker` works (the zero-order method of Werner, Petersen, Sarmiento, Tedrake, ISRR 2024,
/// which replaces the nonlinear programs of IRIS-NP, Petersen & Tedrake 2023, by sampling).
///
/// ```
/// P = domain,  E = ball(seed, startingBallRadius)
/// repeat (iterationLimit times):
///     repeat (planeRoundLimit times):                      one statistical test per round
///         draw M samples uniformly in P (hit-and-run); C = those in collision
///         if |C| ≤ (1 − τ)·ε·M: accept P, stop the rounds
///         for x in C by increasing ‖A(x − c)‖, up to planesPerRound, skipping x already cut off:
///             y = bisect the segment c → x for the collision nearest c
///             add aᵀq ≤ aᵀy − margin,  a = AᵀA(y − c) / ‖AᵀA(y − c)‖   (margin relaxed to keep required points)
///     E = maximum-volume inscribed ellipsoid of P;  stop when its volume stalls
/// ```
/// where `c` is `E`'s centre when it is free and the seed otherwise. The region is therefore only
/// probabilistically free: check paths through it with the checker (`isSegmentFree`) where that
/// matters. Deterministic for a given `options.randomSeed`.
///
/// - Throws: `ConvexSetError` when dimensions differ, an option is out of range, the domain is
///   unbounded or empty, the seed or a required point is outside the domain or in collision, or the
///   inscribed-ellipsoid step fails.
/// - Complexity: per round M hit-and-run samples (`mixingSteps` steps of O(m·n) each) and M collision
///   checks, plus `bisectionSteps` checks per plane; one MVIE per iteration.
public func irisInConfigurationSpace(
  checker: any CollisionChecker, seed: [Double], domain: HPolyhedron,
  options: ConfigurationSpaceIrisOptions = ConfigurationSpaceIrisOptions()
) throws(ConvexSetError) -> ConfigurationSpaceIrisResult {
  let n = domain.ambientDimension
  if checker.dimension != n {
    throw ConvexSetError(field: "checker", message: "has dimension \(checker.dimension) but the domain has dimension \(n)")
  }
  if seed.count != n { throw ConvexSetError(field: "seed", message: "has \(seed.count) entries, expected \(n)") }
  try checkFinite(seed, field: "seed")
  let o = options
  func require(_ ok: Bool, _ field: String, _ value: Any, _ expected: String) throws(ConvexSetError) {
    if !ok { throw ConvexSetError(field: field, message: "is \(value), expected \(expected)") }
  }
  try require(o.admissibleCollisionFraction > 0 && o.admissibleCollisionFraction < 1, "admissibleCollisionFraction", o.admissibleCollisionFraction, "in (0, 1)")
  try require(o.failureProbability > 0 && o.failureProbability < 1, "failureProbability", o.failureProbability, "in (0, 1)")
  try require(o.decisionThreshold > 0 && o.decisionThreshold < 1, "decisionThreshold", o.decisionThreshold, "in (0, 1)")
  try require(o.particleCount >= 1, "particleCount", o.particleCount, "≥ 1")
  try require(o.bisectionSteps >= 0, "bisectionSteps", o.bisectionSteps, "≥ 0")
  try require(o.iterationLimit >= 1, "iterationLimit", o.iterationLimit, "≥ 1")
  try require(o.planeRoundLimit >= 1, "planeRoundLimit", o.planeRoundLimit, "≥ 1")
  try require(o.planesPerRound >= 1, "planesPerRound", o.planesPerRound, "≥ 1")
  try require(o.configurationSpaceMargin >= 0 && o.configurationSpaceMargin.isFinite, "configurationSpaceMargin", o.configurationSpaceMargin, "finite and ≥ 0")
  try require(o.startingBallRadius > 0 && o.startingBallRadius.isFinite, "startingBallRadius", o.startingBallRadius, "finite and > 0")
  try require(o.mixingSteps >= 1, "mixingSteps", o.mixingSteps, "≥ 1")

  var checks = 0
  func free(_ q: [Double]) -> Bool {
    checks += 1
    return checker.isFree(q)
  }
  if !domain.contains(seed, tolerance: 1e-9) {
    throw ConvexSetError(field: "seed", message: "\(formatVector(seed)) is outside the domain")
  }
  if !free(seed) { throw ConvexSetError(field: "seed", message: "\(formatVector(seed)) is in collision") }
  var keep = [seed]
  for (k, p) in o.requiredContainmentPoints.enumerated() {
    let field = "requiredContainmentPoints[\(k)]"
    if p.count != n { throw ConvexSetError(field: field, message: "has \(p.count) entries, expected \(n)") }
    try checkFinite(p, field: field)
    if !domain.contains(p, tolerance: 1e-9) { throw ConvexSetError(field: field, message: "\(formatVector(p)) is outside the domain") }
    if !free(p) { throw ConvexSetError(field: field, message: "\(formatVector(p)) is in collision") }
    keep.append(p)
  }
  if !domain.isBounded() { throw ConvexSetError(field: "domain", message: "is unbounded; IRIS needs a bounded domain") }

  var A = domain.A.rows
  var b = domain.b
  var ellipsoid = try Hyperellipsoid.ball(center: seed, radius: o.startingBallRadius)
  var volume = ellipsoidVolume(ellipsoid)
  var test = 0
  var rounds = 0
  var iterations = 0
  var certified = false
  var lastFraction = 1.0
  var keptForContainment = 0
  var sampleSeed = o.randomSeed

  while iterations < o.iterationLimit {
    iterations += 1
    let c = ellipsoid.center
    let base = free(c) ? c : seed
    let metric = ellipsoid.A.multiplied(by: ellipsoid.A, transposingSelf: true)  // AᵀA
    certified = false
    for _ in 0..<o.planeRoundLimit {
      rounds += 1
      test += 1
      let m = o.sampleCount(test: test)
      let polytope = try HPolyhedron(A: Matrix(rows: A), b: b)
      let start = polytope.contains(c, tolerance: 0) ? c : nil
      var sampler = try HitAndRunSampler(set: polytope, seed: sampleSeed, start: start)
      sampleSeed &+= 0x9E37_79B9_7F4A_7C15
      var colliding: [(distance: Double, q: [Double])] = []
      for _ in 0..<m {
        sampler.advance(steps: o.mixingSteps)
        let q = sampler.current
        if !free(q) {
          let distance = (ellipsoid.A * zip(q, c).map { $0 - $1 }).norm2
          colliding.append((distance, q))
        }
      }
      lastFraction = Double(colliding.count) / Double(m)
      if Double(colliding.count) <= (1 - o.decisionThreshold) * o.admissibleCollisionFraction * Double(m) {
        certified = true
        break
      }
      colliding.sort { $0.distance < $1.distance }
      let firstNew = b.count
      var added = 0
      for (_, x) in colliding where added < o.planesPerRound {
        // Skip samples the planes of this round already cut off.
        var cut = false
        for r in firstNew..<b.count where A[r].dot(x) > b[r] {
          cut = true
          break
        }
        if cut { continue }
        // Bisect base → x for the colliding point nearest base.
        var lo = base
        var hi = x
        for _ in 0..<o.bisectionSteps {
          let mid = (0..<n).map { 0.5 * (lo[$0] + hi[$0]) }
          if free(mid) { lo = mid } else { hi = mid }
        }
        let y = hi
        var a = metric * zip(y, c).map { $0 - $1 }
        let norm = a.norm2
        if !(norm > 0) || !norm.isFinite { continue }
        a = a.map { $0 / norm }
        let ay = a.dot(y)
        let keepMax = keep.map { a.dot($0) }.max()!
        if ay <= keepMax + 1e-12 * max(1, abs(ay)) {
          keptForContainment += 1
          continue
        }
        A.append(a)
        b.append(max(ay - o.configurationSpaceMargin, keepMax))
        added += 1
      }
      if added == 0 { break }  // every colliding sample is kept for containment: nothing more to cut
    }
    let region = try HPolyhedron(A: Matrix(rows: A), b: b)
    if iterations >= o.iterationLimit { break }
    let next = try region.maximumVolumeInscribedEllipsoid()
    let nextVolume = ellipsoidVolume(next)
    let growth = nextVolume - volume
    ellipsoid = next
    if growth <= o.terminationThreshold || growth / volume <= o.relativeTerminationThreshold { break }
    volume = nextVolume
  }
  return ConfigurationSpaceIrisResult(
    region: try HPolyhedron(A: Matrix(rows: A), b: b), ellipsoid: ellipsoid, certified: certified,
    lastCollisionFraction: lastFraction, iterations: iterations, rounds: rounds, collisionChecks: checks,
    samplesKeptForContainment: keptForContainment)
}

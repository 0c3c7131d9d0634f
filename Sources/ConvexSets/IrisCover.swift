import Foundation
import LinearAlgebra

/// Options of `irisCover(obstacles:domain:seeds:options:)`.
public struct IrisCoverOptions: Sendable, Equatable {
  /// Options of every region's IRIS.
  public var iris: IrisOptions = IrisOptions()
  /// Stop sampling seeds once this fraction of the free space is covered (default 0.9).
  public var targetCoverage: Double = 0.9
  /// Most regions in all, given seeds included (default 20).
  public var maximumRegions: Int = 20
  /// Uniform samples of the domain's bounding box drawn to estimate coverage; only those in the free
  /// space (in the domain, in no obstacle) count (default 2000).
  public var coverageSampleCount: Int = 2000
  /// Most tries to draw one uncovered free seed before giving up (default 1000).
  public var seedAttempts: Int = 1000
  /// Seed of the random generator (`SeededGenerator`) for seeds and coverage samples (default 0).
  public var randomSeed: UInt64 = 0

  public init() {}
}

/// Regions that cover the free space, with the coverage estimate.
public struct IrisCover: Sendable {
  /// The regions, in the order they were built.
  public var regions: [HPolyhedron]
  /// The seed of each region.
  public var seeds: [[Double]]
  /// Fraction of the free-space samples that lie in some region.
  public var coverage: Double
  /// Number of free-space samples behind `coverage`.
  public var coverageSampleCount: Int
  /// Whether `coverage ≥ targetCoverage`.
  public var reachedTarget: Bool
  /// Sampled seeds on which IRIS threw and that were skipped.
  public var failedSeedCount: Int
}

/// Covers the free space `domain \ ∪ obstacles` with IRIS regions.
///
/// First one region per given seed, in order; then, while the estimated coverage is below
/// `targetCoverage` and there are fewer than `maximumRegions` regions, a seed drawn uniformly from the
/// free space outside every region, and its region. Coverage is the fraction of a fixed set of
/// uniform free-space samples (rejection sampling in the domain's bounding box) that lie in some
/// region: a Monte-Carlo estimate with standard error `√(c(1 − c)/N)`.
///
/// - Throws: `ConvexSetError` when the domain is empty or unbounded, a given seed is invalid (as
///   `iris` throws), an option is out of range, or IRIS fails on a seed.
/// - Complexity: one IRIS per region, plus `coverageSampleCount · (obstacles + regions)` membership
///   tests.
public func irisCover(
  obstacles: [any ConvexSet], domain: HPolyhedron, seeds: [[Double]] = [], options: IrisCoverOptions = IrisCoverOptions()
) throws(ConvexSetError) -> IrisCover {
  if !(options.targetCoverage >= 0 && options.targetCoverage <= 1) {
    throw ConvexSetError(field: "targetCoverage", message: "is \(options.targetCoverage), expected in [0, 1]")
  }
  if options.coverageSampleCount < 1 {
    throw ConvexSetError(field: "coverageSampleCount", message: "is \(options.coverageSampleCount), expected ≥ 1")
  }
  if options.maximumRegions < seeds.count {
    throw ConvexSetError(
      field: "maximumRegions", message: "is \(options.maximumRegions), fewer than the \(seeds.count) given seeds")
  }
  guard let box = domain.boundingBox() else {
    throw ConvexSetError(field: "domain", message: "is empty or unbounded; a cover needs a bounded domain")
  }
  var generator = SeededGenerator(seed: options.randomSeed)
  func isFree(_ x: [Double]) -> Bool {
    domain.contains(x, tolerance: 0) && !obstacles.contains { $0.contains(x, tolerance: 0) }
  }
  func drawInBox() -> [Double] {
    box.lb.indices.map { box.lb[$0] + generator.nextUnit() * (box.ub[$0] - box.lb[$0]) }
  }
  var samples: [[Double]] = []
  for _ in 0..<options.coverageSampleCount {
    let x = drawInBox()
    if isFree(x) { samples.append(x) }
  }
  var covered = [Bool](repeating: false, count: samples.count)
  var coveredCount = 0
  var regions: [HPolyhedron] = []
  var regionSeeds: [[Double]] = []
  var failedSeeds = 0

  func add(_ seed: [Double]) throws(ConvexSetError) {
    let region = try iris(obstacles: obstacles, seed: seed, domain: domain, options: options.iris)
    regions.append(region)
    regionSeeds.append(seed)
    for k in samples.indices where !covered[k] && region.contains(samples[k], tolerance: 1e-9) {
      covered[k] = true
      coveredCount += 1
    }
  }
  func coverage() -> Double { samples.isEmpty ? 1 : Double(coveredCount) / Double(samples.count) }

  for seed in seeds { try add(seed) }
  sampling: while coverage() < options.targetCoverage && regions.count < options.maximumRegions {
    for _ in 0..<options.seedAttempts {
      let x = drawInBox()
      if isFree(x) && !regions.contains(where: { $0.contains(x, tolerance: 0) }) {
        // A sampled seed on which IRIS fails (e.g. one within the solvers' accuracy of an
        // obstacle) is skipped; errors on given seeds are thrown.
        do { try add(x) } catch { failedSeeds += 1; continue }
        continue sampling
      }
    }
    break
  }
  let c = coverage()
  return IrisCover(
    regions: regions, seeds: regionSeeds, coverage: c, coverageSampleCount: samples.count,
    reachedTarget: c >= options.targetCoverage, failedSeedCount: failedSeeds)
}

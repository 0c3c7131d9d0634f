import Foundation
import ConicSolver
import LinearAlgebra

/// Options of `iris(obstacles:seed:domain:options:)` (Deits & Tedrake, "Computing large convex
/// regions of obstacle-free space through semidefinite programming", WAFR 2014,
/// doi:10.1007/978-3-319-16595-0_7; Drake's `Iris`).
public struct IrisOptions: Sendable, Equatable {
  /// Most alternations of separating hyperplanes and inscribed ellipsoid (default 100, as Drake).
  public var iterationLimit: Int = 100
  /// Stop when the inscribed ellipsoid's volume grows by no more than this in one iteration, in
  /// absolute volume units of the space (default 2e-2, as Drake's `termination_threshold`).
  public var terminationThreshold: Double = 2e-2
  /// Stop when the relative growth of the volume, `V_new / V_old − 1`, is no more than this (default
  /// 1e-3, as Drake's `relative_termination_threshold`).
  public var relativeTerminationThreshold: Double = 1e-3
  /// Points the region must keep inside. When the tangent hyperplane of an obstacle would cut one
  /// of them (or the seed) off, IRIS uses instead the hyperplane tangent to the obstacle at its
  /// point nearest to the convex hull of these points and the seed (see docs/convex-sets.md, "IRIS").
  /// Each point must lie in the domain and in no obstacle, and their hull must miss every obstacle.
  public var requiredContainmentPoints: [[Double]] = []
  /// Most faces the region may have besides the domain's (default: no limit). When one iteration
  /// needs more hyperplanes than this to exclude every obstacle, IRIS stops and returns the previous
  /// iteration's region; when that happens in the first iteration it throws.
  public var maximumFaces: Int? = nil
  /// Keep the seed inside the region (default `true`): the seed is treated as one more required
  /// containment point. With `false`, plain IRIS, whose region may drift off the seed.
  public var keepsSeedInside: Bool = true
  /// Distance by which every separating hyperplane is moved away from its obstacle, towards the
  /// region (default 0: the region touches the obstacles).
  public var margin: Double = 0
  /// Radius of the starting ball around the seed (default 1e-2, as Drake's starting ellipse).
  public var startingBallRadius: Double = 1e-2

  public init() {}
}

/// What `irisRegion(obstacles:seed:domain:options:)` computed, besides the region.
public struct IrisResult: Sendable {
  /// Why the alternation stopped.
  public enum Termination: Sendable, Equatable {
    /// The volume grew by no more than `terminationThreshold`.
    case absoluteVolumeGrowth
    /// The volume grew by no more than `relativeTerminationThreshold` relative.
    case relativeVolumeGrowth
    /// `iterationLimit` iterations ran.
    case iterationLimit
    /// An iteration needed more than `maximumFaces` hyperplanes; the previous region is returned.
    case faceLimit
  }

  /// The obstacle-free polytope: the domain's inequalities first, then the separating hyperplanes.
  public var region: HPolyhedron
  /// The last maximum-volume inscribed ellipsoid (of the region returned, or of the previous one
  /// when the iteration limit stopped IRIS before the ellipsoid step).
  public var ellipsoid: Hyperellipsoid
  /// Iterations run (hyperplane steps).
  public var iterations: Int
  /// Why it stopped.
  public var termination: Termination
}

/// The IRIS region grown from `seed` among `obstacles` inside `domain`.
///
/// See `irisRegion(obstacles:seed:domain:options:)`, which also returns the ellipsoid and why it
/// stopped.
///
/// - Throws: `ConvexSetError` when dimensions differ, the seed is outside the domain or inside an
///   obstacle, or the inscribed-ellipsoid step fails.
public func iris(
  obstacles: [any ConvexSet], seed: [Double], domain: HPolyhedron, options: IrisOptions = IrisOptions()
) throws(ConvexSetError) -> HPolyhedron {
  try irisRegion(obstacles: obstacles, seed: seed, domain: domain, options: options).region
}

/// IRIS (Deits & Tedrake 2014): a large obstacle-free convex region around `seed`.
///
/// Starting from the ball of radius `startingBallRadius` at the seed, each iteration takes the
/// current ellipsoid `E = {x : ‖A(x − d)‖ ≤ 1}` and
///
/// ```
/// for each obstacle Oⱼ:  x*ⱼ = argmin { ‖A(x − d)‖² : x ∈ Oⱼ }          (one QP per obstacle)
/// in order of ‖A(x*ⱼ − d)‖, skipping obstacles already outside an earlier hyperplane:
///     add  aᵀx ≤ aᵀx*ⱼ − margin,   a = AᵀA(x*ⱼ − d) / ‖AᵀA(x*ⱼ − d)‖
/// P = domain ∩ hyperplanes;   E = maximum-volume inscribed ellipsoid of P
/// ```
/// until the volume of `E` stalls or `iterationLimit` hyperplane steps have run. Obstacles that miss
/// the domain are dropped once at the start.
///
/// - Throws: `ConvexSetError` when dimensions differ, an obstacle is empty or unbounded, the seed
///   or a required point is outside the domain or inside an obstacle, the hull of the required
///   points meets an obstacle, an obstacle's nearest-point program fails, the face limit is hit in
///   the first iteration, or the inscribed-ellipsoid step fails (e.g. an unbounded domain).
/// - Complexity: per iteration one small QP per obstacle in the domain, a support-function test per
///   (obstacle, hyperplane) pair, and one MVIE.
public func irisRegion(
  obstacles: [any ConvexSet], seed: [Double], domain: HPolyhedron, options: IrisOptions = IrisOptions()
) throws(ConvexSetError) -> IrisResult {
  let n = domain.ambientDimension
  if seed.count != n {
    throw ConvexSetError(field: "seed", message: "has \(seed.count) entries but the domain has dimension \(n)")
  }
  try checkFinite(seed, field: "seed")
  for (j, obstacle) in obstacles.enumerated() where obstacle.ambientDimension != n {
    throw ConvexSetError(
      field: "obstacles[\(j)]", message: "has dimension \(obstacle.ambientDimension) but the domain has dimension \(n)")
  }
  if options.iterationLimit < 1 {
    throw ConvexSetError(field: "iterationLimit", message: "is \(options.iterationLimit), expected ≥ 1")
  }
  if let limit = options.maximumFaces, limit < 0 {
    throw ConvexSetError(field: "maximumFaces", message: "is \(limit), expected ≥ 0")
  }
  if !(options.margin >= 0) || !options.margin.isFinite {
    throw ConvexSetError(field: "margin", message: "is \(options.margin), expected finite and ≥ 0")
  }
  if !domain.contains(seed, tolerance: 1e-9) {
    throw ConvexSetError(field: "seed", message: "\(formatVector(seed)) is outside the domain")
  }
  for (j, obstacle) in obstacles.enumerated() where obstacle.contains(seed, tolerance: 0) {
    throw ConvexSetError(field: "seed", message: "\(formatVector(seed)) is inside obstacles[\(j)] (\(obstacle))")
  }
  var keep = options.requiredContainmentPoints
  for (k, p) in keep.enumerated() {
    if p.count != n {
      throw ConvexSetError(field: "requiredContainmentPoints[\(k)]", message: "has \(p.count) entries, expected \(n)")
    }
    if !domain.contains(p, tolerance: 1e-9) {
      throw ConvexSetError(field: "requiredContainmentPoints[\(k)]", message: "\(formatVector(p)) is outside the domain")
    }
    for (j, obstacle) in obstacles.enumerated() where obstacle.contains(p, tolerance: 0) {
      throw ConvexSetError(field: "requiredContainmentPoints[\(k)]", message: "\(formatVector(p)) is inside obstacles[\(j)]")
    }
  }
  if options.keepsSeedInside { keep.append(seed) }

  // Obstacles that meet the domain; the others need no hyperplane.
  var active: [(index: Int, set: any ConvexSet)] = []
  for (j, obstacle) in obstacles.enumerated() {
    if obstacle.isEmpty() { continue }
    if !obstacle.isBounded() {
      throw ConvexSetError(field: "obstacles[\(j)]", message: "is unbounded; IRIS needs bounded obstacles")
    }
    if intersectsDomain(obstacle, domain) { active.append((j, obstacle)) }
  }

  var ellipsoid = try Hyperellipsoid.ball(center: seed, radius: options.startingBallRadius)
  var bestVolume = ellipsoidVolume(ellipsoid)
  var previous: (region: HPolyhedron, ellipsoid: Hyperellipsoid)? = nil
  var iteration = 0
  while true {
    let planes = try separatingHyperplanes(
      active: active, ellipsoid: ellipsoid, domain: domain, keep: keep, options: options)
    iteration += 1
    guard let planes else {
      guard let previous else {
        throw ConvexSetError(
          field: "maximumFaces",
          message: "is \(options.maximumFaces ?? 0), but more hyperplanes are needed to exclude the obstacles around the seed")
      }
      return IrisResult(region: previous.region, ellipsoid: previous.ellipsoid, iterations: iteration, termination: .faceLimit)
    }
    let region = try HPolyhedron(
      A: Matrix(rows: domain.A.rows + planes.map(\.a)), b: domain.b + planes.map(\.b))
    if iteration >= options.iterationLimit {
      return IrisResult(region: region, ellipsoid: ellipsoid, iterations: iteration, termination: .iterationLimit)
    }
    let next = try region.maximumVolumeInscribedEllipsoid()
    let volume = ellipsoidVolume(next)
    let growth = volume - bestVolume
    if growth <= options.terminationThreshold {
      return IrisResult(region: region, ellipsoid: next, iterations: iteration, termination: .absoluteVolumeGrowth)
    }
    if growth / bestVolume <= options.relativeTerminationThreshold {
      return IrisResult(region: region, ellipsoid: next, iterations: iteration, termination: .relativeVolumeGrowth)
    }
    bestVolume = volume
    ellipsoid = next
    previous = (region, next)
  }
}

/// The volume of `{x : ‖A(x − c)‖ ≤ 1}` for square invertible `A`: `vol(unit ball) / |det A|`.
func ellipsoidVolume(_ e: Hyperellipsoid) -> Double {
  let n = Double(e.ambientDimension)
  let unitBall = pow(Double.pi, n / 2) / tgamma(n / 2 + 1)
  return unitBall / abs(e.A.determinant)
}

/// Whether the obstacle meets the domain (closed form for boxes against a box-shaped check is not
/// attempted; one feasibility solve).
private func intersectsDomain(_ obstacle: any ConvexSet, _ domain: HPolyhedron) -> Bool {
  if let point = obstacle as? Point { return domain.contains(point.x, tolerance: 1e-9) }
  return obstacle.intersects(domain)
}

/// The minimum of `aᵀx` over the obstacle (its negative support function at `−a`); `nil` when undecided.
func minimumOfLinear(_ a: [Double], over obstacle: any ConvexSet) -> Double? {
  switch obstacle {
  case let box as Hyperrectangle:
    return a.indices.reduce(0.0) { $0 + (a[$1] >= 0 ? a[$1] * box.lb[$1] : a[$1] * box.ub[$1]) }
  case let polytope as VPolytope:
    return polytope.points.map { a.dot($0) }.min()
  case let point as Point:
    return a.dot(point.x)
  default:
    if case .optimal(let value, _) = LinearMinimizer(obstacle.conicDescription).minimize(a) { return value }
    return nil
  }
}

/// The point of the obstacle nearest to `center` in the metric `‖A(x − center)‖`: the QP
/// `minimize ½ xᵀQx − (Q center)ᵀx` over the obstacle, `Q = AᵀA`.
func closestPointInMetric(_ obstacle: any ConvexSet, metric A: Matrix, center: [Double]) -> [Double]? {
  if let point = obstacle as? Point { return point.x }
  let n = center.count
  let q = A.multiplied(by: A, transposingSelf: true)
  let qc = q * center
  var builder = ConicProgramBuilder()
  let x = Array(builder.addVariables(n))
  obstacle.conicDescription.addConstraints(to: &builder, point: x)
  for i in 0..<n {
    for j in 0..<n { builder.addQuadraticCost(x[i], x[j], q[i, j]) }
    builder.addLinearCost(x[i], -qc[i])
  }
  guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else { return nil }
  let result = solver.solve()
  return result.status.hasSolution ? Array(result.x[0..<n]) : nil
}

/// The pair `(x, y)` with `x` in the obstacle and `y` in the convex hull of `points` at least
/// Euclidean distance; `nil` when the program fails.
func closestPairToHull(_ obstacle: any ConvexSet, points: [[Double]]) -> (x: [Double], y: [Double])? {
  let n = obstacle.ambientDimension
  var builder = ConicProgramBuilder()
  let x = Array(builder.addVariables(n))
  let y = Array(builder.addVariables(n))
  let lambda = Array(builder.addVariables(points.count))
  obstacle.conicDescription.addConstraints(to: &builder, point: x)
  builder.addConstraint(.nonnegative, lambda.map { AffineExpression.variable($0) })
  builder.addConstraint(.zero, [AffineExpression(indices: lambda, coefficients: lambda.map { _ in 1 }, constant: -1)])
  for i in 0..<n {
    var e = AffineExpression.variable(y[i], coefficient: -1)
    for (k, p) in points.enumerated() { e.add(lambda[k], p[i]) }
    builder.addConstraint(.zero, [e])
    // ½ · 2 (x − y)² = x² − 2xy + y².
    builder.addQuadraticCost(x[i], x[i], 2)
    builder.addQuadraticCost(y[i], y[i], 2)
    builder.addQuadraticCost(x[i], y[i], -2)
    builder.addQuadraticCost(y[i], x[i], -2)
  }
  guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else { return nil }
  let result = solver.solve()
  guard result.status.hasSolution else { return nil }
  return (Array(result.x[0..<n]), Array(result.x[n..<(2 * n)]))
}

/// One IRIS hyperplane step; `nil` when more than `maximumFaces` hyperplanes would be needed.
private func separatingHyperplanes(
  active: [(index: Int, set: any ConvexSet)], ellipsoid: Hyperellipsoid, domain: HPolyhedron,
  keep: [[Double]], options: IrisOptions
) throws(ConvexSetError) -> [(a: [Double], b: Double)]? {
  let center = ellipsoid.center
  var candidates: [(position: Int, point: [Double], distance: Double)] = []
  for (position, obstacle) in active.enumerated() {
    guard let x = closestPointInMetric(obstacle.set, metric: ellipsoid.A, center: center) else {
      throw ConvexSetError(
        field: "obstacles[\(obstacle.index)]", message: "nearest point to the ellipsoid could not be computed (solver failure)")
    }
    let distance = (ellipsoid.A * zip(x, center).map { $0 - $1 }).norm2
    candidates.append((position, x, distance))
  }
  candidates.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.position < $1.position) }
  let scale = max(1, center.normInf)
  var planes: [(a: [Double], b: Double)] = []
  for candidate in candidates {
    let obstacle = active[candidate.position]
    // Already outside an earlier hyperplane (touching counts as outside).
    let excluded = planes.contains { plane in
      guard let low = minimumOfLinear(plane.a, over: obstacle.set) else { return false }
      return low >= plane.b + options.margin - 1e-12 * scale
    }
    if excluded { continue }
    if let limit = options.maximumFaces, planes.count >= limit { return nil }
    var x = candidate.point
    let qDirection = ellipsoid.A.multiplyTransposed(ellipsoid.A * zip(x, center).map { $0 - $1 })
    var a = qDirection
    var norm = a.norm2
    if candidate.distance <= 1e-12 || !(norm > 0) {
      throw ConvexSetError(
        field: "obstacles[\(obstacle.index)]", message: "meets the inscribed ellipsoid's centre \(formatVector(center))")
    }
    a = a.map { $0 / norm }
    // The support value rather than aᵀx*, so that an inaccurate QP solution still gives a plane
    // that every obstacle point satisfies (exact for boxes, V-polytopes and points; an LP otherwise).
    var b = min(a.dot(x), minimumOfLinear(a, over: obstacle.set) ?? a.dot(x))
    let tolerance = 1e-7 * scale
    if keep.contains(where: { a.dot($0) > b - options.margin + tolerance }) {
      // The tangent plane cuts off a required point: separate the obstacle from their hull instead.
      guard let pair = closestPairToHull(obstacle.set, points: keep) else {
        throw ConvexSetError(
          field: "obstacles[\(obstacle.index)]",
          message: "nearest point to the hull of the required containment points could not be computed (solver failure)")
      }
      x = pair.x
      a = zip(pair.x, pair.y).map { $0 - $1 }
      norm = a.norm2
      if norm <= options.margin + 1e-7 * scale {
        throw ConvexSetError(
          field: "requiredContainmentPoints",
          message: "together with the seed span a hull that meets obstacles[\(obstacle.index)] (distance \(norm), margin \(options.margin))")
      }
      a = a.map { $0 / norm }
      b = min(a.dot(x), minimumOfLinear(a, over: obstacle.set) ?? a.dot(x))
    }
    planes.append((a, b - options.margin))
  }
  return planes
}

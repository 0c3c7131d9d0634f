import ConvexSets
import Foundation
import LinearAlgebra

/// A planar serial arm of revolute joints: the built-in robot of the planning layer, for
/// configuration-space IRIS and GCS trajectories on small examples (the 7-DOF arm's checker, over
/// MuJoCo, belongs to the simulation layer).
///
/// Joint `i` turns link `i` relative to link `i − 1` (the first relative to the +x axis):
/// `θᵢ = q₁ + … + qᵢ`, `p₀ = base`, `pᵢ = pᵢ₋₁ + lᵢ (cos θᵢ, sin θᵢ)`. Link `i` is the capsule of
/// radius `linkRadius` around the segment `pᵢ₋₁ pᵢ`.
public struct PlanarArm: Sendable, Equatable {
  /// The position of the first joint, in the workspace plane.
  public var base: [Double]
  /// The length of each link (all positive); their count is the number of joints.
  public var linkLengths: [Double]
  /// The radius of every link's capsule (≥ 0).
  public var linkRadius: Double
  /// Whether two links that do not share a joint (`j ≥ i + 2`) must keep `2 · linkRadius` apart.
  public var selfCollision: Bool

  /// - Throws: `ConvexSetError` naming the field (`base`, `link_lengths[k]`, `link_radius`) when
  ///   the base is not two finite numbers, there is no link, a length is not positive and finite, or
  ///   the radius is negative or not finite.
  public init(base: [Double], linkLengths: [Double], linkRadius: Double, selfCollision: Bool = true) throws(ConvexSetError) {
    if base.count != 2 || !base.allSatisfy(\.isFinite) {
      throw ConvexSetError(field: "base", message: "is \(base), expected two finite numbers")
    }
    if linkLengths.isEmpty { throw ConvexSetError(field: "link_lengths", message: "is empty, expected one length per joint") }
    for (k, l) in linkLengths.enumerated() where !(l > 0 && l.isFinite) {
      throw ConvexSetError(field: "link_lengths[\(k)]", message: "is \(l), expected a positive finite length")
    }
    if !(linkRadius >= 0 && linkRadius.isFinite) {
      throw ConvexSetError(field: "link_radius", message: "is \(linkRadius), expected finite and ≥ 0")
    }
    self.base = base
    self.linkLengths = linkLengths
    self.linkRadius = linkRadius
    self.selfCollision = selfCollision
  }

  /// The number of joints (and links).
  public var jointCount: Int { linkLengths.count }

  /// The joint positions `p₀ … pₙ` (base first, tip last) at configuration `q`.
  ///
  /// - Precondition: `q.count == jointCount`.
  public func jointPositions(_ q: [Double]) -> [[Double]] {
    precondition(q.count == jointCount, "PlanarArm.jointPositions: \(q.count) angles for \(jointCount) joints")
    var points = [base]
    var theta = 0.0
    var x = base[0]
    var y = base[1]
    for i in 0..<jointCount {
      theta += q[i]
      x += linkLengths[i] * cos(theta)
      y += linkLengths[i] * sin(theta)
      points.append([x, y])
    }
    return points
  }
}

/// The collision test of a `PlanarArm` among convex polygonal obstacles in its plane.
///
/// A configuration collides when a link's capsule meets an obstacle (the distance from the link's
/// segment to the polygon is below `linkRadius`; it is 0 when they cross) or, with `selfCollision`,
/// when two links that share no joint come closer than `2 · linkRadius`. `clearance` is the smallest
/// of those distances minus the radii, exact (closed-form segment–segment distances).
public struct PlanarArmCollisionChecker: CollisionChecker {
  public let arm: PlanarArm
  /// Each obstacle's vertices, counter-clockwise (one vertex for a point, two for a segment).
  public let polygons: [[[Double]]]

  public var dimension: Int { arm.jointCount }

  /// - Throws: `ConvexSetError` (field `obstacles[k]`) when an obstacle is not 2-D or is not a
  ///   bounded polytope (a `Point`, `Hyperrectangle`, `VPolytope` or bounded `HPolyhedron`).
  public init(arm: PlanarArm, obstacles: [any ConvexSet]) throws(ConvexSetError) {
    self.arm = arm
    var polygons: [[[Double]]] = []
    for (k, o) in obstacles.enumerated() {
      let field = "obstacles[\(k)]"
      if o.ambientDimension != 2 {
        throw ConvexSetError(field: field, message: "has dimension \(o.ambientDimension), expected 2 (obstacles of a planar arm lie in its plane)")
      }
      let points: [[Double]]
      switch o {
      case let p as Point: points = [p.x]
      case let box as Hyperrectangle:
        points = [[box.lb[0], box.lb[1]], [box.ub[0], box.lb[1]], [box.ub[0], box.ub[1]], [box.lb[0], box.ub[1]]]
      case let v as VPolytope: points = v.points
      case let h as HPolyhedron:
        if !h.isBounded() { throw ConvexSetError(field: field, message: "is unbounded; a planar arm's obstacles must be bounded") }
        if h.isEmpty() { continue }
        do {
          points = try VPolytope(h).points
        } catch {
          throw ConvexSetError(field: field, message: error.message)
        }
      default:
        throw ConvexSetError(field: field, message: "is \(o.description); a planar arm's obstacles must be polygons (box, vpolytope or hpolyhedron)")
      }
      // ConvexSets' 2-D hull: counter-clockwise, no repeated or collinear points (monotone chain).
      do {
        polygons.append(try VPolytope(points: points).minimalRepresentation().points)
      } catch {
        throw ConvexSetError(field: field, message: error.message)
      }
    }
    self.polygons = polygons
  }

  public func isFree(_ q: [Double]) -> Bool { smallestClearance(q, stoppingAtCollision: true) > 0 }

  /// The smallest distance from a link to an obstacle minus `linkRadius`, and (with `selfCollision`)
  /// from a link to a link that shares no joint with it minus `2 · linkRadius`; `+∞` when there is
  /// nothing to hit.
  public func clearance(_ q: [Double]) -> Double? { smallestClearance(q, stoppingAtCollision: false) }

  /// The clearance, or, with `stoppingAtCollision`, the first non-positive term found.
  private func smallestClearance(_ q: [Double], stoppingAtCollision: Bool) -> Double {
    let p = arm.jointPositions(q)
    let r = arm.linkRadius
    var best = Double.infinity
    for i in 0..<arm.jointCount {
      let a = p[i]
      let b = p[i + 1]
      for polygon in polygons {
        best = min(best, segmentPolygonDistance(a, b, polygon) - r)
        if stoppingAtCollision, best <= 0 { return best }
      }
      if arm.selfCollision, i >= 2 {
        for j in 0...(i - 2) {
          best = min(best, segmentDistance(p[j], p[j + 1], a, b) - 2 * r)
          if stoppingAtCollision, best <= 0 { return best }
        }
      }
    }
    return best
  }
}

// MARK: - 2-D distance kernels

private func cross(_ o: [Double], _ a: [Double], _ b: [Double]) -> Double {
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// The distance from point `p` to segment `ab`.
func pointSegmentDistance(_ p: [Double], _ a: [Double], _ b: [Double]) -> Double {
  let dx = b[0] - a[0]
  let dy = b[1] - a[1]
  let length2 = dx * dx + dy * dy
  var t = length2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2 : 0
  t = min(1, max(0, t))
  let ex = a[0] + t * dx - p[0]
  let ey = a[1] + t * dy - p[1]
  return (ex * ex + ey * ey).squareRoot()
}

/// Whether closed segments `ab` and `cd` meet.
func segmentsIntersect(_ a: [Double], _ b: [Double], _ c: [Double], _ d: [Double]) -> Bool {
  let d1 = cross(c, d, a)
  let d2 = cross(c, d, b)
  let d3 = cross(a, b, c)
  let d4 = cross(a, b, d)
  if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
  return (d1 == 0 && pointSegmentDistance(a, c, d) == 0) || (d2 == 0 && pointSegmentDistance(b, c, d) == 0)
    || (d3 == 0 && pointSegmentDistance(c, a, b) == 0) || (d4 == 0 && pointSegmentDistance(d, a, b) == 0)
}

/// The distance between segments `ab` and `cd` (0 when they meet).
func segmentDistance(_ a: [Double], _ b: [Double], _ c: [Double], _ d: [Double]) -> Double {
  if segmentsIntersect(a, b, c, d) { return 0 }
  return min(
    pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d), pointSegmentDistance(c, a, b),
    pointSegmentDistance(d, a, b))
}

/// The distance from segment `ab` to a convex polygon given counter-clockwise (0 when they meet).
func segmentPolygonDistance(_ a: [Double], _ b: [Double], _ polygon: [[Double]]) -> Double {
  switch polygon.count {
  case 0: return .infinity
  case 1: return pointSegmentDistance(polygon[0], a, b)
  case 2: return segmentDistance(a, b, polygon[0], polygon[1])
  default: break
  }
  // An end inside the polygon: every edge has it on its left.
  func inside(_ p: [Double]) -> Bool {
    for k in polygon.indices where cross(polygon[k], polygon[(k + 1) % polygon.count], p) < 0 { return false }
    return true
  }
  if inside(a) || inside(b) { return 0 }
  var best = Double.infinity
  for k in polygon.indices {
    best = min(best, segmentDistance(a, b, polygon[k], polygon[(k + 1) % polygon.count]))
    if best == 0 { return 0 }
  }
  return best
}

import Foundation
import Geometry

/// A named part of an object's surface, the first component of a `SurfaceCoordinate`.
///
/// Each category uses some of them (see docs/objects.md): mugs `outerWall`, `rim`, `innerWall`,
/// `innerBottom`, `outerBottom`, `handle`, `handleTopEnd`, `handleBottomEnd`; shoes `upper`, `sole`.
public enum SurfacePart: String, Sendable, Hashable, CaseIterable, Codable {
  /// Mug: the outside of the body, bottom edge (v = 0) to the start of the rim (v = 1).
  case outerWall = "outer_wall"
  /// Mug: the rounded rim, outer edge (v = 0) over the top (v = 0.5) to the inner edge (v = 1).
  case rim
  /// Mug: the inside of the body, rim (v = 0) down to the floor (v = 1).
  case innerWall = "inner_wall"
  /// Mug: the floor inside, wall (v = 0) to the centre (v = 1).
  case innerBottom = "inner_bottom"
  /// Mug: the face it stands on, centre (v = 0) to the edge (v = 1).
  case outerBottom = "outer_bottom"
  /// Mug: the handle tube, top end (u = 0) to bottom end (u = 1), v around the cross-section from
  /// the outside of the loop (v = 0).
  case handle
  /// Mug: the cap closing the handle's top end, buried in the wall (not visible).
  case handleTopEnd = "handle_top_end"
  /// Mug: the cap closing the handle's bottom end, buried in the wall (not visible).
  case handleBottomEnd = "handle_bottom_end"
  /// Shoe: everything above the widest line, heel (u = 0) to toe (u = 1), v from the +y side (0) over
  /// the top (0.5) to the −y side (1); includes the collar recess.
  case upper
  /// Shoe: everything below the widest line, heel (u = 0) to toe (u = 1), v from the −y side (0)
  /// under the bottom (0.5) to the +y side (1).
  case sole
}

/// A point of a category's parameter domain: a part and `(u, v) ∈ [0, 1]²`.
///
/// The same coordinate on two instances of a category is a correspondence (ground truth for
/// evaluation only). Where `u` runs around a closed loop it is periodic and reported in `[0, 1)`.
public struct SurfaceCoordinate: Sendable, Hashable, CustomStringConvertible {
  /// The part.
  public var part: SurfacePart
  /// The first parameter, in `[0, 1]`.
  public var u: Double
  /// The second parameter, in `[0, 1]`.
  public var v: Double

  /// A coordinate from its parts.
  public init(_ part: SurfacePart, u: Double, v: Double) {
    self.part = part
    self.u = u
    self.v = v
  }

  /// `part(u, v)`.
  public var description: String { "\(part.rawValue)(\(u), \(v))" }
}

/// One part's grid of surface points: `points[i · vKnots.count + j]` is the point at
/// `(uKnots[i], vKnots[j])`. Cells are split along the diagonal `(i, j)–(i+1, j+1)`; the surface is the
/// resulting piecewise-linear interpolation, the same triangles as the mesh.
struct SurfaceChart: Sendable {
  let part: SurfacePart
  let uKnots: [Double]
  let vKnots: [Double]
  /// Whether `u` wraps around (the last column repeats the first exactly).
  let periodicU: Bool
  /// Whether `∂u × ∂v` points into the solid (faces are then wound the other way).
  let reversed: Bool
  let points: [SIMD3<Double>]

  /// Evaluates `point(u, v)` at every knot pair; a periodic chart's last column is a copy of the
  /// first, so the seam welds exactly.
  init(
    part: SurfacePart, uKnots: [Double], vKnots: [Double], periodicU: Bool, reversed: Bool,
    point: (Double, Double) -> SIMD3<Double>
  ) {
    precondition(uKnots.count >= 2 && vKnots.count >= 2, "SurfaceChart \(part): needs at least 2 knots each way")
    self.part = part
    self.uKnots = uKnots
    self.vKnots = vKnots
    self.periodicU = periodicU
    self.reversed = reversed
    var points: [SIMD3<Double>] = []
    points.reserveCapacity(uKnots.count * vKnots.count)
    for (i, u) in uKnots.enumerated() {
      for j in vKnots.indices {
        if periodicU && i == uKnots.count - 1 {
          points.append(points[j])
        } else {
          // +0 turns −0 into +0, so points on an axis weld.
          points.append(point(u, vKnots[j]) + SIMD3<Double>(repeating: 0))
        }
      }
    }
    self.points = points
  }

  func index(_ i: Int, _ j: Int) -> Int { i * vKnots.count + j }

  /// Uniform knots `0, 1/n, …, 1`.
  static func uniform(_ n: Int) -> [Double] { (0...n).map { Double($0) / Double(n) } }

  /// The cell holding `x` in `knots` and the local coordinate in it.
  static func cell(_ x: Double, _ knots: [Double]) -> (Int, Double) {
    var lo = 0
    var hi = knots.count - 1
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if knots[mid] <= x { lo = mid } else { hi = mid }
    }
    let width = knots[lo + 1] - knots[lo]
    return (lo, width > 0 ? min(max((x - knots[lo]) / width, 0), 1) : 0)
  }

  /// The two triangles of cell `(i, j)` as grid corners `(di, dj)` and their local `(s, t)`.
  static let cellTriangles: [[(Int, Int)]] = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (1, 1), (0, 1)]]

  /// Which edge of cell `(i, j)` collapses to a point (at a pole), if any.
  enum Collapse { case none, bottom, top, left, right }

  func collapse(_ i: Int, _ j: Int) -> Collapse {
    let p00 = points[index(i, j)]
    let p10 = points[index(i + 1, j)]
    let p11 = points[index(i + 1, j + 1)]
    let p01 = points[index(i, j + 1)]
    if p01 == p11 { return .top }
    if p00 == p10 { return .bottom }
    if p00 == p01 { return .left }
    if p10 == p11 { return .right }
    return .none
  }

  /// The point at local `(s, t)` of cell `(i, j)`: the cell's two triangles, or — in a cell with a
  /// collapsed edge, which is a single triangle — the bilinear map, which is one-to-one there.
  func point(cell i: Int, _ j: Int, s: Double, t: Double) -> SIMD3<Double> {
    let p00 = points[index(i, j)]
    let p10 = points[index(i + 1, j)]
    let p11 = points[index(i + 1, j + 1)]
    let p01 = points[index(i, j + 1)]
    if collapse(i, j) != .none {
      return (1 - t) * ((1 - s) * p00 + s * p10) + t * ((1 - s) * p01 + s * p11)
    }
    if s >= t {
      return (1 - s) * p00 + (s - t) * p10 + t * p11
    } else {
      return (1 - t) * p00 + s * p11 + (t - s) * p01
    }
  }

  func point(u: Double, v: Double) -> SIMD3<Double> {
    let (i, s) = SurfaceChart.cell(u, uKnots)
    let (j, t) = SurfaceChart.cell(v, vKnots)
    return point(cell: i, j, s: s, t: t)
  }

  /// The nearest point of this chart's surface to `p`: its coordinate and distance.
  func nearest(to p: SIMD3<Double>) -> (u: Double, v: Double, distance: Double) {
    var best = (u: 0.0, v: 0.0, distance: Double.infinity)
    for i in 0..<(uKnots.count - 1) {
      for j in 0..<(vKnots.count - 1) {
        let collapsed = collapse(i, j)
        // In a collapsed cell only one triangle is left; its corners, then (s, t) from its weights.
        let triangles: [[(Int, Int)]]
        switch collapsed {
        case .none: triangles = SurfaceChart.cellTriangles
        case .top: triangles = [[(0, 0), (1, 0), (1, 1)]]
        case .bottom: triangles = [[(0, 0), (1, 1), (0, 1)]]
        case .left: triangles = [[(0, 0), (1, 0), (1, 1)]]
        case .right: triangles = [[(0, 0), (1, 0), (0, 1)]]
        }
        for triangle in triangles {
          let corners = triangle.map { points[index(i + $0.0, j + $0.1)] }
          if cross(corners[1] - corners[0], corners[2] - corners[0]) == .zero { continue }
          let hit = closestPointOnTriangle(p, corners[0], corners[1], corners[2])
          let d = ((hit.point - p) * (hit.point - p)).sum().squareRoot()
          guard d < best.distance else { continue }
          let w = hit.weights
          var s = 0.0
          var t = 0.0
          switch collapsed {
          case .none:
            for k in 0..<3 {
              s += w[k] * Double(triangle[k].0)
              t += w[k] * Double(triangle[k].1)
            }
          case .top:  // corners p00, p10, pole
            t = w[2]
            s = w[0] + w[1] > 0 ? w[1] / (w[0] + w[1]) : 0
          case .bottom:  // corners pole, p11, p01
            t = 1 - w[0]
            s = w[1] + w[2] > 0 ? w[1] / (w[1] + w[2]) : 0
          case .left:  // corners pole, p10, p11
            s = 1 - w[0]
            t = w[1] + w[2] > 0 ? w[2] / (w[1] + w[2]) : 0
          case .right:  // corners p00, pole, p01
            s = w[1]
            t = w[0] + w[2] > 0 ? w[2] / (w[0] + w[2]) : 0
          }
          var u = uKnots[i] + s * (uKnots[i + 1] - uKnots[i])
          let v = vKnots[j] + t * (vKnots[j + 1] - vKnots[j])
          if periodicU && u >= 1 { u -= 1 }
          best = (u, v, d)
        }
      }
    }
    return best
  }
}

/// An instance's surface as a set of charts, one per part: the exact parameterization behind
/// correspondences, and the source of the instance's mesh.
///
/// The surface is the piecewise-linear interpolation of each part's grid (the mesh itself), so
/// `point(_:)` lands exactly on the mesh and `coordinate(nearestTo:)` inverts it. A category builds
/// every instance's grids from the same category-level `(u, v)` knots, with each knot placed by the
/// same rule (for example, mug `u` is the angle from the handle), so the same coordinate names the
/// same place on every instance.
public struct SurfaceAtlas: Sendable {
  let charts: [SurfaceChart]

  init(charts: [SurfaceChart]) {
    let parts = charts.map(\.part)
    precondition(Set(parts).count == parts.count, "SurfaceAtlas: a part appears twice in \(parts)")
    self.charts = charts
  }

  /// The parts this atlas covers, in chart order.
  public var parts: [SurfacePart] { charts.map(\.part) }

  /// The surface point at `coordinate` (u, v clamped to [0, 1]; periodic u wrapped).
  /// - Precondition: the atlas has the coordinate's part.
  /// - Complexity: O(log knots).
  public func point(_ coordinate: SurfaceCoordinate) -> SIMD3<Double> {
    guard let chart = charts.first(where: { $0.part == coordinate.part }) else {
      preconditionFailure("SurfaceAtlas.point: no part \(coordinate.part.rawValue) in \(parts.map(\.rawValue))")
    }
    var u = coordinate.u
    if chart.periodicU { u -= u.rounded(.down) }
    return chart.point(u: min(max(u, 0), 1), v: min(max(coordinate.v, 0), 1))
  }

  /// The coordinate of the surface point nearest to `p` (among `parts`, all by default) and the
  /// distance to it. For a point on the surface this inverts `point(_:)` (where a point belongs to
  /// two parts, on a shared edge, the first part in chart order is returned).
  /// - Complexity: O(triangles of the parts searched).
  public func coordinate(nearestTo p: SIMD3<Double>, among parts: [SurfacePart]? = nil) -> (
    coordinate: SurfaceCoordinate, distance: Double
  ) {
    var best: (SurfaceCoordinate, Double)? = nil
    for chart in charts where parts?.contains(chart.part) ?? true {
      let hit = chart.nearest(to: p)
      if best == nil || hit.distance < best!.1 { best = (SurfaceCoordinate(chart.part, u: hit.u, v: hit.v), hit.distance) }
    }
    guard let best else { preconditionFailure("SurfaceAtlas.coordinate: no chart among \(parts ?? [])") }
    return (best.0, best.1)
  }

  /// Welds the charts' grids into one mesh (points equal bit for bit become one vertex), dropping the
  /// triangles that collapse (at poles), and labels every vertex with the coordinate of its first
  /// grid point and every face with its part.
  func mesh() -> (TriangleMesh, [SurfaceCoordinate], [SurfacePart]) {
    var indexOf: [SIMD3<Double>: Int] = [:]
    var vertices: [SIMD3<Double>] = []
    var labels: [SurfaceCoordinate] = []
    var faces: [SIMD3<Int>] = []
    var faceParts: [SurfacePart] = []
    for chart in charts {
      var welded = [Int](repeating: 0, count: chart.points.count)
      for i in chart.uKnots.indices {
        for j in chart.vKnots.indices {
          let k = chart.index(i, j)
          let p = chart.points[k]
          if let existing = indexOf[p] {
            welded[k] = existing
          } else {
            indexOf[p] = vertices.count
            welded[k] = vertices.count
            vertices.append(p)
            var u = chart.uKnots[i]
            if chart.periodicU && u >= 1 { u = 0 }
            labels.append(SurfaceCoordinate(chart.part, u: u, v: chart.vKnots[j]))
          }
        }
      }
      for i in 0..<(chart.uKnots.count - 1) {
        for j in 0..<(chart.vKnots.count - 1) {
          for triangle in SurfaceChart.cellTriangles {
            let c = triangle.map { welded[chart.index(i + $0.0, j + $0.1)] }
            if c[0] == c[1] || c[1] == c[2] || c[2] == c[0] { continue }
            faces.append(chart.reversed ? SIMD3(c[0], c[2], c[1]) : SIMD3(c[0], c[1], c[2]))
            faceParts.append(chart.part)
          }
        }
      }
    }
    return (TriangleMesh(vertices: vertices, faces: faces), labels, faceParts)
  }
}

@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { a.x * b.x + a.y * b.y + a.z * b.z }
@inline(__always) func norm(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }

/// Hermite smoothstep: 0 below `edge0`, 1 above `edge1`, `3x² − 2x³` between (either edge order).
@inline(__always) func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
  let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
  return t * t * (3 - 2 * t)
}

/// `(cos πx, sin πx)`, exact at multiples of ½ so that grid seams weld bit for bit.
func cosSinPi(_ x: Double) -> (Double, Double) {
  switch x {
  case 0: return (1, 0)
  case 0.5: return (0, 1)
  case 1: return (-1, 0)
  case 1.5: return (0, -1)
  case 2: return (1, 0)
  default: return (cos(Double.pi * x), sin(Double.pi * x))
  }
}

/// `sign(x)·|x|^p`, the signed power of superellipses.
@inline(__always) func signedPower(_ x: Double, _ p: Double) -> Double {
  x == 0 ? 0 : (x > 0 ? pow(x, p) : -pow(-x, p))
}

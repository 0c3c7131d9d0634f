import LinearAlgebra
import Foundation
import Geometry

/// A shoe's shape: a closed body lofted from heel to toe through superellipse cross-sections, with a
/// flat sole, a raised arch under a heel block, and the collar opening modelled as a recess in the top
/// (so the surface stays closed). All lengths in metres; x runs heel → toe, y across, z up.
///
/// Stations along the length (`u ∈ [0, 1]` heel → toe, exponent `m` = 3.5 on the heel half and
/// `toeExponent` on the toe half, flattening `σ` = 0.6 heel / 0.9 toe):
/// ```
/// x(u) = −(L/2) sign(cos πu)|cos πu|^(2/m),   e(u) = min(1, sin(πu)/σ)^(2/m),   ξ = x/L + 1/2
/// ```
/// Cross-section at a station (`v` over the upper from +y to −y, over the sole from −y to +y,
/// exponent n = 3): half-width `e·w(ξ)`, from the bottom `B(ξ)` (arch lift) to the top `T(ξ)`,
/// the sole's lower half flattened to a plane where `B = 0`. The collar recess lowers the top inside a
/// rounded rectangle (length `collarLengthFraction · L`, half-width `collarWidthFraction · w` at its
/// middle) to the insole height `I(ξ)` (the heel height at the back, the sole thickness at the front).
public struct ShoeParameters: Sendable, Equatable {
  /// `L`: heel-to-toe length.
  public var length: Double
  /// `W`: the widest width (at the ball of the foot).
  public var width: Double
  /// Height of the insole above the ground at the heel.
  public var heelHeight: Double
  /// Thickness of the sole under the forefoot (insole height there).
  public var soleThickness: Double
  /// Superellipse exponent of the toe's outline: 2 rounded-pointed … 4 square.
  public var toeExponent: Double
  /// Height of the top of the toe box above the ground.
  public var toeBoxHeight: Double
  /// Height of the upper at the back above the insole (the heel counter).
  public var counterHeight: Double
  /// Length of the collar opening, as a fraction of `L`.
  public var collarLengthFraction: Double
  /// Half-width of the collar opening, as a fraction of the local half-width.
  public var collarWidthFraction: Double

  /// The documented ranges (closed), in the order of `values`.
  public static let ranges: [(name: String, range: ClosedRange<Double>)] = [
    ("length", 0.24...0.30),
    ("width", 0.085...0.105),
    ("heel_height", 0.015...0.045),
    ("sole_thickness", 0.010...0.015),
    ("toe_exponent", 2.0...4.0),
    ("toe_box_height", 0.040...0.055),
    ("counter_height", 0.050...0.075),
    ("collar_length_fraction", 0.26...0.34),
    ("collar_width_fraction", 0.55...0.70),
  ]

  /// The parameters in the order of `ranges`.
  public var values: [Double] {
    [
      length, width, heelHeight, soleThickness, toeExponent, toeBoxHeight, counterHeight, collarLengthFraction,
      collarWidthFraction,
    ]
  }

  /// Parameters from values in the order of `ranges`.
  /// - Precondition: 9 values, each inside its range.
  public init(values v: [Double]) {
    precondition(v.count == ShoeParameters.ranges.count, "ShoeParameters: \(v.count) values, expected \(ShoeParameters.ranges.count)")
    for (x, r) in zip(v, ShoeParameters.ranges) {
      precondition(r.range.contains(x), "ShoeParameters: \(r.name) = \(x) outside \(r.range)")
    }
    (length, width, heelHeight, soleThickness, toeExponent) = (v[0], v[1], v[2], v[3], v[4])
    (toeBoxHeight, counterHeight, collarLengthFraction, collarWidthFraction) = (v[5], v[6], v[7], v[8])
  }

  /// Parameters drawn uniformly from their ranges by `SeededGenerator(seed:)`, in the order of `ranges`.
  public init(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    self.init(values: ShoeParameters.ranges.map { r in r.range.lowerBound + (r.range.upperBound - r.range.lowerBound) * random.nextUnit() })
  }

  // MARK: - Profiles along the length (ξ ∈ [0, 1], heel → toe)

  static let heelExponent = 3.5
  static let sectionExponent = 3.0
  static let collarBack = 0.08
  /// The u of the top-of-heel keypoint (category-level).
  static let topOfHeelU = 0.14

  /// Half-width of the last at `ξ` (before the rounding of the ends).
  public func halfWidth(_ xi: Double) -> Double {
    let stations: [(Double, Double)] = [(0, 0.70), (0.15, 0.72), (0.42, 0.80), (0.70, 1.0), (1.0, 0.90)]
    var f = stations[0].1
    for k in 1..<stations.count {
      f += (stations[k].1 - stations[k - 1].1) * smoothstep(stations[k - 1].0, stations[k].0, xi)
    }
    return width / 2 * f
  }

  /// The arch: how far the bottom rises between the heel block and the ball (0 where the shoe stands).
  public func bottomHeight(_ xi: Double) -> Double {
    let lift = 0.45 * (heelHeight - soleThickness)
    return lift * smoothstep(0.22, 0.36, xi) * (1 - smoothstep(0.50, 0.66, xi))
  }

  /// Height of the insole (the recess floor): the heel height at the back, the sole thickness in front.
  public func insoleHeight(_ xi: Double) -> Double {
    soleThickness + (heelHeight - soleThickness) * (1 - smoothstep(0.18, 0.62, xi))
  }

  /// Where the collar opening ends towards the toe.
  var collarFront: Double { ShoeParameters.collarBack + collarLengthFraction }

  /// Height of the top before the recess: the counter at the back, the top line falling gently along
  /// the collar (to 85 % of the counter's height above the toe box at the front of the opening) and
  /// then over the instep to the toe box.
  public func topHeight(_ xi: Double) -> Double {
    let back = heelHeight + counterHeight - toeBoxHeight
    let collarDrop = 0.15 * smoothstep(ShoeParameters.collarBack, collarFront, xi)
    return toeBoxHeight + back * (1 - collarDrop) * (1 - smoothstep(collarFront - 0.04, 0.80, xi))
  }

  /// The collar opening: centre ξ, half-length in ξ, and half-width in the upper's `v` (the v at which
  /// the top, at the station of the opening's centre, is `collarWidthFraction` of the half-width off
  /// the centre line).
  var collarOpening: (center: Double, halfLength: Double, halfWidthV: Double) {
    let center = ShoeParameters.collarBack + collarLengthFraction / 2
    // At a full-size station (e = 1): y = hw cos(ψ)^k, so ψ = acos(f^(1/k)); v = (ψ − ψ_s)/(π − 2ψ_s).
    let k = 2 / ShoeParameters.sectionExponent
    let psi = acos(pow(collarWidthFraction, 1 / k))
    let top = topHeight(center)
    let bottom = bottomHeight(center)
    let depth = min(1, max(0, ((top + bottom) / 2 - soleLineHeight(center)) / ((top - bottom) / 2)))
    let split = -asin(0.5 * pow(depth, 1 / k))
    let v = (psi - split) / (Double.pi - 2 * split)
    return (center, collarLengthFraction / 2, 0.5 - v)
  }

  /// How much of the upper at `(ξ, v)` is lowered into the collar recess: 1 inside the opening, 0
  /// outside. The opening is a rounded rectangle (superellipse of exponent 4) in `(ξ, v)`, so its
  /// edges follow the mesh's grid lines.
  public func recessWeight(_ xi: Double, v: Double) -> Double {
    let o = collarOpening
    let a = abs(xi - o.center) / o.halfLength
    let b = abs(v - 0.5) / o.halfWidthV
    return 1 - smoothstep(0.55, 1.0, pow(pow(a, 4) + pow(b, 4), 0.25))
  }

  /// The station at `u`: x, ξ and the end-rounding factor e.
  func station(_ u: Double) -> (x: Double, xi: Double, scale: Double) {
    let (c, s) = cosSinPi(u)
    let heel = u <= 0.5
    let m = heel ? ShoeParameters.heelExponent : toeExponent
    let sigma = heel ? 0.6 : 0.9
    let x = -(length / 2) * signedPower(c, 2 / m)
    let scale = pow(min(1, s / sigma), 2 / m)
    return (x, x / length + 0.5, scale)
  }

  /// The height of the line between sole and upper: the insole height (so the heel block and the
  /// sole's edge are the sole's part), at least 6 mm above the bottom.
  public func soleLineHeight(_ xi: Double) -> Double { max(insoleHeight(xi), bottomHeight(xi) + 0.006) }

  /// The cross-section of the station at `u`: centre height, half-height, half-width, and the angle
  /// `ψ_s ≤ 0` where the ring crosses the sole line (on the +y side; `π − ψ_s` on the −y side).
  func section(_ u: Double) -> (x: Double, xi: Double, zc: Double, hh: Double, hw: Double, split: Double) {
    let (x, xi, e) = station(u)
    let top = topHeight(xi)
    let bottom = bottomHeight(xi)
    let zc = (top + bottom) / 2
    let hh = (top - bottom) / 2 * e
    let hw = halfWidth(xi) * e
    // Below the widest line the ring is z = zc − hh·min(1, |sin ψ|/0.5)^k; solve it for the sole line.
    let k = 2 / ShoeParameters.sectionExponent
    let depth = hh > 0 ? min(1, max(0, (zc - soleLineHeight(xi)) / hh)) : 1
    let split = -asin(0.5 * pow(depth, 1 / k))
    return (x, xi, zc, hh, hw, split)
  }

  /// The ring point of a section at angle ψ given by `(cos ψ, sin ψ)`, before the collar recess.
  func ringPoint(_ sec: (x: Double, xi: Double, zc: Double, hh: Double, hw: Double, split: Double), _ c: Double, _ s: Double)
    -> SIMD3<Double>
  {
    let k = 2 / ShoeParameters.sectionExponent
    let y = sec.hw * signedPower(c, k)
    let z = s >= 0 ? sec.zc + sec.hh * pow(s, k) : sec.zc - sec.hh * pow(min(1, -s / 0.5), k)
    return SIMD3(sec.x, y, z)
  }

  /// The surface point at `(part, u, v)` (part `.upper` or `.sole`). The upper runs from the sole line
  /// on the +y side (v = 0, ψ = ψ_s) over the top (v = 0.5, ψ = π/2) to the sole line on the −y side
  /// (v = 1, ψ = π − ψ_s); the sole from there (v = 0) under the bottom (v = 0.5, ψ = 3π/2) back to
  /// the +y side (v = 1).
  func point(_ part: SurfacePart, u: Double, v: Double) -> SIMD3<Double> {
    let sec = section(u)
    let plusSide = (cos(sec.split), sin(sec.split))
    let minusSide = (-cos(sec.split), sin(sec.split))
    switch part {
    case .upper:
      var p: SIMD3<Double>
      switch v {
      case 0: p = ringPoint(sec, plusSide.0, plusSide.1)
      case 1: p = ringPoint(sec, minusSide.0, minusSide.1)
      case 0.5: p = ringPoint(sec, 0, 1)
      default:
        let psi = sec.split + v * (Double.pi - 2 * sec.split)
        p = ringPoint(sec, cos(psi), sin(psi))
      }
      let weight = recessWeight(sec.xi, v: v)
      if weight > 0 { p.z = (1 - weight) * p.z + weight * insoleHeight(sec.xi) }
      return p
    case .sole:
      switch v {
      case 0: return ringPoint(sec, minusSide.0, minusSide.1)
      case 1: return ringPoint(sec, plusSide.0, plusSide.1)
      case 0.5: return ringPoint(sec, 0, -1)
      default:
        let psi = Double.pi - sec.split + v * (Double.pi + 2 * sec.split)
        return ringPoint(sec, cos(psi), sin(psi))
      }
    default:
      preconditionFailure("ShoeParameters.point: \(part) is not a shoe part")
    }
  }
}

extension ObjectInstance {
  /// The effective density of a shoe modelled as a solid (foam, rubber and air; kg/m³), which gives
  /// the 0.3–0.6 kg of real shoes.
  public static let shoeDensity = 400.0

  /// The shoe drawn from `seed` (see `ShoeParameters(seed:)`).
  public static func shoe(seed: UInt64, density: Double = shoeDensity, resolution: MeshResolution = .standard) -> ObjectInstance {
    shoe(parameters: ShoeParameters(seed: seed), seed: seed, density: density, resolution: resolution)
  }

  /// A shoe from explicit parameters.
  ///
  /// - Visual mesh: one closed shell (upper + sole), the heel and toe closing at poles.
  /// - Mass: of that shell (the collar recess is empty; the inside of the shoe is modelled as solid at
  ///   the effective density).
  /// - Convex pieces: 12 slices along the length, each the hull of two mesh cross-sections (at most 20 vertices each) (the hull
  ///   spans the collar recess).
  public static func shoe(
    parameters p: ShoeParameters, seed: UInt64, density: Double = shoeDensity, resolution: MeshResolution = .standard
  ) -> ObjectInstance {
    let stations = resolution.count(96, multipleOf: 12)
    let along = SurfaceChart.uniform(stations)
    let upper = SurfaceChart(
      part: .upper, uKnots: along, vKnots: SurfaceChart.uniform(resolution.count(32, multipleOf: 2)), periodicU: false,
      reversed: true
    ) { u, v in p.point(.upper, u: u, v: v) }
    // The sole's knots crowd towards its edges, where it turns from the side band to the flat bottom.
    let soleKnots = SurfaceChart.uniform(resolution.count(16, multipleOf: 2)).map { w in
      w == 0 || w == 0.5 || w == 1 ? w : 0.5 - 0.5 * cos(Double.pi * w)
    }
    let sole = SurfaceChart(
      part: .sole, uKnots: along, vKnots: soleKnots, periodicU: false,
      reversed: true
    ) { u, v in p.point(.sole, u: u, v: v) }
    let atlas = SurfaceAtlas(charts: [upper, sole])
    let (mesh, labels, faceParts) = atlas.mesh()
    let mass = mesh.massProperties(density: density)

    // Slices: hulls of the cross-sections (as mesh vertices) at every `step`-th station.
    let slices = 12
    let step = stations / slices
    func section(_ i: Int) -> [SIMD3<Double>] {
      let x = upper.points[upper.index(i, 0)].x
      var ring: [SIMD2<Double>] = []
      for j in upper.vKnots.indices { ring.append(SIMD2(upper.points[upper.index(i, j)].y, upper.points[upper.index(i, j)].z)) }
      for j in sole.vKnots.indices { ring.append(SIMD2(sole.points[sole.index(i, j)].y, sole.points[sole.index(i, j)].z)) }
      // At most 20 of the hull's vertices (a subset of a convex polygon's vertices stays in convex position).
      let hull = convexHull2D(ring)
      let kept = hull.count <= 20 ? hull : (0..<20).map { hull[$0 * hull.count / 20] }
      return kept.map { SIMD3(x, $0.x, $0.y) }
    }
    let pieces = (0..<slices).map { k in
      ConvexPiece(name: "slice_\(k)", vertices: section(k * step) + section((k + 1) * step))
    }

    let opening = p.collarOpening
    let collarX = (opening.center - 0.5) * p.length
    let keypoints = [
      Keypoint(name: "heel", position: atlas.point(SurfaceCoordinate(.upper, u: 0, v: 0.5))),
      Keypoint(name: "toe", position: atlas.point(SurfaceCoordinate(.upper, u: 1, v: 0.5))),
      Keypoint(name: "top_of_heel", position: atlas.point(SurfaceCoordinate(.upper, u: ShoeParameters.topOfHeelU, v: 0.5))),
      Keypoint(name: "collar_center", position: SIMD3(collarX, 0, p.topHeight(opening.center))),
      Keypoint(name: "sole_center", position: atlas.point(SurfaceCoordinate(.sole, u: 0.5, v: 0.5))),
    ]
    let parameters = zip(ShoeParameters.ranges, p.values).map { ObjectParameter(name: $0.0.name, value: $0.1, range: $0.0.range) }
    return ObjectInstance(
      category: .shoe, seed: seed, parameters: parameters, mesh: mesh, vertexCoordinates: labels, faceParts: faceParts, atlas: atlas,
      convexPieces: pieces, density: density, massProperties: mass, keypoints: keypoints)
  }
}

import LinearAlgebra
import Foundation
import Geometry

/// A mug's shape: a tapered cylindrical body with a rounded rim and a hollow, and a handle swept along
/// a superellipse arc in the vertical half-plane at angle `handleAngle`. All lengths in metres.
///
/// Body profile in the `(r, z)` half-plane:
/// ```
/// r_out(z) = r_b (1 + (τ − 1) z / h),   r_in(z) = r_out(z) − w,   z_w = h − w/2 (rim start)
/// rim: half-circle of radius w/2 centred at (r_out(z_w) − w/2, z_w); floor inside at z = t_b
/// ```
/// Handle centre line (`s` radial in the handle's half-plane, `t` from +π/2 at the top end to −π/2):
/// ```
/// b = f_s h / 2,   z_c = f_c h,   a = ρ_a b,   k = 2 / n
/// s(t) = s_bot + (s_top − s_bot)(1 + sin t)/2 + a cos(t)^k,    z(t) = z_c + b sign(sin t)|sin t|^k
/// ```
/// with `s_top`, `s_bot` the mid-wall radii at the two ends, so both ends (and the caps closing the
/// tube there) are buried inside the wall; cross-sections are ellipses with semi-axes `handleThickness`
/// (in the handle plane) and `handleWidth` (across it).
public struct MugParameters: Sendable, Equatable {
  /// `r_b`: outer radius at the bottom.
  public var bottomRadius: Double
  /// `h`: total height (bottom to the top of the rim).
  public var height: Double
  /// `τ`: top-to-bottom outer radius ratio (> 1 flares out).
  public var taper: Double
  /// `w`: wall thickness (horizontal).
  public var wallThickness: Double
  /// `t_b`: bottom thickness (height of the inside floor).
  public var bottomThickness: Double
  /// `f_s`: vertical span between the handle's end points, as a fraction of `h`.
  public var handleSpanFraction: Double
  /// `f_c`: height of the handle's middle, as a fraction of `h`.
  public var handleCenterFraction: Double
  /// `ρ_a`: how far the handle reaches out from mid-wall, as a multiple of its half-span `b`.
  public var handleReachRatio: Double
  /// `n`: superellipse exponent of the handle arc (2: elliptical arc; larger: squarer, "D"-shaped).
  public var handleExponent: Double
  /// Semi-axis of the handle's cross-section in the handle plane.
  public var handleThickness: Double
  /// Semi-axis of the handle's cross-section across the handle plane.
  public var handleWidth: Double
  /// Direction of the handle: angle of its half-plane from +x about +z, in `[−π, π)`.
  public var handleAngle: Double

  /// The documented ranges (closed), in the order of `values`.
  public static let ranges: [(name: String, range: ClosedRange<Double>)] = [
    ("bottom_radius", 0.035...0.050),
    ("height", 0.080...0.120),
    ("taper", 0.92...1.20),
    ("wall_thickness", 0.003...0.006),
    ("bottom_thickness", 0.005...0.009),
    ("handle_span_fraction", 0.50...0.65),
    ("handle_center_fraction", 0.46...0.56),
    ("handle_reach_ratio", 0.80...1.10),
    ("handle_exponent", 2.0...2.6),
    ("handle_thickness", 0.0030...0.0045),
    ("handle_width", 0.0040...0.0060),
    ("handle_angle", -Double.pi...Double.pi),
  ]

  /// The parameters in the order of `ranges`.
  public var values: [Double] {
    [
      bottomRadius, height, taper, wallThickness, bottomThickness, handleSpanFraction, handleCenterFraction,
      handleReachRatio, handleExponent, handleThickness, handleWidth, handleAngle,
    ]
  }

  /// Parameters from values in the order of `ranges`.
  /// - Precondition: 12 values, each inside its range.
  public init(values v: [Double]) {
    precondition(v.count == MugParameters.ranges.count, "MugParameters: \(v.count) values, expected \(MugParameters.ranges.count)")
    for (x, r) in zip(v, MugParameters.ranges) {
      precondition(r.range.contains(x), "MugParameters: \(r.name) = \(x) outside \(r.range)")
    }
    (bottomRadius, height, taper, wallThickness, bottomThickness) = (v[0], v[1], v[2], v[3], v[4])
    (handleSpanFraction, handleCenterFraction, handleReachRatio, handleExponent) = (v[5], v[6], v[7], v[8])
    (handleThickness, handleWidth, handleAngle) = (v[9], v[10], v[11])
  }

  /// Parameters drawn uniformly from their ranges by `SeededGenerator(seed:)` (one draw per parameter,
  /// in the order of `ranges`; the handle angle from `[−π, π)`).
  public init(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    self.init(values: MugParameters.ranges.map { r in r.range.lowerBound + (r.range.upperBound - r.range.lowerBound) * random.nextUnit() })
  }

  // MARK: - Derived geometry

  /// `r_out(z)`, the outer radius of the body at height `z`.
  public func outerRadius(atHeight z: Double) -> Double { bottomRadius + (taper * bottomRadius - bottomRadius) * (z / height) }
  /// `r_in(z) = r_out(z) − w`, the inner radius at height `z` (above the floor).
  public func innerRadius(atHeight z: Double) -> Double { outerRadius(atHeight: z) - wallThickness }
  /// `z_w = h − w/2`, where the straight walls end and the rim's half-circle begins.
  public var rimStartHeight: Double { height - wallThickness / 2 }

  /// The handle half-plane's unit radial direction `e_r` and tangential direction `e_t` (`e_r × e_t = +z`).
  public var handleAxes: (radial: SIMD3<Double>, tangential: SIMD3<Double>) {
    (SIMD3(cos(handleAngle), sin(handleAngle), 0), SIMD3(-sin(handleAngle), cos(handleAngle), 0))
  }

  var handleHalfSpan: Double { handleSpanFraction * height / 2 }
  var handleCenterHeight: Double { handleCenterFraction * height }
  var handleReach: Double { handleReachRatio * handleHalfSpan }

  /// The handle centre line at curve parameter `t ∈ [−π/2, π/2]` as `(s, z)` in the handle plane.
  public func handleCenterline(_ t: Double) -> SIMD2<Double> {
    let k = 2 / handleExponent
    let b = handleHalfSpan
    let zc = handleCenterHeight
    let sTop = outerRadius(atHeight: zc + b) - wallThickness / 2
    let sBottom = outerRadius(atHeight: zc - b) - wallThickness / 2
    let c = max(cos(t), 0)
    let s = sBottom + (sTop - sBottom) * (1 + sin(t)) / 2 + handleReach * pow(c, k)
    return SIMD2(s, zc + b * signedPower(sin(t), k))
  }

  /// The curve parameter of handle coordinate `u` (`u = 0` top end, `u = 1` bottom end).
  func handleCurveParameter(_ u: Double) -> Double { Double.pi / 2 - Double.pi * u }

  /// The handle's tube frame at `u`: centre `(s, z)`, in-plane unit normal `N` (pointing out of the
  /// loop), tangent `T` (direction of increasing u).
  func handleFrame(_ u: Double) -> (center: SIMD2<Double>, normal: SIMD2<Double>, tangent: SIMD2<Double>) {
    let t = handleCurveParameter(u)
    let center = handleCenterline(t)
    let delta = 1e-6
    let t0 = max(t - delta, -Double.pi / 2)
    let t1 = min(t + delta, Double.pi / 2)
    // u increases as t decreases.
    var tangent = handleCenterline(t0) - handleCenterline(t1)
    tangent /= (tangent * tangent).sum().squareRoot()
    return (center, SIMD2(-tangent.y, tangent.x), tangent)
  }

  /// A point of the handle tube: cross-section at `u`, angle `2πv` from the loop's outside, scaled by
  /// `scale` (1: the surface; 0: the centre line).
  func handlePoint(u: Double, v: Double, scale: Double = 1) -> SIMD3<Double> {
    let (center, normal, _) = handleFrame(u)
    let (c, s) = cosSinPi(2 * v)
    let (er, et) = handleAxes
    let offset = (handleThickness * c * normal.x) * er + (handleWidth * s) * et + SIMD3(0, 0, handleThickness * c * normal.y)
    return center.x * er + SIMD3(0, 0, center.y) + scale * offset
  }

  /// The handle's `u` where its centre line leaves the outer wall, near the top end and near the bottom.
  public var handleExitParameters: (top: Double, bottom: Double) {
    func outside(_ u: Double) -> Double {
      let c = handleCenterline(handleCurveParameter(u))
      return c.x - outerRadius(atHeight: c.y)
    }
    func bisect(_ inside: Double, _ out: Double) -> Double {
      var (a, b) = (inside, out)
      for _ in 0..<60 {
        let m = (a + b) / 2
        if outside(m) > 0 { b = m } else { a = m }
      }
      return (a + b) / 2
    }
    return (bisect(0, 0.5), bisect(1, 0.5))
  }

  /// The handle centre keypoint: in the handle plane at the height of the handle's middle, halfway
  /// between the outer wall and the inside of the handle's apex (the middle of the hole a rack peg
  /// goes through).
  public var handleCenter: SIMD3<Double> {
    let apex = handleCenterline(0)
    let s = (outerRadius(atHeight: handleCenterHeight) + apex.x - handleThickness) / 2
    return s * handleAxes.radial + SIMD3(0, 0, handleCenterHeight)
  }

  // MARK: - Body profile

  /// A point of the body's profile `(r, z)` on `part` at `v` (shared ends are returned exactly).
  func bodyProfile(_ part: SurfacePart, _ v: Double) -> SIMD2<Double> {
    let zw = rimStartHeight
    let outerTop = SIMD2(outerRadius(atHeight: zw), zw)
    let innerTop = SIMD2(innerRadius(atHeight: zw), zw)
    let floorEdge = SIMD2(innerRadius(atHeight: bottomThickness), bottomThickness)
    let bottomEdge = SIMD2(bottomRadius, 0.0)
    switch part {
    case .outerBottom:
      return v == 1 ? bottomEdge : SIMD2(v * bottomRadius, 0)
    case .outerWall:
      if v == 0 { return bottomEdge }
      if v == 1 { return outerTop }
      let z = v * zw
      return SIMD2(outerRadius(atHeight: z), z)
    case .rim:
      if v == 0 { return outerTop }
      if v == 1 { return innerTop }
      let (c, s) = cosSinPi(v)
      let r = wallThickness / 2
      return SIMD2(outerTop.x - r + r * c, zw + r * s)
    case .innerWall:
      if v == 0 { return innerTop }
      if v == 1 { return floorEdge }
      let z = zw - v * (zw - bottomThickness)
      return SIMD2(innerRadius(atHeight: z), z)
    case .innerBottom:
      if v == 0 { return floorEdge }
      return SIMD2((1 - v) * floorEdge.x, bottomThickness)
    default:
      preconditionFailure("MugParameters.bodyProfile: \(part) is not a body part")
    }
  }

  /// The body point at `(part, u, v)`: profile point revolved to the angle `handleAngle + 2πu`.
  func bodyPoint(_ part: SurfacePart, u: Double, v: Double) -> SIMD3<Double> {
    let p = bodyProfile(part, v)
    let (c, s) = cosSinPi(2 * u)
    let (er, et) = handleAxes
    return p.x * (c * er + s * et) + SIMD3(0, 0, p.y)
  }
}

extension ObjectInstance {
  /// Ceramic, the default density of mugs (kg/m³).
  public static let mugDensity = 2000.0

  /// The mug drawn from `seed` (see `MugParameters(seed:)`).
  public static func mug(seed: UInt64, density: Double = mugDensity, resolution: MeshResolution = .standard) -> ObjectInstance {
    mug(parameters: MugParameters(seed: seed), seed: seed, density: density, resolution: resolution)
  }

  /// A mug from explicit parameters.
  ///
  /// - Visual mesh: two closed shells — the body (outer bottom, outer wall, rim, inner wall, inner
  ///   bottom, revolved) and the handle tube with its two end caps buried inside the wall — so the
  ///   rendered union is right; the shells intersect where the handle enters the wall.
  /// - Mass: the body shell plus the part of the handle tube outside the outer wall (a second tube
  ///   cut where its centre line leaves the wall, with flat caps there; the caps miss the curved wall by
  ///   a thin wedge, under 0.1 % of the mass).
  /// - Convex pieces: 16 wall sectors (each the hull of two profile pentagons bottom–top–rim), the
  ///   bottom disc, and 8 handle segments (hulls of consecutive elliptical cross-sections).
  public static func mug(
    parameters p: MugParameters, seed: UInt64, density: Double = mugDensity, resolution: MeshResolution = .standard
  ) -> ObjectInstance {
    let angular = resolution.count(64, multipleOf: 8)
    let around = SurfaceChart.uniform(angular)
    func body(_ part: SurfacePart, _ rows: Int) -> SurfaceChart {
      SurfaceChart(
        part: part, uKnots: around, vKnots: SurfaceChart.uniform(resolution.count(rows)), periodicU: true, reversed: false
      ) { u, v in p.bodyPoint(part, u: u, v: v) }
    }
    let bodyCharts = [
      body(.outerBottom, 6), body(.outerWall, 16), body(.rim, 6), body(.innerWall, 16), body(.innerBottom, 6),
    ]
    let handleCharts = mugHandleCharts(p, resolution: resolution, from: 0, to: 1)
    let atlas = SurfaceAtlas(charts: bodyCharts + handleCharts)
    let (mesh, labels, faceParts) = atlas.mesh()

    // Mass: body shell + the handle outside the wall.
    let (bodyMesh, _, _) = SurfaceAtlas(charts: bodyCharts).mesh()
    let exits = p.handleExitParameters
    let (outsideHandle, _, _) = SurfaceAtlas(charts: mugHandleCharts(p, resolution: resolution, from: exits.top, to: exits.bottom)).mesh()
    let mass = bodyMesh.massProperties(density: density) + outsideHandle.massProperties(density: density)

    // Convex pieces.
    var pieces: [ConvexPiece] = []
    let sectors = 16
    for k in 0..<sectors {
      var vertices: [SIMD3<Double>] = []
      for u in [Double(k) / Double(sectors), Double(k + 1) / Double(sectors)] {
        let (c, s) = cosSinPi(2 * u)
        let (er, et) = p.handleAxes
        let direction = c * er + s * et
        let profile: [SIMD2<Double>] = [
          p.bodyProfile(.outerWall, 0), SIMD2(p.innerRadius(atHeight: 0), 0), p.bodyProfile(.outerWall, 1),
          p.bodyProfile(.rim, 0.5), p.bodyProfile(.innerWall, 0),
        ]
        vertices += profile.map { $0.x * direction + SIMD3(0, 0, $0.y) }
      }
      pieces.append(ConvexPiece(name: "wall_\(k)", vertices: vertices))
    }
    var bottom: [SIMD3<Double>] = []
    for z in [0, p.bottomThickness] {
      for k in 0..<sectors {
        let (c, s) = cosSinPi(2 * Double(k) / Double(sectors))
        let r = p.innerRadius(atHeight: z)
        bottom.append(SIMD3(r * c, r * s, z))
      }
    }
    pieces.append(ConvexPiece(name: "bottom", vertices: bottom))
    let segments = 8
    let sectionPoints = 16
    for k in 0..<segments {
      var vertices: [SIMD3<Double>] = []
      for u in [Double(k) / Double(segments), Double(k + 1) / Double(segments)] {
        for j in 0..<sectionPoints { vertices.append(p.handlePoint(u: u, v: Double(j) / Double(sectionPoints))) }
      }
      pieces.append(ConvexPiece(name: "handle_\(k)", vertices: vertices))
    }

    let keypoints = [
      Keypoint(name: "bottom_center", position: .zero),
      Keypoint(name: "top_center", position: SIMD3(0, 0, p.height)),
      Keypoint(name: "handle_center", position: p.handleCenter),
    ]
    let parameters = zip(MugParameters.ranges, p.values).map { ObjectParameter(name: $0.0.name, value: $0.1, range: $0.0.range) }
    return ObjectInstance(
      category: .mug, seed: seed, parameters: parameters, mesh: mesh, vertexCoordinates: labels, faceParts: faceParts, atlas: atlas,
      convexPieces: pieces, density: density, massProperties: mass, keypoints: keypoints)
  }

  /// The handle tube between `u0` and `u1` with flat caps at both ends.
  static func mugHandleCharts(_ p: MugParameters, resolution: MeshResolution, from u0: Double, to u1: Double) -> [SurfaceChart] {
    let along = resolution.count(48, multipleOf: 8)
    let aroundCount = resolution.count(16, multipleOf: 4)
    let uKnots = SurfaceChart.uniform(along).map { $0 == 0 ? u0 : ($0 == 1 ? u1 : u0 + (u1 - u0) * $0) }
    let around = SurfaceChart.uniform(aroundCount)
    let capRows = SurfaceChart.uniform(resolution.count(3))
    let tube = SurfaceChart(part: .handle, uKnots: uKnots, vKnots: around, periodicU: false, reversed: false) { u, v in
      p.handlePoint(u: u, v: v)
    }
    // Caps: u runs around the section (the tube's v), v from the rim (0) to the centre (1).
    let top = SurfaceChart(part: .handleTopEnd, uKnots: around, vKnots: capRows, periodicU: true, reversed: false) { u, v in
      p.handlePoint(u: u0, v: u, scale: 1 - v)
    }
    let bottom = SurfaceChart(part: .handleBottomEnd, uKnots: around, vKnots: capRows, periodicU: true, reversed: true) { u, v in
      p.handlePoint(u: u1, v: u, scale: 1 - v)
    }
    return [tube, top, bottom]
  }
}

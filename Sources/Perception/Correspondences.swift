import Foundation
import LinearAlgebra
import Geometry
import Imaging

/// Settings of correspondence finding; every default is stated.
public struct CorrespondenceOptions: Sendable, Equatable {
  /// A point is rejected in view B when it lies more than this behind (occluded, as Dense Object
  /// Nets with 3 mm) or in front of (at a silhouette) B's rendered surface along B's z axis, metres
  /// (default 3 mm). B's surface depth is taken on the
  /// plane of the face seen at the nearest pixel, along the ray through the exact projected position,
  /// so a visible point on a sloped face is not rejected for the slope.
  public var occlusionToleranceMetres = 0.003
  /// Default options.
  public init() {}
}

/// Why a pixel has no correspondence, or where it lands.
public enum CorrespondenceOutcome: Sendable, Equatable {
  /// The point lands at `pixel` (continuous, OpenCV) in view B; `point_W` is its world position.
  case match(pixel: SIMD2<Double>, point_W: SIMD3<Double>)
  /// View A's rendered depth is empty at the pixel.
  case noDepth
  /// The point projects outside B's image (or behind B).
  case outOfView
  /// Something in B is nearer than the point by more than the tolerance (or B sees nothing there).
  case occluded
  /// A's rendered and measured depth disagree by more than the tolerance at the pixel.
  case depthDisagrees

  /// The pixel in B, or nil.
  public var pixel: SIMD2<Double>? {
    if case .match(let pixel, _) = self { return pixel }
    return nil
  }
}

/// Correspondences between views from a reconstructed mesh, never from the simulator's ground
/// truth: the mesh's depth is rendered into every view (`MeshRasterizer`); a pixel of view A is
/// back-projected with A's rendered depth onto the mesh, mapped into view B with the camera poses,
/// and accepted when it lands inside B's image and its depth agrees with B's rendered surface
/// there within `occlusionToleranceMetres` (two-sided: behind it is occluded; in front of it means
/// the point sits at a silhouette and B's pixel centre shows something farther).
///
/// ```
/// p_W = X_WC_A · backProject(u_A, v_A, d_A(u_A, v_A))
/// p_B = X_WC_B⁻¹ · p_W,   (u_B, v_B) = project(p_B)
/// accept ⇔ (u_B, v_B) rounds into the image, B sees a face there, and |z(p_B) − d_B| ≤ τ
/// ```
public struct ReconstructionCorrespondences: Sendable {
  /// The mesh (world frame) the renderings come from.
  public let mesh_W: TriangleMesh
  /// The camera shared by every view.
  public let intrinsics: CameraIntrinsics
  /// The rendered depth of every view.
  public let renderings: [DepthRendering]
  /// The settings.
  public let options: CorrespondenceOptions
  /// The views' measured depth in metres (0 = none), when given.
  public let measuredDepthMetres: [[Float]]?

  /// Renders `mesh_W` into every view.
  ///
  /// - Parameter measuredDepthMillimetres: the views' own depth images (sensor data, not ground
  ///   truth). When given, two more checks use them where they have a reading: A's measured depth
  ///   must agree with A's rendered depth within the tolerance (else `.depthDisagrees`), and the
  ///   point must not lie more than the tolerance behind B's measured depth (else `.occluded`).
  ///   They catch thin parts (a mug's rim or handle) that fusion thinned or lost, which would
  ///   otherwise let a point behind them through.
  public init(mesh_W: TriangleMesh, intrinsics: CameraIntrinsics, poses X_WC: [RigidTransform],
              measuredDepthMillimetres: [Image16]? = nil, options: CorrespondenceOptions = CorrespondenceOptions()) {
    precondition(measuredDepthMillimetres == nil || measuredDepthMillimetres!.count == X_WC.count,
                 "ReconstructionCorrespondences: \(measuredDepthMillimetres!.count) depth images for \(X_WC.count) poses")
    self.mesh_W = mesh_W
    self.intrinsics = intrinsics
    self.options = options
    renderings = X_WC.map { MeshRasterizer.render(mesh_W, intrinsics: intrinsics, X_WC: $0) }
    measuredDepthMetres = measuredDepthMillimetres?.map { image in
      precondition(image.width == intrinsics.width && image.height == intrinsics.height && image.channels == 1,
                   "ReconstructionCorrespondences: depth \(image.width)×\(image.height)×\(image.channels) for \(intrinsics.width)×\(intrinsics.height)")
      return image.pixels.map { Float($0) * 0.001 }
    }
  }

  /// The correspondence in view `b` of pixel `(u, v)` of view `a`.
  public func correspondence(u: Int, v: Int, from a: Int, to b: Int) -> CorrespondenceOutcome {
    let rA = renderings[a]
    let d = rA.depth(u: u, v: v)
    guard d > 0 else { return .noDepth }
    if let measured = measuredDepthMetres?[a][v * intrinsics.width + u], measured > 0,
       abs(Double(measured) - Double(d)) > options.occlusionToleranceMetres {
      return .depthDisagrees
    }
    let p_W = rA.X_WC * intrinsics.backProject(u: Double(u), v: Double(v), depth: Double(d))
    return project(p_W, into: b)
  }

  /// Where a world point (on the mesh) lands in view `b`, with the occlusion test.
  public func project(_ p_W: SIMD3<Double>, into b: Int) -> CorrespondenceOutcome {
    let rB = renderings[b]
    let p_B = rB.X_WC.inverse * p_W
    guard let pixel = intrinsics.project(p_B) else { return .outOfView }
    let ub = Int(pixel.x.rounded()), vb = Int(pixel.y.rounded())
    guard ub >= 0, vb >= 0, ub < intrinsics.width, vb < intrinsics.height else { return .outOfView }
    let face = rB.faceIndex[vb * intrinsics.width + ub]
    guard face >= 0 else { return .occluded }
    let surface = planeDepth(face: Int(face), X_WC: rB.X_WC, pixel: pixel) ?? Double(rB.depth(u: ub, v: vb))
    // Two-sided: a point more than τ in front of the surface B sees at that pixel is at a
    // silhouette whose nearest pixel centre shows something farther, not the point.
    guard abs(p_B.z - surface) <= options.occlusionToleranceMetres else { return .occluded }
    if let measured = measuredDepthMetres?[b][vb * intrinsics.width + ub], measured > 0,
       p_B.z - Double(measured) > options.occlusionToleranceMetres {
      return .occluded
    }
    return .match(pixel: pixel, point_W: p_W)
  }

  /// The depth along z where the ray through `pixel` meets the plane of `face` (nil when parallel).
  func planeDepth(face: Int, X_WC: RigidTransform, pixel: SIMD2<Double>) -> Double? {
    let (a, b, c) = mesh_W.corners(ofFace: face)
    let X_CW = X_WC.inverse
    let pa = X_CW * a, pb = X_CW * b, pc = X_CW * c
    let e1 = pb - pa, e2 = pc - pa
    let normal = SIMD3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
    let ray = intrinsics.ray(u: pixel.x, v: pixel.y)
    let denominator = (normal * ray).sum()
    guard abs(denominator) > 1e-12 * (normal * normal).sum().squareRoot() else { return nil }
    return (normal * pa).sum() / denominator
  }
}

/// A pixel of view A paired with a pixel of view B.
public struct PixelPair: Sendable, Equatable {
  /// Pixel (u, v) in view A.
  public var a: SIMD2<Int>
  /// Pixel (u, v) in view B.
  public var b: SIMD2<Int>
  /// A pair from its pixels.
  public init(a: SIMD2<Int>, b: SIMD2<Int>) {
    self.a = a
    self.b = b
  }
}

/// Settings of training-pair sampling (Dense Object Nets' defaults where it had them).
public struct CorrespondenceSamplingOptions: Sendable, Equatable {
  /// Pixels of A's object mask tried as matches (default 10,000, as Dense Object Nets).
  public var matchCandidates = 10_000
  /// At most this many matches are kept (default 1,000).
  public var maximumMatches = 1_000
  /// Non-matches per match whose B pixel lies on B's object (default 75: half of DON's 150).
  public var objectNonMatchesPerMatch = 75
  /// Non-matches per match whose B pixel lies on B's background (default 75: the other half).
  public var backgroundNonMatchesPerMatch = 75
  /// A non-match's B pixel is redrawn (up to 8 times) while it is closer than this to the match's B pixel (default 5 px).
  public var minimumNonMatchDistancePixels = 5.0
  /// Background non-matches are drawn from B's background pixels inside this box (nil, the
  /// default: the whole image). A trainer that cuts B to a window draws them where it keeps them.
  public var backgroundRegionB: PixelBox?
  /// Ring non-matches per match (default 0: none). Each takes the match's surface point, turns it
  /// about the vertical axis through `ringAxisPoint_W`, and pairs the match's A pixel with the pixel
  /// of B's object where the turned point lands, when that is at least `minimumNonMatchDistancePixels`
  /// from the match (no redraw; a turn that lands off B's object or image gives none). Half of them,
  /// rounded up, turn by the cameras' azimuth difference about the axis (in (−π, π]) times a factor
  /// drawn from [0.5, 1.5]: the point that sits, in B, where the match's point sat relative to
  /// camera A, the confusion a network that keys on where a point lies in the image makes. The rest
  /// turn by ±[15°, 90°]. Uniform object non-matches land there only by chance. The labels need no
  /// symmetry: any object pixel away from the match is a non-match; the axis only chooses where to look.
  public var ringNonMatchesPerMatch = 0
  /// A point on the vertical axis of the ring non-matches (world frame; the orbit's centre, which
  /// the views look at). Ring non-matches need it.
  public var ringAxisPoint_W: SIMD3<Double>?
  /// The seed (default 0).
  public var seed: UInt64 = 0
  /// Default options.
  public init() {}
}

/// A box of pixels, both corners included.
public struct PixelBox: Sendable, Equatable {
  /// The smallest (u, v).
  public var low: SIMD2<Int>
  /// The largest (u, v).
  public var high: SIMD2<Int>
  /// A box from its corners (empty when some coordinate of `low` exceeds that of `high`).
  public init(low: SIMD2<Int>, high: SIMD2<Int>) {
    self.low = low
    self.high = high
  }
  /// Whether the box holds no pixel.
  public var isEmpty: Bool { low.x > high.x || low.y > high.y }
  /// Its four corners: `low`, `high`, then (low x, high y) and (high x, low y).
  public var corners: [SIMD2<Int>] { [low, high, SIMD2(low.x, high.y), SIMD2(high.x, low.y)] }
  /// The box clipped to a `width`×`height` image.
  public func clamped(width: Int, height: Int) -> PixelBox {
    PixelBox(low: pointwiseMax(low, SIMD2(0, 0)), high: pointwiseMin(high, SIMD2(width - 1, height - 1)))
  }
}

/// Matches and non-matches between two views, for the pixelwise contrastive loss.
public struct CorrespondenceSample: Sendable, Equatable {
  /// Pixels of A's object and their correspondences in B (rounded to the nearest pixel).
  public var matches: [PixelPair]
  /// The matches' exact (continuous) positions in B.
  public var matchPixelsB: [SIMD2<Double>]
  /// A match's A pixel with a different pixel on B's object.
  public var objectNonMatches: [PixelPair]
  /// A match's A pixel with a pixel on B's background (background non-matches).
  public var backgroundNonMatches: [PixelPair]
  /// A match's A pixel with the pixel of B's object where its surface point lands turned about the
  /// vertical axis (`CorrespondenceSamplingOptions.ringNonMatchesPerMatch`; empty by default).
  public var ringNonMatches: [PixelPair] = []
}

extension ReconstructionCorrespondences {
  /// Samples matches from A's object mask to B and non-matches on and off B's object, repeatably
  /// from `options.seed`.
  ///
  /// Match candidates are drawn without replacement from the pixels of `maskA` (at most
  /// `matchCandidates`); those with a correspondence are kept up to `maximumMatches`. For each
  /// match, non-matches pair its A pixel with pixels drawn uniformly from B's object (`maskB`
  /// non-zero) and from B's background (zero) inside `backgroundRegionB`, away from the match.
  /// Background pixels are drawn by rejection (a pixel of the region at random until one is
  /// background), so no list of the image's background is built per pair; a region without
  /// background gives no background non-matches.
  /// - Parameters:
  ///   - maskA, maskB: object masks of the two views, from the reconstruction (`ObjectReconstruction.mask`).
  public func sample(from a: Int, to b: Int, maskA: Image8, maskB: Image8,
                     options: CorrespondenceSamplingOptions = CorrespondenceSamplingOptions()) -> CorrespondenceSample {
    let width = intrinsics.width
    var generator = SeededGenerator(seed: options.seed)  // SplitMix64 (LinearAlgebra)
    var candidates = maskA.pixels.indices.filter { maskA.pixels[$0] != 0 }
    let objectB = maskB.pixels.indices.filter { maskB.pixels[$0] != 0 }
    var matches: [PixelPair] = [], exact: [SIMD2<Double>] = [], points_W: [SIMD3<Double>] = []
    var tried = 0
    while tried < min(options.matchCandidates, candidates.count) && matches.count < options.maximumMatches {
      let pick = Int.random(in: tried..<candidates.count, using: &generator)
      candidates.swapAt(tried, pick)
      let index = candidates[tried]
      tried += 1
      let u = index % width, v = index / width
      guard case .match(let pixel, let p_W) = correspondence(u: u, v: v, from: a, to: b) else { continue }
      matches.append(PixelPair(a: SIMD2(u, v), b: SIMD2(Int(pixel.x.rounded()), Int(pixel.y.rounded()))))
      exact.append(pixel)
      points_W.append(p_W)
    }
    /// `perMatch` non-matches for every match, B pixels (as indices) from `draw`, redrawn up to 8
    /// times while within the minimum distance of the match.
    func nonMatches(perMatch: Int, draw: (inout SeededGenerator) -> Int) -> [PixelPair] {
      guard perMatch > 0 else { return [] }
      var out: [PixelPair] = []
      out.reserveCapacity(matches.count * perMatch)
      let minimum2 = options.minimumNonMatchDistancePixels * options.minimumNonMatchDistancePixels
      for (match, pixel) in zip(matches, exact) {
        for _ in 0..<perMatch {
          var index = draw(&generator)
          for _ in 0..<8 {
            let d = SIMD2(Double(index % width), Double(index / width)) - pixel
            if (d * d).sum() >= minimum2 { break }
            index = draw(&generator)
          }
          out.append(PixelPair(a: match.a, b: SIMD2(index % width, index / width)))
        }
      }
      return out
    }
    let objectNonMatches = objectB.isEmpty ? [] : nonMatches(perMatch: options.objectNonMatchesPerMatch) { objectB[Int.random(in: 0..<objectB.count, using: &$0)] }
    let region = (options.backgroundRegionB ?? PixelBox(low: SIMD2(0, 0), high: SIMD2(width - 1, intrinsics.height - 1)))
      .clamped(width: width, height: intrinsics.height)
    let backgroundNonMatches: [PixelPair] = maskB.pixels.withUnsafeBufferPointer { m in
      guard !region.isEmpty, (region.low.y...region.high.y).contains(where: { v in
        (region.low.x...region.high.x).contains { m[v * width + $0] == 0 }
      }) else { return [] }
      return nonMatches(perMatch: options.backgroundNonMatchesPerMatch) { generator in
        while true {  // ends: the region holds a background pixel
          let index = Int.random(in: region.low.y...region.high.y, using: &generator) * width
            + Int.random(in: region.low.x...region.high.x, using: &generator)
          if m[index] == 0 { return index }
        }
      }
    }
    var ringNonMatches: [PixelPair] = []
    if options.ringNonMatchesPerMatch > 0, let axis = options.ringAxisPoint_W {
      /// A camera's azimuth about the axis.
      func azimuth(_ view: Int) -> Double {
        let c = renderings[view].X_WC.translation - axis
        return atan2(c.y, c.x)
      }
      let raw = azimuth(b) - azimuth(a), cameraTurn = atan2(sin(raw), cos(raw))  // in (−π, π]
      let minimum2 = options.minimumNonMatchDistancePixels * options.minimumNonMatchDistancePixels
      let X_CW_B = renderings[b].X_WC.inverse
      let camera = (options.ringNonMatchesPerMatch + 1) / 2
      for ((match, pixel), p_W) in zip(zip(matches, exact), points_W) {
        for k in 0..<options.ringNonMatchesPerMatch {
          let angle = k < camera ? cameraTurn * Double.random(in: 0.5...1.5, using: &generator)
            : Double.random(in: 15...90, using: &generator) * .pi / 180 * (Bool.random(using: &generator) ? 1 : -1)
          let (c, s) = (cos(angle), sin(angle)), r = p_W - axis
          let turned = axis + SIMD3(c * r.x - s * r.y, s * r.x + c * r.y, r.z)
          guard let q = intrinsics.project(X_CW_B * turned) else { continue }
          let (u, v) = (Int(q.x.rounded()), Int(q.y.rounded()))
          guard u >= 0, v >= 0, u < width, v < intrinsics.height, maskB.pixels[v * width + u] != 0 else { continue }
          let d = SIMD2(Double(u), Double(v)) - pixel
          guard (d * d).sum() >= minimum2 else { continue }
          ringNonMatches.append(PixelPair(a: match.a, b: SIMD2(u, v)))
        }
      }
    }
    return CorrespondenceSample(matches: matches, matchPixelsB: exact, objectNonMatches: objectNonMatches,
                                backgroundNonMatches: backgroundNonMatches, ringNonMatches: ringNonMatches)
  }
}

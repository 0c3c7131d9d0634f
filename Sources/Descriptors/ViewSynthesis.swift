import Foundation
import Geometry
import Imaging
import LinearAlgebra
import Perception

/// Training views synthesized from a scene's captured training views and its reconstruction.
///
/// Each synthesized view is a captured training view's camera moved along the orbit: turned about
/// the vertical axis through the point the views look at by an azimuth drawn from ±`azimuthDegrees`,
/// and raised or lowered about the horizontal axis through that point by an angle from
/// ±`elevationDegrees` (kept between 10° and 85° above the point). Its image is rendered backwards
/// through the reconstruction: every pixel's ray meets the fused mesh (or, outside the fused box,
/// the table's plane), and takes the colour of that surface point, bilinearly, in the first captured
/// training view that sees it: its source, then the others, those whose cameras point most alike
/// first; a point none sees (the table right behind the object, seen only from held-out views)
/// takes the mean colour of its neighbours that were seen.
/// Its depth, mask and correspondences come from the reconstruction like a captured view's, so it
/// pairs with any view of its scene; it has no measured depth. Held-out views lend no colour.
///
/// What it was for: a model trained on 72 views per mug met both aims on its own held-out views,
/// between trained views twice as close (bench/results/descriptors-2026-12-02-experiments.md);
/// novel-view synthesis from a reconstruction fills the gaps between training views from the same
/// captured images (under the sun alone a diffuse surface keeps its colour from any viewpoint; what
/// moves wrongly is a specular highlight). A 30-minute run with two per view did not gain, and its
/// far misses grew with the views' elevation, not with the angle between them (docs/descriptors.md,
/// "Data"), so it is off by default.
public struct ViewSynthesisOptions: Sendable, Equatable {
  /// Synthesized views per captured training view (0: none, the default).
  public var viewsPerView = 0
  /// The largest azimuth turn, degrees.
  public var azimuthDegrees = 15.0
  /// The largest elevation change, degrees.
  public var elevationDegrees = 10.0
  /// Seeds the turns (mixed with the scene folder's path, so that scenes differ).
  public var seed: UInt64 = 0

  public init() {}
}

enum ViewSynthesis {
  /// The pose of `X_WC` turned by `azimuth` about the vertical through `centre_W` and by
  /// `elevation` about the horizontal axis through it (both radians), the elevation of the camera
  /// above the centre kept within [10°, 85°].
  static func orbitPose(_ X_WC: RigidTransform, centre_W: SIMD3<Double>, azimuth: Double, elevation: Double) -> RigidTransform {
    let offset = X_WC.translation - centre_W
    let horizontal = (offset.x * offset.x + offset.y * offset.y).squareRoot()
    let current = atan2(offset.z, horizontal)
    let lowest = 10 * Double.pi / 180, highest = 85 * Double.pi / 180
    let raise = min(highest, max(lowest, current + elevation)) - current
    var rotation = RotationMatrix.aboutZ(azimuth)
    if horizontal > 1e-9, raise != 0 {
      // Raising turns the offset towards +z about the horizontal axis perpendicular to it.
      let axis = SIMD3(offset.y, -offset.x, 0) / horizontal
      rotation = rotation * RotationMatrix(axis: axis, angle: raise)
    }
    let turn = RigidTransform(rotation: rotation, translation: centre_W - rotation * centre_W)
    return turn * X_WC
  }

  /// The colour image of the view at `rendering` (the reconstruction rendered into it), taken from
  /// the captured `images` at `renderings` (same intrinsics) of `sources`, in order of preference;
  /// `measuredDepthMetres` (per view, 0 = no reading), when given, are the sources' sensor depths.
  static func image(at rendering: DepthRendering, sources: [Int], images: [Image8], renderings: [DepthRendering],
                    measuredDepthMetres: [[Float]]?, tableTopHeightMetres: Double, toleranceMetres: Double = 0.005) -> Image8 {
    let K = rendering.intrinsics, w = K.width, h = K.height
    var colours = [SIMD3<Float>](repeating: .zero, count: w * h)
    var seen = [Bool](repeating: false, count: w * h)
    let inverses = sources.map { renderings[$0].X_WC.inverse }
    let origin = rendering.X_WC.translation
    for v in 0..<h {
      for u in 0..<w {
        let d = Double(rendering.depth(u: u, v: v))
        let p_W: SIMD3<Double>
        var onMesh = true
        if d > 0 {
          p_W = rendering.X_WC * K.backProject(u: Double(u), v: Double(v), depth: d)
        } else {  // outside the fused box: the table's plane, or 3 m along rays that miss it
          onMesh = false
          let ray = rendering.X_WC.rotation * K.ray(u: Double(u), v: Double(v))
          let t = ray.z < -1e-9 ? (tableTopHeightMetres - origin.z) / ray.z : -1
          p_W = t > 0 ? origin + t * ray : origin + 3 * ray / (ray * ray).sum().squareRoot()
        }
        for (k, source) in sources.enumerated() {
          let p_C = inverses[k] * p_W
          guard let q = K.project(p_C), q.x > -0.5, q.y > -0.5, q.x < Double(w) - 0.5, q.y < Double(h) - 0.5 else { continue }
          // Seen by the source: its rendered depth there agrees (off the mesh, only the mesh occludes),
          // and the point is not behind what its sensor measured there (fusion thins a mug's rim and
          // handle, which would otherwise lend their colour to the table behind them).
          let (x, y) = (Int(q.x.rounded()), Int(q.y.rounded()))
          let depth = Double(renderings[source].depth(u: x, v: y))
          if let measured = measuredDepthMetres?[source][y * w + x], measured > 0, p_C.z - Double(measured) > toleranceMetres { continue }
          if onMesh ? abs(depth - p_C.z) <= toleranceMetres : depth == 0 || depth > p_C.z - toleranceMetres {
            colours[v * w + u] = bilinear(images[source], at: q)
            seen[v * w + u] = true
            break
          }
        }
      }
    }
    // What no source sees (the table right behind the object, say) takes the mean of its seen
    // neighbours, spreading inwards a ring at a time.
    var unseen = (0..<(w * h)).filter { !seen[$0] }
    while !unseen.isEmpty {
      var filled: [(Int, SIMD3<Float>)] = []
      var rest: [Int] = []
      for i in unseen {
        let (u, v) = (i % w, i / w)
        var sum = SIMD3<Float>.zero, count: Float = 0
        for dv in -1...1 { for du in -1...1 where (du != 0 || dv != 0) {
          let (x, y) = (u + du, v + dv)
          guard x >= 0, y >= 0, x < w, y < h, seen[y * w + x] else { continue }
          sum += colours[y * w + x]
          count += 1
        } }
        if count > 0 { filled.append((i, sum / count)) } else { rest.append(i) }
      }
      if filled.isEmpty { break }  // nothing seen at all: stays black
      for (i, c) in filled { (colours[i], seen[i]) = (c, true) }
      unseen = rest
    }
    var pixels = [UInt8](repeating: 0, count: w * h * 3)
    for (i, c) in colours.enumerated() {
      pixels[3 * i] = UInt8(min(255, max(0, c.x.rounded())))
      pixels[3 * i + 1] = UInt8(min(255, max(0, c.y.rounded())))
      pixels[3 * i + 2] = UInt8(min(255, max(0, c.z.rounded())))
    }
    return Image8(width: w, height: h, channels: 3, pixels: pixels)
  }

  /// The RGB of `image` at `p` (pixel centres at integers), bilinear, edges repeated.
  @inline(__always)
  static func bilinear(_ image: Image8, at p: SIMD2<Double>) -> SIMD3<Float> {
    let w = image.width, h = image.height
    let x0 = Int(p.x.rounded(.down)), y0 = Int(p.y.rounded(.down))
    let fx = Float(p.x - Double(x0)), fy = Float(p.y - Double(y0))
    func at(_ x: Int, _ y: Int) -> SIMD3<Float> {
      let i = (min(h - 1, max(0, y)) * w + min(w - 1, max(0, x))) * 3
      return SIMD3(Float(image.pixels[i]), Float(image.pixels[i + 1]), Float(image.pixels[i + 2]))
    }
    let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
    let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy
  }

  /// A 64-bit FNV-1a hash of `text` (mixes a scene's path into the synthesis seed).
  static func hash(_ text: String) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return value
  }
}

import Foundation
import Geometry
import Objects

/// A scene folder's ground truth (`scene.json` and `object.obj`): for evaluation only, never an
/// input of fusion, masks or training correspondences.
public struct SceneGroundTruth: Sendable {
  /// `category` ("mug", "shoe").
  public var category: String
  /// `instance_seed`: `ObjectInstance.mug(seed:)` / `.shoe(seed:)` regenerates the object.
  public var instanceSeed: UInt64
  /// `table_top_height`, metres.
  public var tableTopHeightMetres: Double
  /// `object.X_WO`: the object's pose during every view.
  public var X_WO: RigidTransform
  /// `object.obj`, object frame.
  public var mesh_O: TriangleMesh

  /// Reads `scene.json` and the mesh it names from a scene folder.
  /// - Throws: `PerceptionError` naming the file and field.
  public init(folder: SceneFolder) throws(PerceptionError) {
    let path = folder.file("scene.json")
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PerceptionError(code: .missingFile, path: path, message: "no such file")
    }
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
      throw PerceptionError(code: .unreadable, path: path, message: "not valid JSON (\(error.localizedDescription))")
    }
    let reader = JSONFieldReader(path: path)
    let root = try reader.dictionary(object, field: "")
    guard try reader.string(root, "format", in: "") == "osprey.scene" else {
      throw PerceptionError(code: .invalidField, path: path, field: "format", message: "expected \"osprey.scene\"")
    }
    guard try reader.integer(root, "version", in: "") == 1 else {
      throw PerceptionError(code: .invalidField, path: path, field: "version", message: "this reader knows version 1")
    }
    category = try reader.string(root, "category", in: "")
    let seed = try reader.integer(root, "instance_seed", in: "")
    guard seed >= 0 else { throw PerceptionError(code: .invalidField, path: path, field: "instance_seed", message: "negative") }
    instanceSeed = UInt64(seed)
    tableTopHeightMetres = try reader.number(root, "table_top_height", in: "")
    let o = try reader.dictionary(try reader.value(root, "object", in: ""), field: "object")
    do {
      X_WO = try RigidTransform(rowMajor4x4: try reader.numbers(o, "X_WO", in: "object"), tolerance: 1e-6)
    } catch let error as PerceptionError {
      throw error
    } catch {
      throw PerceptionError(code: .invalidField, path: path, field: "object.X_WO", message: "not a rigid transform: \(error)")
    }
    let meshPath = folder.file(try reader.string(o, "mesh", in: "object"))
    do { mesh_O = try TriangleMesh(objPath: meshPath) } catch {
      throw PerceptionError(code: .unreadable, path: meshPath, message: error.description)
    }
  }

  /// The instance the scene shows, regenerated from its category and seed (nil for an unknown category).
  public var instance: ObjectInstance? {
    switch category {
    case "mug": return ObjectInstance.mug(seed: instanceSeed)
    case "shoe": return ObjectInstance.shoe(seed: instanceSeed)
    default: return nil
    }
  }
}

/// Exact correspondences from a scene's ground truth (the object's mesh and pose), for evaluating
/// descriptors only.
///
/// A pixel centre's ray is intersected with the mesh (the face the rasterizer finds there, then
/// the exact ray–plane intersection); the surface point is mapped into the other view and kept
/// when it projects inside the image and no part of the mesh is nearer along the ray through its
/// exact projection (ray cast against every face whose image bounding box covers that position;
/// tolerance 10 µm). Only the object occludes: the table cannot, as cameras look down onto it.
public struct GroundTruthViews: Sendable {
  /// The object's mesh in the world frame.
  public let mesh_W: TriangleMesh
  /// The object's pose.
  public let X_WO: RigidTransform
  /// The shared camera.
  public let intrinsics: CameraIntrinsics
  /// The mesh rendered into every view.
  public let renderings: [DepthRendering]
  private let tiles: [[[Int32]]]
  private static let tileSize = 8

  /// Renders the object (`mesh_O` at `X_WO`) into every view (`poses`).
  public init(mesh_O: TriangleMesh, X_WO: RigidTransform, intrinsics: CameraIntrinsics, poses: [RigidTransform]) {
    let mesh_W = mesh_O.transformed(by: X_WO)
    self.mesh_W = mesh_W
    self.X_WO = X_WO
    self.intrinsics = intrinsics
    renderings = poses.map { MeshRasterizer.render(mesh_W, intrinsics: intrinsics, X_WC: $0) }
    let size = Self.tileSize
    let tilesX = (intrinsics.width + size - 1) / size + 1, tilesY = (intrinsics.height + size - 1) / size + 1
    tiles = poses.map { X_WC in
      let X_CW = X_WC.inverse
      var buckets = [[Int32]](repeating: [], count: tilesX * tilesY)
      let projected = mesh_W.vertices.map { v -> SIMD2<Double>? in intrinsics.project(X_CW * v) }
      for (f, face) in mesh_W.faces.enumerated() {
        guard let a = projected[face.x], let b = projected[face.y], let c = projected[face.z] else { continue }
        let lo = SIMD2(min(a.x, b.x, c.x), min(a.y, b.y, c.y)) + 0.5, hi = SIMD2(max(a.x, b.x, c.x), max(a.y, b.y, c.y)) + 0.5
        guard hi.x >= 0, hi.y >= 0, lo.x < Double(intrinsics.width + 1), lo.y < Double(intrinsics.height + 1) else { continue }
        let x0 = max(0, Int(lo.x) / size), x1 = min(tilesX - 1, Int(min(hi.x, Double(intrinsics.width))) / size)
        let y0 = max(0, Int(lo.y) / size), y1 = min(tilesY - 1, Int(min(hi.y, Double(intrinsics.height))) / size)
        guard x0 <= x1, y0 <= y1 else { continue }
        for ty in y0...y1 { for tx in x0...x1 { buckets[ty * tilesX + tx].append(Int32(f)) } }
      }
      return buckets
    }
  }

  /// The object's surface point (world frame) seen at the centre of pixel `(u, v)` of `view`.
  public func surfacePoint(u: Int, v: Int, view: Int) -> SIMD3<Double>? {
    let r = renderings[view]
    guard u >= 0, v >= 0, u < intrinsics.width, v < intrinsics.height else { return nil }
    let face = r.faceIndex[v * intrinsics.width + u]
    guard face >= 0 else { return nil }
    let X_CW = r.X_WC.inverse
    let (a, b, c) = mesh_W.corners(ofFace: Int(face))
    guard let z = rayTriangleDepth(ray: intrinsics.ray(u: Double(u), v: Double(v)), X_CW * a, X_CW * b, X_CW * c, clamp: true) else {
      return r.X_WC * intrinsics.backProject(u: Double(u), v: Double(v), depth: Double(r.depth(u: u, v: v)))
    }
    return r.X_WC * (z * intrinsics.ray(u: Double(u), v: Double(v)))
  }

  /// Where the world point `p_W` (on the object's surface) appears in `view`: its exact pixel, or
  /// nil when it is behind the camera, outside the image, or hidden by the object.
  public func visiblePixel(of p_W: SIMD3<Double>, in view: Int, toleranceMetres: Double = 1e-5) -> SIMD2<Double>? {
    let X_CW = renderings[view].X_WC.inverse
    let p_C = X_CW * p_W
    guard let pixel = intrinsics.project(p_C) else { return nil }
    guard pixel.x > -0.5, pixel.y > -0.5, pixel.x < Double(intrinsics.width) - 0.5, pixel.y < Double(intrinsics.height) - 0.5 else { return nil }
    let size = Self.tileSize
    let tilesX = (intrinsics.width + size - 1) / size + 1
    let tile = Int(pixel.y + 0.5) / size * tilesX + Int(pixel.x + 0.5) / size
    let ray = intrinsics.ray(u: pixel.x, v: pixel.y)
    for f in tiles[view][tile] {
      let (a, b, c) = mesh_W.corners(ofFace: Int(f))
      if let z = rayTriangleDepth(ray: ray, X_CW * a, X_CW * b, X_CW * c, clamp: false), z < p_C.z - toleranceMetres { return nil }
    }
    return pixel
  }

  /// The exact correspondence in `b` of pixel `(u, v)` of `a` (same instance, same pose).
  public func correspondence(u: Int, v: Int, from a: Int, to b: Int) -> SIMD2<Double>? {
    guard let p = surfacePoint(u: u, v: v, view: a) else { return nil }
    return visiblePixel(of: p, in: b)
  }

  /// The exact cross-instance correspondence: pixel `(u, v)` of view `a` of this scene, through
  /// the surface atlases (same surface coordinate on both instances), to view `b` of `other`.
  public func crossInstanceCorrespondence(u: Int, v: Int, view a: Int, atlas: SurfaceAtlas,
                                          to other: GroundTruthViews, view b: Int, otherAtlas: SurfaceAtlas) -> SIMD2<Double>? {
    guard let p_W = surfacePoint(u: u, v: v, view: a) else { return nil }
    let coordinate = atlas.coordinate(nearestTo: X_WO.inverse * p_W).coordinate
    guard otherAtlas.parts.contains(coordinate.part) else { return nil }
    return other.visiblePixel(of: other.X_WO * otherAtlas.point(coordinate), in: b)
  }

  /// The 3-D error of a predicted pixel in `view` against the true surface point: the distance
  /// from the object's surface point seen at the prediction to `truth_W` (nil off the object).
  public func threeDError(predicted: SIMD2<Int>, in view: Int, truth_W: SIMD3<Double>) -> Double? {
    guard let p = surfacePoint(u: predicted.x, v: predicted.y, view: view) else { return nil }
    let d = p - truth_W
    return (d * d).sum().squareRoot()
  }
}

/// The depth `z` (the ray is `z · ray` with `ray.z = 1`) where a ray from the camera centre meets
/// triangle (a, b, c) (Möller & Trumbore 1997, doi:10.1080/10867651.1997.10487468); with `clamp`
/// the ray meets the triangle's plane wherever it crosses it.
func rayTriangleDepth(ray: SIMD3<Double>, _ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>, clamp: Bool) -> Double? {
  func cross(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
  }
  let e1 = b - a, e2 = c - a
  let p = cross(ray, e2)
  let det = (e1 * p).sum()
  guard abs(det) > 1e-18 else { return nil }
  let inverse = 1 / det
  let s = -a
  let q = cross(s, e1)
  if !clamp {
    let bu = (s * p).sum() * inverse, bv = (ray * q).sum() * inverse
    let slack = -1e-9
    guard bu >= slack, bv >= slack, bu + bv <= 1 - slack else { return nil }
  }
  let t = (e2 * q).sum() * inverse
  return t > 0 ? t : nil
}

/// The fraction of candidate pixels whose descriptor distance to the query is below that of the
/// true match (0 for a perfect descriptor): Dense Object Nets' third evaluation measure.
public func fractionCloserThanTrueMatch(distances: [Float], trueMatchDistance: Float) -> Double {
  guard !distances.isEmpty else { return 0 }
  return Double(distances.count { $0 < trueMatchDistance }) / Double(distances.count)
}

import Geometry
import Imaging

/// Settings that turn a fused scene into the object's reconstruction; every default is stated.
public struct ObjectReconstructionOptions: Sendable, Equatable {
  /// The table plane's height in the world frame, metres (default 0.75, the Osprey workcell).
  public var tableTopHeightMetres = 0.75
  /// Triangles with a corner less than this above the table plane are removed with the table,
  /// metres (default 4 mm, two default voxels: the fused table surface lies within a voxel of the plane).
  public var tablePlaneMarginMetres = 0.004
  /// Default options.
  public init() {}
}

/// A fused scene and the object cut out of it, as Dense Object Nets did: the TSDF is fused over a
/// box on the table top, meshed, and the object is what remains above the table plane.
public struct ObjectReconstruction: Sendable {
  /// Everything fused in the box (table top included), world frame.
  public var sceneMesh_W: TriangleMesh
  /// The part above the table plane, world frame.
  public var objectMesh_W: TriangleMesh
  /// The settings.
  public var options: ObjectReconstructionOptions

  /// Fuses depth images (millimetres) seen with `intrinsics` at `poses` into a TSDF over `box`,
  /// meshes it and crops the object.
  /// - Precondition: as many depth images as poses, each of the intrinsics' size.
  public init(depthMillimetres: [Image16], poses X_WC: [RigidTransform], intrinsics: CameraIntrinsics, box: AxisAlignedBox,
              tsdf: TSDFOptions = TSDFOptions(), options: ObjectReconstructionOptions = ObjectReconstructionOptions()) {
    precondition(depthMillimetres.count == X_WC.count, "ObjectReconstruction: \(depthMillimetres.count) depth images for \(X_WC.count) poses")
    var volume = TSDFVolume(box: box, options: tsdf)
    for (depth, pose) in zip(depthMillimetres, X_WC) {
      volume.integrate(depthMillimetres: depth, intrinsics: intrinsics, X_WC: pose)
    }
    self.init(sceneMesh_W: volume.mesh(), options: options)
  }

  /// The object cut out of an already fused scene mesh.
  public init(sceneMesh_W: TriangleMesh, options: ObjectReconstructionOptions = ObjectReconstructionOptions()) {
    self.sceneMesh_W = sceneMesh_W
    self.options = options
    objectMesh_W = Self.cropped(sceneMesh_W, minimumHeight: options.tableTopHeightMetres + options.tablePlaneMarginMetres)
  }

  /// The triangles of `mesh` whose three corners lie at `z ≥ minimumHeight` (inside `box` too
  /// when given), with unused vertices dropped.
  public static func cropped(_ mesh: TriangleMesh, minimumHeight: Double, box: AxisAlignedBox? = nil) -> TriangleMesh {
    let keep = mesh.vertices.map { $0.z >= minimumHeight && (box?.contains($0) ?? true) }
    var newIndex = [Int](repeating: -1, count: mesh.vertices.count)
    var vertices: [SIMD3<Double>] = []
    var faces: [SIMD3<Int>] = []
    for face in mesh.faces where keep[face.x] && keep[face.y] && keep[face.z] {
      var out = SIMD3<Int>.zero
      for c in 0..<3 {
        let v = face[c]
        if newIndex[v] < 0 {
          newIndex[v] = vertices.count
          vertices.append(mesh.vertices[v])
        }
        out[c] = newIndex[v]
      }
      faces.append(out)
    }
    return TriangleMesh(vertices: vertices, faces: faces)
  }

  /// The object's mask in a view: 255 where the cropped reconstruction is the nearest surface.
  ///
  /// The scene mesh is rendered as well so that the table (or anything else fused) in front of
  /// the object hides it; a pixel is on the object when its nearest face belongs to the object part.
  public func mask(intrinsics: CameraIntrinsics, X_WC: RigidTransform) -> Image8 {
    let minimumHeight = options.tableTopHeightMetres + options.tablePlaneMarginMetres
    let rendering = MeshRasterizer.render(sceneMesh_W, intrinsics: intrinsics, X_WC: X_WC)
    let onObject = sceneMesh_W.faces.map { f in
      sceneMesh_W.vertices[f.x].z >= minimumHeight && sceneMesh_W.vertices[f.y].z >= minimumHeight && sceneMesh_W.vertices[f.z].z >= minimumHeight
    }
    return Image8(width: intrinsics.width, height: intrinsics.height, channels: 1,
                  pixels: rendering.faceIndex.map { $0 >= 0 && onObject[Int($0)] ? 255 : 0 })
  }
}

/// Intersection over union of two masks (non-zero = in), 1 when both are empty.
public func maskIntersectionOverUnion(_ a: Image8, _ b: Image8) -> Double {
  precondition(a.width == b.width && a.height == b.height && a.channels == 1 && b.channels == 1,
               "maskIntersectionOverUnion: \(a.width)×\(a.height)×\(a.channels) vs \(b.width)×\(b.height)×\(b.channels)")
  var intersection = 0, union = 0
  for (x, y) in zip(a.pixels, b.pixels) {
    if x != 0 && y != 0 { intersection += 1 }
    if x != 0 || y != 0 { union += 1 }
  }
  return union == 0 ? 1 : Double(intersection) / Double(union)
}

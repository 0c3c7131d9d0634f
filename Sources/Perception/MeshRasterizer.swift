import Geometry
import Imaging

/// A mesh's depth seen from one camera: per pixel the depth along the camera's z axis of the
/// nearest surface through the pixel centre and the face it belongs to.
public struct DepthRendering: Sendable, Equatable {
  /// The camera.
  public var intrinsics: CameraIntrinsics
  /// World-from-camera pose.
  public var X_WC: RigidTransform
  /// Depth along z in metres, row-major; 0 where no face covers the pixel centre.
  public var depthMetres: [Float]
  /// The face seen at each pixel, −1 where none.
  public var faceIndex: [Int32]

  /// The depth at pixel `(u, v)` (0 outside the image or where nothing was rendered).
  public func depth(u: Int, v: Int) -> Float {
    guard u >= 0, v >= 0, u < intrinsics.width, v < intrinsics.height else { return 0 }
    return depthMetres[v * intrinsics.width + u]
  }

  /// 255 where something was rendered, 0 elsewhere.
  public var coverageMask: Image8 {
    Image8(width: intrinsics.width, height: intrinsics.height, channels: 1, pixels: depthMetres.map { $0 > 0 ? 255 : 0 })
  }

  /// The depth as a 16-bit millimetre image (rounded, 0 = none), like the simulator's depth PNGs.
  public var depthMillimetres: Image16 {
    Image16(width: intrinsics.width, height: intrinsics.height, channels: 1,
            pixels: depthMetres.map { UInt16(min(65535, max(0, ($0 * 1000).rounded()))) })
  }
}

/// A small CPU z-buffer rasterizer for triangle meshes.
///
/// Each triangle with all three corners at least `nearMetres` in front of the camera is projected
/// with the pinhole model; every pixel centre `(u, v)` (integers, OpenCV convention) inside it —
/// edge functions ≥ 0, so pixels on shared edges are drawn by both triangles — gets the
/// perspective-correct depth
///
/// ```
/// 1/z = λ₀/z₀ + λ₁/z₁ + λ₂/z₂        (λ the screen-space barycentric coordinates)
/// ```
///
/// which is exactly the depth of the triangle's plane along that pixel's ray; the nearest wins.
/// Triangles that cross the near plane are dropped (the cameras here stay well away from meshes).
public enum MeshRasterizer {
  /// Renders `mesh_W` (world frame) from a camera with `intrinsics` at `X_WC`.
  /// - Complexity: O(faces + covered pixels).
  public static func render(_ mesh_W: TriangleMesh, intrinsics K: CameraIntrinsics, X_WC: RigidTransform,
                            nearMetres: Double = 0.01) -> DepthRendering {
    let width = K.width, height = K.height
    var depth = [Float](repeating: 0, count: width * height)
    var faceOf = [Int32](repeating: -1, count: width * height)
    var zBuffer = [Double](repeating: .infinity, count: width * height)
    let X_CW = X_WC.inverse
    let p_C = mesh_W.vertices.map { X_CW * $0 }
    let projected = p_C.map { p in SIMD2(K.fx * p.x / p.z + K.cx, K.fy * p.y / p.z + K.cy) }
    for (f, face) in mesh_W.faces.enumerated() {
      let z0 = p_C[face.x].z, z1 = p_C[face.y].z, z2 = p_C[face.z].z
      guard z0 >= nearMetres, z1 >= nearMetres, z2 >= nearMetres else { continue }
      let a = projected[face.x], b = projected[face.y], c = projected[face.z]
      let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
      guard abs(area) > 1e-12 else { continue }
      let uMin = max(0, Int(min(a.x, b.x, c.x).rounded(.up))), uMax = min(width - 1, Int(max(a.x, b.x, c.x).rounded(.down)))
      let vMin = max(0, Int(min(a.y, b.y, c.y).rounded(.up))), vMax = min(height - 1, Int(max(a.y, b.y, c.y).rounded(.down)))
      guard uMin <= uMax, vMin <= vMax else { continue }
      let inverseArea = 1 / area
      let iz0 = 1 / z0, iz1 = 1 / z1, iz2 = 1 / z2
      for v in vMin...vMax {
        let y = Double(v)
        for u in uMin...uMax {
          let x = Double(u)
          // Barycentric coordinates from the signed edge functions (sign-normalised by the area).
          let l0 = ((b.x - x) * (c.y - y) - (b.y - y) * (c.x - x)) * inverseArea
          let l1 = ((c.x - x) * (a.y - y) - (c.y - y) * (a.x - x)) * inverseArea
          let l2 = 1 - l0 - l1
          guard l0 >= 0, l1 >= 0, l2 >= -1e-12 else { continue }
          let z = 1 / (l0 * iz0 + l1 * iz1 + max(0, l2) * iz2)
          let index = v * width + u
          if z < zBuffer[index] {
            zBuffer[index] = z
            depth[index] = Float(z)
            faceOf[index] = Int32(f)
          }
        }
      }
    }
    return DepthRendering(intrinsics: K, X_WC: X_WC, depthMetres: depth, faceIndex: faceOf)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pinhole camera's intrinsics in the OpenCV convention.
///
/// Camera frame C: x right, y down, z forward (the viewing direction). Pixel coordinates (u, v)
/// count columns and rows from the top-left corner, with pixel centres at integer coordinates
/// (pixel (0, 0) covers [−0.5, 0.5]²). A point `p_C = (x, y, z)` with `z > 0` projects to
///
/// ```
/// u = fx · x / z + cx,    v = fy · y / z + cy
/// ```
///
/// and a pixel with depth `z` (metres along the camera's z axis, not along the ray) back-projects to
///
/// ```
/// p_C = ((u − cx) · z / fx, (v − cy) · z / fy, z)
/// ```
public struct CameraIntrinsics: Equatable, Sendable, Codable {
  /// Image width in pixels.
  public var width: Int
  /// Image height in pixels.
  public var height: Int
  /// Focal length in pixels along u.
  public var fx: Double
  /// Focal length in pixels along v.
  public var fy: Double
  /// Principal point, u.
  public var cx: Double
  /// Principal point, v.
  public var cy: Double

  /// Intrinsics from their parts.
  public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double) {
    self.width = width
    self.height = height
    self.fx = fx
    self.fy = fy
    self.cx = cx
    self.cy = cy
  }

  /// The intrinsics of a symmetric frustum with square pixels and a vertical field of view (as
  /// MuJoCo and OpenGL cameras have):
  ///
  /// ```
  /// fy = (height / 2) / tan(fovy / 2),   fx = fy,   cx = (width − 1) / 2,   cy = (height − 1) / 2
  /// ```
  ///
  /// The principal point sits half a pixel before `width / 2` because pixel centres are integers.
  public init(width: Int, height: Int, verticalFieldOfViewDegrees fovy: Double) {
    precondition(width > 0 && height > 0, "CameraIntrinsics: size \(width)×\(height)")
    precondition(fovy > 0 && fovy < 180, "CameraIntrinsics: fovy \(fovy)° outside (0, 180)")
    let f = Double(height) / 2 / tan(fovy * .pi / 360)
    self.init(width: width, height: height, fx: f, fy: f, cx: Double(width - 1) / 2, cy: Double(height - 1) / 2)
  }

  /// The pixel `(u, v)` a point in the camera frame projects to (nil behind the camera).
  public func project(_ p_C: SIMD3<Double>) -> SIMD2<Double>? {
    guard p_C.z > 0 else { return nil }
    return SIMD2(fx * p_C.x / p_C.z + cx, fy * p_C.y / p_C.z + cy)
  }

  /// The point in the camera frame seen at pixel `(u, v)` with depth `z` (metres along z).
  public func backProject(u: Double, v: Double, depth z: Double) -> SIMD3<Double> {
    SIMD3((u - cx) * z / fx, (v - cy) * z / fy, z)
  }

  /// The direction (not unit length, z = 1) of the ray through pixel `(u, v)` in the camera frame.
  public func ray(u: Double, v: Double) -> SIMD3<Double> {
    SIMD3((u - cx) / fx, (v - cy) / fy, 1)
  }
}

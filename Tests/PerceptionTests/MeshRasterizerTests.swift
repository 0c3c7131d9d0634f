import Geometry
import Testing
@testable import Perception

struct MeshRasterizerTests {
  /// A tilted square seen at an angle: every covered pixel's depth is the exact depth of the plane
  /// along that pixel's ray (perspective-correct interpolation; tolerance 1 µm for Float storage),
  /// and the pixel centre falls inside the square.
  @Test func depthIsExactOnAPlane() {
    let K = CameraIntrinsics(width: 64, height: 48, verticalFieldOfViewDegrees: 50)
    let square = TriangleMesh(vertices: [SIMD3(-0.1, -0.1, 0), SIMD3(0.1, -0.1, 0.05), SIMD3(0.1, 0.1, 0.05), SIMD3(-0.1, 0.1, 0)],
                              faces: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    let X_WC = lookAt(eye: SIMD3(0.05, -0.1, 0.4), target: .zero)
    let r = MeshRasterizer.render(square, intrinsics: K, X_WC: X_WC)
    var covered = 0
    let normal = SIMD3(-0.25, 0, 1.0), onPlane = SIMD3(0, 0, 0.025), X_CW = X_WC.inverse  // z = x/4 + 0.025
    for v in 0..<K.height {
      for u in 0..<K.width where r.depth(u: u, v: v) > 0 {
        covered += 1
        let ray_W = X_WC.rotation * K.ray(u: Double(u), v: Double(v))
        let t = (normal * (onPlane - X_WC.translation)).sum() / (normal * ray_W).sum()
        let p_C = X_CW * (X_WC.translation + t * ray_W)
        #expect(abs(Double(r.depth(u: u, v: v)) - p_C.z) < 1e-6)
      }
    }
    #expect(covered > 200)
  }

  /// The nearer of two overlapping squares wins.
  @Test func zBufferKeepsTheNearestFace() {
    let K = CameraIntrinsics(width: 32, height: 32, verticalFieldOfViewDegrees: 60)
    let far = boxMesh(lower: SIMD3(-1, -1, 0), upper: SIMD3(1, 1, 0.01))
    let near = boxMesh(lower: SIMD3(-0.05, -0.05, 0.2), upper: SIMD3(0.05, 0.05, 0.21))
    let mesh = far.merged(with: near)
    let r = MeshRasterizer.render(mesh, intrinsics: K, X_WC: lookAt(eye: SIMD3(0, 0, 1), target: .zero))
    #expect(abs(r.depth(u: 16, v: 16) - 0.79) < 1e-5)
    #expect(abs(r.depth(u: 1, v: 1) - 0.99) < 0.02)
  }
}

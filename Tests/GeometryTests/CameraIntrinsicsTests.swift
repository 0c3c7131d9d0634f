import Geometry
import Testing

@Suite struct CameraIntrinsicsTests {
  @Test func fieldOfViewGivesFocalLengthAndCentredPrincipalPoint() {
    let k = CameraIntrinsics(width: 640, height: 480, verticalFieldOfViewDegrees: 90)
    // tan(45°) = 1, so fy = 240 (1e-12: one tan and one division).
    #expect(abs(k.fy - 240) < 1e-12)
    #expect(k.fx == k.fy)
    #expect(k.cx == 319.5 && k.cy == 239.5)
  }

  @Test func projectAndBackProjectAreInverse() {
    let k = CameraIntrinsics(width: 320, height: 240, fx: 300, fy: 310, cx: 160.2, cy: 119.7)
    let p = SIMD3(0.13, -0.07, 1.9)
    let uv = k.project(p)!
    let back = k.backProject(u: uv.x, v: uv.y, depth: p.z)
    #expect(abs(back.x - p.x) < 1e-12 && abs(back.y - p.y) < 1e-12 && back.z == p.z)
    #expect(k.project(SIMD3(0, 0, -1)) == nil)
    // The ray through a pixel has unit z and passes through the back-projected point.
    let onRay = k.ray(u: uv.x, v: uv.y) * p.z - back
    #expect(abs(onRay.x) < 1e-12 && abs(onRay.y) < 1e-12 && onRay.z == 0)
  }
}

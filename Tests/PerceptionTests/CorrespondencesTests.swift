import Foundation
import Geometry
import Imaging
import Testing
@testable import Perception

struct CorrespondencesTests {
  static let K = CameraIntrinsics(width: 160, height: 120, verticalFieldOfViewDegrees: 50)
  /// A floor square and a box standing on it, seen from two sides.
  static let floor = boxMesh(lower: SIMD3(-0.3, -0.3, -0.01), upper: SIMD3(0.3, 0.3, 0))
  static let box = boxMesh(lower: SIMD3(-0.05, -0.05, 0), upper: SIMD3(0.05, 0.05, 0.1))
  static let poses = [lookAt(eye: SIMD3(0.5, 0, 0.4), target: SIMD3(0, 0, 0.05)),
                      lookAt(eye: SIMD3(-0.5, 0.05, 0.4), target: SIMD3(0, 0, 0.05))]

  /// On an exact mesh, a matched pixel maps to the projection of its back-projected point, and
  /// mapping back lands on the starting pixel (within the rasterized depth's Float precision).
  @Test func matchesRoundTrip() {
    let c = ReconstructionCorrespondences(mesh_W: Self.floor.merged(with: Self.box), intrinsics: Self.K, poses: Self.poses)
    var matched = 0
    for v in stride(from: 0, to: 120, by: 7) {
      for u in stride(from: 0, to: 160, by: 7) {
        guard case .match(let pixel, let p_W) = c.correspondence(u: u, v: v, from: 0, to: 1) else { continue }
        matched += 1
        let expected = Self.K.project(Self.poses[1].inverse * p_W)!
        #expect(((pixel - expected) * (pixel - expected)).sum() < 1e-12)
        let back = c.project(c.renderings[1].X_WC * Self.K.backProject(u: pixel.x, v: pixel.y, depth: (Self.poses[1].inverse * p_W).z), into: 0)
        if let b = back.pixel { #expect(abs(b.x - Double(u)) < 1e-3 && abs(b.y - Double(v)) < 1e-3) }
      }
    }
    #expect(matched > 100)
  }

  /// The rejection reasons: no depth (sky), out of view, occluded (the box's far side), and a
  /// measured depth that disagrees with the rendered one.
  @Test func rejectionReasons() {
    let c = ReconstructionCorrespondences(mesh_W: Self.floor.merged(with: Self.box), intrinsics: Self.K, poses: Self.poses)
    #expect(c.correspondence(u: 80, v: 0, from: 0, to: 1) == .noDepth)
    // The box face towards camera 0 (x = +0.05) is hidden from camera 1 (on the −x side).
    let face_W = SIMD3(0.05, 0.0, 0.05)
    #expect(c.project(face_W, into: 1) == .occluded)
    #expect(c.project(SIMD3(5, 0, 0), into: 1) == .outOfView)
    let centre = Self.K.project(Self.poses[0].inverse * face_W)!
    let (u, v) = (Int(centre.x.rounded()), Int(centre.y.rounded()))
    var wrong = c.renderings.map(\.depthMillimetres)
    wrong[0].pixels[v * Self.K.width + u] += 10
    let checked = ReconstructionCorrespondences(mesh_W: Self.floor.merged(with: Self.box), intrinsics: Self.K, poses: Self.poses,
                                                measuredDepthMillimetres: wrong)
    #expect(checked.correspondence(u: u, v: v, from: 0, to: 1) == .depthDisagrees)
  }

  /// Cropping keeps the triangles above the table plane and drops the unused vertices.
  @Test func croppingAboveTheTable() {
    let scene = Self.floor.merged(with: boxMesh(lower: SIMD3(-0.05, -0.05, 0.01), upper: SIMD3(0.05, 0.05, 0.1)))
    var options = ObjectReconstructionOptions()
    options.tableTopHeightMetres = 0
    options.tablePlaneMarginMetres = 0.005
    let reconstruction = ObjectReconstruction(sceneMesh_W: scene, options: options)
    #expect(reconstruction.objectMesh_W.faces.count == 12 && reconstruction.objectMesh_W.vertices.count == 8)
    let mask = reconstruction.mask(intrinsics: Self.K, X_WC: Self.poses[0])
    let boxOnly = MeshRasterizer.render(Self.box, intrinsics: Self.K, X_WC: Self.poses[0]).coverageMask
    #expect(maskIntersectionOverUnion(mask, boxOnly) > 0.9)
  }
}

import Foundation
import Geometry
import Imaging
import Testing
@testable import Perception

struct TSDFVolumeTests {
  static let lower = SIMD3(-0.05, -0.04, 0.0), upper = SIMD3(0.05, 0.04, 0.06)
  static let intrinsics = CameraIntrinsics(width: 320, height: 240, verticalFieldOfViewDegrees: 48.4)

  /// 14 cameras 0.4 m from the box's centre: 12 around it at ±35° elevation, one above, one below.
  static var poses: [RigidTransform] {
    let centre = (lower + upper) / 2
    var eyes: [SIMD3<Double>] = [centre + SIMD3(0.001, 0, 0.4), centre + SIMD3(0.001, 0, -0.4)]
    for e in [-35.0, 35.0] {
      for a in stride(from: 0.0, to: 360, by: 60) {
        let el = e * .pi / 180, az = (a + e) * .pi / 180
        eyes.append(centre + 0.4 * SIMD3(cos(el) * cos(az), cos(el) * sin(az), sin(el)))
      }
    }
    return eyes.map { lookAt(eye: $0, target: centre) }
  }

  /// Fusing millimetre depth images of a 10 × 8 × 6 cm box (rendered from its exact mesh) on a 2 mm
  /// grid reproduces it: every reconstructed vertex within 2 voxels of the box's surface, the
  /// reconstruction's bounding box within 2 voxels of the box, and a watertight surface (every
  /// side was seen).
  @Test func fusionReproducesABoxWithinTwoVoxels() {
    let box = boxMesh(lower: Self.lower, upper: Self.upper)
    var options = TSDFOptions()
    options.voxelSizeMetres = 0.002
    options.truncationMetres = 0.008
    var volume = TSDFVolume(box: AxisAlignedBox(lower: SIMD3(-0.08, -0.08, -0.03), upper: SIMD3(0.08, 0.08, 0.09)), options: options)
    for X_WC in Self.poses {
      let depth = MeshRasterizer.render(box, intrinsics: Self.intrinsics, X_WC: X_WC).depthMillimetres
      let stats = volume.integrate(depthMillimetres: depth, intrinsics: Self.intrinsics, X_WC: X_WC)
      #expect(stats.voxelsUpdated > 0 && stats.voxelsVisited == volume.count)
    }
    let mesh = volume.mesh()
    #expect(mesh.faces.count > 1000)
    let errors = mesh.vertices.map { distanceToBoxSurface($0, lower: Self.lower, upper: Self.upper) }
    let worst = errors.max() ?? .infinity
    let mean = errors.reduce(0, +) / Double(max(1, errors.count))
    #expect(worst <= 2 * options.voxelSizeMetres, "worst vertex \(worst * 1000) mm, mean \(mean * 1000) mm")
    let bounds = mesh.boundingBox!
    let boundsError = max((bounds.lower - Self.lower).abs.max(), (bounds.upper - Self.upper).abs.max())
    #expect(boundsError <= 2 * options.voxelSizeMetres, "bounding box off by \(boundsError * 1000) mm")
    #expect(mesh.watertightness().isWatertight, "\(mesh.watertightness())")
    print("over 1 voxel: \(errors.count { $0 > options.voxelSizeMetres }), over 2: \(errors.count { $0 > 2 * options.voxelSizeMetres })")
    print("TSDF box: \(mesh.vertices.count) vertices, worst \(worst * 1000) mm, mean \(mean * 1000) mm, bounds \(boundsError * 1000) mm")
  }

  /// Depth 0 is no measurement: an all-zero image updates nothing.
  @Test func zeroDepthIsSkipped() {
    var volume = TSDFVolume(box: AxisAlignedBox(lower: SIMD3(-0.05, -0.05, -0.05), upper: SIMD3(0.05, 0.05, 0.05)))
    let empty = Image16(width: 320, height: 240, channels: 1)
    let stats = volume.integrate(depthMillimetres: empty, intrinsics: Self.intrinsics, X_WC: Self.poses[0])
    #expect(stats.voxelsUpdated == 0)
    #expect(volume.weights.allSatisfy { $0 == 0 } && volume.mesh().faces.isEmpty)
  }

  /// The table-top box spans the table plane and the height above it.
  @Test func tableTopBox() {
    let box = TSDFVolume.tableTopBox(centre: SIMD2(0.5, -0.1), halfWidthMetres: 0.1, tableTopHeightMetres: 0.75, heightMetres: 0.2)
    #expect(box.lower == SIMD3(0.4, -0.2, 0.73) && box.upper == SIMD3(0.6, 0.0, 0.95))
  }
}

extension SIMD3 where Scalar == Double {
  var abs: SIMD3<Double> { SIMD3(Swift.abs(x), Swift.abs(y), Swift.abs(z)) }
}

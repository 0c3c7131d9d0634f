// `osprey-bench-perception`: TSDF integration throughput (voxels/s), mesh extraction and mesh
// rendering times on a synthetic scene (a 10 × 8 × 6 cm box on a plane, 14 views at 640×480).
// A program, not a test: build it in release (`swift run -c release osprey-bench-perception`).
import Dispatch
import Foundation
import Geometry
import Perception

func boxMesh(lower: SIMD3<Double>, upper: SIMD3<Double>) -> TriangleMesh {
  let vertices = (0..<8).map { c in
    SIMD3(c & 1 == 0 ? lower.x : upper.x, c & 2 == 0 ? lower.y : upper.y, c & 4 == 0 ? lower.z : upper.z)
  }
  let quads = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]
  return TriangleMesh(vertices: vertices, faces: quads.flatMap { q in [SIMD3(q.0, q.1, q.2), SIMD3(q.0, q.2, q.3)] })
}

func lookAt(eye: SIMD3<Double>, target: SIMD3<Double>) -> RigidTransform {
  func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
  func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
  }
  let z = unit(target - eye)
  let x = unit(cross(z, SIMD3(0, 0, 1)))
  return RigidTransform(rotation: RotationMatrix(uncheckedColumns: x, cross(z, x), z), translation: eye)
}

func seconds(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

let table = boxMesh(lower: SIMD3(-0.3, -0.3, 0.70), upper: SIMD3(0.3, 0.3, 0.75))
let object = boxMesh(lower: SIMD3(-0.05, -0.04, 0.75), upper: SIMD3(0.05, 0.04, 0.81))
let scene = table.merged(with: object)
let K = CameraIntrinsics(width: 640, height: 480, verticalFieldOfViewDegrees: 48.4)
let centre = SIMD3(0.0, 0.0, 0.78)
let poses = (0..<14).map { i -> RigidTransform in
  let az = Double(i) * 2 * Double.pi / 14, el = (Double(i % 3) * 15 + 30) * Double.pi / 180
  return lookAt(eye: centre + 0.5 * SIMD3(cos(el) * cos(az), cos(el) * sin(az), sin(el)), target: centre)
}
var renderings: [DepthRendering] = []
let renderTime = seconds { renderings = poses.map { MeshRasterizer.render(scene, intrinsics: K, X_WC: $0) } }
let depths = renderings.map(\.depthMillimetres)
print("| step | figure |")
print("|---|---|")
print("| mesh rendering, 12-triangle scene, 640×480 | \(String(format: "%.1f", 1000 * renderTime / Double(poses.count))) ms/view |")
for voxel in [0.002, 0.001] {
  var options = TSDFOptions()
  options.voxelSizeMetres = voxel
  options.truncationMetres = 4 * voxel
  var volume = TSDFVolume(box: TSDFVolume.tableTopBox(centre: SIMD2(0, 0), halfWidthMetres: 0.15, tableTopHeightMetres: 0.75, heightMetres: 0.25), options: options)
  let time = seconds { for (d, X_WC) in zip(depths, poses) { volume.integrate(depthMillimetres: d, intrinsics: K, X_WC: X_WC) } }
  let rate = Double(volume.count * poses.count) / time
  var mesh = TriangleMesh.empty
  let meshTime = seconds { mesh = volume.mesh() }
  print("| TSDF integration, \(volume.dimensions.x)×\(volume.dimensions.y)×\(volume.dimensions.z) = \(String(format: "%.1f", Double(volume.count) / 1e6)) M voxels (\(voxel * 1000) mm), \(poses.count) views | \(String(format: "%.0f", rate / 1e6)) M voxels/s (\(String(format: "%.0f", 1000 * time / Double(poses.count))) ms/view, \(ProcessInfo.processInfo.activeProcessorCount) cores) |")
  print("| marching tetrahedra, same volume | \(String(format: "%.2f", meshTime)) s, \(mesh.faces.count) triangles |")
  var covered = 0
  let rasterTime = seconds { covered = MeshRasterizer.render(mesh, intrinsics: K, X_WC: poses[0]).faceIndex.count { $0 >= 0 } }
  precondition(covered > 0, "the reconstruction should cover pixels")
  print("| rendering the reconstruction (\(mesh.faces.count) triangles), 640×480 | \(String(format: "%.0f", 1000 * rasterTime)) ms/view |")
}

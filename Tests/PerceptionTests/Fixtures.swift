import Foundation
import Geometry

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String) -> String {
  let path = NSTemporaryDirectory() + "osprey-perception-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A closed box mesh (`TriangleMesh.box`), under the tests' name.
func boxMesh(lower: SIMD3<Double>, upper: SIMD3<Double>) -> TriangleMesh { .box(lower: lower, upper: upper) }

/// Distance from `p` to the surface of an axis-aligned box.
func distanceToBoxSurface(_ p: SIMD3<Double>, lower: SIMD3<Double>, upper: SIMD3<Double>) -> Double {
  let centre = (lower + upper) / 2, half = (upper - lower) / 2
  let q = SIMD3(abs(p.x - centre.x), abs(p.y - centre.y), abs(p.z - centre.z)) - half
  let outside = SIMD3(max(q.x, 0), max(q.y, 0), max(q.z, 0))
  let m = max(q.x, q.y, q.z)
  return m > 0 ? (outside * outside).sum().squareRoot() : -m
}

/// A camera at `eye` looking at `target` (OpenCV axes), world z up.
func lookAt(eye: SIMD3<Double>, target: SIMD3<Double>) -> RigidTransform {
  func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
  func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
  }
  let z = unit(target - eye)
  let up: SIMD3<Double> = abs(z.z) > 0.99 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
  let x = unit(cross(z, up))
  let y = cross(z, x)
  return RigidTransform(rotation: RotationMatrix(uncheckedColumns: x, y, z), translation: eye)
}

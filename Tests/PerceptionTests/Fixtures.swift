import Foundation
import Geometry

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String) -> String {
  let path = NSTemporaryDirectory() + "osprey-perception-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// An axis-aligned box as a closed, outward-wound triangle mesh.
func boxMesh(lower: SIMD3<Double>, upper: SIMD3<Double>) -> TriangleMesh {
  var vertices: [SIMD3<Double>] = []
  for c in 0..<8 {
    vertices.append(SIMD3(c & 1 == 0 ? lower.x : upper.x, c & 2 == 0 ? lower.y : upper.y, c & 4 == 0 ? lower.z : upper.z))
  }
  let quads: [(Int, Int, Int, Int)] = [
    (0, 2, 3, 1), (4, 5, 7, 6),  // z−, z+
    (0, 1, 5, 4), (2, 6, 7, 3),  // y−, y+
    (0, 4, 6, 2), (1, 3, 7, 5),  // x−, x+
  ]
  var faces: [SIMD3<Int>] = []
  for (a, b, c, d) in quads {
    faces.append(SIMD3(a, b, c))
    faces.append(SIMD3(a, c, d))
  }
  return TriangleMesh(vertices: vertices, faces: faces)
}

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

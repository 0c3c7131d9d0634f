import Geometry
import Objects

/// The seeds every per-instance property is checked on (50 per category).
let instanceSeeds: [UInt64] = Array(0..<50)

/// Whether every point of `points` lies on the boundary of their convex hull (within `tolerance`):
/// for each point there is a supporting plane — through three of the points, with all points on one
/// side — that passes through it. Brute force over triples, O(n⁴); fine for pieces of ≤ 40 points.
func everyPointIsOnHull(_ points: [SIMD3<Double>], tolerance: Double) -> Bool {
  let n = points.count
  guard n >= 4 else { return true }
  var onBoundary = [Bool](repeating: false, count: n)
  for a in 0..<n {
    for b in (a + 1)..<n {
      for c in (b + 1)..<n {
        let normal = cross3(points[b] - points[a], points[c] - points[a])
        let length = (normal * normal).sum().squareRoot()
        if length < 1e-12 { continue }
        let unit = normal / length
        // Most triples are not facets: stop as soon as points lie on both sides.
        var below = false
        var above = false
        for k in 0..<n {
          let d = (unit * (points[k] - points[a])).sum()
          if d < -tolerance { below = true }
          if d > tolerance { above = true }
          if below && above { break }
        }
        if below && above { continue }
        for k in 0..<n where abs((unit * (points[k] - points[a])).sum()) <= tolerance { onBoundary[k] = true }
      }
    }
  }
  return onBoundary.allSatisfy { $0 }
}

func cross3(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

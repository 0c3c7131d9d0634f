import LinearAlgebra
import Geometry

/// The shared SplitMix64 generator (LinearAlgebra's `SeededGenerator`), under this file's old name.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
  mutating func vector() -> SIMD3<Double> {
    SIMD3(Double.random(in: -1..<1, using: &self), Double.random(in: -1..<1, using: &self), Double.random(in: -1..<1, using: &self))
  }
  /// A random rotation from a random (non-uniform) quaternion.
  mutating func rotation() -> RotationMatrix {
    let v = vector()
    return RotationMatrix(quaternion: Quaternion(w: Double.random(in: -1..<1, using: &self), x: v.x, y: v.y, z: v.z))
  }
}

func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

// Tolerance for rotation round trips: each conversion costs a few ulps on entries of size ≤ 1;
// 1e-12 leaves three orders of magnitude of margin.
let rotationTolerance = 1e-12

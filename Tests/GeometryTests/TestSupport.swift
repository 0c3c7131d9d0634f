import Geometry

/// SplitMix64 (Steele, Lea, Flood, OOPSLA 2014): deterministic random numbers for repeatable tests.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
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

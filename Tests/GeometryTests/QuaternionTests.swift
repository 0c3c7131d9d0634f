import Geometry
import Testing

@Suite struct QuaternionTests {
  @Test func hamiltonProductRules() {
    let i = Quaternion(w: 0, x: 1, y: 0, z: 0)
    let j = Quaternion(w: 0, x: 0, y: 1, z: 0)
    let k = Quaternion(w: 0, x: 0, y: 0, z: 1)
    // i·j = k, j·i = −k, i² = −1.
    #expect(i * j == k)
    #expect(j * i == Quaternion(w: 0, x: 0, y: 0, z: -1))
    #expect(i * i == Quaternion(w: -1, x: 0, y: 0, z: 0))
  }

  @Test func normNormalizeConjugate() {
    let q = Quaternion(w: 1, x: 2, y: 2, z: 4)
    #expect(q.norm == 5)
    #expect(abs(q.normalized().norm - 1) <= 1e-15)
    #expect(q.conjugate == Quaternion(w: 1, x: -2, y: -2, z: -4))
    // q·q̄ = |q|².
    #expect(q * q.conjugate == Quaternion(w: 25, x: 0, y: 0, z: 0))
  }

  @Test func productComposesRotations() {
    var rng = SplitMix64(seed: 1)
    let a = rng.rotation()
    let b = rng.rotation()
    let viaQuaternion = RotationMatrix(quaternion: a.quaternion * b.quaternion)
    #expect(viaQuaternion.isApproximatelyEqual(to: a * b, tolerance: rotationTolerance))
  }
}

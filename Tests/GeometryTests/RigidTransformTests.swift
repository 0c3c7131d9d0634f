import Geometry
import Testing

@Suite struct RigidTransformTests {
  @Test func appliesRotationThenTranslation() {
    // X_AB: B is turned 90° about z and its origin sits at (1, 2, 3) in A.
    let X_AB = RigidTransform(rotation: .aboutZ(.pi / 2), translation: SIMD3(1, 2, 3))
    let p_BQ = SIMD3<Double>(1, 0, 0)
    #expect(maxAbs(X_AB * p_BQ - SIMD3(1, 3, 3)) <= 1e-15)
  }

  @Test func compositionAndInverseFollowMonogramNotation() {
    var rng = SplitMix64(seed: 4)
    let X_AB = RigidTransform(rotation: rng.rotation(), translation: rng.vector())
    let X_BC = RigidTransform(rotation: rng.rotation(), translation: rng.vector())
    let p_CQ = rng.vector()
    let X_AC = X_AB * X_BC
    #expect(maxAbs(X_AC * p_CQ - X_AB * (X_BC * p_CQ)) <= rotationTolerance)
    #expect((X_AB * X_AB.inverse).isApproximatelyEqual(to: .identity, tolerance: rotationTolerance))
    #expect((X_AB.inverse * X_AB).isApproximatelyEqual(to: .identity, tolerance: rotationTolerance))
    #expect(X_AC.inverse.isApproximatelyEqual(to: X_BC.inverse * X_AB.inverse, tolerance: rotationTolerance))
  }

  @Test func fourByFourRoundTrip() throws {
    let X = RigidTransform(rotation: .aboutY(0.5), translation: SIMD3(4, 5, 6))
    let m = X.rowMajor4x4
    #expect(m.count == 16)
    #expect([m[3], m[7], m[11]] == [4, 5, 6])
    #expect(Array(m[12..<16]) == [0, 0, 0, 1])
    #expect(try RigidTransform(rowMajor4x4: m) == X)
  }

  @Test func fourByFourImportRejectsBadInput() {
    var m = RigidTransform.identity.rowMajor4x4
    m[14] = 0.5
    #expect(throws: GeometryError.invalidBottomRow([0, 0, 0.5, 1])) { try RigidTransform(rowMajor4x4: m) }
    #expect(throws: GeometryError.wrongElementCount(expected: 16, actual: 12)) {
      try RigidTransform(rowMajor4x4: Array(m[0..<12]))
    }
    var scaled = RigidTransform.identity.rowMajor4x4
    scaled[0] = 1.1
    #expect(throws: GeometryError.self) { try RigidTransform(rowMajor4x4: scaled) }
  }
}

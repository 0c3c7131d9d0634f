import Geometry
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct RotationMatrixTests {
  @Test func quarterTurnAboutZ() {
    // 90° about z maps x to y and y to −x.
    let r = RotationMatrix(axis: SIMD3(0, 0, 2), angle: .pi / 2)
    #expect(maxAbs(r * SIMD3(1, 0, 0) - SIMD3(0, 1, 0)) <= 1e-15)
    #expect(maxAbs(r * SIMD3(0, 1, 0) - SIMD3(-1, 0, 0)) <= 1e-15)
    #expect(r.isApproximatelyEqual(to: .aboutZ(.pi / 2), tolerance: 1e-15))
    // Its quaternion is (cos 45°, 0, 0, sin 45°).
    let q = r.quaternion
    #expect(abs(q.w - 0.5.squareRoot()) <= 1e-15 && abs(q.z - 0.5.squareRoot()) <= 1e-15)
  }

  @Test func randomRotationsAreOrthonormalAndRoundTrip() {
    var rng = SplitMix64(seed: 2)
    for _ in 0..<50 {
      let r = rng.rotation()
      #expect(r.orthonormalityDeviation <= rotationTolerance)
      #expect(abs(r.determinant - 1) <= rotationTolerance)
      #expect(RotationMatrix(quaternion: r.quaternion).isApproximatelyEqual(to: r, tolerance: rotationTolerance))
      #expect(r.quaternion.w >= 0)
      let (axis, angle) = r.axisAngle
      #expect(angle >= 0 && angle <= .pi)
      #expect(RotationMatrix(axis: axis, angle: angle).isApproximatelyEqual(to: r, tolerance: rotationTolerance))
      let rpy = r.rollPitchYaw
      #expect(abs(rpy.y) <= .pi / 2)
      #expect(RotationMatrix(roll: rpy.x, pitch: rpy.y, yaw: rpy.z).isApproximatelyEqual(to: r, tolerance: rotationTolerance))
      #expect((r * r.inverse).isApproximatelyEqual(to: .identity, tolerance: rotationTolerance))
    }
  }

  @Test func quaternionExtractionCoversEveryShepperdBranch() {
    // Half turns about x, y, z have trace −1, forcing the three non-trace branches.
    for axis in [SIMD3<Double>(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1), SIMD3(1, 1, 0)] {
      let r = RotationMatrix(axis: axis, angle: .pi)
      #expect(RotationMatrix(quaternion: r.quaternion).isApproximatelyEqual(to: r, tolerance: rotationTolerance))
    }
  }

  @Test func rollPitchYawConventionIsExtrinsicXYZ() {
    let (roll, pitch, yaw) = (0.3, -0.7, 2.1)
    let r = RotationMatrix(roll: roll, pitch: pitch, yaw: yaw)
    let expected = RotationMatrix.aboutZ(yaw) * .aboutY(pitch) * .aboutX(roll)
    #expect(r.isApproximatelyEqual(to: expected, tolerance: 1e-15))
    let rpy = r.rollPitchYaw
    #expect(maxAbs(rpy - SIMD3(roll, pitch, yaw)) <= rotationTolerance)
    // A pure yaw keeps the z axis.
    #expect(maxAbs(RotationMatrix(roll: 0, pitch: 0, yaw: 1) * SIMD3(0, 0, 1) - SIMD3(0, 0, 1)) <= 1e-15)
  }

  @Test func gimbalLockStillReconstructs() {
    let r = RotationMatrix(roll: 0.4, pitch: .pi / 2, yaw: 1.0)
    let rpy = r.rollPitchYaw
    #expect(rpy.x == 0)
    // Near the singularity the angles lose about half the digits; 1e-7 reflects that.
    #expect(RotationMatrix(roll: rpy.x, pitch: rpy.y, yaw: rpy.z).isApproximatelyEqual(to: r, tolerance: 1e-7))
  }

  @Test func compositionFollowsMonogramNotation() {
    var rng = SplitMix64(seed: 3)
    let R_AB = rng.rotation()
    let R_BC = rng.rotation()
    let v_C = rng.vector()
    let R_AC = R_AB * R_BC
    #expect(maxAbs(R_AC * v_C - R_AB * (R_BC * v_C)) <= rotationTolerance)
    #expect(R_AC.inverse.isApproximatelyEqual(to: R_BC.inverse * R_AB.inverse, tolerance: rotationTolerance))
  }

  @Test func identityHasZeroAxisAngle() {
    let (axis, angle) = RotationMatrix.identity.axisAngle
    #expect(angle == 0 && axis == SIMD3(1, 0, 0))
    #expect(RotationMatrix.identity.rollPitchYaw == .zero)
  }

  @Test func rowMajorImportChecksInput() throws {
    let r = RotationMatrix.aboutX(0.3)
    #expect(try RotationMatrix(rowMajor: r.rowMajor) == r)
    #expect(r.rowMajor[5] == -sin(0.3))  // row 1, column 2 of Rx is −sin θ
    #expect(throws: GeometryError.wrongElementCount(expected: 9, actual: 8)) {
      try RotationMatrix(rowMajor: [Double](repeating: 0, count: 8))
    }
    #expect(throws: GeometryError.notRightHanded(determinant: -1)) {
      try RotationMatrix(rowMajor: [-1, 0, 0, 0, 1, 0, 0, 0, 1])
    }
    #expect(throws: GeometryError.notOrthonormal(maxDeviation: 3)) {
      try RotationMatrix(rowMajor: [2, 0, 0, 0, 1, 0, 0, 0, 1])
    }
    #expect(throws: GeometryError.nonFinite(index: 4)) {
      try RotationMatrix(rowMajor: [1, 0, 0, 0, .nan, 0, 0, 0, 1])
    }
    #expect(GeometryError.notRightHanded(determinant: -1).description.contains("det R = -1"))
  }
}

import LinearAlgebra
import Geometry
import Multibody
import Testing

#if canImport(Glibc)
  import Glibc
#endif

private func nowSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

@Suite struct InverseKinematicsTests {
  let arm = OspreyArm.tree()

  /// Targets are FK of random configurations (so reachable), the search starts from the centre of
  /// the limits (not from the answer); success means 1e-6 m and 1e-6 rad.
  @Test func reachesRandomReachableTargets() throws {
    let tcp = try arm.frame(named: "tcp")
    var generator = SeededGenerator(seed: 42)
    var successes = 0, iterations = 0, starts = 0
    var worstPosition = 0.0, worstAngle = 0.0
    let t0 = nowSeconds()
    for _ in 0..<100 {
      let q = generator.configuration(arm.positionLimits)
      let target = try arm.pose(of: tcp, at: q)
      let result = try arm.inverseKinematics(frame: tcp, target: target)
      iterations += result.iterations
      starts += result.starts
      if result.success {
        successes += 1
        worstPosition = max(worstPosition, result.positionErrorMetres)
        worstAngle = max(worstAngle, result.orientationErrorRadians)
        // The reported residuals are those of the configuration returned, which is within limits.
        let reached = try arm.pose(of: tcp, at: result.q)
        let d = reached.translation - target.translation
        #expect((d * d).sum().squareRoot() <= 1e-6)
        #expect(zip(result.q, arm.positionLimits).allSatisfy { $1.contains($0) })
      }
    }
    let elapsed = nowSeconds() - t0
    print("IK: \(successes)/100 successes, \(iterations) iterations, \(starts) starts, \((elapsed * 10 * 100).rounded() / 100) ms per solve (debug build), worst \(worstPosition) m \(worstAngle) rad")
    #expect(successes >= 95)
  }

  @Test func reportsFailureOnAnUnreachableTarget() throws {
    let tcp = try arm.frame(named: "tcp")
    // 3 m from the base: the arm reaches at most about 1.06 m from its shoulder.
    let target = RigidTransform(translation: SIMD3(3, 0, 0.5))
    var options = InverseKinematicsOptions()
    options.maximumStarts = 5
    let result = try arm.inverseKinematics(frame: tcp, target: target, options: options)
    #expect(!result.success)
    #expect(result.starts == 5)
    #expect(result.positionErrorMetres > 1.5)
    #expect(zip(result.q, arm.positionLimits).allSatisfy { $1.contains($0) })
  }

  @Test func positionOnlyTargets() throws {
    let tcp = try arm.frame(named: "tcp")
    var options = InverseKinematicsOptions()
    options.constrainsOrientation = false
    let result = try arm.inverseKinematics(frame: tcp, target: RigidTransform(translation: SIMD3(0.5, 0.2, 0.3)), options: options)
    #expect(result.success && result.positionErrorMetres <= 1e-6 && result.orientationErrorRadians == 0)
  }

  @Test func badInputThrows() throws {
    let tcp = try arm.frame(named: "tcp")
    #expect(throws: MultibodyError(field: "initialGuess", message: "has 3 entries, expected 7")) {
      try arm.inverseKinematics(frame: tcp, target: .identity, initialGuess: [0, 0, 0])
    }
    #expect(throws: MultibodyError(field: "target", message: "entry 9 is nan, expected a finite number")) {
      try arm.inverseKinematics(frame: tcp, target: RigidTransform(translation: SIMD3(.nan, 0, 0)))
    }
    #expect(throws: MultibodyError.self) { try arm.inverseKinematics(frame: FrameIndex(99), target: .identity) }
  }
}

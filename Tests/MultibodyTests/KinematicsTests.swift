import Geometry
import LinearAlgebra
import Multibody
import Testing

extension SeededGenerator {
  /// A configuration uniform within `limits`, shrunk by `fraction` towards the centre.
  mutating func configuration(_ limits: [ClosedRange<Double>], fraction: Double = 1) -> [Double] {
    limits.map { r in
      let mid = (r.lowerBound + r.upperBound) / 2, half = (r.upperBound - r.lowerBound) / 2 * fraction
      return mid - half + 2 * half * nextUnit()
    }
  }
}

@Suite struct KinematicsTests {
  let arm = OspreyArm.tree()

  @Test func straightArmHasTheIiwa14Dimensions() throws {
    let fk = try arm.forwardKinematics(Array(repeating: 0, count: 7))
    // Exact decimal sums of the data sheet's lengths; 1e-12 covers rounding of the additions.
    #expect(abs(fk.pose(of: try arm.body(named: "iiwa_link_2")).translation.z - 0.36) < 1e-12)
    #expect(abs(fk.pose(of: try arm.body(named: "iiwa_link_4")).translation.z - 0.78) < 1e-12)
    #expect(abs(fk.pose(of: try arm.body(named: "iiwa_link_6")).translation.z - 1.18) < 1e-12)
    #expect(abs(fk.pose(of: try arm.frame(named: "flange")).translation.z - 1.306) < 1e-12)
    #expect(abs(fk.pose(of: try arm.frame(named: "tcp")).translation.z - 1.416) < 1e-12)
    #expect(arm.positionCount == 7)
    #expect(arm.coordinateNames == OspreyArm.jointNames)
  }

  @Test func revoluteJointRotatesAboutItsAxisThroughItsPoint() throws {
    var tree = MultibodyTree()
    let link = try tree.addBody(name: "link", parent: nil, X_PB: RigidTransform(translation: SIMD3(1, 0, 0)),
                                joint: Joint(name: "hinge", kind: .revolute, axis: SIMD3(0, 0, 2), position: SIMD3(-1, 0, 0)))
    let tip = try tree.addFrame(name: "tip", body: link, X_BF: .identity)
    let slider = try tree.addBody(name: "slider", parent: link, X_PB: .identity,
                                  joint: Joint(name: "slide", kind: .prismatic, axis: SIMD3(0, 1, 0), limits: 0...1))
    let end = try tree.addFrame(name: "end", body: slider, X_BF: .identity)
    // The hinge passes through the world origin: a quarter turn takes (1, 0, 0) to (0, 1, 0).
    let p = try tree.pose(of: tip, at: [Double.pi / 2, 0]).translation
    #expect(abs(p.x) < 1e-15 && abs(p.y - 1) < 1e-15)
    // The slider moves along the link's rotated y axis, which is now −x.
    let e = try tree.pose(of: end, at: [Double.pi / 2, 0.5]).translation
    #expect(abs(e.x + 0.5) < 1e-15 && abs(e.y - 1) < 1e-15)
  }

  /// The Jacobian against central differences of forward kinematics. Tolerance: the central
  /// difference's truncation error is O(h²) with h = 1e-6 (about 1e-12 here) plus rounding of about
  /// 1e-16 / h = 1e-10, so 1e-8 leaves a margin.
  @Test func jacobianMatchesFiniteDifferencesOfForwardKinematics() throws {
    var generator = SeededGenerator(seed: 7)
    let frames = try ["flange", "tcp", "wrist_camera"].map { try arm.frame(named: $0) }
    let h = 1e-6
    var worst = 0.0
    for _ in 0..<100 {
      let q = generator.configuration(arm.positionLimits)
      for frame in frames {
        let J = try arm.jacobian(of: frame, at: q)
        #expect(J.rowCount == 6 && J.columnCount == 7)
        for k in 0..<7 {
          var qp = q, qm = q
          qp[k] += h
          qm[k] -= h
          let Xp = try arm.pose(of: frame, at: qp), Xm = try arm.pose(of: frame, at: qm)
          let v = (Xp.translation - Xm.translation) / (2 * h)
          let (axis, angle) = (Xp.rotation * Xm.rotation.inverse).axisAngle
          let w = axis * (angle / (2 * h))
          for r in 0..<3 {
            worst = max(worst, abs(J[r, k] - v[r]), abs(J[r + 3, k] - w[r]))
          }
        }
      }
    }
    #expect(worst < 1e-8, "largest disagreement \(worst)")
  }

  @Test func badConfigurationsThrowNamingTheField() throws {
    let tcp = try arm.frame(named: "tcp")
    #expect(throws: MultibodyError(field: "q", message: "has 6 entries, expected 7")) {
      try arm.forwardKinematics(Array(repeating: 0, count: 6))
    }
    #expect(throws: MultibodyError(field: "q[3]", message: "is nan, expected a finite number")) {
      try arm.jacobian(of: tcp, at: [0, 0, 0, .nan, 0, 0, 0])
    }
    #expect(throws: MultibodyError(field: "name", message: "the tree has no frame named \"elbow\"")) {
      try arm.frame(named: "elbow")
    }
  }

  @Test func buildingRejectsBadBodies() throws {
    var tree = MultibodyTree()
    let a = try tree.addBody(name: "a", parent: nil, X_PB: .identity, joint: Joint(name: "j", kind: .revolute))
    #expect(throws: MultibodyError.self) { try tree.addBody(name: "a", parent: nil, X_PB: .identity, joint: Joint(name: "k", kind: .fixed)) }
    #expect(throws: MultibodyError.self) { try tree.addBody(name: "b", parent: a, X_PB: .identity, joint: Joint(name: "j", kind: .revolute)) }
    #expect(throws: MultibodyError.self) { try tree.addBody(name: "c", parent: a, X_PB: .identity, joint: Joint(name: "z", kind: .revolute, axis: .zero)) }
    #expect(throws: MultibodyError.self) { try tree.addBody(name: "d", parent: BodyIndex(5), X_PB: .identity, joint: Joint(name: "y", kind: .fixed)) }
    #expect(throws: MultibodyError.self) { try tree.addFrame(name: "f", body: BodyIndex(3), X_BF: .identity) }
  }
}

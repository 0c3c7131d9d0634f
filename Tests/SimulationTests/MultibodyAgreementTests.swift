import ConvexSets
import Geometry
import Multibody
import Simulation
import Testing

/// `Multibody`'s model of the arm against MuJoCo's kinematics of the workcell MJCF.
@Suite struct MultibodyAgreementTests {
  /// FK (bodies, the flange and tcp sites, the wrist camera) and the site Jacobians (`mj_jacSite`)
  /// at 100 random configurations within the limits. Tolerance 1e-9: both are double-precision
  /// products of 8–10 transforms of unit-size numbers (rounding ~1e-15); 1e-9 is the bar.
  @Test func forwardKinematicsAndJacobiansAgreeWithMuJoCo() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    let arm = OspreyWorld.armModel()
    let joints = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)) }
    let bodies = try (OspreyArm.links.map(\.name) + [OspreyArm.gripperName]).map { name in (try sim.body(name), try arm.body(named: name)) }
    let sites = try [OspreyArm.flangeFrame, OspreyArm.toolCentrePointFrame].map { name in (try sim.site(name), try arm.frame(named: name)) }
    let camera = try sim.camera(OspreyWorld.wristCamera), cameraFrame = try arm.frame(named: OspreyArm.wristCameraFrame)
    let nv = sim.velocityCount
    var worstPose = 0.0, worstJacobian = 0.0
    var generator = SeededGenerator(seed: 2024)
    func poseDifference(_ a: RigidTransform, _ b: RigidTransform) -> Double {
      var d = 0.0
      for i in 0..<3 {
        d = max(d, abs(a.translation[i] - b.translation[i]))
        for j in 0..<3 { d = max(d, abs(a.rotation[i, j] - b.rotation[i, j])) }
      }
      return d
    }
    for _ in 0..<100 {
      let q = arm.positionLimits.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * generator.nextUnit() }
      var qpos = sim.qpos
      for (k, joint) in joints.enumerated() { qpos[joint.positionAddress] = q[k] }
      sim.qpos = qpos
      try sim.forward()
      let fk = try arm.forwardKinematics(q)
      for (simBody, armBody) in bodies { worstPose = max(worstPose, poseDifference(sim.pose(of: simBody), fk.pose(of: armBody))) }
      for (site, frame) in sites {
        worstPose = max(worstPose, poseDifference(sim.pose(of: site), fk.pose(of: frame)))
        let (translational, rotational) = sim.jacobian(of: site)
        let J = try arm.jacobian(of: frame, at: q)
        for (k, joint) in joints.enumerated() {
          for r in 0..<3 {
            worstJacobian = max(worstJacobian, abs(translational[r * nv + joint.velocityAddress] - J[r, k]),
                                abs(rotational[r * nv + joint.velocityAddress] - J[r + 3, k]))
          }
        }
      }
      worstPose = max(worstPose, poseDifference(sim.cameraPose(of: camera), fk.pose(of: cameraFrame)))
    }
    print("Multibody vs MuJoCo over 100 configurations: poses \(worstPose), Jacobians \(worstJacobian)")
    #expect(worstPose < 1e-9)
    #expect(worstJacobian < 1e-9)
  }
}

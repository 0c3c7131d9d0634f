import Geometry
import Multibody
import Simulation
import Testing

@Suite struct DifferentialIKControllerTests {
  /// From home, the tool centre point goes 6 cm back, 15 cm to the side and 8 cm down while turning
  /// 20° about a tilted axis (targets further forward put the wrist into the shelf's top board:
  /// differential IK does not avoid collisions); after 3 s of simulated time the measured tcp (MuJoCo's site)
  /// must be within 5 mm and 2° of the target, and the joints must have stayed within their limits.
  @Test func movesTheGripperToATargetPose() throws {
    var worldOptions = OspreyWorld.Options()
    worldOptions.armActuation = .torque
    worldOptions.includeObject = false
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(worldOptions))
    try sim.resetToKeyframe("home")
    try sim.forward()
    let impedance = try JointImpedanceController(simulation: sim, joints: OspreyWorld.armJoints, actuators: OspreyWorld.armActuators,
                                                 stiffness: [800, 800, 500, 500, 250, 120, 60])
    var controller = try DifferentialIKController(simulation: sim, impedance: impedance)
    let tcp = try sim.site("tcp")
    let X_WStart = sim.pose(of: tcp)
    let turn = RotationMatrix(axis: SIMD3(0.3, 1, 0.2), angle: 20 * .pi / 180)
    controller.target = RigidTransform(rotation: turn * X_WStart.rotation, translation: X_WStart.translation + SIMD3(-0.06, -0.15, -0.08))
    let joints = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)) }
    let limits = OspreyWorld.armJointLimitsRadians
    var withinLimits = true
    let dt = sim.timestepSeconds
    for _ in 0..<1500 {  // 3 s
      try sim.step(1) { s in controller.update(s, dt: dt) }
      let qpos = sim.qpos
      for (k, j) in joints.enumerated() where abs(qpos[j.positionAddress]) > limits[k] { withinLimits = false }
    }
    try sim.forward()  // poses of the final state (after a step they belong to the state before it)
    let X_WT = sim.pose(of: tcp)
    let d = X_WT.translation - controller.target.translation
    let distance = (d * d).sum().squareRoot()
    let angle = (controller.target.rotation * X_WT.rotation.inverse).axisAngle.angle
    print("DifferentialIK after 3 s: \(distance * 1000) mm, \(angle * 180 / .pi)°")
    #expect(distance < 0.005)
    #expect(angle < 2 * .pi / 180)
    #expect(withinLimits)
    let model = controller.error(in: sim)
    #expect(abs(model.positionMetres - distance) < 1e-9)
  }

  @Test func rejectsAMismatchedModel() throws {
    var worldOptions = OspreyWorld.Options()
    worldOptions.armActuation = .torque
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(worldOptions))
    let impedance = try JointImpedanceController(simulation: sim, joints: Array(OspreyWorld.armJoints.prefix(6)),
                                                 actuators: Array(OspreyWorld.armActuators.prefix(6)), stiffness: Array(repeating: 100, count: 6))
    #expect(throws: SimulationError.self) { try DifferentialIKController(simulation: sim, impedance: impedance) }
  }
}

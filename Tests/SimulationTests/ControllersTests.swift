import Geometry
import Simulation
import Testing

private let torqueDriven: OspreyWorld.Options = {
  var options = OspreyWorld.Options()
  options.armActuation = .torque
  return options
}()

/// Stiffness of the arm's joints for these tests, N·m/rad (stiff enough to hold 0.15 kg at the
/// tool within a millirad).
private let armStiffness: [Double] = [800, 800, 500, 500, 250, 120, 60]

private func armController(_ sim: Simulation) throws -> JointImpedanceController {
  try JointImpedanceController(simulation: sim, joints: OspreyWorld.armJoints, actuators: OspreyWorld.armActuators,
                               stiffness: armStiffness)
}

/// Damped-least-squares inverse kinematics on a kinematic copy of the workcell (positions only,
/// no dynamics): arm angles that put the `tcp` site at `p_WT` with orientation `R_WT`.
///
/// ```
/// Δq = Jᵀ (J Jᵀ + λ² I)⁻¹ e,   e = [p_WT − p_WS; axis·angle of R_WT R_WSᵀ]
/// ```
private func inverseKinematics(_ kinematic: Simulation, from seed: [Double], p_WT: SIMD3<Double>, R_WT: RotationMatrix) throws -> [Double] {
  let tcp = try kinematic.site("tcp")
  let joints = try OspreyWorld.armJoints.map { kinematic.info(of: try kinematic.joint($0)) }
  var q = kinematic.qpos
  for (i, joint) in joints.enumerated() { q[joint.positionAddress] = seed[i] }
  let lambda = 0.01
  for _ in 0..<200 {
    kinematic.qpos = q
    try kinematic.forward()
    let X_WS = kinematic.pose(of: tcp)
    let dp = p_WT - X_WS.translation
    let (axis, angle) = (R_WT * X_WS.rotation.inverse).axisAngle
    let dr = axis * angle
    let error = [dp.x, dp.y, dp.z, dr.x, dr.y, dr.z]
    if error.map(abs).max()! < 1e-9 { break }
    let (jp, jr) = kinematic.jacobian(of: tcp)
    let nv = kinematic.velocityCount
    // J: 6 × 7 over the arm's dofs.
    let J: [[Double]] = (0..<6).map { row in
      joints.map { joint in row < 3 ? jp[row * nv + joint.velocityAddress] : jr[(row - 3) * nv + joint.velocityAddress] }
    }
    var A = (0..<6).map { i in (0..<6).map { j in zip(J[i], J[j]).reduce(0) { $0 + $1.0 * $1.1 } + (i == j ? lambda * lambda : 0) } }
    var y = error
    // Gaussian elimination with partial pivoting on the 6 × 6 system A y = e.
    for c in 0..<6 {
      let p = (c..<6).max { abs(A[$0][c]) < abs(A[$1][c]) }!
      A.swapAt(c, p); y.swapAt(c, p)
      for r in (c + 1)..<6 {
        let f = A[r][c] / A[c][c]
        for k in c..<6 { A[r][k] -= f * A[c][k] }
        y[r] -= f * y[c]
      }
    }
    for c in (0..<6).reversed() {
      y[c] = (y[c] - ((c + 1)..<6).reduce(0) { $0 + A[c][$1] * y[$1] }) / A[c][c]
    }
    for (i, joint) in joints.enumerated() {
      let step = (0..<6).reduce(0) { $0 + J[$1][i] * y[$1] }
      q[joint.positionAddress] += step
    }
  }
  kinematic.qpos = q
  try kinematic.forward()
  #expect(simd_distance(kinematic.pose(of: tcp).translation, p_WT) < 1e-6, "IK did not converge")
  return joints.map { q[$0.positionAddress] }
}

@Suite struct ControllersTests {
  @Test func impedanceControllerHoldsTheArmUnderGravity() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(torqueDriven))
    try sim.resetToKeyframe("home")
    let controller = try armController(sim)
    try sim.step(1000) { controller.apply(to: $0) }  // 2 s
    for (q, target) in zip(controller.positions(in: sim), OspreyWorld.homeConfiguration) {
      #expect(abs(q - target) < 1e-3)
    }
    #expect(sim.takeDiagnostics().isEmpty)
  }

  @Test func impedanceControllerTracksAStepInTheTarget() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(torqueDriven))
    try sim.resetToKeyframe("home")
    var controller = try armController(sim)
    controller.targetPositions[0] += 0.3
    controller.targetPositions[3] -= 0.2
    try sim.step(1500) { controller.apply(to: $0) }  // 3 s, critically damped per joint
    for (q, target) in zip(controller.positions(in: sim), controller.targetPositions) {
      #expect(abs(q - target) < 1e-3, "\(q) vs \(target)")
    }
    // Torques stayed within the data sheet's limits (the controller clamps to ctrlrange).
    let limits: [Double] = [320, 320, 176, 176, 110, 40, 40]
    for (tau, limit) in zip(sim.ctrl.prefix(7), limits) { #expect(abs(tau) <= limit) }
  }

  @Test func gripperGraspsLiftsAndReleasesTheBox() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(torqueDriven))
    try sim.resetToKeyframe("home")
    let kinematic = try Simulation(mjcf: OspreyWorld.mjcf(torqueDriven))
    try kinematic.resetToKeyframe("home")
    var controller = try armController(sim)
    let gripper = try ParallelGripper.ospreyWorld(sim)
    let object = try sim.body(OspreyWorld.objectBody)
    gripper.open(sim)
    try sim.step(500) { controller.apply(to: $0) }  // the box settles
    let box = sim.pose(of: object).translation
    #expect(gripper.graspedBody(sim) == nil)

    // Keep the home orientation (tool pointing down, fingers closing along world y).
    let R_WT = kinematic.pose(of: try kinematic.site("tcp")).rotation
    let above = try inverseKinematics(kinematic, from: OspreyWorld.homeConfiguration, p_WT: box + SIMD3(0, 0, 0.12), R_WT: R_WT)
    let atBox = try inverseKinematics(kinematic, from: above, p_WT: box + SIMD3(0, 0, 0.005), R_WT: R_WT)
    let lifted = try inverseKinematics(kinematic, from: atBox, p_WT: box + SIMD3(0, 0, 0.17), R_WT: R_WT)

    controller.targetPositions = above
    try sim.step(1000) { controller.apply(to: $0) }
    controller.targetPositions = atBox
    try sim.step(1000) { controller.apply(to: $0) }
    // Reaching down around it did not push the box away.
    #expect(simd_distance(sim.pose(of: object).translation, box) < 0.01)

    gripper.close(sim)
    try sim.step(500) { controller.apply(to: $0) }
    #expect(gripper.graspedBody(sim) == object)
    // Closed on the 6 cm box (pads 2 mm apart at zero opening), not on nothing; < 1 mm of contact
    // penetration with the stiff pad contacts.
    let tcpSite = try sim.site("tcp")
    #expect(abs(gripper.openingMetres(sim) - 0.058) < 0.001, "opening \(gripper.openingMetres(sim)), box \(sim.pose(of: object)), tcp \(sim.pose(of: tcpSite))")

    controller.targetPositions = lifted
    try sim.step(1500) { controller.apply(to: $0) }
    #expect(gripper.graspedBody(sim) == object)
    #expect(sim.pose(of: object).translation.z > box.z + 0.12)

    gripper.open(sim)
    try sim.step(1000) { controller.apply(to: $0) }
    #expect(gripper.graspedBody(sim) == nil)
    // Released, it fell back onto the table.
    #expect(abs(sim.pose(of: object).translation.z - box.z) < 0.01)
  }
}

import Geometry
import Simulation
import Testing

private let noObject: OspreyWorld.Options = {
  var options = OspreyWorld.Options()
  options.includeObject = false
  return options
}()

@Suite struct OspreyWorldTests {
  @Test func loadsWithTheArmsJointsLimitsAndNamedParts() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    for (name, limit) in zip(OspreyWorld.armJoints, OspreyWorld.armJointLimitsRadians) {
      let info = sim.info(of: try sim.joint(name))
      #expect(info.kind == .hinge)
      // Data-sheet limits in degrees, converted by MuJoCo's compiler (angle="degree").
      #expect(abs(info.range!.upperBound - limit) < 1e-12)
      #expect(abs(info.range!.lowerBound + limit) < 1e-12)
    }
    for name in OspreyWorld.fingerJoints {
      let info = sim.info(of: try sim.joint(name))
      #expect(info.kind == .slide && info.range == 0...0.055)
    }
    for site in ["flange", "tcp", "mug_rack_peg_tip", "shoe_rack_top", "shelf_middle_board"] { _ = try sim.site(site) }
    for body in ["table", "mug_rack", "shoe_rack", "shelf", "gripper", OspreyWorld.objectBody] { _ = try sim.body(body) }
    _ = try sim.camera(OspreyWorld.wristCamera)
    _ = try sim.camera(OspreyWorld.overviewCamera)
    #expect(sim.actuatorCount == 9)
  }

  @Test func straightArmHasTheIiwa14Dimensions() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(noObject))
    // All joints at zero: the arm stands straight up; base on the table top.
    try sim.forward()
    let base = OspreyWorld.tableTopHeightMetres
    let z = { (body: String) throws -> Double in sim.pose(of: try sim.body(body)).translation.z - base }
    // Data sheet: joint 2 at 0.36 m, joint 4 0.42 m higher, joint 6 0.40 m higher, flange 0.126 m
    // after joint 6 (1e-12: sums of decimal lengths).
    #expect(abs(try z("iiwa_link_2") - 0.36) < 1e-12)
    #expect(abs(try z("iiwa_link_4") - 0.78) < 1e-12)
    #expect(abs(try z("iiwa_link_6") - 1.18) < 1e-12)
    #expect(abs(sim.pose(of: try sim.site("flange")).translation.z - base - 1.306) < 1e-12)
  }

  @Test func armHoldsItsPoseUnderGravityCompensation() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    try sim.resetToKeyframe("home")
    sim.compensatedDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
    let flange = try sim.site("flange")
    let start = sim.pose(of: flange).translation
    try sim.step(1000)  // 2 s
    let q = sim.qpos
    for (i, target) in OspreyWorld.homeConfiguration.enumerated() {
      #expect(abs(q[i] - target) < 1e-4, "joint \(i + 1) drifted to \(q[i]) from \(target)")
    }
    // The flange stays within 0.1 mm.
    #expect(simd_distance(sim.pose(of: flange).translation, start) < 1e-4)
    #expect(sim.takeDiagnostics().isEmpty)
  }

  @Test func positionServosAloneSagUnderGravity() throws {
    // The reason for compensation: stiff servos alone leave a steady-state error of gravity / kp.
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    try sim.resetToKeyframe("home")
    try sim.step(1000)
    let sag = abs(sim.qpos[1] - OspreyWorld.homeConfiguration[1])
    #expect(sag > 1e-3)
  }

  @Test func droppedObjectComesToRestOnTheTable() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    try sim.resetToKeyframe("home")
    sim.compensatedDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
    let object = try sim.body(OspreyWorld.objectBody)
    #expect(sim.pose(of: object).translation.z > OspreyWorld.tableTopHeightMetres + 0.045)
    try sim.step(1000)  // 2 s: a 2 cm fall and settling
    let pose = sim.pose(of: object)
    // The 6 cm box rests with its centre 3 cm above the table top (soft contact: < 1 mm).
    #expect(abs(pose.translation.z - (OspreyWorld.tableTopHeightMetres + 0.03)) < 1e-3)
    let info = sim.info(of: try sim.joint("object_free"))
    let v = sim.qvel[info.velocityAddress..<info.velocityAddress + 6]
    #expect(v.allSatisfy { abs($0) < 1e-3 })
    let tableTop = try sim.geom("table_top"), box = try sim.geom("object")
    let support = sim.contacts.filter { Set([$0.geom1, $0.geom2]) == Set([tableTop, box]) }
    // Its weight, 0.15 kg × 9.81 m/s², is carried by the table (to 2 %).
    #expect(abs(support.reduce(0) { $0 + $1.normalForce } - 0.15 * 9.81) < 0.03)
  }
}

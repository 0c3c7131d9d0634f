import Foundation
import Geometry
import Simulation
import Testing

@Suite struct SimulationTests {
  @Test func loadsFromAStringAndReportsSizes() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    #expect(sim.positionCount == 8)  // free joint 7 + hinge 1
    #expect(sim.velocityCount == 7)
    #expect(sim.actuatorCount == 0)
    #expect(Simulation.mujocoVersion.hasPrefix("2.2"))
  }

  @Test func loadsInMemoryAssetsThroughTheVirtualFileSystem() throws {
    let main = """
      <mujoco>
        <include file="ball.xml"/>
      </mujoco>
      """
    let ball = "<mujoco><worldbody><body name=\"ball\" pos=\"0 0 1\"><freejoint/><geom type=\"sphere\" size=\"0.1\"/></body></worldbody></mujoco>"
    let sim = try Simulation(mjcf: main, assets: ["ball.xml": Array(ball.utf8)])
    #expect(sim.pose(of: try sim.body("ball")).translation.z == 1)
  }

  @Test func loadsFromAFile() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("osprey-sim-\(UUID().uuidString).xml").path
    try Fixtures.boxOnPlane.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sim = try Simulation(contentsOfFile: path)
    #expect(sim.name(of: try sim.body("box")) == "box")
  }

  @Test func missingFileThrowsNamingIt() {
    let path = "/nonexistent-osprey/model.xml"
    #expect {
      try Simulation(contentsOfFile: path)
    } throws: { error in
      guard let error = error as? SimulationError else { return false }
      return error.code == .loadFailed && error.context == path
    }
  }

  @Test func malformedXMLThrowsWithMuJoCosMessageAndLine() {
    #expect {
      try Simulation(mjcf: Fixtures.malformed)
    } throws: { error in
      guard let error = error as? SimulationError, error.code == .loadFailed else { return false }
      // MuJoCo's XML parser names the problem and the line, e.g. "XML parse error 14: … line 5".
      return error.message.contains("XML") && error.message.lowercased().contains("line")
    }
  }

  @Test func compilerErrorNamesTheElementAndLine() {
    #expect {
      try Simulation(mjcf: Fixtures.badAttribute)
    } throws: { error in
      guard let error = error as? SimulationError, error.code == .loadFailed else { return false }
      return error.message.contains("dodecahedron") && error.message.contains("line 3")
    }
  }

  @Test func fatalEngineErrorThrowsInsteadOfExiting() throws {
    let sim = try Simulation(mjcf: Fixtures.smallStack)
    var qpos = sim.qpos
    for ball in 0..<12 {  // pile all spheres into one spot
      qpos[7 * ball] = 0
      qpos[7 * ball + 1] = 0
      qpos[7 * ball + 2] = 0.05 * Double(ball)
    }
    sim.qpos = qpos
    // Without the shim's handler MuJoCo would call exit() here.
    #expect {
      try sim.step()
    } throws: { error in
      guard let error = error as? SimulationError else { return false }
      return error.code == .engineError && error.context == "mj_step" && error.message.contains("Stack overflow")
    }
    // The simulation stays usable after a reset.
    try sim.reset()
    try sim.step(10)
    #expect(abs(sim.timeSeconds - 0.02) < 1e-12)
  }

  @Test func unknownNameThrowsNamingIt() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    #expect {
      try sim.body("mug")
    } throws: { error in
      guard let error = error as? SimulationError else { return false }
      return error.code == .unknownName && error.message.contains("\"mug\"")
    }
  }

  @Test func nanInTheStateBecomesADiagnosticNotACrash() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    var qpos = sim.qpos
    qpos[0] = .nan
    sim.qpos = qpos
    try sim.step()
    let diagnostics = sim.takeDiagnostics()
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.kind == .badPosition)
    #expect(diagnostics.first?.info == 0)
    // MuJoCo's own text, captured by the warning handler.
    #expect(diagnostics.first?.message.contains("QPOS") == true)
    // MuJoCo reset the state; the simulation carries on.
    #expect(sim.qpos.allSatisfy { $0.isFinite })
    try sim.step(10)
    #expect(sim.takeDiagnostics().isEmpty)
  }

  @Test func stateRoundTripsAndStepsAreDeterministic() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    var qvel = sim.qvel
    qvel[6] = 1.5  // swing the pendulum
    sim.qvel = qvel
    let start = sim.state
    try sim.step(100)
    let after = sim.state
    #expect(abs(after.timeSeconds - 0.2) < 1e-12)
    sim.state = start
    try sim.forward()
    try sim.step(100)
    #expect(sim.state == after)  // same inputs, same floating-point results
  }

  @Test func boxComesToRestOnThePlaneWithItsWeightInTheContacts() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    try sim.step(1000)  // 2 s
    let box = try sim.body("box")
    let pose = sim.pose(of: box)
    // Resting height is the half size; MuJoCo's soft contacts allow a sub-millimetre penetration.
    #expect(abs(pose.translation.z - 0.05) < 1e-3)
    #expect(sim.qvel[0..<6].allSatisfy { abs($0) < 1e-3 })
    let boxGeom = try sim.geom("box"), ground = try sim.geom("ground")
    let contacts = sim.contacts.filter { Set([$0.geom1, $0.geom2]) == Set([boxGeom, ground]) }
    #expect(!contacts.isEmpty)
    // The normal forces carry the 1 kg box's weight (9.81 N) to 1 %.
    let total = contacts.reduce(0) { $0 + $1.normalForce }
    #expect(abs(total - 9.81) < 0.1)
    for contact in contacts {
      #expect(abs(abs(contact.normal.z) - 1) < 1e-9)
      #expect(abs(contact.position.z) < 2e-3)
      #expect(contact.distance <= 1e-3)
    }
  }

  @Test func jointInfoSitesAndRays() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    let hinge = sim.info(of: try sim.joint("hinge"))
    #expect(hinge.kind == .hinge)
    #expect(hinge.positionAddress == 7)
    #expect(hinge.velocityAddress == 6)
    #expect(abs(hinge.range!.upperBound - .pi / 2) < 1e-12)  // 90° in the XML
    #expect(sim.info(of: try sim.joint("box_free")).kind == .free)
    let tip = sim.pose(of: try sim.site("tip"))
    #expect(simd_distance(tip.translation, SIMD3(1, 0, 0.5)) < 1e-12)
    // A ray straight down from above the box hits its top face at z = 0.3 + 0.05.
    let hit = try #require(sim.castRay(from: SIMD3(0, 0, 1), direction: SIMD3(0, 0, -2)))
    #expect(hit.geom == (try sim.geom("box")))
    #expect(abs(hit.distance - 0.65) < 1e-9)
    #expect(sim.castRay(from: SIMD3(0, 0, 1), direction: SIMD3(0, 0, 1)) == nil)
  }

  @Test func cameraPoseFollowsTheOpenCVConvention() throws {
    let sim = try Simulation(mjcf: Fixtures.boxOnPlane)
    // The camera "above" has MuJoCo axes x = world x, y = world y, so it looks down (−z).
    let X_WC = sim.cameraPose(of: try sim.camera("above"))
    #expect(simd_distance(X_WC.rotation.column(0), SIMD3(1, 0, 0)) < 1e-12)  // x right
    #expect(simd_distance(X_WC.rotation.column(1), SIMD3(0, -1, 0)) < 1e-12)  // y down the image
    #expect(simd_distance(X_WC.rotation.column(2), SIMD3(0, 0, -1)) < 1e-12)  // z forward = down
    #expect(simd_distance(X_WC.translation, SIMD3(0, 0, 2)) < 1e-12)
  }
}

func simd_distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
  let d = a - b
  return (d * d).sum().squareRoot()
}

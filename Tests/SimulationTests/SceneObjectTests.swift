import Foundation
import Geometry
import Objects
import Simulation
import Testing

/// The workcell (arm at home, gravity-compensated) with `instance` dropped upright on the table
/// (placement from `seed`).
func workcell(with instance: ObjectInstance, seed: UInt64) throws -> (Simulation, SceneObject) {
  var options = OspreyWorld.Options()
  options.includeObject = false
  let object = SceneObject.onTable(instance, seed: seed)
  options.object = object
  let sim = try Simulation(mjcf: OspreyWorld.mjcf(options))
  try sim.resetToKeyframe("home")
  sim.compensatedDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
  return (sim, object)
}

/// The angle between the object's z axis and the world's, in degrees.
func tiltDegrees(_ X_WO: RigidTransform) -> Double {
  acos(max(-1, min(1, X_WO.rotation.column(2).z))) * 180 / .pi
}

/// Linear speed of the free object (its free joint's first three velocities, world frame), m/s.
func objectSpeed(_ sim: Simulation) throws -> Double {
  let info = sim.info(of: try sim.joint("object_free"))
  let v = sim.qvel[info.velocityAddress..<(info.velocityAddress + 3)]
  return v.reduce(0) { $0 + $1 * $1 }.squareRoot()
}

@Suite struct SceneObjectTests {
  /// The "stable on the table": every instance (10 seeds per category) dropped upright from
  /// 2 mm comes to rest within 2 s of simulated time — speed < 1 mm/s, tilt < 5°, its lowest point
  /// within 5 mm of the table top (MuJoCo's soft contacts sink a little) and inside the table.
  @Test(arguments: ObjectCategory.allCases)
  func everyInstanceIsStableOnTheTable(_ category: ObjectCategory) throws {
    var worstSpeed = 0.0, worstTilt = 0.0, worstSink = 0.0
    for seed in UInt64(1)...10 {
      let instance = category == .mug ? ObjectInstance.mug(seed: seed) : ObjectInstance.shoe(seed: seed)
      let (sim, _) = try workcell(with: instance, seed: seed)
      try sim.step(1000)
      let X_WO = try sim.objectPose()
      let speed = try objectSpeed(sim)
      let tilt = tiltDegrees(X_WO)
      let lowest = instance.mesh.vertices.map { (X_WO * $0).z }.min()! - OspreyWorld.tableTopHeightMetres
      worstSpeed = max(worstSpeed, speed)
      worstTilt = max(worstTilt, tilt)
      worstSink = max(worstSink, abs(lowest))
      #expect(speed < 1e-3, "\(instance.name): speed \(speed) m/s after 2 s")
      #expect(tilt < 5, "\(instance.name): tilt \(tilt)°")
      #expect(abs(lowest) < 5e-3, "\(instance.name): lowest point \(lowest) m from the table top")
      #expect(abs(X_WO.translation.x - 0.4) < 0.65 && abs(X_WO.translation.y) < 0.6, "\(instance.name): off the table at \(X_WO.translation)")
      #expect(sim.takeDiagnostics().isEmpty)
    }
    print("stability \(category): worst speed \(worstSpeed * 1000) mm/s, tilt \(worstTilt)°, |lowest − table| \(worstSink * 1000) mm")
  }

  /// Keypoints move with the object: MuJoCo's pose of body `object` times the object-frame keypoints
  /// equals the keypoints transformed by the pose we set — after moving and turning the object by hand
  /// (qpos) and after it settles. Tolerance 1e-9 m: only rounding between our pose and MuJoCo's.
  @Test func keypointsMoveWithTheObject() throws {
    let instance = ObjectInstance.mug(seed: 3)
    let (sim, object) = try workcell(with: instance, seed: 3)
    try sim.forward()
    let start = try sim.objectPose()
    #expect(start.isApproximatelyEqual(to: object.X_WO, tolerance: 1e-12))
    // Move and turn it: 10 cm along y, 30° about a tilted axis.
    let info = sim.info(of: try sim.joint("object_free"))
    let X_WMoved = RigidTransform(rotation: RotationMatrix(axis: SIMD3(0.3, -0.2, 1) / (0.09 + 0.04 + 1).squareRoot(), angle: .pi / 6),
                                  translation: start.translation + SIMD3(0, 0.1, 0.05))
    var qpos = sim.qpos
    let q = X_WMoved.rotation.quaternion
    qpos.replaceSubrange(info.positionAddress..<(info.positionAddress + 7),
                         with: [X_WMoved.translation.x, X_WMoved.translation.y, X_WMoved.translation.z, q.w, q.x, q.y, q.z])
    sim.qpos = qpos
    try sim.forward()
    let X_WO = try sim.objectPose()
    for (name, p_W) in object.worldKeypoints(at: X_WO) {
      let p_O = try #require(instance.keypoint(name))
      let expected = X_WMoved * p_O
      #expect(((p_W - expected) * (p_W - expected)).sum().squareRoot() < 1e-9, "\(name)")
    }
    // Mug keypoints keep their meaning in the world: top centre above bottom centre by the height
    // along the object's z axis.
    let keypoints = Dictionary(uniqueKeysWithValues: object.worldKeypoints(at: X_WO).map { ($0.name, $0.position) })
    let axis = try #require(keypoints["top_center"]) - (try #require(keypoints["bottom_center"]))
    let height = try #require(instance.parameter("height"))
    #expect(abs((axis * X_WO.rotation.column(2)).sum() - height) < 1e-9)

    // Let it fall back and settle: keypoints follow MuJoCo's settled pose.
    try sim.step(1000)
    let settled = try sim.objectPose()
    #expect(!settled.isApproximatelyEqual(to: X_WMoved, tolerance: 1e-3))
    for (name, p_W) in object.worldKeypoints(at: settled) {
      let expected = settled.translation + settled.rotation * (try #require(instance.keypoint(name)))
      #expect(((p_W - expected) * (p_W - expected)).sum().squareRoot() < 1e-12)
    }
    // The settled bottom centre lies on the table (soft contact: within 5 mm).
    let bottom = try #require(keypoints.keys.contains("bottom_center") ? object.worldKeypoints(at: settled).first { $0.name == "bottom_center" }?.position : nil)
    #expect(abs(bottom.z - OspreyWorld.tableTopHeightMetres) < 5e-3)
  }
}

@Suite struct GlazedAppearanceTests {
  /// Pearson correlation of two equally long series.
  func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) { sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb) }
    return sab / (saa * sbb).squareRoot()
  }

  /// The texture lands where the glaze says: every seen pixel of a glazed mug, taken back to the mug's
  /// frame through its depth, has the chromaticity of the glaze at that point (per-channel correlation
  /// > 0.6; measured 0.88), while another instance's glaze explains nothing (< 0.3; measured −0.04).
  /// The same texture upside down (bands swapped, t → 1 − t) measured 0.18 and fails. The geometry is
  /// the plain mug's: depth and mask agree pixel for pixel.
  @Test func renderedColoursFollowTheGlaze() throws {
    let instance = ObjectInstance.mug(seed: 5)
    let glazed = try CollectedScene.render(instance, worldSeed: 5, width: 320, height: 240, appearance: .glazed)
    let plain = try CollectedScene.render(instance, worldSeed: 5, width: 320, height: 240)
    let view = try #require(glazed.views.first), plainView = try #require(plain.views.first)
    #expect(view.depthMillimetres == plainView.depthMillimetres)
    #expect(view.mask == plainView.mask)
    #expect(view.rgb != plainView.rgb)
    let X_OC = glazed.X_WO.inverse * view.X_WC
    func srgb(_ x: Double) -> Double { x <= 0.0031308 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055 }
    var rendered = [[Double]](repeating: [], count: 3), expected = rendered, other = rendered
    let wrong = Glaze(seed: 6)
    for v in 0..<240 {
      for u in 0..<320 where view.mask[u, v] == 255 {
        let z = Double(view.depthMillimetres[u, v]) / 1000
        guard z > 0 else { continue }
        let p_O = X_OC * glazed.intrinsics.backProject(u: Double(u), v: Double(v), depth: z)
        let want = Glaze(seed: 5).colour(at: p_O), notWanted = wrong.colour(at: p_O)
        // Chromaticity (each channel's share of the sum): shading scales the three channels alike.
        let seen = SIMD3(Double(view.rgb[u, v, 0]), Double(view.rgb[u, v, 1]), Double(view.rgb[u, v, 2])) + 1
        let a = SIMD3(srgb(want.x), srgb(want.y), srgb(want.z)) + 1.0 / 255
        let b = SIMD3(srgb(notWanted.x), srgb(notWanted.y), srgb(notWanted.z)) + 1.0 / 255
        for c in 0..<3 {
          rendered[c].append(seen[c] / seen.sum())
          expected[c].append(a[c] / a.sum())
          other[c].append(b[c] / b.sum())
        }
      }
    }
    #expect(rendered[0].count > 1000)
    // Per channel, so that the glaze's mean colour alone (its base) cannot correlate.
    let right = (0..<3).map { correlation(rendered[$0], expected[$0]) }.reduce(0, +) / 3
    let wrongOne = (0..<3).map { correlation(rendered[$0], other[$0]) }.reduce(0, +) / 3
    print("glazed mug: rendered vs glaze correlation \(right), vs another glaze \(wrongOne), \(rendered[0].count) pixels")
    #expect(right > 0.6)
    #expect(wrongOne < 0.3)
    #expect(glazed.sceneJSON().contains("\"appearance\": \"glazed\""))
    #expect(plain.sceneJSON().contains("\"appearance\": \"plain\""))
  }

  /// A glazed object's model names its texture, which only `assets()` supplies: loaded without it,
  /// MuJoCo refuses the model; `Simulation(world:)` passes it.
  @Test func glazedModelsCarryTheirTexture() throws {
    var object = SceneObject.onTable(.mug(seed: 1), seed: 1)
    #expect(try object.assets().isEmpty)
    object.appearance = .glazed
    let assets = try object.assets()
    #expect(assets.keys.sorted() == ["object_glaze.png"])
    var options = OspreyWorld.Options()
    options.object = object
    #expect(throws: SimulationError.self) { try Simulation(mjcf: OspreyWorld.mjcf(options)) }  // the texture file is missing
    let sim = try Simulation(world: options)
    #expect(sim.takeDiagnostics().isEmpty)
  }
}

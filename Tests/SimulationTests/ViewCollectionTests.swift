import Foundation
import Geometry
import Imaging
import Multibody
import Objects
import Simulation
import Testing

/// Distances from back-projected object pixels to the object's surface: up to `samples` pixels of
/// `mask` with depth, evenly strided, back-projected with the frame's intrinsics and `X_WC`, each
/// measured to `mesh_W` (the mesh in world coordinates) by a closest-point query.
func surfaceDistances(depthMetres: (Int) -> Double, mask: (Int) -> Bool, intrinsics K: CameraIntrinsics,
                      X_WC: RigidTransform, mesh_W: TriangleMesh, samples: Int = 200) -> [Double] {
  let pixels = (0..<(K.width * K.height)).filter { mask($0) && depthMetres($0) > 0 }
  guard !pixels.isEmpty else { return [] }
  let stride = max(1, pixels.count / samples)
  return Swift.stride(from: 0, to: pixels.count, by: stride).map { k -> Double in
    let i = pixels[k]
    let p_C = K.backProject(u: Double(i % K.width), v: Double(i / K.width), depth: depthMetres(i))
    return mesh_W.closestPoint(to: X_WC * p_C)!.distance
  }
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

// GL contexts are bound to threads: every test that renders is serialized.
@Suite(.serialized) struct ViewCollectionTests {
  /// Rendered depth back-projects onto the known object surface: median distance of back-projected
  /// object pixels (segmentation = body `object`) to the instance's mesh at MuJoCo's pose < 2 mm
  /// without noise (the bar), for a mug and a shoe, from `object_view` at 320×240, with the
  /// float depth. The 90th percentile is held to 3 mm (edge pixels mix surfaces).
  @Test(arguments: [ObjectCategory.mug, .shoe])
  func renderedDepthBackProjectsOntoTheObjectSurface(_ category: ObjectCategory) throws {
    let instance = category == .mug ? ObjectInstance.mug(seed: 5) : ObjectInstance.shoe(seed: 5)
    let (sim, _) = try workcell(with: instance, seed: 5)
    try sim.step(1000)
    let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.objectCamera),
                                         options: RendererOptions(width: 320, height: 240))
    let frame = try renderer.render(.all)
    let objectBody = Int32(try sim.body(OspreyWorld.objectBody).index)
    let bodies = sim.bodySegmentation(frame, root: true)
    let objectPixels = bodies.filter { $0 == objectBody }.count
    #expect(objectPixels > 1000, "the object covers \(objectPixels) pixels")
    let mesh_W = instance.mesh.transformed(by: try sim.objectPose())
    let distances = surfaceDistances(depthMetres: { Double(frame.depthMetres[$0]) }, mask: { bodies[$0] == objectBody },
                                     intrinsics: frame.intrinsics, X_WC: frame.X_WC, mesh_W: mesh_W, samples: 300)
    let sorted = distances.sorted()
    let p90 = sorted[sorted.count * 9 / 10]
    print("back-projection \(category): median \(median(distances) * 1000) mm, p90 \(p90 * 1000) mm over \(distances.count) pixels (\(objectPixels) on the object)")
    #expect(median(distances) < 2e-3)
    #expect(p90 < 3e-3)
  }

  /// The orbit: 3 views at 160×120 of a mug; every view sees the object (non-empty mask) from 0.35–0.6
  /// m, the camera looking at the object's centre; depth in millimetres back-projects within 2 mm
  /// (median) of the surface; the object does not move while the arm moves around it; the folder
  /// has every file and cameras.json has the contract's keys.
  @Test func orbitRecordsViewsOfTheObjectAndWritesTheSceneFolder() throws {
    var options = CollectionOptions()
    options.views = 3
    options.width = 160
    options.height = 120
    let collector = try OrbitCollector(options: options)
    let instance = ObjectInstance.mug(seed: 11)
    var progressCalls = 0
    let scene = try collector.collect(instance, worldSeed: 11) { done, total in
      progressCalls += 1
      #expect(done == progressCalls && total == 3)
    }
    #expect(scene.views.count == 3 && progressCalls == 3)
    // Physical motion: the object stays put (the 5 mm; measured well under 0.1 mm) and untouched.
    let report = try #require(scene.report)
    #expect(report.motion == .physical && report.status == .succeeded && !report.armTouchedObject)
    #expect(report.objectDisplacementMetres < 0.005, "object displaced \(report.objectDisplacementMetres) m")
    #expect(scene.objectMotionMetres < 1e-4, "object moved \(scene.objectMotionMetres) m")
    print("orbit: tour \(report.tour.jointLengthRadians) rad, \(report.simulatedSeconds) s simulated, \(report.tour.retreatCount) retreats, \(report.tour.dropped.count) dropped, object \(report.objectDisplacementMetres * 1000) mm")
    let centre = scene.X_WO * scene.object.boundingBoxCentre
    let mesh_W = instance.mesh.transformed(by: scene.X_WO)
    for (i, view) in scene.views.enumerated() {
      let offset = centre - view.X_WC.translation
      let distance = (offset * offset).sum().squareRoot()
      #expect(distance > 0.34 && distance < 0.61, "view \(i): \(distance) m from the object")
      let cosine = (offset * view.X_WC.rotation.column(2)).sum() / distance
      #expect(cosine > 0.999, "view \(i): optical axis off the centre by \(acos(min(1, cosine)) * 180 / .pi)°")
      // Upright: the image's x axis horizontal (within 1°: the recorded pose is where the simulated
      // arm is, a few mrad off its target; a rolled view is 90° off), its y axis pointing down.
      let x = view.X_WC.rotation.column(0), y = view.X_WC.rotation.column(1)
      #expect(abs(x.z) < 0.0175 && y.z < -0.2, "view \(i): camera rolled (x axis z \(x.z), y axis z \(y.z))")
      let onMask = view.mask.pixels.filter { $0 != 0 }.count
      #expect(onMask > 100, "view \(i): \(onMask) mask pixels")
      let distances = surfaceDistances(depthMetres: { Double(view.depthMillimetres.pixels[$0]) / 1000 }, mask: { view.mask.pixels[$0] != 0 },
                                       intrinsics: scene.intrinsics, X_WC: view.X_WC, mesh_W: mesh_W, samples: 100)
      #expect(median(distances) < 2e-3, "view \(i): median \(median(distances)) m")
    }
    // The folder: written atomically, every file present, cameras.json parses with the contract's keys.
    let root = NSTemporaryDirectory() + "osprey-collect-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/scene-000000"
    try scene.write(toFolder: folder, layout: .sequence)
    for path in ["cameras.json", "scene.json", "object.obj", "object.json", "rgb/000002.png", "depth/000002.png", "mask/000002.png"] {
      #expect(FileManager.default.fileExists(atPath: folder + "/" + path), "\(path)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["scene-000000"])
    let cameras = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/cameras.json"))) as? [String: Any])
    #expect(cameras["format"] as? String == "osprey.cameras" && cameras["version"] as? Int == 1)
    let intrinsics = try #require(cameras["intrinsics"] as? [String: Any])
    #expect(Set(intrinsics.keys) == ["width", "height", "fx", "fy", "cx", "cy"])
    let frames = try #require(cameras["frames"] as? [[String: Any]])
    #expect(frames.count == 3 && frames.allSatisfy { ($0["X_WC"] as? [Double])?.count == 16 })
    #expect(frames[1]["rgb"] as? String == "rgb/000001.png")
    let sceneJSON = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/scene.json"))) as? [String: Any])
    let collection = try #require(sceneJSON["collection"] as? [String: Any])
    #expect(collection["status"] as? String == "succeeded" && collection["motion"] as? String == "physical")
    #expect((collection["tour_joint_length_rad"] as? Double ?? 0) > 0 && (collection["simulated_seconds"] as? Double ?? 0) > 0)
    #expect((collection["object_displacement"] as? Double ?? 1) < 0.005 && collection["arm_touched_object"] as? Bool == false)
    #expect(collection["dropped_viewpoints"] is [Any])
    // Writing again replaces the folder; a failed write (missing parent) leaves nothing behind.
    try scene.write(toFolder: folder, layout: .sequence)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["scene-000000"])
    #expect(throws: SimulationError.self) { try scene.write(toFolder: root + "/missing/scene", layout: .sequence) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["scene-000000"])
  }

  /// The physically simulated tour never passes through collision: every sampled configuration of
  /// the simulated arm (every 10 steps, 20 ms) is free for a MuJoCo checker with margin 0 against
  /// the settled object (the plan keeps 1 cm, so a few millimetres of tracking error stay free);
  /// every planned segment is free with the plan's 1 cm margin at 0.02 rad; the arm reaches each
  /// viewpoint within 5 mrad per joint and the recorded camera pose is the simulated one (the
  /// model's forward kinematics at the simulated joints, 1e-9 m). The kinematic mode visits the
  /// same tour's viewpoints exactly.
  @Test func physicalTourStaysCollisionFreeAndReachesTheViewpoints() throws {
    var options = CollectionOptions()
    options.views = 4
    options.width = 64
    options.height = 48
    let instance = ObjectInstance.shoe(seed: 4)
    let scene = try OrbitCollector(options: options).collect(instance, worldSeed: 4)
    let report = try #require(scene.report)
    #expect(report.status == .succeeded, "\(report.statusMessage)")
    #expect(report.objectDisplacementMetres < 0.005)
    #expect(report.armTrajectory.count > 10)

    var worldOptions = OspreyWorld.Options()
    worldOptions.includeObject = false
    worldOptions.object = scene.object
    let mjcf = OspreyWorld.mjcf(worldOptions)
    let sim = try Simulation(mjcf: mjcf)
    try sim.resetToKeyframe("home")
    let free = sim.info(of: try sim.joint("object_free"))
    var qpos = sim.qpos
    let rotation = scene.X_WO.rotation.quaternion
    qpos.replaceSubrange(free.positionAddress..<(free.positionAddress + 7),
                         with: [scene.X_WO.translation.x, scene.X_WO.translation.y, scene.X_WO.translation.z, rotation.w, rotation.x, rotation.y, rotation.z])
    let touching = try MuJoCoCollisionChecker(mjcf: mjcf, qpos: qpos)
    var planOptions = MuJoCoCollisionChecker.Options()
    planOptions.safetyMarginMetres = options.safetyMarginMetres
    let planChecker = try MuJoCoCollisionChecker(mjcf: mjcf, qpos: qpos, options: planOptions)
    for (k, q) in report.armTrajectory.enumerated() {
      #expect(touching.isFree(q), "sample \(k) (t = \(Double(k + 1) * report.trajectorySampleSeconds) s) collides")
    }
    var previous = report.tour.start
    for (k, q) in report.tour.waypoints.enumerated() {
      #expect(planChecker.isSegmentFree(from: previous, to: q, resolution: options.pathResolutionRadians), "segment \(k)")
      previous = q
    }
    let planned = zip(report.tour.waypoints, report.tour.isView).filter(\.1).map(\.0)
    let arm = OspreyWorld.armModel()
    let cameraFrame = try arm.frame(named: OspreyArm.wristCameraFrame)
    for (view, q) in zip(scene.views, planned) {
      let error = zip(view.q, q).map { abs($0 - $1) }.max()!
      #expect(error < 5e-3, "tracking error \(error) rad at the render")
      let X_WC = try arm.pose(of: cameraFrame, at: view.q)
      #expect(X_WC.isApproximatelyEqual(to: view.X_WC, tolerance: 1e-9))
    }

    options.motion = .kinematic
    let kinematic = try OrbitCollector(options: options).collect(instance, worldSeed: 4)
    let kinematicReport = try #require(kinematic.report)
    #expect(kinematicReport.tour.waypoints == report.tour.waypoints)
    for (view, q) in zip(kinematic.views, planned) {
      #expect(zip(view.q, q).allSatisfy { abs($0 - $1) < 1e-3 })
    }
    print("physical: tour \(report.tour.jointLengthRadians) rad over \(report.tour.waypoints.count) waypoints (\(report.tour.retreatCount) retreats, \(report.tour.dropped.count) dropped), \(report.simulatedSeconds) s simulated, object \(report.objectDisplacementMetres * 1000) mm; kinematic \(kinematicReport.simulatedSeconds) s")
  }

  /// Too many views for the reachable sphere part fails with `.collectionFailed`, not a crash.
  @Test func tooFewReachableViewpointsIsAStatus() throws {
    var options = CollectionOptions()
    options.views = 2
    options.width = 32
    options.height = 24
    options.radiusMetres = 1.6...1.7  // out of the arm's reach
    options.candidatesPerView = 2
    let collector = try OrbitCollector(options: options)
    #expect {
      try collector.collect(ObjectInstance.mug(seed: 1), worldSeed: 1)
    } throws: { error in
      (error as? SimulationError)?.code == .collectionFailed
    }
  }
}

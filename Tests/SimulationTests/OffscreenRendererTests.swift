import Foundation
import Geometry
import Imaging
import Simulation
import Testing

/// The workcell at its home keyframe with the object settled on the table.
private func settledWorkcell() throws -> Simulation {
  let sim = try Simulation(mjcf: OspreyWorld.mjcf())
  try sim.resetToKeyframe("home")
  sim.compensatedDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
  try sim.step(500)
  return sim
}

/// The ray through pixel (u, v) in world coordinates, from the frame's camera model.
private func worldRay(_ frame: RenderedFrame, u: Int, v: Int) -> (origin: SIMD3<Double>, direction: SIMD3<Double>) {
  let d_C = frame.intrinsics.ray(u: Double(u), v: Double(v))
  return (frame.X_WC.translation, frame.X_WC.rotation * d_C)
}

// GL contexts are bound to threads: every test that renders is in this serialized suite.
@Suite(.serialized) struct OffscreenRendererTests {
  // Tolerance: 2 mm, the brief's bound; the 24-bit z-buffer with near = 0.02 m resolves about
  // 0.01 mm at 2 m, so the bound checks the geometry (intrinsics, pose, linearisation), not noise.
  static let depthToleranceMetres = 2e-3

  /// The renderer's depth-noise option: the `.none` model gives the clean depth bit for bit; the
  /// default model changes valid pixels, drops some, and repeats with a new renderer (same seed).
  @Test func depthNoiseOption() throws {
    let sim = try settledWorkcell()
    let camera = try sim.camera(OspreyWorld.overviewCamera)
    let clean = try OffscreenRenderer(simulation: sim, camera: camera, options: RendererOptions(width: 160, height: 120)).render([.depth])
    var options = RendererOptions(width: 160, height: 120)
    options.depthNoise = DepthNoiseModel.none
    #expect(try OffscreenRenderer(simulation: sim, camera: camera, options: options).render([.depth]).depthMetres == clean.depthMetres)
    options.depthNoise = DepthNoiseModel()
    let noisy = try OffscreenRenderer(simulation: sim, camera: camera, options: options).render([.depth]).depthMetres
    let again = try OffscreenRenderer(simulation: sim, camera: camera, options: options).render([.depth]).depthMetres
    #expect(noisy == again)
    let valid = clean.depthMetres.indices.filter { clean.depthMetres[$0] > 0 }
    let dropped = valid.filter { noisy[$0] == 0 }.count
    #expect(dropped > 0 && dropped < valid.count / 10)
    #expect(valid.filter { noisy[$0] != 0 && noisy[$0] != clean.depthMetres[$0] }.count > valid.count / 2)
  }

  @Test(arguments: [OspreyWorld.overviewCamera, OspreyWorld.wristCamera])
  func centreDepthMatchesARayCast(camera: String) throws {
    let sim = try settledWorkcell()
    let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(camera), options: RendererOptions(width: 320, height: 240))
    let frame = try renderer.render(.all)
    let (u, v) = (frame.width / 2, frame.height / 2)
    let depth = Double(frame.depthMetres[v * frame.width + u])
    let (origin, direction) = worldRay(frame, u: u, v: v)
    // The wrist camera sits inside no geom, but exclude the gripper body to be safe.
    let exclude: BodyID? = camera == OspreyWorld.wristCamera ? try sim.body("gripper") : nil
    let hit = try #require(sim.castRay(from: origin, direction: direction, excluding: exclude))
    // Depth is along the optical axis; the ray's direction has z = 1 in the camera frame.
    let d_C = frame.intrinsics.ray(u: Double(u), v: Double(v))
    let expectedDepth = hit.distance / (d_C * d_C).sum().squareRoot()
    #expect(abs(depth - expectedDepth) < Self.depthToleranceMetres, "depth \(depth) vs ray \(expectedDepth)")
    // Segmentation names the same geom as the ray.
    #expect(frame.segmentationGeoms[v * frame.width + u] == Int32(hit.geom.index))
  }

  @Test func segmentationNamesTheObjectAndItsBody() throws {
    let sim = try settledWorkcell()
    let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.overviewCamera), options: RendererOptions(width: 320, height: 240))
    let frame = try renderer.render(.segmentation)
    #expect(frame.rgb == nil && frame.depthMetres.isEmpty)
    // Project the object's top-face centre into the image.
    let object = try sim.body(OspreyWorld.objectBody)
    let p_W = sim.pose(of: object) * SIMD3(0, 0, 0.03)
    let p_C = frame.X_WC.inverse * p_W
    let uv = try #require(frame.intrinsics.project(p_C))
    let (u, v) = (Int(uv.x.rounded()), Int(uv.y.rounded()))
    #expect(frame.segmentationGeoms[v * frame.width + u] == Int32(try sim.geom("object").index))
    let bodies = sim.bodySegmentation(frame)
    #expect(bodies[v * frame.width + u] == Int32(object.index))
    #expect(sim.name(of: BodyID(Int(bodies[v * frame.width + u]))) == "object")
    // The arm's links map to one root body with `root: true`.
    let roots = Set(sim.bodySegmentation(frame, root: true).filter { $0 >= 0 })
    #expect(roots.contains(Int32(try sim.body("iiwa_link_0").index)))
    #expect(!roots.contains(Int32(try sim.body("iiwa_link_3").index)))
  }

  @Test func depthBackProjectsOntoTheTablePlane() throws {
    let sim = try settledWorkcell()
    let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.overviewCamera), options: RendererOptions(width: 320, height: 240))
    let frame = try renderer.render([.depth, .segmentation])
    let tableTop = Int32(try sim.geom("table_top").index)
    var errors: [Double] = []
    // Known points on the table top (away from its edges, the racks and the object) must
    // back-project onto the plane z = tableTopHeight.
    for x in stride(from: -0.15, through: 0.75, by: 0.15) {
      for y in stride(from: -0.25, through: 0.25, by: 0.1) {
        let p_C = frame.X_WC.inverse * SIMD3(x, y, OspreyWorld.tableTopHeightMetres)
        guard let uv = frame.intrinsics.project(p_C) else { continue }
        let (u, v) = (Int(uv.x.rounded()), Int(uv.y.rounded()))
        guard u >= 0, u < frame.width, v >= 0, v < frame.height, frame.segmentationGeoms[v * frame.width + u] == tableTop else { continue }
        let depth = Double(frame.depthMetres[v * frame.width + u])
        let p_W = frame.X_WC * frame.intrinsics.backProject(u: Double(u), v: Double(v), depth: depth)
        errors.append(abs(p_W.z - OspreyWorld.tableTopHeightMetres))
      }
    }
    #expect(errors.count >= 20, "only \(errors.count) table points visible")
    #expect(errors.allSatisfy { $0 < Self.depthToleranceMetres }, "errors \(errors)")
  }

  @Test func rendersAtAnyResolutionWithMatchingIntrinsics() throws {
    let sim = try settledWorkcell()
    let camera = try sim.camera(OspreyWorld.wristCamera)
    for (width, height) in [(97, 61), (640, 480)] {
      let renderer = try OffscreenRenderer(simulation: sim, camera: camera, options: RendererOptions(width: width, height: height))
      let frame = try renderer.render(.all)
      #expect(frame.rgb?.width == width && frame.rgb?.height == height && frame.rgb?.channels == 3)
      #expect(frame.depthMetres.count == width * height && frame.segmentationGeoms.count == width * height)
      // fy from the 48.4° field of view: (h/2)/tan(24.2°); at 480 rows ≈ 533.6 (PrimeSense-class).
      #expect(abs(frame.intrinsics.fy - Double(height) / 2 / tan(24.2 * .pi / 180)) < 1e-9)
      #expect(frame.intrinsics.cx == Double(width - 1) / 2)
      // Not blank: the table is lit and the image has some variety.
      let rgb = try #require(frame.rgb)
      #expect(Set(rgb.pixels).count > 10)
    }
    #expect(abs(CameraIntrinsics(width: 640, height: 480, verticalFieldOfViewDegrees: 48.4).fy - 533.6) < 0.5)
  }

  @Test func depthMillimetresRoundTripsThroughPNG() throws {
    let sim = try settledWorkcell()
    let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.wristCamera), options: RendererOptions(width: 160, height: 120))
    let frame = try renderer.render(.depth)
    let millimetres = frame.depthMillimetres()
    let path = "/tmp/osprey-depth-\(UInt32.random(in: 0...UInt32.max)).png"
    defer { unlink(path) }
    try PNG.write(millimetres, to: path)
    #expect(try PNG.read16(path) == millimetres)
    let centre = 60 * 160 + 80
    #expect(abs(Double(millimetres.pixels[centre]) - Double(frame.depthMetres[centre]) * 1000) <= 0.5)
  }

  @Test func twoRenderersTakeTurnsOnOneThread() throws {
    let sim = try settledWorkcell()
    let a = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.overviewCamera), options: RendererOptions(width: 64, height: 48))
    let b = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.wristCamera), options: RendererOptions(width: 80, height: 60))
    let first = try a.render(.depth)
    _ = try b.render(.depth)
    let again = try a.render(.depth)
    #expect(first.depthMetres == again.depthMetres)
  }

  @Test func invalidSizeIsRejected() throws {
    let sim = try Simulation(mjcf: OspreyWorld.mjcf())
    #expect {
      try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.wristCamera), options: RendererOptions(width: 0, height: 10))
    } throws: { error in
      (error as? SimulationError)?.code == .invalidArgument
    }
  }
}

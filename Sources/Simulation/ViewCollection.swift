import ConvexSets
import Foundation
import Geometry
import Imaging
import Multibody
import Objects

/// Settings of the self-supervised collection routine (`OrbitCollector`); every default is stated.
public struct CollectionOptions: Sendable, Equatable {
  /// Views to record per scene (default 12).
  public var views = 12
  /// Image width in pixels (default 640).
  public var width = 640
  /// Image height in pixels (default 480).
  public var height = 480
  /// Apply the default `DepthNoiseModel` (seeded by the world seed) to the recorded depth (default false).
  public var depthNoise = false
  /// Distance from the camera to the object's centre, metres (default 0.35–0.6).
  public var radiusMetres: ClosedRange<Double> = 0.35...0.6
  /// Elevation of the camera above the horizontal through the object's centre, degrees (default 25–70).
  public var elevationDegrees: ClosedRange<Double> = 25...70
  /// Azimuth half-width around the direction from the object towards the arm's base, degrees
  /// (default 110: the far side of the object is out of the arm's reach anyway).
  public var azimuthHalfWidthDegrees = 110.0
  /// Candidate viewpoints drawn per view asked for (default 6); unreachable or colliding ones are skipped.
  public var candidatesPerView = 6
  /// Clearance the arm must keep from the table, fixtures and the object at a viewpoint (default 1 cm).
  public var safetyMarginMetres = 0.01
  /// Simulated seconds the object is left to settle on the table before the first view (default 2).
  public var settleSeconds = 2.0
  /// Simulated steps after the arm is placed at a viewpoint, before the view is rendered (default 25, 50 ms).
  public var stepsPerView = 25
  /// Default options.
  public init() {}
}

/// One recorded view.
public struct CollectedView: Sendable {
  /// Colour, 8-bit RGB.
  public var rgb: Image8
  /// Depth, 16-bit millimetres, 0 = no depth.
  public var depthMillimetres: Image16
  /// 255 where the object is seen, 0 elsewhere.
  public var mask: Image8
  /// World-from-camera pose at the render, OpenCV convention.
  public var X_WC: RigidTransform
  /// The arm's joint angles at the render (radians).
  public var q: [Double]
}

/// A recorded scene: the object, where it rests, the camera and the views.
public struct CollectedScene: Sendable {
  /// The object as placed before settling.
  public var object: SceneObject
  /// The seed of the placement and the viewpoints.
  public var worldSeed: UInt64
  /// The object's pose after settling (the ground truth of every view).
  public var X_WO: RigidTransform
  /// The largest displacement of any mesh vertex between settling and the last view (metres).
  public var objectMotionMetres: Double
  /// The camera the views come from.
  public var cameraName: String
  /// The camera's intrinsics (same for every view).
  public var intrinsics: CameraIntrinsics
  /// Whether depth noise was applied.
  public var depthNoise: Bool
  /// The views, in the order recorded.
  public var views: [CollectedView]
}

/// The Dense Object Nets collection routine in simulation: the object is dropped on the table and
/// settles; viewpoints are drawn on a partial sphere around it, ordered by azimuth into a sweep; for each,
/// Multibody's IK puts the wrist camera there looking at the object's centre (warm-started from the
/// previous view), the MuJoCo collision checker rejects configurations closer than the safety margin
/// to anything, and the arm is placed there kinematically (joint positions set, position servos
/// holding them, gravity compensated) and the scene steps `stepsPerView` before the render.
public final class OrbitCollector {
  /// The settings.
  public let options: CollectionOptions
  private let arm: MultibodyTree
  private let cameraFrame: FrameIndex

  /// A collector.
  /// - Throws: `.invalidArgument` for fewer than one view, a size outside 1…8192, or empty ranges.
  public init(options: CollectionOptions = CollectionOptions()) throws(SimulationError) {
    guard options.views >= 1 else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions.views", message: "must be ≥ 1, got \(options.views)")
    }
    guard options.candidatesPerView >= 1, options.radiusMetres.lowerBound > 0.1, options.stepsPerView >= 0, options.settleSeconds >= 0 else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions", message: "need candidatesPerView ≥ 1, radius > 0.1 m, non-negative steps and settling time")
    }
    self.options = options
    arm = OspreyWorld.armModel()
    do {
      cameraFrame = try arm.frame(named: OspreyArm.wristCameraFrame)
    } catch {
      throw SimulationError(code: .unknownName, context: "OrbitCollector", message: error.description)
    }
  }

  /// The camera pose at `eye` looking at `target` (OpenCV: z forward; x horizontal, y pointing
  /// down as far as the view allows), turned by `roll` about its optical axis.
  public static func lookAt(eye: SIMD3<Double>, target: SIMD3<Double>, roll: Double = 0) -> RigidTransform {
    func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
    func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
      SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
    let z = unit(target - eye)
    let x = unit(cross(z, SIMD3(0, 0, 1)))
    let y = cross(z, x)
    let R = RotationMatrix(uncheckedColumns: x, y, z) * RotationMatrix.aboutZ(roll)
    return RigidTransform(rotation: R, translation: eye)
  }

  /// Records one scene of `instance` placed from `worldSeed`.
  ///
  /// - Parameter progress: called after each view with (views done, views asked for).
  /// - Throws: `.collectionFailed` when fewer than `views` viewpoints are reachable and free;
  ///   MuJoCo and renderer errors as they come.
  public func collect(_ instance: ObjectInstance, worldSeed: UInt64,
                      progress: (Int, Int) -> Void = { _, _ in }) throws(SimulationError) -> CollectedScene {
    var worldOptions = OspreyWorld.Options()
    worldOptions.includeObject = false
    let object = SceneObject.onTable(instance, seed: worldSeed)
    worldOptions.object = object
    let mjcf = OspreyWorld.mjcf(worldOptions)
    let sim = try Simulation(mjcf: mjcf)
    try sim.resetToKeyframe("home")
    let armDOFs = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.info(of: try sim.joint(name)).velocityAddress }
    let armPositions = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.info(of: try sim.joint(name)).positionAddress }
    let armActuators = try OspreyWorld.armActuators.map { name throws(SimulationError) in try sim.actuator(name).index }
    sim.compensatedDOFs = armDOFs
    try sim.step(Int((options.settleSeconds / sim.timestepSeconds).rounded()))
    let X_WO = try sim.objectPose()
    let centre = X_WO * object.boundingBoxCentre

    var checkerOptions = MuJoCoCollisionChecker.Options()
    checkerOptions.safetyMarginMetres = options.safetyMarginMetres
    checkerOptions.distanceMarginMetres = max(0.05, 2 * options.safetyMarginMetres)
    let checker = try MuJoCoCollisionChecker(mjcf: mjcf, qpos: sim.qpos, options: checkerOptions)

    let configurations = try plan(centre: centre, worldSeed: worldSeed, checker: checker)

    var rendererOptions = RendererOptions(width: options.width, height: options.height)
    if options.depthNoise {
      var noise = DepthNoiseModel()
      noise.seed = worldSeed
      rendererOptions.depthNoise = noise
    }
    let camera = try sim.camera(OspreyWorld.wristCamera)
    let renderer = try OffscreenRenderer(simulation: sim, camera: camera, options: rendererOptions)
    let objectBody = try sim.body(OspreyWorld.objectBody)
    var views: [CollectedView] = []
    for q in configurations {
      var qpos = sim.qpos, qvel = sim.qvel, ctrl = sim.ctrl
      for i in 0..<q.count {
        qpos[armPositions[i]] = q[i]
        qvel[armDOFs[i]] = 0
        ctrl[armActuators[i]] = q[i]
      }
      sim.qpos = qpos
      sim.qvel = qvel
      sim.ctrl = ctrl
      try sim.forward()
      try sim.step(options.stepsPerView)
      let frame = try renderer.render(.all)
      let bodies = sim.bodySegmentation(frame, root: true)
      let mask = Image8(width: frame.width, height: frame.height, channels: 1,
                        pixels: bodies.map { $0 == Int32(objectBody.index) ? 255 : 0 })
      views.append(CollectedView(rgb: frame.rgb!, depthMillimetres: frame.depthMillimetres(), mask: mask,
                                 X_WC: frame.X_WC, q: armPositions.map { sim.qpos[$0] }))
      progress(views.count, configurations.count)
    }
    let X_WOEnd = try sim.objectPose()
    let motion = instance.mesh.vertices.map { v -> Double in
      let d = X_WOEnd * v - X_WO * v
      return (d * d).sum().squareRoot()
    }.max() ?? 0
    return CollectedScene(object: object, worldSeed: worldSeed, X_WO: X_WO, objectMotionMetres: motion,
                          cameraName: OspreyWorld.wristCamera, intrinsics: renderer.intrinsics,
                          depthNoise: options.depthNoise, views: views)
  }

  /// Arm configurations for `views` viewpoints around `centre`: `views · candidatesPerView` candidates
  /// drawn from the world seed (radius, elevation, azimuth uniform in their ranges), sorted by azimuth,
  /// solved by IK (warm-started along the sweep) with up to four camera rolls (0, ±90°, 180°), kept
  /// when the checker finds them free; `views` of them evenly spaced along the sweep.
  func plan(centre: SIMD3<Double>, worldSeed: UInt64, checker: MuJoCoCollisionChecker) throws(SimulationError) -> [[Double]] {
    var generator = SeededGenerator(seed: worldSeed ^ 0x5EED_0F_0B17)
    func draw(_ r: ClosedRange<Double>) -> Double { r.lowerBound + generator.nextUnit() * (r.upperBound - r.lowerBound) }
    let base = OspreyWorld.X_WArmBase.translation
    let towardsBase = atan2(base.y - centre.y, base.x - centre.x)
    let halfWidth = options.azimuthHalfWidthDegrees * .pi / 180
    let count = options.views * options.candidatesPerView
    var candidates: [(azimuth: Double, eye: SIMD3<Double>)] = []
    for _ in 0..<count {
      let radius = draw(options.radiusMetres)
      let elevation = draw(options.elevationDegrees) * .pi / 180
      let azimuth = towardsBase + draw(-halfWidth...halfWidth)
      let eye = centre + radius * SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
      candidates.append((azimuth, eye))
    }
    candidates.sort { $0.azimuth < $1.azimuth }
    var ikOptions = InverseKinematicsOptions()
    ikOptions.positionToleranceMetres = 1e-4
    ikOptions.orientationToleranceRadians = 1e-3
    ikOptions.maximumStarts = 6
    ikOptions.randomSeed = worldSeed
    var guess = OspreyWorld.homeConfiguration
    var feasible: [[Double]] = []
    for candidate in candidates {
      for roll in [0, Double.pi / 2, -Double.pi / 2, Double.pi] {
        let X_WC = Self.lookAt(eye: candidate.eye, target: centre, roll: roll)
        guard let result = try? arm.inverseKinematics(frame: cameraFrame, target: X_WC, initialGuess: guess, options: ikOptions),
              result.success, checker.isFree(result.q)
        else { continue }
        feasible.append(result.q)
        guess = result.q
        break
      }
    }
    guard feasible.count >= options.views else {
      throw SimulationError(code: .collectionFailed, context: "OrbitCollector",
                            message: "only \(feasible.count) of \(options.views) viewpoints reachable and free among \(count) candidates")
    }
    // Spread the views over the sweep: evenly spaced among the feasible ones, in azimuth order.
    let n = options.views
    return (0..<n).map { k in feasible[n == 1 ? feasible.count / 2 : k * (feasible.count - 1) / (n - 1)] }
  }
}

extension CollectedScene {
  /// One view of `instance` placed from `worldSeed` and settled for 2 s, the arm at home, from the
  /// model camera `camera` (default `object_view`; also `overview`, `wrist_camera`).
  /// - Throws: `.unknownName` for a camera the model lacks; `.invalidArgument` for a bad size.
  public static func render(_ instance: ObjectInstance, worldSeed: UInt64, camera: String = OspreyWorld.objectCamera,
                            width: Int = 640, height: Int = 480, depthNoise: Bool = false) throws(SimulationError) -> CollectedScene {
    var worldOptions = OspreyWorld.Options()
    worldOptions.includeObject = false
    let object = SceneObject.onTable(instance, seed: worldSeed)
    worldOptions.object = object
    let sim = try Simulation(mjcf: OspreyWorld.mjcf(worldOptions))
    try sim.resetToKeyframe("home")
    sim.compensatedDOFs = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.info(of: try sim.joint(name)).velocityAddress }
    let cameraID = try sim.camera(camera)
    try sim.step(Int((2.0 / sim.timestepSeconds).rounded()))
    var options = RendererOptions(width: width, height: height)
    if depthNoise {
      var noise = DepthNoiseModel()
      noise.seed = worldSeed
      options.depthNoise = noise
    }
    let renderer = try OffscreenRenderer(simulation: sim, camera: cameraID, options: options)
    let frame = try renderer.render(.all)
    let objectBody = try sim.body(OspreyWorld.objectBody)
    let mask = Image8(width: width, height: height, channels: 1,
                      pixels: sim.bodySegmentation(frame, root: true).map { $0 == Int32(objectBody.index) ? 255 : 0 })
    let q = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.qpos[sim.info(of: try sim.joint(name)).positionAddress] }
    let view = CollectedView(rgb: frame.rgb!, depthMillimetres: frame.depthMillimetres(), mask: mask, X_WC: frame.X_WC, q: q)
    return CollectedScene(object: object, worldSeed: worldSeed, X_WO: try sim.objectPose(), objectMotionMetres: 0,
                          cameraName: camera, intrinsics: renderer.intrinsics, depthNoise: depthNoise, views: [view])
  }
}

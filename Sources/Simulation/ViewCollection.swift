import ConvexSets
import Foundation
import Geometry
import Imaging
import Multibody
import Objects

/// Settings of the self-supervised collection routine (`OrbitCollector`); every default is stated.
public struct CollectionOptions: Sendable, Equatable {
  /// How the arm gets from one viewpoint to the next.
  public enum Motion: String, Sendable, Equatable, CaseIterable {
    /// Torque-driven arm, a `JointImpedanceController` tracking minimum-jerk segments along the
    /// planned, collision-checked tour, a hold, then the render from where the arm actually is.
    case physical
    /// The arm's joints set at each viewpoint (position servos holding them, gravity compensated),
    /// `stepsPerView` steps, then the render; nothing moves the arm between views. Faster.
    case kinematic
  }

  /// Views to record per scene (default 12).
  public var views = 12
  /// Image width in pixels (default 640).
  public var width = 640
  /// Image height in pixels (default 480).
  public var height = 480
  /// Apply the default `DepthNoiseModel` (seeded by the world seed) to the recorded depth (default false).
  public var depthNoise = false
  /// How the object's surface is coloured (default `.plain`; `.glazed` gives each instance its own
  /// patterned glaze, the geometry unchanged).
  public var appearance = SceneObject.Appearance.plain
  /// The scene's lights (default `.sun`: no light on the camera, so a point's shading does not follow
  /// the camera; docs/simulation.md, "Lighting").
  public var lighting = OspreyWorld.Lighting.sun
  /// Distance from the camera to the object's centre, metres (default 0.35–0.6).
  public var radiusMetres: ClosedRange<Double> = 0.35...0.6
  /// Elevation of the camera above the horizontal through the object's centre, degrees (default 25–70).
  public var elevationDegrees: ClosedRange<Double> = 25...70
  /// Azimuth half-width around the direction from the object towards the arm's base, degrees
  /// (default 110: the far side of the object is out of the arm's reach anyway).
  public var azimuthHalfWidthDegrees = 110.0
  /// Candidate viewpoints drawn per view asked for (default 6); unreachable or colliding ones are skipped.
  public var candidatesPerView = 6
  /// Clearance the arm must keep from the table, fixtures and the object at a viewpoint and along
  /// every planned segment (default 1 cm).
  public var safetyMarginMetres = 0.01
  /// Simulated seconds the object is left to settle on the table before the first view (default 2).
  public var settleSeconds = 2.0
  /// `.kinematic` only: simulated steps after the arm is placed at a viewpoint, before the render
  /// (default 25, 50 ms).
  public var stepsPerView = 25
  /// How the arm moves between views (default `.physical`).
  public var motion = Motion.physical
  /// Largest joint-space step (Euclidean norm, radians) between configurations checked along a
  /// segment (`CollisionChecker.isSegmentFree`; default 0.02 rad: with the arm's 1.2 m reach a point on
  /// it moves at most about 2.4 cm between checks, and at most 1 cm for steps of the wrist joints).
  public var pathResolutionRadians = 0.02
  /// `.physical`: joint speed limits of the timing, rad/s (default half the iiwa 14 data sheet's
  /// 85, 85, 100, 75, 130, 135, 135 °/s: 0.74, 0.74, 0.87, 0.65, 1.13, 1.18, 1.18).
  public var jointSpeedLimitsRadiansPerSecond: [Double] = [0.74, 0.74, 0.87, 0.65, 1.13, 1.18, 1.18]
  /// `.physical`: joint acceleration limits of the timing, rad/s² (default 2 for every joint).
  public var jointAccelerationLimitsRadiansPerSecondSquared: [Double] = Array(repeating: 2, count: 7)
  /// `.physical`: shortest duration of a segment, seconds (default 0.2).
  public var minimumSegmentSeconds = 0.2
  /// `.physical`: simulated seconds the arm holds a viewpoint after its segment ends, before the
  /// render (default 0.2: the tracking error decays with time constants of 30–60 ms).
  public var holdSeconds = 0.2
  /// `.physical`: stiffness of the `JointImpedanceController`, N·m/rad, critically damped per joint
  /// (default 800, 800, 500, 500, 250, 120, 60).
  public var armStiffness: [Double] = [800, 800, 500, 500, 250, 120, 60]
  /// Retreat viewpoint used when the straight segment to a viewpoint is blocked: elevation (default
  /// 75°) and distance (default 0.5 m) of a camera looking at the object from above.
  public var retreatElevationDegrees = 75.0
  /// See `retreatElevationDegrees`.
  public var retreatRadiusMetres = 0.5
  /// The object may move at most this far (largest displacement of a corner of its bounding box,
  /// metres) over the whole collection; more fails the scene with `.objectMoved` (default 5 mm).
  public var objectDisplacementLimitMetres = 0.005
  /// The arm's simulated configuration is recorded every this many steps (default 10, 20 ms).
  public var trajectorySampleSteps = 10
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
  /// World-from-camera pose at the render, OpenCV convention (from MuJoCo's simulated state).
  public var X_WC: RigidTransform
  /// The arm's joint angles at the render (radians, simulated).
  public var q: [Double]
}

/// A viewpoint the tour left out, and why.
public struct DroppedViewpoint: Sendable, Equatable {
  /// Where the camera would have stood (world, metres).
  public var eye: SIMD3<Double>
  /// Its azimuth about the object's centre, degrees from +x.
  public var azimuthDegrees: Double
  /// Why, in words.
  public var reason: String
}

/// The planned joint-space tour of a collection: from `start` through `waypoints` (viewpoints and
/// the retreats between them), every consecutive pair a straight segment the checker found free.
public struct CollectionTour: Sendable {
  /// The arm's configuration before the first segment (home), radians.
  public var start: [Double]
  /// The configurations visited in order, radians.
  public var waypoints: [[Double]]
  /// `isView[k]`: whether `waypoints[k]` is a viewpoint (rendered) or a retreat.
  public var isView: [Bool]
  /// Viewpoints tried and left out (no collision-free path), in the order tried.
  public var dropped: [DroppedViewpoint]
  /// `Σ ‖q_{k+1} − q_k‖` over the segments, radians.
  public var jointLengthRadians: Double
  /// Number of retreat waypoints.
  public var retreatCount: Int { isView.filter { !$0 }.count }
}

/// Whether a collection produced usable ground truth.
public enum CollectionStatus: String, Sendable, Equatable {
  /// The object stayed within `objectDisplacementLimitMetres` and the arm never touched it.
  case succeeded
  /// The object moved more than `objectDisplacementLimitMetres`: the settled pose is not the ground truth.
  case objectMoved
  /// A contact between the arm (or gripper) and the object was seen during the collection.
  case armTouchedObject
}

/// What the collection did besides the views: the tour, the time, the object's displacement.
public struct CollectionReport: Sendable {
  /// How the arm moved.
  public var motion: CollectionOptions.Motion
  /// Candidate viewpoints drawn.
  public var candidatesDrawn: Int
  /// Candidates with an IK solution free at the viewpoint (before path planning).
  public var candidatesFeasible: Int
  /// The planned tour.
  public var tour: CollectionTour
  /// Simulated seconds from the end of settling to the last render.
  public var simulatedSeconds: Double
  /// The largest displacement of a corner of the object's bounding box from its settled pose, over
  /// every sampled step of the collection (metres; an upper bound on any mesh vertex's displacement).
  public var objectDisplacementMetres: Double
  /// Whether the arm touched the object at any step.
  public var armTouchedObject: Bool
  /// `.succeeded`, or why the scene failed.
  public var status: CollectionStatus
  /// The arm's simulated configurations, every `trajectorySampleSeconds` from the end of settling.
  public var armTrajectory: [[Double]]
  /// The interval of `armTrajectory`, seconds.
  public var trajectorySampleSeconds: Double

  /// One line for logs: the status and, on failure, why.
  public var statusMessage: String {
    switch status {
    case .succeeded: return "succeeded"
    case .objectMoved:
      return "the object moved \(String(format: "%.2f", objectDisplacementMetres * 1000)) mm during collection (limit \(String(format: "%.2f", objectDisplacementLimitMetres * 1000)) mm)"
    case .armTouchedObject: return "the arm touched the object during collection"
    }
  }
  /// The limit the status was judged against (metres).
  public var objectDisplacementLimitMetres: Double
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
  /// The scene's lights.
  public var lighting: OspreyWorld.Lighting
  /// The collection's tour, timing and object check (nil for a single `render`).
  public var report: CollectionReport? = nil
}

/// A candidate viewpoint with its IK solution.
struct Viewpoint {
  var eye: SIMD3<Double>
  var azimuth: Double
  /// The camera's roll about its optical axis (0: upright, the image's x axis horizontal).
  var roll: Double
  var q: [Double]
}

/// The Dense Object Nets collection routine in simulation (docs/simulation.md, "Data collection"):
/// the object is dropped on the table and settles; viewpoints are drawn on a partial sphere around
/// it, solved by Multibody's IK for the wrist camera looking at the object's centre and kept when the
/// MuJoCo collision checker finds them free; `views` of them, evenly spaced in azimuth, are ordered
/// into an orbit starting at the end nearer the arm's home in joint space, and joined by straight
/// joint-space segments checked with `isSegmentFree` (or through a retreat above the object, or
/// home, when the straight one is blocked; otherwise the viewpoint is dropped and the next one along
/// the sweep tried). With `.physical` motion the torque-driven arm tracks each segment's
/// minimum-jerk timing with a `JointImpedanceController`, holds, and the view is rendered from the
/// simulated state; the object's displacement and any arm–object contact are watched at every step.
public final class OrbitCollector {
  /// The settings.
  public let options: CollectionOptions
  private let arm: MultibodyTree
  private let cameraFrame: FrameIndex

  /// A collector.
  /// - Throws: `.invalidArgument` for fewer than one view, a non-positive resolution, limit or
  ///   duration, limits or stiffnesses not one per arm joint, or empty ranges.
  public init(options: CollectionOptions = CollectionOptions()) throws(SimulationError) {
    guard options.views >= 1 else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions.views", message: "must be ≥ 1, got \(options.views)")
    }
    guard options.candidatesPerView >= 1, options.radiusMetres.lowerBound > 0.1, options.stepsPerView >= 0, options.settleSeconds >= 0 else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions", message: "need candidatesPerView ≥ 1, radius > 0.1 m, non-negative steps and settling time")
    }
    let joints = OspreyWorld.armJoints.count
    guard options.jointSpeedLimitsRadiansPerSecond.count == joints, options.jointAccelerationLimitsRadiansPerSecondSquared.count == joints,
          options.armStiffness.count == joints,
          (options.jointSpeedLimitsRadiansPerSecond + options.jointAccelerationLimitsRadiansPerSecondSquared + options.armStiffness).allSatisfy({ $0 > 0 && $0.isFinite })
    else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions",
                            message: "joint speed and acceleration limits and stiffnesses need \(joints) positive values each")
    }
    guard options.pathResolutionRadians > 0, options.minimumSegmentSeconds > 0, options.holdSeconds >= 0,
          options.objectDisplacementLimitMetres > 0, options.trajectorySampleSteps >= 1, options.retreatRadiusMetres > 0.1
    else {
      throw SimulationError(code: .invalidArgument, context: "CollectionOptions",
                            message: "need pathResolutionRadians > 0, minimumSegmentSeconds > 0, holdSeconds ≥ 0, objectDisplacementLimitMetres > 0, trajectorySampleSteps ≥ 1, retreatRadiusMetres > 0.1")
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
  /// A scene whose object moved more than `objectDisplacementLimitMetres`, or that the arm touched,
  /// is returned with `report.status` saying so (its views are recorded but the ground truth is off).
  /// - Parameter progress: called after each view with (views done, views asked for).
  /// - Throws: `.collectionFailed` when fewer than `views` viewpoints are reachable, free and joined
  ///   by free paths; MuJoCo and renderer errors as they come.
  public func collect(_ instance: ObjectInstance, worldSeed: UInt64,
                      progress: (Int, Int) -> Void = { _, _ in }) throws(SimulationError) -> CollectedScene {
    let physical = options.motion == .physical
    var worldOptions = OspreyWorld.Options()
    worldOptions.includeObject = false
    worldOptions.armActuation = physical ? .torque : .position
    worldOptions.lighting = options.lighting
    var object = SceneObject.onTable(instance, seed: worldSeed)
    object.appearance = options.appearance
    worldOptions.object = object
    let sim = try Simulation(world: worldOptions)
    try sim.resetToKeyframe("home")
    let armDOFs = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.info(of: try sim.joint(name)).velocityAddress }
    let armPositions = try OspreyWorld.armJoints.map { name throws(SimulationError) in sim.info(of: try sim.joint(name)).positionAddress }
    let armActuators = try OspreyWorld.armActuators.map { name throws(SimulationError) in try sim.actuator(name).index }
    var controller: JointImpedanceController? = nil
    if physical {
      // The controller adds τ_bias itself (clamped to the motors' torques): no ideal compensation.
      controller = try JointImpedanceController(simulation: sim, joints: OspreyWorld.armJoints, actuators: OspreyWorld.armActuators,
                                                stiffness: options.armStiffness)
    } else {
      sim.compensatedDOFs = armDOFs
    }

    // Watching the object: arm–object contacts at every step, the bounding box corners' displacement
    // and the arm's configuration every `trajectorySampleSteps`.
    let objectBody = try sim.body(OspreyWorld.objectBody)
    let armBase = try sim.body(OspreyArm.baseName)
    func isBelowArmBase(_ body: BodyID) -> Bool {
      var b = body
      while b.index != 0 {
        if b == armBase { return true }
        b = sim.parent(of: b)
      }
      return false
    }
    let armGeoms = (0..<sim.geomCount).map { isBelowArmBase(sim.body(of: GeomID($0))) }
    let objectGeoms = (0..<sim.geomCount).map { sim.rootBody(of: sim.body(of: GeomID($0))) == objectBody }
    let box = instance.mesh.boundingBox ?? AxisAlignedBox(lower: .zero, upper: .zero)
    let corners = (0..<8).map { k in
      SIMD3(k & 1 == 0 ? box.lower.x : box.upper.x, k & 2 == 0 ? box.lower.y : box.upper.y, k & 4 == 0 ? box.lower.z : box.upper.z)
    }
    var X_WO = RigidTransform.identity
    var watching = false, touched = false, largestDisplacement = 0.0, stepCount = 0
    var trajectory: [[Double]] = []
    func observe(_ sim: Simulation) {
      guard watching else { return }
      stepCount += 1
      if !touched && sim.hasContact(between: armGeoms, and: objectGeoms) { touched = true }
      if stepCount % options.trajectorySampleSteps == 0 {
        let qpos = sim.qpos
        trajectory.append(armPositions.map { qpos[$0] })
        let X_WOt = sim.pose(of: objectBody)
        for c in corners {
          let d = X_WOt * c - X_WO * c
          largestDisplacement = max(largestDisplacement, (d * d).sum().squareRoot())
        }
      }
    }
    func advance(_ count: Int, target: (Int, inout JointImpedanceController) -> Void = { _, _ in }) throws(SimulationError) {
      if var c = controller {
        try sim.step(count) { s in
          target(stepCount, &c)
          c.apply(to: s)
          observe(s)
        }
        controller = c
      } else {
        try sim.step(count) { s in observe(s) }
      }
    }

    try advance(Int((options.settleSeconds / sim.timestepSeconds).rounded()))
    X_WO = try sim.objectPose()
    let centre = X_WO * object.boundingBoxCentre
    let settledSeconds = sim.timeSeconds

    var checkerOptions = MuJoCoCollisionChecker.Options()
    checkerOptions.safetyMarginMetres = options.safetyMarginMetres
    checkerOptions.distanceMarginMetres = max(0.05, 2 * options.safetyMarginMetres)
    // The checker never renders: the plain model (same geometry, no texture file to pass).
    var checkedWorld = worldOptions
    checkedWorld.object?.appearance = .plain
    let checker = try MuJoCoCollisionChecker(mjcf: OspreyWorld.mjcf(checkedWorld), qpos: sim.qpos, options: checkerOptions)

    let (candidatesDrawn, feasible) = try viewpoints(centre: centre, worldSeed: worldSeed, checker: checker)
    let start = armPositions.map { sim.qpos[$0] }
    // Upright views only when there are enough of them and a tour joins them; all feasible ones otherwise.
    let upright = feasible.filter { $0.roll == 0 }
    let tour: CollectionTour
    if upright.count >= options.views,
       let uprightTour = try? planTour(from: start, viewpoints: upright, centre: centre, worldSeed: worldSeed, checker: checker) {
      tour = uprightTour
    } else {
      tour = try planTour(from: start, viewpoints: feasible, centre: centre, worldSeed: worldSeed, checker: checker)
    }

    var rendererOptions = RendererOptions(width: options.width, height: options.height)
    if options.depthNoise {
      var noise = DepthNoiseModel()
      noise.seed = worldSeed
      rendererOptions.depthNoise = noise
    }
    let camera = try sim.camera(OspreyWorld.wristCamera)
    let renderer = try OffscreenRenderer(simulation: sim, camera: camera, options: rendererOptions)
    var views: [CollectedView] = []
    watching = true
    let dt = sim.timestepSeconds
    var current = start
    for (k, q) in tour.waypoints.enumerated() {
      if physical {
        let seconds = MinimumJerkSegment.duration(from: current, to: q, speedLimits: options.jointSpeedLimitsRadiansPerSecond,
                                                  accelerationLimits: options.jointAccelerationLimitsRadiansPerSecondSquared,
                                                  minimumSeconds: options.minimumSegmentSeconds)
        let segment = MinimumJerkSegment(from: current, to: q, durationSeconds: seconds)
        let segmentSteps = Int((seconds / dt).rounded(.up))
        let first = stepCount
        var positions: [Double] = [], velocities: [Double] = []
        try advance(segmentSteps) { n, c in
          segment.evaluate(atSeconds: Double(n - first) * dt, positions: &positions, velocities: &velocities)
          c.targetPositions = positions
          c.targetVelocities = velocities
        }
        controller!.targetPositions = q
        controller!.targetVelocities = Array(repeating: 0, count: q.count)
        if tour.isView[k] { try advance(Int((options.holdSeconds / dt).rounded())) }
      } else {
        guard tour.isView[k] else { continue }
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
        try advance(options.stepsPerView)
      }
      current = q
      guard tour.isView[k] else { continue }
      // After a step MuJoCo's poses belong to the state before the integration: recompute them so
      // the image, `X_WC` and `q` all describe the current state.
      try sim.forward()
      let frame = try renderer.render(.all)
      let bodies = sim.bodySegmentation(frame, root: true)
      let mask = Image8(width: frame.width, height: frame.height, channels: 1,
                        pixels: bodies.map { $0 == Int32(objectBody.index) ? 255 : 0 })
      views.append(CollectedView(rgb: frame.rgb!, depthMillimetres: frame.depthMillimetres(), mask: mask,
                                 X_WC: frame.X_WC, q: armPositions.map { sim.qpos[$0] }))
      progress(views.count, options.views)
    }
    let X_WOEnd = try sim.objectPose()
    let motion = instance.mesh.vertices.map { v -> Double in
      let d = X_WOEnd * v - X_WO * v
      return (d * d).sum().squareRoot()
    }.max() ?? 0
    for c in corners {
      let d = X_WOEnd * c - X_WO * c
      largestDisplacement = max(largestDisplacement, (d * d).sum().squareRoot())
    }
    let status: CollectionStatus = touched ? .armTouchedObject
      : largestDisplacement > options.objectDisplacementLimitMetres ? .objectMoved : .succeeded
    let report = CollectionReport(
      motion: options.motion, candidatesDrawn: candidatesDrawn, candidatesFeasible: feasible.count, tour: tour,
      simulatedSeconds: sim.timeSeconds - settledSeconds, objectDisplacementMetres: largestDisplacement, armTouchedObject: touched,
      status: status, armTrajectory: trajectory, trajectorySampleSeconds: Double(options.trajectorySampleSteps) * dt,
      objectDisplacementLimitMetres: options.objectDisplacementLimitMetres)
    return CollectedScene(object: object, worldSeed: worldSeed, X_WO: X_WO, objectMotionMetres: motion,
                          cameraName: OspreyWorld.wristCamera, intrinsics: renderer.intrinsics,
                          depthNoise: options.depthNoise, views: views, lighting: options.lighting, report: report)
  }

  /// IK settings for viewpoints and retreats: 0.1 mm and 1 mrad, up to 6 starts.
  private func ikOptions(seed: UInt64) -> InverseKinematicsOptions {
    var ikOptions = InverseKinematicsOptions()
    ikOptions.positionToleranceMetres = 1e-4
    ikOptions.orientationToleranceRadians = 1e-3
    ikOptions.maximumStarts = 6
    ikOptions.randomSeed = seed
    return ikOptions
  }

  /// The camera rolls tried for a viewpoint, upright first: views whose images share one "up" (as a
  /// person holds a camera) are what a descriptor network, not rotation-invariant, learns from best.
  static let cameraRolls = [0, Double.pi / 2, -Double.pi / 2, Double.pi]

  /// A free configuration with the camera at `eye` looking at `centre`, trying `rolls` in order: the
  /// first found, or with `nearest` the one of all rolls nearest `guess` in joint space.
  private func solve(eye: SIMD3<Double>, centre: SIMD3<Double>, guess: [Double], options ikOptions: InverseKinematicsOptions,
                     checker: MuJoCoCollisionChecker, rolls: [Double] = OrbitCollector.cameraRolls,
                     nearest: Bool = false) -> (q: [Double], roll: Double)? {
    var best: (q: [Double], roll: Double)? = nil
    for roll in rolls {
      let X_WC = Self.lookAt(eye: eye, target: centre, roll: roll)
      guard let result = try? arm.inverseKinematics(frame: cameraFrame, target: X_WC, initialGuess: guess, options: ikOptions),
            result.success, checker.isFree(result.q)
      else { continue }
      if !nearest { return (result.q, roll) }
      if best.map({ jointSpaceDistance(guess, result.q) < jointSpaceDistance(guess, $0.q) }) ?? true { best = (result.q, roll) }
    }
    return best
  }

  /// The candidates: `views · candidatesPerView` drawn from the world seed (radius, elevation,
  /// azimuth uniform in their ranges), sorted by azimuth, solved by IK (warm-started along the
  /// sweep) with the camera upright or, where that is not reachable and free, rolled by ±90° or 180°,
  /// kept when the checker finds them free. Returns the number drawn and the feasible ones in azimuth
  /// order.
  func viewpoints(centre: SIMD3<Double>, worldSeed: UInt64, checker: MuJoCoCollisionChecker) throws(SimulationError) -> (Int, [Viewpoint]) {
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
    let ikOptions = ikOptions(seed: worldSeed)
    var guess = OspreyWorld.homeConfiguration
    var feasible: [Viewpoint] = []
    for candidate in candidates {
      guard let (q, roll) = solve(eye: candidate.eye, centre: centre, guess: guess, options: ikOptions, checker: checker) else { continue }
      feasible.append(Viewpoint(eye: candidate.eye, azimuth: candidate.azimuth, roll: roll, q: q))
      guess = q
    }
    guard feasible.count >= options.views else {
      throw SimulationError(code: .collectionFailed, context: "OrbitCollector",
                            message: "only \(feasible.count) of \(options.views) viewpoints reachable and free among \(count) candidates")
    }
    return (count, feasible)
  }

  /// The tour through `views` of the feasible viewpoints (in azimuth order): `views` slots evenly
  /// spaced along the sweep, walked from the end whose first slot is nearer `start` in joint space.
  /// Each slot takes its viewpoint or, when no free path reaches it, the next ones along the sweep up
  /// to the next slot's; a path is the straight segment when `isSegmentFree` at
  /// `pathResolutionRadians`, else through a retreat (the camera above the target viewpoint, above
  /// the current one, or home) when both of its segments are free.
  func planTour(from start: [Double], viewpoints unordered: [Viewpoint], centre: SIMD3<Double>, worldSeed: UInt64,
                checker: MuJoCoCollisionChecker) throws(SimulationError) -> CollectionTour {
    let n = options.views
    func slots(_ count: Int) -> [Int] { (0..<n).map { k in n == 1 ? count / 2 : k * (count - 1) / (n - 1) } }
    var sweep = unordered
    var targets = slots(sweep.count)
    if n > 1, jointSpaceDistance(start, sweep[targets[n - 1]].q) < jointSpaceDistance(start, sweep[targets[0]].q) {
      sweep.reverse()
      targets = slots(sweep.count)
    }
    let resolution = options.pathResolutionRadians
    let ikOptions = ikOptions(seed: worldSeed ^ 0x7E7_EA7)
    func above(azimuth: Double, guess: [Double]) -> [Double]? {
      let elevation = options.retreatElevationDegrees * .pi / 180
      let eye = centre + options.retreatRadiusMetres * SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
      return solve(eye: eye, centre: centre, guess: guess, options: ikOptions, checker: checker, nearest: true)?.q
    }
    var tour = CollectionTour(start: start, waypoints: [], isView: [], dropped: [], jointLengthRadians: 0)
    var current = start
    var currentAzimuth: Double? = nil
    for (slot, first) in targets.enumerated() {
      let last = slot + 1 < n ? targets[slot + 1] - 1 : sweep.count - 1
      for index in first...last {
        var viewpoint = sweep[index]
        // Re-solve from the current configuration, at the viewpoint's roll (the image stays the same),
        // and take the solution nearer it in joint space.
        if let (q, _) = solve(eye: viewpoint.eye, centre: centre, guess: current, options: ikOptions, checker: checker, rolls: [viewpoint.roll]),
           jointSpaceDistance(current, q) < jointSpaceDistance(current, viewpoint.q) {
          viewpoint.q = q
        }
        var path: [[Double]]? = checker.isSegmentFree(from: current, to: viewpoint.q, resolution: resolution) ? [viewpoint.q] : nil
        if path == nil {
          // Retreats, the shortest detour first: above the target or the current viewpoint (IK
          // nearest the current configuration and nearest the target's), or home.
          var retreats: [[Double]] = []
          for azimuth in [viewpoint.azimuth] + (currentAzimuth.map { [$0] } ?? []) {
            for guess in [current, viewpoint.q] {
              if let q = above(azimuth: azimuth, guess: guess) { retreats.append(q) }
            }
          }
          if checker.isFree(start) { retreats.append(start) }
          retreats.sort {
            jointSpaceDistance(current, $0) + jointSpaceDistance($0, viewpoint.q) < jointSpaceDistance(current, $1) + jointSpaceDistance($1, viewpoint.q)
          }
          for via in retreats where checker.isSegmentFree(from: current, to: via, resolution: resolution)
            && checker.isSegmentFree(from: via, to: viewpoint.q, resolution: resolution) {
            path = [via, viewpoint.q]
            break
          }
        }
        guard let path else {
          tour.dropped.append(DroppedViewpoint(
            eye: viewpoint.eye, azimuthDegrees: viewpoint.azimuth * 180 / .pi,
            reason: "no collision-free path from the previous \(tour.waypoints.isEmpty ? "configuration (home)" : "viewpoint"): straight segment and retreats (above the object, home) blocked"))
          continue
        }
        for q in path {
          tour.jointLengthRadians += jointSpaceDistance(current, q)
          tour.waypoints.append(q)
          tour.isView.append(false)
          current = q
        }
        tour.isView[tour.isView.count - 1] = true
        currentAzimuth = viewpoint.azimuth
        break
      }
    }
    let reached = tour.isView.filter { $0 }.count
    guard reached == n else {
      throw SimulationError(code: .collectionFailed, context: "OrbitCollector",
                            message: "only \(reached) of \(n) viewpoints joined by collision-free paths (\(tour.dropped.count) dropped, \(sweep.count) reachable)")
    }
    return tour
  }
}

extension CollectedScene {
  /// One view of `instance` placed from `worldSeed` and settled for 2 s, the arm at home, from the
  /// model camera `camera` (default `object_view`; also `overview`, `wrist_camera`).
  /// - Throws: `.unknownName` for a camera the model lacks; `.invalidArgument` for a bad size.
  public static func render(_ instance: ObjectInstance, worldSeed: UInt64, camera: String = OspreyWorld.objectCamera,
                            width: Int = 640, height: Int = 480, depthNoise: Bool = false,
                            appearance: SceneObject.Appearance = .plain,
                            lighting: OspreyWorld.Lighting = .sunAndHeadlight) throws(SimulationError) -> CollectedScene {
    var worldOptions = OspreyWorld.Options()
    worldOptions.includeObject = false
    worldOptions.lighting = lighting
    var object = SceneObject.onTable(instance, seed: worldSeed)
    object.appearance = appearance
    worldOptions.object = object
    let sim = try Simulation(world: worldOptions)
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
                          cameraName: camera, intrinsics: renderer.intrinsics, depthNoise: depthNoise, views: [view], lighting: lighting)
  }
}

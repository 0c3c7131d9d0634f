import Foundation
import Geometry
import Multibody

/// Osprey's simulated workcell, authored by us in MJCF: a 7-DOF arm with the KUKA LBR iiwa 14
/// R820's kinematic dimensions and joint limits, a parallel-jaw gripper with two force-limited
/// slide fingers and a wrist RGB-D camera, on a table with a mug rack (with a peg), a shoe rack
/// and a shelf, and optionally a box to manipulate.
///
/// Frames: world z up, floor at z = 0, table top surface at `tableTopHeightMetres`. The arm's
/// base sits on the table at the world origin (x, y) and faces +x; the table extends along +x.
///
/// Sources of the numbers (facts; the model file is ours):
/// - KUKA LBR iiwa 14 R820 data sheet / spec drawing: base to joint 2 axis 360 mm, joint 2 to
///   joint 4 420 mm, joint 4 to joint 6 400 mm, joint 6 to flange 126 mm; joint limits
///   ±170°, ±120°, ±170°, ±120°, ±170°, ±120°, ±175°; maximum torques 320, 320, 176, 176, 110, 40,
///   40 N·m.
/// - How those lengths split at the odd joints (0.1575 + 0.2025, 0.2045 + 0.2155,
///   0.1845 + 0.2155, 0.081 + 0.045) and the axis directions (2 and 6 about +y, 4 about −y in
///   the straight-up pose) follow the link frames of the iiwa 14 description in Drake
///   (manipulation/models/iiwa_description). Link masses are rounded from the same description;
///   inertias come from our capsules.
/// - Gripper: stroke and grip force of a Schunk WSG 50-class parallel gripper (110 mm total
///   stroke, 55 mm per finger; 80 N grip force → 40 N per finger here).
/// - Wrist camera: vertical field of view 48.4°, which gives fy ≈ 533.6 px at 640×480, the
///   PrimeSense-class intrinsics used by Dense Object Nets (REFERENCES.md §1).
public enum OspreyWorld {
  /// Height of the table's top surface above the floor, in metres.
  public static let tableTopHeightMetres = 0.75
  /// The arm's joint names, base to flange (`OspreyArm.jointNames`).
  public static let armJoints = OspreyArm.jointNames
  /// The arm's position actuators, in joint order.
  public static let armActuators = armJoints
  /// The finger slide joints (0 = closed, 0.055 m = fully open each).
  public static let fingerJoints = ["gripper_left", "gripper_right"]
  /// The finger position actuators (kp 2,000 N/m, force-limited to ±40 N each: closing on an object
  /// wider than 4 cm squeezes it with the full 40 N per finger).
  public static let fingerActuators = fingerJoints
  /// The arm's joint limits in radians, from the data sheet (±170°, ±120°, …, ±175°).
  public static let armJointLimitsRadians: [Double] = OspreyArm.jointLimitsRadians
  /// The arm's base pose in the world: on the table top at the origin, facing +x.
  public static let X_WArmBase = RigidTransform(translation: SIMD3(0, 0, tableTopHeightMetres))
  /// The arm as a `Multibody` kinematic tree in world coordinates, the same numbers as the MJCF
  /// (`OspreyArm.tree(X_W0: X_WArmBase)`): frames `flange`, `tcp`, `wrist_camera`.
  public static func armModel() -> MultibodyTree { OspreyArm.tree(X_W0: X_WArmBase) }
  /// A configuration with the gripper above the table, pointing down (radians).
  public static let homeConfiguration: [Double] = [0, 0.6, 0, -1.5, 0, 1.04, 0]
  /// Finger opening (each finger, metres) in the home keyframe.
  public static let homeFingerOpeningMetres = 0.04
  /// Names of the cameras: the wrist RGB-D camera and a fixed overview of the table.
  public static let wristCamera = "wrist_camera"
  /// A fixed camera looking at the table from the front right.
  public static let overviewCamera = "overview"
  /// The free object's body name: the box when `includeObject` is set, or the `SceneObject`.
  public static let objectBody = "object"
  /// A fixed camera looking at the `SceneObject` from the robot's side, 0.55 m away and 35° above the
  /// table (only in scenes with a `SceneObject`).
  public static let objectCamera = "object_view"

  /// How the arm's actuators are modelled.
  public enum ArmActuation: Sendable, Equatable {
    /// Position servos (`<position>`, kp 1200 … 60 N·m/rad, torque-limited): `ctrl` is the target
    /// joint angle in radians.
    case position
    /// Torque motors (`<motor>`, ctrl limited to the data sheet's torques): `ctrl` is the joint
    /// torque in N·m, for example from a `JointImpedanceController`.
    case torque
  }

  /// The scene's lights. Both have the sun (directional, from above, 23° off the vertical, coming from
  /// −x −y: behind the arm's base; casting shadows) and an ambient 0.35; they differ in MuJoCo's
  /// headlight, a light that moves with the camera (docs/simulation.md, "Lighting").
  public enum Lighting: String, Sendable, Equatable, CaseIterable {
    /// The sun and a headlight on the camera (diffuse 0.45, specular 0.1): the surface that faces the
    /// camera is the brightest in every view, wherever it lies on the object.
    case sunAndHeadlight = "sun-and-headlight"
    /// The sun only (the headlight's diffuse and specular 0): an object's diffuse shading is fixed to
    /// the world, the same on a surface point from every viewpoint, as under a cell's room lights (the
    /// sun's specular highlights still move with the viewpoint).
    case sun
  }

  /// Options of the generated scene; every default is stated.
  public struct Options: Sendable, Equatable {
    /// Add a free 6 cm box (body `object`) on the table (default true).
    public var includeObject = true
    /// The box's initial centre (default 2 cm above the table, at x 0.55 m, y 0.05 m).
    public var objectPosition = SIMD3<Double>(0.55, 0.05, OspreyWorld.tableTopHeightMetres + 0.05)
    /// The scene's lights (default `.sunAndHeadlight`; `OrbitCollector` sets its options' lighting,
    /// `.sun` by default).
    public var lighting = Lighting.sunAndHeadlight
    /// Integration time step in seconds (default 0.002).
    public var timestepSeconds = 0.002
    /// How the arm's joints are driven (default `.position`).
    public var armActuation = ArmActuation.position
    /// A procedural object (body `object`, replacing the box: `includeObject` is then ignored) and
    /// a fixed camera `object_view` looking at it (default nil).
    public var object: SceneObject? = nil
    /// Default options.
    public init() {}
  }

  /// Where the overview camera stands and what it looks at (world, metres).
  public static let overviewEye = SIMD3<Double>(0.15, -1.5, 1.65)
  /// The point the overview camera looks at.
  public static let overviewTarget = SIMD3<Double>(0.5, 0.05, 0.85)

  /// Where `object_view` stands for an object centred at `target`: 0.55 m away, 35° above the
  /// horizontal, on the side of the arm's base (azimuth 200° from +x, slightly to the right).
  public static func objectCameraEye(lookingAt target: SIMD3<Double>) -> SIMD3<Double> {
    let distance = 0.55, elevation = 35.0 * .pi / 180, azimuth = 200.0 * .pi / 180
    return target + distance * SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
  }

  /// MJCF `xyaxes` of a camera at `eye` looking at `target` with world z up: MuJoCo cameras look
  /// along their −z axis with y up, so x = f × up, y = x × f for the unit viewing direction f.
  public static func lookAtXYAxes(eye: SIMD3<Double>, target: SIMD3<Double>) -> String {
    func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
    func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
      SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
    let f = unit(target - eye)
    let x = unit(cross(f, SIMD3(0, 0, 1)))
    let y = cross(x, f)
    return [x.x, x.y, x.z, y.x, y.y, y.z].map { "\($0)" }.joined(separator: " ")
  }

  /// The in-memory files the scene's MJCF names (a glazed object's texture; none otherwise): pass
  /// them to `Simulation(mjcf:assets:)`, or load both with `Simulation(world:)`.
  /// - Throws: `.invalidArgument` when the object's texture cannot be encoded.
  public static func assets(_ options: Options = Options()) throws(SimulationError) -> [String: [UInt8]] {
    try options.object?.assets() ?? [:]
  }

  /// The scene's MJCF. Load it with `Simulation(world:)` (or `Simulation(mjcf:assets:)` with
  /// `assets(_:)`); the keyframe `home` holds the arm at `homeConfiguration` with open fingers
  /// (`Simulation.resetToKeyframe("home")`).
  public static func mjcf(_ options: Options = Options()) -> String {
    let limits = OspreyArm.links.map { Int($0.limitDegrees) }
    let torque = OspreyArm.links.map { Int($0.maximumTorqueNewtonMetres) }
    let L = OspreyArm.links
    func v(_ x: SIMD3<Double>) -> String { "\(x.x) \(x.y) \(x.z)" }
    precondition(L.allSatisfy { Double(Int($0.limitDegrees)) == $0.limitDegrees && $0.offsetMetres.x == 0 && $0.offsetMetres.y == 0 },
                 "OspreyWorld.mjcf: the MJCF template assumes whole-degree limits and offsets along z")
    let kp = [1200, 1200, 600, 600, 300, 150, 60]
    let object = options.objectPosition
    var objectXML = options.includeObject ? """
          <body name="object" pos="\(object.x) \(object.y) \(object.z)">
            <freejoint name="object_free"/>
            <geom name="object" type="box" size="0.03 0.03 0.03" mass="0.15" material="object"/>
          </body>
      """ : ""
    var objectQpos = options.includeObject ? " \(object.x) \(object.y) \(object.z) 1 0 0 0" : ""
    var objectAssets = ""
    if let sceneObject = options.object {
      objectAssets = sceneObject.assetXML()
      let centre = sceneObject.X_WO * sceneObject.boundingBoxCentre
      let eye = objectCameraEye(lookingAt: centre)
      objectXML = sceneObject.bodyXML() + """

            <camera name="\(objectCamera)" pos="\(eye.x) \(eye.y) \(eye.z)" xyaxes="\(lookAtXYAxes(eye: eye, target: centre))" fovy="48.4"/>
        """
      objectQpos = " " + sceneObject.qposText
    }
    let home = homeConfiguration.map { "\($0)" }.joined(separator: " ")
    let fingers = "\(homeFingerOpeningMetres) \(homeFingerOpeningMetres)"
    let actuators = (0..<7).map { i in
      switch options.armActuation {
      case .position:
        return """
              <position name="iiwa_joint_\(i + 1)" joint="iiwa_joint_\(i + 1)" kp="\(kp[i])" ctrllimited="true" \
          ctrlrange="\(-Double(limits[i]) * .pi / 180) \(Double(limits[i]) * .pi / 180)" forcelimited="true" forcerange="-\(torque[i]) \(torque[i])"/>
          """
      case .torque:
        return """
              <motor name="iiwa_joint_\(i + 1)" joint="iiwa_joint_\(i + 1)" ctrllimited="true" ctrlrange="-\(torque[i]) \(torque[i])"/>
          """
      }
    }.joined(separator: "\n")
    let armControls = options.armActuation == .position ? home : Array(repeating: "0", count: 7).joined(separator: " ")
    let top = tableTopHeightMetres
    // MuJoCo's camera axes x and y in the gripper: OpenCV's R_GC times diag(1, −1, −1).
    let R = OspreyArm.R_GC
    let wristCameraXYAxes = "\(v(R.column(0))) \(v(-R.column(1)))"
    let headlight = options.lighting == .sun ? #"diffuse="0 0 0" specular="0 0 0""# : #"diffuse="0.45 0.45 0.45" specular="0.1 0.1 0.1""#
    return """
      <mujoco model="osprey-workcell">
        <compiler angle="degree" autolimits="false"/>
        <option timestep="\(options.timestepSeconds)" gravity="0 0 -9.81"/>
        <statistic extent="2" center="0.45 0 0.9"/>
        <visual>
          <global offwidth="640" offheight="480"/>
          <quality shadowsize="2048"/>
          <map znear="0.01" zfar="50"/>
          <headlight ambient="0.35 0.35 0.35" \(headlight)/>
        </visual>
        <default>
          <site group="4" size="0.005"/>
          <joint limited="true"/>
          <default class="arm">
            <joint armature="0.1" damping="5"/>
            <geom type="capsule" material="arm"/>
          </default>
        </default>
        <asset>
          <texture name="floor" type="2d" builtin="checker" rgb1="0.32 0.36 0.40" rgb2="0.22 0.25 0.28" width="256" height="256"/>
          <material name="floor" texture="floor" texrepeat="8 8"/>
          <material name="wood" rgba="0.66 0.50 0.32 1"/>
          <material name="darkwood" rgba="0.45 0.32 0.20 1"/>
          <material name="metal" rgba="0.55 0.57 0.60 1"/>
          <material name="arm" rgba="0.88 0.88 0.86 1"/>
          <material name="joint" rgba="0.95 0.45 0.10 1"/>
          <material name="gripper" rgba="0.20 0.20 0.22 1"/>
          <material name="object" rgba="0.85 0.15 0.15 1"/>
      \(objectAssets)
        </asset>
        <worldbody>
          <light name="sun" directional="true" pos="0 0 3" dir="0.25 0.35 -1" diffuse="0.6 0.6 0.6" castshadow="true"/>
          <geom name="floor" type="plane" size="4 4 0.1" material="floor"/>

          <!-- Table: top surface at z = \(top) m, 1.3 m × 1.2 m, from x = −0.25 to 1.05. -->
          <body name="table" pos="0.4 0 0">
            <geom name="table_top" type="box" pos="0 0 \(top - 0.02)" size="0.65 0.6 0.02" material="wood"/>
            <geom name="table_leg_1" type="box" pos=" 0.6  0.55 \((top - 0.04) / 2)" size="0.03 0.03 \((top - 0.04) / 2)" material="darkwood"/>
            <geom name="table_leg_2" type="box" pos="-0.6  0.55 \((top - 0.04) / 2)" size="0.03 0.03 \((top - 0.04) / 2)" material="darkwood"/>
            <geom name="table_leg_3" type="box" pos=" 0.6 -0.55 \((top - 0.04) / 2)" size="0.03 0.03 \((top - 0.04) / 2)" material="darkwood"/>
            <geom name="table_leg_4" type="box" pos="-0.6 -0.55 \((top - 0.04) / 2)" size="0.03 0.03 \((top - 0.04) / 2)" material="darkwood"/>
          </body>

          <!-- Mug rack: a post with a peg angled up towards the robot; site at the peg's tip. -->
          <body name="mug_rack" pos="0.5 0.42 \(top)">
            <geom name="mug_rack_base" type="box" pos="0 0 0.01" size="0.08 0.08 0.01" material="darkwood"/>
            <geom name="mug_rack_post" type="cylinder" pos="0 0 0.17" size="0.012 0.15" material="darkwood"/>
            <geom name="mug_rack_peg" type="capsule" fromto="0 -0.01 0.22 0 -0.10 0.26" size="0.007" material="metal"/>
            <site name="mug_rack_peg_tip" pos="0 -0.10 0.26"/>
          </body>

          <!-- Shoe rack: two side panels and two slanted slats; site at the top slat's centre. -->
          <body name="shoe_rack" pos="0.5 -0.42 \(top)">
            <geom name="shoe_rack_side_1" type="box" pos=" 0.17 0 0.08" size="0.01 0.12 0.08" material="darkwood"/>
            <geom name="shoe_rack_side_2" type="box" pos="-0.17 0 0.08" size="0.01 0.12 0.08" material="darkwood"/>
            <geom name="shoe_rack_slat_low" type="box" pos="0 0 0.05" euler="12 0 0" size="0.16 0.10 0.006" material="wood"/>
            <geom name="shoe_rack_slat_high" type="box" pos="0 0 0.14" euler="12 0 0" size="0.16 0.10 0.006" material="wood"/>
            <site name="shoe_rack_top" pos="0 0 0.146"/>
          </body>

          <!-- Shelf: two boards between side panels, open towards the robot. -->
          <body name="shelf" pos="0.92 0 \(top)">
            <geom name="shelf_bottom" type="box" pos="0 0 0.01" size="0.12 0.2 0.01" material="wood"/>
            <geom name="shelf_middle" type="box" pos="0 0 0.2" size="0.12 0.2 0.01" material="wood"/>
            <geom name="shelf_top" type="box" pos="0 0 0.39" size="0.12 0.2 0.01" material="wood"/>
            <geom name="shelf_side_1" type="box" pos="0  0.21 0.2" size="0.12 0.01 0.2" material="darkwood"/>
            <geom name="shelf_side_2" type="box" pos="0 -0.21 0.2" size="0.12 0.01 0.2" material="darkwood"/>
            <geom name="shelf_back" type="box" pos="0.125 0 0.2" size="0.005 0.2 0.2" material="darkwood"/>
            <site name="shelf_middle_board" pos="0 0 0.21"/>
          </body>

          <!-- Arm: iiwa 14 R820 dimensions; capsules stand in for the link shells. -->
          <body name="\(OspreyArm.baseName)" pos="\(v(X_WArmBase.translation))">
            <geom name="iiwa_link_0" type="cylinder" pos="0 0 0.075" size="0.1 0.075" material="joint"/>
            <body name="\(L[0].name)" pos="\(v(L[0].offsetMetres))" childclass="arm">
              <inertial pos="0 -0.03 0.12" mass="4" diaginertia="0.1 0.09 0.02"/>
              <joint name="\(L[0].jointName)" axis="\(v(L[0].axis))" range="-\(limits[0]) \(limits[0])"/>
              <geom name="iiwa_link_1" fromto="0 0 0.02 0 0 \(L[1].offsetMetres.z)" size="0.07"/>
              <body name="\(L[1].name)" pos="\(v(L[1].offsetMetres))">
                <inertial pos="0.0003 0.059 0.042" mass="4" diaginertia="0.05 0.018 0.044"/>
                <joint name="\(L[1].jointName)" axis="\(v(L[1].axis))" range="-\(limits[1]) \(limits[1])"/>
                <geom name="iiwa_link_2" fromto="0 0 0 0 0 \(L[2].offsetMetres.z)" size="0.073" material="joint"/>
                <body name="\(L[2].name)" pos="\(v(L[2].offsetMetres))">
                  <inertial pos="0 0.03 0.13" mass="3" diaginertia="0.08 0.075 0.01"/>
                  <joint name="\(L[2].jointName)" axis="\(v(L[2].axis))" range="-\(limits[2]) \(limits[2])"/>
                  <geom name="iiwa_link_3" fromto="0 0 0.02 0 0 \(L[3].offsetMetres.z)" size="0.065"/>
                  <body name="\(L[3].name)" pos="\(v(L[3].offsetMetres))">
                    <inertial pos="0 0.067 0.034" mass="2.7" diaginertia="0.03 0.01 0.029"/>
                    <joint name="\(L[3].jointName)" axis="\(v(L[3].axis))" range="-\(limits[3]) \(limits[3])"/>
                    <geom name="iiwa_link_4" fromto="0 0 0 0 0 \(L[4].offsetMetres.z)" size="0.068" material="joint"/>
                    <body name="\(L[4].name)" pos="\(v(L[4].offsetMetres))">
                      <inertial pos="0.0001 0.021 0.076" mass="1.7" diaginertia="0.02 0.018 0.005"/>
                      <joint name="\(L[4].jointName)" axis="\(v(L[4].axis))" range="-\(limits[4]) \(limits[4])"/>
                      <geom name="iiwa_link_5" fromto="0 0 0.02 0 0 \(L[5].offsetMetres.z)" size="0.055"/>
                      <body name="\(L[5].name)" pos="\(v(L[5].offsetMetres))">
                        <inertial pos="0 0.0006 0.0004" mass="1.8" diaginertia="0.005 0.0036 0.0047"/>
                        <joint name="\(L[5].jointName)" axis="\(v(L[5].axis))" range="-\(limits[5]) \(limits[5])"/>
                        <geom name="iiwa_link_6" fromto="0 0 0 0 0 \(L[6].offsetMetres.z)" size="0.058" material="joint"/>
                        <body name="\(L[6].name)" pos="\(v(L[6].offsetMetres))">
                          <inertial pos="0 0 0.02" mass="0.3" diaginertia="0.001 0.001 0.001"/>
                          <joint name="\(L[6].jointName)" axis="\(v(L[6].axis))" range="-\(limits[6]) \(limits[6])"/>
                          <geom name="iiwa_link_7" type="cylinder" pos="0 0 0.0225" size="0.04 0.0225" material="arm"/>
                          <site name="\(OspreyArm.flangeFrame)" pos="\(v(OspreyArm.flangeOffsetMetres))"/>

                          <!-- Parallel-jaw gripper on the flange; fingers close along y. -->
                          <body name="\(OspreyArm.gripperName)" pos="\(v(OspreyArm.gripperOffsetMetres))">
                            <inertial pos="0 0 0.02" mass="0.8" diaginertia="0.002 0.001 0.002"/>
                            <geom name="gripper_palm" type="box" pos="0 0 0.02" size="0.03 0.075 0.02" material="gripper"/>
                            <site name="\(OspreyArm.toolCentrePointFrame)" pos="\(v(OspreyArm.toolCentrePointOffsetMetres))"/>
                            <camera name="\(OspreyArm.wristCameraFrame)" pos="\(v(OspreyArm.wristCameraOffsetMetres))" xyaxes="\(wristCameraXYAxes)" fovy="48.4"/>
                            <!-- Finger pads: priority 1 so their stiff contact parameters (time constant 4 ms,
                                 twice the step) govern their contacts; MuJoCo's default 20 ms lets a 40 N grip
                                 sink about 1 cm into a light object. -->
                            <body name="gripper_left_finger" pos="0 0 0.04">
                              <inertial pos="0 0.007 0.045" mass="0.05" diaginertia="2e-5 2e-5 1e-5"/>
                              <joint name="gripper_left" type="slide" axis="0 1 0" range="0 0.055" damping="10"/>
                              <geom name="gripper_left_finger" type="box" pos="0 0.007 0.045" size="0.012 0.006 0.045" friction="1.5 0.01 0.001" priority="1" solref="0.004 1" solimp="0.95 0.99 0.001" material="gripper"/>
                            </body>
                            <body name="gripper_right_finger" pos="0 0 0.04">
                              <inertial pos="0 -0.007 0.045" mass="0.05" diaginertia="2e-5 2e-5 1e-5"/>
                              <joint name="gripper_right" type="slide" axis="0 -1 0" range="0 0.055" damping="10"/>
                              <geom name="gripper_right_finger" type="box" pos="0 -0.007 0.045" size="0.012 0.006 0.045" friction="1.5 0.01 0.001" priority="1" solref="0.004 1" solimp="0.95 0.99 0.001" material="gripper"/>
                            </body>
                          </body>
                        </body>
                      </body>
                    </body>
                  </body>
                </body>
              </body>
            </body>
          </body>

      \(objectXML)
          <camera name="overview" pos="\(overviewEye.x) \(overviewEye.y) \(overviewEye.z)" xyaxes="\(lookAtXYAxes(eye: overviewEye, target: overviewTarget))" fovy="45"/>
        </worldbody>

        <contact>
          <exclude body1="gripper_left_finger" body2="gripper_right_finger"/>
          <!-- The base is welded to the world, so MuJoCo's parent filter does not apply to it and link 1's
               capsule (which overlaps the base by design) would rub on it. -->
          <exclude body1="\(OspreyArm.baseName)" body2="\(OspreyArm.links[0].name)"/>
        </contact>

        <actuator>
      \(actuators)
          <position name="gripper_left" joint="gripper_left" kp="2000" ctrllimited="true" ctrlrange="0 0.055" forcelimited="true" forcerange="-40 40"/>
          <position name="gripper_right" joint="gripper_right" kp="2000" ctrllimited="true" ctrlrange="0 0.055" forcelimited="true" forcerange="-40 40"/>
        </actuator>

        <keyframe>
          <key name="home" qpos="\(home) \(fingers)\(objectQpos)" ctrl="\(armControls) \(fingers)"/>
        </keyframe>
      </mujoco>
      """
  }
}

import Geometry

/// Osprey's 7-DOF arm: the KUKA LBR iiwa 14 R820's kinematics and limits, with a parallel-jaw
/// gripper, its tool centre point and a wrist camera. The one source of these numbers: the
/// Simulation module's `OspreyWorld` writes its MJCF from them.
///
/// Sources (facts; the model is ours): the data sheet's lengths — base to joint 2 axis 0.36 m, joint
/// 4 0.42 m further, joint 6 0.40 m further, flange 0.126 m after joint 6 — limits and torques; the
/// split of those lengths at the odd joints and the axis directions follow the link frames of the
/// iiwa 14 description in Drake (manipulation/models/iiwa_description).
public enum OspreyArm {
  /// One moving link: the body, the joint that moves it, where the joint sits in the parent.
  public struct Link: Sendable, Equatable {
    /// The body's name (`iiwa_link_1` … `iiwa_link_7`).
    public let name: String
    /// The joint's name (`iiwa_joint_1` … `iiwa_joint_7`).
    public let jointName: String
    /// The body's origin in its parent at q = 0, metres (also where the joint axis passes).
    public let offsetMetres: SIMD3<Double>
    /// The joint axis in the body's frame.
    public let axis: SIMD3<Double>
    /// The symmetric joint limit, degrees (the range is ±limit).
    public let limitDegrees: Double
    /// The data sheet's maximum joint torque, N·m.
    public let maximumTorqueNewtonMetres: Double
  }

  /// The fixed base body's name.
  public static let baseName = "iiwa_link_0"

  /// The seven moving links, base to flange.
  public static let links: [Link] = [
    Link(name: "iiwa_link_1", jointName: "iiwa_joint_1", offsetMetres: SIMD3(0, 0, 0.1575), axis: SIMD3(0, 0, 1), limitDegrees: 170, maximumTorqueNewtonMetres: 320),
    Link(name: "iiwa_link_2", jointName: "iiwa_joint_2", offsetMetres: SIMD3(0, 0, 0.2025), axis: SIMD3(0, 1, 0), limitDegrees: 120, maximumTorqueNewtonMetres: 320),
    Link(name: "iiwa_link_3", jointName: "iiwa_joint_3", offsetMetres: SIMD3(0, 0, 0.2045), axis: SIMD3(0, 0, 1), limitDegrees: 170, maximumTorqueNewtonMetres: 176),
    Link(name: "iiwa_link_4", jointName: "iiwa_joint_4", offsetMetres: SIMD3(0, 0, 0.2155), axis: SIMD3(0, -1, 0), limitDegrees: 120, maximumTorqueNewtonMetres: 176),
    Link(name: "iiwa_link_5", jointName: "iiwa_joint_5", offsetMetres: SIMD3(0, 0, 0.1845), axis: SIMD3(0, 0, 1), limitDegrees: 170, maximumTorqueNewtonMetres: 110),
    Link(name: "iiwa_link_6", jointName: "iiwa_joint_6", offsetMetres: SIMD3(0, 0, 0.2155), axis: SIMD3(0, 1, 0), limitDegrees: 120, maximumTorqueNewtonMetres: 40),
    Link(name: "iiwa_link_7", jointName: "iiwa_joint_7", offsetMetres: SIMD3(0, 0, 0.081), axis: SIMD3(0, 0, 1), limitDegrees: 175, maximumTorqueNewtonMetres: 40),
  ]

  /// The joints' names, base to flange.
  public static var jointNames: [String] { links.map(\.jointName) }

  /// The joint limits in radians (the range of joint i is ±`jointLimitsRadians[i]`).
  public static var jointLimitsRadians: [Double] { links.map { $0.limitDegrees * .pi / 180 } }

  /// The flange (frame `flange`) in link 7, metres: 0.081 + 0.045 = 0.126 m after joint 6.
  public static let flangeOffsetMetres = SIMD3<Double>(0, 0, 0.045)
  /// The gripper body (on the flange) in link 7.
  public static let gripperOffsetMetres = SIMD3<Double>(0, 0, 0.045)
  /// The tool centre point (frame `tcp`, between the fingertips) in the gripper body.
  public static let toolCentrePointOffsetMetres = SIMD3<Double>(0, 0, 0.11)
  /// The wrist camera's origin in the gripper body; it looks along the gripper's +z axis.
  public static let wristCameraOffsetMetres = SIMD3<Double>(0.06, 0, 0.02)
  /// The wrist camera's orientation in the gripper, OpenCV convention (x right, y down, z forward):
  /// the identity. MuJoCo's camera frame (y up, looking along −z) is this times diag(1, −1, −1).
  public static let R_GC = RotationMatrix.identity

  /// Names of the arm's frames in `tree`.
  public static let flangeFrame = "flange"
  /// The tool centre point between the fingertips.
  public static let toolCentrePointFrame = "tcp"
  /// The wrist camera, OpenCV convention (as `Simulation.cameraPose(of:)`).
  public static let wristCameraFrame = "wrist_camera"
  /// The gripper body's name.
  public static let gripperName = "gripper"

  /// The arm as a kinematic tree with its base at `X_W0`: bodies `iiwa_link_0` … `iiwa_link_7` and
  /// `gripper` (welded to link 7), frames `flange`, `tcp` and `wrist_camera`. The fingers' slide
  /// joints are not part of it (7 coordinates).
  public static func tree(X_W0: RigidTransform = .identity) -> MultibodyTree {
    var tree = MultibodyTree()
    do {
      var parent = try tree.addBody(name: baseName, parent: nil, X_PB: X_W0, joint: Joint(name: "\(baseName)_weld", kind: .fixed))
      for link in links {
        let limit = link.limitDegrees * .pi / 180
        parent = try tree.addBody(name: link.name, parent: parent, X_PB: RigidTransform(translation: link.offsetMetres),
                                  joint: Joint(name: link.jointName, kind: .revolute, axis: link.axis, limits: -limit...limit))
      }
      try tree.addFrame(name: flangeFrame, body: parent, X_BF: RigidTransform(translation: flangeOffsetMetres))
      let gripper = try tree.addBody(name: gripperName, parent: parent, X_PB: RigidTransform(translation: gripperOffsetMetres),
                                     joint: Joint(name: "gripper_weld", kind: .fixed))
      try tree.addFrame(name: toolCentrePointFrame, body: gripper, X_BF: RigidTransform(translation: toolCentrePointOffsetMetres))
      try tree.addFrame(name: wristCameraFrame, body: gripper, X_BF: RigidTransform(rotation: R_GC, translation: wristCameraOffsetMetres))
    } catch {
      preconditionFailure("OspreyArm.tree: the built-in model is invalid: \(error)")
    }
    return tree
  }
}

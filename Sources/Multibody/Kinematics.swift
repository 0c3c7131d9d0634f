import Geometry
import LinearAlgebra

/// Every body's and named frame's world pose at one configuration (`MultibodyTree.forwardKinematics`).
public struct KinematicsResult: Sendable, Equatable {
  /// The configuration the poses belong to.
  public let q: [Double]
  /// `X_WB` of every body, in `MultibodyTree.bodies` order.
  public let bodyPoses: [RigidTransform]
  /// `X_WF` of every named frame, in `MultibodyTree.frames` order.
  public let framePoses: [RigidTransform]

  /// `X_WB` of a body.
  public func pose(of body: BodyIndex) -> RigidTransform { bodyPoses[body.rawValue] }
  /// `X_WF` of a frame.
  public func pose(of frame: FrameIndex) -> RigidTransform { framePoses[frame.rawValue] }
}

extension MultibodyTree {
  /// Forward kinematics: the world pose of every body and named frame at `q`.
  ///
  /// ```
  /// X_WB = X_WP · X_PB(q_B)        (parents first; X_WP = identity for the world)
  /// X_WF = X_WB · X_BF
  /// ```
  /// - Throws: `MultibodyError` unless `q` has `positionCount` finite entries.
  /// - Complexity: O(bodies + frames).
  public func forwardKinematics(_ q: [Double]) throws(MultibodyError) -> KinematicsResult {
    try validate(q)
    var poses = [RigidTransform](repeating: .identity, count: bodies.count)
    bodyPoses(q, into: &poses)
    return KinematicsResult(q: q, bodyPoses: poses, framePoses: frames.map { poses[$0.body.rawValue] * $0.X_BF })
  }

  /// `X_WF` of one frame at `q`.
  /// - Throws: `MultibodyError` for a bad `q`.
  public func pose(of frame: FrameIndex, at q: [Double]) throws(MultibodyError) -> RigidTransform {
    try validate(q)
    precondition((0..<frames.count).contains(frame.rawValue), "pose(of:at:): \(frame) is not in the tree (\(frames.count) frames)")
    var poses = [RigidTransform](repeating: .identity, count: bodies.count)
    bodyPoses(q, into: &poses)
    return poses[frames[frame.rawValue].body.rawValue] * frames[frame.rawValue].X_BF
  }

  /// The geometric Jacobian of `frame` at `q`: 6 × n, rows 0–2 the linear velocity of the frame's
  /// origin and rows 3–5 the angular velocity of the frame, both expressed in the world
  /// (MuJoCo's `mj_jacSite` stacked as [translational; rotational]; Drake orders angular first):
  ///
  /// ```
  /// [v_WFo; ω_WF] = J(q) · q̇
  /// revolute joint k (world axis â through point o):  J[:, k] = [â × (p_WFo − o); â]
  /// prismatic joint k (world axis â):                  J[:, k] = [â; 0]
  /// ```
  /// Columns of joints that are not ancestors of the frame's body are zero.
  ///
  /// - Throws: `MultibodyError` for a bad `q`.
  /// - Complexity: O(bodies + depth of the frame's body).
  public func jacobian(of frame: FrameIndex, at q: [Double]) throws(MultibodyError) -> Matrix {
    try validate(q)
    precondition((0..<frames.count).contains(frame.rawValue), "jacobian(of:at:): \(frame) is not in the tree (\(frames.count) frames)")
    var poses = [RigidTransform](repeating: .identity, count: bodies.count)
    bodyPoses(q, into: &poses)
    var elements = [Double](repeating: 0, count: 6 * positionCount)
    let f = frames[frame.rawValue]
    jacobian(body: f.body, point: poses[f.body.rawValue] * f.X_BF.translation, bodyPoses: poses, into: &elements)
    return Matrix(rowCount: 6, columnCount: positionCount, elements: elements)
  }

  // MARK: Unchecked kernels (preallocated storage, no validation)

  /// Writes `X_WB` of every body for `q` (assumed valid) into `poses` (`bodies.count` entries).
  func bodyPoses(_ q: [Double], into poses: inout [RigidTransform]) {
    for (i, body) in bodies.enumerated() {
      var X_PB = body.X_PB
      if let k = body.coordinate {
        let joint = body.joint
        switch joint.kind {
        case .revolute:
          let R = RotationMatrix(axis: joint.axis, angle: q[k])
          X_PB = X_PB * RigidTransform(rotation: R, translation: joint.position - R * joint.position)
        case .prismatic:
          X_PB.translation += X_PB.rotation * (q[k] * joint.axis)
        case .fixed:
          break
        }
      }
      poses[i] = body.parent.map { poses[$0.rawValue] * X_PB } ?? X_PB
    }
  }

  /// Writes the 6 × n Jacobian (column-major) of the world point `p_WQ`, fixed to `body`, into
  /// `elements` (`6 · positionCount` entries, zeroed by the caller).
  func jacobian(body: BodyIndex, point p_WQ: SIMD3<Double>, bodyPoses poses: [RigidTransform], into elements: inout [Double]) {
    var current: BodyIndex? = body
    while let b = current {
      let B = bodies[b.rawValue]
      if let k = B.coordinate {
        let X_WB = poses[b.rawValue]
        let a = X_WB.rotation * B.joint.axis
        switch B.joint.kind {
        case .revolute:
          let v = cross(a, p_WQ - X_WB * B.joint.position)
          elements[6 * k + 0] = v.x
          elements[6 * k + 1] = v.y
          elements[6 * k + 2] = v.z
          elements[6 * k + 3] = a.x
          elements[6 * k + 4] = a.y
          elements[6 * k + 5] = a.z
        case .prismatic:
          elements[6 * k + 0] = a.x
          elements[6 * k + 1] = a.y
          elements[6 * k + 2] = a.z
        case .fixed:
          break
        }
      }
      current = B.parent
    }
  }
}

@inline(__always)
func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

import Geometry

/// A body's index in its `MultibodyTree` (bodies are numbered in the order they were added, so a
/// parent always comes before its children).
public struct BodyIndex: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The position in `MultibodyTree.bodies`.
  public let rawValue: Int
  /// Wraps a raw index (not checked against a tree).
  public init(_ rawValue: Int) { self.rawValue = rawValue }
  public static func < (a: BodyIndex, b: BodyIndex) -> Bool { a.rawValue < b.rawValue }
  public var description: String { "BodyIndex(\(rawValue))" }
}

/// A named frame's index in its `MultibodyTree`.
public struct FrameIndex: Hashable, Sendable, CustomStringConvertible {
  /// The position in `MultibodyTree.frames`.
  public let rawValue: Int
  /// Wraps a raw index (not checked against a tree).
  public init(_ rawValue: Int) { self.rawValue = rawValue }
  public var description: String { "FrameIndex(\(rawValue))" }
}

/// How a body moves relative to its parent.
public enum JointKind: Sendable, Equatable {
  /// Rotation about a unit axis (radians).
  case revolute
  /// Translation along a unit axis (metres).
  case prismatic
  /// No motion: the body is welded to its parent.
  case fixed
}

/// The joint between a body and its parent.
///
/// The joint's axis `a_B` is expressed in the child body B and passes through `p_BJ` (B's frame at
/// `q = 0` is where the parent puts it), as MuJoCo's `<joint axis pos>`:
///
/// ```
/// revolute:   X_PB(q) = X_PB(0) · [R(a_B, q) | p_BJ − R(a_B, q) · p_BJ]
/// prismatic:  X_PB(q) = X_PB(0) · [I | q · a_B]
/// ```
public struct Joint: Sendable, Equatable {
  /// The joint's name (unique in its tree).
  public var name: String
  /// Revolute, prismatic or fixed.
  public var kind: JointKind
  /// The unit axis in the child body's frame (ignored for fixed joints).
  public var axis: SIMD3<Double>
  /// A point of the axis in the child body's frame (default the origin; revolute joints only).
  public var position: SIMD3<Double>
  /// The range of the joint's coordinate (radians or metres).
  public var limits: ClosedRange<Double>

  /// A joint; `axis` is normalised when the tree is built.
  public init(name: String, kind: JointKind, axis: SIMD3<Double> = SIMD3(0, 0, 1), position: SIMD3<Double> = .zero,
              limits: ClosedRange<Double> = -Double.infinity...Double.infinity) {
    self.name = name
    self.kind = kind
    self.axis = axis
    self.position = position
    self.limits = limits
  }
}

/// A rigid body of a tree: its parent, its pose in the parent at `q = 0` and the joint that moves it.
public struct Body: Sendable, Equatable {
  /// The body's name (unique in its tree).
  public var name: String
  /// The parent body; nil for a body attached to the world.
  public var parent: BodyIndex?
  /// `X_PB(0)`: the body's pose in its parent (or the world) at `q = 0`.
  public var X_PB: RigidTransform
  /// The joint to the parent (`.fixed` for a weld).
  public var joint: Joint
  /// The index of the joint's coordinate in `q`, nil for a fixed joint.
  public internal(set) var coordinate: Int?
}

/// A named frame rigidly attached to a body, such as a flange, a tool centre point or a camera.
public struct Frame: Sendable, Equatable {
  /// The frame's name (unique in its tree).
  public var name: String
  /// The body it is attached to.
  public var body: BodyIndex
  /// `X_BF`: its pose in the body.
  public var X_BF: RigidTransform
}

/// Bad input to a `MultibodyTree` or its solvers: names the field and what is wrong with it.
public struct MultibodyError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The argument or field at fault, for example `"q"`, `"target"` or `"bodies[3].joint.axis"`.
  public var field: String
  /// What is wrong with it.
  public var message: String
  /// An error for `field`.
  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }
  public var description: String { "\(field): \(message)" }
}

/// A kinematic tree of rigid bodies joined by revolute, prismatic and fixed joints, with named frames:
/// forward kinematics, geometric Jacobians and inverse kinematics (`inverseKinematics`).
///
/// One coordinate per revolute or prismatic joint, in the order the bodies were added (for a chain,
/// base to tip). Value type: build it with `addBody` and `addFrame`, then query it from any thread.
///
/// ```swift
/// var tree = MultibodyTree()
/// let link = try tree.addBody(name: "link", parent: nil, X_PB: .identity,
///                             joint: Joint(name: "hinge", kind: .revolute, axis: [0, 0, 1]))
/// let tip = try tree.addFrame(name: "tip", body: link, X_BF: RigidTransform(translation: [1, 0, 0]))
/// let X_WT = try tree.pose(of: tip, at: [Double.pi / 2])   // tip at (0, 1, 0)
/// ```
public struct MultibodyTree: Sendable, Equatable {
  /// The bodies, parents before children.
  public private(set) var bodies: [Body] = []
  /// The named frames.
  public private(set) var frames: [Frame] = []
  /// The bodies that own a coordinate, in coordinate order (`q[i]` moves `coordinateBodies[i]`).
  public private(set) var coordinateBodies: [BodyIndex] = []

  /// An empty tree (only the world).
  public init() {}

  /// The number of coordinates `n` (revolute and prismatic joints).
  public var positionCount: Int { coordinateBodies.count }

  /// The joint limits, one per coordinate.
  public var positionLimits: [ClosedRange<Double>] { coordinateBodies.map { bodies[$0.rawValue].joint.limits } }

  /// The joints' names, one per coordinate.
  public var coordinateNames: [String] { coordinateBodies.map { bodies[$0.rawValue].joint.name } }

  /// Adds a body below `parent` (nil: the world).
  ///
  /// - Throws: `MultibodyError` for a duplicate body or joint name, an unknown parent, a non-finite
  ///   pose, a zero or non-finite axis, or empty or NaN limits.
  /// - Complexity: O(number of bodies) for the name checks.
  @discardableResult
  public mutating func addBody(name: String, parent: BodyIndex?, X_PB: RigidTransform, joint: Joint) throws(MultibodyError) -> BodyIndex {
    let field = "body \"\(name)\""
    if bodies.contains(where: { $0.name == name }) { throw MultibodyError(field: field, message: "a body of that name exists") }
    if let parent, !(0..<bodies.count).contains(parent.rawValue) {
      throw MultibodyError(field: field, message: "parent \(parent) is not in the tree (\(bodies.count) bodies)")
    }
    if !isFinite(X_PB) { throw MultibodyError(field: "\(field).X_PB", message: "is not finite: \(X_PB)") }
    var joint = joint
    if joint.kind != .fixed {
      if bodies.contains(where: { $0.joint.kind != .fixed && $0.joint.name == joint.name }) {
        throw MultibodyError(field: "\(field).joint", message: "a joint named \"\(joint.name)\" exists")
      }
      let length = (joint.axis * joint.axis).sum().squareRoot()
      guard length > 1e-12, length.isFinite else {
        throw MultibodyError(field: "\(field).joint.axis", message: "is \(joint.axis), expected a non-zero finite vector")
      }
      joint.axis /= length
      guard joint.position.x.isFinite, joint.position.y.isFinite, joint.position.z.isFinite else {
        throw MultibodyError(field: "\(field).joint.position", message: "is not finite: \(joint.position)")
      }
      guard !joint.limits.lowerBound.isNaN, !joint.limits.upperBound.isNaN, joint.limits.lowerBound < joint.limits.upperBound else {
        throw MultibodyError(field: "\(field).joint.limits", message: "is \(joint.limits), expected lower < upper")
      }
    }
    let index = BodyIndex(bodies.count)
    var body = Body(name: name, parent: parent, X_PB: X_PB, joint: joint, coordinate: nil)
    if joint.kind != .fixed {
      body.coordinate = coordinateBodies.count
      coordinateBodies.append(index)
    }
    bodies.append(body)
    return index
  }

  /// Adds a named frame on `body`.
  ///
  /// - Throws: `MultibodyError` for a duplicate frame name, an unknown body or a non-finite pose.
  @discardableResult
  public mutating func addFrame(name: String, body: BodyIndex, X_BF: RigidTransform) throws(MultibodyError) -> FrameIndex {
    let field = "frame \"\(name)\""
    if frames.contains(where: { $0.name == name }) { throw MultibodyError(field: field, message: "a frame of that name exists") }
    guard (0..<bodies.count).contains(body.rawValue) else {
      throw MultibodyError(field: field, message: "body \(body) is not in the tree (\(bodies.count) bodies)")
    }
    if !isFinite(X_BF) { throw MultibodyError(field: "\(field).X_BF", message: "is not finite: \(X_BF)") }
    frames.append(Frame(name: name, body: body, X_BF: X_BF))
    return FrameIndex(frames.count - 1)
  }

  /// The body named `name`.
  /// - Throws: `MultibodyError` (field `name`) when there is none.
  public func body(named name: String) throws(MultibodyError) -> BodyIndex {
    guard let i = bodies.firstIndex(where: { $0.name == name }) else {
      throw MultibodyError(field: "name", message: "the tree has no body named \"\(name)\"")
    }
    return BodyIndex(i)
  }

  /// The frame named `name`.
  /// - Throws: `MultibodyError` (field `name`) when there is none.
  public func frame(named name: String) throws(MultibodyError) -> FrameIndex {
    guard let i = frames.firstIndex(where: { $0.name == name }) else {
      throw MultibodyError(field: "name", message: "the tree has no frame named \"\(name)\"")
    }
    return FrameIndex(i)
  }

  /// The midpoint of each coordinate's limits (0 where a limit is infinite).
  public var centreConfiguration: [Double] {
    positionLimits.map { r in r.lowerBound.isFinite && r.upperBound.isFinite ? (r.lowerBound + r.upperBound) / 2 : 0 }
  }

  /// Throws unless `q` has `positionCount` finite entries.
  public func validate(_ q: [Double], field: String = "q") throws(MultibodyError) {
    guard q.count == positionCount else {
      throw MultibodyError(field: field, message: "has \(q.count) entries, expected \(positionCount)")
    }
    if let bad = q.firstIndex(where: { !$0.isFinite }) {
      throw MultibodyError(field: "\(field)[\(bad)]", message: "is \(q[bad]), expected a finite number")
    }
  }

  private func isFinite(_ X: RigidTransform) -> Bool {
    X.translation.x.isFinite && X.translation.y.isFinite && X.translation.z.isFinite
      && (0..<3).allSatisfy { i in (0..<3).allSatisfy { j in X.rotation[i, j].isFinite } }
  }
}

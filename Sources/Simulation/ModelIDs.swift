/// Typed indices into a loaded model, so a geom index cannot be passed where a body is meant.
/// Each wraps MuJoCo's 0-based id; look them up by name on `Simulation`.

/// A body of the model (0 is the world body).
public struct BodyID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's body id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  /// The world body.
  public static let world = BodyID(0)
  public static func < (a: BodyID, b: BodyID) -> Bool { a.index < b.index }
  public var description: String { "body #\(index)" }
}

/// A geom (collision and/or visual shape).
public struct GeomID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's geom id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  public static func < (a: GeomID, b: GeomID) -> Bool { a.index < b.index }
  public var description: String { "geom #\(index)" }
}

/// A site (a named frame attached to a body).
public struct SiteID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's site id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  public static func < (a: SiteID, b: SiteID) -> Bool { a.index < b.index }
  public var description: String { "site #\(index)" }
}

/// A camera defined in the model.
public struct CameraID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's camera id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  public static func < (a: CameraID, b: CameraID) -> Bool { a.index < b.index }
  public var description: String { "camera #\(index)" }
}

/// A joint.
public struct JointID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's joint id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  public static func < (a: JointID, b: JointID) -> Bool { a.index < b.index }
  public var description: String { "joint #\(index)" }
}

/// An actuator (one entry of `ctrl`).
public struct ActuatorID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// MuJoCo's actuator id.
  public let index: Int
  /// An id from MuJoCo's index.
  public init(_ index: Int) { self.index = index }
  public static func < (a: ActuatorID, b: ActuatorID) -> Bool { a.index < b.index }
  public var description: String { "actuator #\(index)" }
}

/// A joint's type and where its coordinates live in `qpos` and `qvel`.
public struct JointInfo: Equatable, Sendable {
  /// The kinds of joint MuJoCo has.
  public enum Kind: Equatable, Sendable {
    /// 7 position coordinates (position, unit quaternion w x y z), 6 velocities.
    case free
    /// 4 position coordinates (unit quaternion), 3 velocities.
    case ball
    /// 1 coordinate in metres.
    case slide
    /// 1 coordinate in radians.
    case hinge
  }

  /// The joint.
  public let id: JointID
  /// Its name ("" when unnamed).
  public let name: String
  /// Its kind.
  public let kind: Kind
  /// The body it moves.
  public let body: BodyID
  /// Index of its first coordinate in `qpos`.
  public let positionAddress: Int
  /// Index of its first coordinate in `qvel` (its first degree of freedom).
  public let velocityAddress: Int
  /// Its limits (radians or metres) when the joint is limited.
  public let range: ClosedRange<Double>?
}

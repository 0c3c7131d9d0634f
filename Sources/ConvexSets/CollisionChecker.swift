/// Answers whether a configuration of a robot is free of collision: the one thing configuration-space
/// IRIS (`irisInConfigurationSpace`) needs from a robot model.
///
/// A checker only has to answer `isFree`; one that knows more may also give the clearance (the
/// signed distance to collision). Checkers are queried from one thread at a time by Osprey; they
/// must be `Sendable` so that a caller may share them.
///
/// Osprey ships `PointRobotCollisionChecker` (a point among convex obstacles, the task-space case) and,
/// in GraphsOfConvexSets, `PlanarArmCollisionChecker` (a planar arm of capsule links among polygons).
///
/// ```swift
/// struct Disc: CollisionChecker {            // free unless within 1 of the origin
///   var dimension: Int { 2 }
///   func isFree(_ q: [Double]) -> Bool { q[0] * q[0] + q[1] * q[1] > 1 }
/// }
/// ```
public protocol CollisionChecker: Sendable {
  /// The number of coordinates of a configuration.
  var dimension: Int { get }
  /// Whether configuration `q` (of `dimension` entries) is free of collision.
  func isFree(_ q: [Double]) -> Bool
  /// The clearance of `q` when the checker can compute it: positive when free (a lower bound on the
  /// distance, in the robot's workspace, between the robot and the nearest obstacle), zero or
  /// negative in collision; `nil` when unknown (the default).
  func clearance(_ q: [Double]) -> Double?
}

extension CollisionChecker {
  public func clearance(_ q: [Double]) -> Double? { nil }

  /// Whether the straight segment from `a` to `b` is free, checked at points no more than
  /// `resolution` apart (in the Euclidean norm of configurations), ends included. A sampled test, as
  /// in sampling-based planners: a collision thinner than `resolution` can slip between two checks.
  ///
  /// - Precondition: `resolution > 0`; `a` and `b` have `dimension` entries.
  public func isSegmentFree(from a: [Double], to b: [Double], resolution: Double) -> Bool {
    precondition(resolution > 0, "isSegmentFree: resolution \(resolution) ≤ 0")
    precondition(a.count == dimension && b.count == dimension, "isSegmentFree: configurations of the wrong dimension")
    var length = 0.0
    for i in 0..<dimension { length += (b[i] - a[i]) * (b[i] - a[i]) }
    let steps = max(1, Int((length.squareRoot() / resolution).rounded(.up)))
    for k in 0...steps {
      let t = Double(k) / Double(steps)
      if !isFree((0..<dimension).map { a[$0] + t * (b[$0] - a[$0]) }) { return false }
    }
    return true
  }
}

/// A point robot among convex obstacles: `q` is free when it lies in no obstacle (closed sets, at the
/// sets' default membership tolerance 1e-9). The task-space case, where the configuration is a
/// position.
public struct PointRobotCollisionChecker: CollisionChecker {
  /// The obstacles, all of dimension `dimension`.
  public let obstacles: [any ConvexSet]
  public let dimension: Int

  /// - Throws: `ConvexSetError` (field `obstacles[k]`) when an obstacle's dimension is not `dimension`.
  public init(dimension: Int, obstacles: [any ConvexSet]) throws(ConvexSetError) {
    for (k, o) in obstacles.enumerated() where o.ambientDimension != dimension {
      throw ConvexSetError(field: "obstacles[\(k)]", message: "has dimension \(o.ambientDimension), expected \(dimension)")
    }
    self.dimension = dimension
    self.obstacles = obstacles
  }

  public func isFree(_ q: [Double]) -> Bool { !obstacles.contains { $0.contains(q) } }
}

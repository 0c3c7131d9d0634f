/// Options of `iris(obstacles:seed:domain:options:)` (Deits & Tedrake, "Computing large convex
/// regions of obstacle-free space through semidefinite programming", WAFR 2014; Drake's `Iris`).
public struct IrisOptions: Sendable, Equatable {
  /// Most alternations of separating hyperplanes and inscribed ellipsoid (default 100, as Drake).
  public var iterationLimit: Int = 100
  /// Stop when the ellipsoid's volume grows by less than this fraction in one iteration (default 2e-2,
  /// as Drake's `termination_threshold`).
  public var terminationThreshold: Double = 2e-2
  /// Stop when the relative growth of the volume falls below this (default 1e-3, as Drake's
  /// `relative_termination_threshold`).
  public var relativeTerminationThreshold: Double = 1e-3
  /// Points the region must keep inside (Drake's `configuration_space_margin` / containment points):
  /// a hyperplane that would cut one of them off is not added, and IRIS stops.
  public var requiredContainmentPoints: [[Double]] = []
  /// Most faces the region may have besides the domain's (default: no limit).
  public var maximumFaces: Int? = nil

  public init() {}
}

/// The IRIS region grown from `seed` among `obstacles` inside `domain`.
///
/// - Throws: `ConvexSetError` when dimensions differ, the seed is outside the domain or inside an
///   obstacle, or the inscribed-ellipsoid step fails.
public func iris(
  obstacles: [any ConvexSet], seed: [Double], domain: HPolyhedron, options: IrisOptions = IrisOptions()
) throws(ConvexSetError) -> HPolyhedron {
  throw ConvexSetError(field: "iris", message: "is not implemented yet")
}

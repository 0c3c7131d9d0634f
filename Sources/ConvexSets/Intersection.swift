import ConicSolver

/// The intersection of convex sets of one dimension.
public struct Intersection: ConvexSet {
  /// The sets.
  public var sets: [any ConvexSet]

  /// - Throws: `ConvexSetError` when there are no sets or their dimensions differ.
  public init(_ sets: [any ConvexSet]) throws(ConvexSetError) {
    guard let n = sets.first?.ambientDimension else { throw ConvexSetError(field: "sets", message: "is empty") }
    for (k, s) in sets.enumerated() where s.ambientDimension != n {
      throw ConvexSetError(field: "sets[\(k)]", message: "has dimension \(s.ambientDimension), expected \(n)")
    }
    self.sets = sets
  }

  public var ambientDimension: Int { sets[0].ambientDimension }

  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    sets.allSatisfy { $0.contains(x, tolerance: tolerance) }
  }

  /// All the sets' constraints on one point.
  public var conicDescription: ConicSetDescription {
    var d = sets[0].conicDescription
    for s in sets.dropFirst() { d = d.intersected(with: s.conicDescription) }
    return d
  }

  /// Bounded when any member is known to be bounded; otherwise undecided.
  public var isBoundedByConstruction: Bool? { sets.contains { $0.isBoundedByConstruction == true } ? true : nil }

  public var description: String { "Intersection(" + sets.map(\.description).joined(separator: ", ") + ")" }
}

import ConicSolver

/// The Cartesian product `X₁ × X₂ × …`; a point stacks the factors' points in order.
public struct CartesianProduct: ConvexSet {
  /// The factors.
  public var sets: [any ConvexSet]

  /// - Throws: `ConvexSetError` when there are no factors.
  public init(_ sets: [any ConvexSet]) throws(ConvexSetError) {
    if sets.isEmpty { throw ConvexSetError(field: "sets", message: "is empty") }
    self.sets = sets
  }

  public var ambientDimension: Int { sets.reduce(0) { $0 + $1.ambientDimension } }

  /// The range of coordinates that belongs to factor `k`.
  public func coordinates(ofFactor k: Int) -> Range<Int> {
    let start = sets[..<k].reduce(0) { $0 + $1.ambientDimension }
    return start..<(start + sets[k].ambientDimension)
  }

  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    precondition(x.count == ambientDimension, "CartesianProduct.contains: point of dimension \(x.count), set of dimension \(ambientDimension)")
    for k in sets.indices where !sets[k].contains(Array(x[coordinates(ofFactor: k)]), tolerance: tolerance) {
      return false
    }
    return true
  }

  public var conicDescription: ConicSetDescription {
    var d = sets[0].conicDescription
    for s in sets.dropFirst() { d = d.product(with: s.conicDescription) }
    return d
  }

  /// Bounded exactly when every factor is; undecided when a factor is undecided.
  public var isBoundedByConstruction: Bool? {
    var result: Bool? = true
    for s in sets {
      switch s.isBoundedByConstruction {
      case false?: return false
      case nil: result = nil
      case true?: break
      }
    }
    return result
  }

  public var description: String { "CartesianProduct(" + sets.map(\.description).joined(separator: ", ") + ")" }
}

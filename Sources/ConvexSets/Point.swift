import ConicSolver

/// The singleton `{x₀}`.
public struct Point: ConvexSet, Equatable {
  /// The point.
  public var x: [Double]

  /// - Throws: `ConvexSetError` when `x` is empty or not finite.
  public init(_ x: [Double]) throws(ConvexSetError) {
    if x.isEmpty { throw ConvexSetError(field: "x", message: "is empty") }
    try checkFinite(x, field: "x")
    self.x = x
  }

  public var ambientDimension: Int { x.count }

  /// `‖x − x₀‖∞ ≤ tolerance`.
  public func contains(_ y: [Double], tolerance: Double) -> Bool {
    precondition(y.count == x.count, "Point.contains: point of dimension \(y.count), set of dimension \(x.count)")
    for i in x.indices where abs(y[i] - x[i]) > tolerance { return false }
    return true
  }

  /// `x − x₀ = 0`.
  public var conicDescription: ConicSetDescription {
    let rows = x.indices.map { ConicSetDescription.SparseRow(columns: [$0], values: [1]) }
    return ConicSetDescription(
      dimension: x.count, blocks: [.init(kind: .zero, rows: rows, constants: x.map { -$0 })])
  }

  public var isBoundedByConstruction: Bool? { true }

  public var description: String { "Point(\(formatVector(x)))" }
}

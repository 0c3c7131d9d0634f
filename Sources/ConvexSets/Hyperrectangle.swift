import ConicSolver

/// The axis-aligned box `{x : lb ≤ x ≤ ub}` with finite bounds.
public struct Hyperrectangle: ConvexSet, Equatable {
  /// Lower bounds.
  public var lb: [Double]
  /// Upper bounds.
  public var ub: [Double]

  /// - Throws: `ConvexSetError` when the bounds differ in length, are empty, not finite, or
  ///   `lb[i] > ub[i]` (an empty box is not a box users mean to make).
  public init(lb: [Double], ub: [Double]) throws(ConvexSetError) {
    if lb.isEmpty { throw ConvexSetError(field: "lb", message: "is empty") }
    if lb.count != ub.count {
      throw ConvexSetError(field: "ub", message: "has \(ub.count) entries but lb has \(lb.count)")
    }
    try checkFinite(lb, field: "lb")
    try checkFinite(ub, field: "ub")
    for i in lb.indices where lb[i] > ub[i] {
      throw ConvexSetError(field: "lb[\(i)]", message: "is \(lb[i]), above ub[\(i)] = \(ub[i])")
    }
    self.lb = lb
    self.ub = ub
  }

  public var ambientDimension: Int { lb.count }

  /// The centre `(lb + ub)/2`.
  public var center: [Double] { lb.indices.map { 0.5 * (lb[$0] + ub[$0]) } }

  /// The volume `∏ (ubᵢ − lbᵢ)`.
  public var volume: Double { lb.indices.reduce(1.0) { $0 * (ub[$1] - lb[$1]) } }

  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    precondition(x.count == lb.count, "Hyperrectangle.contains: point of dimension \(x.count), set of dimension \(lb.count)")
    for i in lb.indices where x[i] < lb[i] - tolerance || x[i] > ub[i] + tolerance { return false }
    return true
  }

  /// `ub − x ≥ 0` and `x − lb ≥ 0`.
  public var conicDescription: ConicSetDescription {
    var rows: [ConicSetDescription.SparseRow] = []
    var constants: [Double] = []
    for i in lb.indices {
      rows.append(.init(columns: [i], values: [-1]))
      constants.append(ub[i])
      rows.append(.init(columns: [i], values: [1]))
      constants.append(-lb[i])
    }
    return ConicSetDescription(dimension: lb.count, blocks: [.init(kind: .nonnegative, rows: rows, constants: constants)])
  }

  public var isBoundedByConstruction: Bool? { true }

  public var description: String { "Hyperrectangle(lb: \(formatVector(lb)), ub: \(formatVector(ub)))" }
}

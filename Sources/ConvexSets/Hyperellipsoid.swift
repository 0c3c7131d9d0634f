import ConicSolver
import LinearAlgebra

/// The ellipsoid `{x : ‖A (x − c)‖₂ ≤ 1}` (Drake's convention).
///
/// `A` is `m × n`; when it has full column rank the set is bounded, with semi-axes the inverse
/// singular values of `A`.
public struct Hyperellipsoid: ConvexSet, Equatable {
  /// The shape matrix.
  public var A: Matrix
  /// The centre `c`.
  public var center: [Double]

  /// - Throws: `ConvexSetError` when `A` has no rows, its column count differs from the centre's
  ///   length, or data are not finite.
  public init(A: Matrix, center: [Double]) throws(ConvexSetError) {
    if center.isEmpty { throw ConvexSetError(field: "center", message: "is empty") }
    if A.rowCount == 0 { throw ConvexSetError(field: "A", message: "has no rows") }
    if A.columnCount != center.count {
      throw ConvexSetError(field: "A", message: "has \(A.columnCount) columns but center has \(center.count) entries")
    }
    try checkFinite(A.elements, field: "A")
    try checkFinite(center, field: "center")
    self.A = A
    self.center = center
  }

  /// The ball `{x : ‖x − c‖ ≤ radius}`.
  /// - Throws: `ConvexSetError` when `radius` is not positive and finite.
  public static func ball(center: [Double], radius: Double) throws(ConvexSetError) -> Hyperellipsoid {
    guard radius > 0, radius.isFinite else { throw ConvexSetError(field: "radius", message: "is \(radius), expected > 0") }
    return try Hyperellipsoid(A: (1 / radius) * Matrix.identity(center.count), center: center)
  }

  public var ambientDimension: Int { center.count }

  /// `‖A (x − c)‖ ≤ 1 + tolerance`.
  public func contains(_ x: [Double], tolerance: Double) -> Bool {
    precondition(x.count == center.count, "Hyperellipsoid.contains: point of dimension \(x.count), set of dimension \(center.count)")
    let d = x.indices.map { x[$0] - center[$0] }
    return (A * d).norm2 <= 1 + tolerance
  }

  /// `(1, A x − A c) ∈ second-order cone`.
  public var conicDescription: ConicSetDescription {
    let ac = A * center
    var rows: [ConicSetDescription.SparseRow] = [.init(columns: [], values: [])]
    var constants: [Double] = [1]
    for i in 0..<A.rowCount {
      rows.append(.init(dense: A.row(i)))
      constants.append(-ac[i])
    }
    return ConicSetDescription(dimension: center.count, blocks: [.init(kind: .secondOrder, rows: rows, constants: constants)])
  }

  /// Bounded exactly when `A` has full column rank; decided by the caller with a rank test.
  public var isBoundedByConstruction: Bool? { A.rowCount >= A.columnCount ? nil : false }

  public var description: String { "Hyperellipsoid(center: \(formatVector(center)))" }
}

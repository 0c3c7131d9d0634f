import ConicSolver
import LinearAlgebra

// The queries every convex set answers: emptiness, boundedness, bounding box, closest point and
// intersection. The defaults work on the conic description alone, so they serve any set (an
// `Intersection`, a `CartesianProduct`, a user's own type); the set types with a closed form
// override the protocol requirements below.
//
// Solver outcomes that decide nothing (iteration limit, numerical error) are read conservatively:
// `isEmpty()` is `true` only with a certificate of infeasibility, `isBounded()` is `true` only when
// every coordinate was found bounded (or the set empty), and `boundingBox()` is `nil`.

extension ConvexSet {
  /// Whether the set has no points: one conic feasibility solve over `conicDescription`.
  ///
  /// ```
  /// find x, w  such that  M [x; w] + c ∈ K
  /// ```
  /// Returns `true` only when the solver returns a certificate of infeasibility; an undecided
  /// solve (iteration limit, numerical error) counts as non-empty.
  /// - Complexity: one interior-point solve on the description.
  public func isEmpty() -> Bool {
    LinearMinimizer(conicDescription).feasibility() == .infeasible
  }

  /// Whether the set is bounded; the empty set is bounded.
  ///
  /// Uses `isBoundedByConstruction` when it is known; otherwise minimizes and maximizes every
  /// coordinate (`2n` solves on one solver, stopping at the first unbounded one). A set that
  /// cannot be decided (undecided solver status) is reported unbounded.
  /// - Complexity: at most `2n` interior-point solves.
  public func isBounded() -> Bool {
    if let known = isBoundedByConstruction { return known }
    return genericIsBounded()
  }

  /// The smallest axis-aligned box `[lb, ub]` containing the set, by minimizing and maximizing every
  /// coordinate; `nil` when the set is empty or unbounded (or a solve is undecided).
  ///
  /// ```
  /// lbᵢ = min { xᵢ : x ∈ X },   ubᵢ = max { xᵢ : x ∈ X }
  /// ```
  /// The bounds are accurate to the solver's tolerance (about 1e-8 relative).
  /// - Complexity: `2n` interior-point solves on one solver (its symbolic analysis is reused).
  public func boundingBox() -> Hyperrectangle? {
    genericBoundingBox()
  }

  /// The Euclidean projection of `y` onto the set: one conic QP.
  ///
  /// ```
  /// minimize ½‖x − y‖²  subject to  x ∈ X
  /// ```
  /// Returns `nil` when the set is empty or the solve is undecided.
  /// - Complexity: one interior-point solve.
  /// - Precondition: `y.count == ambientDimension`.
  public func closestPoint(to y: [Double]) -> [Double]? {
    genericClosestPoint(to: y)
  }

  /// Whether the set and `other` have a common point: one feasibility solve of both descriptions
  /// on one point.
  ///
  /// ```
  /// find x, w, w'  such that  M [x; w] + c ∈ K,  M' [x; w'] + c' ∈ K'
  /// ```
  /// An undecided solve counts as intersecting (as `isEmpty()` does).
  /// - Complexity: one interior-point solve on the two descriptions together.
  /// - Precondition: both sets have the same ambient dimension.
  public func intersects(_ other: any ConvexSet) -> Bool {
    precondition(
      other.ambientDimension == ambientDimension,
      "intersects: sets of dimension \(ambientDimension) and \(other.ambientDimension)")
    let both = conicDescription.intersected(with: other.conicDescription)
    return LinearMinimizer(both).feasibility() != .infeasible
  }

  /// The conic-description answer to `isBounded()`, whatever `isBoundedByConstruction` says.
  func genericIsBounded() -> Bool {
    switch coordinateExtremes(of: conicDescription) {
    case .bounded, .empty: return true
    case .unbounded, .undecided: return false
    }
  }

  /// The conic-description answer to `boundingBox()`.
  func genericBoundingBox() -> Hyperrectangle? {
    guard case .bounded(let extremes) = coordinateExtremes(of: conicDescription) else { return nil }
    return try? Hyperrectangle(lb: extremes.lower, ub: extremes.upper)
  }

  /// The conic-description answer to `closestPoint(to:)`.
  func genericClosestPoint(to y: [Double]) -> [Double]? {
    precondition(y.count == ambientDimension, "closestPoint: point of dimension \(y.count), set of dimension \(ambientDimension)")
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(ambientDimension))
    conicDescription.addConstraints(to: &builder, point: x)
    for i in x.indices {
      builder.addQuadraticCost(x[i], x[i], 1)
      builder.addLinearCost(x[i], -y[i])
    }
    guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else { return nil }
    if problem.constraintCount == 0 { return y }
    let result = solver.solve()
    return result.status.hasSolution ? Array(result.x[0..<ambientDimension]) : nil
  }
}

// MARK: - Closed forms

extension Point {
  /// Never empty.
  /// - Complexity: O(1).
  public func isEmpty() -> Bool { false }

  /// Always bounded.
  /// - Complexity: O(1).
  public func isBounded() -> Bool { true }

  /// The degenerate box `[x, x]`.
  /// - Complexity: O(n).
  public func boundingBox() -> Hyperrectangle? { try? Hyperrectangle(lb: x, ub: x) }

  /// The point itself.
  /// - Complexity: O(n).
  public func closestPoint(to y: [Double]) -> [Double]? {
    precondition(y.count == x.count, "Point.closestPoint: point of dimension \(y.count), set of dimension \(x.count)")
    return x
  }
}

extension Hyperrectangle {
  /// Never empty (the initializer rejects `lb > ub`).
  /// - Complexity: O(1).
  public func isEmpty() -> Bool { false }

  /// Always bounded.
  /// - Complexity: O(1).
  public func isBounded() -> Bool { true }

  /// The box itself.
  /// - Complexity: O(n).
  public func boundingBox() -> Hyperrectangle? { self }

  /// `y` clamped to `[lb, ub]` coordinate by coordinate.
  /// - Complexity: O(n).
  public func closestPoint(to y: [Double]) -> [Double]? {
    precondition(y.count == lb.count, "Hyperrectangle.closestPoint: point of dimension \(y.count), set of dimension \(lb.count)")
    return y.indices.map { min(max(y[$0], lb[$0]), ub[$0]) }
  }
}

extension VPolytope {
  /// Never empty (the initializer needs at least one point).
  /// - Complexity: O(1).
  public func isEmpty() -> Bool { false }

  /// Always bounded.
  /// - Complexity: O(1).
  public func isBounded() -> Bool { true }

  /// The coordinate-wise minimum and maximum over the points.
  /// - Complexity: O(n·p) for `p` points.
  public func boundingBox() -> Hyperrectangle? {
    let n = vertices.rowCount
    var lower = [Double](repeating: .infinity, count: n)
    var upper = [Double](repeating: -.infinity, count: n)
    for j in 0..<vertices.columnCount {
      for i in 0..<n {
        let v = vertices[i, j]
        lower[i] = min(lower[i], v)
        upper[i] = max(upper[i], v)
      }
    }
    return try? Hyperrectangle(lb: lower, ub: upper)
  }
}

extension Hyperellipsoid {
  /// Never empty (it holds its centre).
  /// - Complexity: O(1).
  public func isEmpty() -> Bool { false }

  /// Bounded exactly when `A` has full column rank, decided from the eigenvalues of `AᵀA`: the
  /// ellipsoid counts as unbounded when `λ_min(AᵀA) ≤ 1e-14 · λ_max(AᵀA)` (a semi-axis more than
  /// 10⁷ times the shortest one is treated as infinite).
  /// - Complexity: O(m·n² + n³).
  public func isBounded() -> Bool { semiAxisSpreadSquared() != nil }

  /// The box with centre `c` and half-widths `√((AᵀA)⁻¹)ᵢᵢ`; `nil` when unbounded (see `isBounded()`).
  ///
  /// ```
  /// max { xᵢ : ‖A(x − c)‖ ≤ 1 } = cᵢ + √(eᵢᵀ (AᵀA)⁻¹ eᵢ)
  /// ```
  /// For square `A` the half-width is the norm of row `i` of `A⁻¹`.
  /// - Complexity: O(m·n² + n³).
  public func boundingBox() -> Hyperrectangle? {
    guard let spread = semiAxisSpreadSquared() else { return nil }
    let n = center.count
    let lower = (0..<n).map { center[$0] - spread[$0].squareRoot() }
    let upper = (0..<n).map { center[$0] + spread[$0].squareRoot() }
    return try? Hyperrectangle(lb: lower, ub: upper)
  }

  /// The diagonal of `(AᵀA)⁻¹`, or `nil` when `AᵀA` is numerically singular.
  func semiAxisSpreadSquared() -> [Double]? {
    let n = center.count
    let gram = A.multiplied(by: A, transposingSelf: true)
    guard let eigen = try? SymmetricEigendecomposition(gram), let largest = eigen.eigenvalues.last, largest > 0,
      eigen.eigenvalues[0] > 1e-14 * largest
    else { return nil }
    var diagonal = [Double](repeating: 0, count: n)
    for k in 0..<n {
      let inverse = 1 / eigen.eigenvalues[k]
      for i in 0..<n {
        let v = eigen.eigenvectors[i, k]
        diagonal[i] += v * v * inverse
      }
    }
    return diagonal
  }
}

extension CartesianProduct {
  /// Empty exactly when some factor is.
  /// - Complexity: the factors' `isEmpty()`, stopping at the first empty one.
  public func isEmpty() -> Bool { sets.contains { $0.isEmpty() } }

  /// Bounded when every factor is bounded, or some factor is empty (then the product is empty).
  /// - Complexity: the factors' `isBounded()`, then at most their `isEmpty()`.
  public func isBounded() -> Bool {
    if sets.allSatisfy({ $0.isBounded() }) { return true }
    return isEmpty()
  }

  /// The product of the factors' bounding boxes; `nil` when any factor has none.
  /// - Complexity: the factors' `boundingBox()`.
  public func boundingBox() -> Hyperrectangle? {
    var lower: [Double] = []
    var upper: [Double] = []
    for s in sets {
      guard let box = s.boundingBox() else { return nil }
      lower += box.lb
      upper += box.ub
    }
    return try? Hyperrectangle(lb: lower, ub: upper)
  }

  /// The factors' closest points, stacked; `nil` when any factor is empty.
  /// - Complexity: the factors' `closestPoint(to:)`.
  public func closestPoint(to y: [Double]) -> [Double]? {
    precondition(y.count == ambientDimension, "CartesianProduct.closestPoint: point of dimension \(y.count), set of dimension \(ambientDimension)")
    var out: [Double] = []
    for k in sets.indices {
      guard let part = sets[k].closestPoint(to: Array(y[coordinates(ofFactor: k)])) else { return nil }
      out += part
    }
    return out
  }
}

extension Intersection {
  /// Bounded when a member is known bounded by construction, or is found bounded; otherwise
  /// decided on the whole description (`2n` solves).
  /// - Complexity: the members' `isBounded()`, then at most `2n` interior-point solves.
  public func isBounded() -> Bool {
    if isBoundedByConstruction == true { return true }
    if sets.contains(where: { $0.isBounded() }) { return true }
    return genericIsBounded()
  }
}

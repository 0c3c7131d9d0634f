import LinearAlgebra

/// An affine expression `Σ cᵢ x_{jᵢ} + constant` over the variables of a `ConicProgramBuilder`.
public struct AffineExpression: Sendable, Equatable {
  /// Variable indices (may repeat; repeated terms add up).
  public var indices: [Int]
  /// Coefficients, one per index.
  public var coefficients: [Double]
  /// The constant term.
  public var constant: Double

  public init(indices: [Int] = [], coefficients: [Double] = [], constant: Double = 0) {
    precondition(indices.count == coefficients.count, "AffineExpression: \(indices.count) indices but \(coefficients.count) coefficients")
    self.indices = indices
    self.coefficients = coefficients
    self.constant = constant
  }

  /// The expression `coefficient · x_index`.
  public static func variable(_ index: Int, coefficient: Double = 1) -> AffineExpression {
    AffineExpression(indices: [index], coefficients: [coefficient])
  }

  /// The constant expression `value`.
  public static func constant(_ value: Double) -> AffineExpression {
    AffineExpression(constant: value)
  }

  /// Adds `coefficient · x_index`.
  public mutating func add(_ index: Int, _ coefficient: Double) {
    if coefficient != 0 {
      indices.append(index)
      coefficients.append(coefficient)
    }
  }

  /// Adds `scale · other`.
  public mutating func add(_ other: AffineExpression, scale: Double = 1) {
    for k in other.indices.indices where other.coefficients[k] != 0 {
      indices.append(other.indices[k])
      coefficients.append(scale * other.coefficients[k])
    }
    constant += scale * other.constant
  }

  /// Value at `x`.
  public func value(at x: [Double]) -> Double {
    var total = constant
    for k in indices.indices { total += coefficients[k] * x[indices[k]] }
    return total
  }
}

/// The kind of cone a block of affine expressions must lie in.
public enum ConeKind: Sendable, Hashable {
  /// Every expression is zero.
  case zero
  /// Every expression is nonnegative.
  case nonnegative
  /// The expressions `(t, u₁, …, u_k)` satisfy `‖u‖₂ ≤ t`.
  case secondOrder
}

/// Builds a `ConicProblem` from variables, costs and conic constraints on affine expressions.
///
/// A constraint says `(e₁(x), …, e_k(x)) ∈ K`. In the solver's form `Ax + s = b, s ∈ K` the slack is
/// `s = e(x)`, so a row of `A` holds the negated coefficients and `b` the constant. Rows are grouped by
/// cone kind when the problem is built (all equalities, then all inequalities, then the second-order
/// cones in the order they were added), so the solver sees few, large cones.
///
/// ```
/// minimize    ½ xᵀPx + qᵀx + c
/// subject to  e_block(x) ∈ K_block   for every block
/// ```
public struct ConicProgramBuilder: Sendable {
  /// Number of variables so far.
  public private(set) var variableCount = 0
  private var linearCost: [Double] = []
  private var quadraticRows: [Int] = []
  private var quadraticColumns: [Int] = []
  private var quadraticValues: [Double] = []
  /// Constant added to the objective.
  public var objectiveConstant: Double = 0

  private var zeroRows: [AffineExpression] = []
  private var nonnegativeRows: [AffineExpression] = []
  private var secondOrderRows: [AffineExpression] = []
  private var secondOrderSizes: [Int] = []

  public init() {}

  /// Number of rows of each kind added so far: (zero, nonnegative, second-order).
  public var rowCounts: (zero: Int, nonnegative: Int, secondOrder: Int) {
    (zeroRows.count, nonnegativeRows.count, secondOrderRows.count)
  }

  /// Adds `count` variables and returns their indices.
  public mutating func addVariables(_ count: Int) -> Range<Int> {
    precondition(count >= 0, "addVariables: count \(count) < 0")
    let first = variableCount
    variableCount += count
    linearCost.append(contentsOf: repeatElement(0, count: count))
    return first..<variableCount
  }

  /// Adds `coefficient · x_index` to the cost.
  public mutating func addLinearCost(_ index: Int, _ coefficient: Double) {
    precondition(index >= 0 && index < variableCount, "addLinearCost: index \(index) out of 0..<\(variableCount)")
    linearCost[index] += coefficient
  }

  /// Adds the affine expression to the cost (its constant goes to the objective constant).
  public mutating func addLinearCost(_ expression: AffineExpression) {
    for k in expression.indices.indices { addLinearCost(expression.indices[k], expression.coefficients[k]) }
    objectiveConstant += expression.constant
  }

  /// Adds `½ value · (x_i x_j + x_j x_i)` for `i ≠ j`, or `½ value · x_i²` for `i = j`, to the cost.
  ///
  /// Call it for every entry of a symmetric matrix `Q` (both triangles) to add `½ xᵀQx`; only the
  /// upper triangle is kept.
  public mutating func addQuadraticCost(_ i: Int, _ j: Int, _ value: Double) {
    precondition(i >= 0 && i < variableCount && j >= 0 && j < variableCount, "addQuadraticCost: (\(i), \(j)) out of range")
    if value == 0 { return }
    if i == j {
      quadraticRows.append(i)
      quadraticColumns.append(i)
      quadraticValues.append(value)
    } else if i < j {
      quadraticRows.append(i)
      quadraticColumns.append(j)
      quadraticValues.append(value)
    }
    // The lower-triangle entry (i > j) mirrors an upper one that the caller also passes.
  }

  /// Adds the constraint `(expressions) ∈ K` for a cone of the given kind.
  ///
  /// A second-order block needs at least one expression; its first expression is `t`.
  public mutating func addConstraint(_ kind: ConeKind, _ expressions: [AffineExpression]) {
    for e in expressions {
      for index in e.indices {
        precondition(index >= 0 && index < variableCount, "addConstraint: variable index \(index) out of 0..<\(variableCount)")
      }
    }
    switch kind {
    case .zero: zeroRows.append(contentsOf: expressions)
    case .nonnegative: nonnegativeRows.append(contentsOf: expressions)
    case .secondOrder:
      precondition(!expressions.isEmpty, "addConstraint: a second-order cone needs at least one expression")
      secondOrderRows.append(contentsOf: expressions)
      secondOrderSizes.append(expressions.count)
    }
  }

  /// The rows of the built problem that hold the zero, nonnegative and second-order blocks.
  public var rowRanges: (zero: Range<Int>, nonnegative: Range<Int>, secondOrder: Range<Int>) {
    let z = zeroRows.count
    let n = nonnegativeRows.count
    return (0..<z, z..<(z + n), (z + n)..<(z + n + secondOrderRows.count))
  }

  /// The problem in the solver's form.
  /// - Throws: `ConicProblemError` when data are not finite.
  public func build(name: String? = nil) throws(ConicProblemError) -> ConicProblem {
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    var b: [Double] = []
    let all = zeroRows + nonnegativeRows + secondOrderRows
    b.reserveCapacity(all.count)
    for (r, e) in all.enumerated() {
      for k in e.indices.indices where e.coefficients[k] != 0 {
        rows.append(r)
        columns.append(e.indices[k])
        values.append(-e.coefficients[k])
      }
      b.append(e.constant)
    }
    let A = SparseMatrixCSC(rowCount: all.count, columnCount: variableCount, rows: rows, columns: columns, values: values)
    let P = SparseMatrixCSC(
      rowCount: variableCount, columnCount: variableCount, rows: quadraticRows, columns: quadraticColumns,
      values: quadraticValues)
    var cones: [ConeSpec] = []
    if !zeroRows.isEmpty { cones.append(.zero(zeroRows.count)) }
    if !nonnegativeRows.isEmpty { cones.append(.nonnegative(nonnegativeRows.count)) }
    for d in secondOrderSizes { cones.append(.secondOrder(d)) }
    return try ConicProblem(
      P: P, q: linearCost, A: A, b: b, cones: cones, objectiveConstant: objectiveConstant, name: name)
  }
}

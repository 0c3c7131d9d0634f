import Foundation
// SeededGenerator moved to LinearAlgebra (the lowest layer) so every module shares one generator;
// ConvexSets re-exports it for the code that has always imported it from here.
@_exported import LinearAlgebra
import ConicSolver
import LinearAlgebra

/// A closed convex set `X ⊂ ℝⁿ` that a conic solver can reason about.
///
/// Every set gives a *conic description*: auxiliary variables `w ∈ ℝᵏ`, an affine map and a cone `K`
/// such that
///
/// ```
/// X = { x : ∃ w,  M [x; w] + c ∈ K }.
/// ```
///
/// The same data give the set's *perspective* (homogenization), which Graphs of Convex Sets needs:
///
/// ```
/// { (x, t) : t ≥ 0, ∃ w,  M [x; w] + c·t ∈ K }   =   closure { (x, t) : t > 0, x/t ∈ X }.
/// ```
///
/// For a bounded set, `t = 0` forces `x = 0`. Conformance: `Point`, `Hyperrectangle`, `HPolyhedron`,
/// `VPolytope`, `Hyperellipsoid`, `Intersection`, `CartesianProduct`.
///
/// The queries `isEmpty()`, `isBounded()`, `boundingBox()` and `closestPoint(to:)` have defaults
/// that solve conic programs over the description, so a new conformer needs only the first four
/// requirements; it overrides a query when it has a closed form. `intersects(_:)` and
/// `uniformSamples(count:seed:burnIn:stepsBetweenSamples:start:)` work on every set. See
/// docs/convex-sets.md.
public protocol ConvexSet: Sendable, CustomStringConvertible {
  /// The dimension `n` of the space the set lives in.
  var ambientDimension: Int { get }

  /// Whether `x` lies in the set, up to `tolerance` (in the set's own constraint units).
  func contains(_ x: [Double], tolerance: Double) -> Bool

  /// The conic description `M [x; w] + c ∈ K` of the set.
  var conicDescription: ConicSetDescription { get }

  /// `true` when the set is bounded by construction (points, boxes, ellipsoids, V-polytopes);
  /// `nil` when deciding it needs a solve (see `isBounded()`).
  var isBoundedByConstruction: Bool? { get }

  /// Whether the set has no points. The default solves one conic feasibility program; sets with a
  /// closed form answer directly (see `ConvexSet+Operations.swift`).
  func isEmpty() -> Bool

  /// Whether the set is bounded (the empty set is bounded). The default returns
  /// `isBoundedByConstruction` when it is known, and otherwise solves up to `2n` conic programs.
  func isBounded() -> Bool

  /// The smallest axis-aligned box that contains the set; `nil` when the set is empty or unbounded.
  func boundingBox() -> Hyperrectangle?

  /// The point of the set nearest to `y` in the Euclidean norm; `nil` when the set is empty.
  func closestPoint(to y: [Double]) -> [Double]?
}

extension ConvexSet {
  /// Whether `x` lies in the set, with tolerance 1e-9.
  public func contains(_ x: [Double]) -> Bool { contains(x, tolerance: 1e-9) }
}

/// The conic description `M [x; w] + c ∈ K = K₁ × … × K_r` of a convex set, in coordinate form.
///
/// Columns `0..<dimension` of `M` act on the set's point `x`, columns `dimension..<dimension +
/// auxiliaryCount` on auxiliary variables `w`. Rows come in blocks, one per cone, in order.
public struct ConicSetDescription: Sendable, Equatable {
  /// One cone block: its kind and its rows.
  public struct Block: Sendable, Equatable {
    /// The cone the block's rows must lie in.
    public var kind: ConeKind
    /// Rows of `M`, as sparse rows over the columns `[x; w]`.
    public var rows: [SparseRow]
    /// The constant `c` of each row.
    public var constants: [Double]

    public init(kind: ConeKind, rows: [SparseRow], constants: [Double]) {
      precondition(rows.count == constants.count, "Block: \(rows.count) rows but \(constants.count) constants")
      self.kind = kind
      self.rows = rows
      self.constants = constants
    }
  }

  /// A sparse row: column indices and values.
  public struct SparseRow: Sendable, Equatable {
    public var columns: [Int]
    public var values: [Double]

    public init(columns: [Int], values: [Double]) {
      precondition(columns.count == values.count, "SparseRow: \(columns.count) columns but \(values.count) values")
      self.columns = columns
      self.values = values
    }

    /// A dense row, keeping its nonzeros.
    public init(dense: [Double], offset: Int = 0) {
      var c: [Int] = []
      var v: [Double] = []
      for (j, a) in dense.enumerated() where a != 0 {
        c.append(offset + j)
        v.append(a)
      }
      self.init(columns: c, values: v)
    }
  }

  /// `n`, the set's dimension.
  public var dimension: Int
  /// `k`, the number of auxiliary variables.
  public var auxiliaryCount: Int
  /// The cone blocks.
  public var blocks: [Block]

  public init(dimension: Int, auxiliaryCount: Int = 0, blocks: [Block]) {
    self.dimension = dimension
    self.auxiliaryCount = auxiliaryCount
    self.blocks = blocks
  }

  /// Adds the description's constraints to `builder`, for the set at the variables `x` (and fresh
  /// auxiliary variables), scaled by the variable `scale` when given (the perspective `x ∈ t·X`).
  ///
  /// - Returns: the indices of the auxiliary variables that were added.
  @discardableResult
  public func addConstraints(
    to builder: inout ConicProgramBuilder, point x: [Int], scale: Int? = nil
  ) -> Range<Int> {
    precondition(x.count == dimension, "addConstraints: \(x.count) point variables for a set of dimension \(dimension)")
    return addConstraints(
      to: &builder, pointExpressions: x.map { AffineExpression.variable($0) },
      scale: scale.map { AffineExpression.variable($0) } ?? .constant(1))
  }

  /// The description of `{x : (x, w) ∈ self, (x, w') ∈ other}`: both sets' constraints on the same `x`.
  public func intersected(with other: ConicSetDescription) -> ConicSetDescription {
    precondition(dimension == other.dimension, "intersected: dimensions \(dimension) and \(other.dimension) differ")
    let shift = auxiliaryCount
    let n = dimension
    let moved = other.blocks.map { block in
      Block(
        kind: block.kind,
        rows: block.rows.map { row in
          SparseRow(columns: row.columns.map { $0 < n ? $0 : $0 + shift }, values: row.values)
        },
        constants: block.constants)
    }
    return ConicSetDescription(dimension: n, auxiliaryCount: auxiliaryCount + other.auxiliaryCount, blocks: blocks + moved)
  }

  /// The description of the Cartesian product `self × other` (points stacked `(x, x')`).
  public func product(with other: ConicSetDescription) -> ConicSetDescription {
    let n1 = dimension
    let n2 = other.dimension
    let k1 = auxiliaryCount
    // New column layout: [x (n1), x' (n2), w (k1), w' (k2)].
    let mine = blocks.map { block in
      Block(
        kind: block.kind,
        rows: block.rows.map { row in SparseRow(columns: row.columns.map { $0 < n1 ? $0 : $0 + n2 }, values: row.values) },
        constants: block.constants)
    }
    let theirs = other.blocks.map { block in
      Block(
        kind: block.kind,
        rows: block.rows.map { row in
          SparseRow(columns: row.columns.map { $0 < n2 ? $0 + n1 : $0 - n2 + n1 + n2 + k1 }, values: row.values)
        },
        constants: block.constants)
    }
    return ConicSetDescription(
      dimension: n1 + n2, auxiliaryCount: k1 + other.auxiliaryCount, blocks: mine + theirs)
  }
}

/// Bad data for a convex set: which field, and what is wrong.
public struct ConvexSetError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The field at fault (`"lb"`, `"A"`, `"sets[2]"`, …).
  public var field: String
  /// What is wrong, in words.
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field) \(message)" }
}

func checkFinite(_ values: [Double], field: String) throws(ConvexSetError) {
  if let k = values.firstIndex(where: { !$0.isFinite }) {
    throw ConvexSetError(field: "\(field)[\(k)]", message: "is \(values[k]) (not finite)")
  }
}

func formatVector(_ v: [Double]) -> String {
  "[" + v.map { String(format: "%g", $0) }.joined(separator: ", ") + "]"
}

import ConicSolver
import LinearAlgebra

extension HPolyhedron {
  /// The centre and radius of the largest Euclidean ball inside the polyhedron: one LP.
  ///
  /// ```
  /// maximize r  subject to  aᵢᵀx + r‖aᵢ‖ ≤ bᵢ  (every row i),  r ≥ 0
  /// ```
  /// Returns `nil` when the polyhedron is empty or contains arbitrarily large balls (the LP is
  /// unbounded), or when the solve is undecided. A polyhedron with empty interior has radius 0
  /// (up to the solver's tolerance). The centre need not be unique (a slab); the LP picks one.
  /// - Complexity: one interior-point solve with `n + 1` variables and `m + 1` rows.
  public func chebyshevCenter() -> (center: [Double], radius: Double)? {
    let n = ambientDimension
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(n))
    let r = builder.addVariables(1).lowerBound
    builder.addLinearCost(r, -1)
    var rows: [AffineExpression] = []
    rows.reserveCapacity(inequalityCount + 1)
    for i in 0..<inequalityCount {
      let a = A.row(i)
      var e = AffineExpression(constant: b[i])
      for j in 0..<n { e.add(x[j], -a[j]) }
      e.add(r, -a.norm2)
      rows.append(e)
    }
    rows.append(.variable(r))
    builder.addConstraint(.nonnegative, rows)
    guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else { return nil }
    let result = solver.solve()
    guard result.status.hasSolution else { return nil }
    return (Array(result.x[0..<n]), max(0, result.x[r]))
  }

  /// Bounded when the recession cone `{d : A d ≤ 0}` is `{0}`, or the polyhedron is empty.
  ///
  /// With rows scaled to unit norm, the cone is `{0}` exactly when `A` has full column rank and some
  /// strictly positive combination of the rows vanishes (Stiemke's theorem of the alternative):
  ///
  /// ```
  /// {d : A d ≤ 0} = {0}   ⇔   rank A = n  and  ∃ y ≥ 1 with Aᵀy = 0
  /// ```
  /// The rank is read from the eigenvalues of `AᵀA` (numerically deficient when
  /// `λ_min ≤ 1e-14 · λ_max`); the second condition is one LP. When the cone is not `{0}`, one more
  /// feasibility LP tells an empty polyhedron (bounded) from an unbounded one.
  /// - Complexity: O(m·n² + n³) plus one or two interior-point solves.
  public func isBounded() -> Bool {
    let unit = unitRows()
    if unit.rows.isEmpty { return isEmpty() }
    if recessionConeIsTrivial(unit.rows) { return true }
    return isEmpty()
  }

  /// The same set with redundant inequalities removed.
  ///
  /// Rows are compared after scaling each to unit norm (`âᵢ = aᵢ/‖aᵢ‖`, `b̂ᵢ = bᵢ/‖aᵢ‖`). First, rows
  /// `0ᵀx ≤ bᵢ` with `bᵢ ≥ 0` are dropped, and among rows with the same direction (to rounding) only
  /// the tightest is kept. Then each remaining row `i` is tested with one LP over the rows still
  /// kept, with row `i` relaxed by 1 so that the LP stays bounded:
  ///
  /// ```
  /// vᵢ = max âᵢᵀx  subject to  âⱼᵀx ≤ b̂ⱼ (j kept, j ≠ i),  âᵢᵀx ≤ b̂ᵢ + 1
  /// ```
  /// Row `i` is redundant, and dropped at once, when `vᵢ ≤ b̂ᵢ + tolerance`. Kept rows keep their
  /// original scaling and order. An empty polyhedron is returned unchanged (its rows all matter to
  /// the emptiness); so is one whose tests are undecided by the solver (those rows are kept).
  ///
  /// - Parameter tolerance: how far (in the units of `x`) a row may cut into the rest of the
  ///   polyhedron and still count as redundant. Default 1e-8, above the LP's accuracy.
  /// - Complexity: one LP per row after duplicate removal, each with `n` variables and up to `m`
  ///   rows; O(m²·n) for the duplicate scan.
  public func removingRedundantInequalities(tolerance: Double = 1e-8) -> HPolyhedron {
    precondition(tolerance >= 0 && tolerance.isFinite, "removingRedundantInequalities: tolerance \(tolerance) must be ≥ 0 and finite")
    if isEmpty() { return self }
    let n = ambientDimension
    let unit = unitRows()
    // Duplicate directions: keep the tightest row of each group (the first one on ties).
    var kept: [Int] = []
    for (k, row) in unit.rows.enumerated() {
      var duplicateOf: Int? = nil
      for (slot, j) in kept.enumerated() {
        let other = unit.rows[j]
        var same = true
        for c in 0..<n where abs(row.a[c] - other.a[c]) > 1e-12 {
          same = false
          break
        }
        if same {
          duplicateOf = slot
          break
        }
      }
      if let slot = duplicateOf {
        if row.b < unit.rows[kept[slot]].b { kept[slot] = k }
      } else {
        kept.append(k)
      }
    }
    // One LP per row, over the rows still kept.
    var index = 0
    while index < kept.count {
      let i = kept[index]
      let target = unit.rows[i]
      var builder = ConicProgramBuilder()
      let x = Array(builder.addVariables(n))
      for c in 0..<n { builder.addLinearCost(x[c], -target.a[c]) }
      var rows: [AffineExpression] = []
      for j in kept {
        let row = unit.rows[j]
        var e = AffineExpression(constant: j == i ? row.b + 1 : row.b)
        for c in 0..<n { e.add(x[c], -row.a[c]) }
        rows.append(e)
      }
      builder.addConstraint(.nonnegative, rows)
      var redundant = false
      if let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) {
        let result = solver.solve()
        if result.status.hasSolution {
          let value = target.a.dot(Array(result.x[0..<n]))
          redundant = value <= target.b + tolerance
        }
      }
      if redundant { kept.remove(at: index) } else { index += 1 }
    }
    kept.sort()
    let originalRows = kept.map { unit.rows[$0].original }
    let rowsA = originalRows.map { A.row($0) }
    let m = Matrix(rows: rowsA)
    let out = Matrix(rowCount: originalRows.count, columnCount: n, elements: m.rowCount == 0 ? [] : m.elements)
    // The data come from `self`, already checked finite.
    return try! HPolyhedron(A: out, b: originalRows.map { b[$0] })
  }

  /// The rows with nonzero normal, scaled to unit norm, with their original index.
  func unitRows() -> (rows: [(a: [Double], b: Double, original: Int)], zeroRows: [Int]) {
    var rows: [(a: [Double], b: Double, original: Int)] = []
    var zeroRows: [Int] = []
    for i in 0..<inequalityCount {
      let a = A.row(i)
      let norm = a.norm2
      if norm == 0 {
        zeroRows.append(i)
      } else {
        rows.append((a.scaled(by: 1 / norm), b[i] / norm, i))
      }
    }
    return (rows, zeroRows)
  }

  /// Whether `{d : âᵢᵀd ≤ 0 for all rows} = {0}` (rank test, then Stiemke's LP).
  func recessionConeIsTrivial(_ rows: [(a: [Double], b: Double, original: Int)]) -> Bool {
    let n = ambientDimension
    if rows.count <= n { return false }  // n + 1 rows at least are needed to bound ℝⁿ.
    let unitA = Matrix(rows: rows.map(\.a))
    let gram = unitA.multiplied(by: unitA, transposingSelf: true)
    guard let eigen = try? SymmetricEigendecomposition(gram), let largest = eigen.eigenvalues.last,
      eigen.eigenvalues[0] > 1e-14 * largest
    else { return false }
    // find y ≥ 1 with Aᵀy = 0.
    var builder = ConicProgramBuilder()
    let y = Array(builder.addVariables(rows.count))
    var equalities: [AffineExpression] = []
    for c in 0..<n {
      var e = AffineExpression()
      for (k, row) in rows.enumerated() { e.add(y[k], row.a[c]) }
      equalities.append(e)
    }
    builder.addConstraint(.zero, equalities)
    builder.addConstraint(.nonnegative, y.map { AffineExpression(indices: [$0], coefficients: [1], constant: -1) })
    guard let problem = try? builder.build(), let solver = try? InteriorPointSolver(problem: problem) else { return false }
    return solver.solve().status.hasSolution
  }
}

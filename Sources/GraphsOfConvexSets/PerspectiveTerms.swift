import ConicSolver
import ConvexSets
import LinearAlgebra

/// What multiplies the constants of a cost or constraint: a flow variable `φ` (the perspective, in the
/// relaxation) or the number 1 (a fixed path, in the restriction).
enum Homogenization {
  case variable(Int)
  case one

  /// Adds `c · (φ or 1)` to `e`.
  func add(_ c: Double, to e: inout AffineExpression) {
    switch self {
    case .variable(let phi): e.add(phi, c)
    case .one: e.constant += c
    }
  }
}

/// A cost with its data prepared for conic form once (the square-root factor of a quadratic).
struct PreparedCost: Sendable {
  let cost: GCSCost
  /// For a quadratic `½zᵀQz`: the rows of `Fᵀ` with `Q = F Fᵀ` (only positive eigenvalues kept).
  let factorRows: [[Double]]

  init(_ cost: GCSCost) {
    self.cost = cost
    if case .quadratic(let Q, _, _) = cost, let eig = try? SymmetricEigendecomposition(Q) {
      let scale = max(1, Q.maxAbsoluteEntry)
      var rows: [[Double]] = []
      for (k, lambda) in eig.eigenvalues.enumerated() where lambda > 1e-14 * scale {
        let root = lambda.squareRoot()
        rows.append(eig.eigenvectors.column(k).map { $0 * root })
      }
      factorRows = rows
    } else {
      factorRows = []
    }
  }

  /// Adds the cost's perspective `h · ℓ(z / h)` to the objective of `builder`, with `z` at the
  /// variables `z` and `h` given by `scale` (epigraph variables are added as needed).
  ///
  /// ```
  /// ‖A z + b‖ → ℓ ≥ ‖A z + b h‖,      aᵀz + b → aᵀz + b h,
  /// ½ zᵀQz + qᵀz + c → τ + qᵀz + c h  with  τ h ≥ ½ ‖Fᵀz‖²  (a rotated second-order cone).
  /// ```
  func addPerspective(to builder: inout ConicProgramBuilder, z: [Int], scale: Homogenization) {
    switch cost {
    case .euclidean:
      let h = z.count / 2
      let ell = builder.addVariables(1).lowerBound
      builder.addLinearCost(ell, 1)
      var rows = [AffineExpression.variable(ell)]
      for i in 0..<h {
        var e = AffineExpression.variable(z[h + i])
        e.add(z[i], -1)
        rows.append(e)
      }
      builder.addConstraint(.secondOrder, rows)
    case .l2Norm(let A, let b):
      let ell = builder.addVariables(1).lowerBound
      builder.addLinearCost(ell, 1)
      var rows = [AffineExpression.variable(ell)]
      rows.append(contentsOf: Self.affineRows(A: A, b: b, z: z, scale: scale))
      builder.addConstraint(.secondOrder, rows)
    case .l1Norm(let A, let b):
      let affine = Self.affineRows(A: A, b: b, z: z, scale: scale)
      let ell = builder.addVariables(affine.count)
      var rows: [AffineExpression] = []
      for (k, e) in affine.enumerated() {
        builder.addLinearCost(ell.lowerBound + k, 1)
        var plus = AffineExpression.variable(ell.lowerBound + k)
        plus.add(e, scale: -1)
        var minus = AffineExpression.variable(ell.lowerBound + k)
        minus.add(e)
        rows.append(plus)
        rows.append(minus)
      }
      builder.addConstraint(.nonnegative, rows)
    case .lInfNorm(let A, let b):
      let ell = builder.addVariables(1).lowerBound
      builder.addLinearCost(ell, 1)
      var rows: [AffineExpression] = []
      for e in Self.affineRows(A: A, b: b, z: z, scale: scale) {
        var plus = AffineExpression.variable(ell)
        plus.add(e, scale: -1)
        var minus = AffineExpression.variable(ell)
        minus.add(e)
        rows.append(plus)
        rows.append(minus)
      }
      builder.addConstraint(.nonnegative, rows)
    case .linear(let a, let b):
      var e = AffineExpression()
      for k in a.indices { e.add(z[k], a[k]) }
      scale.add(b, to: &e)
      builder.addLinearCost(e)
    case .quadratic(_, let q, let c):
      var e = AffineExpression()
      for k in q.indices { e.add(z[k], q[k]) }
      scale.add(c, to: &e)
      builder.addLinearCost(e)
      if factorRows.isEmpty { return }
      let tau = builder.addVariables(1).lowerBound
      builder.addLinearCost(tau, 1)
      // (τ + h, τ − h, √2 Fᵀz) ∈ SOC  ⇔  τ h ≥ ½ ‖Fᵀz‖², τ + h ≥ 0.
      var first = AffineExpression.variable(tau)
      scale.add(1, to: &first)
      var second = AffineExpression.variable(tau)
      scale.add(-1, to: &second)
      var rows = [first, second]
      for f in factorRows {
        var r = AffineExpression()
        for k in f.indices where f[k] != 0 { r.add(z[k], 2.0.squareRoot() * f[k]) }
        rows.append(r)
      }
      builder.addConstraint(.secondOrder, rows)
    }
  }

  /// The rows `A z + b h`.
  static func affineRows(A: Matrix, b: [Double], z: [Int], scale: Homogenization) -> [AffineExpression] {
    (0..<A.rowCount).map { i in
      var e = AffineExpression()
      for j in 0..<A.columnCount where A[i, j] != 0 { e.add(z[j], A[i, j]) }
      scale.add(b[i], to: &e)
      return e
    }
  }
}

extension GCSConstraint {
  /// Adds the constraint's perspective (`A z = b h`, `lb h ≤ A z ≤ ub h`) to `builder`.
  func addPerspective(to builder: inout ConicProgramBuilder, z: [Int], scale: Homogenization) {
    switch self {
    case .linearEquality(let A, let b):
      builder.addConstraint(.zero, PreparedCost.affineRows(A: A, b: b.map { -$0 }, z: z, scale: scale))
    case .linearInequality(let A, let lb, let ub):
      var rows: [AffineExpression] = []
      for i in 0..<A.rowCount {
        var az = AffineExpression()
        for j in 0..<A.columnCount where A[i, j] != 0 { az.add(z[j], A[i, j]) }
        if ub[i].isFinite {
          var e = AffineExpression()
          e.add(az, scale: -1)
          scale.add(ub[i], to: &e)
          rows.append(e)
        }
        if lb[i].isFinite {
          var e = az
          scale.add(-lb[i], to: &e)
          rows.append(e)
        }
      }
      if !rows.isEmpty { builder.addConstraint(.nonnegative, rows) }
    }
  }
}

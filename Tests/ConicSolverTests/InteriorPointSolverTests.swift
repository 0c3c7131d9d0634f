import Foundation
import LinearAlgebra
import Testing

@testable import ConicSolver

/// Builders and independent checks (dense arithmetic, no solver code) for the solver tests.
enum SolverFixtures {
  /// A CSC matrix from dense rows, zeros dropped.
  static func sparse(_ rows: [[Double]], columnCount: Int? = nil) -> SparseMatrixCSC {
    let n = columnCount ?? rows.first?.count ?? 0
    var r: [Int] = [], c: [Int] = [], v: [Double] = []
    for (i, row) in rows.enumerated() {
      for (j, value) in row.enumerated() where value != 0 {
        r.append(i)
        c.append(j)
        v.append(value)
      }
    }
    return SparseMatrixCSC(rowCount: rows.count, columnCount: n, rows: r, columns: c, values: v)
  }

  /// Upper triangle of a dense symmetric matrix, zeros dropped.
  static func upper(_ M: [[Double]]) -> SparseMatrixCSC {
    sparse(M.enumerated().map { i, row in row.enumerated().map { j, v in j >= i ? v : 0 } }, columnCount: M.count)
  }

  static func multiply(_ M: [[Double]], _ x: [Double]) -> [Double] { M.map { innerProduct($0, x) } }
  static func transposeMultiply(_ M: [[Double]], _ y: [Double]) -> [Double] {
    guard let n = M.first?.count else { return [] }
    var out = [Double](repeating: 0, count: n)
    for (i, row) in M.enumerated() { for j in 0..<n { out[j] += row[j] * y[i] } }
    return out
  }
  /// The full symmetric matrix of an upper triangle.
  static func symmetric(_ upper: SparseMatrixCSC) -> [[Double]] {
    var d = dense(upper)
    for j in 0..<upper.columnCount {
      for p in upper.columnPointers[j]..<upper.columnPointers[j + 1] where upper.rowIndices[p] != j {
        d[j][upper.rowIndices[p]] += upper.values[p]
      }
    }
    return d
  }
  static func infinityNorm(_ v: [Double]) -> Double { v.map(abs).max() ?? 0 }

  /// Smallest "eigenvalue" of `v` over the cones: `vᵢ` (orthant), `t − ‖u‖` (second-order);
  /// zero-cone rows count as `−|vᵢ|` for a primal slack and are skipped for a dual (free).
  static func coneMargin(_ v: [Double], _ cones: [ConeSpec], dual: Bool) -> Double {
    var margin = Double.infinity
    var offset = 0
    for cone in cones {
      let block = Array(v[offset..<offset + cone.dimension])
      switch cone {
      case .zero:
        if !dual { margin = min(margin, -(block.map(abs).max() ?? 0)) }
      case .nonnegative:
        margin = min(margin, block.min() ?? .infinity)
      case .secondOrder:
        margin = min(margin, block[0] - euclideanNorm(Array(block.dropFirst())))
      }
      offset += cone.dimension
    }
    return margin
  }

  /// Checks a `solved` result against the KKT conditions of `problem`, computed densely here:
  /// `Ax + s = b`, `Px + q + Aᵀz = 0`, `sᵀz = 0`, `s ∈ K`, `z ∈ K*`.
  static func expectOptimal(
    _ r: SolverResult, _ problem: ConicProblem, tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(r.status == .solved, sourceLocation: sourceLocation)
    let A = dense(problem.A)
    let P = symmetric(problem.P)
    let scale = 1 + infinityNorm(r.x) + infinityNorm(r.s) + infinityNorm(r.z) + infinityNorm(problem.b) + infinityNorm(problem.q)
    let primal = zip(zip(multiply(A, r.x), r.s), problem.b).map { $0.0 + $0.1 - $1 }
    let dual = zip(zip(multiply(P, r.x), transposeMultiply(A, r.z)), problem.q).map { $0.0 + $0.1 + $1 }
    #expect(infinityNorm(primal) <= tolerance * scale, "‖Ax + s − b‖∞ = \(infinityNorm(primal))", sourceLocation: sourceLocation)
    #expect(infinityNorm(dual) <= tolerance * scale, "‖Px + q + Aᵀz‖∞ = \(infinityNorm(dual))", sourceLocation: sourceLocation)
    let sz = innerProduct(r.s, r.z)
    #expect(abs(sz) <= tolerance * scale, "sᵀz = \(sz)", sourceLocation: sourceLocation)
    #expect(coneMargin(r.s, problem.cones, dual: false) >= -tolerance * scale, "s ∉ K", sourceLocation: sourceLocation)
    #expect(coneMargin(r.z, problem.cones, dual: true) >= -tolerance * scale, "z ∉ K*", sourceLocation: sourceLocation)
    let objective = 0.5 * innerProduct(r.x, multiply(P, r.x)) + innerProduct(problem.q, r.x) + problem.objectiveConstant
    #expect(abs(objective - r.objective) <= tolerance * max(1, abs(objective)), sourceLocation: sourceLocation)
  }

  /// The LP `min −x − y  s.t.  x + 2y ≤ 4,  3x + y ≤ 6,  x, y ≥ 0`.
  static func textbookLP(b: [Double] = [4, 6, 0, 0]) throws -> ConicProblem {
    try ConicProblem(
      P: .zeros(rowCount: 2, columnCount: 2), q: [-1, -1],
      A: sparse([[1, 2], [3, 1], [-1, 0], [0, -1]]), b: b, cones: [.nonnegative(4)])
  }

  /// `min t  s.t.  ‖x − a‖ ≤ t,  Σxᵢ ≤ 1` over `(x, t)`: the distance from `a` to a half-space.
  /// Rows: `s = (t, x − a) ∈ SOC(k + 1)` is `b − A(x, t)` with `b = (0, −a)`, `A = −[e_t; I 0]`.
  static func halfSpaceProjection(_ a: [Double]) throws -> ConicProblem {
    let k = a.count
    var rows: [[Double]] = [[Double](repeating: 0, count: k) + [-1]]
    for i in 0..<k {
      var row = [Double](repeating: 0, count: k + 1)
      row[i] = -1
      rows.append(row)
    }
    rows.append([Double](repeating: 1, count: k) + [0])
    return try ConicProblem(
      P: .zeros(rowCount: k + 1, columnCount: k + 1), q: [Double](repeating: 0, count: k) + [1],
      A: sparse(rows), b: [0] + a.map { -$0 } + [1], cones: [.secondOrder(k + 1), .nonnegative(1)])
  }

  /// A problem built around a chosen primal-dual solution (a "planted" KKT point).
  ///
  /// Pick `x*`, and `s* ∈ K`, `z* ∈ K*` with `s*ᵀz* = 0` cone by cone (orthant: disjoint supports;
  /// second-order: `s* = α(1, u)`, `z* = β(1, −u)` with `‖u‖ = 1`, or one of them 0 and the other
  /// interior; zero cone: `s* = 0`, `z*` free). With `b = Ax* + s*` and `q = −Px* − Aᵀz*`,
  /// `(x*, s*, z*)` satisfies the KKT conditions, which are sufficient for a convex problem, so the
  /// optimal value is `½x*ᵀPx* + qᵀx*` (the optimal `x` is unique only when `P ≻ 0`).
  struct Planted {
    var problem: ConicProblem
    var x: [Double]
    var s: [Double]
    var z: [Double]
    var objective: Double
  }

  static func planted(
    n: Int, cones: [ConeSpec], density: Double = 0.15, definite: Bool = false, seed: UInt64
  ) throws -> Planted {
    var rng = SplitMix64(seed: seed)
    let m = cones.reduce(0) { $0 + $1.dimension }
    var s: [Double] = []
    var z: [Double] = []
    for cone in cones {
      switch cone {
      case .zero(let d):
        s += [Double](repeating: 0, count: d)
        z += (0..<d).map { _ in rng.symmetricUnit() }
      case .nonnegative(let d):
        for _ in 0..<d {
          let active = Bool.random(using: &rng)
          let value = rng.uniform(0.5, 2)
          s.append(active ? 0 : value)
          z.append(active ? value : 0)
        }
      case .secondOrder(let d):
        let mode = d >= 2 ? Int.random(in: 0..<4, using: &rng) : Int.random(in: 1..<3, using: &rng)
        let interior = ConeCase.secondOrder(d).interiorPoint(&rng)
        let zeros = [Double](repeating: 0, count: d)
        switch mode {
        case 1: s += interior; z += zeros
        case 2: s += zeros; z += interior
        default:  // both on the boundary, on opposite rays: sᵀz = αβ(1 − ‖u‖²) = 0
          var u = (1..<d).map { _ in rng.symmetricUnit() }
          let length = euclideanNorm(u)
          u = u.map { $0 / length }
          let alpha = rng.uniform(0.5, 2), beta = rng.uniform(0.5, 2)
          s += [alpha] + u.map { alpha * $0 }
          z += [beta] + u.map { -beta * $0 }
        }
      }
    }
    let x = (0..<n).map { _ in rng.symmetricUnit() }
    let A = Fixtures.randomSparse(m, n, density: density, &rng)
    // P = MᵀM (+ I): positive semidefinite, rank ≤ n/2 unless `definite`.
    let M = dense(Fixtures.randomSparse(n / 2, n, density: 0.2, &rng))
    var Pd = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in i..<n {
        var v = 0.0
        for row in M { v += row[i] * row[j] }
        if definite && i == j { v += 1 }
        Pd[i][j] = v
        Pd[j][i] = v
      }
    }
    let Ad = dense(A)
    let b = zip(multiply(Ad, x), s).map { $0 + $1 }
    let q = zip(multiply(Pd, x), transposeMultiply(Ad, z)).map { -$0 - $1 }
    let objective = 0.5 * innerProduct(x, multiply(Pd, x)) + innerProduct(q, x)
    let problem = try ConicProblem(P: upper(Pd), q: q, A: A, b: b, cones: cones)
    return Planted(problem: problem, x: x, s: s, z: z, objective: objective)
  }

  /// Runs `body` and returns the `ConicProblemError` it throws (recording an issue otherwise).
  static func problemError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
  ) -> ConicProblemError? {
    do {
      try body()
      Issue.record("expected a ConicProblemError", sourceLocation: sourceLocation)
    } catch let error as ConicProblemError {
      return error
    } catch {
      Issue.record("expected a ConicProblemError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
  }
}

/// The random sparse matrix of LinearAlgebraTests' fixtures, repeated here (one test target
/// cannot see another's helpers).
enum Fixtures {
  static func randomSparse(_ m: Int, _ n: Int, density: Double, _ rng: inout SplitMix64) -> SparseMatrixCSC {
    var rows: [Int] = [], cols: [Int] = [], vals: [Double] = []
    for j in 0..<n {
      for i in 0..<m where Double.random(in: 0..<1, using: &rng) < density {
        rows.append(i)
        cols.append(j)
        vals.append(rng.symmetricUnit())
      }
    }
    return SparseMatrixCSC(rowCount: m, columnCount: n, rows: rows, columns: cols, values: vals)
  }
}

/// Tolerances: the solver stops at relative residuals and gap of 1e-8 (the defaults), measured
/// on the equilibrated data with `max(1, …)` normalizations; back in the original data that is a
/// few 1e-8. Solutions of problems with a unique, strictly complementary optimum are then accurate
/// to ~1e-8 too, so 1e-6 is used for `x` and the KKT checks (two orders of margin for the scaling).
@Suite struct InteriorPointSolverTests {
  static let tolerance = 1e-6

  /// `√(2·gap)` with the stopping gap `1e-8·max(1, |f*|)` and a factor 2 for the primal residual's
  /// contribution: how far from x* a solved iterate of a problem with `P ⪰ I` can be.
  static func strongConvexityBound(objective: Double) -> Double {
    2 * (2 * 1e-8 * max(1, abs(objective))).squareRoot()
  }

  // MARK: Hand-derived optima

  @Test func textbookLP() throws {
    // Vertices of {x + 2y ≤ 4, 3x + y ≤ 6, x, y ≥ 0}: (0,0) → 0, (2,0) → −2, (0,2) → −2, and
    // x + 2y = 4 ∩ 3x + y = 6 → (1.6, 1.2) → −2.8, the minimum. Duals from −q = Aᵀz on the two
    // active rows: z₁ + 3z₂ = 1, 2z₁ + z₂ = 1 → z = (0.4, 0.2, 0, 0).
    let problem = try SolverFixtures.textbookLP()
    let r = try InteriorPointSolver(problem: problem).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    #expect(maxAbsDifference(r.x, [1.6, 1.2]) < Self.tolerance)
    #expect(maxAbsDifference(r.z, [0.4, 0.2, 0, 0]) < Self.tolerance)
    #expect(abs(r.objective - -2.8) < Self.tolerance)
    #expect(abs(r.dualObjective - -2.8) < Self.tolerance)
    #expect(r.iterations > 0 && r.iterations < 50)
  }

  @Test func projectionOntoTheNonnegativeOrthant() throws {
    // min ½‖x − c‖² = ½xᵀx − cᵀx + ½‖c‖²  s.t. x ≥ 0 (rows −x + s = 0). Separable: xᵢ = max(cᵢ, 0),
    // objective ½Σ min(cᵢ, 0)² = ½(4 + 0.49) = 2.245, and z = x − c = max(−c, 0).
    let c = [1.5, -2, 0.3, -0.7, 0]
    let n = c.count
    let identity = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0 } }
    let problem = try ConicProblem(
      P: SolverFixtures.upper(identity), q: c.map { -$0 }, A: SolverFixtures.sparse(identity.map { $0.map { -$0 } }),
      b: [Double](repeating: 0, count: n), cones: [.nonnegative(n)], objectiveConstant: 0.5 * innerProduct(c, c))
    let r = try InteriorPointSolver(problem: problem).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    // The first four components are strictly complementary (exactly one of xᵢ, zᵢ is nonzero).
    #expect(maxAbsDifference(Array(r.x.prefix(4)), c.prefix(4).map { max($0, 0) }) < Self.tolerance)
    #expect(maxAbsDifference(Array(r.z.prefix(4)), c.prefix(4).map { max(-$0, 0) }) < Self.tolerance)
    // c₅ = 0 is degenerate: x₅ = s₅ = z₅ = 0 at the optimum, and the interior-point iterate only
    // gets there like √μ (x₅z₅ ≈ μ with x₅ ≈ z₅): with μ ~ 1e-9 at the stopping point that is a
    // few 1e-5 (measured 5e-5), so 1e-4 here.
    #expect(abs(r.x[4]) < 1e-4 && abs(r.z[4]) < 1e-4)
    #expect(abs(r.objective - 2.245) < Self.tolerance)
  }

  @Test func secondOrderConeProjectionOntoAHalfPlane() throws {
    // Distance from a = (3, 4) to {x₁ + x₂ ≤ 1}: x = a − ((3 + 4 − 1)/2)(1, 1) = (0, 1),
    // t = 6/√2 = 3√2.
    let problem = try SolverFixtures.halfSpaceProjection([3, 4])
    let r = try InteriorPointSolver(problem: problem).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    #expect(maxAbsDifference(r.x, [0, 1, 3 * 2.0.squareRoot()]) < Self.tolerance)
    #expect(abs(r.objective - 3 * 2.0.squareRoot()) < Self.tolerance)
  }

  @Test(arguments: [1, 4, 10])
  func largeSecondOrderConeUsesTheExpandedKKTForm(_ denseMaxDimension: Int) throws {
    // Same projection in ℝ⁵ (a SOC of dimension 6): Σa = 15, so x = a − (14/5)·1
    // = (−1.8, −0.8, 0.2, 1.2, 2.2) and t = 14/√5. With the default (4) and 1 the cone is expanded
    // with the two extra KKT variables; with 10 it is a dense block. All must agree.
    var settings = SolverSettings()
    settings.secondOrderConeDenseMaxDimension = denseMaxDimension
    let problem = try SolverFixtures.halfSpaceProjection([1, 2, 3, 4, 5])
    let r = try InteriorPointSolver(problem: problem, settings: settings).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    let t = 14 / 5.0.squareRoot()
    #expect(maxAbsDifference(r.x, [-1.8, -0.8, 0.2, 1.2, 2.2, t]) < Self.tolerance)
    #expect(abs(r.objective - t) < Self.tolerance)
  }

  @Test func equalityConstrainedQPMatchesItsClosedForm() throws {
    // min ½‖x‖² − cᵀx  s.t. 1ᵀx = 3, c = (1, 2, 3). Stationarity x = c − ν1 and 1ᵀx = 6 − 3ν = 3
    // give ν = 1, x = (0, 1, 2), objective ½·5 − 8 = −5.5, and z = ν = 1 (Px + q + Aᵀz = 0).
    let identity: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    let problem = try ConicProblem(
      P: SolverFixtures.upper(identity), q: [-1, -2, -3], A: SolverFixtures.sparse([[1, 1, 1]]), b: [3],
      cones: [.zero(1)])
    let r = try InteriorPointSolver(problem: problem).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    #expect(maxAbsDifference(r.x, [0, 1, 2]) < Self.tolerance)
    #expect(abs(r.z[0] - 1) < Self.tolerance)
    #expect(r.s == [0])
    #expect(abs(r.objective - -5.5) < Self.tolerance)
  }

  @Test func unconstrainedQPHasNoCones() throws {
    // m = 0: min ½xᵀPx + qᵀx with P = [[2, 1], [1, 3]], q = (1, −1): Px = −q gives
    // 2x + y = −1, x + 3y = 1 → x = (−0.8, 0.6), objective ½qᵀx = −0.7.
    let problem = try ConicProblem(
      P: SolverFixtures.upper([[2, 1], [1, 3]]), q: [1, -1], A: .zeros(rowCount: 0, columnCount: 2), b: [],
      cones: [])
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .solved)
    #expect(maxAbsDifference(r.x, [-0.8, 0.6]) < Self.tolerance)
    #expect(abs(r.objective - -0.7) < Self.tolerance)
    #expect(r.s.isEmpty && r.z.isEmpty)
  }

  // MARK: Infeasibility certificates

  @Test func contradictoryEqualitiesGiveAPrimalCertificate() throws {
    // x = 1 and x = 2: only zero cones, so no complementarity drives τ down (τ grows instead);
    // the certificate z ∝ (1, −1) has Aᵀz = 0 and bᵀz < 0. Found by the ConvexSets intersection test.
    let problem = try ConicProblem(
      P: .zeros(rowCount: 1, columnCount: 1), q: [0], A: SolverFixtures.sparse([[1], [1]]), b: [1, 2],
      cones: [.zero(2)])
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .primalInfeasible)
    let Atz = SolverFixtures.transposeMultiply(dense(problem.A), r.z)
    #expect(SolverFixtures.infinityNorm(Atz) < Self.tolerance)
    #expect(innerProduct(problem.b, r.z) < 0)
  }

  @Test func infeasibleLPGivesAPrimalCertificate() throws {
    // x ≤ −1 and −x ≤ −1: no x. A certificate z ≥ 0 with Aᵀz = z₁ − z₂ = 0 and bᵀz = −z₁ − z₂ < 0;
    // normalized bᵀz = −1 it is z = (½, ½).
    let problem = try ConicProblem(
      P: .zeros(rowCount: 1, columnCount: 1), q: [1], A: SolverFixtures.sparse([[1], [-1]]), b: [-1, -1],
      cones: [.nonnegative(2)])
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .primalInfeasible)
    let Atz = SolverFixtures.transposeMultiply(dense(problem.A), r.z)
    #expect(SolverFixtures.infinityNorm(Atz) < Self.tolerance)
    #expect(abs(innerProduct(problem.b, r.z) - -1) < 1e-12, "normalized to bᵀz = −1")
    #expect(SolverFixtures.coneMargin(r.z, problem.cones, dual: true) >= -Self.tolerance)
    #expect(maxAbsDifference(r.z, [0.5, 0.5]) < Self.tolerance)
    #expect(r.x.allSatisfy { $0.isNaN } && r.objective.isNaN)
  }

  @Test func unboundedLPGivesADualCertificate() throws {
    // min −x s.t. x ≥ 0: unbounded along x = 1; the certificate has Ax + s = 0 (s = x ≥ 0) and
    // qᵀx = −1 after normalization.
    let problem = try ConicProblem(
      P: .zeros(rowCount: 1, columnCount: 1), q: [-1], A: SolverFixtures.sparse([[-1]]), b: [0],
      cones: [.nonnegative(1)])
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .dualInfeasible)
    let axs = zip(SolverFixtures.multiply(dense(problem.A), r.x), r.s).map { $0 + $1 }
    #expect(SolverFixtures.infinityNorm(axs) < Self.tolerance)
    #expect(SolverFixtures.coneMargin(r.s, problem.cones, dual: false) >= -Self.tolerance)
    #expect(abs(innerProduct(problem.q, r.x) - -1) < 1e-12, "normalized to qᵀx = −1")
    #expect(r.z.allSatisfy { $0.isNaN })
  }

  /// Problems where a variable appears in no constraint and has no quadratic cost but a linear one,
  /// so the objective falls without bound along it: the KKT matrix is singular in that column
  /// (only the static regularization ε is on its diagonal).
  static let unconstrainedVariableCases: [(name: String, problem: ConicProblem)] = {
    func make(_ P: SparseMatrixCSC, _ q: [Double], _ A: [[Double]], _ b: [Double], _ cones: [ConeSpec]) -> ConicProblem {
      try! ConicProblem(P: P, q: q, A: SolverFixtures.sparse(A, columnCount: q.count), b: b, cones: cones)
    }
    return [
      // min x₁ − x₂ s.t. x₁ ≥ 0: x₂ in no row.
      ("LP", make(.zeros(rowCount: 2, columnCount: 2), [1, -1], [[-1, 0]], [0], [.nonnegative(1)])),
      // min ½x₁² + x₁ − x₂ s.t. x₁ ≥ −5: P has a zero row and column for x₂.
      ("QP", make(SolverFixtures.upper([[1, 0], [0, 0]]), [1, -1], [[-1, 0]], [5], [.nonnegative(1)])),
      // min x₁ + x₂ s.t. x₁ = 3: an equality and a free x₂.
      ("equality", make(.zeros(rowCount: 2, columnCount: 2), [1, 1], [[1, 0]], [3], [.zero(1)])),
      // min x₁ + x₃ + 2x₄ s.t. ‖x₂‖ ≤ x₁, x₁ ≤ 1: x₃ in no row with no cost (harmless), x₄ unbounded.
      ("SOCP", make(
        .zeros(rowCount: 4, columnCount: 4), [1, 0, 0, 2], [[-1, 0, 0, 0], [0, -1, 0, 0], [1, 0, 0, 0]], [0, 0, 1],
        [.secondOrder(2), .nonnegative(1)])),
    ]
  }()

  @Test(arguments: 0..<unconstrainedVariableCases.count)
  func variableInNoConstraintWithALinearCostGivesADualCertificate(_ index: Int) throws {
    // Before the τ-equation's denominator was computed from (x1, z1) as solved, the ε‖x1‖² ~ 1/ε
    // that the regularized solve puts into it was missing: Δτ came out ~1e8 too large and every
    // case ended in numerical_error (the QP in almost_dual_infeasible).
    let (name, problem) = Self.unconstrainedVariableCases[index]
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .dualInfeasible, "\(name)")
    let Px = SolverFixtures.multiply(SolverFixtures.symmetric(problem.P), r.x)
    #expect(SolverFixtures.infinityNorm(Px) < Self.tolerance, "\(name): Px = \(Px)")
    let axs = zip(SolverFixtures.multiply(dense(problem.A), r.x), r.s).map { $0 + $1 }
    #expect(SolverFixtures.infinityNorm(axs) < Self.tolerance, "\(name): Ax + s = \(axs)")
    #expect(SolverFixtures.coneMargin(r.s, problem.cones, dual: false) >= -Self.tolerance, "\(name): s ∉ K")
    #expect(abs(innerProduct(problem.q, r.x) - -1) < 1e-12, "\(name): normalized to qᵀx = −1")
  }

  @Test func variableInNoConstraintWithAQuadraticCostIsSolved() throws {
    // min x₁ + x₂² − 3x₂ s.t. x₁ ≥ 1: x₂'s column of A is empty but P₂₂ = 2 > 0 bounds it.
    // x₁ = 1, x₂ = 3/2, objective 1 − 9/4 = −5/4; z = 1 (the bound's multiplier), s = 0.
    let problem = try ConicProblem(
      P: SolverFixtures.upper([[0, 0], [0, 2]]), q: [1, -3], A: SolverFixtures.sparse([[-1, 0]]), b: [-1],
      cones: [.nonnegative(1)])
    let r = try InteriorPointSolver(problem: problem).solve()
    SolverFixtures.expectOptimal(r, problem, tolerance: Self.tolerance)
    #expect(maxAbsDifference(r.x, [1, 1.5]) < Self.tolerance)
    #expect(abs(r.z[0] - 1) < Self.tolerance)
    #expect(abs(r.objective - -1.25) < Self.tolerance)
  }

  // MARK: Ill-conditioned KKT systems

  /// Maros–Meszaros YAO (CUTE; Maros & Meszaros 1999), rebuilt from its definition: `min ½‖x‖² + qᵀx
  /// + 273.125` with `qᵢ = −sin((i+1)/2002)` rounded to 6 significant digits as in the QPS file,
  /// `x₂₀₀₀ = x₂₀₀₁ = 0`, second differences `xₖ − 2xₖ₊₁ + xₖ₊₂ ≥ 0` (k < 2000) and `x₀ ≥ 0.08`;
  /// n = 2002, m = 2003 (row for row the data of `shared/benchmarks/conic/maros-meszaros/mm_YAO.json`).
  static func yao() throws -> ConicProblem {
    let n = 2002
    let q = (0..<n).map { -Double(String(format: "%.6g", sin(Double($0 + 1) / 2002)))! }
    var rows: [Int] = [0, 1], columns: [Int] = [2000, 2001], values: [Double] = [1, 1]
    for k in 0..<2000 {
      rows += [k + 2, k + 2, k + 2]
      columns += [k, k + 1, k + 2]
      values += [-1, 2, -1]
    }
    rows.append(2002)
    columns.append(0)
    values.append(-1)
    var b = [Double](repeating: 0, count: 2003)
    b[2002] = -0.08
    return try ConicProblem(
      P: SparseMatrixCSC(rowCount: n, columnCount: n, rows: Array(0..<n), columns: Array(0..<n), values: [Double](repeating: 1, count: n)),
      q: q, A: SparseMatrixCSC(rowCount: 2003, columnCount: n, rows: rows, columns: columns, values: values), b: b,
      cones: [.zero(2), .nonnegative(2001)], objectiveConstant: 273.125)
  }

  @Test func marosMeszarosYAOIsSolvedDespiteAnIllConditionedKKT() throws {
    // The second-difference constraints make AAᵀ's smallest eigenvalue ~(π/2000)⁴, so near the end
    // ε‖K⁻¹‖ ≫ 1 and refinement cannot undo the static regularization: with ε = 1e-8 throughout the
    // primal residual stalls near 1e-5 (here numerical_error after 49 iterations; Clarabel 0.11.1 with
    // its defaults stalls the same way and stops AlmostSolved at 91.0224). Reference 197.7042547:
    // Clarabel 0.11.1 with static_regularization_constant = 0 (Solved, 25 iterations), and the
    // published Maros–Meszaros optimum 1.97704e+02.
    let problem = try Self.yao()
    let r = try InteriorPointSolver(problem: problem).solve()
    #expect(r.status == .solved)
    // 1e-6 relative: the stopping gap is 1e-8 relative, which leaves 100×.
    #expect(abs(r.objective - 197.7042547) <= 1e-6 * 197.7042547, "objective \(r.objective)")
    #expect(r.primalResidual < 1e-8 && r.dualResidual < 1e-8)
  }

  // MARK: Planted KKT points

  static let plantedCases: [(n: Int, cones: [ConeSpec], definite: Bool, seed: UInt64)] = [
    (20, [.nonnegative(30)], false, 1),
    (20, [.zero(3), .nonnegative(15), .secondOrder(4)], false, 2),
    (40, [.nonnegative(30), .secondOrder(3), .secondOrder(6), .zero(5)], false, 3),
    (50, [.secondOrder(8), .secondOrder(8), .secondOrder(8), .secondOrder(1), .secondOrder(2)], true, 4),
    (60, [.zero(10), .secondOrder(10), .nonnegative(40), .secondOrder(1), .secondOrder(2)], false, 5),
    (80, [.nonnegative(60), .secondOrder(5), .secondOrder(12), .zero(8)], true, 6),
    (80, [.zero(20), .nonnegative(100)], false, 7),
  ]

  @Test(arguments: 0..<plantedCases.count)
  func plantedKKTPointGivesTheKnownOptimalValue(_ index: Int) throws {
    let c = Self.plantedCases[index]
    let planted = try SolverFixtures.planted(n: c.n, cones: c.cones, definite: c.definite, seed: c.seed)
    let r = try InteriorPointSolver(problem: planted.problem).solve()
    #expect(r.status == .solved)
    // Relative 1e-6 on the objective: the stopping gap is 1e-8 relative, so 1e-6 leaves 100×.
    #expect(
      abs(r.objective - planted.objective) <= 1e-6 * max(1, abs(planted.objective)),
      "objective \(r.objective), planted \(planted.objective)")
    SolverFixtures.expectOptimal(r, planted.problem, tolerance: Self.tolerance)
    if c.definite {
      // P ⪰ I: the optimal x is unique, the planted one, and for a feasible x,
      // f(x) − f* ≥ ½‖x − x*‖² (strong convexity plus optimality of x*), while weak duality gives
      // f(x) − f* ≤ gap. So ‖x − x*‖₂ ≤ √(2·gap) (not linear in the gap: measured errors are
      // ~1e-5 at a relative gap of a few 1e-9 on these random problems).
      let bound = Self.strongConvexityBound(objective: planted.objective)
      #expect(euclideanNorm(zip(r.x, planted.x).map { $0 - $1 }) < bound)
    }
  }

  // MARK: Validation

  @Test func badSettingsThrowNamingTheSetting() throws {
    let problem = try SolverFixtures.textbookLP()
    var settings = SolverSettings()
    settings.feasibilityTolerance = -1
    let error = SolverFixtures.problemError { _ = try InteriorPointSolver(problem: problem, settings: settings) }
    #expect(error?.field == "settings.feasibilityTolerance")
    #expect(error?.message == "must be positive, got -1.0")

    settings = SolverSettings()
    settings.maxStepFraction = 1
    #expect(SolverFixtures.problemError { try settings.validate() }?.field == "settings.maxStepFraction")
    settings = SolverSettings()
    settings.gapAbsoluteTolerance = .nan
    #expect(SolverFixtures.problemError { try settings.validate() }?.field == "settings.gapAbsoluteTolerance")
    settings = SolverSettings()
    settings.maxIterations = -1
    #expect(SolverFixtures.problemError { try settings.validate() }?.field == "settings.maxIterations")
    settings = SolverSettings()
    settings.staticRegularizationMinimum = 1e-6
    #expect(SolverFixtures.problemError { try settings.validate() }?.field == "settings.staticRegularizationMinimum")
    settings = SolverSettings()
    settings.krylovMaxIterations = -1
    #expect(SolverFixtures.problemError { try settings.validate() }?.field == "settings.krylovMaxIterations")
    #expect(throws: Never.self) { try SolverSettings().validate() }
  }

  @Test func badProblemDataThrowsNamingTheField() throws {
    let P2 = SparseMatrixCSC.zeros(rowCount: 2, columnCount: 2)
    // A has 3 columns, q has 2 entries.
    let mismatch = SolverFixtures.problemError {
      _ = try ConicProblem(P: P2, q: [1, 1], A: .zeros(rowCount: 1, columnCount: 3), b: [1], cones: [.nonnegative(1)])
    }
    #expect(mismatch?.field == "A")
    #expect(mismatch?.message.contains("expected 1×2") == true)

    let nan = SolverFixtures.problemError {
      _ = try ConicProblem(P: P2, q: [1, .nan], A: .zeros(rowCount: 1, columnCount: 2), b: [1], cones: [.nonnegative(1)])
    }
    #expect(nan?.field == "q")
    #expect(nan?.message.contains("q[1] is nan") == true)

    let lower = SparseMatrixCSC(rowCount: 2, columnCount: 2, rows: [0, 1], columns: [0, 0], values: [1, 0.5])
    let below = SolverFixtures.problemError {
      _ = try ConicProblem(P: lower, q: [1, 1], A: .zeros(rowCount: 1, columnCount: 2), b: [1], cones: [.nonnegative(1)])
    }
    #expect(below?.field == "P")
    #expect(below?.message.contains("(1, 0) below the diagonal") == true)

    let cones = SolverFixtures.problemError {
      _ = try ConicProblem(P: P2, q: [1, 1], A: .zeros(rowCount: 1, columnCount: 2), b: [1], cones: [.nonnegative(2)])
    }
    #expect(cones?.field == "cones")

    // The solver re-validates data mutated after construction.
    var problem = try SolverFixtures.textbookLP()
    problem.b[2] = .infinity
    let mutated = SolverFixtures.problemError { _ = try InteriorPointSolver(problem: problem) }
    #expect(mutated?.field == "b")
  }

  // MARK: Re-solving

  @Test func updateWithNewDataMatchesAFreshSolver() throws {
    let solver = try InteriorPointSolver(problem: try SolverFixtures.textbookLP())
    let first = solver.solve()
    #expect(maxAbsDifference(first.x, [1.6, 1.2]) < Self.tolerance)
    // b₁ = 5: x + 2y = 5 ∩ 3x + y = 6 → (1.4, 1.8), objective −3.2 (other vertices −2, −2.5).
    let newB = [5.0, 6, 0, 0]
    try solver.update(b: newB)
    let second = solver.solve()
    let fresh = try InteriorPointSolver(problem: try SolverFixtures.textbookLP(b: newB)).solve()
    #expect(second.status == .solved)
    #expect(maxAbsDifference(second.x, [1.4, 1.8]) < Self.tolerance)
    #expect(abs(second.objective - -3.2) < Self.tolerance)
    // Same data, same algorithm, same ordering: the two runs agree far below the tolerance.
    #expect(maxAbsDifference(second.x, fresh.x) < 1e-12)
    #expect(second.iterations == fresh.iterations)
    #expect(solver.problem.b == newB)
  }

  @Test func updateOfMatrixValuesMatchesAFreshSolver() throws {
    let planted = try SolverFixtures.planted(
      n: 30, cones: [.zero(4), .nonnegative(20), .secondOrder(7)], definite: true, seed: 40)
    let solver = try InteriorPointSolver(problem: planted.problem)
    _ = solver.solve()
    var A = planted.problem.A
    A.values = A.values.enumerated().map { k, v in k % 3 == 0 ? 1.5 * v : v }
    var P = planted.problem.P
    P.values = P.values.map { 2 * $0 }
    let q = planted.problem.q.map { $0 + 0.25 }
    try solver.update(P: P, q: q, A: A)
    let updated = solver.solve()
    var changed = planted.problem
    changed.A = A
    changed.P = P
    changed.q = q
    let fresh = try InteriorPointSolver(problem: changed).solve()
    SolverFixtures.expectOptimal(updated, changed, tolerance: Self.tolerance)
    // P ≻ 0, unique optimum: both runs are within the stopping tolerance of it.
    #expect(maxAbsDifference(updated.x, fresh.x) < Self.tolerance)
    #expect(abs(updated.objective - fresh.objective) < Self.tolerance * max(1, abs(fresh.objective)))
  }

  @Test func updateWithADifferentPatternThrows() throws {
    let solver = try InteriorPointSolver(problem: try SolverFixtures.textbookLP())
    let otherA = SolverFixtures.sparse([[1, 2], [3, 1], [-1, 1], [0, -1]])
    let aError = SolverFixtures.problemError { try solver.update(A: otherA) }
    #expect(aError?.field == "A")
    #expect(aError?.message.contains("different sparsity pattern") == true)
    let otherP = SolverFixtures.upper([[1, 0], [0, 0]])
    #expect(SolverFixtures.problemError { try solver.update(P: otherP) }?.field == "P")
    #expect(SolverFixtures.problemError { try solver.update(q: [1, .nan]) }?.field == "q")
    #expect(SolverFixtures.problemError { try solver.update(b: [1, 2, 3]) } != nil)
    // A failed update leaves the solver as it was.
    let r = solver.solve()
    #expect(maxAbsDifference(r.x, [1.6, 1.2]) < Self.tolerance)
  }

  // MARK: Limits and settings

  @Test func iterationAndTimeLimitsStopTheSolver() throws {
    let planted = try SolverFixtures.planted(n: 30, cones: [.nonnegative(30), .secondOrder(5)], seed: 50)
    var settings = SolverSettings()
    settings.maxIterations = 2
    let r = try InteriorPointSolver(problem: planted.problem, settings: settings).solve()
    #expect(r.status == .maxIterations)
    #expect(r.iterations == 2)
    #expect(r.x.allSatisfy { $0.isFinite } && r.objective.isFinite, "the last iterate is reported")

    settings = SolverSettings()
    settings.timeLimitSeconds = 1e-12
    let timed = try InteriorPointSolver(problem: planted.problem, settings: settings).solve()
    #expect(timed.status == .maxTime)
  }

  @Test func equilibrationDoesNotChangeTheSolution() throws {
    var off = SolverSettings()
    off.equilibrate = false
    let problems = [
      try SolverFixtures.textbookLP(),
      try SolverFixtures.halfSpaceProjection([1, 2, 3, 4, 5]),
      try SolverFixtures.planted(n: 40, cones: [.zero(5), .nonnegative(25), .secondOrder(6)], definite: true, seed: 60).problem,
    ]
    for (index, problem) in problems.enumerated() {
      let with = try InteriorPointSolver(problem: problem).solve()
      let without = try InteriorPointSolver(problem: problem, settings: off).solve()
      #expect(with.status == .solved && without.status == .solved)
      // Unique optima; each run is within the stopping tolerances of it. For the first two (LP and
      // SOCP with nondegenerate, strictly complementary optima) that means 1e-6; for the strongly
      // convex QP (P ⪰ I) the guaranteed distance is √(2·gap) from each run to x*, so twice that.
      let xTolerance = index < 2 ? Self.tolerance : 2 * Self.strongConvexityBound(objective: with.objective)
      #expect(maxAbsDifference(with.x, without.x) < xTolerance, "problem \(index)")
      #expect(abs(with.objective - without.objective) < Self.tolerance * max(1, abs(with.objective)))
      SolverFixtures.expectOptimal(without, problem, tolerance: Self.tolerance)
    }
  }
}

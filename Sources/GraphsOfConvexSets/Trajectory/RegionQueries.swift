import ConicSolver
import ConvexSets

// Small conic queries on regions that trajectory optimization needs: whether two regions share a
// point (to decide edges) and whether a region is bounded and nonempty (the perspective formulation
// of GCS is exact only for bounded sets). They work on conic descriptions alone, so they serve every
// `ConvexSet`.
//
// Note: ConvexSets is gaining public `intersects(_:)` / `isBounded()` queries with the same
// semantics; these internal helpers can be replaced by them once that lands.

/// What coordinate-wise minimization and maximization over a set found.
enum RegionExtent: Equatable {
  /// Every coordinate is bounded (the box `[lower, upper]` contains the set).
  case bounded(lower: [Double], upper: [Double])
  /// Some coordinate is unbounded (a certificate of dual infeasibility was found).
  case unbounded(coordinate: Int)
  /// The set has no points (a certificate of primal infeasibility was found).
  case empty
  /// A solve ended without a decision (iteration limit, numerical error).
  case undecided(SolverStatus)
}

enum RegionQueries {
  /// Whether `a` and `b` have a common point: one conic feasibility solve of both descriptions on
  /// one point.
  ///
  /// ```
  /// find x, w, w'  such that  M [x; w] + c ∈ K,  M' [x; w'] + c' ∈ K'
  /// ```
  /// An undecided solve counts as intersecting: an edge between regions that do not meet costs a
  /// little time (its restriction is infeasible), a missing edge loses solutions.
  /// - Precondition: both sets have the same ambient dimension.
  static func intersect(_ a: any ConvexSet, _ b: any ConvexSet, settings: SolverSettings = SolverSettings()) -> Bool {
    precondition(
      a.ambientDimension == b.ambientDimension,
      "intersect: sets of dimension \(a.ambientDimension) and \(b.ambientDimension)")
    let both = a.conicDescription.intersected(with: b.conicDescription)
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(a.ambientDimension))
    both.addConstraints(to: &builder, point: x)
    guard let problem = try? builder.build(name: "region-intersection"),
      let solver = try? InteriorPointSolver(problem: problem, settings: settings)
    else { return true }
    if problem.constraintCount == 0 { return true }
    switch solver.solve().status {
    case .primalInfeasible, .almostPrimalInfeasible: return false
    default: return true
    }
  }

  /// The extent of `set`: minimizes and maximizes every coordinate (`2n` solves on one solver, only
  /// the cost changing), stopping at the first unbounded or undecided one.
  ///
  /// ```
  /// lowerᵢ = min { xᵢ : x ∈ X },   upperᵢ = max { xᵢ : x ∈ X }
  /// ```
  static func extent(of set: any ConvexSet, settings: SolverSettings = SolverSettings()) -> RegionExtent {
    let n = set.ambientDimension
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(n))
    set.conicDescription.addConstraints(to: &builder, point: x)
    guard let problem = try? builder.build(name: "region-extent"),
      let solver = try? InteriorPointSolver(problem: problem, settings: settings)
    else { return .undecided(.numericalError) }
    var lower = [Double](repeating: 0, count: n)
    var upper = [Double](repeating: 0, count: n)
    for i in 0..<n {
      for sign in [1.0, -1.0] {
        var q = [Double](repeating: 0, count: problem.variableCount)
        q[x[i]] = sign
        do { try solver.update(q: q) } catch { return .undecided(.numericalError) }
        let result = solver.solve()
        switch result.status {
        case .solved, .almostSolved:
          if sign > 0 { lower[i] = result.x[x[i]] } else { upper[i] = result.x[x[i]] }
        case .dualInfeasible, .almostDualInfeasible: return .unbounded(coordinate: i)
        case .primalInfeasible, .almostPrimalInfeasible: return .empty
        default: return .undecided(result.status)
        }
      }
    }
    return .bounded(lower: lower, upper: upper)
  }
}

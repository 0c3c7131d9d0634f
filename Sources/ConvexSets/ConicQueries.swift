import ConicSolver
import LinearAlgebra

// Small conic programs over a set's description, shared by the operations on every set: one
// feasibility solve, or a series of linear objectives on one solver whose symbolic analysis is
// reused (`InteriorPointSolver.update(q:)`).

/// What a feasibility solve found.
enum FeasibilityOutcome: Equatable {
  /// A point of the set (the first `dimension` variables of the solution).
  case feasible([Double])
  /// The solver returned a certificate of infeasibility.
  case infeasible
  /// The solver stopped without deciding (iteration limit, numerical trouble).
  case undecided(SolverStatus)
}

/// What minimizing a linear function over a set found.
enum MinimizationOutcome: Equatable {
  /// The minimum and a minimizer.
  case optimal(value: Double, point: [Double])
  /// The function is unbounded below on the set (dual infeasible).
  case unbounded
  /// The set is empty (primal infeasible).
  case infeasible
  /// The solver stopped without deciding.
  case undecided(SolverStatus)
}

/// Minimizes linear functions `cᵀx` over `{x : ∃w, M[x; w] + c ∈ K}` for several `c`, with one solver.
///
/// A cost on a coordinate that no row constrains is answered without the solver: the function is
/// unbounded below, which the solver would also certify (dual infeasible), at the price of a solve.
struct LinearMinimizer {
  let dimension: Int
  let variableCount: Int
  /// `nil` when the program could not be set up (non-finite data); every answer is then undecided.
  let solver: InteriorPointSolver?
  /// Whether coordinate `i` of the point has a nonzero coefficient in some row.
  let constrainedCoordinates: [Bool]

  /// Sets up `minimize 0` over the description.
  init(_ description: ConicSetDescription, settings: SolverSettings = SolverSettings()) {
    dimension = description.dimension
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(description.dimension))
    description.addConstraints(to: &builder, point: x)
    variableCount = builder.variableCount
    solver = LinearMinimizer.makeSolver(builder, settings: settings)
    var constrained = [Bool](repeating: false, count: description.dimension)
    for block in description.blocks {
      for row in block.rows {
        for (k, column) in row.columns.enumerated() where column < description.dimension && row.values[k] != 0 {
          constrained[column] = true
        }
      }
    }
    constrainedCoordinates = constrained
  }

  private static func makeSolver(_ builder: ConicProgramBuilder, settings: SolverSettings) -> InteriorPointSolver? {
    guard let problem = try? builder.build() else { return nil }
    return try? InteriorPointSolver(problem: problem, settings: settings)
  }

  /// Whether the set is non-empty, with a point of it.
  func feasibility() -> FeasibilityOutcome {
    guard let solver else { return .undecided(.numericalError) }
    if solver.problem.constraintCount == 0 { return .feasible([Double](repeating: 0, count: dimension)) }
    let zero = [Double](repeating: 0, count: variableCount)
    let outcome = feasibility(on: solver, q: zero)
    return outcome
  }

  private func feasibility(on solver: InteriorPointSolver, q: [Double]) -> FeasibilityOutcome {
    if solver.problem.q != q {
      do { try solver.update(q: q) } catch { return .undecided(.numericalError) }
    }
    let result = solver.solve()
    switch result.status {
    case .solved, .almostSolved: return .feasible(Array(result.x[0..<dimension]))
    case .primalInfeasible, .almostPrimalInfeasible: return .infeasible
    // With a zero objective the dual is always feasible; a dual-infeasibility status is noise.
    default: return .undecided(result.status)
    }
  }

  /// Minimizes `costᵀx` (cost on the point variables only).
  func minimize(_ cost: [Double]) -> MinimizationOutcome {
    precondition(cost.count == dimension, "LinearMinimizer.minimize: cost of length \(cost.count), set of dimension \(dimension)")
    guard let solver else { return .undecided(.numericalError) }
    if solver.problem.constraintCount == 0 {
      return cost.allSatisfy({ $0 == 0 }) ? .optimal(value: 0, point: [Double](repeating: 0, count: dimension)) : .unbounded
    }
    // A coordinate that no row constrains is free: with a cost on it the minimum is −∞ on a
    // non-empty set (the solver stops with a numerical error on such a column instead).
    if cost.indices.contains(where: { cost[$0] != 0 && !constrainedCoordinates[$0] }) {
      switch feasibility() {
      case .feasible: return .unbounded
      case .infeasible: return .infeasible
      case .undecided(let status): return .undecided(status)
      }
    }
    var q = [Double](repeating: 0, count: variableCount)
    for i in 0..<dimension { q[i] = cost[i] }
    let outcome = minimize(on: solver, q: q, cost: cost)
    return outcome
  }

  private func minimize(on solver: InteriorPointSolver, q: [Double], cost: [Double]) -> MinimizationOutcome {
    do { try solver.update(q: q) } catch { return .undecided(.numericalError) }
    let result = solver.solve()
    switch result.status {
    case .solved, .almostSolved:
      let point = Array(result.x[0..<dimension])
      return .optimal(value: cost.dot(point), point: point)
    case .dualInfeasible, .almostDualInfeasible: return .unbounded
    case .primalInfeasible, .almostPrimalInfeasible: return .infeasible
    default: return .undecided(result.status)
    }
  }
}

/// The smallest and largest value of every coordinate over a set, with the points that attain them.
struct CoordinateExtremes {
  var lower: [Double]
  var upper: [Double]
  /// `2n` points of the set: the minimizer then the maximizer of each coordinate.
  var points: [[Double]]

  /// The average of the extreme points: a point of the set (a convex combination of its points),
  /// in the relative interior for most sets.
  var interiorGuess: [Double] {
    var mean = [Double](repeating: 0, count: lower.count)
    for p in points { mean.axpy(1 / Double(points.count), p) }
    return mean
  }
}

enum CoordinateExtremesOutcome {
  case bounded(CoordinateExtremes)
  case unbounded
  case empty
  case undecided(SolverStatus)
}

/// Minimizes and maximizes every coordinate over the description: `2n` solves on one solver,
/// stopping at the first unbounded, infeasible or undecided one.
func coordinateExtremes(of description: ConicSetDescription) -> CoordinateExtremesOutcome {
  let n = description.dimension
  let minimizer = LinearMinimizer(description)
  var lower = [Double](repeating: 0, count: n)
  var upper = lower
  var points: [[Double]] = []
  points.reserveCapacity(2 * n)
  for i in 0..<n {
    for sign in [1.0, -1.0] {
      var cost = [Double](repeating: 0, count: n)
      cost[i] = sign
      switch minimizer.minimize(cost) {
      case .optimal(_, let point):
        if sign > 0 { lower[i] = point[i] } else { upper[i] = point[i] }
        points.append(point)
      case .unbounded: return .unbounded
      case .infeasible: return .empty
      case .undecided(let status): return .undecided(status)
      }
    }
  }
  for i in 0..<n where upper[i] < lower[i] {
    // Both ends agree to the solver's accuracy (a flat coordinate); keep the box well formed.
    let mid = 0.5 * (lower[i] + upper[i])
    lower[i] = mid
    upper[i] = mid
  }
  return .bounded(CoordinateExtremes(lower: lower, upper: upper, points: points))
}

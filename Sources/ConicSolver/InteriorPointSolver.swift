import LinearAlgebra

/// Primal-dual interior-point solver for `ConicProblem` (stub: being written).
public final class InteriorPointSolver {
  public let problem: ConicProblem
  public let settings: SolverSettings

  /// Checks the problem and settings and prepares the solver.
  public init(problem: ConicProblem, settings: SolverSettings = SolverSettings()) throws(ConicProblemError) {
    try problem.validate()
    try settings.validate()
    self.problem = problem
    self.settings = settings
  }

  /// Solves the problem. Never throws: numerical outcomes are statuses.
  public func solve() -> SolverResult {
    SolverResult(
      status: .unsolved, x: [], s: [], z: [], objective: .nan, dualObjective: .nan, iterations: 0,
      setupTimeSeconds: 0, solveTimeSeconds: 0, primalResidual: .nan, dualResidual: .nan, gapAbsolute: .nan,
      gapRelative: .nan)
  }
}

/// How a solve ended. The raw values are the status strings of the CLI and JSON output.
public enum SolverStatus: String, Sendable, Equatable, CaseIterable {
  /// Optimal within the tolerances.
  case solved = "solved"
  /// Optimal within the reduced tolerances only.
  case almostSolved = "almost_solved"
  /// A certificate of primal infeasibility was found (`z` holds it).
  case primalInfeasible = "primal_infeasible"
  /// A certificate of dual infeasibility (unboundedness) was found (`x`, `s` hold it).
  case dualInfeasible = "dual_infeasible"
  /// Primal infeasible within the reduced tolerances only.
  case almostPrimalInfeasible = "almost_primal_infeasible"
  /// Dual infeasible within the reduced tolerances only.
  case almostDualInfeasible = "almost_dual_infeasible"
  /// The iteration limit was reached.
  case maxIterations = "max_iterations"
  /// The time limit was reached.
  case maxTime = "max_time"
  /// The KKT system could not be factored or progress stalled far from a solution.
  case numericalError = "numerical_error"
  /// Not solved yet.
  case unsolved = "unsolved"

  /// Whether the result carries a usable primal-dual solution (solved or almost solved).
  public var hasSolution: Bool { self == .solved || self == .almostSolved }
}

/// The outcome of a solve: status, solution, objective, residuals and statistics.
///
/// For `solved`/`almostSolved`, `(x, s, z)` is the primal-dual solution of the original (unscaled)
/// problem. For `primalInfeasible`, `z` is a certificate: `Aᵀz = 0`, `bᵀz < 0`, `z ∈ K*`. For
/// `dualInfeasible`, `x` is a certificate: `Px = 0`, `Ax + s = 0` with `s ∈ K`, `qᵀx < 0`.
public struct SolverResult: Sendable {
  public var status: SolverStatus
  /// Primal variables, `n`.
  public var x: [Double]
  /// Primal slacks, `m`.
  public var s: [Double]
  /// Dual variables, `m`.
  public var z: [Double]
  /// Primal objective `½xᵀPx + qᵀx + c` (NaN when there is no solution).
  public var objective: Double
  /// Dual objective `−½xᵀPx − bᵀz + c` (NaN when there is no solution).
  public var dualObjective: Double
  /// Interior-point iterations taken.
  public var iterations: Int
  /// Seconds spent in setup (equilibration, KKT assembly, ordering, symbolic factorization).
  public var setupTimeSeconds: Double
  /// Seconds spent in the iterations.
  public var solveTimeSeconds: Double
  /// Relative primal residual `‖Ax + s − b‖∞ / max(1, ‖b‖∞ + ‖x‖∞ + ‖s‖∞)`.
  public var primalResidual: Double
  /// Relative dual residual `‖Px + Aᵀz + q‖∞ / max(1, ‖q‖∞ + ‖x‖∞ + ‖z‖∞)`.
  public var dualResidual: Double
  /// Absolute duality gap `|primal − dual objective|`.
  public var gapAbsolute: Double
  /// Relative duality gap `gapAbsolute / max(1, min(|primal|, |dual|))`.
  public var gapRelative: Double

  /// Total seconds (setup plus iterations).
  public var totalTimeSeconds: Double { setupTimeSeconds + solveTimeSeconds }
}

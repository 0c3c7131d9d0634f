/// Settings of the interior-point solver. Every default is stated; `validate()` checks them once.
///
/// The defaults follow Clarabel's (Goulart & Chen, arXiv:2405.12762): gap and feasibility
/// tolerances 1e-8, infeasibility tolerance 1e-8, reduced tolerances for "almost solved".
public struct SolverSettings: Sendable, Equatable {
  /// Maximum number of interior-point iterations. Default 200.
  public var maxIterations: Int = 200
  /// Wall-clock limit for setup plus solve, in seconds. Default: none (`.infinity`).
  public var timeLimitSeconds: Double = .infinity
  /// Print an iteration log to standard error. Default false.
  public var verbose: Bool = false

  /// Absolute duality-gap tolerance. Default 1e-8.
  public var gapAbsoluteTolerance: Double = 1e-8
  /// Relative duality-gap tolerance. Default 1e-8.
  public var gapRelativeTolerance: Double = 1e-8
  /// Primal and dual feasibility tolerance (relative residuals). Default 1e-8.
  public var feasibilityTolerance: Double = 1e-8
  /// Tolerance of the infeasibility certificates. Default 1e-8.
  public var infeasibilityTolerance: Double = 1e-8
  /// Reduced gap tolerance for `almostSolved`. Default 5e-5.
  public var reducedGapTolerance: Double = 5e-5
  /// Reduced feasibility tolerance for `almostSolved`. Default 1e-4.
  public var reducedFeasibilityTolerance: Double = 1e-4
  /// Reduced infeasibility tolerance for `almostSolved`-style certificates. Default 5e-5.
  public var reducedInfeasibilityTolerance: Double = 5e-5

  /// Fraction of the distance to the cone boundary a step may travel. Default 0.99.
  public var maxStepFraction: Double = 0.99
  /// Steps shorter than this stop the solver (insufficient progress). Default 1e-4.
  public var minStepLength: Double = 1e-4

  /// Ruiz equilibration of the data. Default on, 10 passes, scaling bounded to [1e-4, 1e4].
  public var equilibrate: Bool = true
  /// Number of Ruiz passes. Default 10.
  public var equilibrationIterations: Int = 10
  /// Lower bound of an equilibration factor. Default 1e-4.
  public var equilibrationMinScaling: Double = 1e-4
  /// Upper bound of an equilibration factor. Default 1e4.
  public var equilibrationMaxScaling: Double = 1e4

  /// Static regularization ε added to the KKT diagonal (+ε primal, −ε dual). Default 1e-8.
  public var staticRegularization: Double = 1e-8
  /// Where KKT solves stay above the refinement tolerance (an ill-conditioned `K` for which `K + εS`
  /// is too poor a preconditioner), ε is lowered 100× per iteration, down to this. Default 1e-12.
  public var staticRegularizationMinimum: Double = 1e-12
  /// Dynamic regularization: a pivot whose signed value falls below this is replaced. Default 1e-13.
  public var dynamicRegularizationThreshold: Double = 1e-13
  /// Dynamic regularization: the replacement magnitude of a small pivot. Default 2e-7.
  public var dynamicRegularizationDelta: Double = 2e-7
  /// Iterative-refinement passes per KKT solve (at most). Default 10.
  public var refinementMaxIterations: Int = 10
  /// Iterative refinement stops when the residual is below `abs + rel·‖rhs‖∞`. Defaults 1e-12, 1e-13.
  public var refinementAbsoluteTolerance: Double = 1e-12
  public var refinementRelativeTolerance: Double = 1e-13
  /// When iterative refinement stalls above its tolerance, the solve goes on with GMRES
  /// preconditioned by the factorization, for at most this many iterations (0: never). Default 20.
  public var krylovMaxIterations: Int = 20

  /// Second-order cones of larger dimension than this get the sparse (rank-2 expanded) KKT form
  /// instead of a dense block. Default 4.
  public var secondOrderConeDenseMaxDimension: Int = 4

  /// KKT systems whose predicted factor has at least this many entries are factored by the
  /// supernodal (BLAS-3) LDLᵀ instead of the simplicial one. Default 200 000.
  public var supernodalMinimumFactorSize: Int = 200_000

  public init() {}

  /// Checks every setting; throws naming the first bad one.
  public func validate() throws(ConicProblemError) {
    func positive(_ v: Double, _ name: String) throws(ConicProblemError) {
      if !(v > 0) || v.isNaN { throw ConicProblemError(field: "settings.\(name)", message: "must be positive, got \(v)") }
    }
    if maxIterations < 0 { throw ConicProblemError(field: "settings.maxIterations", message: "must be ≥ 0, got \(maxIterations)") }
    try positive(timeLimitSeconds, "timeLimitSeconds")
    try positive(gapAbsoluteTolerance, "gapAbsoluteTolerance")
    try positive(gapRelativeTolerance, "gapRelativeTolerance")
    try positive(feasibilityTolerance, "feasibilityTolerance")
    try positive(infeasibilityTolerance, "infeasibilityTolerance")
    try positive(reducedGapTolerance, "reducedGapTolerance")
    try positive(reducedFeasibilityTolerance, "reducedFeasibilityTolerance")
    try positive(reducedInfeasibilityTolerance, "reducedInfeasibilityTolerance")
    if !(maxStepFraction > 0 && maxStepFraction < 1) {
      throw ConicProblemError(field: "settings.maxStepFraction", message: "must be in (0, 1), got \(maxStepFraction)")
    }
    try positive(minStepLength, "minStepLength")
    if equilibrationIterations < 0 {
      throw ConicProblemError(field: "settings.equilibrationIterations", message: "must be ≥ 0")
    }
    try positive(equilibrationMinScaling, "equilibrationMinScaling")
    try positive(equilibrationMaxScaling, "equilibrationMaxScaling")
    if staticRegularization < 0 || !staticRegularization.isFinite {
      throw ConicProblemError(field: "settings.staticRegularization", message: "must be ≥ 0, got \(staticRegularization)")
    }
    if staticRegularizationMinimum < 0 || !(staticRegularizationMinimum <= staticRegularization) {
      throw ConicProblemError(
        field: "settings.staticRegularizationMinimum",
        message: "must be in [0, staticRegularization = \(staticRegularization)], got \(staticRegularizationMinimum)")
    }
    try positive(dynamicRegularizationDelta, "dynamicRegularizationDelta")
    if refinementMaxIterations < 0 {
      throw ConicProblemError(field: "settings.refinementMaxIterations", message: "must be ≥ 0")
    }
    if krylovMaxIterations < 0 {
      throw ConicProblemError(field: "settings.krylovMaxIterations", message: "must be ≥ 0, got \(krylovMaxIterations)")
    }
    if supernodalMinimumFactorSize < 0 {
      throw ConicProblemError(field: "settings.supernodalMinimumFactorSize", message: "must be ≥ 0")
    }
    if secondOrderConeDenseMaxDimension < 1 {
      throw ConicProblemError(field: "settings.secondOrderConeDenseMaxDimension", message: "must be ≥ 1")
    }
  }
}

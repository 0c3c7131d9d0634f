import Foundation
import LinearAlgebra

/// Primal-dual interior-point solver for convex conic programs with quadratic objectives.
///
/// ```
/// minimize    ½ xᵀPx + qᵀx + c
/// subject to  Ax + s = b,   s ∈ K
/// ```
/// The method is the one of Clarabel (Goulart & Chen, arXiv:2405.12762), itself in the line of
/// CVXOPT and ECOS:
/// - the homogeneous self-dual embedding with variables `(x, s, z, τ, κ)` extended to quadratic
///   objectives, so infeasible and unbounded problems end with certificates;
/// - Nesterov–Todd scaling of every cone, Mehrotra predictor–corrector steps;
/// - a sparse quasi-definite KKT system factored by `SparseLDL` (AMD ordering, static and dynamic
///   regularization, iterative refinement), whose symbolic analysis is done once per sparsity pattern;
/// - Ruiz equilibration of the data.
///
/// Bad problem data or settings are rejected once, by `init`; `solve()` never throws and reports
/// numerical outcomes as a `SolverStatus`. A solver can be re-used for problems with the same
/// sparsity (`update(...)`), which keeps the ordering and symbolic factorization.
public final class InteriorPointSolver {
  /// The (unscaled) problem being solved.
  public private(set) var problem: ConicProblem
  /// The settings in force.
  public let settings: SolverSettings

  private let n: Int
  private let m: Int
  private var cones: ConeProduct
  private var scaling: Equilibration
  /// Scaled data.
  private var P: SparseMatrixCSC
  private var A: SparseMatrixCSC
  private var q: [Double]
  private var b: [Double]
  private var kkt: KKTSystem?
  private var setupFailure: SparseFactorizationError?
  private var setupSeconds: Double

  // Iterate and workspaces (scaled space).
  private var x: [Double], s: [Double], z: [Double]
  private var tau = 1.0, kappa = 1.0
  private var lambda: [Double]
  private var rx: [Double], rz: [Double]
  private var Px: [Double], Atz: [Double], Ax: [Double]
  private var x1: [Double], z1: [Double], x2: [Double], z2: [Double]
  private var dxs: [Double], dzs: [Double], dss: [Double]
  private var ds: [Double], wv: [Double], tmpM: [Double], tmpM2: [Double], tmpN: [Double]
  private var rhs: [Double], sol: [Double]

  /// Checks the problem and settings, equilibrates, assembles the KKT system and analyses it.
  ///
  /// - Throws: `ConicProblemError` for bad data or settings (naming the field).
  public init(problem: ConicProblem, settings: SolverSettings = SolverSettings()) throws(ConicProblemError) {
    try problem.validate()
    try settings.validate()
    let start = DispatchTime.now()
    self.problem = problem
    self.settings = settings
    n = problem.variableCount
    m = problem.constraintCount
    cones = ConeProduct(problem.cones)
    P = problem.P.isCanonical ? problem.P : InteriorPointSolver.canonical(problem.P)
    A = problem.A.isCanonical ? problem.A : InteriorPointSolver.canonical(problem.A)
    q = problem.q
    b = problem.b
    scaling = Equilibration.equilibrate(
      P: &P, q: &q, A: &A, b: &b, uniformBlocks: cones.uniformScalingBlocks, settings: settings)
    x = [Double](repeating: 0, count: n)
    s = [Double](repeating: 0, count: m)
    z = s
    lambda = s
    rx = x; rz = s; Px = x; Atz = x; Ax = s
    x1 = x; z1 = s; x2 = x; z2 = s
    dxs = x; dzs = s; dss = s
    ds = s; wv = s; tmpM = s; tmpM2 = s; tmpN = x
    do {
      let system = try KKTSystem(P: P, A: A, cones: cones, settings: settings)
      kkt = system
      rhs = [Double](repeating: 0, count: system.dimension)
    } catch {
      setupFailure = error
      rhs = []
    }
    sol = rhs
    setupSeconds = InteriorPointSolver.seconds(since: start)
  }

  /// Replaces the data with new values on the same sparsity pattern (any of `P`, `q`, `A`, `b`),
  /// re-equilibrates, and keeps the symbolic factorization. Cones cannot change.
  ///
  /// - Throws: `ConicProblemError` when a pattern or a length differs, or data is not finite.
  public func update(
    P newP: SparseMatrixCSC? = nil, q newQ: [Double]? = nil, A newA: SparseMatrixCSC? = nil, b newB: [Double]? = nil
  ) throws(ConicProblemError) {
    var updated = problem
    if let newP {
      guard newP.columnPointers == problem.P.columnPointers, newP.rowIndices == problem.P.rowIndices else {
        throw ConicProblemError(field: "P", message: "has a different sparsity pattern from the one the solver was built with")
      }
      updated.P = newP
    }
    if let newA {
      guard newA.columnPointers == problem.A.columnPointers, newA.rowIndices == problem.A.rowIndices else {
        throw ConicProblemError(field: "A", message: "has a different sparsity pattern from the one the solver was built with")
      }
      updated.A = newA
    }
    if let newQ { updated.q = newQ }
    if let newB { updated.b = newB }
    try updated.validate()
    let start = DispatchTime.now()
    problem = updated
    P = updated.P.isCanonical ? updated.P : InteriorPointSolver.canonical(updated.P)
    A = updated.A.isCanonical ? updated.A : InteriorPointSolver.canonical(updated.A)
    q = updated.q
    b = updated.b
    scaling = Equilibration.equilibrate(
      P: &P, q: &q, A: &A, b: &b, uniformBlocks: cones.uniformScalingBlocks, settings: settings)
    kkt?.updateData(P: P, A: A)
    setupSeconds = InteriorPointSolver.seconds(since: start)
  }

  private static func canonical(_ M: SparseMatrixCSC) -> SparseMatrixCSC {
    var rows: [Int] = []
    var cols: [Int] = []
    rows.reserveCapacity(M.nonzeroCount)
    cols.reserveCapacity(M.nonzeroCount)
    for j in 0..<M.columnCount {
      for p in M.columnPointers[j]..<M.columnPointers[j + 1] {
        rows.append(M.rowIndices[p])
        cols.append(j)
      }
    }
    return SparseMatrixCSC(rowCount: M.rowCount, columnCount: M.columnCount, rows: rows, columns: cols, values: M.values)
  }

  private static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }

  // MARK: - Solve

  /// Runs the interior-point method. Never throws; see `SolverResult.status`.
  public func solve() -> SolverResult {
    let start = DispatchTime.now()
    guard let kkt else {
      return failedResult(status: .numericalError, solveSeconds: 0)
    }
    let settings = self.settings
    let degree = Double(cones.degree)
    if settings.verbose { printHeader(kkt) }

    // Starting point.
    if !initialize(kkt) {
      return failedResult(status: .numericalError, solveSeconds: InteriorPointSolver.seconds(since: start))
    }

    var status = SolverStatus.unsolved
    var iteration = 0
    var lastStep = 0.0
    var info = TerminationInfo()
    var best = BestIterate()
    var bestMeasures = [Double](repeating: .infinity, count: 4)
    var lastProgress = 0
    while true {
      computeResiduals()
      info = terminationInfo()
      let mu = (dot(s, z) + tau * kappa) / (degree + 1)
      if settings.verbose { printIteration(iteration, info, mu: mu, step: lastStep) }
      if let done = checkTermination(info, reduced: false) {
        status = done
        break
      }
      // Keep the best iterate so far; stop when it has not improved for a while (the end of a
      // degenerate or badly conditioned solve, where complementarity can collapse while the
      // residuals stall), and report that iterate.
      let merit = info.merit
      if merit < 0.5 * best.merit || best.iteration < 0 {
        best.save(self, info: info, iteration: iteration, mu: mu)
      } else if merit < best.merit {
        best.save(self, info: info, iteration: best.iteration, mu: mu)
      }
      // Progress: any of the primal residual, dual residual, gap or certificate halved.
      let measures = [info.primalResidual, info.dualResidual, min(info.gapAbsolute, info.gapRelative), info.infeasibilityMerit]
      for k in 0..<measures.count where measures[k] < 0.5 * bestMeasures[k] {
        bestMeasures[k] = measures[k]
        lastProgress = iteration
      }
      // Stalled: no progress for a while although complementarity kept falling (by 10³ since
      // the best iterate); a plateau in the middle of a solve, where μ also stalls, goes on.
      if iteration - lastProgress >= BestIterate.stallIterations && mu < 1e-3 * best.mu {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      if iteration >= settings.maxIterations {
        status = stopEarly(&info, best: best, otherwise: .maxIterations)
        break
      }
      if setupSeconds + InteriorPointSolver.seconds(since: start) > settings.timeLimitSeconds {
        status = stopEarly(&info, best: best, otherwise: .maxTime)
        break
      }
      // Scaling, KKT refactorization.
      let scaled = s.withUnsafeBufferPointer { sp in
        z.withUnsafeBufferPointer { zp in
          lambda.withUnsafeMutableBufferPointer { lp in
            cones.updateScaling(s: sp.baseAddress!, z: zp.baseAddress!, lambda: lp.baseAddress!)
          }
        }
      }
      if !scaled {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      let epsilonBefore = kkt.epsilon
      kkt.adaptRegularization()
      if settings.verbose && kkt.epsilon != epsilonBefore {
        log("     KKT solves inaccurate for \(KKTSystem.inaccurateIterationLimit) iterations: static regularization lowered to \(kkt.epsilon), GMRES on")
      }
      kkt.updateScaling(cones)
      do { try kkt.factor() } catch {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      // Constant part: K [x1; z1] = [−q̂; b̂].
      for j in 0..<n { rhs[j] = -q[j] }
      for i in 0..<m { rhs[n + i] = b[i] }
      for k in (n + m)..<rhs.count { rhs[k] = 0 }
      solveKKT(kkt, into: &x1, &z1)

      // ξ = x/τ and the τ-equation's denominator, shared by both steps:
      //   (q̂ + 2P̂ξ)ᵀx1 + b̂ᵀz1 − ξᵀP̂ξ − κ/τ = q̂ᵀx1 + b̂ᵀz1 + x1ᵀP̂x1 − (x1 − ξ)ᵀP̂(x1 − ξ) − κ/τ.
      // It is computed from (x1, z1) as they are, as Clarabel does, not through the identity
      // q̂ᵀx1 + b̂ᵀz1 = −x1ᵀP̂x1 − ‖Wz1‖², which holds for K without its regularization only: where K
      // is singular (a variable in no constraint and without quadratic cost) x1 has entries of order
      // 1/ε, the identity misses ε‖x1‖² ~ 1/ε, and Δτ comes out 1/ε too large.
      let invTau = 1 / tau
      for j in 0..<n { tmpN[j] = x1[j] - x[j] * invTau }
      let pQuad = quadraticForm(tmpN)
      let denominator = dot(q, x1) + dot(b, z1) + quadraticForm(x1) - pQuad - kappa * invTau

      // Predictor (affine scaling) direction.
      lambda.withUnsafeBufferPointer { l in
        ds.withUnsafeMutableBufferPointer { d in cones.jordanProduct(l.baseAddress!, l.baseAddress!, d.baseAddress!) }
      }
      var dkappa = tau * kappa
      let tauAffine = computeStep(kkt, dxScale: 1, dkappa: dkappa, denominator: denominator)
      let kappaAffine = -(dkappa + kappa * tauAffine) / tau
      if !directionIsFinite(tauAffine, kappaAffine) {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      let alphaAffine = min(1, stepLength(tauStep: tauAffine, kappaStep: kappaAffine))
      let sigma = pow(1 - alphaAffine, 3)

      // Corrector: ds = λ∘λ + (W⁻¹Δs_a)∘(WΔz_a) − σμe.
      dss.withUnsafeBufferPointer { dsa in
        dzs.withUnsafeBufferPointer { dza in
          tmpM.withUnsafeMutableBufferPointer { t1 in
            tmpM2.withUnsafeMutableBufferPointer { t2 in
              ds.withUnsafeMutableBufferPointer { d in
                lambda.withUnsafeBufferPointer { l in
                  cones.multiplyWInverse(dsa.baseAddress!, t1.baseAddress!)
                  cones.multiplyW(dza.baseAddress!, t2.baseAddress!)
                  cones.jordanProduct(t1.baseAddress!, t2.baseAddress!, t1.baseAddress!)
                  cones.jordanProduct(l.baseAddress!, l.baseAddress!, d.baseAddress!)
                  for i in 0..<m { d[i] += t1[i] }
                  cones.addIdentity(d.baseAddress!, -sigma * mu)
                }
              }
            }
          }
        }
      }
      dkappa = tau * kappa + tauAffine * kappaAffine - sigma * mu
      let tauStep = computeStep(kkt, dxScale: 1 - sigma, dkappa: dkappa, denominator: denominator)
      let kappaStep = -(dkappa + kappa * tauStep) / tau
      if !directionIsFinite(tauStep, kappaStep) {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      let alpha = min(1, settings.maxStepFraction * stepLength(tauStep: tauStep, kappaStep: kappaStep))
      lastStep = alpha
      if !(alpha >= settings.minStepLength) {
        status = stopEarly(&info, best: best, otherwise: .numericalError)
        break
      }
      for j in 0..<n { x[j] += alpha * dxs[j] }
      for i in 0..<m {
        s[i] += alpha * dss[i]
        z[i] += alpha * dzs[i]
      }
      tau += alpha * tauStep
      kappa += alpha * kappaStep
      iteration += 1
    }
    let solveSeconds = InteriorPointSolver.seconds(since: start)
    let result = makeResult(status: status, iterations: iteration, info: info, solveSeconds: solveSeconds)
    if settings.verbose { printFooter(result) }
    return result
  }

  /// A copy of the best iterate met so far, by `TerminationInfo.merit`.
  private struct BestIterate {
    /// Iterations without halving the merit after which the solver stops.
    static let stallIterations = 10
    var merit = Double.infinity
    var iteration = -1
    var info = TerminationInfo()
    var x: [Double] = [], s: [Double] = [], z: [Double] = []
    var tau = 1.0, kappa = 1.0
    /// μ at the saved iterate.
    var mu = Double.infinity

    mutating func save(_ solver: InteriorPointSolver, info: TerminationInfo, iteration: Int, mu: Double) {
      merit = info.merit
      self.mu = mu
      self.iteration = iteration
      self.info = info
      x = solver.x
      s = solver.s
      z = solver.z
      tau = solver.tau
      kappa = solver.kappa
    }

    func restore(into solver: InteriorPointSolver) {
      guard iteration >= 0 else { return }
      solver.x = x
      solver.s = s
      solver.z = z
      solver.tau = tau
      solver.kappa = kappa
    }
  }

  /// The status when the iterations end before convergence: the current iterate within the reduced
  /// tolerances (which also catches nearly converged certificates), else the best iterate within
  /// them (restored), else `otherwise` (with the better of the two iterates kept).
  private func stopEarly(_ info: inout TerminationInfo, best: BestIterate, otherwise: SolverStatus) -> SolverStatus {
    if let status = checkTermination(info, reduced: true) { return almost(status) }
    // A certificate at full tolerance while τ ≥ κ: problems whose cones have no complementarity to
    // drive τ down (only equalities, e.g. x = 1 and x = 2) let τ grow without bound while the
    // iterate's z (or x) already is a certificate; Farkas' lemma rules it out for feasible data.
    if let status = certificate(info) { return status }
    if best.iteration >= 0 && best.merit < info.merit {
      best.restore(into: self)
      info = best.info
      if let status = checkTermination(info, reduced: true, tau: best.tau, kappa: best.kappa) { return almost(status) }
      if let status = certificate(info) { return status }
    }
    return otherwise
  }

  /// An infeasibility certificate at full tolerance, whatever τ and κ, where the residual it
  /// explains is not converged.
  private func certificate(_ info: TerminationInfo) -> SolverStatus? {
    let infeas = settings.infeasibilityTolerance
    if info.primalInfeasibility < infeas && info.primalInfeasibilityDirection > infeas
      && info.primalResidual > settings.feasibilityTolerance
    {
      return .primalInfeasible
    }
    if info.dualInfeasibility < infeas && info.dualInfeasibilityDirection > infeas
      && info.dualResidual > settings.feasibilityTolerance
    {
      return .dualInfeasible
    }
    return nil
  }

  private func almost(_ status: SolverStatus) -> SolverStatus {
    switch status {
    case .solved: return .almostSolved
    case .primalInfeasible: return .almostPrimalInfeasible
    case .dualInfeasible: return .almostDualInfeasible
    default: return status
    }
  }

  /// Starting point (as in CVXOPT): `x, s` from min ½xᵀPx + ½‖s‖² s.t. Ax + s = b, `z` from the
  /// dual counterpart, then `s` and `z` moved inside their cones; `τ = κ = 1`.
  private func initialize(_ kkt: KKTSystem) -> Bool {
    kkt.resetRegularization()
    cones.setIdentityScaling()
    kkt.updateScaling(cones)
    do { try kkt.factor() } catch { return false }
    if P.nonzeroCount > 0 {
      // QP: one solve of [P A'; A −I][x; z] = [−q; b], then s = −z (Clarabel's QP start).
      for j in 0..<n { rhs[j] = -q[j] }
      for i in 0..<m { rhs[n + i] = b[i] }
      for k in (n + m)..<rhs.count { rhs[k] = 0 }
      solveKKT(kkt, into: &x, &z)
      for i in 0..<m { s[i] = -z[i] }
    } else {
      // LP: the primal and the dual least-squares points (CVXOPT's start).
      for j in 0..<n { rhs[j] = 0 }
      for i in 0..<m { rhs[n + i] = b[i] }
      for k in (n + m)..<rhs.count { rhs[k] = 0 }
      solveKKT(kkt, into: &x, &s)
      for i in 0..<m { s[i] = -s[i] }
      for j in 0..<n { rhs[j] = -q[j] }
      for i in 0..<m { rhs[n + i] = 0 }
      solveKKT(kkt, into: &tmpN, &z)
    }
    s.withUnsafeMutableBufferPointer { cones.shiftIntoInterior($0.baseAddress!, isPrimal: true) }
    z.withUnsafeMutableBufferPointer { cones.shiftIntoInterior($0.baseAddress!, isPrimal: false) }
    tau = 1
    kappa = 1
    return x.allSatisfy(\.isFinite) && s.allSatisfy(\.isFinite) && z.allSatisfy(\.isFinite)
  }

  /// Solves with the current `rhs`, splitting the solution into its `x` and `z` parts.
  private func solveKKT(_ kkt: KKTSystem, into xOut: inout [Double], _ zOut: inout [Double]) {
    rhs.withUnsafeBufferPointer { r in
      sol.withUnsafeMutableBufferPointer { o in kkt.solve(r.baseAddress!, o.baseAddress!) }
    }
    for j in 0..<n { xOut[j] = sol[j] }
    for i in 0..<m { zOut[i] = sol[n + i] }
  }

  /// Computes a search direction for the right-hand sides `dx = scale·rx`, `dz = scale·rz`,
  /// `dτ = scale·rτ`, `ds` (in `self.ds`) and `dκ`; leaves it in `dxs`, `dss`, `dzs` and returns `Δτ`.
  private func computeStep(_ kkt: KKTSystem, dxScale: Double, dkappa: Double, denominator: Double) -> Double {
    // w = Wᵀ(λ \ ds)
    lambda.withUnsafeBufferPointer { l in
      ds.withUnsafeBufferPointer { d in
        tmpM.withUnsafeMutableBufferPointer { t in
          wv.withUnsafeMutableBufferPointer { w in
            cones.jordanDivide(l.baseAddress!, d.baseAddress!, t.baseAddress!)
            cones.multiplyW(t.baseAddress!, w.baseAddress!)
          }
        }
      }
    }
    for j in 0..<n { rhs[j] = -dxScale * rx[j] }
    for i in 0..<m { rhs[n + i] = -dxScale * rz[i] + wv[i] }
    for k in (n + m)..<rhs.count { rhs[k] = 0 }
    solveKKT(kkt, into: &x2, &z2)
    // Δτ from the τ-row: (q̂ + 2P̂ξ)ᵀΔx + b̂ᵀΔz − (ξᵀP̂ξ + κ/τ)Δτ = −dτ + dκ/τ.
    let invTau = 1 / tau
    var gradient = 0.0
    for j in 0..<n { gradient += (q[j] + 2 * Px[j] * invTau) * x2[j] }
    gradient += dot(b, z2)
    let dtau = dxScale * residualTau
    let tauStep = (-dtau + dkappa * invTau - gradient) / denominator
    for j in 0..<n { dxs[j] = x2[j] + tauStep * x1[j] }
    for i in 0..<m { dzs[i] = z2[i] + tauStep * z1[i] }
    // Δs = −w − WᵀWΔz
    dzs.withUnsafeBufferPointer { dz in
      dss.withUnsafeMutableBufferPointer { dsv in cones.multiplyH(dz.baseAddress!, dsv.baseAddress!) }
    }
    for i in 0..<m { dss[i] = -wv[i] - dss[i] }
    return tauStep
  }

  /// Whether the last direction is free of NaN/Inf (a breakdown of the factorization near the end
  /// shows up here; the iterate is then kept and judged with the reduced tolerances).
  private func directionIsFinite(_ tauStep: Double, _ kappaStep: Double) -> Bool {
    tauStep.isFinite && kappaStep.isFinite && dxs.allSatisfy(\.isFinite) && dss.allSatisfy(\.isFinite)
      && dzs.allSatisfy(\.isFinite)
  }

  /// Largest step in (0, ∞] keeping s, z, τ, κ in their cones.
  private func stepLength(tauStep: Double, kappaStep: Double) -> Double {
    var alpha = Double.infinity
    s.withUnsafeBufferPointer { sp in
      dss.withUnsafeBufferPointer { d in alpha = min(alpha, cones.stepLength(sp.baseAddress!, d.baseAddress!)) }
    }
    z.withUnsafeBufferPointer { zp in
      dzs.withUnsafeBufferPointer { d in alpha = min(alpha, cones.stepLength(zp.baseAddress!, d.baseAddress!)) }
    }
    if tauStep < 0 { alpha = min(alpha, -tau / tauStep) }
    if kappaStep < 0 { alpha = min(alpha, -kappa / kappaStep) }
    return alpha
  }

  // MARK: - Residuals and termination

  private var residualTau = 0.0
  private var xPx = 0.0

  /// rx = P̂x + Âᵀz + q̂τ,  rz = Âx + s − b̂τ,  rτ = q̂ᵀx + b̂ᵀz + κ + xᵀP̂x/τ.
  private func computeResiduals() {
    x.withUnsafeBufferPointer { xp in
      Px.withUnsafeMutableBufferPointer { out in SparseKernels.symmetricMultiply(P, xp.baseAddress!, out.baseAddress!) }
      Ax.withUnsafeMutableBufferPointer { out in SparseKernels.multiply(A, xp.baseAddress!, out.baseAddress!) }
    }
    z.withUnsafeBufferPointer { zp in
      Atz.withUnsafeMutableBufferPointer { out in SparseKernels.transposeMultiply(A, zp.baseAddress!, out.baseAddress!) }
    }
    for j in 0..<n { rx[j] = Px[j] + Atz[j] + q[j] * tau }
    for i in 0..<m { rz[i] = Ax[i] + s[i] - b[i] * tau }
    xPx = dot(x, Px)
    residualTau = dot(q, x) + dot(b, z) + kappa + xPx / tau
  }

  private struct TerminationInfo {
    var primalObjective = Double.nan
    var dualObjective = Double.nan
    var gapAbsolute = Double.nan
    var gapRelative = Double.nan
    var primalResidual = Double.nan
    var dualResidual = Double.nan
    /// Primal infeasibility certificate quality: ‖Aᵀz‖∞/(−bᵀz) with z normalized, or ∞.
    var primalInfeasibility = Double.infinity
    var primalInfeasibilityDirection = 0.0
    /// Dual infeasibility certificate quality: max(‖Px‖∞, ‖Ax + s‖∞)/(−qᵀx), or ∞.
    var dualInfeasibility = Double.infinity
    var dualInfeasibilityDirection = 0.0

    /// Quality of the better infeasibility certificate (smaller is better).
    var infeasibilityMerit: Double {
      let m = min(primalInfeasibility, dualInfeasibility)
      return m.isNaN ? .infinity : m
    }

    /// Distance from optimality on one scale: the largest of the residuals and the gap.
    var merit: Double {
      let m = max(primalResidual, dualResidual, min(gapAbsolute, gapRelative))
      return m.isNaN ? .infinity : m
    }
  }

  private func terminationInfo() -> TerminationInfo {
    var info = TerminationInfo()
    let c = scaling.c
    let invTau = 1 / tau
    // Unscaled norms of the iterate (divided by τ).
    var xNorm = 0.0, sNorm = 0.0, zNorm = 0.0
    var pxNorm = 0.0, dualNorm = 0.0, primalNorm = 0.0, atzNorm = 0.0, axsNorm = 0.0
    for j in 0..<n {
      xNorm = max(xNorm, abs(x[j] * scaling.d[j]))
      dualNorm = max(dualNorm, abs(rx[j] * scaling.dInverse[j]))
      pxNorm = max(pxNorm, abs(Px[j] * scaling.dInverse[j]))
      atzNorm = max(atzNorm, abs(Atz[j] * scaling.dInverse[j]))
    }
    for i in 0..<m {
      sNorm = max(sNorm, abs(s[i] * scaling.eInverse[i]))
      zNorm = max(zNorm, abs(z[i] * scaling.e[i]))
      primalNorm = max(primalNorm, abs(rz[i] * scaling.eInverse[i]))
      axsNorm = max(axsNorm, abs((Ax[i] + s[i]) * scaling.eInverse[i]))
    }
    let qx = dot(q, x)
    let bz = dot(b, z)
    let qNorm = problem.q.reduce(0) { max($0, abs($1)) }
    let bNorm = problem.b.reduce(0) { max($0, abs($1)) }
    info.primalObjective = (0.5 * xPx * invTau * invTau + qx * invTau) / c + problem.objectiveConstant
    info.dualObjective = (-0.5 * xPx * invTau * invTau - bz * invTau) / c + problem.objectiveConstant
    info.gapAbsolute = abs(info.primalObjective - info.dualObjective)
    info.gapRelative = info.gapAbsolute / max(1, min(abs(info.primalObjective - problem.objectiveConstant), abs(info.dualObjective - problem.objectiveConstant)))
    info.primalResidual = primalNorm * invTau / max(1, bNorm + xNorm * invTau + sNorm * invTau)
    info.dualResidual = dualNorm * invTau / c / max(1, qNorm + xNorm * invTau + zNorm * invTau / c)
    // Certificates (unnormalized directions: z/c ↦ E z/c, x ↦ D x).
    if bz < 0 && zNorm > 0 {
      // (bᵀz)/c in unscaled terms; Aᵀz in unscaled terms is D⁻¹Âᵀz/c.
      info.primalInfeasibility = atzNorm / (-bz)
      info.primalInfeasibilityDirection = -bz / c / (zNorm / c)
    }
    if qx < 0 && xNorm > 0 {
      info.dualInfeasibility = max(pxNorm / c, axsNorm) / (-qx / c)
      info.dualInfeasibilityDirection = -qx / c / xNorm
    }
    return info
  }

  private func checkTermination(_ info: TerminationInfo, reduced: Bool) -> SolverStatus? {
    checkTermination(info, reduced: reduced, tau: tau, kappa: kappa)
  }

  private func checkTermination(_ info: TerminationInfo, reduced: Bool, tau: Double, kappa: Double) -> SolverStatus? {
    let gapAbs = reduced ? settings.reducedGapTolerance : settings.gapAbsoluteTolerance
    let gapRel = reduced ? settings.reducedGapTolerance : settings.gapRelativeTolerance
    let feas = reduced ? settings.reducedFeasibilityTolerance : settings.feasibilityTolerance
    let infeas = reduced ? settings.reducedInfeasibilityTolerance : settings.infeasibilityTolerance
    if info.primalResidual < feas && info.dualResidual < feas
      && (info.gapAbsolute < gapAbs || info.gapRelative < gapRel)
    {
      return .solved
    }
    // Certificates only where the embedding points to infeasibility (τ small against κ).
    if tau < kappa {
      if info.primalInfeasibility < infeas && info.primalInfeasibilityDirection > infeas {
        return .primalInfeasible
      }
      if info.dualInfeasibility < infeas && info.dualInfeasibilityDirection > infeas {
        return .dualInfeasible
      }
    }
    return nil
  }

  // MARK: - Results

  private func makeResult(status: SolverStatus, iterations: Int, info: TerminationInfo, solveSeconds: Double) -> SolverResult {
    var xo = [Double](repeating: 0, count: n)
    var so = [Double](repeating: 0, count: m)
    var zo = [Double](repeating: 0, count: m)
    let c = scaling.c
    switch status {
    case .primalInfeasible, .almostPrimalInfeasible:
      // Certificate z with bᵀz = −1.
      var bz = 0.0
      for i in 0..<m { zo[i] = z[i] * scaling.e[i] / c; bz += problem.b[i] * zo[i] }
      if bz < 0 { for i in 0..<m { zo[i] /= -bz } }
      xo = [Double](repeating: .nan, count: n)
      so = [Double](repeating: .nan, count: m)
    case .dualInfeasible, .almostDualInfeasible:
      // Certificate x with qᵀx = −1.
      var qx = 0.0
      for j in 0..<n { xo[j] = x[j] * scaling.d[j]; qx += problem.q[j] * xo[j] }
      for i in 0..<m { so[i] = s[i] * scaling.eInverse[i] }
      if qx < 0 {
        for j in 0..<n { xo[j] /= -qx }
        for i in 0..<m { so[i] /= -qx }
      }
      zo = [Double](repeating: .nan, count: m)
    default:
      let invTau = 1 / tau
      for j in 0..<n { xo[j] = x[j] * scaling.d[j] * invTau }
      for i in 0..<m {
        so[i] = s[i] * scaling.eInverse[i] * invTau
        zo[i] = z[i] * scaling.e[i] * invTau / c
      }
    }
    let hasSolution = status.hasSolution || status == .maxIterations || status == .maxTime
    return SolverResult(
      status: status, x: xo, s: so, z: zo,
      objective: hasSolution ? info.primalObjective : .nan,
      dualObjective: hasSolution ? info.dualObjective : .nan,
      iterations: iterations, setupTimeSeconds: setupSeconds, solveTimeSeconds: solveSeconds,
      primalResidual: info.primalResidual, dualResidual: info.dualResidual,
      gapAbsolute: info.gapAbsolute, gapRelative: info.gapRelative)
  }

  private func failedResult(status: SolverStatus, solveSeconds: Double) -> SolverResult {
    SolverResult(
      status: status, x: [Double](repeating: .nan, count: n), s: [Double](repeating: .nan, count: m),
      z: [Double](repeating: .nan, count: m), objective: .nan, dualObjective: .nan, iterations: 0,
      setupTimeSeconds: setupSeconds, solveTimeSeconds: solveSeconds, primalResidual: .nan, dualResidual: .nan,
      gapAbsolute: .nan, gapRelative: .nan)
  }

  // MARK: - Small helpers

  private func dot(_ a: [Double], _ b: [Double]) -> Double {
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in SparseKernels.dot(ap.baseAddress!, bp.baseAddress!, min(a.count, b.count)) }
    }
  }

  /// vᵀP̂v
  private func quadraticForm(_ v: [Double]) -> Double {
    guard n > 0 else { return 0 }
    var out = [Double](repeating: 0, count: n)
    v.withUnsafeBufferPointer { vp in
      out.withUnsafeMutableBufferPointer { o in SparseKernels.symmetricMultiply(P, vp.baseAddress!, o.baseAddress!) }
    }
    return dot(v, out)
  }

  // MARK: - Log

  private func log(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
  }

  private func printHeader(_ kkt: KKTSystem) {
    log("-------------------------------------------------------------")
    log("           Osprey interior-point conic solver")
    log("-------------------------------------------------------------")
    log("problem: variables n = \(n), constraints m = \(m)")
    log("         nnz(P) = \(problem.P.nonzeroCount), nnz(A) = \(problem.A.nonzeroCount)")
    log("cones:   zero rows = \(cones.zeros.reduce(0) { $0 + $1.dimension }), nonnegative rows = \(cones.nonnegatives.reduce(0) { $0 + $1.dimension }), second-order cones = \(cones.secondOrders.count)")
    log("KKT:     order \(kkt.dimension), nnz(upper) = \(kkt.matrix.nonzeroCount), nnz(L) = \(kkt.factorization.factorNonzeroCount) (\(kkt.factorization.isSupernodal ? "supernodal" : "simplicial") LDLᵀ)")
    log("settings: tol gap \(settings.gapAbsoluteTolerance)/\(settings.gapRelativeTolerance), feas \(settings.feasibilityTolerance), max iter \(settings.maxIterations), equilibrate \(settings.equilibrate)")
    log("")
    log("iter    pcost        dcost       gap       pres      dres      k/t        μ       step")
    log("---------------------------------------------------------------------------------------")
  }

  private func printIteration(_ k: Int, _ info: TerminationInfo, mu: Double, step: Double) {
    func e(_ v: Double) -> String { String(format: "%8.2e", v) }
    func f(_ v: Double) -> String { String(format: "%+11.4e", v) }
    let stepText = k == 0 ? "  ------" : String(format: "%8.2e", step)
    log(String(format: "%3d  ", k) + "\(f(info.primalObjective))  \(f(info.dualObjective))  \(e(info.gapRelative))  \(e(info.primalResidual))  \(e(info.dualResidual))  \(e(kappa / tau))  \(e(mu))  \(stepText)")
  }

  private func printFooter(_ r: SolverResult) {
    log("---------------------------------------------------------------------------------------")
    log("status: \(r.status.rawValue), objective \(r.objective), \(r.iterations) iterations")
    log(String(format: "time: setup %.4f s, solve %.4f s", r.setupTimeSeconds, r.solveTimeSeconds))
  }
}

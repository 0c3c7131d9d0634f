import LinearAlgebra
import Geometry

/// Options of `MultibodyTree.inverseKinematics`; every default is stated.
public struct InverseKinematicsOptions: Sendable, Equatable {
  /// Success when the frame's origin is within this distance of the target's (default 1e-6 m).
  public var positionToleranceMetres = 1e-6
  /// Success when the rotation from the frame to the target is at most this angle (default 1e-6 rad).
  public var orientationToleranceRadians = 1e-6
  /// Most Levenberg–Marquardt iterations per start (default 100).
  public var iterationsPerStart = 100
  /// Most starts: the initial guess, then configurations drawn uniformly within the joint limits
  /// (default 20).
  public var maximumStarts = 20
  /// Seed of the random starts; the result is a deterministic function of it (default 1).
  public var randomSeed: UInt64 = 1
  /// Initial damping λ² of the normal equations (default 1e-3); divided by 10 after an accepted
  /// step (down to 1e-12), multiplied by 10 after a rejected one.
  public var initialDamping = 1e-3
  /// A start is abandoned when the damping exceeds this (default 1e6): the step has become too
  /// short to reduce the error (a local minimum or a limit).
  public var maximumDamping = 1e6
  /// Metres per radian in the error's norm: how much a radian of orientation error weighs against a
  /// metre of position error (default 1).
  public var orientationWeightMetresPerRadian = 1.0
  /// Whether the orientation counts (default true); `false` solves for the position only.
  public var constrainsOrientation = true
  /// Default options.
  public init() {}
}

/// What `MultibodyTree.inverseKinematics` found.
public struct InverseKinematicsResult: Sendable, Equatable {
  /// The best configuration found (within the joint limits), successful or not.
  public var q: [Double]
  /// Whether `q` meets both tolerances.
  public var success: Bool
  /// `‖p_WT − p_WF(q)‖`, metres.
  public var positionErrorMetres: Double
  /// The angle of `R_WT · R_WF(q)ᵀ`, radians (0 when orientation is not constrained).
  public var orientationErrorRadians: Double
  /// Levenberg–Marquardt iterations over all starts.
  public var iterations: Int
  /// Starts used (1 = the initial guess sufficed).
  public var starts: Int
}

extension MultibodyTree {
  /// Inverse kinematics for a pose target: a configuration within the joint limits that puts
  /// `frame` at `X_WT`, by damped least squares with Levenberg–Marquardt damping and restarts.
  ///
  /// ```
  /// e(q) = [p_WT − p_WF(q);  w · log(R_WT · R_WF(q)ᵀ)]        (log: the rotation vector)
  /// Δq  = Jᵀ (J Jᵀ + λ² I)⁻¹ e,   q⁺ = clamp(q + Δq, limits)
  /// accept q⁺ when ‖e(q⁺)‖ < ‖e(q)‖ (λ² ← λ²/10), else λ² ← 10 λ²
  /// ```
  /// with `J` the frame's geometric Jacobian (orientation rows scaled by `w`). A start ends on
  /// success, after `iterationsPerStart` iterations, or when λ² passes `maximumDamping`; the next
  /// start is drawn uniformly within the limits. An unreachable target returns the best
  /// configuration found with `success == false`: numerical outcomes are statuses, not errors.
  ///
  /// - Parameters:
  ///   - initialGuess: the first start (default the centre of the limits); clamped to the limits.
  /// - Throws: `MultibodyError` for an initial guess of the wrong size or with NaN, a target with a
  ///   non-finite entry or a rotation that is not orthonormal (1e-6), or options out of range.
  /// - Complexity: O(iterations · (bodies + n)) per start; at most `maximumStarts · iterationsPerStart`
  ///   iterations.
  public func inverseKinematics(frame: FrameIndex, target X_WT: RigidTransform, initialGuess: [Double]? = nil,
                                options: InverseKinematicsOptions = InverseKinematicsOptions()) throws(MultibodyError) -> InverseKinematicsResult {
    guard (0..<frames.count).contains(frame.rawValue) else {
      throw MultibodyError(field: "frame", message: "\(frame) is not in the tree (\(frames.count) frames)")
    }
    let n = positionCount
    guard n > 0 else { throw MultibodyError(field: "tree", message: "has no joint coordinates") }
    if let guess = initialGuess { try validate(guess, field: "initialGuess") }
    let entries = X_WT.rotation.rowMajor + [X_WT.translation.x, X_WT.translation.y, X_WT.translation.z]
    if let bad = entries.firstIndex(where: { !$0.isFinite }) {
      throw MultibodyError(field: "target", message: "entry \(bad) is \(entries[bad]), expected a finite number")
    }
    guard X_WT.rotation.orthonormalityDeviation <= 1e-6, X_WT.rotation.determinant > 0 else {
      throw MultibodyError(field: "target.rotation", message: "is not a rotation (orthonormality deviation \(X_WT.rotation.orthonormalityDeviation))")
    }
    let o = options
    guard o.positionToleranceMetres > 0, o.orientationToleranceRadians > 0 else {
      throw MultibodyError(field: "options", message: "tolerances must be positive")
    }
    guard o.iterationsPerStart >= 1, o.maximumStarts >= 1 else {
      throw MultibodyError(field: "options", message: "iterationsPerStart and maximumStarts must be ≥ 1")
    }
    guard o.initialDamping > 0, o.maximumDamping > o.initialDamping, o.orientationWeightMetresPerRadian > 0 else {
      throw MultibodyError(field: "options", message: "need 0 < initialDamping < maximumDamping and a positive orientation weight")
    }

    let limits = positionLimits
    func clamp(_ q: inout [Double]) {
      for i in 0..<n { q[i] = min(max(q[i], limits[i].lowerBound), limits[i].upperBound) }
    }
    let f = frames[frame.rawValue]
    let w = o.orientationWeightMetresPerRadian
    let rows = o.constrainsOrientation ? 6 : 3
    var poses = [RigidTransform](repeating: .identity, count: bodies.count)
    var jacobianElements = [Double](repeating: 0, count: 6 * n)

    // The error vector (rows entries), its position and orientation parts.
    func error(_ q: [Double], into e: inout [Double]) -> (position: Double, orientation: Double) {
      bodyPoses(q, into: &poses)
      let X_WF = poses[f.body.rawValue] * f.X_BF
      let dp = X_WT.translation - X_WF.translation
      e[0] = dp.x; e[1] = dp.y; e[2] = dp.z
      var angle = 0.0
      if o.constrainsOrientation {
        let (axis, a) = (X_WT.rotation * X_WF.rotation.inverse).axisAngle
        angle = a
        let r = axis * (a * w)
        e[3] = r.x; e[4] = r.y; e[5] = r.z
      }
      return ((dp * dp).sum().squareRoot(), angle)
    }
    func norm2(_ e: [Double]) -> Double { e.reduce(0) { $0 + $1 * $1 } }

    var generator = SeededGenerator(seed: o.randomSeed)  // SplitMix64, LinearAlgebra
    var best: InverseKinematicsResult?
    var totalIterations = 0
    var e = [Double](repeating: 0, count: rows), eTrial = e
    var A = [Double](repeating: 0, count: rows * rows), y = [Double](repeating: 0, count: rows)
    for start in 0..<o.maximumStarts {
      var q: [Double]
      if start == 0 {
        q = initialGuess ?? centreConfiguration
      } else {
        q = limits.map { r in
          let lo = r.lowerBound.isFinite ? r.lowerBound : -Double.pi, hi = r.upperBound.isFinite ? r.upperBound : Double.pi
          return lo + (hi - lo) * generator.nextUnit()
        }
      }
      clamp(&q)
      var residual = error(q, into: &e)
      var cost = norm2(e)
      var lambda = o.initialDamping
      var iteration = 0
      func done() -> Bool { residual.position <= o.positionToleranceMetres && residual.orientation <= o.orientationToleranceRadians }
      while !done() && iteration < o.iterationsPerStart && lambda <= o.maximumDamping {
        iteration += 1
        // J at q (poses are those of q after error(q) unless a trial was rejected; recompute).
        bodyPoses(q, into: &poses)
        for i in jacobianElements.indices { jacobianElements[i] = 0 }
        jacobian(body: f.body, point: poses[f.body.rawValue] * f.X_BF.translation, bodyPoses: poses, into: &jacobianElements)
        if o.constrainsOrientation && w != 1 {
          for k in 0..<n { for r in 3..<6 { jacobianElements[6 * k + r] *= w } }
        }
        // A = J Jᵀ + λ² I  (rows × rows), then solve A y = e and Δq = Jᵀ y.
        for i in 0..<rows {
          for j in 0...i {
            var s = 0.0
            for k in 0..<n { s += jacobianElements[6 * k + i] * jacobianElements[6 * k + j] }
            A[i * rows + j] = s
            A[j * rows + i] = s
          }
          A[i * rows + i] += lambda
        }
        guard choleskySolve(&A, rows, e, into: &y) else { lambda *= 10; continue }
        var trial = q
        for k in 0..<n {
          var s = 0.0
          for r in 0..<rows { s += jacobianElements[6 * k + r] * y[r] }
          trial[k] += s
        }
        clamp(&trial)
        let trialResidual = error(trial, into: &eTrial)
        let trialCost = norm2(eTrial)
        if trialCost < cost {
          q = trial
          swap(&e, &eTrial)
          cost = trialCost
          residual = trialResidual
          lambda = max(lambda / 10, 1e-12)
        } else {
          lambda *= 10
        }
      }
      totalIterations += iteration
      let candidate = InverseKinematicsResult(q: q, success: done(), positionErrorMetres: residual.position,
                                              orientationErrorRadians: residual.orientation, iterations: totalIterations,
                                              starts: start + 1)
      if candidate.success { return candidate }
      if let b = best {
        let bCost = b.positionErrorMetres * b.positionErrorMetres + w * w * b.orientationErrorRadians * b.orientationErrorRadians
        if cost < bCost { best = candidate }
      } else {
        best = candidate
      }
    }
    best!.iterations = totalIterations
    best!.starts = o.maximumStarts
    return best!
  }
}

/// Solves `A y = b` for a symmetric positive definite `A` (row-major, `m × m`, overwritten by its
/// Cholesky factor). Returns false when `A` is not numerically positive definite.
func choleskySolve(_ A: inout [Double], _ m: Int, _ b: [Double], into y: inout [Double]) -> Bool {
  for j in 0..<m {
    var d = A[j * m + j]
    for k in 0..<j { d -= A[j * m + k] * A[j * m + k] }
    guard d > 0, d.isFinite else { return false }
    let l = d.squareRoot()
    A[j * m + j] = l
    for i in (j + 1)..<m {
      var s = A[i * m + j]
      for k in 0..<j { s -= A[i * m + k] * A[j * m + k] }
      A[i * m + j] = s / l
    }
  }
  for i in 0..<m {  // L z = b
    var s = b[i]
    for k in 0..<i { s -= A[i * m + k] * y[k] }
    y[i] = s / A[i * m + i]
  }
  for i in stride(from: m - 1, through: 0, by: -1) {  // Lᵀ y = z
    var s = y[i]
    for k in (i + 1)..<m { s -= A[k * m + i] * y[k] }
    y[i] = s / A[i * m + i]
  }
  return true
}

import Geometry
import Multibody

/// Differential inverse kinematics for an end-effector pose target, on top of a
/// `JointImpedanceController` (the idea of Drake's `DifferentialInverseKinematics`): each control
/// step turns the pose error into a desired spatial velocity, maps it to joint velocities through
/// the damped pseudo-inverse of the frame's Jacobian, clamps them, and integrates them into the
/// impedance controller's target.
///
/// ```
/// e   = [p_WT − p_WF(q_c);  log(R_WT · R_WF(q_c)ᵀ)]                  (q_c: the commanded joints)
/// V   = gain · e,  linear part scaled to ≤ maximumLinearSpeed, angular to ≤ maximumAngularSpeed
/// q̇   = J⁺ V + (I − J⁺ J) · k_n (q_nominal − q_c),  J⁺ = Jᵀ (J Jᵀ + λ² I)⁻¹   (J: 6 × n, world-aligned)
/// q̇   ← q̇ · min(1, minᵢ v̄ᵢ / |q̇ᵢ|)                                    (joint speed limits, direction kept)
/// q̇ᵢ  ← clamp so that q_c + q̇ dt stays within the limits shrunk by jointLimitMarginRadians
/// q_c ← q_c + q̇ dt;   impedance target (q_c, q̇)
/// ```
/// The null-space term pulls the arm's redundant degree of freedom towards a nominal posture (by
/// default the configuration at construction), as the posture cost of Drake's formulation; without
/// it the elbow drifts, and in the workcell it drifted into the shelf.
/// The commanded configuration `q_c` starts at the measured one and is integrated on the kinematic
/// model (as a position-controlled robot's interface does); the impedance controller with its bias
/// term makes the arm follow it. Kinematics come from `Multibody` (`OspreyWorld.armModel()`), whose
/// coordinates must be the impedance controller's joints in the same order.
public struct DifferentialIKController: Sendable {
  /// Gains and limits; every default is stated.
  public struct Options: Sendable, Equatable {
    /// Proportional gain from pose error to spatial velocity, 1/s (default 4).
    public var gain = 4.0
    /// Largest commanded speed of the frame's origin, m/s (default 0.5).
    public var maximumLinearSpeed = 0.5
    /// Largest commanded angular speed of the frame, rad/s (default 1.5).
    public var maximumAngularSpeed = 1.5
    /// Joint speed limits, rad/s (default the iiwa 14's rated 85, 85, 100, 75, 130, 135, 135 °/s).
    public var jointSpeedLimits: [Double] = [85, 85, 100, 75, 130, 135, 135].map { $0 * .pi / 180 }
    /// λ² of the damped pseudo-inverse (default 1e-4): bounds joint speeds near singularities.
    public var damping = 1e-4
    /// The commanded joints stay this far inside the joint limits, radians (default 0.02).
    public var jointLimitMarginRadians = 0.02
    /// `k_n`, the gain of the pull towards the nominal posture in the Jacobian's null space, 1/s
    /// (default 1; 0 turns it off).
    public var nominalPostureGain = 1.0
    /// Default options.
    public init() {}
  }

  /// The kinematic model (coordinates in the impedance controller's joint order).
  public let model: MultibodyTree
  /// The controlled frame.
  public let frame: FrameIndex
  /// `X_WT`, the frame's target pose.
  public var target: RigidTransform
  /// Gains and limits.
  public var options: Options
  /// The joint impedance controller that tracks the commanded joints.
  public var impedance: JointImpedanceController
  /// The posture the null-space term pulls towards (default: the joints at construction).
  public var nominalPositions: [Double]
  /// `q_c`, the commanded configuration (integrated joint velocities).
  public private(set) var commandedPositions: [Double]
  /// `q̇`, the last commanded joint velocities.
  public private(set) var commandedVelocities: [Double]

  /// A controller for `frame` of `model`, starting at the simulation's current joints and with the
  /// frame's current pose as its target.
  ///
  /// - Throws: `.invalidArgument` when the model's coordinate count differs from the impedance
  ///   controller's joints or from `options.jointSpeedLimits`, or the model has no such frame.
  public init(simulation: Simulation, impedance: JointImpedanceController, model: MultibodyTree = OspreyWorld.armModel(),
              frame: String = OspreyArm.toolCentrePointFrame, options: Options = Options()) throws(SimulationError) {
    let q = impedance.positions(in: simulation)
    guard q.count == model.positionCount, options.jointSpeedLimits.count == model.positionCount else {
      throw SimulationError(code: .invalidArgument, context: "DifferentialIKController",
                            message: "model has \(model.positionCount) coordinates, impedance controller \(q.count) joints, \(options.jointSpeedLimits.count) speed limits")
    }
    do {
      self.frame = try model.frame(named: frame)
      self.target = try model.pose(of: self.frame, at: q)
    } catch {
      throw SimulationError(code: .invalidArgument, context: "DifferentialIKController", message: error.description)
    }
    self.model = model
    self.options = options
    self.impedance = impedance
    self.commandedPositions = q
    self.nominalPositions = q
    self.commandedVelocities = Array(repeating: 0, count: q.count)
  }

  /// One control step of `dt` seconds: updates `q_c`, sets the impedance target and writes the
  /// torques to the simulation's `ctrl`. Call it between `mj_step1` and `mj_step2`
  /// (`Simulation.step(_:control:)`) with `dt` the time step.
  public mutating func update(_ simulation: Simulation, dt: Double) {
    precondition(dt > 0 && dt.isFinite, "DifferentialIKController.update: dt \(dt)")
    let n = model.positionCount
    // Commanded positions are always valid (finite, right count): the throwing calls cannot fail.
    guard let X_WF = try? model.pose(of: frame, at: commandedPositions),
          let J = try? model.jacobian(of: frame, at: commandedPositions) else {
      preconditionFailure("DifferentialIKController: invalid commanded positions \(commandedPositions)")
    }
    var linear = options.gain * (target.translation - X_WF.translation)
    let (axis, angle) = (target.rotation * X_WF.rotation.inverse).axisAngle
    var angular = options.gain * angle * axis
    let linearSpeed = (linear * linear).sum().squareRoot(), angularSpeed = (angular * angular).sum().squareRoot()
    if linearSpeed > options.maximumLinearSpeed { linear *= options.maximumLinearSpeed / linearSpeed }
    if angularSpeed > options.maximumAngularSpeed { angular *= options.maximumAngularSpeed / angularSpeed }
    let V = [linear.x, linear.y, linear.z, angular.x, angular.y, angular.z]

    // q̇ = Jᵀ (J Jᵀ + λ² I)⁻¹ V, by Gaussian elimination on the 6 × 6 system.
    var A = [Double](repeating: 0, count: 36)
    for i in 0..<6 {
      for j in 0..<6 {
        var s = 0.0
        for k in 0..<n { s += J[i, k] * J[j, k] }
        A[i * 6 + j] = s + (i == j ? options.damping : 0)
      }
    }
    let y = solveSymmetricPositiveDefinite(A, V)
    var qdot = (0..<n).map { k in (0..<6).reduce(0.0) { $0 + J[$1, k] * y[$1] } }
    if options.nominalPostureGain > 0 {
      // (I − J⁺ J) u, with u the pull towards the nominal posture.
      let u = (0..<n).map { options.nominalPostureGain * (nominalPositions[$0] - commandedPositions[$0]) }
      let Ju = (0..<6).map { r in (0..<n).reduce(0.0) { $0 + J[r, $1] * u[$1] } }
      let z = solveSymmetricPositiveDefinite(A, Ju)
      for k in 0..<n { qdot[k] += u[k] - (0..<6).reduce(0.0) { $0 + J[$1, k] * z[$1] } }
    }
    var scale = 1.0
    for k in 0..<n where abs(qdot[k]) > options.jointSpeedLimits[k] { scale = min(scale, options.jointSpeedLimits[k] / abs(qdot[k])) }
    let limits = model.positionLimits
    for k in 0..<n {
      qdot[k] *= scale
      let lo = limits[k].lowerBound + options.jointLimitMarginRadians, hi = limits[k].upperBound - options.jointLimitMarginRadians
      let next = min(max(commandedPositions[k] + qdot[k] * dt, lo), hi)
      qdot[k] = (next - commandedPositions[k]) / dt
      commandedPositions[k] = next
    }
    commandedVelocities = qdot
    impedance.targetPositions = commandedPositions
    impedance.targetVelocities = qdot
    impedance.apply(to: simulation)
  }

  /// The frame's measured pose error: distance and angle between `target` and the frame at the
  /// simulation's current joints.
  public func error(in simulation: Simulation) -> (positionMetres: Double, angleRadians: Double) {
    guard let X_WF = try? model.pose(of: frame, at: impedance.positions(in: simulation)) else { return (.nan, .nan) }
    let d = target.translation - X_WF.translation
    return ((d * d).sum().squareRoot(), (target.rotation * X_WF.rotation.inverse).axisAngle.angle)
  }
}

/// Solves `A x = b` for a small symmetric positive definite `A` (row-major) by Cholesky.
func solveSymmetricPositiveDefinite(_ A: [Double], _ b: [Double]) -> [Double] {
  let m = b.count
  var L = A
  for j in 0..<m {
    var d = L[j * m + j]
    for k in 0..<j { d -= L[j * m + k] * L[j * m + k] }
    precondition(d > 0, "solveSymmetricPositiveDefinite: not positive definite (pivot \(d))")
    let l = d.squareRoot()
    L[j * m + j] = l
    for i in (j + 1)..<m {
      var s = L[i * m + j]
      for k in 0..<j { s -= L[i * m + k] * L[j * m + k] }
      L[i * m + j] = s / l
    }
  }
  var x = b
  for i in 0..<m {
    for k in 0..<i { x[i] -= L[i * m + k] * x[k] }
    x[i] /= L[i * m + i]
  }
  for i in stride(from: m - 1, through: 0, by: -1) {
    for k in (i + 1)..<m { x[i] -= L[k * m + i] * x[k] }
    x[i] /= L[i * m + i]
  }
  return x
}

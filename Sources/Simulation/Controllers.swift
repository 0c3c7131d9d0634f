/// Joint impedance control with gravity compensation for torque-driven joints:
///
/// ```
/// τ = K · (q_d − q) + D · (q̇_d − q̇) + τ_bias(q, q̇)
/// ```
///
/// where `τ_bias` is MuJoCo's `qfrc_bias` (gravity, Coriolis and centrifugal forces) of the current
/// state, then clamped to each actuator's control range. Run it between `mj_step1` and `mj_step2`
/// (`Simulation.step(_:control:)`), where `biasForces` belongs to the state being integrated.
/// Needs motor actuators with gear 1 on the joints (`OspreyWorld.Options.armActuation = .torque`).
public struct JointImpedanceController: Sendable {
  /// `K`, N·m/rad (or N/m for slide joints), one per joint.
  public var stiffness: [Double]
  /// `D`, N·m·s/rad, one per joint.
  public var damping: [Double]
  /// `q_d`, the target positions.
  public var targetPositions: [Double]
  /// `q̇_d`, the target velocities (default zero).
  public var targetVelocities: [Double]
  /// Whether `τ_bias` is added (default true).
  public var compensatesBias = true

  private let positionAddresses: [Int]
  private let velocityAddresses: [Int]
  private let actuators: [Int]
  private let limits: [ClosedRange<Double>?]

  /// A controller for `joints` (1-dof hinge or slide) driven by `actuators`, one per joint, holding
  /// the joints' current positions.
  ///
  /// - Parameters:
  ///   - stiffness: `K` per joint.
  ///   - dampingRatio: sets `D = 2 ζ √(K · M_ii)` from the diagonal of the mass matrix at the current
  ///     state (default ζ = 1, critical damping of each joint alone).
  /// - Throws: `.unknownName` for a missing joint or actuator, `.invalidArgument` for a joint that
  ///   is not 1-dof or mismatched counts.
  public init(simulation: Simulation, joints: [String], actuators: [String], stiffness: [Double],
              dampingRatio: Double = 1) throws(SimulationError) {
    guard joints.count == actuators.count, joints.count == stiffness.count else {
      throw SimulationError(code: .invalidArgument, context: "JointImpedanceController",
                            message: "\(joints.count) joints, \(actuators.count) actuators, \(stiffness.count) stiffnesses")
    }
    var positionAddresses: [Int] = [], velocityAddresses: [Int] = [], actuatorIndices: [Int] = []
    for (joint, actuator) in zip(joints, actuators) {
      let info = simulation.info(of: try simulation.joint(joint))
      guard info.kind == .hinge || info.kind == .slide else {
        throw SimulationError(code: .invalidArgument, context: "joint \"\(joint)\"", message: "impedance control needs a hinge or slide joint, found \(info.kind)")
      }
      positionAddresses.append(info.positionAddress)
      velocityAddresses.append(info.velocityAddress)
      actuatorIndices.append(try simulation.actuator(actuator).index)
    }
    let inertia = simulation.massMatrixDiagonal()
    self.stiffness = stiffness
    self.damping = zip(stiffness, velocityAddresses).map { k, dof in 2 * dampingRatio * (k * inertia[dof]).squareRoot() }
    self.positionAddresses = positionAddresses
    self.velocityAddresses = velocityAddresses
    self.actuators = actuatorIndices
    self.limits = actuatorIndices.map { simulation.controlRange(of: ActuatorID($0)) }
    let qpos = simulation.qpos
    self.targetPositions = positionAddresses.map { qpos[$0] }
    self.targetVelocities = Array(repeating: 0, count: joints.count)
  }

  /// The joints' current positions, in the controller's order.
  public func positions(in simulation: Simulation) -> [Double] {
    let qpos = simulation.qpos
    return positionAddresses.map { qpos[$0] }
  }

  /// Computes the torques for the simulation's current state and writes them to its `ctrl`.
  public func apply(to simulation: Simulation) {
    let qpos = simulation.qpos, qvel = simulation.qvel
    let bias = compensatesBias ? simulation.biasForces : []
    var ctrl = simulation.ctrl
    for i in actuators.indices {
      var tau = stiffness[i] * (targetPositions[i] - qpos[positionAddresses[i]])
        + damping[i] * (targetVelocities[i] - qvel[velocityAddresses[i]])
      if compensatesBias { tau += bias[velocityAddresses[i]] }
      if let range = limits[i] { tau = min(max(tau, range.lowerBound), range.upperBound) }
      ctrl[actuators[i]] = tau
    }
    simulation.ctrl = ctrl
  }
}

/// A parallel-jaw gripper driven by two finger position actuators: open, close, and whether an
/// object is held.
public struct ParallelGripper: Sendable {
  /// Fully open position of each finger (metres).
  public let openPositionMetres: Double
  private let actuators: [Int]
  private let jointAddresses: [Int]
  private let fingerGeoms: [Set<GeomID>]
  private let gripperBodies: Set<BodyID>

  /// The gripper of `OspreyWorld`.
  public static func ospreyWorld(_ simulation: Simulation) throws(SimulationError) -> ParallelGripper {
    try ParallelGripper(simulation: simulation, fingerJoints: OspreyWorld.fingerJoints,
                        fingerActuators: OspreyWorld.fingerActuators,
                        fingerBodies: ["gripper_left_finger", "gripper_right_finger"], palmBody: "gripper")
  }

  /// A gripper from the names of its two finger joints, their position actuators, the finger bodies
  /// and the palm body.
  ///
  /// - Throws: `.unknownName`; `.invalidArgument` unless there are exactly two fingers.
  public init(simulation: Simulation, fingerJoints: [String], fingerActuators: [String], fingerBodies: [String],
              palmBody: String) throws(SimulationError) {
    guard fingerJoints.count == 2, fingerActuators.count == 2, fingerBodies.count == 2 else {
      throw SimulationError(code: .invalidArgument, context: "ParallelGripper", message: "a parallel gripper has two fingers")
    }
    var actuators: [Int] = [], addresses: [Int] = [], geoms: [Set<GeomID>] = [], bodies: Set<BodyID> = [try simulation.body(palmBody)]
    var open = Double.infinity
    for i in 0..<2 {
      let joint = simulation.info(of: try simulation.joint(fingerJoints[i]))
      let actuator = try simulation.actuator(fingerActuators[i])
      let body = try simulation.body(fingerBodies[i])
      actuators.append(actuator.index)
      addresses.append(joint.positionAddress)
      geoms.append(Set(simulation.geoms(of: body)))
      bodies.insert(body)
      open = min(open, simulation.controlRange(of: actuator)?.upperBound ?? joint.range?.upperBound ?? 0.05)
    }
    self.actuators = actuators
    self.jointAddresses = addresses
    self.fingerGeoms = geoms
    self.gripperBodies = bodies
    self.openPositionMetres = open
  }

  /// Commands both fingers fully open.
  public func open(_ simulation: Simulation) { command(simulation, position: openPositionMetres) }

  /// Commands both fingers closed; the actuators' force limits bound the grip force.
  public func close(_ simulation: Simulation) { command(simulation, position: 0) }

  /// Commands both fingers to `position` metres from closed.
  public func command(_ simulation: Simulation, position: Double) {
    var ctrl = simulation.ctrl
    for a in actuators { ctrl[a] = position }
    simulation.ctrl = ctrl
  }

  /// The distance between the finger pads' travel positions: the sum of both fingers' positions.
  public func openingMetres(_ simulation: Simulation) -> Double {
    let qpos = simulation.qpos
    return jointAddresses.reduce(0) { $0 + qpos[$1] }
  }

  /// The body held between the fingers: the one body (not part of the gripper) that both fingers
  /// touch with a positive normal force while the fingers are not closed on nothing (opening above
  /// `minimumOpeningMetres`, default 2 mm). Nil when nothing, or more than one body, is between them.
  public func graspedBody(_ simulation: Simulation, minimumOpeningMetres: Double = 0.002) -> BodyID? {
    guard openingMetres(simulation) > minimumOpeningMetres else { return nil }
    var touched: [Set<BodyID>] = [[], []]
    for contact in simulation.contacts where contact.normalForce > 0 {
      for finger in 0..<2 {
        if fingerGeoms[finger].contains(contact.geom1) { touched[finger].insert(simulation.body(of: contact.geom2)) }
        if fingerGeoms[finger].contains(contact.geom2) { touched[finger].insert(simulation.body(of: contact.geom1)) }
      }
    }
    let both = touched[0].intersection(touched[1]).subtracting(gripperBodies)
    return both.count == 1 ? both.first : nil
  }
}

extension Simulation {
  /// The diagonal of the joint-space mass matrix `M(q)` at the last `forward()`/step (`nv` values).
  public func massMatrixDiagonal() -> [Double] {
    var dense = [Double](repeating: 0, count: velocityCount * velocityCount)
    fullMassMatrix(into: &dense)
    return (0..<velocityCount).map { dense[$0 * velocityCount + $0] }
  }
}

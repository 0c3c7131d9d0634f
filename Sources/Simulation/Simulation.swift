import CMuJoCo
import CMuJoCoShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state MuJoCo integrates: positions, velocities, actuator activations and time.
public struct SimulationState: Equatable, Sendable {
  /// Generalized positions (`nq`; free joints hold position then quaternion w x y z).
  public var qpos: [Double]
  /// Generalized velocities (`nv`).
  public var qvel: [Double]
  /// Actuator activations (`na`; empty without stateful actuators).
  public var act: [Double]
  /// Simulation time in seconds.
  public var timeSeconds: Double

  /// A state from its parts.
  public init(qpos: [Double], qvel: [Double], act: [Double], timeSeconds: Double) {
    self.qpos = qpos
    self.qvel = qvel
    self.act = act
    self.timeSeconds = timeSeconds
  }
}

/// A MuJoCo model and its data: load MJCF, step, read and write the state, query poses.
///
/// Fatal MuJoCo errors are thrown as `SimulationError` (MuJoCo's default handler would end the
/// process); warnings (NaN in the state, full contact buffer …) are collected as
/// `SimulationDiagnostic`s.
///
/// Not thread-safe: use one instance from one thread at a time. Different instances may run on
/// different threads.
public final class Simulation {
  let model: UnsafeMutablePointer<mjModel>
  let data: UnsafeMutablePointer<mjData>
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private static let errorBufferSize: Int32 = 1024
  private var warningCounts: [Int32]

  /// Degrees of freedom (indices into `qvel`) whose gravity, Coriolis and centrifugal forces
  /// (`qfrc_bias`) are cancelled by an applied force before every step — ideal gravity
  /// compensation, as a torque-controlled arm's controller provides. Empty by default.
  public var compensatedDOFs: [Int] = [] {
    didSet {
      for dof in compensatedDOFs {
        precondition(dof >= 0 && dof < velocityCount, "compensatedDOFs: dof \(dof) outside 0..<\(velocityCount)")
      }
    }
  }

  /// Warnings MuJoCo raised since the last `takeDiagnostics()`, oldest first.
  public private(set) var diagnostics: [SimulationDiagnostic] = []

  /// MuJoCo's version string, for example "2.2.2".
  public static var mujocoVersion: String { String(cString: mj_versionString()) }

  /// Loads MJCF from a string through MuJoCo's in-memory virtual file system.
  ///
  /// - Parameters:
  ///   - mjcf: the model's XML.
  ///   - assets: further in-memory files the XML refers to by name (meshes, textures, includes).
  /// - Throws: `SimulationError.Code.loadFailed` with MuJoCo's message, which names the line.
  public init(mjcf: String, assets: [String: [UInt8]] = [:]) throws(SimulationError) {
    osp_mj_install_handlers()
    let vfs = UnsafeMutablePointer<mjVFS>.allocate(capacity: 1)  // about 2 MB: never on the stack
    defer { mj_deleteVFS(vfs); vfs.deallocate() }
    mj_defaultVFS(vfs)
    let modelName = "osprey-model.xml"
    var files = [(modelName, Array(mjcf.utf8))]
    files += assets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    for (name, bytes) in files {
      guard mj_makeEmptyFileVFS(vfs, name, Int32(bytes.count)) == 0 else {
        throw SimulationError(code: .loadFailed, context: "MJCF string", message: "cannot add \"\(name)\" to MuJoCo's virtual file system (full, duplicate or name too long)")
      }
      let slot = Int(vfs.pointee.nfile) - 1
      withUnsafeMutableBytes(of: &vfs.pointee.filedata) { raw in
        let pointers = raw.bindMemory(to: UnsafeMutableRawPointer?.self)
        if let destination = pointers[slot], !bytes.isEmpty {
          bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
      }
    }
    let (m, d, buffer) = try Self.load(file: modelName, vfs: vfs, context: "MJCF string")
    (model, data, errorBuffer) = (m, d, buffer)
    warningCounts = Array(repeating: 0, count: Int(mjNWARNING.rawValue))
    try forward()
    _ = osp_mj_take_warnings(nil, 0)
  }

  /// Loads the workcell of `OspreyWorld.mjcf(options)` with the files it names (`OspreyWorld.assets`).
  /// - Throws: as `init(mjcf:assets:)`.
  public convenience init(world options: OspreyWorld.Options) throws(SimulationError) {
    try self.init(mjcf: OspreyWorld.mjcf(options), assets: try OspreyWorld.assets(options))
  }

  /// Loads MJCF from a file (relative includes and assets resolve against its folder).
  ///
  /// - Throws: `SimulationError.Code.loadFailed` with MuJoCo's message and the path.
  public init(contentsOfFile path: String) throws(SimulationError) {
    osp_mj_install_handlers()
    let (m, d, buffer) = try Self.load(file: path, vfs: nil, context: path)
    (model, data, errorBuffer) = (m, d, buffer)
    warningCounts = Array(repeating: 0, count: Int(mjNWARNING.rawValue))
    try forward()
    _ = osp_mj_take_warnings(nil, 0)
  }

  private static func load(file: String, vfs: UnsafePointer<mjVFS>?, context: String) throws(SimulationError)
    -> (UnsafeMutablePointer<mjModel>, UnsafeMutablePointer<mjData>, UnsafeMutablePointer<CChar>)
  {
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(errorBufferSize))
    buffer.initialize(repeating: 0, count: Int(errorBufferSize))
    guard let m = osp_mj_load_xml(file, vfs, buffer, errorBufferSize) else {
      let message = String(cString: buffer)
      buffer.deallocate()
      throw SimulationError(code: .loadFailed, context: context, message: message.isEmpty ? "MuJoCo could not load the model" : message)
    }
    guard let d = osp_mj_make_data(m, buffer, errorBufferSize) else {
      let message = String(cString: buffer)
      mj_deleteModel(m)
      buffer.deallocate()
      throw SimulationError(code: .engineError, context: context, message: message)
    }
    return (m, d, buffer)
  }

  deinit {
    mj_deleteData(data)
    mj_deleteModel(model)
    errorBuffer.deallocate()
  }

  // MARK: Sizes

  /// Number of position coordinates (`nq`).
  public var positionCount: Int { Int(model.pointee.nq) }
  /// Number of degrees of freedom (`nv`).
  public var velocityCount: Int { Int(model.pointee.nv) }
  /// Number of actuators (`nu`, the length of `ctrl`).
  public var actuatorCount: Int { Int(model.pointee.nu) }
  /// Number of actuator activations (`na`).
  public var activationCount: Int { Int(model.pointee.na) }
  /// Integration time step in seconds (`opt.timestep`).
  public var timestepSeconds: Double {
    get { model.pointee.opt.timestep }
    set {
      precondition(newValue > 0 && newValue.isFinite, "timestepSeconds must be positive, got \(newValue)")
      model.pointee.opt.timestep = newValue
    }
  }

  // MARK: Stepping

  /// Advances the simulation by `count` time steps (`mj_step`, or `mj_step1`/`mj_step2` around
  /// the gravity compensation of `compensatedDOFs`).
  ///
  /// - Throws: `SimulationError.Code.engineError` with MuJoCo's message when MuJoCo raises a fatal
  ///   error; the state is then as MuJoCo left it (call `reset()` or set a state).
  public func step(_ count: Int = 1) throws(SimulationError) {
    precondition(count >= 0, "step: negative count \(count)")
    for _ in 0..<count {
      if compensatedDOFs.isEmpty {
        try check(osp_mj_step(model, data, errorBuffer, Self.errorBufferSize), "mj_step")
      } else {
        try check(osp_mj_step1(model, data, errorBuffer, Self.errorBufferSize), "mj_step1")
        let bias = data.pointee.qfrc_bias!, applied = data.pointee.qfrc_applied!
        for dof in compensatedDOFs { applied[dof] = bias[dof] }
        try check(osp_mj_step2(model, data, errorBuffer, Self.errorBufferSize), "mj_step2")
      }
      collectWarnings()
    }
  }

  /// Advances by `count` time steps, calling `control` once per step between `mj_step1` (positions,
  /// velocities, `biasForces` of the current state computed) and `mj_step2` (actuation,
  /// acceleration, integration): the place for a controller to read the state and write `ctrl`.
  ///
  /// - Throws: `SimulationError.Code.engineError` with MuJoCo's message.
  public func step(_ count: Int, control: (Simulation) -> Void) throws(SimulationError) {
    precondition(count >= 0, "step: negative count \(count)")
    for _ in 0..<count {
      try check(osp_mj_step1(model, data, errorBuffer, Self.errorBufferSize), "mj_step1")
      if !compensatedDOFs.isEmpty {
        let bias = data.pointee.qfrc_bias!, applied = data.pointee.qfrc_applied!
        for dof in compensatedDOFs { applied[dof] = bias[dof] }
      }
      control(self)
      try check(osp_mj_step2(model, data, errorBuffer, Self.errorBufferSize), "mj_step2")
      collectWarnings()
    }
  }

  /// Recomputes every derived quantity (poses, contacts, forces) from the state without
  /// advancing time (`mj_forward`). Call it after setting the state and before reading poses.
  ///
  /// - Throws: `SimulationError.Code.engineError` with MuJoCo's message.
  public func forward() throws(SimulationError) {
    try check(osp_mj_forward(model, data, errorBuffer, Self.errorBufferSize), "mj_forward")
    collectWarnings()
  }

  /// Resets the state to the model's initial one (`qpos0`, zero velocity, time 0) and recomputes.
  public func reset() throws(SimulationError) {
    mj_resetData(model, data)
    for i in warningCounts.indices { warningCounts[i] = 0 }
    try forward()
  }

  /// Returns and clears the collected diagnostics.
  public func takeDiagnostics() -> [SimulationDiagnostic] {
    defer { diagnostics.removeAll() }
    return diagnostics
  }

  private func check(_ code: Int32, _ call: String) throws(SimulationError) {
    guard code != 0 else { return }
    throw SimulationError(code: .engineError, context: call, message: String(cString: errorBuffer))
  }

  /// Turns new MuJoCo warnings (counter increments in `mjData.warning`, and any message the
  /// warning handler captured on this thread) into diagnostics.
  private func collectWarnings() {
    var messages: [String] = []
    if osp_mj_pending_warnings() > 0 {
      var text = [CChar](repeating: 0, count: 2048)
      _ = osp_mj_take_warnings(&text, Int32(text.count))
      messages = textOf(text).split(separator: "\n").map(String.init)
    }
    let stats = warningStatistics
    for i in stats.indices {
      let number = stats[i].number
      if number > warningCounts[i], let kind = SimulationDiagnostic.Kind(rawValue: i) {
        let message = messages.isEmpty ? "\(kind) (index \(stats[i].lastinfo))" : messages.removeFirst()
        diagnostics.append(SimulationDiagnostic(kind: kind, info: Int(stats[i].lastinfo),
                                                timeSeconds: data.pointee.time, message: message))
      }
      warningCounts[i] = number
    }
  }

  /// MuJoCo's warning counters (`mjData.warning`, one per `mjNWARNING` type: the raw values of
  /// `SimulationDiagnostic.Kind`), as they stand.
  var warningStatistics: [mjWarningStat] {
    withUnsafeBytes(of: &data.pointee.warning) { Array($0.bindMemory(to: mjWarningStat.self)) }
  }

  // MARK: State

  /// Simulation time in seconds.
  public var timeSeconds: Double {
    get { data.pointee.time }
    set { data.pointee.time = newValue }
  }

  /// Generalized positions (`nq`). Setting needs `forward()` before poses are read.
  public var qpos: [Double] {
    get { Array(UnsafeBufferPointer(start: data.pointee.qpos, count: positionCount)) }
    set { write(newValue, to: data.pointee.qpos, count: positionCount, name: "qpos") }
  }

  /// Generalized velocities (`nv`).
  public var qvel: [Double] {
    get { Array(UnsafeBufferPointer(start: data.pointee.qvel, count: velocityCount)) }
    set { write(newValue, to: data.pointee.qvel, count: velocityCount, name: "qvel") }
  }

  /// Actuator activations (`na`).
  public var act: [Double] {
    get { activationCount == 0 ? [] : Array(UnsafeBufferPointer(start: data.pointee.act, count: activationCount)) }
    set { write(newValue, to: data.pointee.act, count: activationCount, name: "act") }
  }

  /// Actuator controls (`nu`): for position actuators the target joint positions.
  public var ctrl: [Double] {
    get { actuatorCount == 0 ? [] : Array(UnsafeBufferPointer(start: data.pointee.ctrl, count: actuatorCount)) }
    set { write(newValue, to: data.pointee.ctrl, count: actuatorCount, name: "ctrl") }
  }

  /// Forces applied directly in joint space (`qfrc_applied`, `nv`), kept until changed.
  public var appliedJointForces: [Double] {
    get { Array(UnsafeBufferPointer(start: data.pointee.qfrc_applied, count: velocityCount)) }
    set { write(newValue, to: data.pointee.qfrc_applied, count: velocityCount, name: "appliedJointForces") }
  }

  /// Gravity, Coriolis and centrifugal forces in joint space (`qfrc_bias`) at the last
  /// `forward()`/step.
  public var biasForces: [Double] {
    Array(UnsafeBufferPointer(start: data.pointee.qfrc_bias, count: velocityCount))
  }

  /// The whole integrated state.
  public var state: SimulationState {
    get { SimulationState(qpos: qpos, qvel: qvel, act: act, timeSeconds: timeSeconds) }
    set {
      qpos = newValue.qpos
      qvel = newValue.qvel
      act = newValue.act
      timeSeconds = newValue.timeSeconds
    }
  }

  private func write(_ values: [Double], to pointer: UnsafeMutablePointer<Double>?, count: Int, name: String) {
    precondition(values.count == count, "\(name): expected \(count) values, got \(values.count)")
    guard count > 0, let pointer else { return }
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
  }
}

extension Simulation {
  /// Resets to a keyframe of the model (`mj_resetDataKeyframe`) and recomputes.
  ///
  /// - Throws: `.unknownName` when the model has no keyframe `name`.
  public func resetToKeyframe(_ name: String) throws(SimulationError) {
    let key = mj_name2id(model, Int32(mjOBJ_KEY.rawValue), name)
    guard key >= 0 else {
      throw SimulationError(code: .unknownName, context: "keyframe \"\(name)\"", message: "the model has no keyframe named \"\(name)\"")
    }
    mj_resetDataKeyframe(model, data, key)
    try forward()
  }
}

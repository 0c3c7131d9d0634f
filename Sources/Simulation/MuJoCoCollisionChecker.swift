import CMuJoCo
import CMuJoCoShim
import ConvexSets
import Multibody

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `CollisionChecker` for a robot in a MuJoCo scene (by default the arm of `OspreyWorld`), for
/// configuration-space IRIS and path checks.
///
/// `isFree(q)` writes `q` into the robot's joints of its own copy of the model (every other body —
/// objects, fixtures, fingers — stays where the state given at construction puts it), runs
/// `mj_kinematics` and `mj_collision` (no dynamics), and looks at the contacts that involve a robot
/// geom: `q` is free when every such contact has a signed distance of at least `safetyMarginMetres`.
/// MuJoCo's own filters apply: geoms of a body and its parent (and bodies welded together, such as
/// the base and the table) are never paired, nor pairs excluded in the MJCF (the two fingers).
/// Pairs of two robot geoms are also left out when `q` cannot change their relative pose (no
/// checked joint between them) or when they penetrate at every one of 100 seeded random
/// configurations within the joint ranges (parts that always overlap by design, such as the base
/// and the first link, or link 6's capsule and the gripper palm): the "always in collision" filter
/// of MoveIt's setup assistant. Other self-pairs count, in `isFree` and in `clearance` (so the
/// clearance of the arm never exceeds the gap between its own wrist parts, about 2–3 cm).
///
/// **Clearance.** `clearance(q)` sets every geom's `margin` to `distanceMarginMetres` so MuJoCo
/// reports pairs up to that far apart with their signed distance (`mjContact.dist`), and returns the
/// smallest distance over the robot's pairs, or `distanceMarginMetres` when no pair is that close
/// (the clearance is then *at least* that). Positive: free; zero or negative: touching or
/// penetrating (the depth). The distances are MuJoCo's narrow-phase values: exact for pairs of
/// spheres, capsules and planes, an approximation from the contact points for box pairs (MuJoCo 2.2
/// has no `mj_geomDistance`).
///
/// **Failures.** A configuration MuJoCo cannot answer for is treated as in collision, never as
/// free: `q` with a non-finite entry, an error inside `mj_kinematics` or `mj_collision`, or a full
/// contact list (`mjWARN_CONTACTFULL`: contacts were dropped, so a penetration may be among them).
/// `isFree` is then false and `clearance` nil (unknown); `lastFailure` says what happened, and
/// `failureCount` how often. The checker stays usable.
///
/// Thread-safe: queries from several threads take turns on one `mjData` (a lock); make one checker
/// per thread to check in parallel.
public final class MuJoCoCollisionChecker: CollisionChecker, @unchecked Sendable {
  /// Margins; every default is stated.
  public struct Options: Sendable, Equatable {
    /// `isFree` needs every robot pair at least this far apart, metres (default 0: touching is
    /// free, penetration is not).
    public var safetyMarginMetres = 0.0
    /// How far `clearance` looks, metres (default 0.05).
    public var distanceMarginMetres = 0.05
    /// Bodies (and their descendants) the robot may touch, for example a grasped object (default none).
    public var ignoredBodies: [String] = []
    /// Default options.
    public init() {}
  }

  public let dimension: Int
  /// The options the checker was made with.
  public let options: Options
  private let simulation: Simulation
  private let positionAddresses: [Int]
  private let isRobotGeom: [Bool]
  private let isIgnoredGeom: [Bool]
  /// `filtered[g1 * ngeom + g2]`: a robot pair left out (see the type's notes).
  private var filtered: [Bool]
  private let geomCount: Int
  private let baseQpos: [Double]
  private var currentMargin: Double = .nan
  private var failure: String?
  private var failures = 0
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  /// A checker over `joints` of the model in `mjcf`; the robot is every body below `robotRoot`.
  ///
  /// - Parameters:
  ///   - qpos: the full state's positions to check against (objects where they stand; default the
  ///     model's `qpos0`, or the `home` keyframe when the model has one and `qpos` is nil).
  /// - Throws: `SimulationError` when the model does not load, a name is unknown, a joint is not a
  ///   hinge or slide, or `qpos` has the wrong size; `.invalidArgument` for negative margins.
  public init(mjcf: String = OspreyWorld.mjcf(), joints: [String] = OspreyWorld.armJoints,
              robotRoot: String = OspreyArm.baseName, qpos: [Double]? = nil, options: Options = Options()) throws(SimulationError) {
    guard options.safetyMarginMetres >= 0, options.distanceMarginMetres > options.safetyMarginMetres else {
      throw SimulationError(code: .invalidArgument, context: "MuJoCoCollisionChecker.Options",
                            message: "need 0 ≤ safetyMarginMetres (\(options.safetyMarginMetres)) < distanceMarginMetres (\(options.distanceMarginMetres))")
    }
    let sim = try Simulation(mjcf: mjcf)
    if let qpos {
      guard qpos.count == sim.positionCount else {
        throw SimulationError(code: .invalidArgument, context: "MuJoCoCollisionChecker", message: "qpos has \(qpos.count) entries, expected \(sim.positionCount)")
      }
      sim.qpos = qpos
    } else if (try? sim.resetToKeyframe("home")) == nil {
      try sim.reset()
    }
    var addresses: [Int] = []
    for name in joints {
      let info = sim.info(of: try sim.joint(name))
      guard info.kind == .hinge || info.kind == .slide else {
        throw SimulationError(code: .invalidArgument, context: "joint \"\(name)\"", message: "the checker needs hinge or slide joints, found \(info.kind)")
      }
      addresses.append(info.positionAddress)
    }
    let m = sim.model
    func isBelow(_ body: Int, _ root: Int) -> Bool {
      var b = body
      while b != 0 {
        if b == root { return true }
        b = Int(m.pointee.body_parentid[b])
      }
      return root == 0
    }
    let root = try sim.body(robotRoot).index
    let ignored = try options.ignoredBodies.map { name throws(SimulationError) in try sim.body(name).index }
    let geomCount = Int(m.pointee.ngeom)
    isRobotGeom = (0..<geomCount).map { isBelow(Int(m.pointee.geom_bodyid[$0]), root) }
    isIgnoredGeom = (0..<geomCount).map { g in ignored.contains { isBelow(Int(m.pointee.geom_bodyid[g]), $0) } }
    // Robot pairs whose relative pose does not depend on the checked joints.
    let checkedJointBodies: Set<Int> = Set(joints.compactMap { name in (try? sim.joint(name)).map { Int(m.pointee.jnt_bodyid[$0.index]) } })
    func ancestors(_ body: Int) -> [Int] {
      var chain = [body], b = body
      while b != 0 { b = Int(m.pointee.body_parentid[b]); chain.append(b) }
      return chain
    }
    func movesRelatively(_ a: Int, _ b: Int) -> Bool {
      let ca = ancestors(a), cb = ancestors(b)
      let common = Set(ca).intersection(cb)
      let path = ca.prefix { !common.contains($0) } + cb.prefix { !common.contains($0) }
      return path.contains { checkedJointBodies.contains($0) }
    }
    var filtered = [Bool](repeating: false, count: geomCount * geomCount)
    for g1 in 0..<geomCount where isRobotGeom[g1] {
      for g2 in 0..<geomCount where isRobotGeom[g2] && g1 != g2 {
        filtered[g1 * geomCount + g2] = !movesRelatively(Int(m.pointee.geom_bodyid[g1]), Int(m.pointee.geom_bodyid[g2]))
      }
    }
    simulation = sim
    positionAddresses = addresses
    baseQpos = sim.qpos
    dimension = joints.count
    self.geomCount = geomCount
    self.filtered = filtered
    self.options = options
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)

    // Robot pairs penetrating at every one of 100 random configurations.
    let ranges = addresses.indices.map { k -> (Double, Double) in
      let j = (try? sim.joint(joints[k]))!.index
      let limited = m.pointee.jnt_limited[j] != 0
      return limited ? (m.pointee.jnt_range[2 * j], m.pointee.jnt_range[2 * j + 1]) : (-Double.pi, Double.pi)
    }
    var generator = SeededGenerator(seed: 0x05_9E_E7)
    var alwaysColliding: Set<Int>?
    for _ in 0..<100 {
      let q = ranges.map { $0.0 + ($0.1 - $0.0) * generator.nextUnit() }
      var colliding = Set<Int>()
      let answered = query(q, margin: options.distanceMarginMetres) { g1, g2, dist in
        if isRobotGeom[g1] && isRobotGeom[g2] && dist < 0 { colliding.insert(g1 * geomCount + g2) }
      }
      guard answered != nil else { continue }  // says nothing about which pairs always collide
      alwaysColliding = alwaysColliding.map { $0.intersection(colliding) } ?? colliding
    }
    for pair in alwaysColliding ?? [] {
      let g1 = pair / geomCount, g2 = pair % geomCount
      self.filtered[g1 * geomCount + g2] = true
      self.filtered[g2 * geomCount + g1] = true
    }
    (failure, failures) = (nil, 0)  // the samples' failures are not the caller's
  }

  /// The robot geom pairs left out of the checks (by name), for diagnostics and documentation.
  public var filteredPairs: [(String, String)] {
    var result: [(String, String)] = []
    for g1 in 0..<geomCount {
      for g2 in (g1 + 1)..<max(g1 + 1, geomCount) where filtered[g1 * geomCount + g2] {
        result.append((simulation.name(of: GeomID(g1)), simulation.name(of: GeomID(g2))))
      }
    }
    return result
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// False when `q` is in collision or MuJoCo could not answer for it (see "Failures" above).
  public func isFree(_ q: [Double]) -> Bool {
    guard let distance = smallestDistance(q, margin: options.safetyMarginMetres) else { return false }
    return distance >= options.safetyMarginMetres
  }

  /// The smallest signed distance between a robot geom and another geom it may not touch, capped
  /// at `distanceMarginMetres` (see the type's notes); nil when MuJoCo could not answer for `q`.
  public func clearance(_ q: [Double]) -> Double? {
    smallestDistance(q, margin: options.distanceMarginMetres).map { min($0, options.distanceMarginMetres) }
  }

  /// The robot's contacts at `q` as (geom, geom, signed distance), for diagnostics (empty when
  /// MuJoCo could not answer for `q`; see `lastFailure`).
  public func contacts(_ q: [Double], marginMetres: Double = 0) -> [(GeomID, GeomID, Double)] {
    var result: [(GeomID, GeomID, Double)] = []
    _ = query(q, margin: marginMetres) { g1, g2, dist in result.append((GeomID(g1), GeomID(g2), dist)) }
    return result
  }

  /// What the last query MuJoCo could not answer for went wrong with (nil: none so far).
  public var lastFailure: String? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return failure
  }

  /// How many queries MuJoCo could not answer for (each answered as a collision).
  public var failureCount: Int {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return failures
  }

  private func smallestDistance(_ q: [Double], margin: Double) -> Double? {
    query(q, margin: margin) { _, _, _ in }
  }

  /// Sets the joints, collides, and returns the smallest distance among the robot's pairs
  /// (+infinity when none), calling `visit` for each; nil when MuJoCo could not answer (the reason
  /// goes to `failure`).
  private func query(_ q: [Double], margin: Double, visit: (Int, Int, Double) -> Void) -> Double? {
    precondition(q.count == dimension, "MuJoCoCollisionChecker: q has \(q.count) entries, expected \(dimension)")
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    func fail(_ reason: String) -> Double? {
      failure = "q = \(q): \(reason)"
      failures += 1
      return nil
    }
    if let k = q.firstIndex(where: { !$0.isFinite }) { return fail("entry \(k) is \(q[k]), not a finite number") }
    let m = simulation.model, d = simulation.data
    if currentMargin != margin {
      for g in 0..<Int(m.pointee.ngeom) { m.pointee.geom_margin[g] = margin }
      currentMargin = margin
    }
    for i in 0..<Int(m.pointee.nq) { d.pointee.qpos[i] = baseQpos[i] }
    for (k, address) in positionAddresses.enumerated() { d.pointee.qpos[address] = q[k] }
    let overflowsBefore = contactOverflows
    var message = [CChar](repeating: 0, count: 256)
    let code = osp_mj_kinematics_collision(m, d, &message, 256)
    // The shim's warning handler keeps this thread's messages for a `Simulation` to collect; the
    // checker reads its own mjData's counters instead, so it drops them.
    if osp_mj_pending_warnings() > 0 { _ = osp_mj_take_warnings(nil, 0) }
    guard code == 0 else {
      return fail("MuJoCo failed: \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
    guard contactOverflows == overflowsBefore else {
      return fail("MuJoCo's contact list is full (mjWARN_CONTACTFULL), \(d.pointee.ncon) contacts kept; contacts were dropped")
    }
    var smallest = Double.infinity
    for i in 0..<Int(d.pointee.ncon) {
      let c = d.pointee.contact[i]
      let g1 = Int(c.geom1), g2 = Int(c.geom2)
      guard isRobotGeom[g1] || isRobotGeom[g2], !isIgnoredGeom[g1], !isIgnoredGeom[g2], !filtered[g1 * geomCount + g2] else { continue }
      smallest = min(smallest, c.dist)
      visit(g1, g2, c.dist)
    }
    return smallest
  }

  /// How often MuJoCo has found the contact list full (`mjWARN_CONTACTFULL`) in the checker's mjData.
  private var contactOverflows: Int32 {
    simulation.warningStatistics[SimulationDiagnostic.Kind.contactBufferFull.rawValue].number
  }
}

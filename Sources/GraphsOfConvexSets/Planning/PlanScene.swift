import ConicSolver
import ConvexSets
import LinearAlgebra

/// A task-space planning scene, as held by a file of format `osprey.plan.scene`, version 1 (see
/// docs/formats/plan.md): a box domain, convex obstacles, a start and a goal, optional velocity bounds and
/// optional IRIS seeds. Sets are written as in `osprey.gcs` (docs/formats/gcs.md).
///
/// With a `robot` (a `PlanarArm`), the scene is in the arm's configuration space: the domain is the
/// box of joint limits, the start, goal and seeds are joint angles, and the obstacles are polygons in
/// the arm's workspace plane; a configuration is free when the arm's collision checker says so.
/// Without one, the robot is a point and the obstacles live in the domain's space.
///
/// Every value is checked once, at construction or reading: dimensions agree, numbers are finite, the
/// domain's box is non-degenerate, the start, goal and seeds lie in the domain and are free, and
/// velocity bounds allow rest (`lb ≤ 0 ≤ ub`).
///
/// ```swift
/// let scene = try PlanScene.read(path: "boxes-0-s2.json")
/// let regions = try scene.buildRegions()
/// ```
public struct PlanScene: Sendable {
  /// The `format` value of scene files.
  public static let format = "osprey.plan.scene"
  /// The version this reader reads and the writer writes.
  public static let version = 1

  /// The box the robot moves in (also the domain IRIS grows regions in).
  public var domain: Hyperrectangle
  /// Convex obstacles: each of the domain's dimension (any set kind of `osprey.gcs`) for a point
  /// robot; 2-D polygons (point, box, vpolytope, bounded hpolyhedron) in the workspace for an arm.
  public var obstacles: [any ConvexSet]
  /// The robot whose configurations the domain holds; `nil` for a point robot (task space).
  public var robot: PlanarArm?
  /// Where the trajectory starts, at rest.
  public var start: [Double]
  /// Where the trajectory ends, at rest.
  public var goal: [Double]
  /// Bounds on each coordinate's velocity, when the scene sets them.
  public var velocityBounds: GCSTrajectoryOptions.VelocityBounds?
  /// Points to grow IRIS regions from, when the scene gives them.
  public var seeds: [[Double]]?

  /// The configuration-space dimension.
  public var dimension: Int { domain.ambientDimension }

  /// A checked scene.
  ///
  /// - Throws: `GCSFileError` (path `"<scene>"`) naming the field at fault, as `read` does.
  public init(
    domain: Hyperrectangle, obstacles: [any ConvexSet], start: [Double], goal: [Double],
    velocityBounds: GCSTrajectoryOptions.VelocityBounds? = nil, seeds: [[Double]]? = nil, robot: PlanarArm? = nil
  ) throws(GCSFileError) {
    self.init(
      unchecked: domain, obstacles: obstacles, start: start, goal: goal, velocityBounds: velocityBounds, seeds: seeds,
      robot: robot)
    if let (field, message) = problem() { throw GCSFileError(path: "<scene>", field: field, message: message) }
  }

  /// Unchecked, for the reader (which checks with `problem()` and knows the offsets).
  private init(
    unchecked domain: Hyperrectangle, obstacles: [any ConvexSet], start: [Double], goal: [Double],
    velocityBounds: GCSTrajectoryOptions.VelocityBounds?, seeds: [[Double]]?, robot: PlanarArm?
  ) {
    self.domain = domain
    self.obstacles = obstacles
    self.robot = robot
    self.start = start
    self.goal = goal
    self.velocityBounds = velocityBounds
    self.seeds = seeds
  }

  /// The first thing wrong with the scene, as (field, message); `nil` when it is sound.
  func problem() -> (String, String)? {
    let d = dimension
    for i in 0..<d where !(domain.lb[i] < domain.ub[i]) {
      return ("domain.ub[\(i)]", "is \(domain.ub[i]), expected above domain.lb[\(i)] = \(domain.lb[i])")
    }
    for i in 0..<d where !domain.lb[i].isFinite || !domain.ub[i].isFinite {
      return ("domain", "has a non-finite bound on coordinate \(i)")
    }
    if let robot, robot.jointCount != d {
      return ("domain", "has dimension \(d), but robot has \(robot.jointCount) joints (the domain is the box of joint limits)")
    }
    let checker: any CollisionChecker
    do {
      checker = try collisionChecker()  // names the obstacle whose dimension or kind does not suit the robot
    } catch {
      return (error.field, robot == nil ? error.message + " (the domain's)" : error.message)
    }
    var points: [(String, [Double])] = [("start", start), ("goal", goal)]
    for (k, seed) in (seeds ?? []).enumerated() { points.append(("seeds[\(k)]", seed)) }
    for (field, x) in points {
      if x.count != d { return (field, "has \(x.count) entries, expected \(d) (the domain's dimension)") }
      if let i = x.firstIndex(where: { !$0.isFinite }) { return ("\(field)[\(i)]", "is \(x[i]) (not finite)") }
      if !domain.contains(x, tolerance: 0) {
        return (field, "is \(Self.text(x)), outside the domain [\(Self.text(domain.lb)), \(Self.text(domain.ub))]")
      }
      if robot == nil, let k = obstacles.firstIndex(where: { $0.contains(x) }) {
        return (field, "is \(Self.text(x)), inside obstacles[\(k)] (\(obstacles[k].description))")
      }
      if robot != nil, !checker.isFree(x) {
        return (field, "is \(Self.text(x)), a configuration in collision (clearance \(checker.clearance(x) ?? 0))")
      }
    }
    if let v = velocityBounds {
      if v.lower.count != d { return ("velocity_bounds.lb", "has \(v.lower.count) entries, expected \(d)") }
      if v.upper.count != d { return ("velocity_bounds.ub", "has \(v.upper.count) entries, expected \(d)") }
      for i in 0..<d {
        if !v.lower[i].isFinite { return ("velocity_bounds.lb[\(i)]", "is \(v.lower[i]) (not finite)") }
        if !v.upper[i].isFinite { return ("velocity_bounds.ub[\(i)]", "is \(v.upper[i]) (not finite)") }
        if !(v.lower[i] <= 0 && 0 <= v.upper[i]) {
          return ("velocity_bounds", "coordinate \(i) has bounds [\(v.lower[i]), \(v.upper[i])], which exclude 0 (the trajectory starts and ends at rest)")
        }
      }
    }
    return nil
  }

  static func text(_ x: [Double]) -> String { GCSJSON.writeArray(x) }

  /// The scene's collision test: the arm's (`PlanarArmCollisionChecker`) when there is a robot, else
  /// a point among the obstacles (`PointRobotCollisionChecker`).
  ///
  /// - Throws: `ConvexSetError` when the obstacles do not suit the robot (a checked scene's do).
  public func collisionChecker() throws(ConvexSetError) -> any CollisionChecker {
    if let robot { return try PlanarArmCollisionChecker(arm: robot, obstacles: obstacles) }
    return try PointRobotCollisionChecker(dimension: dimension, obstacles: obstacles)
  }

  // MARK: Reading

  /// Reads a scene file.
  ///
  /// - Throws: `GCSFileError` naming the path, the line and the field at fault
  ///   (`scene.json:14: start: is [5.0, 5.0], inside obstacles[2] (…)`).
  public static func read(path: String) throws(GCSFileError) -> PlanScene {
    try parse(bytes: GCSJSON.readBytes(path: path), path: path)
  }

  /// Parses the text of a scene file; `path` is used only in error messages.
  public static func parse(_ text: String, path: String = "<string>") throws(GCSFileError) -> PlanScene {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses the UTF-8 bytes of a scene file; `path` is used only in error messages.
  ///
  /// - Complexity: O(size of the file) plus one membership test per obstacle for each point.
  public static func parse(bytes: [UInt8], path: String = "<string>") throws(GCSFileError) -> PlanScene {
    try GCSJSON.read(bytes, path: path) { (s: inout JSONScanner) throws(JSONReadError) -> PlanScene in
      let top = try GCSJSON.fields(&s, field: "")
      try GCSJSON.checkEnd(&s)
      try GCSJSON.checkHeader(&s, top, format: format)
      guard let domainAt = top["domain"] else { throw GCSJSON.missing(top, "domain", in: "") }
      s.position = domainAt
      let df = try GCSJSON.fields(&s, field: "domain")
      let lb = try GCSJSON.vector(&s, df, "lb", in: "domain")
      let ub = try GCSJSON.vector(&s, df, "ub", in: "domain")
      if lb.isEmpty { throw JSONReadError(offset: df["lb"]!, field: "domain.lb", message: "is empty") }
      if ub.count != lb.count {
        throw JSONReadError(offset: df["ub"]!, field: "domain.ub", message: "has \(ub.count) entries, expected \(lb.count) (as domain.lb)")
      }
      for i in lb.indices where !(lb[i] < ub[i]) {
        throw JSONReadError(offset: df["ub"]!, field: "domain.ub[\(i)]", message: "is \(ub[i]), expected above domain.lb[\(i)] = \(lb[i])")
      }
      let domain = try! Hyperrectangle(lb: lb, ub: ub)
      let d = lb.count

      var robot: PlanarArm?
      if let at = top["robot"], !GCSJSON.isNull(&s, at: at) {
        s.position = at
        robot = try readRobot(&s)
      }
      let obstacleDimension = robot == nil ? d : 2

      guard let obstaclesAt = top["obstacles"] else { throw GCSJSON.missing(top, "obstacles", in: "") }
      var obstacles: [any ConvexSet] = []
      var offsets: [String: Int] = [:]
      try GCSJSON.forEachObject(&s, at: obstaclesAt, field: "obstacles") {
        (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
        let set = try GCSProblemReader.readSet(&s, f, field: "obstacles[\(k)]")
        if set.ambientDimension != obstacleDimension {
          let whose = robot == nil ? "the domain's" : "the arm's workspace plane"
          throw JSONReadError(offset: f.start, field: "obstacles[\(k)]", message: "has dimension \(set.ambientDimension), expected \(obstacleDimension) (\(whose))")
        }
        obstacles.append(set)
      }
      let start = try GCSJSON.vector(&s, top, "start", in: "")
      let goal = try GCSJSON.vector(&s, top, "goal", in: "")

      var bounds: GCSTrajectoryOptions.VelocityBounds?
      if let at = top["velocity_bounds"], !GCSJSON.isNull(&s, at: at) {
        s.position = at
        let vf = try GCSJSON.fields(&s, field: "velocity_bounds")
        let lower = try GCSJSON.vector(&s, vf, "lb", in: "velocity_bounds")
        let upper = try GCSJSON.vector(&s, vf, "ub", in: "velocity_bounds")
        offsets["velocity_bounds.lb"] = vf["lb"]
        offsets["velocity_bounds.ub"] = vf["ub"]
        bounds = GCSTrajectoryOptions.VelocityBounds(lower: lower, upper: upper)
      }
      var seeds: [[Double]]?
      if let at = top["seeds"], !GCSJSON.isNull(&s, at: at) {
        seeds = try GCSJSON.rows(&s, at: at, field: "seeds")
      }
      let scene = PlanScene(
        unchecked: domain, obstacles: obstacles, start: start, goal: goal, velocityBounds: bounds, seeds: seeds, robot: robot)
      if let (field, message) = scene.problem() {
        let key = String(field.prefix { $0 != "[" && $0 != "." })
        let at = offsets[String(field.prefix { $0 != "[" })] ?? top[key] ?? top.start
        throw JSONReadError(offset: at, field: field, message: message)
      }
      return scene
    }
  }

  /// The `robot` object at the scanner's position: `{"type": "planar_arm", "base": [x, y],
  /// "link_lengths": [...], "link_radius": r, "self_collision": true}`.
  private static func readRobot(_ s: inout JSONScanner) throws(JSONReadError) -> PlanarArm {
    let f = try GCSJSON.fields(&s, field: "robot")
    let type = try GCSJSON.string(&s, f, "type", in: "robot")
    if type != "planar_arm" {
      throw JSONReadError(offset: f["type"]!, field: "robot.type", message: "is \(GCSJSON.quoted(type)), expected \"planar_arm\" (the one robot this version knows)")
    }
    let base = try GCSJSON.vector(&s, f, "base", in: "robot")
    let lengths = try GCSJSON.vector(&s, f, "link_lengths", in: "robot")
    let radius = try GCSJSON.number(&s, f, "link_radius", in: "robot")
    var selfCollision = true
    if let at = f["self_collision"], !GCSJSON.isNull(&s, at: at) {
      selfCollision = try GCSJSON.bool(&s, at: at, field: "robot.self_collision")
    }
    do {
      return try PlanarArm(base: base, linkLengths: lengths, linkRadius: radius, selfCollision: selfCollision)
    } catch {
      let key = String(error.field.prefix { $0 != "[" })
      throw JSONReadError(offset: f[key] ?? f.start, field: "robot." + error.field, message: error.message)
    }
  }

  // MARK: Writing

  /// The scene as the text of a file (one obstacle per line).
  ///
  /// - Throws: `GCSFileError` when an obstacle is of a kind the format cannot hold.
  public func serialized() throws(GCSFileError) -> String {
    var out = "{\"format\": \(GCSJSON.quoted(Self.format)), \"version\": \(Self.version),\n"
    if let robot {
      out += "\"robot\": " + GCSJSON.object([
        ("type", GCSJSON.quoted("planar_arm")), ("base", GCSJSON.writeArray(robot.base)),
        ("link_lengths", GCSJSON.writeArray(robot.linkLengths)), ("link_radius", GCSJSON.writeNumber(robot.linkRadius)),
        ("self_collision", robot.selfCollision ? "true" : "false"),
      ]) + ",\n"
    }
    out += "\"domain\": " + GCSJSON.object([("lb", GCSJSON.writeArray(domain.lb)), ("ub", GCSJSON.writeArray(domain.ub))]) + ",\n"
    out += "\"obstacles\": ["
    for (k, o) in obstacles.enumerated() {
      out += (k == 0 ? "\n " : ",\n ") + (try GCSFile.writeSet(o, field: "obstacles[\(k)]"))
    }
    out += obstacles.isEmpty ? "],\n" : "\n],\n"
    out += "\"start\": \(GCSJSON.writeArray(start)), \"goal\": \(GCSJSON.writeArray(goal))"
    if let v = velocityBounds {
      out += ",\n\"velocity_bounds\": " + GCSJSON.object([("lb", GCSJSON.writeArray(v.lower)), ("ub", GCSJSON.writeArray(v.upper))])
    }
    if let seeds { out += ",\n\"seeds\": [" + seeds.map(GCSJSON.writeArray).joined(separator: ", ") + "]" }
    return out + "}\n"
  }

  /// Writes the scene to `path` atomically.
  public func write(to path: String) throws(GCSFileError) {
    try PlanFiles.write(to: path) { () throws(GCSFileError) in try serialized() }
  }
}

/// Helpers shared by the planning files.
public enum PlanFiles {
  /// The `format` string of the JSON file at `path` (to tell regions from trajectory files).
  ///
  /// - Throws: `GCSFileError` when the file cannot be read or has no string `format`.
  public static func format(path: String) throws(GCSFileError) -> String {
    try GCSJSON.read(GCSJSON.readBytes(path: path), path: path) { (s: inout JSONScanner) throws(JSONReadError) -> String in
      let top = try GCSJSON.fields(&s, field: "")
      return try GCSJSON.string(&s, top, "format", in: "")
    }
  }

  static func write(to path: String, _ text: () throws(GCSFileError) -> String) throws(GCSFileError) {
    let body: String
    do {
      body = try text()
    } catch {
      throw GCSFileError(path: path, line: nil, field: error.field, message: error.message)
    }
    try GCSJSON.writeAtomically(body, to: path)
  }
}

import ConicSolver
import ConvexSets
import LinearAlgebra

/// A planned trajectory, as held by a file of format `osprey.trajectory`, version 1 (see
/// docs/formats/plan.md): the status, the duration, samples of position and velocity every `sampleDt`
/// from 0 to the duration inclusive, and the Bézier segments themselves so the file can be reloaded.
public struct PlanTrajectoryFile: Sendable {
  /// The `format` value of trajectory files.
  public static let format = "osprey.trajectory"
  /// The version this reader reads and the writer writes.
  public static let version = 1

  /// One sample: time, position, velocity.
  public struct Sample: Sendable, Equatable {
    public var t: Double
    public var q: [Double]
    public var v: [Double]
    public init(t: Double, q: [Double], v: [Double]) {
      self.t = t
      self.q = q
      self.v = v
    }
  }

  public var status: GCSTrajectoryStatus
  /// Why there is no trajectory (status `infeasible` or `error`).
  public var reason: String?
  /// The objective value (time + path length costs), when solved.
  public var cost: Double?
  /// Indices of the regions the trajectory passes through, one per segment.
  public var regionPath: [Int]
  /// The trajectory, starting at time 0; `nil` unless solved.
  public var trajectory: PiecewiseBezierTrajectory?
  /// The sampling interval the samples were taken at.
  public var sampleDt: Double
  /// Samples at `0, dt, 2dt, …` and at the duration (exactly once); empty unless solved.
  public var samples: [Sample]
  /// How many samples a collision checker found in collision, when the samples were checked
  /// (`checkSamples(with:)`; file key `samples_in_collision`).
  public var samplesInCollision: Int?

  /// The duration, when solved.
  public var duration: Double? { trajectory?.duration }

  /// Everything given as is.
  public init(
    status: GCSTrajectoryStatus, reason: String? = nil, cost: Double? = nil, regionPath: [Int] = [],
    trajectory: PiecewiseBezierTrajectory?, sampleDt: Double, samples: [Sample]
  ) {
    self.status = status
    self.reason = reason
    self.cost = cost
    self.regionPath = regionPath
    self.trajectory = trajectory
    self.sampleDt = sampleDt
    self.samples = samples
  }

  /// The file of a trajectory solve, sampled every `sampleDt` (`PiecewiseBezierTrajectory.samples`).
  ///
  /// - Precondition: `sampleDt > 0` and finite.
  public init(result: GCSTrajectoryResult, sampleDt: Double) {
    precondition(sampleDt > 0 && sampleDt.isFinite, "PlanTrajectoryFile: sampleDt = \(sampleDt), expected > 0 and finite")
    let trajectory = result.status == .solved ? result.trajectory : nil
    let samples = trajectory.map { $0.samples(dt: sampleDt).map { Sample(t: $0.time, q: $0.position, v: $0.velocity) } } ?? []
    self.init(
      status: trajectory == nil && result.status == .solved ? .error : result.status,
      reason: result.reason, cost: trajectory == nil ? nil : result.cost, regionPath: trajectory == nil ? [] : result.regionPath,
      trajectory: trajectory, sampleDt: sampleDt, samples: samples)
  }

  /// Checks every sample's position with `checker` and records how many collide in
  /// `samplesInCollision`. Regions grown in configuration space are free only with high probability
  /// (`irisInConfigurationSpace`), so a trajectory through them is worth this check.
  ///
  /// - Precondition: the samples have `checker.dimension` coordinates.
  public mutating func checkSamples(with checker: any CollisionChecker) {
    samplesInCollision = samples.reduce(0) { $0 + (checker.isFree($1.q) ? 0 : 1) }
  }

  // MARK: Reading

  /// Reads a trajectory file.
  ///
  /// - Throws: `GCSFileError` naming the path, the line and the field at fault.
  public static func read(path: String) throws(GCSFileError) -> PlanTrajectoryFile {
    try parse(bytes: GCSJSON.readBytes(path: path), path: path)
  }

  /// Parses the text of a trajectory file; `path` is used only in error messages.
  public static func parse(_ text: String, path: String = "<string>") throws(GCSFileError) -> PlanTrajectoryFile {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses the UTF-8 bytes of a trajectory file; `path` is used only in error messages.
  public static func parse(bytes: [UInt8], path: String = "<string>") throws(GCSFileError) -> PlanTrajectoryFile {
    try GCSJSON.read(bytes, path: path) { (s: inout JSONScanner) throws(JSONReadError) -> PlanTrajectoryFile in
      let top = try GCSJSON.fields(&s, field: "")
      try GCSJSON.checkEnd(&s)
      try GCSJSON.checkHeader(&s, top, format: format)
      let statusText = try GCSJSON.string(&s, top, "status", in: "")
      guard let status = GCSTrajectoryStatus(rawValue: statusText) else {
        throw JSONReadError(offset: top["status"]!, field: "status", message: "is \"\(statusText)\", expected \"solved\", \"infeasible\" or \"error\"")
      }
      var reason: String?
      if let at = top["reason"], !GCSJSON.isNull(&s, at: at) { reason = try GCSJSON.string(&s, at: at, field: "reason") }
      let cost = try GCSJSON.optionalNumber(&s, top, "cost", in: "")
      let duration = try GCSJSON.optionalNumber(&s, top, "duration", in: "")
      let dt = try GCSJSON.optionalNumber(&s, top, "sample_dt", in: "") ?? 0
      var regionPath: [Int] = []
      if let at = top["regions"], !GCSJSON.isNull(&s, at: at) {
        let values = try GCSJSON.vector(&s, at: at, field: "regions")
        for (k, x) in values.enumerated() {
          guard x == x.rounded(), x >= 0, x < 1e9 else {
            throw JSONReadError(offset: at, field: "regions[\(k)]", message: "is \(x), expected a region index")
          }
          regionPath.append(Int(x))
        }
      }
      var paths: [BezierCurve] = []
      var durations: [Double] = []
      if let at = top["segments"] {
        try GCSJSON.forEachObject(&s, at: at, field: "segments") {
          (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
          let field = "segments[\(k)]"
          let h = try GCSJSON.number(&s, f, "duration", in: field)
          if !(h > 0) { throw JSONReadError(offset: f["duration"]!, field: "\(field).duration", message: "is \(h), expected > 0") }
          guard let cAt = f["control_points"] else { throw GCSJSON.missing(f, "control_points", in: field) }
          let points = try GCSJSON.rows(&s, at: cAt, field: "\(field).control_points")
          if points.isEmpty || points[0].isEmpty {
            throw JSONReadError(offset: cAt, field: "\(field).control_points", message: "is empty")
          }
          if let first = paths.first, points[0].count != first.dimension || points.count != first.controlPoints.count {
            throw JSONReadError(
              offset: cAt, field: "\(field).control_points",
              message: "has \(points.count) points of dimension \(points[0].count), expected \(first.controlPoints.count) of \(first.dimension) (as segments[0])")
          }
          paths.append(BezierCurve(controlPoints: points))
          durations.append(h)
        }
      }
      var samples: [Sample] = []
      if let at = top["samples"] {
        try GCSJSON.forEachObject(&s, at: at, field: "samples") {
          (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
          let field = "samples[\(k)]"
          let t = try GCSJSON.number(&s, f, "t", in: field)
          let q = try GCSJSON.vector(&s, f, "q", in: field)
          let v = try GCSJSON.vector(&s, f, "v", in: field)
          if v.count != q.count {
            throw JSONReadError(offset: f["v"]!, field: "\(field).v", message: "has \(v.count) entries, expected \(q.count) (as q)")
          }
          samples.append(Sample(t: t, q: q, v: v))
        }
      }
      var inCollision: Int?
      if let at = top["samples_in_collision"], !GCSJSON.isNull(&s, at: at) {
        inCollision = try GCSJSON.count(&s, at: at, field: "samples_in_collision")
      }
      let trajectory = paths.isEmpty ? nil : PiecewiseBezierTrajectory(paths: paths, durations: durations)
      if let trajectory, let duration, abs(trajectory.duration - duration) > 1e-9 * max(1, duration) {
        throw JSONReadError(
          offset: top["duration"]!, field: "duration", message: "is \(duration), but the segments' durations add up to \(trajectory.duration)")
      }
      var file = PlanTrajectoryFile(
        status: status, reason: reason, cost: cost, regionPath: regionPath, trajectory: trajectory, sampleDt: dt,
        samples: samples)
      file.samplesInCollision = inCollision
      return file
    }
  }

  // MARK: Writing

  /// The file's text: the header and summary on the first lines, one segment and one sample per line.
  public func serialized() -> String {
    var head: [(String, String)] = [
      ("format", GCSJSON.quoted(Self.format)), ("version", "\(Self.version)"), ("status", GCSJSON.quoted(status.rawValue)),
    ]
    if let reason { head.append(("reason", GCSJSON.quoted(reason))) }
    head.append(("duration", duration.map(GCSJSON.writeNumber) ?? "null"))
    head.append(("cost", cost.map(GCSJSON.writeNumber) ?? "null"))
    head.append(("sample_dt", GCSJSON.writeNumber(sampleDt)))
    head.append(("regions", "[" + regionPath.map { "\($0)" }.joined(separator: ", ") + "]"))
    if let samplesInCollision { head.append(("samples_in_collision", "\(samplesInCollision)")) }
    var out = "{" + head.map { GCSJSON.quoted($0.0) + ": " + $0.1 }.joined(separator: ", ") + ",\n\"segments\": ["
    for (k, segment) in (trajectory?.segments ?? []).enumerated() {
      out += k == 0 ? "\n " : ",\n "
      out += GCSJSON.object([
        ("duration", GCSJSON.writeNumber(segment.duration)),
        ("control_points", "[" + segment.path.controlPoints.map(GCSJSON.writeArray).joined(separator: ", ") + "]"),
      ])
    }
    out += (trajectory == nil ? "" : "\n") + "],\n\"samples\": ["
    for (k, sample) in samples.enumerated() {
      out += k == 0 ? "\n " : ",\n "
      out += GCSJSON.object([("t", GCSJSON.writeNumber(sample.t)), ("q", GCSJSON.writeArray(sample.q)), ("v", GCSJSON.writeArray(sample.v))])
    }
    out += (samples.isEmpty ? "" : "\n") + "]}\n"
    return out
  }

  /// Writes the file to `path` atomically.
  public func write(to path: String) throws(GCSFileError) {
    try GCSJSON.writeAtomically(serialized(), to: path)
  }
}

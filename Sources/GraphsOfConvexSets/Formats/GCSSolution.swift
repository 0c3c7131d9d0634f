import ConicSolver

/// The solution of a GCS shortest-path problem, as held by a solution file of format
/// `osprey.gcs.solution`, version 1 (see docs/formats/gcs.md).
///
/// Vertices are named, not numbered, so a solution file can be read without its problem file; use
/// `check(against:)` to match it with a problem.
public struct GCSSolution: Sendable, Equatable {
  /// The `format` value of solution files.
  public static let format = "osprey.gcs.solution"
  /// The version this reader reads and the writer writes.
  public static let version = 1

  /// The outcome of the solve.
  public var status: GCSStatus
  /// The method that solved (absent from files written by tools that do not say).
  public var method: GCSMethod?
  /// Cost of the returned path; `nil` without a path.
  public var cost: Double?
  /// The best proven lower bound on the optimal cost; `nil` when none was proved.
  public var lowerBound: Double?
  /// Optimal value of the convex relaxation; `nil` when none was solved.
  public var relaxationCost: Double?
  /// `(cost − lowerBound) / max(|cost|, tiny)`; `nil` unless both exist.
  public var gap: Double?
  /// The names of the path's vertices, source first; empty without a path.
  public var path: [String]
  /// The point of each vertex on the path, by name.
  public var points: [String: [Double]]
  /// Why there is no path, when there is none.
  public var reason: String?
  /// Timings in seconds (only the phases that ran are non-`nil`).
  public var timings: GCSTimings?
  /// Counters of the solve.
  public var statistics: GCSStatistics?

  /// A solution with every field given.
  public init(
    status: GCSStatus, method: GCSMethod? = nil, cost: Double? = nil, lowerBound: Double? = nil,
    relaxationCost: Double? = nil, gap: Double? = nil, path: [String] = [], points: [String: [Double]] = [:],
    reason: String? = nil, timings: GCSTimings? = nil, statistics: GCSStatistics? = nil
  ) {
    self.status = status
    self.method = method
    self.cost = cost
    self.lowerBound = lowerBound
    self.relaxationCost = relaxationCost
    self.gap = gap
    self.path = path
    self.points = points
    self.reason = reason
    self.timings = timings
    self.statistics = statistics
  }

  /// The solution of `result`, with vertex names from `graph`; numbers that are not finite become `nil`.
  /// A vertex the graph does not have (a result of a larger graph, such as a trajectory problem's with
  /// its start and goal) is named by its id, `v12`.
  public init(result: GCSResult, graph: GraphOfConvexSets) {
    func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
    func name(_ v: VertexID) -> String { v.index < graph.vertexCount ? graph[v].name : v.description }
    self.init(
      status: result.status, method: result.method, cost: finite(result.cost), lowerBound: finite(result.lowerBound),
      relaxationCost: finite(result.relaxationCost), gap: finite(result.relativeGap),
      path: result.path.map(name),
      points: Dictionary(uniqueKeysWithValues: result.points.map { (name($0.key), $0.value) }),
      reason: result.reason, timings: result.timings, statistics: result.statistics)
  }

  /// Reads a solution file.
  ///
  /// - Throws: `GCSFileError` naming the path, the line and the field at fault.
  public static func read(path: String) throws(GCSFileError) -> GCSSolution {
    try parse(bytes: GCSJSON.readBytes(path: path), path: path)
  }

  /// Parses the text of a solution file.
  ///
  /// - Parameter path: used only in error messages.
  public static func parse(_ text: String, path: String = "<string>") throws(GCSFileError) -> GCSSolution {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses the UTF-8 bytes of a solution file.
  ///
  /// - Parameter path: used only in error messages.
  public static func parse(bytes: [UInt8], path: String = "<string>") throws(GCSFileError) -> GCSSolution {
    try GCSJSON.read(bytes, path: path) { (s: inout JSONScanner) throws(JSONReadError) -> GCSSolution in
      try GCSSolutionReader.read(&s)
    }
  }

  /// The solution as the text of a file (one object; numbers in the shortest form that reads back to the
  /// same double; `null` for a missing cost or bound and for any number that is not finite).
  ///
  /// Keys in order: `format, version, status, method, cost, lower_bound, relaxation_cost, gap, path, x,
  /// reason, timings_s, statistics`; `method`, `relaxation_cost`, `gap`, `reason`, `timings_s` and
  /// `statistics` only when known. `x` lists the path's vertices in path order, then any others by name.
  public func serialized() -> String {
    var members: [(String, String)] = [
      ("format", GCSJSON.quoted(Self.format)), ("version", "\(Self.version)"), ("status", GCSJSON.quoted(status.rawValue)),
    ]
    if let method { members.append(("method", GCSJSON.quoted(method.rawValue))) }
    members.append(("cost", GCSJSON.writeNumber(cost ?? .nan)))
    members.append(("lower_bound", GCSJSON.writeNumber(lowerBound ?? .nan)))
    if let relaxationCost, relaxationCost.isFinite { members.append(("relaxation_cost", GCSJSON.writeNumber(relaxationCost))) }
    if let gap, gap.isFinite { members.append(("gap", GCSJSON.writeNumber(gap))) }
    members.append(("path", "[" + path.map(GCSJSON.quoted).joined(separator: ", ") + "]"))
    var order: [String] = []
    var seen = Set<String>()
    for name in path where points[name] != nil && seen.insert(name).inserted { order.append(name) }
    order += points.keys.filter { !seen.contains($0) }.sorted()
    members.append(("x", "{" + order.map { GCSJSON.quoted($0) + ": " + GCSJSON.writeArray(points[$0]!) }.joined(separator: ", ") + "}"))
    if let reason { members.append(("reason", GCSJSON.quoted(reason))) }
    if let timings {
      var t: [(String, String)] = [("total", GCSJSON.writeNumber(timings.total))]
      let phases: [(String, Double?)] = [
        ("preprocessing", timings.preprocessing), ("relaxation", timings.relaxation), ("rounding", timings.rounding),
        ("branch_and_bound", timings.branchAndBound),
      ]
      for (key, value) in phases { if let value { t.append((key, GCSJSON.writeNumber(value))) } }
      members.append(("timings_s", GCSJSON.object(t)))
    }
    if let statistics {
      members.append((
        "statistics",
        GCSJSON.object([
          ("edges_removed", "\(statistics.edgesRemoved)"), ("rounded_paths", "\(statistics.roundedPaths)"),
          ("conic_solves", "\(statistics.conicSolves)"), ("interior_point_iterations", "\(statistics.interiorPointIterations)"),
          ("nodes", "\(statistics.nodes)"),
        ])
      ))
    }
    return GCSJSON.object(members) + "\n"
  }

  /// Writes the solution to `path` atomically (a temporary file renamed into place).
  public func write(to path: String) throws(GCSFileError) {
    try GCSJSON.writeAtomically(serialized(), to: path)
  }

  /// Checks that the solution belongs to `problem`: the path's and the points' vertices exist, the path
  /// starts at the source, ends at the target, follows edges, and every point has its vertex's dimension.
  ///
  /// - Throws: `GCSFileError` with path `"<string>"` and the field at fault (`path[3]`, `x.c0_0`); the
  ///   caller puts in the file's path.
  public func check(against problem: GCSFile) throws(GCSFileError) {
    let graph = problem.graph
    func fail(_ field: String, _ message: String) -> GCSFileError {
      GCSFileError(path: "<string>", field: field, message: message)
    }
    var ids: [VertexID] = []
    for (k, name) in path.enumerated() {
      guard let v = graph.vertex(named: name) else { throw fail("path[\(k)]", "unknown vertex \"\(name)\"") }
      if let previous = ids.last, !graph[previous].outgoing.contains(where: { graph[$0].to == v }) {
        throw fail("path[\(k)]", "no edge from \"\(graph[previous].name)\" to \"\(name)\"")
      }
      ids.append(v)
    }
    if let first = ids.first, first != problem.source {
      throw fail("path[0]", "is \"\(graph[first].name)\", but the source is \"\(graph[problem.source].name)\"")
    }
    if let last = ids.last, last != problem.target {
      throw fail("path[\(ids.count - 1)]", "is \"\(graph[last].name)\", but the target is \"\(graph[problem.target].name)\"")
    }
    for name in points.keys.sorted() {
      guard let v = graph.vertex(named: name) else { throw fail("x.\(name)", "unknown vertex \"\(name)\"") }
      let count = points[name]!.count
      if count != graph[v].dimension { throw fail("x.\(name)", "has \(count) entries, expected \(graph[v].dimension)") }
    }
  }
}

/// The schema of `osprey.gcs.solution` version 1, over the scanner. Only `format`, `version` and
/// `status` are required; other keys take their "unknown" values when absent.
enum GCSSolutionReader {
  static func read(_ s: inout JSONScanner) throws(JSONReadError) -> GCSSolution {
    let top = try GCSJSON.fields(&s, field: "")
    try GCSJSON.checkEnd(&s)
    try GCSJSON.checkHeader(&s, top, format: GCSSolution.format)
    let statusText = try GCSJSON.string(&s, top, "status", in: "")
    guard let status = GCSStatus(rawValue: statusText) else {
      throw JSONReadError(
        offset: top["status"]!, field: "status",
        message: "is \"\(statusText)\", expected one of optimal, feasible, infeasible, error")
    }
    var solution = GCSSolution(status: status)
    if let at = top["method"], !GCSJSON.isNull(&s, at: at) {
      let text = try GCSJSON.string(&s, at: at, field: "method")
      guard let method = GCSMethod(rawValue: text) else {
        throw JSONReadError(
          offset: at, field: "method",
          message: "is \"\(text)\", expected one of \(GCSMethod.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      solution.method = method
    }
    solution.cost = try GCSJSON.optionalNumber(&s, top, "cost", in: "")
    solution.lowerBound = try GCSJSON.optionalNumber(&s, top, "lower_bound", in: "")
    solution.relaxationCost = try GCSJSON.optionalNumber(&s, top, "relaxation_cost", in: "")
    solution.gap = try GCSJSON.optionalNumber(&s, top, "gap", in: "")
    if let at = top["path"], !GCSJSON.isNull(&s, at: at) {
      s.position = at
      if s.peek() != 0x5B {
        throw JSONReadError(offset: at, field: "path", message: "expected an array of vertex names, found \(GCSJSON.kindOfNext(&s))")
      }
      s.position += 1
      if !s.consume(0x5D) {
        while true {
          _ = s.peek()
          solution.path.append(try GCSJSON.string(&s, at: s.position, field: "path[\(solution.path.count)]"))
          if s.consume(0x2C) { continue }
          if s.consume(0x5D) { break }
          throw s.error("expected ',' or ']' in array, found \(s.describeNext())", field: "path")
        }
      }
    }
    if let at = top["x"], !GCSJSON.isNull(&s, at: at) {
      s.position = at
      if s.peek() != 0x7B {
        throw JSONReadError(offset: at, field: "x", message: "expected an object (vertex name → point), found \(GCSJSON.kindOfNext(&s))")
      }
      var points: [String: [Double]] = [:]
      try s.parseObject(field: "x") { (s: inout JSONScanner, name: String) throws(JSONReadError) in
        _ = s.peek()
        // A point entry written as null (not finite) reads back as NaN.
        points[name] = try GCSJSON.vector(&s, at: s.position, field: "x.\(name)", nullValue: .nan)
      }
      solution.points = points
    }
    if let at = top["reason"], !GCSJSON.isNull(&s, at: at) {
      solution.reason = try GCSJSON.string(&s, at: at, field: "reason")
    }
    if let at = top["timings_s"], !GCSJSON.isNull(&s, at: at) {
      s.position = at
      let t = try GCSJSON.fields(&s, field: "timings_s")
      var timings = GCSTimings()
      timings.total = try GCSJSON.number(&s, t, "total", in: "timings_s")
      timings.preprocessing = try GCSJSON.optionalNumber(&s, t, "preprocessing", in: "timings_s")
      timings.relaxation = try GCSJSON.optionalNumber(&s, t, "relaxation", in: "timings_s")
      timings.rounding = try GCSJSON.optionalNumber(&s, t, "rounding", in: "timings_s")
      timings.branchAndBound = try GCSJSON.optionalNumber(&s, t, "branch_and_bound", in: "timings_s")
      solution.timings = timings
    }
    if let at = top["statistics"], !GCSJSON.isNull(&s, at: at) {
      s.position = at
      let f = try GCSJSON.fields(&s, field: "statistics")
      func count(_ key: String) throws(JSONReadError) -> Int {
        guard let at = f[key] else { return 0 }
        return try GCSJSON.count(&s, at: at, field: "statistics.\(key)")
      }
      var statistics = GCSStatistics()
      statistics.edgesRemoved = try count("edges_removed")
      statistics.roundedPaths = try count("rounded_paths")
      statistics.conicSolves = try count("conic_solves")
      statistics.interiorPointIterations = try count("interior_point_iterations")
      statistics.nodes = try count("nodes")
      solution.statistics = statistics
    }
    return solution
  }
}

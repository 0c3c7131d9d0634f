import ConicSolver
import ConvexSets
import LinearAlgebra

/// A shortest-path problem in a graph of convex sets, as held by a problem file of format
/// `osprey.gcs`, version 1 (see docs/formats/gcs.md and the shared contract `formats/gcs.md`).
///
/// Reading builds the graph in file order (vertex and edge IDs are the positions in the file's
/// `vertices` and `edges` arrays), so a file read, written and read again gives the same graph.
///
/// ```swift
/// let file = try GCSFile.read(path: "maze.json")
/// let result = file.graph.solveShortestPath(from: file.source, to: file.target)
/// ```
public struct GCSFile: Sendable {
  /// The `format` value of problem files.
  public static let format = "osprey.gcs"
  /// The version this reader reads and the writer writes.
  public static let version = 1

  /// The graph: vertices with their sets, costs and constraints; edges with theirs.
  public var graph: GraphOfConvexSets
  /// The vertex the paths start from.
  public var source: VertexID
  /// The vertex the paths end at.
  public var target: VertexID

  /// Wraps a graph with its source and target.
  ///
  /// - Precondition: `source` and `target` are vertices of `graph`.
  public init(graph: GraphOfConvexSets, source: VertexID, target: VertexID) {
    precondition(
      (0..<graph.vertexCount).contains(source.index) && (0..<graph.vertexCount).contains(target.index),
      "GCSFile: source \(source) or target \(target) is not a vertex of a graph of \(graph.vertexCount) vertices")
    self.graph = graph
    self.source = source
    self.target = target
  }

  /// Reads a problem file.
  ///
  /// - Throws: `GCSFileError` naming the path, the line and the field at fault (`vertices[3].set.ub:
  ///   has 2 entries, expected 3`), for syntax errors, a wrong `format` or `version`, missing keys,
  ///   values of the wrong type, non-finite numbers, unknown vertices, mismatched dimensions and data the
  ///   graph rejects.
  public static func read(path: String) throws(GCSFileError) -> GCSFile {
    try parse(bytes: GCSJSON.readBytes(path: path), path: path)
  }

  /// Parses the text of a problem file.
  ///
  /// - Parameter path: used only in error messages.
  public static func parse(_ text: String, path: String = "<string>") throws(GCSFileError) -> GCSFile {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses the UTF-8 bytes of a problem file.
  ///
  /// - Parameter path: used only in error messages.
  /// - Complexity: O(size of the file) plus the graph's own checks (an eigenvalue decomposition per
  ///   quadratic cost).
  public static func parse(bytes: [UInt8], path: String = "<string>") throws(GCSFileError) -> GCSFile {
    try GCSJSON.read(bytes, path: path) { (s: inout JSONScanner) throws(JSONReadError) -> GCSFile in
      try GCSProblemReader.read(&s)
    }
  }

  /// The problem as the text of a file: one vertex and one edge per line, numbers in the shortest form
  /// that reads back to the same double.
  ///
  /// Edges fixed on or off (`GraphOfConvexSets.fixEdge`) are written as free edges: version 1 of the
  /// format has no field for that.
  ///
  /// - Throws: `GCSFileError` (path `"<string>"`) when a vertex's set is of a kind the format cannot hold
  ///   (a `ConvexSet` conformance other than the seven the format names).
  public func serialized() throws(GCSFileError) -> String {
    var out = "{\"format\": \(GCSJSON.quoted(Self.format)), \"version\": \(Self.version), "
    out += "\"source\": \(GCSJSON.quoted(graph[source].name)), \"target\": \(GCSJSON.quoted(graph[target].name)),\n"
    out += "\"vertices\": ["
    for (k, vertex) in graph.vertices.enumerated() {
      out += k == 0 ? "\n" : ",\n"
      var members: [(String, String)] = [("name", GCSJSON.quoted(vertex.name))]
      members.append(("set", try Self.writeSet(vertex.set, field: "vertices[\(k)].set")))
      if !vertex.costs.isEmpty { members.append(("costs", "[" + vertex.costs.map(Self.writeCost).joined(separator: ", ") + "]")) }
      if !vertex.constraints.isEmpty {
        members.append(("constraints", "[" + vertex.constraints.map(Self.writeConstraint).joined(separator: ", ") + "]"))
      }
      out += " " + GCSJSON.object(members)
    }
    out += "\n],\n\"edges\": ["
    for (k, edge) in graph.edges.enumerated() {
      out += k == 0 ? "\n" : ",\n"
      var members: [(String, String)] = [
        ("from", GCSJSON.quoted(graph[edge.from].name)), ("to", GCSJSON.quoted(graph[edge.to].name)),
      ]
      if !edge.costs.isEmpty { members.append(("costs", "[" + edge.costs.map(Self.writeCost).joined(separator: ", ") + "]")) }
      if !edge.constraints.isEmpty {
        members.append(("constraints", "[" + edge.constraints.map(Self.writeConstraint).joined(separator: ", ") + "]"))
      }
      out += " " + GCSJSON.object(members)
    }
    out += "\n]}\n"
    return out
  }

  /// Writes the problem to `path` atomically (a temporary file renamed into place), so readers never
  /// see a half-written file.
  public func write(to path: String) throws(GCSFileError) {
    let text: String
    do {
      text = try serialized()
    } catch {
      throw GCSFileError(path: path, line: nil, field: error.field, message: error.message)
    }
    try GCSJSON.writeAtomically(text, to: path)
  }

  // MARK: - Writer

  static func writeSet(_ set: any ConvexSet, field: String) throws(GCSFileError) -> String {
    if let p = set as? Point {
      return GCSJSON.object([("type", "\"point\""), ("x", GCSJSON.writeArray(p.x))])
    }
    if let box = set as? Hyperrectangle {
      return GCSJSON.object([("type", "\"box\""), ("lb", GCSJSON.writeArray(box.lb)), ("ub", GCSJSON.writeArray(box.ub))])
    }
    if let h = set as? HPolyhedron {
      return GCSJSON.object([("type", "\"hpolyhedron\""), ("A", GCSJSON.writeMatrix(h.A)), ("b", GCSJSON.writeArray(h.b))])
    }
    if let v = set as? VPolytope {
      // One point per row: the transpose of VPolytope's n × p storage.
      return GCSJSON.object([("type", "\"vpolytope\""), ("vertices", GCSJSON.writeMatrix(v.vertices.transposed))])
    }
    if let e = set as? Hyperellipsoid {
      return GCSJSON.object([("type", "\"ellipsoid\""), ("A", GCSJSON.writeMatrix(e.A)), ("center", GCSJSON.writeArray(e.center))])
    }
    if let i = set as? Intersection {
      return GCSJSON.object([("type", "\"intersection\""), ("sets", try writeSets(i.sets, field: field))])
    }
    if let p = set as? CartesianProduct {
      return GCSJSON.object([("type", "\"product\""), ("sets", try writeSets(p.sets, field: field))])
    }
    throw GCSFileError(
      path: "<string>", field: field,
      message: "is \(set.description), a kind of set that osprey.gcs version 1 cannot hold")
  }

  private static func writeSets(_ sets: [any ConvexSet], field: String) throws(GCSFileError) -> String {
    var parts: [String] = []
    for (k, set) in sets.enumerated() { parts.append(try writeSet(set, field: "\(field).sets[\(k)]")) }
    return "[" + parts.joined(separator: ", ") + "]"
  }

  static func writeCost(_ cost: GCSCost) -> String {
    switch cost {
    case .euclidean: return GCSJSON.object([("type", "\"euclidean\"")])
    case .l2Norm(let A, let b): return GCSJSON.object([("type", "\"l2norm\""), ("A", GCSJSON.writeMatrix(A)), ("b", GCSJSON.writeArray(b))])
    case .l1Norm(let A, let b): return GCSJSON.object([("type", "\"l1norm\""), ("A", GCSJSON.writeMatrix(A)), ("b", GCSJSON.writeArray(b))])
    case .lInfNorm(let A, let b): return GCSJSON.object([("type", "\"linfnorm\""), ("A", GCSJSON.writeMatrix(A)), ("b", GCSJSON.writeArray(b))])
    case .linear(let a, let b): return GCSJSON.object([("type", "\"linear\""), ("a", GCSJSON.writeArray(a)), ("b", GCSJSON.writeNumber(b))])
    case .quadratic(let Q, let q, let c):
      return GCSJSON.object([
        ("type", "\"quadratic\""), ("Q", GCSJSON.writeMatrix(Q)), ("q", GCSJSON.writeArray(q)), ("c", GCSJSON.writeNumber(c)),
      ])
    }
  }

  /// Infinite bounds of a linear inequality are written as `null`.
  static func writeConstraint(_ constraint: GCSConstraint) -> String {
    switch constraint {
    case .linearEquality(let A, let b):
      return GCSJSON.object([("type", "\"linear_equality\""), ("A", GCSJSON.writeMatrix(A)), ("b", GCSJSON.writeArray(b))])
    case .linearInequality(let A, let lb, let ub):
      return GCSJSON.object([
        ("type", "\"linear_inequality\""), ("A", GCSJSON.writeMatrix(A)), ("lb", GCSJSON.writeArray(lb)),
        ("ub", GCSJSON.writeArray(ub)),
      ])
    }
  }
}

/// The schema of `osprey.gcs` version 1, over the scanner.
enum GCSProblemReader {
  static let setTypes = ["point", "box", "hpolyhedron", "vpolytope", "ellipsoid", "intersection", "product"]
  static let costTypes = ["euclidean", "l2norm", "l1norm", "linfnorm", "linear", "quadratic"]
  static let constraintTypes = ["linear_equality", "linear_inequality"]

  static func read(_ s: inout JSONScanner) throws(JSONReadError) -> GCSFile {
    let top = try GCSJSON.fields(&s, field: "")
    try GCSJSON.checkEnd(&s)
    try GCSJSON.checkHeader(&s, top, format: GCSFile.format)

    var graph = GraphOfConvexSets()
    var indexByName: [String: Int] = [:]
    guard let verticesAt = top["vertices"] else { throw GCSJSON.missing(top, "vertices", in: "") }
    try GCSJSON.forEachObject(&s, at: verticesAt, field: "vertices") {
      (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
      let field = "vertices[\(k)]"
      let name = try GCSJSON.string(&s, f, "name", in: field)
      if name.isEmpty { throw JSONReadError(offset: f["name"]!, field: "\(field).name", message: "is empty") }
      if let other = indexByName[name] {
        throw JSONReadError(
          offset: f["name"]!, field: "\(field).name",
          message: "\"\(name)\" is already the name of vertices[\(other)] (names are unique)")
      }
      guard let setAt = f["set"] else { throw GCSJSON.missing(f, "set", in: field) }
      s.position = setAt
      let setFields = try GCSJSON.fields(&s, field: "\(field).set")
      let set = try readSet(&s, setFields, field: "\(field).set")
      let v: VertexID
      do throws(GCSError) {
        v = try graph.addVertex(set, name: name)
      } catch {
        throw JSONReadError(offset: f.start, field: field, message: error.description)
      }
      indexByName[name] = k
      let dimension = set.ambientDimension
      if let at = f["costs"] {
        try GCSJSON.forEachObject(&s, at: at, field: "\(field).costs") {
          (s: inout JSONScanner, j: Int, c: GCSJSON.Fields) throws(JSONReadError) in
          let costField = "\(field).costs[\(j)]"
          let cost = try readCost(&s, c, field: costField, dimension: dimension, edgeEnds: nil)
          do throws(GCSError) { try graph.addCost(cost, to: v) } catch {
            throw JSONReadError(offset: c.start, field: costField, message: error.message)
          }
        }
      }
      if let at = f["constraints"] {
        try GCSJSON.forEachObject(&s, at: at, field: "\(field).constraints") {
          (s: inout JSONScanner, j: Int, c: GCSJSON.Fields) throws(JSONReadError) in
          let constraintField = "\(field).constraints[\(j)]"
          let constraint = try readConstraint(&s, c, field: constraintField, dimension: dimension, edgeEnds: nil)
          do throws(GCSError) { try graph.addConstraint(constraint, to: v) } catch {
            throw JSONReadError(offset: c.start, field: constraintField, message: error.message)
          }
        }
      }
    }

    func vertex(_ s: inout JSONScanner, _ f: GCSJSON.Fields, _ key: String, in parent: String) throws(JSONReadError)
      -> VertexID
    {
      let name = try GCSJSON.string(&s, f, key, in: parent)
      guard let index = indexByName[name] else {
        throw JSONReadError(offset: f[key]!, field: GCSJSON.join(parent, key), message: "unknown vertex \"\(name)\"")
      }
      return VertexID(index)
    }

    guard let edgesAt = top["edges"] else { throw GCSJSON.missing(top, "edges", in: "") }
    try GCSJSON.forEachObject(&s, at: edgesAt, field: "edges") {
      (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
      let field = "edges[\(k)]"
      let u = try vertex(&s, f, "from", in: field)
      let v = try vertex(&s, f, "to", in: field)
      if u == v {
        throw JSONReadError(offset: f.start, field: field, message: "is a self-loop on \"\(graph[u].name)\"")
      }
      let e: EdgeID
      do throws(GCSError) {
        e = try graph.addEdge(from: u, to: v)
      } catch {
        throw JSONReadError(offset: f.start, field: field, message: error.description)
      }
      let ends = (graph[u].dimension, graph[v].dimension)
      if let at = f["costs"] {
        try GCSJSON.forEachObject(&s, at: at, field: "\(field).costs") {
          (s: inout JSONScanner, j: Int, c: GCSJSON.Fields) throws(JSONReadError) in
          let costField = "\(field).costs[\(j)]"
          let cost = try readCost(&s, c, field: costField, dimension: ends.0 + ends.1, edgeEnds: ends)
          do throws(GCSError) { try graph.addCost(cost, to: e) } catch {
            throw JSONReadError(offset: c.start, field: costField, message: error.message)
          }
        }
      }
      if let at = f["constraints"] {
        try GCSJSON.forEachObject(&s, at: at, field: "\(field).constraints") {
          (s: inout JSONScanner, j: Int, c: GCSJSON.Fields) throws(JSONReadError) in
          let constraintField = "\(field).constraints[\(j)]"
          let constraint = try readConstraint(&s, c, field: constraintField, dimension: ends.0 + ends.1, edgeEnds: ends)
          do throws(GCSError) { try graph.addConstraint(constraint, to: e) } catch {
            throw JSONReadError(offset: c.start, field: constraintField, message: error.message)
          }
        }
      }
    }

    let source = try vertex(&s, top, "source", in: "")
    let target = try vertex(&s, top, "target", in: "")
    return GCSFile(graph: graph, source: source, target: target)
  }

  // MARK: Sets

  static func readSet(_ s: inout JSONScanner, _ f: GCSJSON.Fields, field: String) throws(JSONReadError) -> any ConvexSet {
    let type = try GCSJSON.string(&s, f, "type", in: field)
    func fail(_ key: String?, _ message: String) -> JSONReadError {
      JSONReadError(offset: key.flatMap { f[$0] } ?? f.start, field: key.map { "\(field).\($0)" } ?? field, message: message)
    }
    func wrap<T>(_ make: () throws(ConvexSetError) -> T) throws(JSONReadError) -> T {
      do throws(ConvexSetError) {
        return try make()
      } catch {
        // The set's own field ("lb[0]", "sets[2]") under this set's path.
        let key = String(error.field.prefix { $0 != "[" })
        throw JSONReadError(offset: f[key] ?? f.start, field: "\(field).\(error.field)", message: error.message)
      }
    }
    switch type {
    case "point":
      let x = try GCSJSON.vector(&s, f, "x", in: field)
      if x.isEmpty { throw fail("x", "is empty") }
      return try wrap { () throws(ConvexSetError) in try Point(x) }
    case "box":
      let lb = try GCSJSON.vector(&s, f, "lb", in: field)
      let ub = try GCSJSON.vector(&s, f, "ub", in: field)
      if lb.isEmpty { throw fail("lb", "is empty") }
      if ub.count != lb.count { throw fail("ub", "has \(ub.count) entries, expected \(lb.count) (as lb)") }
      return try wrap { () throws(ConvexSetError) in try Hyperrectangle(lb: lb, ub: ub) }
    case "hpolyhedron":
      guard let aAt = f["A"] else { throw GCSJSON.missing(f, "A", in: field) }
      let rows = try GCSJSON.rows(&s, at: aAt, field: "\(field).A")
      if rows.isEmpty || rows[0].isEmpty { throw fail("A", "has no \(rows.isEmpty ? "rows" : "columns"); the set's dimension is unknown") }
      let b = try GCSJSON.vector(&s, f, "b", in: field)
      if b.count != rows.count { throw fail("b", "has \(b.count) entries, expected \(rows.count) (the rows of A)") }
      return try wrap { () throws(ConvexSetError) in try HPolyhedron(A: Matrix(rows: rows), b: b) }
    case "vpolytope":
      guard let vAt = f["vertices"] else { throw GCSJSON.missing(f, "vertices", in: field) }
      let points = try GCSJSON.rows(&s, at: vAt, field: "\(field).vertices")
      if points.isEmpty { throw fail("vertices", "has no points") }
      if points[0].isEmpty { throw fail("vertices", "has points of dimension 0") }
      return try wrap { () throws(ConvexSetError) in try VPolytope(points: points) }
    case "ellipsoid":
      let center = try GCSJSON.vector(&s, f, "center", in: field)
      if center.isEmpty { throw fail("center", "is empty") }
      let (A, _) = try GCSJSON.matrix(&s, f, "A", in: field, columns: center.count)
      if A.rowCount == 0 { throw fail("A", "has no rows") }
      if A.columnCount != center.count {
        throw fail("A", "has \(A.columnCount) columns, expected \(center.count) (the entries of center)")
      }
      return try wrap { () throws(ConvexSetError) in try Hyperellipsoid(A: A, center: center) }
    case "intersection", "product":
      guard let setsAt = f["sets"] else { throw GCSJSON.missing(f, "sets", in: field) }
      if GCSJSON.isNull(&s, at: setsAt) { throw fail("sets", "is null, expected an array of sets") }
      var sets: [any ConvexSet] = []
      try GCSJSON.forEachObject(&s, at: setsAt, field: "\(field).sets") {
        (s: inout JSONScanner, k: Int, member: GCSJSON.Fields) throws(JSONReadError) in
        let memberField = "\(field).sets[\(k)]"
        let set = try readSet(&s, member, field: memberField)
        if type == "intersection", let first = sets.first, set.ambientDimension != first.ambientDimension {
          throw JSONReadError(
            offset: member.start, field: memberField,
            message: "has dimension \(set.ambientDimension), expected \(first.ambientDimension) (as sets[0])")
        }
        sets.append(set)
      }
      if sets.isEmpty { throw fail("sets", "is empty") }
      if type == "intersection" { return try wrap { () throws(ConvexSetError) in try Intersection(sets) } }
      return try wrap { () throws(ConvexSetError) in try CartesianProduct(sets) }
    default:
      throw fail("type", "is \"\(type)\", not a set type (known: \(setTypes.joined(separator: ", ")))")
    }
  }

  // MARK: Costs and constraints

  /// In words, the dimension a cost or constraint must act on.
  static func dimensionText(_ dimension: Int, edgeEnds: (Int, Int)?) -> String {
    guard let (du, dv) = edgeEnds else { return "dim x_v = \(dimension)" }
    return "dim x_u + dim x_v = \(du) + \(dv)"
  }

  /// A matrix acting on `z`: `columns` columns required.
  static func operatorMatrix(
    _ s: inout JSONScanner, _ f: GCSJSON.Fields, _ key: String, field: String, dimension: Int, edgeEnds: (Int, Int)?
  ) throws(JSONReadError) -> Matrix {
    let (A, at) = try GCSJSON.matrix(&s, f, key, in: field, columns: dimension)
    if A.columnCount != dimension {
      throw JSONReadError(
        offset: at, field: "\(field).\(key)",
        message: "has \(A.columnCount) columns, expected \(dimension) (\(dimensionText(dimension, edgeEnds: edgeEnds)))")
    }
    return A
  }

  /// A vector of `count` entries.
  static func sizedVector(
    _ s: inout JSONScanner, _ f: GCSJSON.Fields, _ key: String, field: String, count: Int, what: String,
    nullValue: Double? = nil
  ) throws(JSONReadError) -> [Double] {
    let v = try GCSJSON.vector(&s, f, key, in: field, nullValue: nullValue)
    if v.count != count {
      throw JSONReadError(offset: f[key]!, field: "\(field).\(key)", message: "has \(v.count) entries, expected \(count) (\(what))")
    }
    return v
  }

  static func readCost(
    _ s: inout JSONScanner, _ f: GCSJSON.Fields, field: String, dimension: Int, edgeEnds: (Int, Int)?
  ) throws(JSONReadError) -> GCSCost {
    let type = try GCSJSON.string(&s, f, "type", in: field)
    switch type {
    case "euclidean":
      guard let (du, dv) = edgeEnds else {
        throw JSONReadError(offset: f["type"]!, field: "\(field).type", message: "is \"euclidean\", which is for edges only")
      }
      if du != dv {
        throw JSONReadError(
          offset: f.start, field: field,
          message: "is euclidean, but the edge's ends have dimensions \(du) and \(dv) (they must be equal)")
      }
      return .euclidean
    case "l2norm", "l1norm", "linfnorm":
      let A = try operatorMatrix(&s, f, "A", field: field, dimension: dimension, edgeEnds: edgeEnds)
      let b = try sizedVector(&s, f, "b", field: field, count: A.rowCount, what: "the rows of A")
      switch type {
      case "l2norm": return .l2Norm(A: A, b: b)
      case "l1norm": return .l1Norm(A: A, b: b)
      default: return .lInfNorm(A: A, b: b)
      }
    case "linear":
      let a = try sizedVector(&s, f, "a", field: field, count: dimension, what: dimensionText(dimension, edgeEnds: edgeEnds))
      let b = try GCSJSON.number(&s, f, "b", in: field)
      return .linear(a: a, b: b)
    case "quadratic":
      let (Q, at) = try GCSJSON.matrix(&s, f, "Q", in: field, columns: dimension)
      if Q.rowCount != dimension || Q.columnCount != dimension {
        throw JSONReadError(
          offset: at, field: "\(field).Q",
          message: "is \(Q.rowCount)×\(Q.columnCount), expected \(dimension)×\(dimension) (\(dimensionText(dimension, edgeEnds: edgeEnds)))")
      }
      let q = try sizedVector(&s, f, "q", field: field, count: dimension, what: dimensionText(dimension, edgeEnds: edgeEnds))
      let c = try GCSJSON.number(&s, f, "c", in: field)
      return .quadratic(Q: Q, q: q, c: c)
    default:
      throw JSONReadError(
        offset: f["type"]!, field: "\(field).type",
        message: "is \"\(type)\", not a cost type (known: \(costTypes.joined(separator: ", ")))")
    }
  }

  static func readConstraint(
    _ s: inout JSONScanner, _ f: GCSJSON.Fields, field: String, dimension: Int, edgeEnds: (Int, Int)?
  ) throws(JSONReadError) -> GCSConstraint {
    let type = try GCSJSON.string(&s, f, "type", in: field)
    switch type {
    case "linear_equality":
      let A = try operatorMatrix(&s, f, "A", field: field, dimension: dimension, edgeEnds: edgeEnds)
      let b = try sizedVector(&s, f, "b", field: field, count: A.rowCount, what: "the rows of A")
      return .linearEquality(A: A, b: b)
    case "linear_inequality":
      let A = try operatorMatrix(&s, f, "A", field: field, dimension: dimension, edgeEnds: edgeEnds)
      let lb = try sizedVector(&s, f, "lb", field: field, count: A.rowCount, what: "the rows of A", nullValue: -.infinity)
      let ub = try sizedVector(&s, f, "ub", field: field, count: A.rowCount, what: "the rows of A", nullValue: .infinity)
      return .linearInequality(A: A, lb: lb, ub: ub)
    default:
      throw JSONReadError(
        offset: f["type"]!, field: "\(field).type",
        message: "is \"\(type)\", not a constraint type (known: \(constraintTypes.joined(separator: ", ")))")
    }
  }
}

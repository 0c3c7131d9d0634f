import ConvexSets
import Foundation
import LinearAlgebra
import Testing

@testable import GraphsOfConvexSets

@Suite struct GCSFileTests {
  static func error(_ text: String) -> GCSFileError? {
    expectGCSFileError { _ = try GCSFile.parse(text, path: "t.json") }
  }

  // MARK: Reading

  @Test func readsEverySetKind() throws {
    let file = try GCSFile.parse(GCSFixtures.everyKind)
    let g = file.graph
    #expect(g.vertices.map(\.name) == ["s", "box", "h", "v", "e", "i", "p", "t"])
    #expect(file.source == VertexID(0) && file.target == VertexID(7))
    #expect(g[VertexID(0)].set as? Point == (try Point([0, 0])))
    #expect(g[VertexID(1)].set as? Hyperrectangle == (try Hyperrectangle(lb: [0, -1], ub: [1, 1])))
    #expect(g[VertexID(2)].set as? HPolyhedron == (try HPolyhedron(A: Matrix(rows: [[1, 0], [0, 1], [-1, -1]]), b: [2, 2, 0])))
    // One point per row in the file; VPolytope keeps them as columns.
    let v = try #require(g[VertexID(3)].set as? VPolytope)
    #expect(v.points == [[0, 0], [1, 0], [0, 1]])
    #expect(g[VertexID(4)].set as? Hyperellipsoid == (try Hyperellipsoid(A: Matrix(rows: [[2, 0], [0, 1]]), center: [1, 1])))
    let i = try #require(g[VertexID(5)].set as? Intersection)
    #expect(i.sets.count == 2 && i.sets[0] is Hyperrectangle && i.sets[1] is Hyperellipsoid)
    let p = try #require(g[VertexID(6)].set as? CartesianProduct)
    #expect(p.ambientDimension == 2 && p.sets[0] is Point && p.sets[1] is Hyperrectangle)
  }

  @Test func readsEveryCostAndConstraintKind() throws {
    let g = try GCSFile.parse(GCSFixtures.everyKind).graph
    #expect(g[VertexID(1)].costs == [.linear(a: [1, 2], b: 0.5)])
    #expect(g[VertexID(3)].costs == [.quadratic(Q: Matrix(rows: [[2, 0], [0, 2]]), q: [0, 1], c: 1)])
    #expect(
      g[VertexID(4)].costs == [
        .l1Norm(A: Matrix(rows: [[1, 0]]), b: [0]), .lInfNorm(A: Matrix(rows: [[1, 0], [0, 1]]), b: [1, -1]),
      ])
    // null → −∞ in lb, +∞ in ub.
    #expect(g[VertexID(2)].constraints == [.linearInequality(A: Matrix(rows: [[1, 1]]), lb: [-.infinity], ub: [3])])
    #expect(g[VertexID(5)].constraints == [.linearEquality(A: Matrix(rows: [[1, -1]]), b: [0])])
    #expect(g[VertexID(6)].costs.isEmpty)  // "costs": null
    #expect(g.edges.map { g[$0.from].name + ">" + g[$0.to].name } == ["s>box", "box>h", "h>v", "v>e", "e>i", "i>p", "p>t"])
    #expect(g[EdgeID(0)].costs == [.euclidean])
    #expect(g[EdgeID(1)].costs == [.l2Norm(A: Matrix(rows: [[-1, 0, 1, 0], [0, -1, 0, 1]]), b: [0, 0])])
    #expect(g[EdgeID(2)].constraints == [.linearInequality(A: Matrix(rows: [[1, 0, -1, 0]]), lb: [-1], ub: [.infinity])])
    #expect(g[EdgeID(3)].costs.isEmpty && g[EdgeID(3)].constraints.isEmpty)
    #expect(g[EdgeID(6)].costs == [.quadratic(Q: Matrix.identity(4), q: [0, 0, 0, 0], c: 0)])
  }

  // MARK: Writing

  /// Read, write, read: the same graph, and the second text equals the first (the writer is a fixed point).
  @Test func roundTripsEveryKind() throws {
    let file = try GCSFile.parse(GCSFixtures.everyKind)
    let text = try file.serialized()
    let back = try GCSFile.parse(text)
    #expect(try back.serialized() == text)
    #expect(back.source == file.source && back.target == file.target)
    for k in 0..<file.graph.vertexCount {
      let (a, b) = (file.graph[VertexID(k)], back.graph[VertexID(k)])
      #expect(a.name == b.name && a.costs == b.costs && a.constraints == b.constraints)
      #expect(try setText(a.set) == setText(b.set))
    }
    for k in 0..<file.graph.edgeCount {
      let (a, b) = (file.graph[EdgeID(k)], back.graph[EdgeID(k)])
      #expect(a.from == b.from && a.to == b.to && a.costs == b.costs && a.constraints == b.constraints)
    }
    // Infinite bounds are written as null, and the text is JSON other readers take.
    #expect(text.contains("\"lb\": [null]") && text.contains("\"ub\": [null]"))
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(object?["format"] as? String == "osprey.gcs")
  }

  /// Doubles come back bit for bit: the writer prints the shortest form that parses to the same value.
  @Test func numbersRoundTripExactly() throws {
    let values: [Double] = [0.1 + 0.2, 1e-300, .leastNonzeroMagnitude, -1.7976931348623157e308, 2.2250738585072014e-308, 1 / 3, -0.0, 123456789012345680]
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Point(values), name: "s")
    let back = try GCSFile.parse(try GCSFile(graph: g, source: s, target: s).serialized())
    let x = try #require(back.graph[s].set as? Point).x
    #expect(x.map(\.bitPattern) == values.map(\.bitPattern))
  }

  @Test func writesAndReadsAFile() throws {
    let folder = NSTemporaryDirectory() + "gcs-file-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = try GCSFile.parse(GCSFixtures.everyKind)
    let path = folder + "/p.json"
    try file.write(to: path)
    #expect(try GCSFile.read(path: path).serialized() == file.serialized())
    // Nothing but the file is left in the folder (the temporary file was renamed).
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["p.json"])
  }

  /// A set kind the format does not name cannot be written.
  @Test func unknownSetKindIsAWriteError() throws {
    struct Halfline: ConvexSet {
      var ambientDimension: Int { 1 }
      func contains(_ x: [Double], tolerance: Double) -> Bool { x[0] >= -tolerance }
      var conicDescription: ConicSetDescription { try! Point([0]).conicDescription }  // unused here
      var isBoundedByConstruction: Bool? { false }
      var description: String { "Halfline" }
    }
    var g = GraphOfConvexSets()
    let s = try g.addVertex(Halfline(), name: "s")
    let e = expectGCSFileError { _ = try GCSFile(graph: g, source: s, target: s).serialized() }
    #expect(e?.field == "vertices[0].set")
    #expect(e?.message.contains("Halfline") == true)
  }

  // MARK: Reference files

  /// Every problem in shared/benchmarks/gcs reads, has the sizes reference-drake.jsonl gives, and
  /// round-trips through the writer.
  @Test func readsEveryReferenceFile() throws {
    guard let folder = GCSFixtures.benchmarkFolder else { return }
    var sizes: [String: (Int, Int)] = [:]
    if let text = try? String(contentsOfFile: folder + "/reference-drake.jsonl", encoding: .utf8) {
      for line in text.split(separator: "\n") {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let name = object["name"] as? String, let v = object["vertices"] as? Int, let e = object["edges"] as? Int
        else { continue }
        sizes[name] = (v, e)
      }
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    #expect(names.count >= 13)
    for name in names {
      let file = try GCSFile.read(path: folder + "/" + name)
      let stem = String(name.dropLast(5))
      #expect(file.graph.vertexCount > 0 && file.graph.edgeCount > 0, "\(name)")
      #expect(file.graph[file.source].name == "s" && file.graph[file.target].name == "t", "\(name)")
      if let (v, e) = sizes[stem] {
        #expect(file.graph.vertexCount == v && file.graph.edgeCount == e, "\(name)")
      }
      let back = try GCSFile.parse(try file.serialized())
      #expect(back.graph.vertexCount == file.graph.vertexCount && back.graph.edgeCount == file.graph.edgeCount, "\(name)")
    }
    print("note: read \(names.count) GCS benchmark files under \(folder)")
  }

  // MARK: Errors

  @Test func wrongFormatOrVersion() {
    var e = Self.error(GCSFixtures.everyKindWith("\"format\": \"osprey.gcs\"", "\"format\": \"conic-json-v1\""))
    #expect(e?.field == "format" && e?.message == "is \"conic-json-v1\", expected \"osprey.gcs\"")
    e = Self.error(GCSFixtures.everyKindWith("\"version\": 1", "\"version\": 2"))
    #expect(e?.field == "version" && e?.message == "is 2; this reader reads version 1")
    e = Self.error(GCSFixtures.everyKindWith("\"format\": \"osprey.gcs\", ", ""))
    #expect(e?.field == "format" && e?.message == "is missing (expected \"osprey.gcs\")")
    e = Self.error("[1, 2]")
    #expect(e?.message.contains("top level") == true)
  }

  @Test func missingKeys() {
    var e = Self.error(GCSFixtures.everyKindWith("\"source\": \"s\", ", ""))
    #expect(e?.field == "source" && e?.message == "is missing")
    e = Self.error(GCSFixtures.everyKindWith("{\"name\": \"t\", ", "{"))
    #expect(e?.field == "vertices[7].name" && e?.message == "is missing")
    #expect(e?.line == 10)
    e = Self.error(GCSFixtures.everyKindWith("\"Q\": [[2, 0], [0, 2]], ", ""))
    #expect(e?.field == "vertices[3].costs[0].Q" && e?.message == "is missing")
  }

  @Test func wrongLengthNamesTheField() {
    let e = Self.error(GCSFixtures.everyKindWith("\"ub\": [1, 1]", "\"ub\": [1]"))
    #expect(e?.field == "vertices[1].set.ub")
    #expect(e?.message == "has 1 entries, expected 2 (as lb)")
    #expect(e?.description == "t.json:4: vertices[1].set.ub: has 1 entries, expected 2 (as lb)")
  }

  @Test func unknownVertexInAnEdge() {
    let e = Self.error(GCSFixtures.everyKindWith("{\"from\": \"i\", \"to\": \"p\"}", "{\"from\": \"i\", \"to\": \"c9_9\"}"))
    #expect(e?.description == "t.json:18: edges[5].to: unknown vertex \"c9_9\"")
    let f = Self.error(GCSFixtures.everyKindWith("\"target\": \"t\"", "\"target\": \"z\""))
    #expect(f?.field == "target" && f?.message == "unknown vertex \"z\"")
  }

  @Test func nonFiniteNumbersAreRejected() {
    var e = Self.error(GCSFixtures.everyKindWith("\"x\": [0, 0]", "\"x\": [0, NaN]"))
    #expect(e?.field == "vertices[0].set.x[1]" && e?.message == "is NaN (not finite)")
    e = Self.error(GCSFixtures.everyKindWith("\"b\": 0.5", "\"b\": -Infinity"))
    #expect(e?.field == "vertices[1].costs[0].b" && e?.message == "is -Infinity (not finite)")
    // null is only a number where the format says so (linear_inequality bounds).
    e = Self.error(GCSFixtures.everyKindWith("\"b\": [2, 2, 0]", "\"b\": [2, null, 0]"))
    #expect(e?.field == "vertices[2].set.b[1]" && e?.message == "is null, expected a number")
  }

  @Test func wrongTypes() {
    var e = Self.error(GCSFixtures.everyKindWith("\"x\": [0, 0]", "\"x\": \"origin\""))
    #expect(e?.field == "vertices[0].set.x" && e?.message == "expected an array of numbers, found a string")
    e = Self.error(GCSFixtures.everyKindWith("{\"name\": \"s\"", "{\"name\": 7"))
    #expect(e?.field == "vertices[0].name" && e?.message == "expected a string, found a number")
    e = Self.error(GCSFixtures.everyKindWith("\"A\": [[1, 0], [0, 1], [-1, -1]]", "\"A\": [[1, 0], [0, 1], [-1]]"))
    #expect(e?.field == "vertices[2].set.A[2]" && e?.message == "has 1 entries, expected 2 (as row 0)")
    e = Self.error(GCSFixtures.everyKindWith("\"edges\": [", "\"edges\": {\"a\": 1}, \"x\": ["))
    #expect(e?.field == "edges" && e?.message == "expected an array of objects, found an object")
  }

  @Test func unknownKinds() {
    var e = Self.error(GCSFixtures.everyKindWith("\"type\": \"vpolytope\"", "\"type\": \"cone\""))
    #expect(e?.field == "vertices[3].set.type")
    #expect(e?.message.hasPrefix("is \"cone\", not a set type (known: point, box") == true)
    e = Self.error(GCSFixtures.everyKindWith("\"type\": \"linear\"", "\"type\": \"huber\""))
    #expect(e?.field == "vertices[1].costs[0].type" && e?.message.contains("not a cost type") == true)
    e = Self.error(GCSFixtures.everyKindWith("\"type\": \"linear_equality\"", "\"type\": \"soc\""))
    #expect(e?.field == "vertices[5].constraints[0].type" && e?.message.contains("not a constraint type") == true)
  }

  @Test func dimensionMismatches() {
    var e = Self.error(GCSFixtures.everyKindWith("\"A\": [[-1, 0, 1, 0], [0, -1, 0, 1]]", "\"A\": [[-1, 0, 1], [0, -1, 0]]"))
    #expect(e?.field == "edges[1].costs[0].A")
    #expect(e?.message == "has 3 columns, expected 4 (dim x_u + dim x_v = 2 + 2)")
    e = Self.error(GCSFixtures.everyKindWith("\"a\": [1, 2]", "\"a\": [1, 2, 3]"))
    #expect(e?.field == "vertices[1].costs[0].a" && e?.message == "has 3 entries, expected 2 (dim x_v = 2)")
    e = Self.error(GCSFixtures.everyKindWith("\"center\": [1, 1]}, \"costs\"", "\"center\": [1, 1, 1]}, \"costs\""))
    #expect(e?.field == "vertices[4].set.A" && e?.message == "has 2 columns, expected 3 (the entries of center)")
    e = Self.error(GCSFixtures.everyKindWith("\"lb\": [0, 0], \"ub\": [2, 2]", "\"lb\": [0], \"ub\": [2]"))
    #expect(e?.field == "vertices[5].set.sets[1]" && e?.message == "has dimension 2, expected 1 (as sets[0])")
    // euclidean is for edges only.
    e = Self.error(GCSFixtures.everyKindWith("{\"name\": \"s\", \"set\": {\"type\": \"point\", \"x\": [0, 0]}}", "{\"name\": \"s\", \"set\": {\"type\": \"point\", \"x\": [0, 0]}, \"costs\": [{\"type\": \"euclidean\"}]}"))
    #expect(e?.field == "vertices[0].costs[0].type" && e?.message == "is \"euclidean\", which is for edges only")
  }

  @Test func euclideanEdgeCostNeedsEqualDimensions() {
    let f = Self.error(
      GCSFixtures.everyKindWith("{\"from\": \"p\", \"to\": \"t\", \"costs\": [{\"type\": \"quadratic\"", "{\"from\": \"p\", \"to\": \"t\", \"costs\": [{\"type\": \"euclidean\"}, {\"type\": \"quadratic\"")
        .replacingOccurrences(of: "{\"type\": \"point\", \"x\": [1]}, {\"type\": \"box\", \"lb\": [0], \"ub\": [1]}", with: "{\"type\": \"point\", \"x\": [1]}, {\"type\": \"box\", \"lb\": [0, 0], \"ub\": [1, 1]}"))
    #expect(f?.field == "edges[6].costs[0]")
    #expect(f?.message == "is euclidean, but the edge's ends have dimensions 3 and 2 (they must be equal)")
  }

  @Test func duplicateNamesAndSelfLoops() {
    var e = Self.error(GCSFixtures.everyKindWith("{\"name\": \"h\"", "{\"name\": \"box\""))
    #expect(e?.field == "vertices[2].name" && e?.message == "\"box\" is already the name of vertices[1] (names are unique)")
    e = Self.error(GCSFixtures.everyKindWith("{\"from\": \"e\", \"to\": \"i\"}", "{\"from\": \"e\", \"to\": \"e\"}"))
    #expect(e?.field == "edges[4]" && e?.message == "is a self-loop on \"e\"")
  }

  /// Data the graph itself rejects (bounds crossing, a Q that is not symmetric) keep the file's field.
  @Test func graphChecksKeepTheField() {
    var e = Self.error(GCSFixtures.everyKindWith("\"lb\": [null], \"ub\": [3]", "\"lb\": [4], \"ub\": [3]"))
    #expect(e?.field == "vertices[2].constraints[0]" && e?.message.contains("lb[0] = 4.0 above ub[0] = 3.0") == true)
    e = Self.error(GCSFixtures.everyKindWith("\"Q\": [[2, 0], [0, 2]]", "\"Q\": [[2, 1], [0, 2]]"))
    #expect(e?.field == "vertices[3].costs[0]" && e?.message.contains("not symmetric") == true)
    e = Self.error(GCSFixtures.everyKindWith("\"ub\": [1, 1], \"lb\": [0, -1]", "\"ub\": [1, 1], \"lb\": [0, 2]"))
    #expect(e?.field == "vertices[1].set.lb[1]" && e?.message.contains("above ub[1]") == true)
  }

  @Test func syntaxErrorsCarryTheLine() {
    var e = Self.error(GCSFixtures.everyKindWith("\"b\": [2, 2, 0]", "\"b\": [2 2, 0]"))
    #expect(e?.line == 5)
    #expect(e?.message == "expected ']', found '2'")
    e = Self.error(GCSFixtures.everyKind + " {}")
    #expect(e?.message == "unexpected '{' after the top-level object")
    e = Self.error("{\"format\": \"osprey.gcs\"")
    #expect(e != nil)
  }

  @Test func missingFile() {
    let e = expectGCSFileError { _ = try GCSFile.read(path: "/no/such/problem.json") }
    #expect(e?.description == "/no/such/problem.json: no such file")
  }
}

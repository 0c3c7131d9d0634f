import ConicSolver
import ConvexSets
import LinearAlgebra

/// Identifies a vertex of a `GraphOfConvexSets` (its index, in insertion order).
public struct VertexID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let index: Int
  public init(_ index: Int) { self.index = index }
  public static func < (a: VertexID, b: VertexID) -> Bool { a.index < b.index }
  public var description: String { "v\(index)" }
}

/// Identifies an edge of a `GraphOfConvexSets` (its index, in insertion order).
public struct EdgeID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let index: Int
  public init(_ index: Int) { self.index = index }
  public static func < (a: EdgeID, b: EdgeID) -> Bool { a.index < b.index }
  public var description: String { "e\(index)" }
}

/// Bad input to a graph: what is wrong, naming the vertex, edge or field.
public struct GCSError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The field or object at fault (`"vertices[3].costs[0].A"`, `"edge a→b"`, …).
  public var field: String
  /// What is wrong, in words.
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field) \(message)" }
}

/// A graph of convex sets (Marcucci, Umenberger, Parrilo, Tedrake, SIAM J. Optim. 2024,
/// arXiv:2101.11565): each vertex `v` owns a convex set `X_v` and a point `x_v ∈ X_v`; a path from
/// the source to the target pays the costs of its vertices and edges at the chosen points.
///
/// ```
/// minimize   Σ_{v ∈ p} ℓ_v(x_v) + Σ_{(u,v) ∈ p} ℓ_uv(x_u, x_v)
/// over       s–t paths p and points x_v ∈ X_v,
/// subject to the vertices' and edges' constraints.
/// ```
///
/// Vertices and edges are identified by typed IDs given out in insertion order; every iteration over
/// them is in that order, so results are deterministic.
public struct GraphOfConvexSets: Sendable {
  /// A vertex: its name, set, costs and constraints.
  public struct Vertex: Sendable {
    public let name: String
    public let set: any ConvexSet
    public internal(set) var costs: [GCSCost] = []
    public internal(set) var constraints: [GCSConstraint] = []
    public internal(set) var incoming: [EdgeID] = []
    public internal(set) var outgoing: [EdgeID] = []
    /// `ambientDimension` of the set.
    public var dimension: Int { self.set.ambientDimension }
  }

  /// A directed edge `u → v`: its costs, constraints, and whether it is fixed on or off.
  public struct Edge: Sendable {
    public let from: VertexID
    public let to: VertexID
    public internal(set) var costs: [GCSCost] = []
    public internal(set) var constraints: [GCSConstraint] = []
    /// `true`: the path must use the edge; `false`: it must not; `nil`: free.
    public internal(set) var fixed: Bool? = nil
  }

  public private(set) var vertices: [Vertex] = []
  public private(set) var edges: [Edge] = []
  private var indexByName: [String: Int] = [:]

  public init() {}

  /// Number of vertices.
  public var vertexCount: Int { vertices.count }
  /// Number of edges.
  public var edgeCount: Int { edges.count }

  /// The vertex with this name, if any.
  public func vertex(named name: String) -> VertexID? { indexByName[name].map(VertexID.init) }

  /// The vertex data.
  public subscript(vertex: VertexID) -> Vertex { vertices[vertex.index] }
  /// The edge data.
  public subscript(edge: EdgeID) -> Edge { edges[edge.index] }

  /// Adds a vertex that owns `set`.
  /// - Throws: `GCSError` when the name is empty or already used.
  @discardableResult
  public mutating func addVertex(_ set: any ConvexSet, name: String) throws(GCSError) -> VertexID {
    if name.isEmpty { throw GCSError(field: "name", message: "is empty") }
    if indexByName[name] != nil { throw GCSError(field: "vertex \"\(name)\"", message: "already exists (names are unique)") }
    let id = VertexID(vertices.count)
    indexByName[name] = id.index
    vertices.append(Vertex(name: name, set: set))
    return id
  }

  /// Adds the directed edge `from → to`.
  /// - Throws: `GCSError` for unknown vertices or a self-loop.
  @discardableResult
  public mutating func addEdge(from u: VertexID, to v: VertexID) throws(GCSError) -> EdgeID {
    guard u.index >= 0, u.index < vertices.count else { throw GCSError(field: "from", message: "is not a vertex of the graph (\(u))") }
    guard v.index >= 0, v.index < vertices.count else { throw GCSError(field: "to", message: "is not a vertex of the graph (\(v))") }
    if u == v { throw GCSError(field: "edge \(vertices[u.index].name)→\(vertices[v.index].name)", message: "is a self-loop") }
    let id = EdgeID(edges.count)
    edges.append(Edge(from: u, to: v))
    vertices[u.index].outgoing.append(id)
    vertices[v.index].incoming.append(id)
    return id
  }

  /// The dimension of `z = (x_u, x_v)` on an edge.
  public func argumentDimension(of edge: EdgeID) -> Int {
    vertices[edges[edge.index].from.index].dimension + vertices[edges[edge.index].to.index].dimension
  }

  /// Adds a cost on `x_v`.
  /// - Throws: `GCSError` when the cost's dimension is not the vertex's, or it is `euclidean`.
  public mutating func addCost(_ cost: GCSCost, to v: VertexID) throws(GCSError) {
    let name = "vertex \"\(vertices[v.index].name)\""
    try Self.check(cost, dimension: vertices[v.index].dimension, euclideanAllowed: false, field: name)
    vertices[v.index].costs.append(cost)
  }

  /// Adds a cost on `(x_u, x_v)`.
  /// - Throws: `GCSError` when the cost's dimension is not `dim x_u + dim x_v` (or, for `euclidean`,
  ///   the two dimensions differ).
  public mutating func addCost(_ cost: GCSCost, to e: EdgeID) throws(GCSError) {
    let edge = edges[e.index]
    let du = vertices[edge.from.index].dimension
    let dv = vertices[edge.to.index].dimension
    let field = "edge \(vertices[edge.from.index].name)→\(vertices[edge.to.index].name)"
    if case .euclidean = cost, du != dv {
      throw GCSError(field: field, message: "has a euclidean cost but its ends have dimensions \(du) and \(dv)")
    }
    try Self.check(cost, dimension: du + dv, euclideanAllowed: true, field: field)
    edges[e.index].costs.append(cost)
  }

  /// Adds a constraint on `x_v`.
  /// - Throws: `GCSError` on a dimension mismatch or bad bounds.
  public mutating func addConstraint(_ constraint: GCSConstraint, to v: VertexID) throws(GCSError) {
    try Self.check(constraint, dimension: vertices[v.index].dimension, field: "vertex \"\(vertices[v.index].name)\"")
    vertices[v.index].constraints.append(constraint)
  }

  /// Adds a constraint on `(x_u, x_v)`.
  /// - Throws: `GCSError` on a dimension mismatch or bad bounds.
  public mutating func addConstraint(_ constraint: GCSConstraint, to e: EdgeID) throws(GCSError) {
    let edge = edges[e.index]
    try Self.check(
      constraint, dimension: argumentDimension(of: e),
      field: "edge \(vertices[edge.from.index].name)→\(vertices[edge.to.index].name)")
    edges[e.index].constraints.append(constraint)
  }

  /// Fixes an edge on (`true`: every path must use it), off (`false`), or frees it (`nil`).
  public mutating func fixEdge(_ e: EdgeID, _ value: Bool?) {
    edges[e.index].fixed = value
  }

  private static func check(_ cost: GCSCost, dimension: Int, euclideanAllowed: Bool, field: String) throws(GCSError) {
    switch cost {
    case .euclidean:
      if !euclideanAllowed { throw GCSError(field: field, message: "has a euclidean cost, which is for edges only") }
    case .l2Norm(let A, let b), .l1Norm(let A, let b), .lInfNorm(let A, let b):
      if A.columnCount != dimension { throw GCSError(field: field, message: "has a norm cost with A of \(A.columnCount) columns, expected \(dimension)") }
      if b.count != A.rowCount { throw GCSError(field: field, message: "has a norm cost with b of length \(b.count), expected \(A.rowCount)") }
      if !(A.elements + b).allSatisfy(\.isFinite) { throw GCSError(field: field, message: "has a norm cost with non-finite data") }
    case .linear(let a, let b):
      if a.count != dimension { throw GCSError(field: field, message: "has a linear cost with a of length \(a.count), expected \(dimension)") }
      if !(a + [b]).allSatisfy(\.isFinite) { throw GCSError(field: field, message: "has a linear cost with non-finite data") }
    case .quadratic(let Q, let q, let c):
      if Q.rowCount != dimension || Q.columnCount != dimension {
        throw GCSError(field: field, message: "has a quadratic cost with Q of size \(Q.rowCount)×\(Q.columnCount), expected \(dimension)×\(dimension)")
      }
      if q.count != dimension { throw GCSError(field: field, message: "has a quadratic cost with q of length \(q.count), expected \(dimension)") }
      if !(Q.elements + q + [c]).allSatisfy(\.isFinite) { throw GCSError(field: field, message: "has a quadratic cost with non-finite data") }
      for i in 0..<dimension {
        for j in 0..<i where abs(Q[i, j] - Q[j, i]) > 1e-9 * max(1, abs(Q[i, j])) {
          throw GCSError(field: field, message: "has a quadratic cost whose Q is not symmetric (Q[\(i)][\(j)] = \(Q[i, j]), Q[\(j)][\(i)] = \(Q[j, i]))")
        }
      }
      if dimension > 0, let eig = try? SymmetricEigendecomposition(Q), let smallest = eig.eigenvalues.min(),
        smallest < -1e-9 * max(1, Q.maxAbsoluteEntry)
      {
        throw GCSError(field: field, message: "has a quadratic cost whose Q is not positive semidefinite (eigenvalue \(smallest))")
      }
    }
  }

  private static func check(_ constraint: GCSConstraint, dimension: Int, field: String) throws(GCSError) {
    switch constraint {
    case .linearEquality(let A, let b):
      if A.columnCount != dimension { throw GCSError(field: field, message: "has a linear equality with A of \(A.columnCount) columns, expected \(dimension)") }
      if b.count != A.rowCount { throw GCSError(field: field, message: "has a linear equality with b of length \(b.count), expected \(A.rowCount)") }
      if !(A.elements + b).allSatisfy(\.isFinite) { throw GCSError(field: field, message: "has a linear equality with non-finite data") }
    case .linearInequality(let A, let lb, let ub):
      if A.columnCount != dimension { throw GCSError(field: field, message: "has a linear inequality with A of \(A.columnCount) columns, expected \(dimension)") }
      if lb.count != A.rowCount || ub.count != A.rowCount {
        throw GCSError(field: field, message: "has a linear inequality with lb/ub of lengths \(lb.count)/\(ub.count), expected \(A.rowCount)")
      }
      if !A.elements.allSatisfy(\.isFinite) || lb.contains(where: \.isNaN) || ub.contains(where: \.isNaN) {
        throw GCSError(field: field, message: "has a linear inequality with NaN or non-finite A")
      }
      for i in lb.indices where lb[i] > ub[i] {
        throw GCSError(field: field, message: "has a linear inequality with lb[\(i)] = \(lb[i]) above ub[\(i)] = \(ub[i])")
      }
    }
  }
}

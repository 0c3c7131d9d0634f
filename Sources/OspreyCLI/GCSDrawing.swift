import ConvexSets
import Foundation
import GraphsOfConvexSets

/// Why a problem cannot be drawn (a set that is not 2-D, an unbounded ellipsoid).
public struct GCSDrawError: Error, Sendable, Equatable {
  /// What is wrong, in words, naming the vertex.
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// SVG pictures of 2-D GCS problems and their solutions (`osprey gcs draw`).
///
/// Every vertex's set is one element of class `set` (a `rect`, `polygon`, `ellipse` or `circle`, with
/// `data-vertex` naming the vertex); a product of 2-D sets (a segment maze's cell) draws each distinct
/// factor. Edges are `line`s of class `edge` between the sets' centres (one per connected pair); the
/// path is a `polyline` of class `path`; the source and target are `circle`s of class `source` and
/// `target`. World coordinates map to pixels with the y axis up, at a scale that makes the larger side
/// `targetSizePixels` wide (20 px per cell for a 50×50 maze). Unbounded H-polyhedra are clipped to the
/// view of everything bounded.
public enum GCSDrawing {
  /// The larger side of the picture, in pixels (margins included).
  public static let targetSizePixels = 1000.0

  /// The SVG text of `problem`, with the path of `solution` when given.
  ///
  /// - Throws: `GCSDrawError` when a vertex's set is not 2-D (nor a product of 2-D sets), or is an
  ///   unbounded ellipsoid.
  public static func svg(problem: GCSFile, solution: GCSSolution?) throws(GCSDrawError) -> String {
    let g = problem.graph
    var shapes: [[Shape]] = []
    for vertex in g.vertices { shapes.append(try planarShapes(of: vertex.set, vertex: vertex.name)) }

    // Path points: 2-D points as they are; 2k-D points (segments) as k points.
    var pathPoints: [[Double]] = []
    if let solution {
      for name in solution.path {
        guard let x = solution.points[name], x.count >= 2, x.count % 2 == 0, x.allSatisfy(\.isFinite) else { continue }
        for k in stride(from: 0, to: x.count, by: 2) { pathPoints.append([x[k], x[k + 1]]) }
      }
    }

    // The view: everything bounded, then unbounded polyhedra clipped to it.
    let huge = 1e6
    var resolved: [[Shape]] = shapes.map { $0.map { $0.clippedIfHalfPlanes(to: Box(-huge, -huge, huge, huge)) } }
    var view = Box.empty
    for (k, list) in resolved.enumerated() {
      for (j, shape) in list.enumerated() {
        if let box = shape.boundingBox, box.maxAbs < 0.999 * huge {
          view.formUnion(box)
        } else {
          resolved[k][j] = shapes[k][j]  // unbounded: clip later
        }
      }
    }
    for p in pathPoints { view.formUnion(Box(p[0], p[1], p[0], p[1])) }
    if view.isEmpty { view = Box(-1, -1, 1, 1) }
    // An unbounded polyhedron that misses the view: grow the view (×1.5 about its centre) until it
    // meets the polyhedron, and take in that part.
    for list in resolved {
      for case .halfPlanes(let planes) in list {
        var grown = view.width + view.height > 0 ? view : view.padded(by: 1, 1)
        for _ in 0..<60 {
          let polygon = clip(grown.corners, planes)
          if !polygon.isEmpty {
            // Prefer the part beside the view (within its columns or its rows) to widening it both ways.
            let columns = clip(polygon, [HalfPlane(a: [1, 0], b: view.maxX), HalfPlane(a: [-1, 0], b: -view.minX)])
            let rows = clip(polygon, [HalfPlane(a: [0, 1], b: view.maxY), HalfPlane(a: [0, -1], b: -view.minY)])
            let part = [columns, rows, polygon].first { !$0.isEmpty }!
            view.formUnion(Shape.polygon(part).boundingBox!)
            break
          }
          grown = grown.padded(by: 0.25 * grown.width, 0.25 * grown.height)
        }
      }
    }
    var extent = max(view.width, view.height)
    if extent == 0 { extent = 1 }
    view = view.padded(by: 0.04 * extent, 0.04 * extent)
    resolved = resolved.map { $0.map { $0.clippedIfHalfPlanes(to: view) } }

    let scale = targetSizePixels / max(view.width, view.height)
    let width = view.width * scale
    let height = view.height * scale
    func px(_ p: [Double]) -> (Double, Double) { ((p[0] - view.minX) * scale, (view.maxY - p[1]) * scale) }
    func f(_ x: Double) -> String { String(format: "%.2f", x) }

    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))">
      <rect class="background" x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
      <g id="sets" fill="#dbe9f6" fill-opacity="0.8" stroke="#9fb7cc" stroke-width="1">

      """
    for (k, list) in resolved.enumerated() {
      let name = "data-vertex=\"\(xmlEscaped(g.vertices[k].name))\""
      for shape in list { out += element(shape, "class=\"set\" \(name)", view: view, scale: scale) }
    }
    out += "</g>\n<g id=\"edges\" stroke=\"#c3cfda\" stroke-width=\"1\">\n"
    let centres = resolved.map { $0.first?.center }
    var drawn = Set<[Int]>()
    for edge in g.edges {
      let pair = [min(edge.from.index, edge.to.index), max(edge.from.index, edge.to.index)]
      guard drawn.insert(pair).inserted, let a = centres[edge.from.index], let b = centres[edge.to.index] else { continue }
      let (x1, y1) = px(a)
      let (x2, y2) = px(b)
      out += "<line class=\"edge\" x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\"/>\n"
    }
    out += "</g>\n"
    let walls = Self.walls(boxes: resolved.map { $0.count == 1 ? $0[0] : nil }, connected: drawn)
    if !walls.isEmpty {
      out += "<g id=\"walls\" stroke=\"#1b2a38\" stroke-width=\"3\" stroke-linecap=\"square\">\n"
      for wall in walls {
        let (x1, y1) = px(wall[0])
        let (x2, y2) = px(wall[1])
        out += "<line class=\"wall\" x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\"/>\n"
      }
      out += "</g>\n"
    }
    if !pathPoints.isEmpty {
      let points = pathPoints.map { let (x, y) = px($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
      out += "<g id=\"path\">\n<polyline class=\"path\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"3\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"\(points)\"/>\n</g>\n"
    }
    out += "<g id=\"terminals\" font-family=\"sans-serif\" font-size=\"14\">\n"
    for (v, kind, colour) in [(problem.source, "source", "#2ca02c"), (problem.target, "target", "#1f77b4")] {
      guard let c = centres[v.index] else { continue }
      let (x, y) = px(c)
      out += "<circle class=\"\(kind)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"7\" fill=\"\(colour)\" stroke=\"black\"/>\n"
      out += "<text x=\"\(f(x + 9))\" y=\"\(f(y - 9))\">\(xmlEscaped(g[v].name))</text>\n"
    }
    out += "</g>\n</svg>\n"
    return out
  }

  /// Walls: sides shared exactly by two boxes whose vertices no edge joins (a maze's closed walls).
  ///
  /// - Complexity: O(boxes + walls), with hashing on the sides' coordinates.
  static func walls(boxes: [Shape?], connected: Set<[Int]>) -> [[[Double]]] {
    var rightSides: [[Double]: Int] = [:]
    var topSides: [[Double]: Int] = [:]
    for (k, shape) in boxes.enumerated() {
      guard case .box(let b)? = shape else { continue }
      rightSides[[b.maxX, b.minY, b.maxY]] = k
      topSides[[b.maxY, b.minX, b.maxX]] = k
    }
    var walls: [[[Double]]] = []
    for (k, shape) in boxes.enumerated() {
      guard case .box(let b)? = shape else { continue }
      if let left = rightSides[[b.minX, b.minY, b.maxY]], left != k, !connected.contains([min(k, left), max(k, left)]) {
        walls.append([[b.minX, b.minY], [b.minX, b.maxY]])
      }
      if let below = topSides[[b.minY, b.minX, b.maxX]], below != k, !connected.contains([min(k, below), max(k, below)]) {
        walls.append([[b.minX, b.minY], [b.maxX, b.minY]])
      }
    }
    return walls
  }

  // MARK: - Shapes

  /// An axis-aligned box in world coordinates.
  struct Box: Equatable {
    var minX, minY, maxX, maxY: Double
    init(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) {
      (self.minX, self.minY, self.maxX, self.maxY) = (minX, minY, maxX, maxY)
    }
    static let empty = Box(.infinity, .infinity, -.infinity, -.infinity)
    var isEmpty: Bool { minX > maxX || minY > maxY }
    var width: Double { maxX - minX }
    var height: Double { maxY - minY }
    var maxAbs: Double { max(abs(minX), abs(minY), abs(maxX), abs(maxY)) }
    mutating func formUnion(_ b: Box) {
      minX = min(minX, b.minX)
      minY = min(minY, b.minY)
      maxX = max(maxX, b.maxX)
      maxY = max(maxY, b.maxY)
    }
    func padded(by dx: Double, _ dy: Double) -> Box { Box(minX - dx, minY - dy, maxX + dx, maxY + dy) }
    var corners: [[Double]] { [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY]] }
  }

  /// `a·x ≤ b` in the plane.
  struct HalfPlane: Equatable {
    var a: [Double]
    var b: Double
  }

  /// What one 2-D set is drawn as.
  /// The SVG element of `shape` in a picture of `view` (world y up, SVG y down) at `scale` pixels per
  /// unit, with `attributes` (class, data-*) first. Half-planes must be clipped to polygons first.
  static func element(_ shape: Shape, _ attributes: String, view: Box, scale: Double) -> String {
    func px(_ p: [Double]) -> (Double, Double) { ((p[0] - view.minX) * scale, (view.maxY - p[1]) * scale) }
    func f(_ x: Double) -> String { String(format: "%.2f", x) }
    switch shape {
    case .point(let p):
      let (x, y) = px(p)
      return "<circle \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\"/>\n"
    case .box(let b):
      let (x, y) = px([b.minX, b.maxY])
      return "<rect \(attributes) x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(b.width * scale))\" height=\"\(f(b.height * scale))\"/>\n"
    case .polygon(let vertices):
      let points = vertices.map { let (x, y) = px($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
      return "<polygon \(attributes) points=\"\(points)\"/>\n"
    case .ellipse(let center, let radii, let angle):
      let (x, y) = px(center)
      // The y flip turns a counter-clockwise world angle into a clockwise SVG one.
      return "<ellipse \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" rx=\"\(f(radii[0] * scale))\" ry=\"\(f(radii[1] * scale))\" transform=\"rotate(\(f(-angle * 180 / .pi)) \(f(x)) \(f(y)))\"/>\n"
    case .halfPlanes:
      preconditionFailure("GCSDrawing: half-planes left unclipped")
    }
  }

  enum Shape: Equatable {
    case point([Double])
    case box(Box)
    /// Vertices in order around the boundary.
    case polygon([[Double]])
    /// Semi-axes `radii[0]` along the direction at `angle` (radians, counter-clockwise from +x) and
    /// `radii[1]` across it.
    case ellipse(center: [Double], radii: [Double], angle: Double)
    /// An H-polyhedron or intersection, turned into a polygon once the view is known.
    case halfPlanes([HalfPlane])

    func clippedIfHalfPlanes(to box: Box) -> Shape {
      guard case .halfPlanes(let planes) = self else { return self }
      return .polygon(GCSDrawing.clip(box.corners, planes))
    }

    var boundingBox: Box? {
      switch self {
      case .point(let p): return Box(p[0], p[1], p[0], p[1])
      case .box(let b): return b
      case .polygon(let vertices):
        guard !vertices.isEmpty else { return nil }
        var b = Box.empty
        for v in vertices { b.formUnion(Box(v[0], v[1], v[0], v[1])) }
        return b
      case .ellipse(let c, let r, let angle):
        let wx = ((r[0] * cos(angle)) * (r[0] * cos(angle)) + (r[1] * sin(angle)) * (r[1] * sin(angle))).squareRoot()
        let wy = ((r[0] * sin(angle)) * (r[0] * sin(angle)) + (r[1] * cos(angle)) * (r[1] * cos(angle))).squareRoot()
        return Box(c[0] - wx, c[1] - wy, c[0] + wx, c[1] + wy)
      case .halfPlanes: return nil
      }
    }

    /// A representative point: the centre (vertex average for a polygon).
    var center: [Double]? {
      switch self {
      case .point(let p): return p
      case .box(let b): return [0.5 * (b.minX + b.maxX), 0.5 * (b.minY + b.maxY)]
      case .polygon(let vertices):
        guard !vertices.isEmpty else { return nil }
        let n = Double(vertices.count)
        return [vertices.reduce(0) { $0 + $1[0] } / n, vertices.reduce(0) { $0 + $1[1] } / n]
      case .ellipse(let c, _, _): return c
      case .halfPlanes: return nil
      }
    }
  }

  /// The shapes of a vertex's set: one for a 2-D set, one per distinct factor of a product of 2-D sets.
  static func planarShapes(of set: any ConvexSet, vertex: String) throws(GCSDrawError) -> [Shape] {
    if set.ambientDimension == 2 { return [try planarShape(of: set, vertex: vertex)] }
    if let product = set as? CartesianProduct, product.sets.allSatisfy({ $0.ambientDimension == 2 }) {
      var shapes: [Shape] = []
      for factor in product.sets {
        let shape = try planarShape(of: factor, vertex: vertex)
        if !shapes.contains(shape) { shapes.append(shape) }
      }
      return shapes
    }
    throw GCSDrawError(
      "cannot draw: vertex \"\(vertex)\" has a set of dimension \(set.ambientDimension) (\(set.description)); "
        + "draw needs 2-D sets, or products of 2-D sets (as segment mazes)")
  }

  static func planarShape(of set: any ConvexSet, vertex: String) throws(GCSDrawError) -> Shape {
    if let p = set as? Point { return .point(p.x) }
    if let b = set as? Hyperrectangle { return .box(Box(b.lb[0], b.lb[1], b.ub[0], b.ub[1])) }
    if let e = set as? Hyperellipsoid { return try ellipse(e, vertex: vertex) }
    if let v = set as? VPolytope {
      let hull = convexHull(v.points)
      return hull.count == 1 ? .point(hull[0]) : .polygon(hull)
    }
    if let i = set as? Intersection {
      for member in i.sets { if let p = member as? Point { return .point(p.x) } }
    }
    return .halfPlanes(try halfPlanes(of: set, vertex: vertex))
  }

  /// The ellipse `{x : ‖A(x − c)‖ ≤ 1}`: with `M = AᵀA = λ₁u₁u₁ᵀ + λ₂u₂u₂ᵀ`, semi-axes `1/√λᵢ` along `uᵢ`.
  static func ellipse(_ e: Hyperellipsoid, vertex: String) throws(GCSDrawError) -> Shape {
    var p = 0.0, q = 0.0, r = 0.0
    for i in 0..<e.A.rowCount {
      p += e.A[i, 0] * e.A[i, 0]
      q += e.A[i, 0] * e.A[i, 1]
      r += e.A[i, 1] * e.A[i, 1]
    }
    let mean = 0.5 * (p + r)
    let spread = (0.25 * (p - r) * (p - r) + q * q).squareRoot()
    let (large, small) = (mean + spread, mean - spread)
    guard small > 1e-12 * max(large, 1e-300) else {
      throw GCSDrawError("cannot draw: vertex \"\(vertex)\" is an unbounded ellipsoid (its A has rank < 2)")
    }
    // 0.5·atan2(2q, p − r) is the direction of the eigenvector of the larger eigenvalue (shorter axis).
    return .ellipse(center: e.center, radii: [1 / large.squareRoot(), 1 / small.squareRoot()], angle: 0.5 * atan2(2 * q, p - r))
  }

  /// Half-planes whose intersection is the set (an outer 64-gon for an ellipse).
  static func halfPlanes(of set: any ConvexSet, vertex: String) throws(GCSDrawError) -> [HalfPlane] {
    if let h = set as? HPolyhedron {
      return (0..<h.A.rowCount).map { HalfPlane(a: [h.A[$0, 0], h.A[$0, 1]], b: h.b[$0]) }
    }
    if let b = set as? Hyperrectangle {
      return [
        HalfPlane(a: [1, 0], b: b.ub[0]), HalfPlane(a: [-1, 0], b: -b.lb[0]),
        HalfPlane(a: [0, 1], b: b.ub[1]), HalfPlane(a: [0, -1], b: -b.lb[1]),
      ]
    }
    if let p = set as? Point { return pointHalfPlanes(p.x) }
    if let v = set as? VPolytope {
      let hull = convexHull(v.points)
      if hull.count == 1 { return pointHalfPlanes(hull[0]) }
      if hull.count == 2 {
        let d = [hull[1][0] - hull[0][0], hull[1][1] - hull[0][1]]
        let n = [-d[1], d[0]]
        func dot(_ u: [Double], _ w: [Double]) -> Double { u[0] * w[0] + u[1] * w[1] }
        return [
          HalfPlane(a: n, b: dot(n, hull[0])), HalfPlane(a: [-n[0], -n[1]], b: -dot(n, hull[0])),
          HalfPlane(a: d, b: dot(d, hull[1])), HalfPlane(a: [-d[0], -d[1]], b: -dot(d, hull[0])),
        ]
      }
      return (0..<hull.count).map { k in
        let (u, w) = (hull[k], hull[(k + 1) % hull.count])
        // Counter-clockwise hull: the outward normal of edge u→w is (w − u) turned clockwise.
        let a = [w[1] - u[1], -(w[0] - u[0])]
        return HalfPlane(a: a, b: a[0] * u[0] + a[1] * u[1])
      }
    }
    if let e = set as? Hyperellipsoid {
      guard case .ellipse(let c, let r, let angle) = try ellipse(e, vertex: vertex) else { return [] }
      let (ca, sa) = (cos(angle), sin(angle))
      return (0..<64).map { k in
        let phi = 2 * Double.pi * Double(k) / 64
        // Outward normal at the boundary point c + R(angle)(r₀cos φ, r₁sin φ).
        let local = [cos(phi) / r[0], sin(phi) / r[1]]
        let n = [ca * local[0] - sa * local[1], sa * local[0] + ca * local[1]]
        let pLocal = [r[0] * cos(phi), r[1] * sin(phi)]
        let point = [c[0] + ca * pLocal[0] - sa * pLocal[1], c[1] + sa * pLocal[0] + ca * pLocal[1]]
        return HalfPlane(a: n, b: n[0] * point[0] + n[1] * point[1])
      }
    }
    if let i = set as? Intersection {
      var planes: [HalfPlane] = []
      for member in i.sets { planes += try halfPlanes(of: member, vertex: vertex) }
      return planes
    }
    throw GCSDrawError("cannot draw: vertex \"\(vertex)\" has a set this drawing does not know (\(set.description))")
  }

  static func pointHalfPlanes(_ p: [Double]) -> [HalfPlane] {
    [
      HalfPlane(a: [1, 0], b: p[0]), HalfPlane(a: [-1, 0], b: -p[0]),
      HalfPlane(a: [0, 1], b: p[1]), HalfPlane(a: [0, -1], b: -p[1]),
    ]
  }

  /// Sutherland–Hodgman: the convex polygon `polygon` cut by each half-plane in turn (a small 2-D vertex
  /// enumeration of `{x : a·x ≤ b}` within a box).
  ///
  /// - Complexity: O(planes · vertices).
  static func clip(_ polygon: [[Double]], _ planes: [HalfPlane]) -> [[Double]] {
    var current = polygon
    for plane in planes {
      guard !current.isEmpty else { break }
      let scale = max(abs(plane.a[0]), abs(plane.a[1]), 1e-300)
      func slack(_ p: [Double]) -> Double { (plane.b - plane.a[0] * p[0] - plane.a[1] * p[1]) / scale }
      var next: [[Double]] = []
      for k in current.indices {
        let (u, w) = (current[k], current[(k + 1) % current.count])
        let (su, sw) = (slack(u), slack(w))
        if su >= 0 { next.append(u) }
        if (su > 0 && sw < 0) || (su < 0 && sw > 0) {
          let t = su / (su - sw)
          next.append([u[0] + t * (w[0] - u[0]), u[1] + t * (w[1] - u[1])])
        }
      }
      current = next
    }
    return current
  }

  /// The convex hull, counter-clockwise, without collinear points (Andrew's monotone chain).
  static func convexHull(_ points: [[Double]]) -> [[Double]] {
    let sorted = Array(Set(points)).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
    if sorted.count <= 2 { return sorted }
    func cross(_ o: [Double], _ a: [Double], _ b: [Double]) -> Double {
      (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    }
    var lower: [[Double]] = []
    for p in sorted {
      while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
      lower.append(p)
    }
    var upper: [[Double]] = []
    for p in sorted.reversed() {
      while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
      upper.append(p)
    }
    return Array(lower.dropLast() + upper.dropLast())
  }

  /// Text for an XML attribute or element.
  static func xmlEscaped(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(c)
      }
    }
    return out
  }
}

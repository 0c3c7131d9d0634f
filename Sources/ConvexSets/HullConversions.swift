import LinearAlgebra

// Conversions between the vertex and half-space representations in dimensions 1 to 3: convex
// hulls (monotone chain in the plane, an incremental hull in space) and vertex enumeration
// (intersections of facet lines or planes). Above three dimensions both grow combinatorially and
// need exact or carefully perturbed arithmetic (cdd, qhull); they are not provided.

extension HPolyhedron {
  /// The half-space representation of the convex hull of a V-polytope's points (its facets), in
  /// dimensions 1 to 3.
  ///
  /// - 1-D: `x ≤ max`, `−x ≤ −min`.
  /// - 2-D: Andrew's monotone chain (Andrew, Inf. Proc. Letters 1979,
  ///   doi:10.1016/0020-0190(79)90072-3), then one row per edge of the counter-clockwise hull.
  /// - 3-D: an incremental hull (each point outside the current hull replaces the faces it sees by
  ///   a fan over their horizon), then coplanar triangles merged into one row per facet.
  ///
  /// Rows have unit norm, `‖aᵢ‖ = 1`, and point outwards. With `D` the diameter of the points'
  /// bounding box, points within `tolerance · D` of a facet's plane count as on it (collinear and
  /// coplanar points are dropped, coplanar triangles merged).
  ///
  /// - Throws: `ConvexSetError` (field `"vertices"`) when the dimension exceeds 3, or the hull is
  ///   degenerate: lower-dimensional (all points on one point, line or plane within `tolerance · D`),
  ///   since such a hull has no facets that bound it in every direction.
  /// - Complexity: O(p log p) in 1-D and 2-D; O(p · f) in 3-D, `f` the number of hull faces
  ///   (O(p²) at worst).
  public init(_ vPolytope: VPolytope, tolerance: Double = 1e-9) throws(ConvexSetError) {
    precondition(tolerance > 0 && tolerance < 1, "HPolyhedron(VPolytope): tolerance \(tolerance) must be in (0, 1)")
    let n = vPolytope.ambientDimension
    let points = vPolytope.points
    switch n {
    case 1:
      let values = points.map { $0[0] }
      let low = values.min()!
      let high = values.max()!
      if high - low <= tolerance * max(abs(low), abs(high)) || high == low {
        throw ConvexSetError(field: "vertices", message: "span a single point (\(low)); the hull is degenerate (0-dimensional in ℝ¹)")
      }
      try self.init(A: Matrix(rows: [[1], [-1]]), b: [high, -low])
    case 2:
      let diameter = boundingDiameter(points)
      let hull = monotoneChain(points, distanceTolerance: tolerance * diameter)
      if hull.count < 3 {
        throw ConvexSetError(
          field: "vertices",
          message: "lie on one line within \(tolerance) × diameter; the hull is degenerate (lower-dimensional in ℝ²)")
      }
      var rows: [[Double]] = []
      var rhs: [Double] = []
      for k in hull.indices {
        let p = hull[k]
        let q = hull[(k + 1) % hull.count]
        var normal = [q[1] - p[1], p[0] - q[0]]
        let length = normal.norm2
        normal = normal.scaled(by: 1 / length)
        rows.append(normal)
        rhs.append(normal.dot(p))
      }
      try self.init(A: Matrix(rows: rows), b: rhs)
    case 3:
      let facets = try convexHullFacets3D(points, tolerance: tolerance)
      try self.init(A: Matrix(rows: facets.map(\.normal)), b: facets.map(\.offset))
    default:
      throw ConvexSetError(
        field: "vertices",
        message: "have dimension \(n); HPolyhedron(VPolytope) computes convex hulls in dimensions 1 to 3 only")
    }
  }
}

extension VPolytope {
  /// The vertices of a bounded H-polyhedron, in dimensions 1 to 3.
  ///
  /// Every pair (2-D) or triple (3-D) of rows whose lines or planes meet in one point
  /// (`|det| > 1e-10` after scaling rows to unit norm) gives a candidate; candidates that satisfy
  /// every row within `tolerance · max(1, ‖v‖∞)` are vertices, and candidates that close are merged.
  /// In 2-D the vertices come counter-clockwise, starting from the lexicographically smallest; in
  /// 1-D and 3-D in lexicographic order. A polyhedron with empty interior (a segment, a flat
  /// polygon) still gets its vertices.
  ///
  /// - Throws: `ConvexSetError` (field `"A"`) when the dimension exceeds 3, or the polyhedron is
  ///   unbounded or empty.
  /// - Complexity: two LPs (emptiness and boundedness), then O(m²·m) in 2-D and O(m³·m) in 3-D;
  ///   remove redundant rows first (`removingRedundantInequalities()`) when `m` is large.
  public init(_ hPolyhedron: HPolyhedron, tolerance: Double = 1e-9) throws(ConvexSetError) {
    precondition(tolerance > 0 && tolerance < 1, "VPolytope(HPolyhedron): tolerance \(tolerance) must be in (0, 1)")
    let n = hPolyhedron.ambientDimension
    if n > 3 {
      throw ConvexSetError(
        field: "A", message: "has \(n) columns; VPolytope(HPolyhedron) enumerates vertices in dimensions 1 to 3 only")
    }
    let unit = hPolyhedron.unitRows()
    for i in unit.zeroRows where hPolyhedron.b[i] < 0 {
      throw ConvexSetError(field: "b[\(i)]", message: "is \(hPolyhedron.b[i]) on the zero row A[\(i)]: the polyhedron is empty")
    }
    if hPolyhedron.isEmpty() {
      throw ConvexSetError(field: "A", message: "and b describe an empty polyhedron; it has no vertices")
    }
    if !hPolyhedron.recessionConeIsTrivial(unit.rows) {
      throw ConvexSetError(field: "A", message: "and b describe an unbounded polyhedron; it is not the hull of finitely many points")
    }
    let rows = unit.rows
    let m = rows.count
    func feasible(_ v: [Double]) -> Bool {
      let slack = tolerance * max(1, v.normInf)
      for row in rows where row.a.dot(v) - row.b > slack { return false }
      return true
    }
    var found: [[Double]] = []
    func record(_ v: [Double]) {
      guard v.allSatisfy(\.isFinite), feasible(v) else { return }
      let merge = 10 * tolerance * max(1, v.normInf)
      for w in found {
        var close = true
        for c in 0..<n where abs(v[c] - w[c]) > merge {
          close = false
          break
        }
        if close { return }
      }
      found.append(v)
    }
    switch n {
    case 1:
      for row in rows { record([row.b / row.a[0]]) }
    case 2:
      for i in 0..<m {
        for j in (i + 1)..<m {
          let a = rows[i].a
          let c = rows[j].a
          let det = a[0] * c[1] - a[1] * c[0]
          if abs(det) <= 1e-10 { continue }
          record([(rows[i].b * c[1] - a[1] * rows[j].b) / det, (a[0] * rows[j].b - rows[i].b * c[0]) / det])
        }
      }
    default:
      for i in 0..<m {
        for j in (i + 1)..<m {
          for k in (j + 1)..<m {
            let (a1, a2, a3) = (rows[i].a, rows[j].a, rows[k].a)
            let c23 = crossProduct(a2, a3)
            let det = a1.dot(c23)
            if abs(det) <= 1e-10 { continue }
            // Cramer: v = (b₁ (a₂×a₃) + b₂ (a₃×a₁) + b₃ (a₁×a₂)) / det.
            let c31 = crossProduct(a3, a1)
            let c12 = crossProduct(a1, a2)
            var v = c23.scaled(by: rows[i].b)
            v.axpy(rows[j].b, c31)
            v.axpy(rows[k].b, c12)
            record(v.scaled(by: 1 / det))
          }
        }
      }
    }
    // A bounded, non-empty polyhedron has a vertex; none means rounding defeated the tests.
    if found.isEmpty {
      throw ConvexSetError(field: "A", message: "vertex enumeration found no vertex within tolerance \(tolerance)")
    }
    let ordered: [[Double]]
    if n == 2 {
      let chain = monotoneChain(found, distanceTolerance: 0)
      ordered = chain.isEmpty ? found : chain
    } else {
      ordered = found.sorted { $0.lexicographicallyPrecedes($1) }
    }
    try self.init(points: ordered)
  }

  /// The same hull with the points that are not extreme (inside the hull of the others, or
  /// repeated) removed.
  ///
  /// In 1-D the two extreme values; in 2-D the monotone chain (counter-clockwise order); otherwise
  /// one LP per candidate point (the ∞-norm distance from the point to the hull of the others, in
  /// coordinates centred on the points' mean and scaled by their bounding-box diameter `D`), after
  /// the 3-D hull has removed most interior points when it applies. A point closer than
  /// `tolerance · D` to the hull of the others is dropped.
  /// - Complexity: O(p log p) in 1-D and 2-D; otherwise up to `p` LPs with `p` variables each.
  public func minimalRepresentation(tolerance: Double = 1e-8) -> VPolytope {
    precondition(tolerance > 0 && tolerance < 1, "minimalRepresentation: tolerance \(tolerance) must be in (0, 1)")
    let n = ambientDimension
    let all = points
    let diameter = boundingDiameter(all)
    if diameter == 0 { return try! VPolytope(points: [all[0]]) }
    switch n {
    case 1:
      let values = all.map { $0[0] }
      return try! VPolytope(points: [[values.min()!], [values.max()!]])
    case 2:
      let chain = monotoneChain(all, distanceTolerance: tolerance * diameter)
      return try! VPolytope(points: chain)
    default:
      var candidates = all
      if n == 3, let facets = try? convexHullFacets3D(all, tolerance: tolerance) {
        // Only points on some facet plane can be extreme; the LPs below settle which of them are.
        candidates = all.filter { p in facets.contains { abs($0.normal.dot(p) - $0.offset) <= tolerance * diameter } }
      }
      // Centre and scale, then drop repeats.
      var mean = [Double](repeating: 0, count: n)
      for p in candidates { mean.axpy(1 / Double(candidates.count), p) }
      var scaled: [[Double]] = []
      var originals: [[Double]] = []
      for p in candidates {
        let s = (0..<n).map { (p[$0] - mean[$0]) / diameter }
        if scaled.contains(where: { q in zip(q, s).allSatisfy { abs($0 - $1) <= tolerance } }) { continue }
        scaled.append(s)
        originals.append(p)
      }
      var index = 0
      while index < scaled.count && scaled.count > 1 {
        var others = scaled
        others.remove(at: index)
        if let hull = try? VPolytope(points: others), hull.distanceToHull(scaled[index]) <= tolerance {
          scaled.remove(at: index)
          originals.remove(at: index)
        } else {
          index += 1
        }
      }
      return try! VPolytope(points: originals)
    }
  }
}

// MARK: - Planar and spatial hull kernels

/// The length of the diagonal of the points' bounding box.
func boundingDiameter(_ points: [[Double]]) -> Double {
  guard let n = points.first?.count else { return 0 }
  var squared = 0.0
  for i in 0..<n {
    var low = Double.infinity
    var high = -Double.infinity
    for p in points {
      low = min(low, p[i])
      high = max(high, p[i])
    }
    squared += (high - low) * (high - low)
  }
  return squared.squareRoot()
}

/// The counter-clockwise convex hull of planar points, starting from the lexicographically
/// smallest; points within `distanceTolerance` of the line through their neighbours are dropped.
/// Returns one point when all coincide, two when all are collinear.
func monotoneChain(_ points: [[Double]], distanceTolerance: Double) -> [[Double]] {
  let sorted = points.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
  var unique: [[Double]] = []
  for p in sorted where unique.last.map({ $0 != p }) ?? true { unique.append(p) }
  if unique.count <= 2 { return unique }
  /// Whether `o → a → b` turns counter-clockwise with `a` farther than the tolerance from the line
  /// `o b` (the chain keeps `a` only then).
  func turnsLeft(_ o: [Double], _ a: [Double], _ b: [Double]) -> Bool {
    let cross = (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    let base = ((b[0] - o[0]) * (b[0] - o[0]) + (b[1] - o[1]) * (b[1] - o[1])).squareRoot()
    return cross > distanceTolerance * base && cross > 0
  }
  var lower: [[Double]] = []
  for p in unique {
    while lower.count >= 2 && !turnsLeft(lower[lower.count - 2], lower[lower.count - 1], p) { lower.removeLast() }
    lower.append(p)
  }
  var upper: [[Double]] = []
  for p in unique.reversed() {
    while upper.count >= 2 && !turnsLeft(upper[upper.count - 2], upper[upper.count - 1], p) { upper.removeLast() }
    upper.append(p)
  }
  lower.removeLast()
  upper.removeLast()
  return lower + upper
}

func crossProduct(_ a: [Double], _ b: [Double]) -> [Double] {
  [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

/// One facet plane of a 3-D hull: `normalᵀx ≤ offset`, `‖normal‖ = 1`, pointing outwards.
struct HullFacet {
  var normal: [Double]
  var offset: Double
}

/// The facet planes of the convex hull of 3-D points (incremental algorithm, then coplanar
/// triangles merged).
func convexHullFacets3D(_ points: [[Double]], tolerance: Double) throws(ConvexSetError) -> [HullFacet] {
  let diameter = boundingDiameter(points)
  let eps = tolerance * diameter
  func distance(_ a: [Double], _ b: [Double]) -> Double {
    var d = a
    d.axpy(-1, b)
    return d.norm2
  }
  func minus(_ a: [Double], _ b: [Double]) -> [Double] { [a[0] - b[0], a[1] - b[1], a[2] - b[2]] }

  // Initial tetrahedron from far-apart points.
  let i0 = points.indices.min { points[$0].lexicographicallyPrecedes(points[$1]) }!
  let i1 = points.indices.max { distance(points[$0], points[i0]) < distance(points[$1], points[i0]) }!
  if diameter == 0 || distance(points[i1], points[i0]) <= eps {
    throw ConvexSetError(field: "vertices", message: "all coincide; the hull is degenerate (0-dimensional in ℝ³)")
  }
  let axis = minus(points[i1], points[i0])
  func lineDistance(_ p: [Double]) -> Double { crossProduct(axis, minus(p, points[i0])).norm2 / axis.norm2 }
  let i2 = points.indices.max { lineDistance(points[$0]) < lineDistance(points[$1]) }!
  if lineDistance(points[i2]) <= eps {
    throw ConvexSetError(
      field: "vertices", message: "lie on one line within \(tolerance) × diameter; the hull is degenerate (1-dimensional in ℝ³)")
  }
  var planeNormal = crossProduct(axis, minus(points[i2], points[i0]))
  planeNormal = planeNormal.scaled(by: 1 / planeNormal.norm2)
  func planeDistance(_ p: [Double]) -> Double { abs(planeNormal.dot(minus(p, points[i0]))) }
  let i3 = points.indices.max { planeDistance(points[$0]) < planeDistance(points[$1]) }!
  if planeDistance(points[i3]) <= eps {
    throw ConvexSetError(
      field: "vertices", message: "lie in one plane within \(tolerance) × diameter; the hull is degenerate (2-dimensional in ℝ³)")
  }

  struct Face {
    var a: Int, b: Int, c: Int
    var normal: [Double]
    var offset: Double
  }
  var centroid = [Double](repeating: 0, count: 3)
  for i in [i0, i1, i2, i3] { centroid.axpy(0.25, points[i]) }
  func makeFace(_ a: Int, _ b: Int, _ c: Int) -> Face {
    var normal = crossProduct(minus(points[b], points[a]), minus(points[c], points[a]))
    let length = normal.norm2
    normal = length > 0 ? normal.scaled(by: 1 / length) : normal
    return Face(a: a, b: b, c: c, normal: normal, offset: normal.dot(points[a]))
  }
  func oriented(_ a: Int, _ b: Int, _ c: Int) -> Face {
    let f = makeFace(a, b, c)
    return f.normal.dot(centroid) - f.offset > 0 ? makeFace(a, c, b) : f
  }
  var faces = [oriented(i0, i1, i2), oriented(i0, i1, i3), oriented(i0, i2, i3), oriented(i1, i2, i3)]

  struct Edge: Hashable {
    var from: Int
    var to: Int
  }
  let initial: Set<Int> = [i0, i1, i2, i3]
  for p in points.indices where !initial.contains(p) {
    let point = points[p]
    var visible: [Bool] = faces.map { $0.normal.dot(point) - $0.offset > eps }
    if !visible.contains(true) { continue }
    var edges = Set<Edge>()
    for (k, f) in faces.enumerated() where visible[k] {
      edges.insert(Edge(from: f.a, to: f.b))
      edges.insert(Edge(from: f.b, to: f.c))
      edges.insert(Edge(from: f.c, to: f.a))
    }
    var kept: [Face] = []
    for (k, f) in faces.enumerated() where !visible[k] { kept.append(f) }
    for e in edges where !edges.contains(Edge(from: e.to, to: e.from)) {
      kept.append(makeFace(e.from, e.to, p))
    }
    faces = kept
    visible.removeAll()
  }

  // Merge coplanar triangles, largest first, and check the result against every point.
  func area(_ f: Face) -> Double {
    crossProduct(minus(points[f.b], points[f.a]), minus(points[f.c], points[f.a])).norm2
  }
  let bySize = faces.sorted { area($0) > area($1) }
  var facets: [HullFacet] = []
  for f in bySize {
    let onKept = facets.contains { facet in
      [f.a, f.b, f.c].allSatisfy { abs(facet.normal.dot(points[$0]) - facet.offset) <= eps }
    }
    if !onKept { facets.append(HullFacet(normal: f.normal, offset: f.offset)) }
  }
  for facet in facets {
    for p in points where facet.normal.dot(p) - facet.offset > 100 * eps {
      throw ConvexSetError(
        field: "vertices",
        message: "defeat the 3-D hull at tolerance \(tolerance): point \(formatVector(p)) lies outside a computed facet (nearly degenerate input)")
    }
  }
  return facets
}

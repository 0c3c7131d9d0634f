import Geometry

/// Isosurfaces of a sampled scalar field by marching tetrahedra.
///
/// Each grid cube is split into six tetrahedra around its main diagonal (the Kuhn triangulation:
/// for each ordering (a, b, c) of the axes, the path 0 → e_a → e_a + e_b → e_a + e_b + e_c); since
/// every cube is split the same way, neighbouring cubes agree on their shared faces' diagonals and
/// the surface is crack-free. Within a tetrahedron the isosurface is one triangle (one corner apart
/// from the other three) or a quadrilateral split in two (two and two), with vertices interpolated
/// linearly along the crossing edges. This is the marching-tetrahedra variant of Lorensen & Cline's
/// marching cubes (SIGGRAPH 1987, doi:10.1145/37402.37422) described by Doi & Koide, "An efficient
/// method of triangulating equi-valued surfaces by using tetrahedral cells", IEICE Trans. E74(1), 1991:
/// it needs no case table and has no ambiguous cases. Vertices on an edge are shared between all
/// tetrahedra that use the edge, so a closed level set inside the grid gives a watertight mesh.
public enum MarchingTetrahedra {
  /// The six tetrahedra of a cube; corner `c` of the cube is offset `(c & 1, c >> 1 & 1, c >> 2 & 1)`.
  static let tetrahedra: [(Int, Int, Int, Int)] = [
    (0, 1, 3, 7), (0, 1, 5, 7), (0, 2, 3, 7), (0, 2, 6, 7), (0, 4, 5, 7), (0, 4, 6, 7),
  ]

  /// The surface `value = isoValue` of samples on the grid `lower + (i, j, k) · spacing` (`i`
  /// fastest). Samples with `valid[index] == false` are treated as missing: a tetrahedron with a
  /// missing corner produces nothing. Triangles are wound so that their normals point towards
  /// larger values (outwards for a signed distance that is positive outside).
  /// - Complexity: O(samples), with a dictionary over the crossing edges.
  public static func isosurface(values: [Float], dimensions n: SIMD3<Int>, lower: SIMD3<Double>, spacing: Double,
                                isoValue: Float = 0, valid: [Bool]? = nil) -> TriangleMesh {
    precondition(values.count == n.x * n.y * n.z, "MarchingTetrahedra: \(values.count) values for \(n)")
    precondition(valid == nil || valid!.count == values.count, "MarchingTetrahedra: validity has \(valid!.count) entries for \(values.count)")
    var vertices: [SIMD3<Double>] = []
    var faces: [SIMD3<Int>] = []
    var edgeVertex: [Int: Int] = [:]
    let strideY = n.x, strideZ = n.x * n.y
    let cornerOffset = (0..<8).map { c in (c & 1) + (c >> 1 & 1) * strideY + (c >> 2 & 1) * strideZ }
    func position(_ index: Int) -> SIMD3<Double> {
      let i = index % n.x, j = (index / n.x) % n.y, k = index / strideZ
      return lower + SIMD3(Double(i), Double(j), Double(k)) * spacing
    }
    // The vertex on the edge between grid samples a and b (b = a + offset with a 0/1 offset).
    func vertex(_ a: Int, _ b: Int, offsetCode: Int) -> Int {
      let key = a * 8 + offsetCode
      if let existing = edgeVertex[key] { return existing }
      let va = values[a], vb = values[b]
      let t = Double((isoValue - va) / (vb - va))
      let p = position(a) + t * (position(b) - position(a))
      vertices.append(p)
      edgeVertex[key] = vertices.count - 1
      return vertices.count - 1
    }
    func edge(_ cornerA: Int, _ cornerB: Int, base: Int) -> Int {
      let (lo, hi) = cornerA < cornerB ? (cornerA, cornerB) : (cornerB, cornerA)
      // In the Kuhn triangulation every edge joins corners lo ⊂ hi (bitwise), so hi − lo is the offset.
      return vertex(base + cornerOffset[lo], base + cornerOffset[hi], offsetCode: hi ^ lo)
    }
    func emit(_ a: Int, _ b: Int, _ c: Int, towards direction: SIMD3<Double>) {
      let pa = vertices[a], pb = vertices[b], pc = vertices[c]
      let e1 = pb - pa, e2 = pc - pa
      let normal = SIMD3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
      faces.append((normal * direction).sum() >= 0 ? SIMD3(a, b, c) : SIMD3(a, c, b))
    }
    guard n.x >= 2, n.y >= 2, n.z >= 2 else { return .empty }
    for k in 0..<(n.z - 1) {
      for j in 0..<(n.y - 1) {
        for i in 0..<(n.x - 1) {
          let base = i + j * strideY + k * strideZ
          var v = [Float](repeating: 0, count: 8)
          var anyInside = false, anyOutside = false, allValid = true
          for c in 0..<8 {
            let s = base + cornerOffset[c]
            if let valid, !valid[s] { allValid = false; break }
            v[c] = values[s]
            if v[c] < isoValue { anyInside = true } else { anyOutside = true }
          }
          guard allValid, anyInside, anyOutside else { continue }
          for (t0, t1, t2, t3) in tetrahedra {
            let corners = [t0, t1, t2, t3]
            let inside = corners.filter { v[$0] < isoValue }
            let outside = corners.filter { v[$0] >= isoValue }
            guard !inside.isEmpty, !outside.isEmpty else { continue }
            func centre(_ cs: [Int]) -> SIMD3<Double> {
              cs.reduce(SIMD3<Double>.zero) { $0 + position(base + cornerOffset[$1]) } / Double(cs.count)
            }
            let direction = centre(outside) - centre(inside)
            switch inside.count {
            case 1:
              let a = inside[0]
              emit(edge(a, outside[0], base: base), edge(a, outside[1], base: base), edge(a, outside[2], base: base), towards: direction)
            case 3:
              let a = outside[0]
              emit(edge(a, inside[0], base: base), edge(a, inside[1], base: base), edge(a, inside[2], base: base), towards: direction)
            default:
              let p = edge(inside[0], outside[0], base: base), q = edge(inside[0], outside[1], base: base)
              let r = edge(inside[1], outside[1], base: base), s = edge(inside[1], outside[0], base: base)
              emit(p, q, r, towards: direction)
              emit(p, r, s, towards: direction)
            }
          }
        }
      }
    }
    return TriangleMesh(vertices: vertices, faces: faces)
  }
}

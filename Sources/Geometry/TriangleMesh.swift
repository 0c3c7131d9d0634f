/// A triangle mesh: shared vertices and faces as index triples.
///
/// Faces are counter-clockwise seen from outside, so a face's normal `(b − a) × (c − a)` points out of
/// the solid it bounds and a closed, consistently oriented mesh has positive `signedVolume`. Units are
/// whatever the vertices are in (the project uses metres).
public struct TriangleMesh: Sendable, Equatable {
  /// Vertex positions.
  public var vertices: [SIMD3<Double>]
  /// Faces: three indices into `vertices`, counter-clockwise seen from outside.
  public var faces: [SIMD3<Int>]

  /// A mesh from its vertices and faces.
  /// - Precondition: every index is in `0..<vertices.count`.
  public init(vertices: [SIMD3<Double>], faces: [SIMD3<Int>]) {
    for (f, face) in faces.enumerated() {
      precondition(
        (0..<3).allSatisfy { face[$0] >= 0 && face[$0] < vertices.count },
        "TriangleMesh: face \(f) = \(face) indexes outside 0..<\(vertices.count)")
    }
    self.vertices = vertices
    self.faces = faces
  }

  /// The mesh with no vertices and no faces.
  public static let empty = TriangleMesh(vertices: [], faces: [])

  /// The three corners of face `f`.
  public func corners(ofFace f: Int) -> (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>) {
    let face = faces[f]
    return (vertices[face.x], vertices[face.y], vertices[face.z])
  }

  /// The mesh with every vertex mapped through `X_AB` (the mesh given in B, returned in A).
  /// - Complexity: O(vertices).
  public func transformed(by X_AB: RigidTransform) -> TriangleMesh {
    TriangleMesh(unchecked: vertices.map { X_AB * $0 }, faces: faces)
  }

  /// This mesh and `other` as one mesh (other's indices shifted); a union of shells, not a boolean union.
  /// - Complexity: O(vertices + faces).
  public func merged(with other: TriangleMesh) -> TriangleMesh {
    let offset = vertices.count
    return TriangleMesh(unchecked: vertices + other.vertices, faces: faces + other.faces.map { $0 &+ offset })
  }

  init(unchecked vertices: [SIMD3<Double>], faces: [SIMD3<Int>]) {
    self.vertices = vertices
    self.faces = faces
  }

  // MARK: - Measures

  /// The smallest axis-aligned box holding every vertex; `nil` for a mesh without vertices.
  /// - Complexity: O(vertices).
  public var boundingBox: AxisAlignedBox? {
    guard var lower = vertices.first else { return nil }
    var upper = lower
    for p in vertices {
      lower = pointwiseMin(lower, p)
      upper = pointwiseMax(upper, p)
    }
    return AxisAlignedBox(lower: lower, upper: upper)
  }

  /// Twice the vector area of face `f`: `(b − a) × (c − a)` (outward normal times twice the area).
  public func scaledNormal(ofFace f: Int) -> SIMD3<Double> {
    let (a, b, c) = corners(ofFace: f)
    return cross(b - a, c - a)
  }

  /// The total area of the faces.
  /// - Complexity: O(faces).
  public var surfaceArea: Double {
    var sum = 0.0
    for f in faces.indices { sum += length(scaledNormal(ofFace: f)) }
    return sum / 2
  }

  /// The signed volume enclosed, by the divergence theorem: `V = (1/6) Σ a · (b × c)` over faces.
  /// Positive for a closed mesh with outward faces; meaningless for an open one.
  /// - Complexity: O(faces).
  public var signedVolume: Double {
    let reference = boundingBox.map { ($0.lower + $0.upper) / 2 } ?? .zero
    var sum = 0.0
    for face in faces {
      let a = vertices[face.x] - reference
      let b = vertices[face.y] - reference
      let c = vertices[face.z] - reference
      sum += dot(a, cross(b, c))
    }
    return sum / 6
  }

  /// The mass properties of the solid this closed mesh bounds, at uniform `density`.
  ///
  /// Volume integrals of `1, x, y, z, x², y², z², xy, yz, zx` over the solid, each turned into a sum
  /// over faces by the divergence theorem and evaluated in closed form per triangle, as in
  /// D. Eberly, "Polyhedral Mass Properties (Revisited)", Geometric Tools, 2002 (after B. Mirtich,
  /// "Fast and Accurate Computation of Polyhedral Mass Properties", J. Graphics Tools 1(2), 1996,
  /// doi:10.1080/10867651.1996.10487458). Exact (up to rounding) for a closed, consistently oriented
  /// mesh; vertices are taken relative to the bounding-box centre so large offsets cost no accuracy.
  ///
  /// ```
  /// m = ρ ∫ dV,   c = (ρ/m) ∫ p dV,   I_c = ρ ∫ (|p − c|² 𝟙 − (p − c)(p − c)ᵀ) dV
  /// ```
  /// - Complexity: O(faces).
  /// - Precondition: `density > 0`.
  public func massProperties(density: Double = 1) -> MassProperties {
    precondition(density > 0 && density.isFinite, "TriangleMesh.massProperties: density \(density) is not positive")
    let reference = boundingBox.map { ($0.lower + $0.upper) / 2 } ?? .zero
    // integral[0] = ∫1, [1...3] = ∫x,y,z, [4...6] = ∫x²,y²,z², [7...9] = ∫xy, yz, zx
    var integral = [Double](repeating: 0, count: 10)
    func subexpressions(_ w0: Double, _ w1: Double, _ w2: Double)
      -> (f1: Double, f2: Double, f3: Double, g0: Double, g1: Double, g2: Double)
    {
      let temp0 = w0 + w1
      let f1 = temp0 + w2
      let temp1 = w0 * w0
      let temp2 = temp1 + w1 * temp0
      let f2 = temp2 + w2 * f1
      let f3 = w0 * temp1 + w1 * temp2 + w2 * f2
      return (f1, f2, f3, f2 + w0 * (f1 + w0), f2 + w1 * (f1 + w1), f2 + w2 * (f1 + w2))
    }
    for face in faces {
      let p0 = vertices[face.x] - reference
      let p1 = vertices[face.y] - reference
      let p2 = vertices[face.z] - reference
      let d = cross(p1 - p0, p2 - p0)
      let sx = subexpressions(p0.x, p1.x, p2.x)
      let sy = subexpressions(p0.y, p1.y, p2.y)
      let sz = subexpressions(p0.z, p1.z, p2.z)
      integral[0] += d.x * sx.f1
      integral[1] += d.x * sx.f2
      integral[2] += d.y * sy.f2
      integral[3] += d.z * sz.f2
      integral[4] += d.x * sx.f3
      integral[5] += d.y * sy.f3
      integral[6] += d.z * sz.f3
      integral[7] += d.x * (p0.y * sx.g0 + p1.y * sx.g1 + p2.y * sx.g2)
      integral[8] += d.y * (p0.z * sy.g0 + p1.z * sy.g1 + p2.z * sy.g2)
      integral[9] += d.z * (p0.x * sz.g0 + p1.x * sz.g1 + p2.x * sz.g2)
    }
    let scale: [Double] = [1.0 / 6, 1.0 / 24, 1.0 / 24, 1.0 / 24, 1.0 / 60, 1.0 / 60, 1.0 / 60, 1.0 / 120, 1.0 / 120, 1.0 / 120]
    for i in 0..<10 { integral[i] *= scale[i] }
    let volume = integral[0]
    let c = volume != 0 ? SIMD3(integral[1], integral[2], integral[3]) / volume : .zero
    // Second moments about the centre of mass (parallel-axis shift from the reference point).
    let xx = integral[4] - volume * c.x * c.x
    let yy = integral[5] - volume * c.y * c.y
    let zz = integral[6] - volume * c.z * c.z
    let xy = integral[7] - volume * c.x * c.y
    let yz = integral[8] - volume * c.y * c.z
    let zx = integral[9] - volume * c.z * c.x
    let inertia = InertiaTensor(
      xx: density * (yy + zz), yy: density * (xx + zz), zz: density * (xx + yy),
      xy: -density * xy, yz: -density * yz, xz: -density * zx)
    return MassProperties(volume: volume, mass: density * volume, centerOfMass: c + reference, inertia: inertia)
  }

  // MARK: - Watertightness

  /// The defects that keep this mesh from bounding a solid; see `WatertightnessReport`.
  ///
  /// - Parameter areaTolerance: a face whose area is at most `areaTolerance · diagonal²` (diagonal of
  ///   the bounding box) counts as degenerate (default 1e-14).
  /// - Complexity: O(faces) expected (hashing of directed edges).
  public func watertightness(areaTolerance: Double = 1e-14) -> WatertightnessReport {
    var directed: [UInt64: Int] = [:]
    directed.reserveCapacity(faces.count * 3)
    var degenerate: [Int] = []
    let diagonal = boundingBox.map { length($0.upper - $0.lower) } ?? 0
    let minimumDoubleArea = 2 * areaTolerance * diagonal * diagonal
    func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(UInt32(truncatingIfNeeded: a)) << 32 | UInt64(UInt32(truncatingIfNeeded: b)) }
    for (f, face) in faces.enumerated() {
      if face.x == face.y || face.y == face.z || face.z == face.x || length(scaledNormal(ofFace: f)) <= minimumDoubleArea {
        degenerate.append(f)
      }
      for (a, b) in [(face.x, face.y), (face.y, face.z), (face.z, face.x)] {
        directed[key(a, b), default: 0] += 1
      }
    }
    var boundary = 0
    var repeated = 0
    for (k, count) in directed {
      if count > 1 { repeated += 1 }
      let a = Int(k >> 32)
      let b = Int(k & 0xFFFF_FFFF)
      if directed[key(b, a)] == nil { boundary += 1 }
    }
    return WatertightnessReport(
      boundaryEdgeCount: boundary, repeatedDirectedEdgeCount: repeated, degenerateFaces: degenerate,
      signedVolume: signedVolume)
  }
}

/// What `TriangleMesh.watertightness()` found.
///
/// A mesh is watertight when every edge is shared by exactly two faces that traverse it in opposite
/// directions (no boundary edges, no edge used twice in the same direction — which also rules out
/// three or more faces on an edge and inconsistently oriented neighbours), no face is degenerate, and
/// the enclosed volume is positive (faces point outward).
public struct WatertightnessReport: Sendable, Equatable, CustomStringConvertible {
  /// Directed edges `a → b` with no face holding `b → a` (holes, cracks, unwelded vertices).
  public var boundaryEdgeCount: Int
  /// Directed edges used by more than one face (flipped neighbours, non-manifold edges).
  public var repeatedDirectedEdgeCount: Int
  /// Faces with a repeated index or (nearly) zero area.
  public var degenerateFaces: [Int]
  /// The enclosed signed volume (positive when faces point outward).
  public var signedVolume: Double

  /// Whether the mesh bounds a solid with outward faces.
  public var isWatertight: Bool {
    boundaryEdgeCount == 0 && repeatedDirectedEdgeCount == 0 && degenerateFaces.isEmpty && signedVolume > 0
  }

  /// The counts in words.
  public var description: String {
    "\(boundaryEdgeCount) boundary edges, \(repeatedDirectedEdgeCount) repeated directed edges, "
      + "\(degenerateFaces.count) degenerate faces, signed volume \(signedVolume)"
  }
}

/// An axis-aligned box `lower ≤ p ≤ upper`.
public struct AxisAlignedBox: Sendable, Equatable {
  /// The corner with the smallest coordinates.
  public var lower: SIMD3<Double>
  /// The corner with the largest coordinates.
  public var upper: SIMD3<Double>

  /// A box from its two corners.
  public init(lower: SIMD3<Double>, upper: SIMD3<Double>) {
    self.lower = lower
    self.upper = upper
  }

  /// Whether `p` is inside the box enlarged by `tolerance` on every side.
  public func contains(_ p: SIMD3<Double>, tolerance: Double = 0) -> Bool {
    (0..<3).allSatisfy { p[$0] >= lower[$0] - tolerance && p[$0] <= upper[$0] + tolerance }
  }
}

/// A symmetric 3×3 inertia tensor (kg·m² when mass is in kg and lengths in m).
///
/// ```
///     ⎡ xx  xy  xz ⎤        xx = ∫ρ(y² + z²) dV,   xy = −∫ρ x y dV, …
/// I = ⎢ xy  yy  yz ⎥
///     ⎣ xz  yz  zz ⎦
/// ```
/// The off-diagonal entries are the matrix entries (products of inertia with their minus sign).
public struct InertiaTensor: Sendable, Equatable {
  /// Moment about x.
  public var xx: Double
  /// Moment about y.
  public var yy: Double
  /// Moment about z.
  public var zz: Double
  /// Entry (0, 1) = (1, 0).
  public var xy: Double
  /// Entry (1, 2) = (2, 1).
  public var yz: Double
  /// Entry (0, 2) = (2, 0).
  public var xz: Double

  /// A tensor from its six distinct entries.
  public init(xx: Double, yy: Double, zz: Double, xy: Double = 0, yz: Double = 0, xz: Double = 0) {
    self.xx = xx
    self.yy = yy
    self.zz = zz
    self.xy = xy
    self.yz = yz
    self.xz = xz
  }

  /// The nine entries, row after row.
  public var rowMajor: [Double] { [xx, xy, xz, xy, yy, yz, xz, yz, zz] }

  /// The tensor expressed in frame A, given in B: `I_A = R_AB · I_B · R_ABᵀ`.
  public func rotated(by R_AB: RotationMatrix) -> InertiaTensor {
    let m = rowMajor
    var out = [Double](repeating: 0, count: 9)
    for i in 0..<3 {
      for j in 0..<3 {
        var s = 0.0
        for k in 0..<3 {
          for l in 0..<3 { s += R_AB[i, k] * m[3 * k + l] * R_AB[j, l] }
        }
        out[3 * i + j] = s
      }
    }
    return InertiaTensor(xx: out[0], yy: out[4], zz: out[8], xy: (out[1] + out[3]) / 2, yz: (out[5] + out[7]) / 2, xz: (out[2] + out[6]) / 2)
  }

  /// Entry-wise sum (inertia of two bodies about the same point).
  public static func + (lhs: InertiaTensor, rhs: InertiaTensor) -> InertiaTensor {
    InertiaTensor(
      xx: lhs.xx + rhs.xx, yy: lhs.yy + rhs.yy, zz: lhs.zz + rhs.zz, xy: lhs.xy + rhs.xy, yz: lhs.yz + rhs.yz,
      xz: lhs.xz + rhs.xz)
  }

  /// The inertia of a point mass `mass` at offset `d` from the reference point (parallel-axis term):
  /// `m (|d|² 𝟙 − d dᵀ)`.
  public static func pointMass(_ mass: Double, at d: SIMD3<Double>) -> InertiaTensor {
    InertiaTensor(
      xx: mass * (d.y * d.y + d.z * d.z), yy: mass * (d.x * d.x + d.z * d.z), zz: mass * (d.x * d.x + d.y * d.y),
      xy: -mass * d.x * d.y, yz: -mass * d.y * d.z, xz: -mass * d.x * d.z)
  }
}

/// Mass, centre of mass and inertia of a solid of uniform density.
public struct MassProperties: Sendable, Equatable {
  /// The volume (m³).
  public var volume: Double
  /// The mass (kg): density × volume.
  public var mass: Double
  /// The centre of mass, in the mesh's frame.
  public var centerOfMass: SIMD3<Double>
  /// The inertia tensor about the centre of mass, axes of the mesh's frame.
  public var inertia: InertiaTensor

  /// Mass properties from their parts.
  public init(volume: Double, mass: Double, centerOfMass: SIMD3<Double>, inertia: InertiaTensor) {
    self.volume = volume
    self.mass = mass
    self.centerOfMass = centerOfMass
    self.inertia = inertia
  }

  /// The properties of two disjoint solids taken together (parallel-axis theorem to the joint centre).
  public static func + (lhs: MassProperties, rhs: MassProperties) -> MassProperties {
    let mass = lhs.mass + rhs.mass
    let c = (lhs.mass * lhs.centerOfMass + rhs.mass * rhs.centerOfMass) / mass
    let inertia =
      lhs.inertia + .pointMass(lhs.mass, at: lhs.centerOfMass - c) + rhs.inertia
      + .pointMass(rhs.mass, at: rhs.centerOfMass - c)
    return MassProperties(volume: lhs.volume + rhs.volume, mass: mass, centerOfMass: c, inertia: inertia)
  }
}

// MARK: - Vector helpers

@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { a.x * b.x + a.y * b.y + a.z * b.z }
@inline(__always) func length(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }

// MARK: - Closest points

/// The point of triangle `abc` closest to `p`, with its barycentric weights `(wa, wb, wc)`
/// (non-negative, summing to 1).
///
/// Region-based method of C. Ericson, "Real-Time Collision Detection", Morgan Kaufmann 2005, §5.1.5.
/// A degenerate triangle (zero area) gives a point on one of its edges.
/// - Complexity: O(1).
public func closestPointOnTriangle(
  _ p: SIMD3<Double>, _ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>
) -> (point: SIMD3<Double>, weights: SIMD3<Double>) {
  let ab = b - a
  let ac = c - a
  let ap = p - a
  let d1 = dot(ab, ap)
  let d2 = dot(ac, ap)
  if d1 <= 0 && d2 <= 0 { return (a, SIMD3(1, 0, 0)) }
  let bp = p - b
  let d3 = dot(ab, bp)
  let d4 = dot(ac, bp)
  if d3 >= 0 && d4 <= d3 { return (b, SIMD3(0, 1, 0)) }
  let vc = d1 * d4 - d3 * d2
  if vc <= 0 && d1 >= 0 && d3 <= 0 {
    let v = d1 / (d1 - d3)
    return (a + v * ab, SIMD3(1 - v, v, 0))
  }
  let cp = p - c
  let d5 = dot(ab, cp)
  let d6 = dot(ac, cp)
  if d6 >= 0 && d5 <= d6 { return (c, SIMD3(0, 0, 1)) }
  let vb = d5 * d2 - d1 * d6
  if vb <= 0 && d2 >= 0 && d6 <= 0 {
    let w = d2 / (d2 - d6)
    return (a + w * ac, SIMD3(1 - w, 0, w))
  }
  let va = d3 * d6 - d5 * d4
  if va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0 {
    let w = (d4 - d3) / ((d4 - d3) + (d5 - d6))
    return (b + w * (c - b), SIMD3(0, 1 - w, w))
  }
  let denominator = va + vb + vc
  guard denominator != 0 else { return (a, SIMD3(1, 0, 0)) }
  let v = vb / denominator
  let w = vc / denominator
  return (a + v * ab + w * ac, SIMD3(1 - v - w, v, w))
}

extension TriangleMesh {
  /// The point of the surface closest to `p`, the face it lies on and its distance (brute force over
  /// the faces); `nil` for a mesh without faces.
  /// - Complexity: O(faces).
  public func closestPoint(to p: SIMD3<Double>) -> (point: SIMD3<Double>, face: Int, distance: Double)? {
    var best: (SIMD3<Double>, Int, Double)? = nil
    for f in faces.indices {
      let (a, b, c) = corners(ofFace: f)
      let q = closestPointOnTriangle(p, a, b, c).point
      let d = length(q - p)
      if best == nil || d < best!.2 { best = (q, f, d) }
    }
    return best.map { (point: $0.0, face: $0.1, distance: $0.2) }
  }
}

extension TriangleMesh {
  /// The closed box `[lower, upper]` as twelve triangles, counter-clockwise seen from outside.
  ///
  /// - Precondition: `lower < upper` componentwise.
  public static func box(lower: SIMD3<Double>, upper: SIMD3<Double>) -> TriangleMesh {
    precondition(all(lower .< upper), "TriangleMesh.box: lower \(lower) not below upper \(upper)")
    var vertices: [SIMD3<Double>] = []
    for i in 0..<8 {
      vertices.append(SIMD3(i & 1 == 0 ? lower.x : upper.x, i & 2 == 0 ? lower.y : upper.y, i & 4 == 0 ? lower.z : upper.z))
    }
    // Quads counter-clockwise seen from outside, each split in two.
    let quads: [(Int, Int, Int, Int)] = [
      (0, 2, 3, 1), (4, 5, 7, 6),  // z−, z+
      (0, 1, 5, 4), (2, 6, 7, 3),  // y−, y+
      (0, 4, 6, 2), (1, 3, 7, 5),  // x−, x+
    ]
    var faces: [SIMD3<Int>] = []
    for (a, b, c, d) in quads {
      faces.append(SIMD3(a, b, c))
      faces.append(SIMD3(a, c, d))
    }
    return TriangleMesh(vertices: vertices, faces: faces)
  }
}

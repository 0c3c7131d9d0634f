import Foundation
import Geometry
import LinearAlgebra

/// The procedural object categories.
public enum ObjectCategory: String, Sendable, Hashable, CaseIterable {
  /// Mugs (`MugParameters`).
  case mug
  /// Shoes (`ShoeParameters`).
  case shoe
}

/// A named shape parameter of an instance and the range its category draws it from.
public struct ObjectParameter: Sendable, Equatable {
  /// snake_case name, as in the JSON sidecar.
  public var name: String
  /// The value (SI units: metres, radians, or a ratio).
  public var value: Double
  /// The documented range the value is drawn from (closed).
  public var range: ClosedRange<Double>

  /// A parameter from its parts.
  public init(name: String, value: Double, range: ClosedRange<Double>) {
    self.name = name
    self.value = value
    self.range = range
  }
}

/// A semantic keypoint in the object frame (metres).
public struct Keypoint: Sendable, Equatable {
  /// snake_case name (`bottom_center`, `handle_center`, `heel`, …).
  public var name: String
  /// Position in the object frame O: `p_OK`.
  public var position: SIMD3<Double>

  /// A keypoint from its parts.
  public init(name: String, position: SIMD3<Double>) {
    self.name = name
    self.position = position
  }
}

/// One convex piece of an instance's collision geometry: the convex hull of `vertices` (each of them
/// a vertex of that hull), in the object frame.
public struct ConvexPiece: Sendable, Equatable {
  /// What the piece covers (`wall_3`, `bottom`, `handle_0`, `slice_5`, …).
  public var name: String
  /// The hull's vertices (metres, object frame).
  public var vertices: [SIMD3<Double>]

  /// A piece from its parts.
  public init(name: String, vertices: [SIMD3<Double>]) {
    self.name = name
    self.vertices = vertices
  }
}

/// A generated object: its shape and the ground truth that comes with it.
///
/// Object frame O: z up, origin at the bottom centre (mug: the centre of the outer bottom disc, on the
/// body's axis; shoe: the middle of the heel-to-toe length on the centre line), so an instance standing
/// upright rests on the plane z = 0 and its lowest vertex has z = 0 exactly. Units: metres, kilograms.
public struct ObjectInstance: Sendable {
  /// The category.
  public let category: ObjectCategory
  /// The seed the parameters were drawn from (`SeededGenerator` stream).
  public let seed: UInt64
  /// The shape parameters, in a fixed order per category.
  public let parameters: [ObjectParameter]
  /// The visual mesh, watertight, faces outward.
  public let mesh: TriangleMesh
  /// Each mesh vertex's surface coordinate (same order as `mesh.vertices`).
  public let vertexCoordinates: [SurfaceCoordinate]
  /// Each mesh face's part (same order as `mesh.faces`): per-face segmentation labels.
  public let faceParts: [SurfacePart]
  /// The exact surface parameterization (evaluation only).
  public let atlas: SurfaceAtlas
  /// The collision geometry: convex pieces whose union approximates the solid.
  public let convexPieces: [ConvexPiece]
  /// The density used for the mass properties (kg/m³).
  public let density: Double
  /// Mass, centre of mass (object frame) and inertia about the centre of mass (object axes).
  public let massProperties: MassProperties
  /// The category's semantic keypoints, in the object frame.
  public let keypoints: [Keypoint]

  /// The keypoint called `name`, if the category has it.
  public func keypoint(_ name: String) -> SIMD3<Double>? { keypoints.first { $0.name == name }?.position }

  /// The principal moments of inertia about the centre of mass (kg·m², ascending): the eigenvalues of
  /// the inertia tensor (LAPACK `dsyevd`).
  public var principalMomentsOfInertia: [Double] {
    let matrix = Matrix(rowCount: 3, columnCount: 3, elements: massProperties.inertia.rowMajor)
    return (try? SymmetricEigendecomposition(matrix).eigenvalues) ?? []
  }

  /// The value of the parameter called `name`.
  public func parameter(_ name: String) -> Double? { parameters.first { $0.name == name }?.value }

  /// A base name for files: `mug-000042`.
  public var name: String { "\(category.rawValue)-\(String(format: "%06llu", seed))" }

  // MARK: - Export

  /// Writes the visual mesh as OBJ to `path` (atomically), with the category and seed in a comment.
  /// - Throws: `MeshFileError` when the folder is missing or the write fails.
  public func writeOBJ(to path: String) throws(MeshFileError) {
    try mesh.writeOBJ(
      to: path, comment: ["osprey object \(category.rawValue) seed \(seed)", "units: metres; frame: z up, origin at the bottom centre"])
  }

  /// The `osprey.object` version 1 JSON sidecar (docs/formats/object.md).
  /// - Parameter meshFile: the OBJ's path relative to the JSON file, or `nil` for none.
  public func jsonText(meshFile: String?) -> String {
    func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
    func vector(_ p: SIMD3<Double>) -> String { "[\(number(p.x)), \(number(p.y)), \(number(p.z))]" }
    func string(_ s: String) -> String {
      var out = "\""
      for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out += c.value < 0x20 ? String(format: "\\u%04x", c.value) : String(c)
        }
      }
      return out + "\""
    }
    var lines: [String] = []
    lines.append("{\"format\": \"osprey.object\", \"version\": 1,")
    lines.append(" \"category\": \(string(category.rawValue)), \"seed\": \(seed),")
    lines.append(" \"mesh\": \(meshFile.map(string) ?? "null"),")
    lines.append(" \"units\": \"m\", \"frame\": \"z up, origin at the bottom centre\",")
    let parameterText = parameters.map { "\(string($0.name)): \(number($0.value))" }.joined(separator: ", ")
    lines.append(" \"parameters\": {\(parameterText)},")
    let keypointText = keypoints.map { "\(string($0.name)): \(vector($0.position))" }.joined(separator: ", ")
    lines.append(" \"keypoints\": {\(keypointText)},")
    let m = massProperties
    lines.append(" \"density\": \(number(density)), \"volume\": \(number(m.volume)), \"mass\": \(number(m.mass)),")
    lines.append(" \"center_of_mass\": \(vector(m.centerOfMass)),")
    lines.append(" \"inertia\": [\(m.inertia.rowMajor.map(number).joined(separator: ", "))],")
    lines.append(" \"principal_moments\": [\(principalMomentsOfInertia.map(number).joined(separator: ", "))],")
    lines.append(" \"mesh_vertex_count\": \(mesh.vertices.count), \"mesh_face_count\": \(mesh.faces.count),")
    lines.append(" \"convex_pieces\": [")
    for (k, piece) in convexPieces.enumerated() {
      let vertexText = piece.vertices.map(vector).joined(separator: ", ")
      lines.append("  {\"name\": \(string(piece.name)), \"vertices\": [\(vertexText)]}" + (k + 1 < convexPieces.count ? "," : ""))
    }
    lines.append(" ]}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the JSON sidecar to `path` atomically.
  /// - Throws: `MeshFileError` when the folder is missing or the write fails.
  public func writeJSON(to path: String, meshFile: String?) throws(MeshFileError) {
    try writeFileAtomically(jsonText(meshFile: meshFile), to: path)
  }

  /// Writes `NAME.obj` and `NAME.json` (the sidecar naming the OBJ) into `folder`; returns both paths.
  /// - Throws: `MeshFileError` when the folder is missing or a write fails.
  @discardableResult
  public func write(toFolder folder: String, name: String? = nil) throws(MeshFileError) -> (obj: String, json: String) {
    let base = name ?? self.name
    let objPath = (folder as NSString).appendingPathComponent(base + ".obj")
    let jsonPath = (folder as NSString).appendingPathComponent(base + ".json")
    try writeOBJ(to: objPath)
    try writeJSON(to: jsonPath, meshFile: base + ".obj")
    return (objPath, jsonPath)
  }
}

/// Mesh resolution for generated instances: `1` is the default used for simulation and evaluation;
/// smaller values give coarser meshes (drawings), larger finer. Correspondences do not depend on it.
public struct MeshResolution: Sendable, Equatable {
  /// Multiplies every grid count (each count stays at least 3).
  public var scale: Double

  /// A resolution scale.
  /// - Precondition: `scale` in `0.1...8`.
  public init(scale: Double) {
    precondition(scale >= 0.1 && scale <= 8, "MeshResolution: scale \(scale) outside 0.1...8")
    self.scale = scale
  }

  /// The default resolution.
  public static let standard = MeshResolution(scale: 1)

  func count(_ n: Int, multipleOf m: Int = 1) -> Int {
    let scaled = max(3, Int((Double(n) * scale).rounded()))
    return max(m, (scaled + m - 1) / m * m)
  }
}

// MARK: - Convex hulls in the plane

/// The vertices of the convex hull of planar points, counter-clockwise, collinear points dropped
/// (Andrew's monotone chain, A. M. Andrew, Inf. Process. Lett. 9(5), 1979).
/// - Complexity: O(n log n).
func convexHull2D(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
  let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
  var unique: [SIMD2<Double>] = []
  for p in sorted where unique.last != p { unique.append(p) }
  if unique.count < 3 { return unique }
  func turn(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
  }
  var lower: [SIMD2<Double>] = []
  for p in unique {
    while lower.count >= 2 && turn(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
    lower.append(p)
  }
  var upper: [SIMD2<Double>] = []
  for p in unique.reversed() {
    while upper.count >= 2 && turn(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
    upper.append(p)
  }
  return Array(lower.dropLast() + upper.dropLast())
}

extension ObjectInstance {
  /// The support polygon when standing upright: the planar convex hull (counter-clockwise) of the mesh
  /// vertices at z ≤ `tolerance` (the contact region with a table at z = 0).
  public func supportPolygon(tolerance: Double = 1e-12) -> [SIMD2<Double>] {
    convexHull2D(mesh.vertices.filter { $0.z <= tolerance }.map { SIMD2($0.x, $0.y) })
  }
}

/// The signed distance from `p` to the boundary of a counter-clockwise convex polygon: positive inside.
public func signedDistanceInsideConvexPolygon(_ p: SIMD2<Double>, _ polygon: [SIMD2<Double>]) -> Double {
  guard polygon.count >= 3 else { return -Double.infinity }
  var d = Double.infinity
  for k in polygon.indices {
    let a = polygon[k]
    let b = polygon[(k + 1) % polygon.count]
    let e = b - a
    let length = (e * e).sum().squareRoot()
    let inward = SIMD2(-e.y, e.x) / length
    d = min(d, ((p - a) * inward).sum())
  }
  return d
}

import ConvexSets
import Geometry
import Imaging
import Objects

/// A procedural object (`Objects`) placed in the workcell: body `object` with a free joint, its
/// visual mesh drawn (geom `object_visual`, no contacts), its convex pieces colliding (geoms
/// `object_piece_K`, group 3, not drawn), and its own mass, centre of mass and inertia.
///
/// MuJoCo takes the convex hull of every mesh geom for collisions, which is exact for the convex
/// pieces. Meshes go inline into the MJCF (`<mesh vertex=… face=…>`), so the model is one string
/// with no asset files (the collision checker and the renderer load it as it is).
public struct SceneObject: Sendable, Equatable {
  /// The generated instance (object frame O: z up, origin at the bottom centre).
  public var instance: ObjectInstance
  /// Its initial pose in the world, `X_WO` (the free body's frame is O).
  public var X_WO: RigidTransform
  /// How its surface is coloured when rendered (default `.plain`).
  public var appearance: Appearance = .plain

  /// How an object's surface is coloured when rendered; the geometry is the same either way.
  public enum Appearance: String, Sendable, Equatable, CaseIterable {
    /// One colour all over (mugs red, shoes blue).
    case plain
    /// A speckled, blotched glaze (`Glaze(seed:)` from the instance's seed), a solid texture drawn
    /// through a texture atlas (`ObjectInstance.texturedSurface`, `texture(of:glaze:)`): each
    /// instance its own colours and pattern, with no symmetry about a mug's axis.
    case glazed
  }

  /// An instance at a given initial pose.
  public init(instance: ObjectInstance, X_WO: RigidTransform, appearance: Appearance = .plain) {
    self.instance = instance
    self.X_WO = X_WO
    self.appearance = appearance
  }

  /// Where on the table `onTable` places objects (world metres, radians); every default is stated.
  public struct TableRegion: Sendable, Equatable {
    /// Range of the object origin's x (default 0.50–0.62 m: in front of the arm, clear of the shelf).
    public var x: ClosedRange<Double> = 0.50...0.62
    /// Range of the object origin's y (default ±0.10 m: clear of the two racks).
    public var y: ClosedRange<Double> = -0.10...0.10
    /// Height of the object's lowest point above the table top when dropped (default 2 mm).
    public var dropHeightMetres = 0.002
    /// The default region.
    public init() {}
  }

  /// The instance standing upright on the table with a yaw drawn uniformly in [0, 2π) and its origin
  /// uniformly in `region`, from `seed` (`SeededGenerator`, draws x, y, yaw in that order).
  public static func onTable(_ instance: ObjectInstance, seed: UInt64, region: TableRegion = TableRegion()) -> SceneObject {
    var generator = SeededGenerator(seed: seed)
    func draw(_ r: ClosedRange<Double>) -> Double { r.lowerBound + generator.nextUnit() * (r.upperBound - r.lowerBound) }
    let x = draw(region.x), y = draw(region.y)
    let yaw = generator.nextUnit() * 2 * .pi
    let z = OspreyWorld.tableTopHeightMetres + region.dropHeightMetres
    return SceneObject(instance: instance, X_WO: RigidTransform(rotation: .aboutZ(yaw), translation: SIMD3(x, y, z)))
  }

  /// Same instance (category, seed, parameters, density, mesh) at the same pose, same appearance.
  public static func == (a: SceneObject, b: SceneObject) -> Bool {
    a.X_WO == b.X_WO && a.appearance == b.appearance && a.instance.category == b.instance.category && a.instance.seed == b.instance.seed
      && a.instance.parameters == b.instance.parameters && a.instance.density == b.instance.density
      && a.instance.mesh == b.instance.mesh
  }

  /// The object's keypoints in the world for a pose `X_WO`: `p_WK = X_WO · p_OK`, in the instance's order.
  public func worldKeypoints(at X_WO: RigidTransform) -> [(name: String, position: SIMD3<Double>)] {
    instance.keypoints.map { ($0.name, X_WO * $0.position) }
  }

  /// The centre of the object's bounding box in the object frame (what the collection camera looks at).
  public var boundingBoxCentre: SIMD3<Double> {
    guard let box = instance.mesh.boundingBox else { return .zero }
    return (box.lower + box.upper) / 2
  }

  /// Name of the glaze texture in MuJoCo's virtual file system (`assets()`).
  static let glazeTextureFile = "object_glaze.png"

  /// The MJCF `<asset>` entries (meshes, the object's material and, when glazed, its texture).
  func assetXML() -> String {
    var lines: [String] = []
    let faces: String
    switch appearance {
    case .plain:
      let colour = instance.category == .mug ? "0.80 0.22 0.18 1" : "0.20 0.35 0.70 1"
      lines.append("    <material name=\"object_material\" rgba=\"\(colour)\" specular=\"0.3\" shininess=\"0.3\"/>")
      faces = instance.mesh.faces.map { "\($0.x) \($0.y) \($0.z)" }.joined(separator: " ")
      lines.append("    <mesh name=\"object_visual\" vertex=\"\(Self.numbers(instance.mesh.vertices))\" face=\"\(faces)\"/>")
    case .glazed:
      let surface = instance.texturedSurface()
      lines.append("    <texture name=\"object_glaze\" type=\"2d\" file=\"\(Self.glazeTextureFile)\"/>")
      lines.append("    <material name=\"object_material\" texture=\"object_glaze\" specular=\"0.3\" shininess=\"0.3\"/>")
      faces = surface.faces.map { "\($0.x) \($0.y) \($0.z)" }.joined(separator: " ")
      let uv = surface.textureCoordinates.map { "\($0.x) \($0.y)" }.joined(separator: " ")
      lines.append("    <mesh name=\"object_visual\" vertex=\"\(Self.numbers(surface.vertices))\" normal=\"\(Self.numbers(surface.normals))\" texcoord=\"\(uv)\" face=\"\(faces)\"/>")
    }
    for (k, piece) in instance.convexPieces.enumerated() {
      lines.append("    <mesh name=\"object_piece_\(k)\" vertex=\"\(Self.numbers(piece.vertices))\"/>")
    }
    return lines.joined(separator: "\n")
  }

  /// The in-memory files the MJCF of `assetXML()` names: the glaze texture as PNG when glazed, none
  /// when plain. The MJCF needs only the layout (`texturedSurface()`, cheap); the texels are coloured
  /// here alone.
  /// - Throws: `.invalidArgument` when the texture cannot be encoded.
  public func assets() throws(SimulationError) -> [String: [UInt8]] {
    guard appearance == .glazed else { return [:] }
    let surface = instance.texturedSurface()
    let image = Image8(width: surface.textureWidth, height: surface.textureHeight, channels: 3,
                       pixels: instance.texture(of: surface, glaze: Glaze(seed: instance.seed)))
    do {
      return [Self.glazeTextureFile: try PNG.encode(image, name: Self.glazeTextureFile)]
    } catch {
      throw SimulationError(code: .invalidArgument, context: "SceneObject", message: "cannot encode the glaze texture: \(error)")
    }
  }

  /// The MJCF `<body>` of the object at `X_WO`.
  func bodyXML() -> String {
    let p = X_WO.translation
    let q = X_WO.rotation.quaternion
    let m = instance.massProperties
    let c = m.centerOfMass
    let I = m.inertia
    var lines: [String] = []
    lines.append("    <body name=\"\(OspreyWorld.objectBody)\" pos=\"\(p.x) \(p.y) \(p.z)\" quat=\"\(q.w) \(q.x) \(q.y) \(q.z)\">")
    lines.append("      <freejoint name=\"object_free\"/>")
    lines.append("      <inertial pos=\"\(c.x) \(c.y) \(c.z)\" mass=\"\(m.mass)\" fullinertia=\"\(I.xx) \(I.yy) \(I.zz) \(I.xy) \(I.xz) \(I.yz)\"/>")
    lines.append("      <geom name=\"object_visual\" type=\"mesh\" mesh=\"object_visual\" contype=\"0\" conaffinity=\"0\" group=\"1\" material=\"object_material\"/>")
    for k in instance.convexPieces.indices {
      lines.append("      <geom name=\"object_piece_\(k)\" type=\"mesh\" mesh=\"object_piece_\(k)\" group=\"3\" rgba=\"0.5 0.5 0.5 1\" \(Self.contactAttributes)/>")
    }
    for (k, centre) in supportSphereCentres().enumerated() {
      lines.append("      <geom name=\"object_support_\(k)\" type=\"sphere\" size=\"\(Self.supportSphereRadiusMetres)\" pos=\"\(centre.x) \(centre.y) \(centre.z)\" group=\"3\" rgba=\"0.5 0.5 0.5 1\" \(Self.contactAttributes)/>")
    }
    lines.append("    </body>")
    return lines.joined(separator: "\n")
  }

  /// Contact attributes of the collision geoms: friction 0.9 (sliding), 0.01 (torsional), 0.001
  /// (rolling), with torsional friction (`condim 4`) so a resting object does not spin slowly.
  static let contactAttributes = "friction=\"0.9 0.01 0.001\" condim=\"4\""

  /// Radius of the support spheres (3 mm).
  public static let supportSphereRadiusMetres = 0.003

  /// Centres of the support spheres, object frame: MuJoCo 2.2 finds one contact point per pair of
  /// convex geoms (no multi-point convex collision), so a flat sole or bottom standing on the table
  /// gets one point per piece, often near the middle, and a shoe rocks on them. Small spheres at up
  /// to 12 corners of the support polygon (`ObjectInstance.supportPolygon`), moved inward by their
  /// radius and touching z = 0, give the resting object its real base. They add no mass.
  public func supportSphereCentres() -> [SIMD3<Double>] {
    let polygon = instance.supportPolygon(tolerance: 1e-6)
    guard polygon.count >= 3 else { return [] }
    let r = Self.supportSphereRadiusMetres
    let centroid = polygon.reduce(SIMD2<Double>.zero, +) / Double(polygon.count)
    let count = min(12, polygon.count)
    return (0..<count).map { k -> SIMD3<Double> in
      let p = polygon[k * polygon.count / count]
      let towardsCentre = centroid - p
      let distance = (towardsCentre * towardsCentre).sum().squareRoot()
      let inward = distance > r ? p + towardsCentre * (r / distance) : centroid
      return SIMD3(inward.x, inward.y, r)
    }
  }

  /// The free joint's `qpos` entries: position, then quaternion (w, x, y, z).
  var qposText: String {
    let p = X_WO.translation, q = X_WO.rotation.quaternion
    return "\(p.x) \(p.y) \(p.z) \(q.w) \(q.x) \(q.y) \(q.z)"
  }

  private static func numbers(_ points: [SIMD3<Double>]) -> String {
    points.map { "\($0.x) \($0.y) \($0.z)" }.joined(separator: " ")
  }
}

extension Simulation {
  /// The pose of body `object` (a `SceneObject` or the box), `X_WO`.
  /// - Throws: `.unknownName` when the model has no object.
  public func objectPose() throws(SimulationError) -> RigidTransform {
    pose(of: try body(OspreyWorld.objectBody))
  }
}

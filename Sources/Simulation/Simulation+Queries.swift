import CMuJoCo
import Geometry

/// A contact between two geoms at the last `forward()`/step.
public struct Contact: Equatable, Sendable {
  /// The first geom (the normal points away from it).
  public let geom1: GeomID
  /// The second geom.
  public let geom2: GeomID
  /// The contact point in world coordinates (metres; midway between the surfaces).
  public let position: SIMD3<Double>
  /// Unit contact normal in world coordinates, from geom1 towards geom2.
  public let normal: SIMD3<Double>
  /// Signed distance between the surfaces in metres (negative: penetration).
  public let distance: Double
  /// The contact force geom1 exerts on geom2, in world coordinates (newtons).
  public let force: SIMD3<Double>
  /// Its normal component (newtons, ≥ 0 when pushing apart).
  public let normalForce: Double
}

/// A hit of `castRay`.
public struct RayHit: Equatable, Sendable {
  /// The geom hit.
  public let geom: GeomID
  /// Distance from the ray's origin in metres.
  public let distance: Double
}

/// The kinds of named element, for lookups.
enum ElementKind {
  case body, geom, site, camera, joint, actuator

  var objectType: Int32 {
    switch self {
    case .body: Int32(mjOBJ_BODY.rawValue)
    case .geom: Int32(mjOBJ_GEOM.rawValue)
    case .site: Int32(mjOBJ_SITE.rawValue)
    case .camera: Int32(mjOBJ_CAMERA.rawValue)
    case .joint: Int32(mjOBJ_JOINT.rawValue)
    case .actuator: Int32(mjOBJ_ACTUATOR.rawValue)
    }
  }
}

extension Simulation {
  // MARK: Names

  func id(of kind: ElementKind, named name: String) throws(SimulationError) -> Int {
    let id = Int(mj_name2id(model, kind.objectType, name))
    guard id >= 0 else {
      throw SimulationError(code: .unknownName, context: "\(kind) \"\(name)\"", message: "the model has no \(kind) named \"\(name)\"")
    }
    return id
  }

  func name(of kind: ElementKind, _ id: Int) -> String {
    guard let name = mj_id2name(model, kind.objectType, Int32(id)) else { return "" }
    return String(cString: name)
  }

  /// The body named `name`. - Throws: `.unknownName`.
  public func body(_ name: String) throws(SimulationError) -> BodyID { BodyID(try id(of: .body, named: name)) }
  /// The geom named `name`. - Throws: `.unknownName`.
  public func geom(_ name: String) throws(SimulationError) -> GeomID { GeomID(try id(of: .geom, named: name)) }
  /// The site named `name`. - Throws: `.unknownName`.
  public func site(_ name: String) throws(SimulationError) -> SiteID { SiteID(try id(of: .site, named: name)) }
  /// The camera named `name`. - Throws: `.unknownName`.
  public func camera(_ name: String) throws(SimulationError) -> CameraID { CameraID(try id(of: .camera, named: name)) }
  /// The joint named `name`. - Throws: `.unknownName`.
  public func joint(_ name: String) throws(SimulationError) -> JointID { JointID(try id(of: .joint, named: name)) }
  /// The actuator named `name`. - Throws: `.unknownName`.
  public func actuator(_ name: String) throws(SimulationError) -> ActuatorID { ActuatorID(try id(of: .actuator, named: name)) }

  /// A body's name ("" when unnamed).
  public func name(of body: BodyID) -> String { name(of: .body, body.index) }
  /// A geom's name ("" when unnamed).
  public func name(of geom: GeomID) -> String { name(of: .geom, geom.index) }
  /// A site's name.
  public func name(of site: SiteID) -> String { name(of: .site, site.index) }
  /// A camera's name.
  public func name(of camera: CameraID) -> String { name(of: .camera, camera.index) }
  /// A joint's name.
  public func name(of joint: JointID) -> String { name(of: .joint, joint.index) }
  /// An actuator's name.
  public func name(of actuator: ActuatorID) -> String { name(of: .actuator, actuator.index) }

  /// Number of bodies, the world included.
  public var bodyCount: Int { Int(model.pointee.nbody) }
  /// Number of geoms.
  public var geomCount: Int { Int(model.pointee.ngeom) }
  /// Number of joints.
  public var jointCount: Int { Int(model.pointee.njnt) }

  /// The body a geom is attached to.
  public func body(of geom: GeomID) -> BodyID {
    precondition(geom.index >= 0 && geom.index < geomCount, "no \(geom) (model has \(geomCount))")
    return BodyID(Int(model.pointee.geom_bodyid[geom.index]))
  }

  /// The top-most ancestor of a body below the world (for a free object, the object itself).
  public func rootBody(of body: BodyID) -> BodyID {
    precondition(body.index >= 0 && body.index < bodyCount, "no \(body) (model has \(bodyCount))")
    return BodyID(Int(model.pointee.body_rootid[body.index]))
  }

  /// A body's parent (the world's parent is the world).
  public func parent(of body: BodyID) -> BodyID {
    precondition(body.index >= 0 && body.index < bodyCount, "no \(body) (model has \(bodyCount))")
    return BodyID(Int(model.pointee.body_parentid[body.index]))
  }

  /// A joint's kind, addresses and range.
  public func info(of joint: JointID) -> JointInfo {
    let m = model.pointee
    precondition(joint.index >= 0 && joint.index < jointCount, "no \(joint) (model has \(jointCount))")
    let j = joint.index
    let kind: JointInfo.Kind
    switch mjtJoint(rawValue: UInt32(m.jnt_type[j])) {
    case mjJNT_FREE: kind = .free
    case mjJNT_BALL: kind = .ball
    case mjJNT_SLIDE: kind = .slide
    default: kind = .hinge
    }
    let limited = m.jnt_limited[j] != 0
    return JointInfo(
      id: joint, name: name(of: joint), kind: kind, body: BodyID(Int(m.jnt_bodyid[j])),
      positionAddress: Int(m.jnt_qposadr[j]), velocityAddress: Int(m.jnt_dofadr[j]),
      range: limited ? m.jnt_range[2 * j]...m.jnt_range[2 * j + 1] : nil)
  }

  // MARK: Poses (valid after forward() or a step)

  /// `X_WB`: a body's frame in the world.
  public func pose(of body: BodyID) -> RigidTransform {
    precondition(body.index >= 0 && body.index < bodyCount, "no \(body) (model has \(bodyCount))")
    return Self.transform(position: data.pointee.xpos + 3 * body.index, rotation: data.pointee.xmat + 9 * body.index)
  }

  /// `X_WG`: a geom's frame in the world.
  public func pose(of geom: GeomID) -> RigidTransform {
    precondition(geom.index >= 0 && geom.index < geomCount, "no \(geom) (model has \(geomCount))")
    return Self.transform(position: data.pointee.geom_xpos + 3 * geom.index, rotation: data.pointee.geom_xmat + 9 * geom.index)
  }

  /// `X_WS`: a site's frame in the world.
  public func pose(of site: SiteID) -> RigidTransform {
    precondition(site.index >= 0 && site.index < Int(model.pointee.nsite), "no \(site)")
    return Self.transform(position: data.pointee.site_xpos + 3 * site.index, rotation: data.pointee.site_xmat + 9 * site.index)
  }

  /// `X_WC` of a camera in OpenCV's convention: x right, y down, z forward (the viewing direction).
  ///
  /// MuJoCo's camera frame has x right, y up and looks along −z; the OpenCV frame is MuJoCo's
  /// turned half a turn about its x axis:
  ///
  /// ```
  /// R_WC(OpenCV) = R_WC(MuJoCo) · diag(1, −1, −1)
  /// ```
  public func cameraPose(of camera: CameraID) -> RigidTransform {
    let X_WCmj = mujocoCameraPose(of: camera)
    let r = X_WCmj.rotation
    let rotation = RotationMatrix(uncheckedColumns: r.column(0), -r.column(1), -r.column(2))
    return RigidTransform(rotation: rotation, translation: X_WCmj.translation)
  }

  /// `X_WC` of a camera in MuJoCo's own convention (x right, y up, looking along −z).
  public func mujocoCameraPose(of camera: CameraID) -> RigidTransform {
    precondition(camera.index >= 0 && camera.index < Int(model.pointee.ncam), "no \(camera)")
    return Self.transform(position: data.pointee.cam_xpos + 3 * camera.index, rotation: data.pointee.cam_xmat + 9 * camera.index)
  }

  /// A camera's vertical field of view in degrees (`cam_fovy`).
  public func verticalFieldOfViewDegrees(of camera: CameraID) -> Double {
    precondition(camera.index >= 0 && camera.index < Int(model.pointee.ncam), "no \(camera)")
    return model.pointee.cam_fovy[camera.index]
  }

  static func transform(position p: UnsafeMutablePointer<Double>, rotation x: UnsafeMutablePointer<Double>) -> RigidTransform {
    // MuJoCo's 3×3 matrices are row-major.
    let rotation = RotationMatrix(uncheckedColumns: SIMD3(x[0], x[3], x[6]), SIMD3(x[1], x[4], x[7]), SIMD3(x[2], x[5], x[8]))
    return RigidTransform(rotation: rotation, translation: SIMD3(p[0], p[1], p[2]))
  }

  // MARK: Contacts and rays

  /// The active contacts at the last `forward()`/step, with their forces.
  public var contacts: [Contact] {
    var result: [Contact] = []
    let count = Int(data.pointee.ncon)
    result.reserveCapacity(count)
    var wrench = [Double](repeating: 0, count: 6)
    for i in 0..<count {
      let c = data.pointee.contact[i]
      mj_contactForce(model, data, Int32(i), &wrench)
      var frame = c.frame
      let rows = withUnsafeBytes(of: &frame) { raw -> [SIMD3<Double>] in
        let f = raw.bindMemory(to: Double.self)
        return [SIMD3(f[0], f[1], f[2]), SIMD3(f[3], f[4], f[5]), SIMD3(f[6], f[7], f[8])]
      }
      // The contact frame's rows are its axes in world coordinates; the first is the normal.
      let force = wrench[0] * rows[0] + wrench[1] * rows[1] + wrench[2] * rows[2]
      result.append(Contact(
        geom1: GeomID(Int(c.geom1)), geom2: GeomID(Int(c.geom2)),
        position: SIMD3(c.pos.0, c.pos.1, c.pos.2), normal: rows[0], distance: c.dist,
        force: force, normalForce: wrench[0]))
    }
    return result
  }

  /// Whether a current contact (signed distance ≤ 0) pairs a geom `g` with `first[g]` and one with
  /// `second[g]`, in either order; both masks have `geomCount` entries. No allocation: for per-step
  /// monitoring.
  func hasContact(between first: [Bool], and second: [Bool]) -> Bool {
    precondition(first.count == geomCount && second.count == geomCount, "hasContact: masks of \(first.count), \(second.count) geoms, model has \(geomCount)")
    for i in 0..<Int(data.pointee.ncon) {
      let c = data.pointee.contact[i]
      let g1 = Int(c.geom1), g2 = Int(c.geom2)
      if c.dist <= 0 && ((first[g1] && second[g2]) || (first[g2] && second[g1])) { return true }
    }
    return false
  }

  /// The first geom a ray meets (`mj_ray`), visible geom groups 0–2 only as the renderer draws them.
  ///
  /// - Parameters:
  ///   - origin: start point in world coordinates.
  ///   - direction: direction in world coordinates (need not be unit length).
  ///   - excluding: a body whose geoms the ray ignores (for example the camera's own body).
  /// - Returns: the geom and the distance in metres, or nil when nothing is hit.
  public func castRay(from origin: SIMD3<Double>, direction: SIMD3<Double>, excluding: BodyID? = nil) -> RayHit? {
    let length = (direction * direction).sum().squareRoot()
    precondition(length > 0, "castRay: zero direction")
    var point = [origin.x, origin.y, origin.z]
    var unit = [direction.x / length, direction.y / length, direction.z / length]
    var groups: [UInt8] = [1, 1, 1, 0, 0, 0]
    var hit: Int32 = -1
    let distance = mj_ray(model, data, &point, &unit, &groups, 1, Int32(excluding?.index ?? -1), &hit)
    guard hit >= 0, distance >= 0 else { return nil }
    return RayHit(geom: GeomID(Int(hit)), distance: distance)
  }
}

extension Simulation {
  // MARK: Jacobians and actuators

  /// The site's Jacobians at the last `forward()`/step (`mj_jacSite`): `translational` maps `qvel`
  /// to the site origin's world velocity, `rotational` to its world angular velocity; each is 3 × nv,
  /// row-major.
  public func jacobian(of site: SiteID) -> (translational: [Double], rotational: [Double]) {
    precondition(site.index >= 0 && site.index < Int(model.pointee.nsite), "no \(site)")
    var translational = [Double](repeating: 0, count: 3 * velocityCount)
    var rotational = [Double](repeating: 0, count: 3 * velocityCount)
    mj_jacSite(model, data, &translational, &rotational, Int32(site.index))
    return (translational, rotational)
  }

  /// An actuator's control range, when limited (`actuator_ctrlrange`).
  public func controlRange(of actuator: ActuatorID) -> ClosedRange<Double>? {
    precondition(actuator.index >= 0 && actuator.index < actuatorCount, "no \(actuator) (model has \(actuatorCount))")
    guard model.pointee.actuator_ctrllimited[actuator.index] != 0 else { return nil }
    return model.pointee.actuator_ctrlrange[2 * actuator.index]...model.pointee.actuator_ctrlrange[2 * actuator.index + 1]
  }

  /// The geoms attached to a body.
  public func geoms(of body: BodyID) -> [GeomID] {
    (0..<geomCount).map(GeomID.init).filter { self.body(of: $0) == body }
  }
}

extension Simulation {
  /// Writes the dense joint-space mass matrix `M(q)` (nv × nv, row-major) of the last
  /// `forward()`/step (`mj_fullM`).
  func fullMassMatrix(into dense: inout [Double]) {
    precondition(dense.count == velocityCount * velocityCount, "fullMassMatrix: \(dense.count) entries for nv = \(velocityCount)")
    mj_fullM(model, &dense, data.pointee.qM)
  }
}

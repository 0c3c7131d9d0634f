/// A rigid transform (pose): a rotation and a translation.
///
/// Monogram notation: `X_AB` is frame B's pose in frame A, made of `R_AB` and `p_AoBo_A` (the
/// position of B's origin from A's origin, expressed in A). Poses compose as
///
/// ```
/// X_AC = X_AB * X_BC
/// p_AQ = X_AB * p_BQ = R_AB · p_BQ + p_AoBo_A
/// ```
public struct RigidTransform: Sendable, Equatable, CustomStringConvertible {
  /// `R_AB`, B's orientation in A.
  public var rotation: RotationMatrix
  /// `p_AoBo_A`, B's origin in A.
  public var translation: SIMD3<Double>

  /// A transform from its rotation and translation.
  public init(rotation: RotationMatrix = .identity, translation: SIMD3<Double> = .zero) {
    self.rotation = rotation
    self.translation = translation
  }

  /// The identity transform.
  public static let identity = RigidTransform()

  /// Composition: `X_AC = X_AB * X_BC`.
  public static func * (lhs: RigidTransform, rhs: RigidTransform) -> RigidTransform {
    RigidTransform(rotation: lhs.rotation * rhs.rotation, translation: lhs.rotation * rhs.translation + lhs.translation)
  }

  /// Maps a point: `p_AQ = X_AB * p_BQ`.
  public static func * (lhs: RigidTransform, rhs: SIMD3<Double>) -> SIMD3<Double> {
    lhs.rotation * rhs + lhs.translation
  }

  /// The inverse `X_BA = X_AB⁻¹`.
  ///
  /// ```
  /// R_BA = R_ABᵀ,   p_BoAo_B = −R_ABᵀ · p_AoBo_A
  /// ```
  public var inverse: RigidTransform {
    let rt = rotation.inverse
    return RigidTransform(rotation: rt, translation: -(rt * translation))
  }

  /// The 4×4 homogeneous matrix `[R p; 0 0 0 1]`, 16 entries row after row.
  public var rowMajor4x4: [Double] {
    var out: [Double] = []
    out.reserveCapacity(16)
    for i in 0..<3 {
      let r = rotation.row(i)
      out += [r.x, r.y, r.z, translation[i]]
    }
    out += [0, 0, 0, 1]
    return out
  }

  /// Checks a row-major 4×4 homogeneous matrix and wraps it.
  ///
  /// - Parameter tolerance: the allowed deviation of the rotation block from orthonormality and of
  ///   the bottom row from `[0, 0, 0, 1]`.
  /// - Throws: `GeometryError` naming the element count, a non-finite entry, the bottom row, or
  ///   the rotation block's defect.
  public init(rowMajor4x4 m: [Double], tolerance: Double = 1e-9) throws(GeometryError) {
    guard m.count == 16 else { throw .wrongElementCount(expected: 16, actual: m.count) }
    if let bad = m.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
    let bottom = Array(m[12..<16])
    let expected: [Double] = [0, 0, 0, 1]
    guard zip(bottom, expected).allSatisfy({ abs($0 - $1) <= tolerance }) else { throw .invalidBottomRow(bottom) }
    let r = try RotationMatrix(rowMajor: [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]], tolerance: tolerance)
    self.init(rotation: r, translation: SIMD3(m[3], m[7], m[11]))
  }

  /// Whether the rotations and translations agree entrywise within `tolerance`.
  public func isApproximatelyEqual(to other: RigidTransform, tolerance: Double) -> Bool {
    let d = translation - other.translation
    return rotation.isApproximatelyEqual(to: other.rotation, tolerance: tolerance)
      && abs(d.x) <= tolerance && abs(d.y) <= tolerance && abs(d.z) <= tolerance
  }

  /// The rotation and translation.
  public var description: String { "RigidTransform(translation: \(translation), \(rotation))" }
}

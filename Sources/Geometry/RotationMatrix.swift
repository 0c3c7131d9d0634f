#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A 3×3 rotation matrix: orthonormal columns, determinant +1.
///
/// Monogram notation: `R_AB` expresses frame B's axes in frame A, so `v_A = R_AB * v_B` and
/// `R_AC = R_AB * R_BC`. Every way to build one either constructs an exact rotation (from a
/// quaternion, angles, axis-angle) or checks its input (`init(rowMajor:tolerance:)`).
public struct RotationMatrix: Sendable, Equatable, CustomStringConvertible {
  /// Columns: B's x, y and z axes expressed in A.
  private let c0: SIMD3<Double>
  private let c1: SIMD3<Double>
  private let c2: SIMD3<Double>

  /// Wraps three columns without checking them. The caller guarantees a rotation.
  public init(uncheckedColumns c0: SIMD3<Double>, _ c1: SIMD3<Double>, _ c2: SIMD3<Double>) {
    self.c0 = c0
    self.c1 = c1
    self.c2 = c2
  }

  /// The identity rotation.
  public static let identity = RotationMatrix(uncheckedColumns: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

  /// Entry `(row, column)`.
  /// - Precondition: both indices in `0..<3`.
  public subscript(row: Int, column: Int) -> Double {
    precondition((0..<3).contains(row) && (0..<3).contains(column), "RotationMatrix: index (\(row), \(column)) outside 3×3")
    return self.column(column)[row]
  }

  /// Column `j` (B's axis `j` expressed in A).
  public func column(_ j: Int) -> SIMD3<Double> {
    switch j {
    case 0: return c0
    case 1: return c1
    case 2: return c2
    default: preconditionFailure("RotationMatrix.column: \(j) outside 0..<3")
    }
  }

  /// Row `i`.
  public func row(_ i: Int) -> SIMD3<Double> {
    precondition((0..<3).contains(i), "RotationMatrix.row: \(i) outside 0..<3")
    return SIMD3(c0[i], c1[i], c2[i])
  }

  /// The nine entries, row after row.
  public var rowMajor: [Double] { (0..<3).flatMap { i in [c0[i], c1[i], c2[i]] } }

  /// Checks a row-major 3×3 matrix and wraps it.
  ///
  /// ```
  /// max |RᵀR − I| ≤ tolerance,   det R > 0
  /// ```
  /// - Throws: `GeometryError` naming the element count, a non-finite entry, the deviation from
  ///   orthonormality, or a negative determinant.
  public init(rowMajor m: [Double], tolerance: Double = 1e-9) throws(GeometryError) {
    guard m.count == 9 else { throw .wrongElementCount(expected: 9, actual: m.count) }
    if let bad = m.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
    let r = RotationMatrix(
      uncheckedColumns: SIMD3(m[0], m[3], m[6]), SIMD3(m[1], m[4], m[7]), SIMD3(m[2], m[5], m[8]))
    let deviation = r.orthonormalityDeviation
    guard deviation <= tolerance else { throw .notOrthonormal(maxDeviation: deviation) }
    let det = r.determinant
    guard det > 0 else { throw .notRightHanded(determinant: det) }
    self = r
  }

  /// The largest absolute entry of `RᵀR − I` (0 for an exact rotation).
  public var orthonormalityDeviation: Double {
    let cols = [c0, c1, c2]
    var d = 0.0
    for i in 0..<3 {
      for j in 0..<3 {
        let g = (cols[i] * cols[j]).sum() - (i == j ? 1 : 0)
        d = max(d, abs(g))
      }
    }
    return d
  }

  /// The determinant, `c0 · (c1 × c2)` (+1 for a rotation).
  public var determinant: Double { (c0 * cross(c1, c2)).sum() }

  /// Whether every entry differs from `other`'s by at most `tolerance`.
  public func isApproximatelyEqual(to other: RotationMatrix, tolerance: Double) -> Bool {
    let d = [c0 - other.c0, c1 - other.c1, c2 - other.c2]
    return d.allSatisfy { v in (0..<3).allSatisfy { abs(v[$0]) <= tolerance } }
  }

  /// The entries, one row per line.
  public var description: String {
    "RotationMatrix" + (0..<3).map { i in "\n  \(c0[i])  \(c1[i])  \(c2[i])" }.joined()
  }
}

// MARK: - Composition

extension RotationMatrix {
  /// Composition: `R_AC = R_AB * R_BC`.
  public static func * (lhs: RotationMatrix, rhs: RotationMatrix) -> RotationMatrix {
    RotationMatrix(uncheckedColumns: lhs * rhs.c0, lhs * rhs.c1, lhs * rhs.c2)
  }

  /// Re-expresses a vector: `v_A = R_AB * v_B`.
  public static func * (lhs: RotationMatrix, rhs: SIMD3<Double>) -> SIMD3<Double> {
    lhs.c0 * rhs.x + lhs.c1 * rhs.y + lhs.c2 * rhs.z
  }

  /// The inverse rotation `R_BA = R_ABᵀ`.
  public var inverse: RotationMatrix {
    RotationMatrix(uncheckedColumns: row(0), row(1), row(2))
  }
}

// MARK: - Parameterizations

extension RotationMatrix {
  /// The rotation of a unit quaternion (the argument is normalized first).
  ///
  /// ```
  /// R = [1−2(y²+z²)   2(xy−wz)     2(xz+wy)
  ///      2(xy+wz)     1−2(x²+z²)   2(yz−wx)
  ///      2(xz−wy)     2(yz+wx)     1−2(x²+y²)]
  /// ```
  /// - Precondition: the quaternion's norm is positive and finite.
  public init(quaternion: Quaternion) {
    let q = quaternion.normalized()
    let (w, x, y, z) = (q.w, q.x, q.y, q.z)
    self.init(
      uncheckedColumns: SIMD3(1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)),
      SIMD3(2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)),
      SIMD3(2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)))
  }

  /// The unit quaternion of this rotation, with `w ≥ 0` (Shepperd's method, stable for every rotation;
  /// doi:10.2514/3.55767b).
  public var quaternion: Quaternion {
    let (r00, r11, r22) = (c0.x, c1.y, c2.z)
    let (r01, r02, r10, r12, r20, r21) = (c1.x, c2.x, c0.y, c2.y, c0.z, c1.z)
    let t = r00 + r11 + r22
    var q: Quaternion
    if t > 0 {
      let s = (t + 1).squareRoot() * 2
      q = Quaternion(w: s / 4, x: (r21 - r12) / s, y: (r02 - r20) / s, z: (r10 - r01) / s)
    } else if r00 > r11 && r00 > r22 {
      let s = (1 + r00 - r11 - r22).squareRoot() * 2
      q = Quaternion(w: (r21 - r12) / s, x: s / 4, y: (r01 + r10) / s, z: (r02 + r20) / s)
    } else if r11 > r22 {
      let s = (1 + r11 - r00 - r22).squareRoot() * 2
      q = Quaternion(w: (r02 - r20) / s, x: (r01 + r10) / s, y: s / 4, z: (r12 + r21) / s)
    } else {
      let s = (1 + r22 - r00 - r11).squareRoot() * 2
      q = Quaternion(w: (r10 - r01) / s, x: (r02 + r20) / s, y: (r12 + r21) / s, z: s / 4)
    }
    if q.w < 0 { q = Quaternion(w: -q.w, x: -q.x, y: -q.y, z: -q.z) }
    return q.normalized()
  }

  /// The rotation by `angle` radians about `axis` (right-hand rule; the axis is normalized first).
  ///
  /// ```
  /// R = I + sin θ·[k]ₓ + (1 − cos θ)·[k]ₓ²
  /// ```
  /// - Precondition: `axis` has positive finite length.
  public init(axis: SIMD3<Double>, angle: Double) {
    let length = (axis * axis).sum().squareRoot()
    precondition(length > 0 && length.isFinite, "RotationMatrix(axis:angle:): axis \(axis) has length \(length)")
    let k = axis / length
    self.init(quaternion: Quaternion(scalar: cos(angle / 2), vector: k * sin(angle / 2)))
  }

  /// The axis (unit) and angle in `[0, π]` radians of this rotation; the identity gives axis `(1, 0, 0)`, angle 0.
  public var axisAngle: (axis: SIMD3<Double>, angle: Double) {
    let q = quaternion
    let v = q.vector
    let s = (v * v).sum().squareRoot()
    if s == 0 { return (SIMD3(1, 0, 0), 0) }
    return (v / s, 2 * atan2(s, q.w))
  }

  /// The rotation from roll, pitch and yaw angles in radians (Drake's convention: extrinsic
  /// rotations about the fixed x, y then z axes).
  ///
  /// ```
  /// R = Rz(yaw) · Ry(pitch) · Rx(roll)
  /// ```
  public init(roll: Double, pitch: Double, yaw: Double) {
    self = RotationMatrix.aboutZ(yaw) * RotationMatrix.aboutY(pitch) * RotationMatrix.aboutX(roll)
  }

  /// Roll, pitch and yaw `(r, p, y)` with pitch in `[−π/2, π/2]` and roll, yaw in `(−π, π]`,
  /// so that `RotationMatrix(roll: r, pitch: p, yaw: y) == self` up to rounding.
  ///
  /// At gimbal lock (pitch = ±π/2) only `yaw ∓ roll` is determined; roll is reported as 0.
  public var rollPitchYaw: SIMD3<Double> {
    let (r00, r10, r20, r21, r22) = (c0.x, c0.y, c0.z, c1.z, c2.z)
    let cp = (r00 * r00 + r10 * r10).squareRoot()
    let pitch = atan2(-r20, cp)
    if cp < 1e-12 {
      // cos(pitch) ≈ 0: with roll fixed at 0, R[0,1] = −sin(yaw) and R[1,1] = cos(yaw).
      return SIMD3(0, pitch, atan2(-c1.x, c1.y))
    }
    return SIMD3(atan2(r21, r22), pitch, atan2(r10, r00))
  }

  /// The rotation by `angle` radians about the x axis.
  public static func aboutX(_ angle: Double) -> RotationMatrix {
    let (c, s) = (cos(angle), sin(angle))
    return RotationMatrix(uncheckedColumns: SIMD3(1, 0, 0), SIMD3(0, c, s), SIMD3(0, -s, c))
  }

  /// The rotation by `angle` radians about the y axis.
  public static func aboutY(_ angle: Double) -> RotationMatrix {
    let (c, s) = (cos(angle), sin(angle))
    return RotationMatrix(uncheckedColumns: SIMD3(c, 0, -s), SIMD3(0, 1, 0), SIMD3(s, 0, c))
  }

  /// The rotation by `angle` radians about the z axis.
  public static func aboutZ(_ angle: Double) -> RotationMatrix {
    let (c, s) = (cos(angle), sin(angle))
    return RotationMatrix(uncheckedColumns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1))
  }
}

/// The cross product `a × b`.
@inline(__always)
func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A quaternion `w + x·i + y·j + z·k`, scalar part first (the order Drake and Eigen print).
///
/// Unit quaternions represent rotations; `q` and `−q` represent the same one.
public struct Quaternion: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// The scalar part.
  public var w: Double
  /// The `i` component.
  public var x: Double
  /// The `j` component.
  public var y: Double
  /// The `k` component.
  public var z: Double

  /// A quaternion from its four components.
  public init(w: Double, x: Double, y: Double, z: Double) {
    self.w = w
    self.x = x
    self.y = y
    self.z = z
  }

  /// A quaternion from its scalar part and vector part.
  public init(scalar: Double, vector: SIMD3<Double>) {
    self.init(w: scalar, x: vector.x, y: vector.y, z: vector.z)
  }

  /// The identity rotation `1 + 0i + 0j + 0k`.
  public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

  /// The vector part `(x, y, z)`.
  public var vector: SIMD3<Double> { SIMD3(x, y, z) }

  /// The Euclidean norm `sqrt(w² + x² + y² + z²)`.
  public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }

  /// The quaternion divided by its norm.
  /// - Precondition: the norm is positive and finite.
  public func normalized() -> Quaternion {
    let n = norm
    precondition(n > 0 && n.isFinite, "Quaternion.normalized: norm \(n) of \(self) is not positive and finite")
    return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
  }

  /// The conjugate `w − x·i − y·j − z·k` (the inverse rotation for a unit quaternion).
  public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

  /// The Hamilton product; for unit quaternions `q_AB * q_BC = q_AC`.
  ///
  /// ```
  /// (a₀ + a)(b₀ + b) = a₀b₀ − a·b + a₀b + b₀a + a × b
  /// ```
  public static func * (lhs: Quaternion, rhs: Quaternion) -> Quaternion {
    Quaternion(
      w: lhs.w * rhs.w - lhs.x * rhs.x - lhs.y * rhs.y - lhs.z * rhs.z,
      x: lhs.w * rhs.x + lhs.x * rhs.w + lhs.y * rhs.z - lhs.z * rhs.y,
      y: lhs.w * rhs.y - lhs.x * rhs.z + lhs.y * rhs.w + lhs.z * rhs.x,
      z: lhs.w * rhs.z + lhs.x * rhs.y - lhs.y * rhs.x + lhs.z * rhs.w)
  }

  /// `"Quaternion(w: …, x: …, y: …, z: …)"`.
  public var description: String { "Quaternion(w: \(w), x: \(x), y: \(y), z: \(z))" }
}

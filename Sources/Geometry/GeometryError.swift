/// Why a rotation or transform read from user data was rejected.
public enum GeometryError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The array had `actual` entries where `expected` were needed (9 for a rotation, 16 for a transform).
  case wrongElementCount(expected: Int, actual: Int)
  /// Entry `index` (row-major) is NaN or infinite.
  case nonFinite(index: Int)
  /// `RᵀR` differs from the identity by `maxDeviation` (largest absolute entry), above the tolerance.
  case notOrthonormal(maxDeviation: Double)
  /// `det R` is `determinant`, not +1: a reflection, not a rotation.
  case notRightHanded(determinant: Double)
  /// The bottom row of a 4×4 homogeneous transform is `row`, not `[0, 0, 0, 1]`.
  case invalidBottomRow([Double])

  /// A sentence naming the problem and the offending value.
  public var description: String {
    switch self {
    case .wrongElementCount(let expected, let actual): return "expected \(expected) elements, got \(actual)"
    case .nonFinite(let index): return "element \(index) is not finite"
    case .notOrthonormal(let d): return "matrix is not orthonormal: max |RᵀR − I| = \(d)"
    case .notRightHanded(let d): return "matrix is a reflection: det R = \(d)"
    case .invalidBottomRow(let row): return "bottom row of the 4×4 transform is \(row), expected [0, 0, 0, 1]"
    }
  }
}

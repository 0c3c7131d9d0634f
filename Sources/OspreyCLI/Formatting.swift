import Foundation

/// Number and time formatting shared by the commands' human-readable output.
public enum Formatting {
  /// A number with `significantDigits` significant digits (`%.*g`); "-" for NaN, "inf"/"-inf".
  public static func number(_ value: Double, significantDigits: Int = 10) -> String {
    if value.isNaN { return "-" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return String(format: "%.*g", significantDigits, value)
  }

  /// An optional number; "-" for `nil`.
  public static func number(_ value: Double?, significantDigits: Int = 10) -> String {
    value.map { number($0, significantDigits: significantDigits) } ?? "-"
  }

  /// A duration in seconds with a unit that suits it: "412 µs", "3.21 ms", "1.25 s".
  public static func duration(seconds: Double) -> String {
    if !seconds.isFinite || seconds < 0 { return "-" }
    if seconds < 1e-3 { return String(format: "%.0f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
    return String(format: "%.2f s", seconds)
  }

  /// A small positive quantity (a residual, a relative difference) in scientific notation: "1.2e-09".
  public static func scientific(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "-" }
    return String(format: "%.1e", value)
  }
}

/// The relative difference used to compare an objective with a reference value:
///
/// ```
/// |value − reference| / max(1, |reference|)
/// ```
///
/// (absolute near zero, relative away from it). `nil` when either value is missing or not finite.
public func relativeDifference(_ value: Double?, reference: Double?) -> Double? {
  guard let value, let reference, value.isFinite, reference.isFinite else { return nil }
  return abs(value - reference) / max(1, abs(reference))
}

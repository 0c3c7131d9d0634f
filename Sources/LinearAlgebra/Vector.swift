// Small helpers on `[Double]` used as a vector. They are plain loops: for the short vectors of a
// robotics problem a BLAS call costs more than it saves.

extension Array where Element == Double {
  /// The dot product with another vector of the same length.
  ///
  /// ```
  /// x·y = Σᵢ xᵢ yᵢ
  /// ```
  /// - Complexity: O(n).
  /// - Precondition: `count == other.count`.
  public func dot(_ other: [Double]) -> Double {
    precondition(count == other.count, "dot: lengths differ (\(count) vs \(other.count))")
    return withUnsafeBufferPointer { x in
      other.withUnsafeBufferPointer { y in
        var sum = 0.0
        for i in 0..<x.count { sum += x[i] * y[i] }
        return sum
      }
    }
  }

  /// The Euclidean norm, computed with scaling so that it neither overflows nor underflows.
  ///
  /// ```
  /// ‖x‖₂ = sqrt(Σᵢ xᵢ²)
  /// ```
  /// - Complexity: O(n).
  public var norm2: Double {
    let scale = normInf
    if scale == 0 || !scale.isFinite { return scale }
    var sum = 0.0
    for v in self {
      let r = v / scale
      sum += r * r
    }
    return scale * sum.squareRoot()
  }

  /// The largest absolute entry, 0 for an empty vector; NaN if any entry is NaN.
  ///
  /// ```
  /// ‖x‖∞ = maxᵢ |xᵢ|
  /// ```
  /// - Complexity: O(n).
  public var normInf: Double {
    var m = 0.0
    for v in self {
      if v.isNaN { return .nan }
      m = Swift.max(m, Swift.abs(v))
    }
    return m
  }

  /// Adds a multiple of another vector in place (BLAS `axpy`).
  ///
  /// ```
  /// self ← self + α·x
  /// ```
  /// - Complexity: O(n).
  /// - Precondition: `count == x.count`.
  public mutating func axpy(_ alpha: Double, _ x: [Double]) {
    precondition(count == x.count, "axpy: lengths differ (self \(count) vs x \(x.count))")
    withUnsafeMutableBufferPointer { y in
      x.withUnsafeBufferPointer { x in
        for i in 0..<y.count { y[i] += alpha * x[i] }
      }
    }
  }

  /// The vector multiplied by a scalar.
  ///
  /// - Complexity: O(n).
  public func scaled(by alpha: Double) -> [Double] {
    map { alpha * $0 }
  }
}

import Foundation

/// A small, fast, deterministic random number generator: SplitMix64.
///
/// ```
/// state ← state + 0x9E3779B97F4A7C15
/// z ← mix(state)   (two xor-shift-multiply rounds and a final xor-shift)
/// ```
/// Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014,
/// doi:10.1145/2660193.2660195. Every machine produces the same stream for the same seed, so
/// samplers seeded with it (`HitAndRunSampler`) and the tests that use it are repeatable. It is not
/// a cryptographic generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  /// The generator's state; the next output is a function of it alone.
  public private(set) var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  /// - Complexity: O(1).
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in `[0, 1)`, from the top 53 bits of `next()`.
  /// - Complexity: O(1).
  public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// A standard normal deviate (Box–Muller transform of two uniform draws; one of the pair is used).
  ///
  /// ```
  /// g = √(−2 ln u₁) · cos(2π u₂),   u₁ ∈ (0, 1],  u₂ ∈ [0, 1)
  /// ```
  /// - Complexity: O(1).
  public mutating func nextStandardNormal() -> Double {
    let u1 = 1 - nextUnit()  // (0, 1]: the logarithm stays finite
    let u2 = nextUnit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

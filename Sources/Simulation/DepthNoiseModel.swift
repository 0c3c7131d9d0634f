import ConvexSets
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A seeded model of an RGB-D sensor's depth errors, applied to clean rendered depth: axial Gaussian
/// noise whose standard deviation grows with the square of the distance, dropout at depth
/// discontinuities, and dropout at random pixels.
///
/// ```
/// σ(z)  = σ₀ + σ₂ · (z − z₀)²                         axial noise, metres
/// z'    = z + σ(z) · g,   g ~ N(0, 1)                  (z' ≤ 0 becomes 0: no depth)
/// edge  = some 4-neighbour n has no depth or |z − z_n| > discontinuityFraction · z
/// drop  with probability edgeDropoutProbability at edges, randomDropoutProbability everywhere
/// ```
/// The defaults are the structured-light (Kinect v1 / PrimeSense-class) figures of Nguyen, Izadi,
/// Lovell, "Modeling Kinect Sensor Noise for Improved 3D Reconstruction and Tracking", 3DIMPVT 2012,
/// doi:10.1109/3DIMPVT.2012.84: σ(z) = 0.0012 + 0.0019 (z − 0.4)² m (about 1.2 mm at 0.4 m, 3.9 mm at
/// 1.6 m). Missing depth (0) stays 0. Dropped pixels become 0, the on-disk "no depth".
/// Deterministic: the same depth image, seed and model give the same output on every machine.
public struct DepthNoiseModel: Sendable, Equatable {
  /// σ₀, metres (default 0.0012).
  public var baseSigmaMetres = 0.0012
  /// σ₂, metres per square metre (default 0.0019).
  public var quadraticSigmaPerSquareMetre = 0.0019
  /// z₀, metres (default 0.4).
  public var referenceDepthMetres = 0.4
  /// Probability that a pixel at a depth discontinuity reads no depth (default 0.5).
  public var edgeDropoutProbability = 0.5
  /// A jump to a 4-neighbour larger than this fraction of the depth is a discontinuity (default 0.05).
  public var discontinuityFraction = 0.05
  /// Probability that any pixel reads no depth (default 0.002).
  public var randomDropoutProbability = 0.002
  /// Seed of the noise (default 0); `OffscreenRenderer` adds the frame number so frames differ.
  public var seed: UInt64 = 0

  /// The default (structured-light) model.
  public init() {}

  /// No noise and no dropout: `apply` returns the depth unchanged.
  public static let none: DepthNoiseModel = {
    var model = DepthNoiseModel()
    model.baseSigmaMetres = 0
    model.quadraticSigmaPerSquareMetre = 0
    model.edgeDropoutProbability = 0
    model.randomDropoutProbability = 0
    return model
  }()

  /// σ(z), metres.
  public func sigma(atDepthMetres z: Double) -> Double {
    baseSigmaMetres + quadraticSigmaPerSquareMetre * (z - referenceDepthMetres) * (z - referenceDepthMetres)
  }

  /// The noisy depth image (row-major, `width × height`, metres, 0 = no depth).
  ///
  /// - Parameter seed: the noise stream (default `self.seed`).
  /// - Precondition: `depth.count == width · height`; probabilities in [0, 1]; σ₀, σ₂ ≥ 0.
  /// - Complexity: O(width · height).
  public func apply(to depth: [Float], width: Int, height: Int, seed: UInt64? = nil) -> [Float] {
    precondition(depth.count == width * height, "DepthNoiseModel.apply: \(depth.count) pixels for \(width)×\(height)")
    precondition((0...1).contains(edgeDropoutProbability) && (0...1).contains(randomDropoutProbability),
                 "DepthNoiseModel: dropout probabilities \(edgeDropoutProbability), \(randomDropoutProbability) outside [0, 1]")
    precondition(baseSigmaMetres >= 0 && quadraticSigmaPerSquareMetre >= 0, "DepthNoiseModel: negative σ coefficients")
    var generator = SeededGenerator(seed: seed ?? self.seed)  // SplitMix64 + Box–Muller (ConvexSets)
    var out = depth
    let noisy = baseSigmaMetres > 0 || quadraticSigmaPerSquareMetre > 0
    for v in 0..<height {
      for u in 0..<width {
        let i = v * width + u
        let z = depth[i]
        guard z > 0 else { continue }
        // Draw every variate for every valid pixel so a pixel's noise does not depend on the others'.
        let gaussian = generator.nextStandardNormal()
        let edgeDraw = generator.nextUnit(), randomDraw = generator.nextUnit()
        if randomDraw < randomDropoutProbability { out[i] = 0; continue }
        if edgeDropoutProbability > 0 && edgeDraw < edgeDropoutProbability {
          let limit = Float(discontinuityFraction) * z
          var edge = false
          for (du, dv) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
            let nu = u + du, nv = v + dv
            guard nu >= 0, nu < width, nv >= 0, nv < height else { continue }
            let n = depth[nv * width + nu]
            if n <= 0 || abs(n - z) > limit { edge = true; break }
          }
          if edge { out[i] = 0; continue }
        }
        if noisy {
          let noisyDepth = Double(z) + sigma(atDepthMetres: Double(z)) * gaussian
          out[i] = noisyDepth > 0 ? Float(noisyDepth) : 0
        }
      }
    }
    return out
  }
}

import Foundation
import Torch

/// Pixel indices (row-major, `v · W + u`, at the network's resolution) of one image pair's matches
/// and non-matches.
public struct PairIndices: Sendable, Equatable {
  public var matchesA: [Int64]
  public var matchesB: [Int64]
  public var objectNonMatchesA: [Int64]
  public var objectNonMatchesB: [Int64]
  public var backgroundNonMatchesA: [Int64]
  public var backgroundNonMatchesB: [Int64]

  public init(matchesA: [Int64] = [], matchesB: [Int64] = [], objectNonMatchesA: [Int64] = [], objectNonMatchesB: [Int64] = [],
              backgroundNonMatchesA: [Int64] = [], backgroundNonMatchesB: [Int64] = []) {
    self.matchesA = matchesA
    self.matchesB = matchesB
    self.objectNonMatchesA = objectNonMatchesA
    self.objectNonMatchesB = objectNonMatchesB
    self.backgroundNonMatchesA = backgroundNonMatchesA
    self.backgroundNonMatchesB = backgroundNonMatchesB
  }
}

/// The pixelwise contrastive loss of Dense Object Nets (Florence, Manuelli & Tedrake, CoRL 2018,
/// arXiv:1806.08756), with hard-negative scaling and background non-matches:
///
/// ```
/// L_match      = (1/N_m) Σ_matches ‖d_A(a) − d_B(b)‖²
/// L_object     = (1/max(1, H_o)) Σ_object non-matches     max(0, M_o − ‖d_A(a) − d_B(b)‖)²
/// L_background = (1/max(1, H_b)) Σ_background non-matches max(0, M_b − ‖d_A(a) − d_B(b)‖)²
/// L = w_m L_match + w_o L_object + w_b L_background
/// ```
/// where H is the number of hard negatives (terms with a positive hinge). Defaults are the paper's
/// code's: M_o = M_b = 0.5, all weights 1.
///
/// An optional distributional term (off in `ContrastiveLoss()`, on at weight 1 in `TrainingOptions`)
/// scores the first K matches against every pixel
/// of B at once, as the best-match evaluation does: the cross-entropy of a softmax over −‖d_A(a) −
/// d_B(u)‖²/τ at u = b (the spatial-distribution idea of Florence's thesis, MIT 2020, ch. 4):
/// ```
/// L_distribution = (1/K) Σ_k −log softmax_u(−‖d_A(a_k) − d_B(u)‖² / τ)[b_k]
/// ```
/// In 30-minute runs on mugs (weight 1, τ 0.02, K 32; measured together with background non-matches
/// drawn inside B's window) the held-out median best-match error went from 3.68 to 2.99 px; the
/// contrastive terms alone never ask pixels within 5 px of a match to differ. τ 0.05 (the default
/// since 2026-12-03) beat 0.02 with both seeds tried: held-out medians 3.20 → 2.85 and 3.49 → 3.00 px
/// (docs/descriptors.md).
public struct ContrastiveLoss: Sendable, Equatable {
  public var objectMargin = 0.5
  public var backgroundMargin = 0.5
  public var matchWeight = 1.0
  public var objectNonMatchWeight = 1.0
  public var backgroundNonMatchWeight = 1.0
  /// Weight of the distributional term (0: off; see below).
  public var distributionWeight = 0.0
  /// Temperature τ of the distributional term's softmax over squared descriptor distance (0.05;
  /// 0.02 until 2026-12-03, 0.005 did worse).
  public var distributionTemperature = 0.05
  /// Matches (the first ones of the pair) that enter the distributional term.
  public var distributionMatches = 32
  /// Candidates for the distributional term's queries (0, or not more than `distributionMatches`:
  /// none, the first matches enter). With more, the first `distributionCandidates` matches are
  /// scored without autograd, each against B's pixels on a grid of every other row and column and
  /// its own match, and the `distributionMatches` with the highest cross-entropy enter the term:
  /// online hard-example mining over pixels (after Shrivastava, Gupta & Girshick, CVPR 2016), aimed
  /// at the far misses, which are the queries whose softmax puts its mass on another part of B.
  public var distributionCandidates = 0
  /// Spread σ of the distributional term's target, in pixels (0, the default: all of the target's
  /// mass on the match). With σ > 0 the target is a Gaussian exp(−‖u − b‖² / 2σ²) over B's pixels
  /// within ⌈3σ⌉ of the match b (each axis), normalized over those inside the image, and the term
  /// is the cross-entropy less the target's entropy: the Kullback–Leibler divergence of the
  /// softmax from the target, zero when they are equal. A one-hot target counts the softmax's mass
  /// on the match's neighbours as error as much as mass across the object, and no smooth
  /// descriptor image can put all of it on one pixel; a Gaussian target asks for a fixed
  /// sharpness (descriptors changing by about √(τ/2)/σ a pixel near the match, for which the
  /// softmax is that Gaussian) and leaves the gradient to the mass that lies far away. Scored
  /// queries (`distributionCandidates`) are still scored against a one-hot target.
  public var distributionSigma = 0.0

  public init() {}

  /// The three terms and the total, as tensors (the total has the autograd graph).
  public struct Terms {
    public var total: Tensor
    public var match: Double
    public var objectNonMatch: Double
    public var backgroundNonMatch: Double
    public var distribution: Double
    public var objectHardNegatives: Int
    public var backgroundHardNegatives: Int
  }

  /// The loss of descriptor images `a` and `b` ([D, H, W] or [1, D, H, W]) at `indices`.
  ///
  /// The hinge terms' distances come from `Functional.rowDistance` (one fused kernel over the tens of
  /// thousands of non-matches a pair has; its backward pass skips those past the margin); the
  /// matches and the distributional term's queries are gathered as columns of the [D, H·W] images.
  public func callAsFunction(_ a: Tensor, _ b: Tensor, _ indices: PairIndices) throws -> Terms {
    let flatA = try pixels(a), flatB = try pixels(b)
    // [H·W, D] rows for the fused distances (contiguous: the kernel reads each row as one run).
    let rowsOfA = try flatA.transposed(0, 1).contiguous(), rowsOfB = try flatB.transposed(0, 1).contiguous()
    let dimension = flatA.shape[0]
    func columns(_ flat: Tensor, _ index: [Int64]) throws -> Tensor {
      try flat.gather(1, Tensor(int64: index, shape: [1, index.count]).expanded([dimension, index.count]))
    }
    var total = try Tensor.zeros([])
    var match = 0.0
    if !indices.matchesA.isEmpty {
      let difference = try columns(flatA, indices.matchesA) - columns(flatB, indices.matchesB)
      let term = try (difference * difference).sum([0]).mean()
      match = try term.item()
      total = try total + term * matchWeight
    }
    // Hinge max(0, M − √(‖·‖² + ε)) (ε: a finite gradient where two descriptors coincide) over
    // fused row distances, whose backward pass skips the pairs past the margin.
    func hinge(_ ia: [Int64], _ ib: [Int64], margin: Double) throws -> (Tensor, Double, Int)? {
      guard !ia.isEmpty else { return nil }
      let distance = try Functional.rowDistance(rowsOfA, rowsOfB, rowsA: Tensor(int64: ia, shape: [ia.count]),
                                                rowsB: Tensor(int64: ib, shape: [ib.count]))
      let positive = try (margin - distance).clamped(min: 0)
      let hard = Int(try positive.gt(0).to(.int64).sum().item())
      let term = try (positive * positive).sum() / Double(max(1, hard))
      return (term, try term.item(), hard)
    }
    var objectValue = 0.0, backgroundValue = 0.0, objectHard = 0, backgroundHard = 0
    if let (term, value, hard) = try hinge(indices.objectNonMatchesA, indices.objectNonMatchesB, margin: objectMargin) {
      total = try total + term * objectNonMatchWeight
      (objectValue, objectHard) = (value, hard)
    }
    if let (term, value, hard) = try hinge(indices.backgroundNonMatchesA, indices.backgroundNonMatchesB, margin: backgroundMargin) {
      total = try total + term * backgroundNonMatchWeight
      (backgroundValue, backgroundHard) = (value, hard)
    }
    var distributionValue = 0.0
    if distributionWeight > 0, !indices.matchesA.isEmpty {
      let k = min(distributionMatches, indices.matchesA.count)
      var (queriesA, targetsB) = (Array(indices.matchesA.prefix(k)), Array(indices.matchesB.prefix(k)))
      let candidates = min(distributionCandidates, indices.matchesA.count)
      if candidates > k {
        let scores = try hardness(flatA, flatB, Array(indices.matchesA.prefix(candidates)), Array(indices.matchesB.prefix(candidates)),
                                  width: b.shape[b.rank - 1], columns: columns)
        let hardest = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(k)
        (queriesA, targetsB) = (hardest.map { indices.matchesA[$0] }, hardest.map { indices.matchesB[$0] })
      }
      let queries = try columns(flatA, queriesA).transposed(0, 1)
      // −‖q − d_B(u)‖²/τ up to a per-row constant (‖q‖², which the softmax ignores), scaled on the
      // small factors: (2q/τ)·d_B(u) − ‖d_B(u)‖²/τ.
      let logits = try (queries * (2 / distributionTemperature)).matmul(flatB)
        - ((flatB * flatB).sum([0]) / distributionTemperature).unsqueezed(0)
      let term: Tensor
      if distributionSigma > 0 {
        let shape = b.shape
        let target = gaussianTargets(targetsB, width: shape[shape.count - 1], height: shape[shape.count - 2], sigma: distributionSigma)
        let logProbability = try logits.logSoftmax(dim: 1).gather(1, Tensor(int64: target.index, shape: [k, target.window]))
        term = try (logProbability * Tensor(target.weight, shape: [k, target.window])).sum() * (-1 / Double(k)) - target.meanEntropy
      } else {
        term = try Functional.crossEntropy(logits, Tensor(int64: targetsB, shape: [targetsB.count]))
      }
      distributionValue = try term.item()
      total = try total + term * distributionWeight
    }
    return Terms(total: total, match: match, objectNonMatch: objectValue, backgroundNonMatch: backgroundValue,
                 distribution: distributionValue, objectHardNegatives: objectHard, backgroundHardNegatives: backgroundHard)
  }

  /// Each target's Gaussian weights over the (2r + 1)² pixels around it (r = ⌈3σ⌉), row-major
  /// [targets, window]; pixels outside the image get weight 0 (and the target's own index), the
  /// rest are normalized to sum to 1. Also the mean of the targets' entropies (nats).
  func gaussianTargets(_ targets: [Int64], width: Int, height: Int, sigma: Double)
    -> (index: [Int64], weight: [Float], window: Int, meanEntropy: Double) {
    let radius = Int((3 * sigma).rounded(.up)), side = 2 * radius + 1, window = side * side
    var index = [Int64](repeating: 0, count: targets.count * window), weight = [Float](repeating: 0, count: targets.count * window)
    var entropy = 0.0
    for (k, target) in targets.enumerated() {
      let (v, u) = (Int(target) / width, Int(target) % width)
      var raw = [Double](repeating: 0, count: window), total = 0.0
      for dv in -radius...radius {
        for du in -radius...radius {
          let slot = (dv + radius) * side + du + radius
          let (row, column) = (v + dv, u + du)
          guard row >= 0, row < height, column >= 0, column < width else { index[k * window + slot] = target; continue }
          index[k * window + slot] = Int64(row * width + column)
          raw[slot] = exp(-Double(dv * dv + du * du) / (2 * sigma * sigma))
          total += raw[slot]
        }
      }
      for slot in 0..<window where raw[slot] > 0 {
        let p = raw[slot] / total
        weight[k * window + slot] = Float(p)
        entropy -= p * log(p)
      }
    }
    return (index, weight, window, entropy / Double(max(1, targets.count)))
  }

  /// The cross-entropy of each match's softmax (without autograd) over B's pixels on a grid of every
  /// other row and column plus the match itself: the distributional term's loss, cheaper by four. A
  /// match that lies on the grid enters its softmax once (its grid entry is masked).
  func hardness(_ flatA: Tensor, _ flatB: Tensor, _ matchesA: [Int64], _ matchesB: [Int64], width: Int,
                columns: (Tensor, [Int64]) throws -> Tensor) throws -> [Float] {
    try Torch.withNoGrad {
      let pixels = flatB.shape[1], height = pixels / width
      var grid: [Int64] = []
      for v in stride(from: 0, to: height, by: 2) { for u in stride(from: 0, to: width, by: 2) { grid.append(Int64(v * width + u)) } }
      let queries = try columns(flatA, matchesA)  // [D, C]
      let gridB = try flatB.indexSelect(1, Tensor(int64: grid, shape: [grid.count]))  // [D, G]
      let targets = try columns(flatB, matchesB)  // [D, C]
      let scale = 2 / distributionTemperature
      let own = try ((queries * targets).sum([0]) * scale - (targets * targets).sum([0]) / distributionTemperature).unsqueezed(1)
      var others = try (queries.transposed(0, 1) * scale).matmul(gridB) - ((gridB * gridB).sum([0]) / distributionTemperature).unsqueezed(0)
      let gridWidth = (width + 1) / 2
      var mask = [Float](repeating: 0, count: matchesB.count * grid.count), masked = false
      for (c, target) in matchesB.enumerated() {
        let (v, u) = (Int(target) / width, Int(target) % width)
        if v % 2 == 0 && u % 2 == 0 { mask[c * grid.count + v / 2 * gridWidth + u / 2] = -.infinity; masked = true }
      }
      if masked { others = try others + Tensor(mask, shape: [matchesB.count, grid.count]) }
      let logProbability = try Tensor.cat([own, others], dim: 1).logSoftmax(dim: 1).select(1, 0)
      return try logProbability.floats().map { -$0 }
    }
  }

  /// [D, H·W] columns of a descriptor image (a view, no copy).
  func pixels(_ d: Tensor) throws -> Tensor {
    let image = d.rank == 4 ? try d.select(0, 0) : d
    let shape = image.shape
    return try image.reshaped([shape[0], shape[1] * shape[2]])
  }
}

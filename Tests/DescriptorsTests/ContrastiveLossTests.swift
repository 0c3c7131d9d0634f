import Foundation
import Testing
import Torch
@testable import Descriptors

extension DescriptorsTests {
  @Suite struct ContrastiveLossTests {
    /// Descriptor images [D=2, H=1, W=3]: pixel i of each image is the column i.
    func image(_ columns: [[Float]]) throws -> Tensor {
      let d = columns[0].count, w = columns.count
      var values = [Float](repeating: 0, count: d * w)
      for (x, column) in columns.enumerated() { for c in 0..<d { values[c * w + x] = column[c] } }
      return try Tensor(values, shape: [d, 1, w])
    }

    @Test func zeroForPerfectDescriptors() throws {
      // Matches identical; non-matches 1.0 apart (> margin 0.5); background 2.0 apart.
      let a = try image([[0, 0], [1, 0], [0, 2]])
      let b = try image([[0, 0], [1, 0], [0, 2]])
      let indices = PairIndices(matchesA: [0, 1], matchesB: [0, 1], objectNonMatchesA: [0], objectNonMatchesB: [1],
                                backgroundNonMatchesA: [0], backgroundNonMatchesB: [2])
      let terms = try ContrastiveLoss()(a, b, indices)
      #expect(try terms.total.item() == 0)
      #expect(terms.objectHardNegatives == 0 && terms.backgroundHardNegatives == 0)
    }

    /// Hand-computed: match distance² = 0.3² + 0.4² = 0.25 (one match → mean 0.25); object
    /// non-matches at distances 0.1 and 0.3 (margin 0.5) → (0.4² + 0.2²)/2 hard = 0.1; one at 0.806
    /// → no loss, not hard; background at distance 0.9 with margin 1 → 0.1² / 1 = 0.01. Total 0.36.
    @Test func positiveAndHandComputedOtherwise() throws {
      let a = try image([[0, 0], [1, 0], [2, 0]])
      let b = try image([[0.3, 0.4], [1.1, 0], [2.3, 0]])
      let indices = PairIndices(matchesA: [0], matchesB: [0],
                                objectNonMatchesA: [1, 2, 1], objectNonMatchesB: [1, 2, 0],
                                backgroundNonMatchesA: [2], backgroundNonMatchesB: [1])
      var loss = ContrastiveLoss()
      loss.backgroundMargin = 1.0
      let terms = try loss(a, b, indices)
      #expect(abs(terms.match - 0.25) < 1e-6)
      #expect(terms.objectHardNegatives == 2)
      #expect(abs(terms.objectNonMatch - 0.1) < 1e-5)           // float32 sums: 1e-5
      #expect(terms.backgroundHardNegatives == 1)
      #expect(abs(terms.backgroundNonMatch - 0.01) < 1e-5)      // (1.0 − 0.9)²
      #expect(abs(try terms.total.item() - 0.36) < 1e-5)
    }

    @Test func gradientIsFiniteWhereDescriptorsCoincide() throws {
      let a = try image([[0, 0], [1, 0]]).setRequiresGrad()
      let b = try image([[0, 0], [1, 0]])
      let indices = PairIndices(matchesA: [0], matchesB: [0], objectNonMatchesA: [0], objectNonMatchesB: [0])
      try ContrastiveLoss()(a, b, indices).total.backward()
      #expect(try a.grad!.floats().allSatisfy { $0.isFinite })
    }

    /// Hand-computed distributional term: A's pixel 0 is (0, 0), B's three pixels are at squared
    /// distances 0, 1 and 4 from it; with τ = 1 the softmax at the true match (B's pixel 0) is
    /// 1 / (1 + e⁻¹ + e⁻⁴), so the term is log(1 + e⁻¹ + e⁻⁴) = 0.32975…; with τ = 0.25 it is
    /// log(1 + e⁻⁴ + e⁻¹⁶). Weight 0 (the default) leaves the loss as the paper's.
    @Test func distributionalTermIsTheCrossEntropyOverAllPixelsOfB() throws {
      let a = try image([[0, 0], [5, 5], [5, 5]])
      let b = try image([[0, 0], [1, 0], [0, 2]])
      let indices = PairIndices(matchesA: [0], matchesB: [0])
      var loss = ContrastiveLoss()
      #expect(try loss(a, b, indices).distribution == 0)
      loss.distributionWeight = 2
      loss.distributionTemperature = 1
      let terms = try loss(a, b, indices)
      let expected = log(1 + exp(-1.0) + exp(-4.0))
      #expect(abs(terms.distribution - expected) < 1e-5)
      #expect(abs(try terms.total.item() - 2 * expected) < 1e-5)   // the match term is 0
      loss.distributionTemperature = 0.25
      #expect(abs(try loss(a, b, indices).distribution - log(1 + exp(-4.0) + exp(-16.0))) < 1e-5)
      // The true match farther than another pixel: the term grows past log 3 (uniform).
      let worse = PairIndices(matchesA: [0], matchesB: [2])
      loss.distributionTemperature = 1
      #expect(try loss(a, b, worse).distribution > log(3.0))
    }

    /// The Gaussian target (σ > 0). (1) B's descriptors linear in the pixel, d(v, u) = c·(u, v), with
    /// c² = τ/(2σ²), make the softmax of the query d(b) exactly the Gaussian of spread σ around b;
    /// on a 5 × 6 image that the ±3σ window around b = (2, 3) covers, the term is 0. (2) Random
    /// descriptors and two queries, one at a corner (the window cut by the image's edges), against
    /// the divergence computed in Double: Σ t·(log t − log softmax) over the window, averaged over
    /// the queries, with t the Gaussian renormalized inside the image.
    @Test func gaussianTargetGivesTheKullbackLeiblerDivergence() throws {
      let (height, width) = (5, 6)
      func descriptors(_ value: (Int, Int) -> (Float, Float)) throws -> Tensor {
        var values = [Float](repeating: 0, count: 2 * height * width)
        for v in 0..<height { for u in 0..<width { let d = value(v, u); values[v * width + u] = d.0; values[height * width + v * width + u] = d.1 } }
        return try Tensor(values, shape: [2, height, width])
      }
      var loss = ContrastiveLoss()
      (loss.distributionWeight, loss.distributionTemperature, loss.distributionSigma) = (1, 1, 1)
      let c = Float(sqrt(0.5))
      let linear = try descriptors { v, u in (c * Float(u), c * Float(v)) }
      let b = Int64(2 * width + 3)
      #expect(abs(try loss(linear, linear, PairIndices(matchesA: [b], matchesB: [b])).distribution) < 1e-5)
      // Twice as steep: the softmax is narrower than the target, the divergence positive.
      let steep = try descriptors { v, u in (2 * c * Float(u), 2 * c * Float(v)) }
      #expect(try loss(steep, steep, PairIndices(matchesA: [b], matchesB: [b])).distribution > 0.1)

      let random = try Tensor.randn([2, height, width], seed: 7), values = try random.floats()
      loss.distributionTemperature = 0.5
      loss.distributionSigma = 0.7   // window ±3
      let queries: [(a: Int, b: (Int, Int))] = [(4, (0, 0)), (17, (3, 4))]
      var expected = 0.0
      for query in queries {
        let q = (Double(values[query.a]), Double(values[height * width + query.a]))
        var logits: [Double] = []
        for p in 0..<(height * width) {
          let (x, y) = (Double(values[p]) - q.0, Double(values[height * width + p]) - q.1)
          logits.append(-(x * x + y * y) / 0.5)
        }
        let top = logits.max()!, logZ = top + log(logits.map { exp($0 - top) }.reduce(0, +))
        var target: [(pixel: Int, weight: Double)] = []
        for v in 0..<height {
          for u in 0..<width where abs(v - query.b.0) <= 3 && abs(u - query.b.1) <= 3 {
            let squared = Double((v - query.b.0) * (v - query.b.0) + (u - query.b.1) * (u - query.b.1))
            target.append((v * width + u, exp(-squared / (2 * 0.49))))
          }
        }
        let total = target.map(\.weight).reduce(0, +)
        expected += target.map { t in t.weight / total * (log(t.weight / total) - (logits[t.pixel] - logZ)) }.reduce(0, +) / Double(queries.count)
      }
      let indices = PairIndices(matchesA: queries.map { Int64($0.a) }, matchesB: queries.map { Int64($0.b.0 * width + $0.b.1) })
      let terms = try loss(random, random, indices)
      #expect(abs(terms.distribution - expected) < 1e-4 * max(1, expected), "\(terms.distribution) against \(expected)")
      #expect(expected > 0.5)
    }

    /// Mining the distributional term's queries: B is 2 × 4 pixels (D = 2), so its scoring grid
    /// (every other row and column) is pixels 0 and 2. A's pixel 0, (1, 0), matches B's pixel 1,
    /// (1, 0): with τ = 1 its score is log(1 + e⁻¹ + e⁻⁴) (the grid at squared distances 1 and 4).
    /// A's pixel 1, (3, 0), matches B's pixel 5, (1.5, 0), squared distance 2.25, while grid pixel 2
    /// is (3, 0) itself: score 2.25 + log(e⁻²·²⁵ + e⁻⁹ + 1). With one query from two candidates the
    /// term is the second match's cross-entropy over all of B; without candidates, the first's. A
    /// match on the grid enters its softmax once.
    @Test func distributionalQueriesMinedByCrossEntropy() throws {
      let bColumns: [[Float]] = [[0, 0], [1, 0], [3, 0], [9, 9], [9, 9], [1.5, 0], [9, 9], [9, 9]]
      func grid(_ columns: [[Float]]) throws -> Tensor {
        var values = [Float](repeating: 0, count: 16)
        for (p, column) in columns.enumerated() { for c in 0..<2 { values[c * 8 + p] = column[c] } }
        return try Tensor(values, shape: [2, 2, 4])
      }
      let a = try grid([[1, 0], [3, 0], [9, 9], [9, 9], [9, 9], [9, 9], [9, 9], [9, 9]]), b = try grid(bColumns)
      var loss = ContrastiveLoss()
      loss.distributionTemperature = 1
      let flatA = try loss.pixels(a), flatB = try loss.pixels(b)
      let columns = { (flat: Tensor, index: [Int64]) throws -> Tensor in
        try flat.gather(1, Tensor(int64: index, shape: [1, index.count]).expanded([2, index.count]))
      }
      let scores = try loss.hardness(flatA, flatB, [0, 1], [1, 5], width: 4, columns: columns)
      #expect(abs(Double(scores[0]) - log(1 + exp(-1.0) + exp(-4.0))) < 1e-5)
      #expect(abs(Double(scores[1]) - (2.25 + log(exp(-2.25) + exp(-9.0) + 1))) < 1e-4)
      // A match on the grid (B's pixel 0, (0, 0), for A's pixel 0) counts once: log(1 + e⁻³), the
      // softmax over itself at squared distance 1 and grid pixel 2 at 4 (counted twice it would be
      // 1 + log(2e⁻¹ + e⁻⁴)).
      let onGrid = try loss.hardness(flatA, flatB, [0], [0], width: 4, columns: columns)
      #expect(abs(Double(onGrid[0]) - log(1 + exp(-3.0))) < 1e-5)
      /// The cross-entropy over all of B of a query at target pixel `t` (τ = 1).
      func crossEntropy(_ q: [Double], _ t: Int) -> Double {
        let logits = bColumns.map { c in -((q[0] - Double(c[0])) * (q[0] - Double(c[0])) + (q[1] - Double(c[1])) * (q[1] - Double(c[1]))) }
        let top = logits.max()!
        return top + log(logits.map { exp($0 - top) }.reduce(0, +)) - logits[t]
      }
      let indices = PairIndices(matchesA: [0, 1], matchesB: [1, 5])
      loss.distributionWeight = 1
      loss.distributionMatches = 1
      #expect(abs(try loss(a, b, indices).distribution - crossEntropy([1, 0], 1)) < 1e-4)
      loss.distributionCandidates = 2
      #expect(abs(try loss(a, b, indices).distribution - crossEntropy([3, 0], 5)) < 1e-4)
      #expect(crossEntropy([3, 0], 5) > crossEntropy([1, 0], 1) + 1)
    }
  }
}

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
  }
}

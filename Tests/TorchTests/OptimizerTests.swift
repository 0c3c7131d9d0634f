import Testing

@testable import Torch

extension TorchTests {
  @Suite struct OptimizerTests {
    /// Σ (x − c)² from x = 0: Adam (lr 0.1) reaches c within 1e-2 in 500 steps.
    @Test func adamConvergesOnQuadratic() throws {
      let c = try Tensor([1, -2, 3])
      let x = try Tensor.zeros([3]).setRequiresGrad()
      let adam = Adam([x], learningRate: 0.1)
      let schedule = CosineAnnealing(initial: 0.1, minimum: 0.001, totalSteps: 500)
      for step in 0..<500 {
        schedule.apply(to: adam, step: step)
        try adam.zeroGrad()
        let d = try x - c
        try (d * d).sum().backward()
        try adam.step()
      }
      let final = try x.floats()
      #expect(isClose(final, [1, -2, 3], tolerance: 1e-2), "x = \(final)")
      #expect(adam.stepCount == 500)
    }

    /// Gradients handed to `step(gradients:)` (say, from a replica on another thread) move the
    /// parameters exactly as the same values left in their `grad` do with `step()`; nil skips a
    /// parameter; a wrong count or shape throws and changes nothing.
    @Test func adamStepWithGivenGradients() throws {
      let start: [Float] = [0.5, -1, 2]
      let own = try Tensor(start).setRequiresGrad(), given = try Tensor(start).setRequiresGrad()
      let skipped = try Tensor([7]).setRequiresGrad()
      let adamOwn = Adam([own], learningRate: 0.1, weightDecay: 0.01)
      let adamGiven = Adam([given, skipped], learningRate: 0.1, weightDecay: 0.01)
      for step in 0..<3 {
        try adamOwn.zeroGrad()
        let c = try Tensor([Float(step), 1, -1])
        try ((own - c) * (own - c)).sum().backward()
        // The same gradient, 2 (p − c), computed apart from `given`, which never gets a grad of its own.
        let g = try Torch.withNoGrad { try (given - c) * 2 }
        try adamOwn.step()
        try adamGiven.step(gradients: [g, nil])
        #expect(try own.floats() == given.floats(), "step \(step)")
      }
      #expect(given.grad == nil)
      #expect(try skipped.floats() == [7])
      let before = try given.floats()
      #expect(throws: TorchError.self) { try adamGiven.step(gradients: [try Tensor([1, 1, 1])]) }
      #expect(throws: TorchError.self) { try adamGiven.step(gradients: [try Tensor([1, 1]), nil]) }
      #expect(try given.floats() == before)
      #expect(adamGiven.stepCount == 3)
    }

    /// The average follows a ← d a + (1 − d) s with the warm-up decay d = min(decay, (1 + t)/(10 + t)),
    /// computed here by hand in Double for a parameter changed in place and a plain buffer; the
    /// sources are never touched and no graph is built.
    @Test func exponentialMovingAverageByHand() throws {
      let p = try Tensor([1, -2]).setRequiresGrad(), buffer = try Tensor([4])
      let average = try ExponentialMovingAverage([p, buffer], decay: 0.5)
      #expect(try average.averages[0].floats() == [1, -2] && average.averages[1].floats() == [4])
      var expected: [[Double]] = [[1, -2], [4]]
      for t in 0..<12 {
        let values: [[Double]] = [[Double(t), 2 * Double(t) - 3], [Double(t * t)]]
        try Torch.withNoGrad {
          try p.copy_(Tensor(values[0].map(Float.init)))
          try buffer.copy_(Tensor(values[1].map(Float.init)))
        }
        let d = min(0.5, Double(1 + t) / Double(10 + t))
        #expect(abs(average.currentDecay - d) < 1e-15, "update \(t)")
        try average.update()
        for i in 0..<2 { expected[i] = zip(expected[i], values[i]).map { d * $0 + (1 - d) * $1 } }
        #expect(isClose(try average.averages[0].floats(), expected[0].map(Float.init), tolerance: 1e-4), "update \(t)")
        #expect(isClose(try average.averages[1].floats(), expected[1].map(Float.init), tolerance: 1e-3), "update \(t)")
        #expect(try p.floats() == values[0].map(Float.init) && buffer.floats() == values[1].map(Float.init))
      }
      #expect(average.updates == 12 && average.currentDecay == 0.5)
      #expect(!average.averages[0].requiresGrad)
    }

    /// With a zero gradient, AdamW only shrinks p by (1 − lr λ); Adam's L2 term becomes the gradient
    /// λ p = 0.5, whose first bias-corrected step is lr · sign = 0.1.
    @Test func weightDecayL2VersusDecoupled() throws {
      for decoupled in [true, false] {
        let p = try Tensor([1]).setRequiresGrad()
        let adam = Adam([p], learningRate: 0.1, weightDecay: 0.5, decoupledWeightDecay: decoupled)
        try (p * 0).sum().backward()
        try adam.step()
        let expected: Float = decoupled ? 0.95 : 0.9
        let value = try p.floats()
        #expect(isClose(value, [expected], tolerance: 1e-5), "decoupled \(decoupled): \(value)")
      }
    }

    /// L = p²/2 so ∇ = p; lr 0.1, momentum 0.9: p = 1 → 0.9 (b = 1) → 0.72 (b = 0.9·1 + 0.9).
    @Test func sgdMomentumByHand() throws {
      let p = try Tensor([1]).setRequiresGrad()
      let sgd = SGD([p], learningRate: 0.1, momentum: 0.9)
      for _ in 0..<2 {
        try sgd.zeroGrad()
        try (p * p * 0.5).sum().backward()
        try sgd.step()
      }
      #expect(isClose(try p.floats(), [0.72]))
      // Weight decay λ adds λ p to the gradient: p = 1, ∇ = 0 → p = 1 − 0.1·0.5.
      let q = try Tensor([1]).setRequiresGrad()
      let decayed = SGD([q], learningRate: 0.1, weightDecay: 0.5)
      try (q * 0).sum().backward()
      try decayed.step()
      #expect(isClose(try q.floats(), [0.95]))
    }

    @Test func parametersWithoutGradientAreSkipped() throws {
      let p = try Tensor([1]).setRequiresGrad()
      try Adam([p]).step()
      try SGD([p], learningRate: 1).step()
      #expect(try p.floats() == [1])
    }

    @Test func schedules() {
      let step = StepDecay(initial: 1, stepSize: 10, gamma: 0.5)
      #expect(step.learningRate(atStep: 0) == 1)
      #expect(step.learningRate(atStep: 9) == 1)
      #expect(step.learningRate(atStep: 25) == 0.25)
      let cosine = CosineAnnealing(initial: 1, minimum: 0.1, totalSteps: 100)
      #expect(cosine.learningRate(atStep: 0) == 1)
      #expect(Swift.abs(cosine.learningRate(atStep: 50) - 0.55) < 1e-12)
      #expect(Swift.abs(cosine.learningRate(atStep: 100) - 0.1) < 1e-12)
      #expect(Swift.abs(cosine.learningRate(atStep: 500) - 0.1) < 1e-12)
    }
  }
}

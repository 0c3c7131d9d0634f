import Foundation
import Testing
import Torch
@testable import Descriptors

extension DescriptorsTests {
  @Suite struct TrainingTests {
    /// Synthetic pair: a random texture and the same texture shifted right by 3 px; matches are the
    /// shifted pixels, non-matches random others. A tiny network's loss falls within 40 steps.
    @Test func tinyModelLossFallsOnSyntheticPairs() throws {
      try Torch.setThreads(1)
      Torch.manualSeed(3)
      let (w, h) = (32, 24)
      let config = tinyConfiguration(width: w, height: h, dimension: 3)
      let network = try DescriptorNetwork(config)
      let texture = try Tensor.randn([1, 3, h, w + 3], seed: 4)
      let a = try texture.narrow(3, start: 3, length: w).contiguous(), b = try texture.narrow(3, start: 0, length: w).contiguous()
      var indices = PairIndices()
      for v in 0..<h { for u in 0..<(w - 3) {
        indices.matchesA.append(Int64(v * w + u)); indices.matchesB.append(Int64(v * w + u + 3))
        let other = (v * w + u + 3 + 7 * (u + 1)) % (w * h)
        indices.objectNonMatchesA.append(Int64(v * w + u)); indices.objectNonMatchesB.append(Int64(other))
      } }
      let adam = Adam(network.parameters(), learningRate: 3e-3)
      var losses: [Double] = []
      for _ in 0..<40 {
        try adam.zeroGrad()
        let d = try network(Tensor.cat([a, b], dim: 0))
        let loss = try ContrastiveLoss()(d.select(0, 0), d.select(0, 1), indices).total
        try loss.backward()
        try adam.step()
        losses.append(try loss.item())
      }
      let early = losses.prefix(5).reduce(0, +) / 5, late = losses.suffix(5).reduce(0, +) / 5
      #expect(late < 0.5 * early, "losses \(losses)")
    }

    /// Cosine annealing over the budget: full rate at the start, half at the midpoint of the steps or
    /// of the time limit (whichever comes first), zero at the end; the paper's step decay: ×0.9 per 250.
    @Test func learningRateSchedules() throws {
      var options = TrainingOptions()
      options.steps = 1000
      options.learningRate = 1e-3
      #expect(options.schedule == .cosineOverBudget)
      #expect(abs(options.learningRate(atStep: 0, elapsedSeconds: 0) - 1e-3) < 1e-15)
      #expect(abs(options.learningRate(atStep: 500, elapsedSeconds: 0) - 5e-4) < 1e-12)
      #expect(options.learningRate(atStep: 1000, elapsedSeconds: 0) < 1e-18)
      options.timeLimitSeconds = 60
      #expect(abs(options.learningRate(atStep: 10, elapsedSeconds: 30) - 5e-4) < 1e-12)   // time binds
      #expect(abs(options.learningRate(atStep: 500, elapsedSeconds: 6) - 5e-4) < 1e-12)   // steps bind
      #expect(options.learningRate(atStep: 10, elapsedSeconds: 90) < 1e-18)
      options.schedule = .stepDecay(every: 250, factor: 0.9)
      #expect(abs(options.learningRate(atStep: 249, elapsedSeconds: 0) - 1e-3) < 1e-15)
      #expect(abs(options.learningRate(atStep: 500, elapsedSeconds: 0) - 1e-3 * 0.81) < 1e-15)
    }

    /// The real pipeline on the collected tiny data set: fusion, reconstruction correspondences,
    /// augmentation, Adam; the mean loss of the last steps is below that of the first ones.
    @Test func trainingOnCollectedScenesLowersTheLoss() throws {
      let root = try TinyData.folder.get()
      try Torch.setThreads(1)
      Torch.manualSeed(5)
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration()
      var options = TrainingOptions()
      options.steps = 40
      options.learningRate = 3e-3
      options.sampling.matchCandidates = 2_000
      options.sampling.objectNonMatchesPerMatch = 10
      options.sampling.backgroundNonMatchesPerMatch = 10
      var sampler = PairSampler(scenes: scenes, configuration: config, sampling: options.sampling, augmentation: options.augmentation, seed: 6)
      let network = try DescriptorNetwork(config)
      var losses: [Double] = []
      let result = try train(network, sampler: &sampler, options: options) { losses.append($0.loss) }
      #expect(result.steps == 40)
      let early = losses.prefix(8).reduce(0, +) / 8, late = losses.suffix(8).reduce(0, +) / 8
      #expect(late < early, "losses \(losses)")
    }

    @Test func pairsHaveCorrespondencesInsideTheModelsImage() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration(width: 48, height: 40)  // a different resolution than the data's
      var sampler = PairSampler(scenes: scenes, configuration: config, seed: 1)
      let pair = try sampler.next()
      #expect(!pair.indices.matchesA.isEmpty)
      #expect(pair.inputA.shape == [1, 3, 40, 48])
      let all = pair.indices.matchesA + pair.indices.matchesB + pair.indices.backgroundNonMatchesB
      #expect(all.allSatisfy { $0 >= 0 && $0 < 48 * 40 })
    }
  }
}

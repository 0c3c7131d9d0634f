import Foundation
import Imaging
import Testing
import Perception
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
      // Training adds the distributional term at weight 1 to the paper's loss, which stays `ContrastiveLoss()`.
      #expect(options.loss.distributionWeight == 1 && ContrastiveLoss().distributionWeight == 0)
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
      var options = tinyTrainingOptions()
      options.steps = 40
      var sampler = PairSampler(scenes: scenes, configuration: config, sampling: options.sampling, augmentation: options.augmentation, seed: 6)
      let network = try DescriptorNetwork(config)
      var losses: [Double] = []
      let result = try train(network, sampler: &sampler, options: options) { losses.append($0.loss) }
      #expect(result.steps == 40)
      let early = losses.prefix(8).reduce(0, +) / 8, late = losses.suffix(8).reduce(0, +) / 8
      #expect(late < early, "losses \(losses)")
    }

    /// Two workers: the trained network equals, bit for bit, a replay on one thread of the schedule
    /// `train` documents — replicas of the start, worker k's gradient on its own pair stream taken
    /// at the parameters of its previous step and applied as steps k, k + 2, …, the network's
    /// buffers taken from the stepping replica, which then copies the network; with hard views too.
    /// The thread count of the caller comes back, and the result differs from one worker's (other
    /// pairs, stale steps).
    @Test func twoWorkersTrainAsTheirScheduleSays() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration()
      var options = tinyTrainingOptions()
      options.steps = 7
      options.seed = 6
      func sampler() -> PairSampler {
        PairSampler(scenes: scenes, configuration: config, sampling: options.sampling, augmentation: options.augmentation, seed: options.seed)
      }
      Torch.manualSeed(5)
      let initial = try DescriptorNetwork(config)
      func trained(workers: Int, hardViews: Double = 0) throws -> (DescriptorNetwork, TrainingResult) {
        try Torch.setThreads(2)
        var run = options
        (run.workers, run.hardViewFraction) = (workers, hardViews)
        let network = try initial.replica()
        var pairs = sampler()
        var seen: [Int] = []
        let result = try train(network, sampler: &pairs, options: run) { seen.append($0.step) }
        #expect(seen == Array(1...7))
        #expect(Torch.threads == 2)
        return (network, result)
      }
      // The replay; with hard views each worker's sampler learns the other's losses in its next
      // turn, its own at once, so that it has every step's loss up to its own when it draws.
      func replayed(hardViews: Double) throws -> DescriptorNetwork {
        try Torch.setThreads(1)  // what each of the two workers had
        let network = try initial.replica()
        network.train()
        let replicas = [try network.replica(), try network.replica()]
        var first = sampler()
        first.hardViewFraction = hardViews
        var samplers = [first, first.forWorker(1, seed: options.seed)]
        var drawn: [(pair: TrainingPair, distribution: Double)?] = [nil, nil]
        var pending: [[(Double, TrainingPair)]] = [[], []]
        let adam = Adam(network.parameters(), learningRate: options.learningRate, weightDecay: options.weightDecay)
        func gradient(_ k: Int) throws {
          let pair = try samplers[k].next()
          try replicas[k].zeroGrad()
          let d = try replicas[k](Tensor.cat([pair.inputA, pair.inputB], dim: 0))
          let terms = try options.loss(d.select(0, 0), d.select(0, 1), pair.indices)
          try terms.total.backward()
          drawn[k] = (pair, terms.distribution)
        }
        try gradient(0)
        try gradient(1)
        for step in 0..<7 {
          let k = step % 2
          adam.learningRate = options.learningRate(atStep: step, elapsedSeconds: 0)
          try adam.step(gradients: replicas[k].parameters().map(\.grad))
          try Torch.withNoGrad {
            for (to, from) in zip(network.namedBuffers(), replicas[k].namedBuffers()) { try to.tensor.copy_(from.tensor) }
          }
          try replicas[k].load(network.state())
          if hardViews > 0 {
            for (loss, pair) in pending[k] { samplers[k].record(loss: loss, for: pair) }
            pending[k] = []
            samplers[k].record(loss: drawn[k]!.distribution, for: drawn[k]!.pair)
            pending[1 - k].append((drawn[k]!.distribution, drawn[k]!.pair))
          }
          try gradient(k)
        }
        return network
      }
      let (two, result) = try trained(workers: 2)
      #expect(result.steps == 7)
      let (again, _) = try trained(workers: 2)
      let (one, _) = try trained(workers: 1)
      func largestDifference(_ a: DescriptorNetwork, _ b: DescriptorNetwork) throws -> Double {
        try zip(a.state(), b.state()).map { try ($0.tensor - $1.tensor).abs().max().item() }.max()!
      }
      #expect(try largestDifference(two, replayed(hardViews: 0)) == 0)
      #expect(try largestDifference(two, again) == 0)
      #expect(try largestDifference(two, one) > 1e-4)
      // With hard views (here every pair drawn around a view by its running loss) too.
      let (hard, _) = try trained(workers: 2, hardViews: 1)
      #expect(try largestDifference(hard, replayed(hardViews: 1)) == 0)
      #expect(try largestDifference(hard, two) > 1e-4)

      // A time limit already spent at the first turn stops every worker there: no step, no hang.
      try Torch.setThreads(2)
      var late = options
      (late.workers, late.steps, late.timeLimitSeconds) = (2, 1_000_000, 0)
      let untouched = try initial.replica()
      var pairs = sampler()
      #expect(try train(untouched, sampler: &pairs, options: late).steps == 0)
      #expect(try largestDifference(untouched, initial) == 0)
    }

    /// Weight averaging: after a run the `averaging.into` network holds the exponential moving average
    /// (with its warm-up) of the network's parameters and running statistics as they were after each
    /// step — recomputed here from snapshots taken in the progress calls — for one and two workers,
    /// while the trained network ends as the last iterate, the same as a run without averaging.
    @Test func weightAverageFollowsTheSteps() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration()
      var options = tinyTrainingOptions()
      (options.steps, options.seed) = (6, 6)
      Torch.manualSeed(5)
      let initial = try DescriptorNetwork(config)
      for workers in [1, 2] {
        try Torch.setThreads(workers)
        var run = options
        run.workers = workers
        func trained(averageDecay: Double) throws -> (last: DescriptorNetwork, average: DescriptorNetwork?, snapshots: [[Tensor]]) {
          let network = try initial.replica()
          let average = averageDecay > 0 ? try initial.replica() : nil
          var pairs = PairSampler(scenes: scenes, configuration: config, sampling: run.sampling, augmentation: run.augmentation, seed: run.seed)
          var snapshots = [try network.state().map { try $0.tensor.detached().clone() }]
          _ = try train(network, sampler: &pairs, options: run, averaging: average.map { ($0, averageDecay) }) { _ in
            snapshots.append(try! network.state().map { try $0.tensor.detached().clone() })
          }
          return (network, average, snapshots)
        }
        let (last, average, snapshots) = try trained(averageDecay: 0.6)
        #expect(snapshots.count == 7)
        var expected = snapshots[0]
        for (t, snapshot) in snapshots.dropFirst().enumerated() {
          let d = min(0.6, Double(1 + t) / Double(10 + t))
          expected = try zip(expected, snapshot).map { try $0 * d + $1 * (1 - d) }
        }
        for ((name, tensor), e) in zip(average!.state(), expected) {
          let scale = try e.abs().max().item() + 1
          #expect(try (tensor - e).abs().max().item() <= 1e-5 * scale, "\(workers) worker(s): \(name)")
        }
        // The last iterate is the plain run's network, and the average is not it.
        let (plain, _, _) = try trained(averageDecay: 0)
        for ((name, a), (_, b)) in zip(last.state(), plain.state()) {
          #expect(try (a - b).abs().max().item() == 0, "\(workers) worker(s): \(name)")
        }
        #expect(try zip(last.state(), average!.state()).map { try ($0.tensor - $1.tensor).abs().max().item() }.max()! > 1e-4)
      }
    }

    /// A worker's stream is fixed by the seed and its number, and is not worker 0's.
    @Test func workerSamplersDrawTheirOwnPairs() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let base = PairSampler(scenes: scenes, configuration: tinyConfiguration(), seed: 9)
      func draws(_ sampler: PairSampler) throws -> [[Int]] {
        var s = sampler
        return try (0..<6).map { _ in let p = try s.next(); return [p.scene, p.viewA, p.viewB, p.originA.x, p.originA.y] }
      }
      #expect(try draws(base.forWorker(1, seed: 9)) == draws(base.forWorker(1, seed: 9)))
      #expect(try draws(base.forWorker(1, seed: 9)) != draws(base))
      #expect(try draws(base.forWorker(1, seed: 9)) != draws(base.forWorker(2, seed: 9)))
      #expect(try draws(base.forWorker(1, seed: 9)) != draws(base.forWorker(1, seed: 10)))
    }

    @Test func pairsHaveCorrespondencesInsideTheModelsImage() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration(width: 48, height: 40)  // a different resolution than the data's
      var whole = Augmentation()
      whole.crop = .none
      var sampler = PairSampler(scenes: scenes, configuration: config, augmentation: whole, seed: 1)
      let pair = try sampler.next()
      #expect(!pair.indices.matchesA.isEmpty)
      #expect(pair.inputA.shape == [1, 3, 40, 48])
      let all = pair.indices.matchesA + pair.indices.matchesB + pair.indices.backgroundNonMatchesB
      #expect(all.allSatisfy { $0 >= 0 && $0 < 48 * 40 })
      // The default windows: half of 48×40, rounded down to multiples of 8.
      var windowed = PairSampler(scenes: scenes, configuration: config, seed: 1)
      let cut = try windowed.next()
      #expect(cut.inputA.shape == [1, 3, 16, 24] && cut.inputB.shape == [1, 3, 16, 24])
      let inside = cut.indices.matchesA + cut.indices.matchesB + cut.indices.objectNonMatchesB + cut.indices.backgroundNonMatchesB
      #expect(inside.allSatisfy { $0 >= 0 && $0 < 24 * 16 })
      #expect(!cut.indices.backgroundNonMatchesB.isEmpty)  // drawn inside B's window, mapped back to the data's pixels
    }

    /// Ring non-matches join the object non-matches, after the uniform ones (the sampler gives each
    /// scene's orbit centre as their axis): the same pair is drawn, with more object non-matches, all
    /// inside B's window.
    @Test func ringNonMatchesJoinTheObjectNonMatches() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration(width: 48, height: 40)
      var sampling = CorrespondenceSamplingOptions()
      var plain = PairSampler(scenes: scenes, configuration: config, sampling: sampling, seed: 3)
      sampling.ringNonMatchesPerMatch = 4
      var ringed = PairSampler(scenes: scenes, configuration: config, sampling: sampling, seed: 3)
      for _ in 0..<3 {
        let (p, r) = (try plain.next(), try ringed.next())
        #expect(r.scene == p.scene && r.viewA == p.viewA && r.viewB == p.viewB)
        #expect(r.indices.matchesA == p.indices.matchesA && r.indices.matchesB == p.indices.matchesB)
        #expect(r.indices.backgroundNonMatchesB == p.indices.backgroundNonMatchesB)
        let uniform = p.indices.objectNonMatchesB.count
        #expect(Array(r.indices.objectNonMatchesB.prefix(uniform)) == p.indices.objectNonMatchesB)
        #expect(r.indices.objectNonMatchesB.count > uniform, "no ring non-matches kept")
        #expect(r.indices.objectNonMatchesA.count == r.indices.objectNonMatchesB.count)
        #expect(r.indices.objectNonMatchesB.allSatisfy { $0 >= 0 && $0 < 24 * 16 })
      }
    }

    /// Hard views: with one view scored far above the rest (100 against 1), pairs drawn with
    /// `hardViewFraction` 1 hold it nearly always (it is picked with probability 100/107, on either
    /// side), uniform pairs about a quarter of the time (2 scenes × 4 views); recorded losses leave
    /// uniform draws as they were; `train` scores the views of the pairs it draws.
    @Test func hardViewsAreDrawnInProportionToTheirLoss() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration(width: 48, height: 40)
      var uniform = PairSampler(scenes: scenes, configuration: config, seed: 4)
      var scored = PairSampler(scenes: scenes, configuration: config, seed: 4)
      var hard = PairSampler(scenes: scenes, configuration: config, seed: 4)
      for s in scenes.indices { for view in 0..<4 {
        let loss = s == 1 && view == 2 ? 100.0 : 1.0
        scored.record(loss: loss, scene: s, view: view)
        hard.record(loss: loss, scene: s, view: view)
      } }
      #expect(hard.viewLoss[1][2] == 100 && hard.viewLoss[0][0] == 1)
      hard.record(loss: .nan, scene: 1, view: 2)  // ignored
      #expect(hard.viewLoss[1][2] == 100)
      hard.hardViewFraction = 1
      var (uniformHits, hardHits, hardFirst) = (0, 0, 0)
      let draws = 30
      for _ in 0..<draws {
        let (u, v, h) = (try uniform.next(), try scored.next(), try hard.next())
        #expect(v.scene == u.scene && v.viewA == u.viewA && v.viewB == u.viewB)  // scores alone change nothing
        if u.scene == 1 && (u.viewA == 2 || u.viewB == 2) { uniformHits += 1 }
        if h.scene == 1 && (h.viewA == 2 || h.viewB == 2) { hardHits += 1 }
        if h.scene == 1 && h.viewA == 2 { hardFirst += 1 }
      }
      #expect(hardHits >= 25, "hard view in \(hardHits) of \(draws) pairs")
      #expect(uniformHits <= 15, "uniform pairs held it \(uniformHits) times")
      #expect(hardFirst > 0 && hardFirst < hardHits, "the hard view was first in \(hardFirst) of \(hardHits)")

      try Torch.setThreads(1)
      var options = TrainingOptions()
      options.steps = 4
      options.hardViewFraction = 0.5
      options.sampling.matchCandidates = 1_000
      options.sampling.objectNonMatchesPerMatch = 5
      options.sampling.backgroundNonMatchesPerMatch = 5
      var sampler = PairSampler(scenes: scenes, configuration: config, sampling: options.sampling, seed: 5)
      _ = try train(try DescriptorNetwork(config), sampler: &sampler, options: options)
      #expect(sampler.hardViewFraction == 0.5)
      let scoredViews = sampler.viewLoss.joined().compactMap { $0 }
      #expect(scoredViews.count >= 2 && scoredViews.allSatisfy { $0.isFinite && $0 > 0 }, "\(sampler.viewLoss)")
    }

    /// A turned image and `PixelMap` agree: on an image whose red and green are linear in x and y,
    /// the turned input at a mapped pixel holds the colour of the pixel it came from (up to the
    /// half-pixel rounding of the map); mirrored and not.
    @Test func turnedImagesAgreeWithTheirPixelMap() throws {
      let (w, h) = (96, 72)
      var pixels: [UInt8] = []
      for y in 0..<h { for x in 0..<w { pixels += [UInt8(2 * x), UInt8(3 * y), 128] } }
      let image = Image8(width: w, height: h, channels: 3, pixels: pixels)
      let config = tinyConfiguration()
      for flip in [false, true] {
        var map = PixelMap(source: (w, h), target: (w, h), flip: flip)
        map.rotation = (0.7, SIMD2(40.3, 30.5))
        let input = try networkInput(image, configuration: config, flip: flip, rotation: map.rotation).floats()
        var compared = 0
        for y in stride(from: 2, to: h - 2, by: 3) {
          for x in stride(from: 2, to: w - 2, by: 3) {
            let q = map(SIMD2(x, y))
            guard q.x >= 0, q.y >= 0, q.x < w, q.y < h else { continue }
            func channel(_ c: Int) -> Double {
              Double(input[c * w * h + q.y * w + q.x] * config.normalizationStd[c] + config.normalizationMean[c]) * 255
            }
            // Rounding q moves the sampled point by at most √½ px: 1.42 in red, 2.13 in green.
            #expect(abs(channel(0) - Double(2 * x)) < 1.5, "red at \((x, y)) → \(q), flip \(flip)")
            #expect(abs(channel(1) - Double(3 * y)) < 2.2, "green at \((x, y)) → \(q), flip \(flip)")
            compared += 1
          }
        }
        #expect(compared > 400)
        // The turned window's box taken back holds every data pixel that maps into the window.
        let window = PixelBox(low: SIMD2(20, 10), high: SIMD2(67, 49)), back = map.sourceBox(of: window)
        for y in 0..<h { for x in 0..<w {
          let q = map(SIMD2(x, y))
          if q.x >= 20, q.x <= 67, q.y >= 10, q.y <= 49 { #expect(x >= back.low.x && x <= back.high.x && y >= back.low.y && y <= back.high.y) }
        } }
      }
    }

    /// Turned pairs: each kept match lies, turned back, on its view's reconstruction mask (A and B),
    /// each background non-match off B's; angles stay within the bound and vary.
    @Test func turnedPairsKeepTheirCorrespondences() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration()  // 96×72, the data's resolution
      var augmentation = Augmentation()
      augmentation.rotation = .pi / 2
      augmentation.crop = .size(width: 64, height: 48)
      var sampler = PairSampler(scenes: scenes, configuration: config, augmentation: augmentation, seed: 3)
      var angles: [Double] = []
      for _ in 0..<6 {
        let pair = try sampler.next()
        angles += [pair.rotationA, pair.rotationB]
        #expect(abs(pair.rotationA) <= .pi / 2 && abs(pair.rotationB) <= .pi / 2)
        /// Whether the window pixel `i` of a view, turned back and mirrored back, is within a pixel
        /// of one whose mask value satisfies `wanted`.
        func near(_ i: Int64, view: Int, origin: SIMD2<Int>, angle: Double, _ wanted: (UInt8) -> Bool) -> Bool {
          let mask = scenes[pair.scene].masks[view]
          let box = try! #require(TrainingScene.boundingBox(of: mask))
          var c = SIMD2(Double(box.low.x + box.high.x), Double(box.low.y + box.high.y)) / 2
          if pair.flipped { c.x = 95 - c.x }
          let q = SIMD2(Double(Int(i) % 64 + origin.x), Double(Int(i) / 64 + origin.y)) - c
          var p = SIMD2(cos(angle) * q.x + sin(angle) * q.y, -sin(angle) * q.x + cos(angle) * q.y) + c
          if pair.flipped { p.x = 95 - p.x }
          for dy in -1...1 { for dx in -1...1 {
            let (x, y) = (Int(p.x.rounded()) + dx, Int(p.y.rounded()) + dy)
            if x >= 0, y >= 0, x < 96, y < 72, wanted(mask.pixels[(y * 96 + x) * mask.channels]) { return true }
          } }
          return false
        }
        let k = pair.indices
        #expect(!k.matchesA.isEmpty && !k.backgroundNonMatchesB.isEmpty)
        #expect(k.matchesA.allSatisfy { near($0, view: pair.viewA, origin: pair.originA, angle: pair.rotationA) { $0 > 0 } })
        #expect(k.matchesB.allSatisfy { near($0, view: pair.viewB, origin: pair.originB, angle: pair.rotationB) { $0 > 0 } })
        #expect(k.backgroundNonMatchesB.allSatisfy { near($0, view: pair.viewB, origin: pair.originB, angle: pair.rotationB) { $0 == 0 } })
        #expect((k.matchesA + k.matchesB + k.backgroundNonMatchesB).allSatisfy { $0 >= 0 && $0 < 64 * 48 })
      }
      #expect(Set(angles).count == angles.count && angles.contains { $0 > 0.1 } && angles.contains { $0 < -0.1 })
    }

    /// Windows: with the same seed, a cropped first pair is the whole first pair cut at its origins.
    /// Its inputs are the whole inputs' windows, every window holds the view's whole object mask,
    /// and its correspondences are the whole pair's that fall in both windows, in the same order
    /// (all of the object non-matches, nearly all matches, fewer background non-matches).
    @Test func cropsCutThePairAtTheirOrigins() throws {
      let root = try TinyData.folder.get()
      let scenes = try sceneFolderPaths(in: root).map { try TrainingScene(path: $0) }
      let config = tinyConfiguration()  // 96×72, the data's resolution
      var sampling = CorrespondenceSamplingOptions()
      sampling.objectNonMatchesPerMatch = 5
      sampling.backgroundNonMatchesPerMatch = 5
      var cropped = Augmentation(), uncropped = Augmentation()
      cropped.crop = .size(width: 48, height: 40)
      uncropped.crop = .none
      var flips = 0
      for seed in UInt64(0)..<6 {
        // The windows' origins are drawn last, so the first pair of two samplers seeded alike agrees
        // (but for the background non-matches, which the windowed sampler draws inside B's window).
        var whole = PairSampler(scenes: scenes, configuration: config, sampling: sampling, augmentation: uncropped, seed: seed)
        var cut = PairSampler(scenes: scenes, configuration: config, sampling: sampling, augmentation: cropped, seed: seed)
        let w = try whole.next(), c = try cut.next()
        #expect((c.scene, c.viewA, c.viewB) == (w.scene, w.viewA, w.viewB))
        #expect(c.inputA.shape == [1, 3, 40, 48] && c.inputB.shape == [1, 3, 40, 48])
        for (input, full, origin) in [(c.inputA, w.inputA, c.originA), (c.inputB, w.inputB, c.originB)] {
          let cut = try full.narrow(2, start: origin.y, length: 40).narrow(3, start: origin.x, length: 48).contiguous()
          #expect(try (input - cut).abs().max().item() == 0)
        }
        // The window holds the object mask of its view (mirrored when the pair was flipped).
        #expect(c.flipped == w.flipped)
        if w.flipped { flips += 1 }
        for (view, origin) in [(w.viewA, c.originA), (w.viewB, c.originB)] {
          let mask = scenes[w.scene].masks[view]
          var columns: [Int] = [], rows: [Int] = []
          for y in 0..<mask.height {
            for x in 0..<mask.width where mask.pixels[(y * mask.width + x) * mask.channels] > 0 {
              columns.append(w.flipped ? 95 - x : x)
              rows.append(y)
            }
          }
          columns.sort()
          rows.sort()
          guard let left = columns.first, let right = columns.last, let top = rows.first, let bottom = rows.last else { continue }
          let place: String = "rows \(top)…\(bottom), columns \(left)…\(right); window from \(origin)"
          #expect(top >= origin.y && bottom < origin.y + 40, Comment(rawValue: place))
          #expect(left >= origin.x && right < origin.x + 48, Comment(rawValue: place))
        }
        func lift(_ i: Int64, _ origin: SIMD2<Int>) -> Int64 { Int64((Int(i) / 48 + origin.y) * 96 + Int(i) % 48 + origin.x) }
        func lifted(_ a: [Int64], _ b: [Int64]) -> [[Int64]] { zip(a, b).map { [lift($0, c.originA), lift($1, c.originB)] } }
        func pairs(_ a: [Int64], _ b: [Int64]) -> [[Int64]] { zip(a, b).map { [$0, $1] } }
        func inWindows(_ p: [Int64]) -> Bool {
          let (a, b) = (Int(p[0]), Int(p[1]))
          return (c.originA.x..<c.originA.x + 48).contains(a % 96) && (c.originA.y..<c.originA.y + 40).contains(a / 96)
            && (c.originB.x..<c.originB.x + 48).contains(b % 96) && (c.originB.y..<c.originB.y + 40).contains(b / 96)
        }
        let m = w.indices, k = c.indices
        #expect(lifted(k.matchesA, k.matchesB) == pairs(m.matchesA, m.matchesB).filter(inWindows))
        #expect(lifted(k.objectNonMatchesA, k.objectNonMatchesB) == pairs(m.objectNonMatchesA, m.objectNonMatchesB).filter(inWindows))
        // Background non-matches are drawn inside B's window, 2 per match (⌈5 × the window's share
        // 48·40 / 96·72⌉), on B's background; all of a kept match's are kept.
        let background = lifted(k.backgroundNonMatchesA, k.backgroundNonMatchesB)
        #expect(background.allSatisfy(inWindows))
        let maskB = scenes[w.scene].masks[w.viewB]
        #expect(background.allSatisfy { maskB.pixels[Int($0[1]) / 96 * 96 + (w.flipped ? 95 - Int($0[1]) % 96 : Int($0[1]) % 96)] == 0 })
        #expect(background.count >= 2 * k.matchesA.count && background.count <= 2 * m.matchesA.count,
                Comment(rawValue: "\(background.count) background non-matches for \(k.matchesA.count) of \(m.matchesA.count) matches"))
        let kept: String = "\(k.matchesA.count) of \(m.matchesA.count) matches kept"
        #expect(k.matchesA.count >= m.matchesA.count * 9 / 10, Comment(rawValue: kept))
        #expect(k.objectNonMatchesA.count >= m.objectNonMatchesA.count * 9 / 10)
        #expect(k.objectNonMatchesA.count == m.objectNonMatchesA.count)  // A on A's mask, B on B's: all inside
        #expect(k.backgroundNonMatchesA.count < m.backgroundNonMatchesA.count)
      }
      #expect(flips > 0 && flips < 6, Comment(rawValue: "\(flips) of 6 pairs flipped"))
      #expect(Augmentation().crop == .half)
      func windowSize(_ crop: Augmentation.Crop, _ configuration: DescriptorConfiguration) -> [Int] {
        let size = crop.window(for: configuration)
        return [size.width, size.height]
      }
      #expect(windowSize(.half, DescriptorConfiguration()) == [160, 120])
      #expect(windowSize(.half, config) == [48, 32])
      #expect(windowSize(.half, tinyConfiguration(width: 8, height: 8)) == [8, 8])
      #expect(windowSize(.size(width: 400, height: 100), DescriptorConfiguration()) == [320, 100])
      #expect(windowSize(.none, config) == [96, 72])
    }
  }
}

/// Training settings for the tiny data set: a faster rate, and fewer candidates and non-matches per pair.
func tinyTrainingOptions() -> TrainingOptions {
  var options = TrainingOptions()
  options.learningRate = 3e-3
  options.sampling.matchCandidates = 2_000
  options.sampling.objectNonMatchesPerMatch = 10
  options.sampling.backgroundNonMatchesPerMatch = 10
  return options
}

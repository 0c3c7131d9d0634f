import Foundation
import Perception
import Torch

/// Training settings; every default is stated with its reason.
public struct TrainingOptions: Sendable, Equatable {
  /// Adam steps, one image pair each (the paper: 3,500).
  public var steps = 3_500
  /// Adam's learning rate. The paper uses 1e-4 from an ImageNet-pretrained ResNet-34; this network
  /// starts from random weights, and 1e-3 trains it faster on a short budget.
  public var learningRate = 1e-3
  /// L2 weight decay (the paper: 1e-4).
  public var weightDecay = 1e-4
  /// How the learning rate falls over the run.
  public var schedule = Schedule.cosineOverBudget

  /// Learning-rate schedules.
  public enum Schedule: Sendable, Equatable {
    /// Multiplied by `factor` every `every` steps (the paper: 0.9 every 250 steps, for 3,500 steps).
    case stepDecay(every: Int, factor: Double)
    /// Cosine annealing to zero over the budget (Loshchilov & Hutter, arXiv:1608.03983): the fraction
    /// done is the larger of steps done / `steps` and seconds spent / `timeLimitSeconds`, so a run
    /// cut by its time limit still ends at a small rate. The default: a step decay tuned for 3,500
    /// steps leaves a long run at a rate near zero for most of its time.
    case cosineOverBudget
  }
  /// Seeds parameter initialization, pair sampling and augmentation.
  public var seed: UInt64 = 0
  /// Stop after this many seconds even if `steps` are not done (nil: no limit).
  public var timeLimitSeconds: Double?
  /// The paper's contrastive loss plus the distributional term at weight 1 (`ContrastiveLoss()`
  /// alone is the paper's loss): a 30-minute run on mugs with it (and with background non-matches
  /// drawn inside B's window) localized held-out matches to a median of 2.99 px against 3.68 px
  /// (docs/descriptors.md).
  public var loss: ContrastiveLoss = { var loss = ContrastiveLoss(); loss.distributionWeight = 1; return loss }()
  public var augmentation = Augmentation()
  /// The fraction of pairs drawn around a view with a high running loss (`PairSampler.hardViewFraction`; 0: uniform pairs).
  public var hardViewFraction = 0.0
  /// Matches and non-matches per pair (Perception's defaults: up to 1,000 matches from 10,000 candidates, 150 non-matches per match, half on the object).
  public var sampling = CorrespondenceSamplingOptions()

  public init() {}

  /// The learning rate of step `step` (from 0) after `elapsedSeconds` of training.
  public func learningRate(atStep step: Int, elapsedSeconds: Double) -> Double {
    switch schedule {
    case .stepDecay(let every, let factor):
      return StepDecay(initial: learningRate, stepSize: max(1, every), gamma: factor).learningRate(atStep: step)
    case .cosineOverBudget:
      var done = Double(step) / Double(steps)
      if let limit = timeLimitSeconds, limit > 0 { done = max(done, elapsedSeconds / limit) }
      return CosineAnnealing(initial: learningRate, totalSteps: max(1, steps)).learningRate(atFraction: done)
    }
  }
}

/// What one training step reports.
public struct TrainingProgress: Sendable {
  public var step: Int
  public var steps: Int
  public var loss: Double
  public var matchLoss: Double
  public var matches: Int
  public var elapsedSeconds: Double
}

/// The outcome of `train`.
public struct TrainingResult: Sendable {
  public var steps: Int
  public var firstLoss: Double
  /// Mean loss over the last 10% of steps.
  public var finalLoss: Double
  public var seconds: Double
  public var pairsPerSecond: Double { Double(steps) / max(seconds, 1e-9) }
}

/// Trains `network` with Adam on pairs from `sampler` (one pair per step, both images in one batch);
/// the sampler draws hard views as `options.hardViewFraction` says and is told every step's loss.
public func train(_ network: DescriptorNetwork, sampler: inout PairSampler, options: TrainingOptions,
                  progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingResult {
  precondition(options.steps > 0, "train: steps must be positive, got \(options.steps)")
  network.train()
  sampler.hardViewFraction = options.hardViewFraction
  let adam = Adam(network.parameters(), learningRate: options.learningRate, weightDecay: options.weightDecay)
  let start = Date()
  var losses: [Double] = []
  var step = 0
  while step < options.steps {
    if let limit = options.timeLimitSeconds, Date().timeIntervalSince(start) >= limit { break }
    let pair = try sampler.next()
    adam.learningRate = options.learningRate(atStep: step, elapsedSeconds: Date().timeIntervalSince(start))
    try adam.zeroGrad()
    let d = try network(Tensor.cat([pair.inputA, pair.inputB], dim: 0))
    let terms = try options.loss(d.select(0, 0), d.select(0, 1), pair.indices)
    try terms.total.backward()
    try adam.step()
    let value = try terms.total.item()
    losses.append(value)
    // A view is hard when its best matches miss: the distributional term measures that directly.
    if sampler.hardViewFraction > 0 { sampler.record(loss: options.loss.distributionWeight > 0 ? terms.distribution : value, for: pair) }
    step += 1
    progress(TrainingProgress(step: step, steps: options.steps, loss: value, matchLoss: terms.match,
                              matches: pair.indices.matchesA.count, elapsedSeconds: Date().timeIntervalSince(start)))
  }
  let tail = losses.suffix(max(1, losses.count / 10))
  return TrainingResult(steps: step, firstLoss: losses.first ?? .nan, finalLoss: tail.reduce(0, +) / Double(max(1, tail.count)),
                        seconds: Date().timeIntervalSince(start))
}

import Foundation
import Perception
import Torch

/// Training settings; every default is stated with its reason.
public struct TrainingOptions: Sendable, Equatable {
  /// Adam steps, one image pair each (the paper: 3,500).
  public var steps = 3_500
  /// Adam's learning rate (the peak of the schedule). The paper uses 1e-4 from an ImageNet-pretrained
  /// ResNet-34; this network starts from random weights. 1e-3 trained it faster than 3e-3 on
  /// 10,000-step runs; on the 30-minute benchmark's 60,000-odd steps with two workers 5e-4 did
  /// better than 1e-3 (docs/descriptors.md, "Training").
  public var learningRate = 5e-4
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
  /// Replicas of the network that train side by side, each on its own thread with its share of
  /// torch's thread budget (`Torch.threads` on the calling thread), each drawing its own pairs
  /// (1: one pair at a time on all the threads). On two cores a small network's short operations
  /// leave about a third of the CPU time in OpenMP's waits (docs/descriptors.md); two workers with
  /// one thread each do not wait. Adam still takes one step per pair, the workers' in turn
  /// (0, 1, …, 0, 1, …); a worker's gradient is taken at the parameters of its own previous step,
  /// so with W workers each step's gradient is W − 1 steps old (asynchronous SGD with a fixed
  /// delay). Runs are deterministic for a given seed and worker count.
  public var workers = 1

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

/// Trains `network` with Adam, one step per pair from `sampler` (both images of a pair in one
/// batch); the sampler draws hard views as `options.hardViewFraction` says and is told every pair's
/// loss.
///
/// With `options.workers` W > 1, W replicas of `network` compute gradients on their own threads
/// while the network itself only takes Adam steps: worker k takes steps k, k + W, k + 2W, … with
/// its gradient, then copies the network's parameters to its replica and draws its next pair (see
/// `TrainingOptions.workers`). Worker 0 draws from `sampler`, worker k from
/// `sampler.forWorker(k, seed: options.seed)`. The network's batch-norm running statistics are
/// those of the replica that took the last step (each replica's forward passes update its own
/// copy from the network's, so they follow about one pair in W). With hard views, each worker's
/// sampler learns the other workers' losses in its next turn, so that it has every step's loss up
/// to its own when it draws. `progress` is called once per
/// step, in step order, one call at a time, from the thread of the worker that stepped.
///
/// With `averaging`, an exponential moving average (`ExponentialMovingAverage`, decay per step
/// `decay` in (0, 1), with its warm-up) of the network's parameters and running statistics is
/// updated after every step and copied into `averaging.into` at the end (a network of the same
/// configuration, e.g. `network.replica()`); `network` ends as the last iterate.
public func train(_ network: DescriptorNetwork, sampler: inout PairSampler, options: TrainingOptions,
                  averaging: (into: DescriptorNetwork, decay: Double)? = nil,
                  progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingResult {
  precondition(options.steps > 0, "train: steps must be positive, got \(options.steps)")
  precondition(options.workers > 0, "train: workers must be positive, got \(options.workers)")
  if let averaging {
    precondition(averaging.decay > 0 && averaging.decay < 1, "train: the averaging decay must lie in (0, 1), got \(averaging.decay)")
    precondition(averaging.into !== network, "train: the average must go into another network than the one trained")
  }
  network.train()
  sampler.hardViewFraction = options.hardViewFraction
  let parallel = options.workers > 1
  let workers = try (0..<options.workers).map { k in
    TrainingWorker(network: parallel ? try network.replica() : network,
                   sampler: k == 0 ? sampler : sampler.forWorker(k, seed: options.seed))
  }
  // The thread budget is the calling thread's; with several workers each gets its share (ATen's
  // thread count is process-wide: restored at the end). Denormal flushing is per thread: the
  // workers copy the caller's.
  let budget = Torch.threads
  let flushDenormals = Torch.isFlushingDenormals
  defer { if parallel { try? Torch.setThreads(budget) } }
  let average = try averaging.map { try ExponentialMovingAverage(network.state().map(\.tensor), decay: $0.decay) }
  // The run keeps `progress` only until every worker is done.
  let run = withoutActuallyEscaping(progress) { progress in
    let run = TrainingRun(network: network, workers: workers, options: options, progress: progress, averaging: average)
    if parallel {
      // Workers 1… get threads of their own (a worker waits for the others' turns, so they must
      // run at the same time: a thread pool might run them one after the other), worker 0 runs here.
      let threads = max(1, budget / workers.count)
      let done = DispatchGroup()
      for k in 1..<workers.count {
        done.enter()
        let thread = Thread {
          run.work(k, threads: threads, flushDenormals: flushDenormals)
          done.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
      }
      run.work(0, threads: threads, flushDenormals: flushDenormals)
      done.wait()
    } else {
      run.work(0, threads: nil, flushDenormals: false)
    }
    run.progress = nil
    return run
  }
  if let failure = run.failure { throw failure }
  if let averaging, let average {
    try averaging.into.load(zip(network.state(), average.averages).map { ($0.name, $1) }, source: "the weight average")
  }
  sampler = workers[0].sampler
  let tail = run.losses.suffix(max(1, run.losses.count / 10))
  return TrainingResult(steps: run.losses.count, firstLoss: run.losses.first ?? .nan,
                        finalLoss: tail.reduce(0, +) / Double(max(1, tail.count)), seconds: Date().timeIntervalSince(run.start))
}

/// The state `train`'s workers share. Everything but each worker's own sampler, pair and replica
/// is read and written only in a worker's turn (`TurnGate`), one worker at a time, in step order;
/// a worker's sampler is touched by its own thread only.
private final class TrainingRun: @unchecked Sendable {
  let network: DescriptorNetwork
  let workers: [TrainingWorker]
  let options: TrainingOptions
  /// Dropped when the workers are done (`train` lends it for their run only).
  var progress: ((TrainingProgress) -> Void)?
  let adam: Adam
  let turns = TurnGate()
  let start = Date()
  var losses: [Double] = []
  var stopped = false
  var failure: (any Error)?
  /// Per worker, the other workers' view losses (hard views) since its last turn, for its own
  /// thread to fold into its sampler in its next turn (its sampler may be drawing meanwhile).
  var pendingViewLosses: [[(loss: Double, pair: TrainingPair)]]
  /// The network's parameters and running statistics averaged over the steps (nil: no averaging).
  let averaging: ExponentialMovingAverage?

  init(network: DescriptorNetwork, workers: [TrainingWorker], options: TrainingOptions, progress: @escaping (TrainingProgress) -> Void,
       averaging: ExponentialMovingAverage?) {
    self.network = network
    self.workers = workers
    self.options = options
    self.progress = progress
    self.averaging = averaging
    pendingViewLosses = Array(repeating: [], count: workers.count)
    adam = Adam(network.parameters(), learningRate: options.learningRate, weightDecay: options.weightDecay)
  }

  /// Worker `k`'s loop: a gradient on its own pair, then, in its turn, the step, until the steps or
  /// the time run out or a worker fails. First sets this thread's torch threads (nil: leaves them)
  /// and, when `flushDenormals`, its denormal flushing.
  func work(_ k: Int, threads: Int?, flushDenormals: Bool) {
    let worker = workers[k]
    var setUpFailure: (any Error)?
    do {
      if let threads { try Torch.setThreads(threads) }
      if flushDenormals { try Torch.setFlushDenormal(true) }
    } catch {
      setUpFailure = error
    }
    var turn = k
    while true {
      var error = setUpFailure
      if error == nil {
        do { try worker.computeGradient(loss: options.loss) } catch let e { error = e }
      }
      // Every worker takes each of its turns until the run stops, also after an error, so that no
      // worker waits for a turn that never comes.
      turns.wait(for: turn)
      defer { turns.pass() }
      if stopped { return }
      if let error {
        (failure, stopped) = (error, true)
        return
      }
      let elapsed = Date().timeIntervalSince(start)
      if turn >= options.steps || (options.timeLimitSeconds.map { elapsed >= $0 } ?? false) {
        stopped = true
        return
      }
      do {
        try takeStep(turn, elapsedSeconds: elapsed)
      } catch let e {
        (failure, stopped) = (e, true)
        return
      }
      turn += workers.count
    }
  }

  /// Step `step` with the gradient of its worker (step mod W); the worker's replica then gets the new parameters.
  private func takeStep(_ step: Int, elapsedSeconds: Double) throws {
    let index = step % workers.count, worker = workers[index]
    adam.learningRate = options.learningRate(atStep: step, elapsedSeconds: elapsedSeconds)
    try adam.step(gradients: worker.network.parameters().map(\.grad))
    if worker.network !== network {
      try Torch.withNoGrad {
        for (to, from) in zip(network.namedBuffers(), worker.network.namedBuffers()) { try to.tensor.copy_(from.tensor) }
        for (to, from) in zip(worker.network.parameters(), network.parameters()) { try to.copy_(from) }
      }
    }
    try averaging?.update()
    let outcome = worker.outcome!
    losses.append(outcome.loss)
    // A view is hard when its best matches miss: the distributional term measures that directly.
    // Each worker's sampler learns every step's loss before its worker's next draw.
    if options.hardViewFraction > 0 {
      let value = options.loss.distributionWeight > 0 ? outcome.distribution : outcome.loss
      for (loss, pair) in pendingViewLosses[index] { worker.sampler.record(loss: loss, for: pair) }
      pendingViewLosses[index] = []
      worker.sampler.record(loss: value, for: outcome.pair)
      for other in workers.indices where other != index { pendingViewLosses[other].append((value, outcome.pair)) }
    }
    progress?(TrainingProgress(step: step + 1, steps: options.steps, loss: outcome.loss, matchLoss: outcome.match,
                              matches: outcome.pair.indices.matchesA.count, elapsedSeconds: Date().timeIntervalSince(start)))
  }
}

/// One worker of `train`: a network (the trained one, or a replica of it), its pair stream, and
/// what its last pair gave.
private final class TrainingWorker {
  let network: DescriptorNetwork
  var sampler: PairSampler
  var outcome: (pair: TrainingPair, loss: Double, match: Double, distribution: Double)?

  init(network: DescriptorNetwork, sampler: PairSampler) {
    self.network = network
    self.sampler = sampler
  }

  /// Draws a pair and leaves the loss's gradient in the network's parameters.
  func computeGradient(loss: ContrastiveLoss) throws {
    let pair = try sampler.next()
    try network.zeroGrad()
    let d = try network(Tensor.cat([pair.inputA, pair.inputB], dim: 0))
    let terms = try loss(d.select(0, 0), d.select(0, 1), pair.indices)
    try terms.total.backward()
    outcome = (pair, try terms.total.item(), terms.match, terms.distribution)
  }
}

/// Lets turns 0, 1, 2, … through one at a time, in that order.
private final class TurnGate: @unchecked Sendable {
  private let condition = NSCondition()
  private var next = 0

  /// Blocks until turn `index` comes (every turn before it has passed).
  func wait(for index: Int) {
    condition.lock()
    while next != index { condition.wait() }
    condition.unlock()
  }

  /// Ends the current turn.
  func pass() {
    condition.lock()
    next += 1
    condition.broadcast()
    condition.unlock()
  }
}

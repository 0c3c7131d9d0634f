import Foundation

/// Updates parameters from their gradients. Call `zeroGrad()`, compute a loss, `backward()`, `step()`.
public protocol Optimizer: AnyObject {
  /// The step size used by the next `step()`; schedules set it between steps.
  var learningRate: Double { get set }
  /// One update of every parameter that has a gradient (others are skipped).
  func step() throws
  /// Drops every parameter's gradient.
  func zeroGrad() throws
}

/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's:
///
/// ```
/// g = ∇ + λ p;   b = μ b + (1 − dampening) g  (b = g at the first step);
/// g = nesterov ? g + μ b : b;   p −= lr g
/// ```
public final class SGD: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Double
  public let momentum: Double
  public let dampening: Double
  public let weightDecay: Double
  public let nesterov: Bool
  private var buffers: [Tensor?]

  public init(
    _ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
    nesterov: Bool = false
  ) {
    precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0,
                 "SGD: lr \(learningRate), momentum \(momentum), weight decay \(weightDecay) must be ≥ 0")
    precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov needs momentum > 0 and no dampening")
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    buffers = Array(repeating: nil, count: parameters.count)
  }

  public func step() throws {
    try Torch.withNoGrad {
      for (index, p) in parameters.enumerated() {
        guard var g = p.grad else { continue }
        if weightDecay != 0 { g = try g + p * weightDecay }
        if momentum != 0 {
          let buffer: Tensor
          if let existing = buffers[index] {
            try existing.mul_(momentum)
            try existing.add_(g, alpha: 1 - dampening)
            buffer = existing
          } else {
            buffer = try g.clone()
            buffers[index] = buffer
          }
          g = nesterov ? try g + buffer * momentum : buffer
        }
        try p.add_(g, alpha: -learningRate)
      }
    }
  }

  public func zeroGrad() throws {
    for p in parameters { try p.zeroGrad() }
  }
}

/// Adam (Kingma & Ba, arXiv:1412.6980) with bias correction, and weight decay either as an L2 term in
/// the gradient (`decoupledWeightDecay: false`, PyTorch's `Adam`) or decoupled from it (AdamW,
/// Loshchilov & Hutter, arXiv:1711.05101):
///
/// ```
/// AdamW: p ← p (1 − lr λ)          Adam-L2: g ← g + λ p
/// m ← β₁ m + (1 − β₁) g;   v ← β₂ v + (1 − β₂) g²
/// p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
public final class Adam: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Double
  public let beta1: Double
  public let beta2: Double
  public let eps: Double
  public let weightDecay: Double
  public let decoupledWeightDecay: Bool
  /// Steps taken so far (t in the bias corrections).
  public private(set) var stepCount = 0
  private var firstMoments: [Tensor?]
  private var secondMoments: [Tensor?]

  public init(
    _ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
    weightDecay: Double = 0, decoupledWeightDecay: Bool = false
  ) {
    precondition(learningRate >= 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && eps >= 0 && weightDecay >= 0,
                 "Adam: lr \(learningRate), betas (\(beta1), \(beta2)), eps \(eps), weight decay \(weightDecay) out of range")
    self.parameters = parameters
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
    firstMoments = Array(repeating: nil, count: parameters.count)
    secondMoments = Array(repeating: nil, count: parameters.count)
  }

  public func step() throws {
    try step(gradients: parameters.map(\.grad))
  }

  /// One update with the given gradients in place of the parameters' own (`gradients[i]` for
  /// `parameters[i]`, nil to skip it): for gradients computed elsewhere, e.g. on a replica of the
  /// model that trained on another thread. Throws when the count or a shape differs (nothing updated).
  public func step(gradients: [Tensor?]) throws {
    guard gradients.count == parameters.count else {
      throw TorchError(operation: "Adam.step", message: "\(gradients.count) gradients for \(parameters.count) parameters")
    }
    for (index, (p, g)) in zip(parameters, gradients).enumerated() where g != nil && g!.shape != p.shape {
      throw TorchError(operation: "Adam.step", message: "gradient \(index) has shape \(g!.shape), its parameter \(p.shape)")
    }
    stepCount += 1
    let correction1 = 1 - pow(beta1, Double(stepCount))
    let correction2 = 1 - pow(beta2, Double(stepCount))
    try Torch.withNoGrad {
      for (index, p) in parameters.enumerated() {
        guard var g = gradients[index] else { continue }
        if weightDecay != 0 {
          if decoupledWeightDecay {
            try p.mul_(1 - learningRate * weightDecay)
          } else {
            g = try g + p * weightDecay
          }
        }
        let m = try firstMoments[index] ?? Tensor.zeros(p.shape)
        let v = try secondMoments[index] ?? Tensor.zeros(p.shape)
        firstMoments[index] = m
        secondMoments[index] = v
        try m.mul_(beta1)
        try m.add_(g, alpha: 1 - beta1)
        try v.mul_(beta2)
        try v.addcmul_(g, g, value: 1 - beta2)
        let denominator = try v.sqrt() / correction2.squareRoot() + eps
        try p.addcdiv_(m, denominator, value: -learningRate / correction1)
      }
    }
  }

  public func zeroGrad() throws {
    for p in parameters { try p.zeroGrad() }
  }
}

/// An exponential moving average of tensors that change in place, such as a model's parameters and
/// batch-norm statistics as an optimizer updates them (weight averaging: Polyak & Juditsky 1992;
/// with the warm-up of TensorFlow's `ExponentialMovingAverage` and timm's `ModelEma`):
///
/// ```
/// d = min(decay, (1 + t) / (10 + t))   (t: updates before this one)
/// a ← d · a + (1 − d) · s
/// ```
///
/// The warm-up lets the average forget the starting tensors within its first few hundred updates
/// when decay is close to 1. `averages[i]` starts as a copy of `sources[i]`.
public final class ExponentialMovingAverage {
  /// The tensors averaged (held by reference: their current values enter each update).
  public let sources: [Tensor]
  /// The running averages, one per source, same shapes and types.
  public let averages: [Tensor]
  /// The decay per update once the warm-up has passed, in [0, 1).
  public let decay: Double
  /// Updates so far.
  public private(set) var updates = 0

  public init(_ sources: [Tensor], decay: Double) throws {
    precondition((0..<1).contains(decay), "ExponentialMovingAverage: decay \(decay) must lie in [0, 1)")
    self.sources = sources
    self.decay = decay
    averages = try Torch.withNoGrad { try sources.map { try $0.detached().clone() } }
  }

  /// The decay the next update uses.
  public var currentDecay: Double { min(decay, Double(1 + updates) / Double(10 + updates)) }

  /// Folds the sources' current values into the averages.
  public func update() throws {
    let d = currentDecay
    try Torch.withNoGrad {
      for (a, s) in zip(averages, sources) {
        try a.mul_(d)
        try a.add_(s, alpha: 1 - d)
      }
    }
    updates += 1
  }
}

/// A learning rate as a function of the step (or epoch) number, starting at 0.
public protocol LearningRateSchedule: Sendable {
  func learningRate(atStep step: Int) -> Double
}

extension LearningRateSchedule {
  /// Sets `optimizer.learningRate` for `step`.
  public func apply(to optimizer: any Optimizer, step: Int) {
    optimizer.learningRate = learningRate(atStep: step)
  }
}

/// lr = initial · gamma^⌊step / stepSize⌋ (PyTorch's StepLR).
public struct StepDecay: LearningRateSchedule {
  public var initial: Double
  public var stepSize: Int
  public var gamma: Double

  public init(initial: Double, stepSize: Int, gamma: Double = 0.1) {
    precondition(stepSize > 0, "StepDecay: stepSize \(stepSize) must be positive")
    self.initial = initial
    self.stepSize = stepSize
    self.gamma = gamma
  }

  public func learningRate(atStep step: Int) -> Double { initial * pow(gamma, Double(step / stepSize)) }
}

/// lr = minimum + (initial − minimum) · (1 + cos(π · step / totalSteps)) / 2, held at `minimum` after
/// `totalSteps` (PyTorch's CosineAnnealingLR without restarts; Loshchilov & Hutter, arXiv:1608.03983).
public struct CosineAnnealing: LearningRateSchedule {
  public var initial: Double
  public var minimum: Double
  public var totalSteps: Int

  public init(initial: Double, minimum: Double = 0, totalSteps: Int) {
    precondition(totalSteps > 0, "CosineAnnealing: totalSteps \(totalSteps) must be positive")
    self.initial = initial
    self.minimum = minimum
    self.totalSteps = totalSteps
  }

  public func learningRate(atStep step: Int) -> Double {
    learningRate(atFraction: Double(Swift.min(Swift.max(step, 0), totalSteps)) / Double(totalSteps))
  }

  /// The rate after a fraction `t` of the run (clamped to [0, 1]): for runs whose end is set by
  /// something other than a step count, such as a time limit.
  public func learningRate(atFraction t: Double) -> Double {
    minimum + (initial - minimum) * (1 + cos(Double.pi * Swift.min(1, Swift.max(0, t)))) / 2
  }
}

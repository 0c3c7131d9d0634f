import CTorch

/// A trainable piece of a network: its own named parameters and buffers, and named child modules.
///
/// Names nest with dots, as in PyTorch's state dicts: a `ResidualBlock` child `"block1"` with a
/// `Conv2d` child `"conv1"` gives `"block1.conv1.weight"`. Orders are fixed by each module's
/// declarations, so `namedParameters()` is deterministic.
public protocol Module: AnyObject {
  /// This module's own trainable tensors (not its children's), by local name.
  var directParameters: [(name: String, tensor: Tensor)] { get }
  /// This module's own saved, untrained state (e.g. running statistics), by local name.
  var directBuffers: [(name: String, tensor: Tensor)] { get }
  /// Child modules, by local name.
  var children: [(name: String, module: any Module)] { get }
  /// Training (batch statistics, dropout) or evaluation behaviour; set it for a whole tree with
  /// `train(_:)` / `eval()`.
  var isTraining: Bool { get set }
}

/// A module with one input and one output tensor.
public protocol Layer: Module {
  func callAsFunction(_ x: Tensor) throws -> Tensor
}

extension Module {
  public var directBuffers: [(name: String, tensor: Tensor)] { [] }
  public var children: [(name: String, module: any Module)] { [] }

  /// Every parameter of the tree, with dotted names, parents before children.
  public func namedParameters() -> [(name: String, tensor: Tensor)] {
    var out = directParameters
    for (name, child) in children {
      out += child.namedParameters().map { (name: name + "." + $0.name, tensor: $0.tensor) }
    }
    return out
  }

  /// Every parameter of the tree, in `namedParameters()` order.
  public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

  /// Every buffer of the tree, with dotted names.
  public func namedBuffers() -> [(name: String, tensor: Tensor)] {
    var out = directBuffers
    for (name, child) in children {
      out += child.namedBuffers().map { (name: name + "." + $0.name, tensor: $0.tensor) }
    }
    return out
  }

  /// Parameters then buffers: what a checkpoint holds.
  public func state() -> [(name: String, tensor: Tensor)] { namedParameters() + namedBuffers() }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

  /// Sets training mode on the whole tree.
  public func train(_ on: Bool = true) {
    isTraining = on
    for (_, child) in children { child.train(on) }
  }

  /// Sets evaluation mode on the whole tree.
  public func eval() { train(false) }

  /// Drops every parameter's gradient.
  public func zeroGrad() throws {
    for p in parameters() { try p.zeroGrad() }
  }

  /// Saves `state()` as a checkpoint (see `Checkpoint`).
  public func save(to path: String) throws {
    try Checkpoint.save(state(), to: path)
  }

  /// Copies a checkpoint's tensors into this module's parameters and buffers, in place.
  ///
  /// Throws `TorchError` (operation `"Module.load"`) naming the entry when one is missing from the
  /// file, when the file holds an entry the module lacks, or when a shape differs; the module is left
  /// unchanged in those cases.
  public func load(from path: String) throws {
    try load(Checkpoint.load(from: path), source: path)
  }

  /// Copies named tensors into this module's state, in place (checks everything before copying).
  public func load(_ entries: [(name: String, tensor: Tensor)], source: String = "state") throws {
    let mine = state()
    var given: [String: Tensor] = [:]
    for entry in entries { given[entry.name] = entry.tensor }
    for (name, tensor) in mine {
      guard let value = given[name] else {
        throw TorchError(operation: "Module.load", message: "\(source) has no entry '\(name)'")
      }
      guard value.shape == tensor.shape else {
        throw TorchError(operation: "Module.load", message: "\(source): '\(name)' has shape \(value.shape), the module expects \(tensor.shape)")
      }
    }
    let known = Set(mine.map(\.name))
    if let extra = entries.first(where: { !known.contains($0.name) }) {
      throw TorchError(operation: "Module.load", message: "\(source) has an entry '\(extra.name)' that the module does not have")
    }
    try Torch.withNoGrad {
      for (name, tensor) in mine { try tensor.copy_(given[name]!) }
    }
  }
}

/// Creates a parameter: uniform on [−bound, bound) from the global generator, requiring grad.
func uniformParameter(_ shape: [Int], bound: Double) throws -> Tensor {
  let t = try Tensor.zeros(shape)
  try t.uniform_(-bound, bound)
  return try t.setRequiresGrad(true)
}

/// y = x · Wᵀ + b, for x [..., inFeatures].
///
/// Initialization as PyTorch's: W and b uniform on ±1/√inFeatures.
public final class Linear: Layer {
  public let weight: Tensor
  public let bias: Tensor?
  public var isTraining = true

  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
    precondition(inFeatures > 0 && outFeatures > 0, "Linear(\(inFeatures), \(outFeatures)): sizes must be positive")
    let bound = 1 / Double(inFeatures).squareRoot()
    weight = try uniformParameter([outFeatures, inFeatures], bound: bound)
    self.bias = bias ? try uniformParameter([outFeatures], bound: bound) : nil
  }

  public var directParameters: [(name: String, tensor: Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try Functional.linear(x, weight: weight, bias: bias)
  }
}

/// 2-D convolution over NCHW input with a square kernel.
///
/// Initialization as PyTorch's: weight and bias uniform on ±1/√(inChannels/groups · k²).
public final class Conv2d: Layer {
  public let weight: Tensor
  public let bias: Tensor?
  public let stride: Int
  public let padding: Int
  public let dilation: Int
  public let groups: Int
  public var isTraining = true

  public init(
    _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
    groups: Int = 1, bias: Bool = true
  ) throws {
    precondition(inChannels % groups == 0 && outChannels % groups == 0,
                 "Conv2d: channels \(inChannels)→\(outChannels) not divisible by groups \(groups)")
    let fanIn = inChannels / groups * kernelSize * kernelSize
    let bound = 1 / Double(fanIn).squareRoot()
    weight = try uniformParameter([outChannels, inChannels / groups, kernelSize, kernelSize], bound: bound)
    self.bias = bias ? try uniformParameter([outChannels], bound: bound) : nil
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
  }

  public var directParameters: [(name: String, tensor: Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try Functional.conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding),
                          dilation: (dilation, dilation), groups: groups)
  }
}

/// Batch normalization of NCHW input per channel, with learned scale and shift and running statistics
/// (buffers `running_mean`, `running_var`) used in evaluation mode.
public final class BatchNorm2d: Layer {
  public let weight: Tensor
  public let bias: Tensor
  public let runningMean: Tensor
  public let runningVar: Tensor
  public let momentum: Double
  public let eps: Double
  public var isTraining = true

  public init(_ channels: Int, momentum: Double = 0.1, eps: Double = 1e-5) throws {
    weight = try Tensor.ones([channels]).setRequiresGrad(true)
    bias = try Tensor.zeros([channels]).setRequiresGrad(true)
    runningMean = try Tensor.zeros([channels])
    runningVar = try Tensor.ones([channels])
    self.momentum = momentum
    self.eps = eps
  }

  public var directParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
  public var directBuffers: [(name: String, tensor: Tensor)] { [("running_mean", runningMean), ("running_var", runningVar)] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try Functional.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                             training: isTraining, momentum: momentum, eps: eps)
  }
}

/// Group normalization of NCHW input with learned per-channel scale and shift (no running state).
public final class GroupNorm: Layer {
  public let groups: Int
  public let weight: Tensor
  public let bias: Tensor
  public let eps: Double
  public var isTraining = true

  public init(groups: Int, channels: Int, eps: Double = 1e-5) throws {
    precondition(channels % groups == 0, "GroupNorm: \(channels) channels not divisible by \(groups) groups")
    self.groups = groups
    weight = try Tensor.ones([channels]).setRequiresGrad(true)
    bias = try Tensor.zeros([channels]).setRequiresGrad(true)
    self.eps = eps
  }

  public var directParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try Functional.groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps)
  }
}

/// The basic ResNet block (He et al., "Deep Residual Learning", arXiv:1512.03385):
///
/// ```
/// y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
/// ```
/// with 3×3 convolutions (the first with `stride`; both with `dilation`, padded to keep the size, as
/// the dilated ResNets of Yu, Koltun & Funkhouser, arXiv:1705.09914) and, when the stride or the
/// channel count changes, a 1×1 convolution + batch norm as the shortcut.
public final class ResidualBlock: Layer {
  public let conv1: Conv2d
  public let bn1: BatchNorm2d
  public let conv2: Conv2d
  public let bn2: BatchNorm2d
  public let downsample: Sequential?
  public var isTraining = true

  public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 1, dilation: Int = 1) throws {
    precondition(dilation >= 1, "ResidualBlock: dilation \(dilation) must be ≥ 1")
    conv1 = try Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: dilation, dilation: dilation, bias: false)
    bn1 = try BatchNorm2d(outChannels)
    conv2 = try Conv2d(outChannels, outChannels, kernelSize: 3, padding: dilation, dilation: dilation, bias: false)
    bn2 = try BatchNorm2d(outChannels)
    if stride != 1 || inChannels != outChannels {
      downsample = Sequential([
        try Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false),
        try BatchNorm2d(outChannels),
      ])
    } else {
      downsample = nil
    }
  }

  public var directParameters: [(name: String, tensor: Tensor)] { [] }
  public var children: [(name: String, module: any Module)] {
    var out: [(name: String, module: any Module)] = [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)]
    if let downsample { out.append(("downsample", downsample)) }
    return out
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let y = try bn2(conv2(bn1(conv1(x)).relu()))
    let shortcut = try downsample.map { try $0(x) } ?? x
    return try (y + shortcut).relu()
  }
}

/// Layers applied in order; children are named "0", "1", … as in PyTorch.
public final class Sequential: Layer {
  public let layers: [any Layer]
  public var isTraining = true

  public init(_ layers: [any Layer]) { self.layers = layers }

  public var directParameters: [(name: String, tensor: Tensor)] { [] }
  public var children: [(name: String, module: any Module)] {
    layers.enumerated().map { (name: String($0.offset), module: $0.element as any Module) }
  }

  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    var y = x
    for layer in layers { y = try layer(y) }
    return y
  }
}

/// A parameter-free layer from a function (activations, reshapes, pooling).
public final class Function: Layer {
  let body: (Tensor) throws -> Tensor
  public var isTraining = true

  public init(_ body: @escaping (Tensor) throws -> Tensor) { self.body = body }

  public var directParameters: [(name: String, tensor: Tensor)] { [] }

  public func callAsFunction(_ x: Tensor) throws -> Tensor { try body(x) }

  /// max(x, 0).
  public static var relu: Function { Function { try $0.relu() } }
}

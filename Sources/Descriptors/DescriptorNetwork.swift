import Foundation
import Torch

/// What a descriptor model is, besides its weights: saved in the checkpoint as `config.*` entries.
public struct DescriptorConfiguration: Sendable, Equatable {
  /// Descriptor dimension D (the paper's figures use 3; larger is better for matching).
  public var descriptorDimension = 16
  /// The network's input and output resolution (images are resized to it).
  public var width = 320
  public var height = 240
  /// Channels of the stem; the residual stages have 1.5×, 2× and 3× as many.
  public var baseWidth = 32
  /// Channels of an optional decoder that merges the stride-8 features with the stride-4 and
  /// stride-2 ones (0, the default: none; the stride-8 head is upsampled ×8 directly, as the paper's
  /// network). In 5-minute runs on mugs (bench/results/descriptors-2026-12-02-upright.md) width 32
  /// with dilation 2 was within run-to-run noise of the default and 20% slower per pair.
  public var decoderWidth = 0
  /// Dilation of the last two residual blocks (d and 2d; 1, the default: none), which widens their
  /// receptive field at stride 8 without more downsampling.
  public var dilation = 1
  /// Channels of an optional context path (0, the default: none): two more residual stages at
  /// strides 16 and 32 whose outputs, projected back and upsampled, are added to the stride-8
  /// features, so that every descriptor sees the whole object (the plain network's receptive field
  /// is 103 px: a rim pixel does not see the handle across a mug seen from above).
  public var contextWidth = 0
  /// Per-channel mean and standard deviation subtracted from RGB in [0, 1] (ImageNet's).
  public var normalizationMean: [Float] = [0.485, 0.456, 0.406]
  public var normalizationStd: [Float] = [0.229, 0.224, 0.225]
  /// Training used views whose index `i` has `i % heldOutEvery != heldOutEvery - 1` (0: all views).
  public var heldOutEvery = 4

  public init() {}

  /// Whether view `index` was held out of training.
  public func isHeldOut(view index: Int) -> Bool { Self.isHeldOut(view: index, every: heldOutEvery) }

  /// Whether view `index` is held out when every `every`th view is (views N−1, 2N−1, …; 0: none).
  public static func isHeldOut(view index: Int, every: Int) -> Bool { every > 0 && index % every == every - 1 }

  /// Version 2 added `decoder_width` and `dilation`, version 3 `context_width`; a version-1 file is
  /// the plain stride-8 network, a version-2 file has no context path.
  static let version: Int64 = 3

  func entries() throws -> [(name: String, tensor: Tensor)] {
    [("config.version", try Tensor(int64: [Self.version], shape: [1])),
     ("config.descriptor_dim", try Tensor(int64: [Int64(descriptorDimension)], shape: [1])),
     ("config.resolution", try Tensor(int64: [Int64(width), Int64(height)], shape: [2])),
     ("config.base_width", try Tensor(int64: [Int64(baseWidth)], shape: [1])),
     ("config.decoder_width", try Tensor(int64: [Int64(decoderWidth)], shape: [1])),
     ("config.dilation", try Tensor(int64: [Int64(dilation)], shape: [1])),
     ("config.context_width", try Tensor(int64: [Int64(contextWidth)], shape: [1])),
     ("config.held_out_every", try Tensor(int64: [Int64(heldOutEvery)], shape: [1])),
     ("config.normalization_mean", try Tensor(normalizationMean, shape: [3])),
     ("config.normalization_std", try Tensor(normalizationStd, shape: [3]))]
  }

  init(entries: [String: Tensor], path: String) throws(DescriptorError) {
    func ints(_ name: String, _ count: Int) throws(DescriptorError) -> [Int] {
      guard let t = entries[name] else { throw DescriptorError(path: path, message: "not a descriptor model (no entry '\(name)')") }
      guard t.dtype == .int64, t.count == count, let values = try? t.int64s() else {
        throw DescriptorError(path: path, message: "entry '\(name)': expected \(count) int64 value(s)")
      }
      return values.map { Int($0) }
    }
    func floats(_ name: String) throws(DescriptorError) -> [Float] {
      guard let t = entries[name] else { throw DescriptorError(path: path, message: "not a descriptor model (no entry '\(name)')") }
      guard t.dtype == .float32, t.count == 3, let values = try? t.floats() else {
        throw DescriptorError(path: path, message: "entry '\(name)': expected 3 float32 values")
      }
      return values
    }
    let version = try ints("config.version", 1)[0]
    guard (1...Int(Self.version)).contains(version) else {
      throw DescriptorError(path: path, message: "entry 'config.version': this reader knows versions 1 to \(Self.version), got \(version)")
    }
    descriptorDimension = try ints("config.descriptor_dim", 1)[0]
    let resolution = try ints("config.resolution", 2)
    (width, height) = (resolution[0], resolution[1])
    baseWidth = try ints("config.base_width", 1)[0]
    if version >= 2 {
      decoderWidth = try ints("config.decoder_width", 1)[0]
      dilation = try ints("config.dilation", 1)[0]
    } else {
      (decoderWidth, dilation) = (0, 1)
    }
    contextWidth = version >= 3 ? try ints("config.context_width", 1)[0] : 0
    heldOutEvery = try ints("config.held_out_every", 1)[0]
    normalizationMean = try floats("config.normalization_mean")
    normalizationStd = try floats("config.normalization_std")
    guard descriptorDimension >= 1, width >= 8, height >= 8, baseWidth >= 1, decoderWidth >= 0, dilation >= 1, contextWidth >= 0, heldOutEvery >= 0,
          normalizationStd.allSatisfy({ $0 > 0 }) else {
      throw DescriptorError(path: path, message: "config entries out of range (D \(descriptorDimension), \(width)×\(height), base width \(baseWidth), decoder width \(decoderWidth), dilation \(dilation), context width \(contextWidth))")
    }
  }
}

/// The fully-convolutional descriptor network: a small ResNet-style encoder at output stride 8, a 1×1
/// head to D channels and bilinear upsampling to the input size (Florence et al. 2018,
/// arXiv:1806.08756, use a ResNet-34 at stride 8; this one is sized for two CPU cores). Optionally
/// the last two blocks are dilated (Yu et al., arXiv:1705.09914) and a feature-pyramid decoder (Lin et
/// al., arXiv:1612.03144) brings back the stride-4 and stride-2 features before the head.
///
/// ```
/// stem   conv 3×3 /2, 3 → w, BN, ReLU                       c0  H/2
/// stage1 ResidualBlock(w, 1.5w, stride 2)                    c1  H/4
/// stage2 ResidualBlock(1.5w, 2w, stride 2)                       H/8
/// stage3 ResidualBlock(2w, 3w, dilation d)
/// stage4 ResidualBlock(3w, 3w, dilation 2d)                  c3  H/8
/// context (width k; absent when k = 0)
///   c4 = ResidualBlock(3w, k, stride 2)                           H/16
///   c5 = ResidualBlock(k, k, stride 2)                            H/32
///   c3 ← c3 + up(conv1×1(c4)) + up(conv1×1(c5))                   H/8
/// decoder (width c; absent when c = 0)
///   p = up2(conv1×1(c3)) + conv1×1(c1); p = ReLU(BN(conv3×3(p)))  H/4
///   p = up2(p) + conv1×1(c0);          p = ReLU(BN(conv3×3(p)))  H/2
/// head   conv 1×1 → D; bilinear to H × W
/// ```
/// With w = 32 and D = 16: 418,064 parameters without the decoder or context, 441,328 with c = 32,
/// 1,026,000 with k = 128 (the context stages run on 1/4 and 1/16 of the stride-8 positions).
public final class DescriptorNetwork: Layer {
  public let configuration: DescriptorConfiguration
  public let stem: Sequential
  public let stage1: ResidualBlock
  public let stage2: ResidualBlock
  public let stage3: ResidualBlock
  public let stage4: ResidualBlock
  /// The decoder's layers (nil when `decoderWidth` is 0).
  public let decoder: Decoder?
  /// The context path (nil when `contextWidth` is 0).
  public let context: Context?
  public let head: Conv2d
  public var isTraining = true
  /// Whether the layers run on channels-last tensors (the input is laid out NHWC first, the output
  /// made row-major NCHW again): the same values up to float rounding, and oneDNN's convolutions
  /// skip the reorders between NCHW and their own layouts (docs/descriptors.md, "Training").
  public var channelsLast = true

  /// A network of the same configuration with a copy of this one's parameters, buffers and mode
  /// (for a training worker on another thread). Its initialization draws from torch's global
  /// generator before the copy overwrites it.
  public func replica() throws -> DescriptorNetwork {
    let copy = try DescriptorNetwork(configuration)
    try copy.load(state())
    copy.train(isTraining)
    copy.channelsLast = channelsLast
    return copy
  }

  /// Two residual stages at strides 16 and 32 and 1×1 projections back to the stride-8 width.
  public final class Context: Layer {
    public let stage5: ResidualBlock
    public let stage6: ResidualBlock
    public let lateral5: Conv2d
    public let lateral6: Conv2d
    public var isTraining = true

    init(input: Int, width k: Int) throws {
      stage5 = try ResidualBlock(input, k, stride: 2)
      stage6 = try ResidualBlock(k, k, stride: 2)
      lateral5 = try Conv2d(k, input, kernelSize: 1)
      lateral6 = try Conv2d(k, input, kernelSize: 1)
    }

    public var directParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
      [("stage5", stage5), ("stage6", stage6), ("lateral5", lateral5), ("lateral6", lateral6)]
    }

    /// The stride-8 features `c3` with the projected, upsampled stride-16 and stride-32 ones added.
    public func callAsFunction(_ c3: Tensor) throws -> Tensor {
      let c5 = try stage5(c3)
      let c6 = try stage6(c5)
      let s = c3.shape
      return try c3 + Functional.interpolateBilinear(lateral5(c5), size: (s[2], s[3]), alignCorners: false)
        + Functional.interpolateBilinear(lateral6(c6), size: (s[2], s[3]), alignCorners: false)
    }
  }

  /// The feature-pyramid decoder: lateral 1×1 convolutions and 3×3 refinements at strides 4 and 2.
  public final class Decoder: Layer {
    public let top: Conv2d
    public let lateral1: Conv2d
    public let refine1: Sequential
    public let lateral0: Conv2d
    public let refine0: Sequential
    public var isTraining = true

    init(stem: Int, stage1: Int, top: Int, width c: Int) throws {
      self.top = try Conv2d(top, c, kernelSize: 1)
      lateral1 = try Conv2d(stage1, c, kernelSize: 1)
      refine1 = Sequential([try Conv2d(c, c, kernelSize: 3, padding: 1, bias: false), try BatchNorm2d(c), Function.relu])
      lateral0 = try Conv2d(stem, c, kernelSize: 1)
      refine0 = Sequential([try Conv2d(c, c, kernelSize: 3, padding: 1, bias: false), try BatchNorm2d(c), Function.relu])
    }

    public var directParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
      [("top", top), ("lateral1", lateral1), ("refine1", refine1), ("lateral0", lateral0), ("refine0", refine0)]
    }

    /// Not used alone: `merge(c0:c1:c3:)` is the decoder's forward pass.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { x }

    func merge(c0: Tensor, c1: Tensor, c3: Tensor) throws -> Tensor {
      func up(_ x: Tensor, like y: Tensor) throws -> Tensor {
        let s = y.shape
        return try Functional.interpolateBilinear(x, size: (s[2], s[3]), alignCorners: false)
      }
      var p = try up(top(c3), like: c1) + lateral1(c1)
      p = try refine1(p)
      p = try up(p, like: c0) + lateral0(c0)
      return try refine0(p)
    }
  }

  /// A freshly initialized network (from Torch's global generator: seed it with `Torch.manualSeed`).
  public init(_ configuration: DescriptorConfiguration) throws {
    self.configuration = configuration
    let w = configuration.baseWidth, d = configuration.dilation
    let w1 = w * 3 / 2, w2 = 2 * w, w3 = 3 * w
    stem = Sequential([try Conv2d(3, w, kernelSize: 3, stride: 2, padding: 1, bias: false), try BatchNorm2d(w), Function.relu])
    stage1 = try ResidualBlock(w, w1, stride: 2)
    stage2 = try ResidualBlock(w1, w2, stride: 2)
    stage3 = try ResidualBlock(w2, w3, dilation: d)
    stage4 = try ResidualBlock(w3, w3, dilation: d == 1 ? 1 : 2 * d)
    context = configuration.contextWidth > 0 ? try Context(input: w3, width: configuration.contextWidth) : nil
    let c = configuration.decoderWidth
    decoder = c > 0 ? try Decoder(stem: w, stage1: w1, top: w3, width: c) : nil
    head = try Conv2d(c > 0 ? c : w3, configuration.descriptorDimension, kernelSize: 1)
  }

  public var directParameters: [(name: String, tensor: Tensor)] { [] }
  public var children: [(name: String, module: any Module)] {
    var out: [(name: String, module: any Module)] = [("stem", stem), ("stage1", stage1), ("stage2", stage2), ("stage3", stage3), ("stage4", stage4)]
    if let context { out.append(("context", context)) }
    if let decoder { out.append(("decoder", decoder)) }
    out.append(("head", head))
    return out
  }

  /// Descriptors [N, D, H, W] of normalized images [N, 3, H, W].
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let shape = x.shape
    let c0 = try stem(channelsLast ? x.channelsLast() : x)
    let c1 = try stage1(c0)
    var c3 = try stage4(stage3(stage2(c1)))
    if let context { c3 = try context(c3) }
    let features = try decoder.map { try $0.merge(c0: c0, c1: c1, c3: c3) } ?? c3
    // As two matrix products (row-major whatever the layout): libtorch 1.13's bilinear upsampling
    // has a slow backward pass on the CPU (`Functional.interpolateBilinearByMatrices`).
    return try Functional.interpolateBilinearByMatrices(head(features), size: (shape[2], shape[3]), alignCorners: false)
  }

  /// Saves the weights and the configuration (`config.*` entries) as one libtorch checkpoint.
  public func save(to path: String) throws {
    try Checkpoint.save(state() + configuration.entries(), to: path)
  }

  /// Loads a model saved by `save(to:)`.
  /// - Throws: `DescriptorError` for a missing file or a checkpoint that is not a descriptor model,
  ///   `TorchError` for a corrupt file or weights of the wrong shape.
  public static func load(from path: String) throws -> DescriptorNetwork {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DescriptorError(path: path, message: "no such model file")
    }
    guard !isDirectory.boolValue else { throw DescriptorError(path: path, message: "is a folder, not a model file") }
    let entries = try Checkpoint.load(from: path)
    var byName: [String: Tensor] = [:]
    for entry in entries { byName[entry.name] = entry.tensor }
    let configuration = try DescriptorConfiguration(entries: byName, path: path)
    let network = try DescriptorNetwork(configuration)
    try network.load(entries.filter { !$0.name.hasPrefix("config.") }, source: path)
    network.eval()
    return network
  }
}

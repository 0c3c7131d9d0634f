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
  /// Per-channel mean and standard deviation subtracted from RGB in [0, 1] (ImageNet's).
  public var normalizationMean: [Float] = [0.485, 0.456, 0.406]
  public var normalizationStd: [Float] = [0.229, 0.224, 0.225]
  /// Training used views whose index `i` has `i % heldOutEvery != heldOutEvery - 1` (0: all views).
  public var heldOutEvery = 4

  public init() {}

  /// Whether view `index` was held out of training.
  public func isHeldOut(view index: Int) -> Bool { heldOutEvery > 0 && index % heldOutEvery == heldOutEvery - 1 }

  static let version: Int64 = 1

  func entries() throws -> [(name: String, tensor: Tensor)] {
    [("config.version", try Tensor(int64: [Self.version], shape: [1])),
     ("config.descriptor_dim", try Tensor(int64: [Int64(descriptorDimension)], shape: [1])),
     ("config.resolution", try Tensor(int64: [Int64(width), Int64(height)], shape: [2])),
     ("config.base_width", try Tensor(int64: [Int64(baseWidth)], shape: [1])),
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
    guard version == Int(Self.version) else {
      throw DescriptorError(path: path, message: "entry 'config.version': this reader knows version 1, got \(version)")
    }
    descriptorDimension = try ints("config.descriptor_dim", 1)[0]
    let resolution = try ints("config.resolution", 2)
    (width, height) = (resolution[0], resolution[1])
    baseWidth = try ints("config.base_width", 1)[0]
    heldOutEvery = try ints("config.held_out_every", 1)[0]
    normalizationMean = try floats("config.normalization_mean")
    normalizationStd = try floats("config.normalization_std")
    guard descriptorDimension >= 1, width >= 8, height >= 8, baseWidth >= 1, heldOutEvery >= 0, normalizationStd.allSatisfy({ $0 > 0 }) else {
      throw DescriptorError(path: path, message: "config entries out of range (D \(descriptorDimension), \(width)×\(height), base width \(baseWidth))")
    }
  }
}

/// The fully-convolutional descriptor network: a small ResNet-style encoder at output stride 8, a
/// 1×1 head to D channels, and bilinear upsampling back to the input size (Florence et al. 2018,
/// arXiv:1806.08756, use a ResNet-34 at stride 8; this one is sized for two CPU cores).
///
/// ```
/// stem   conv 3×3 /2, 3 → w, BN, ReLU            H/2
/// stage1 ResidualBlock(w, 1.5w, stride 2)         H/4
/// stage2 ResidualBlock(1.5w, 2w, stride 2)        H/8
/// stage3 ResidualBlock(2w, 3w), ResidualBlock(3w, 3w)
/// head   conv 1×1, 3w → D; bilinear ×8 to H × W
/// ```
/// With w = 32 and D = 16: 418,064 parameters.
public final class DescriptorNetwork: Layer {
  public let configuration: DescriptorConfiguration
  public let stem: Sequential
  public let stage1: ResidualBlock
  public let stage2: ResidualBlock
  public let stage3: ResidualBlock
  public let stage4: ResidualBlock
  public let head: Conv2d
  public var isTraining = true

  /// A freshly initialized network (from Torch's global generator: seed it with `Torch.manualSeed`).
  public init(_ configuration: DescriptorConfiguration) throws {
    self.configuration = configuration
    let w = configuration.baseWidth
    let w1 = w * 3 / 2, w2 = 2 * w, w3 = 3 * w
    stem = Sequential([try Conv2d(3, w, kernelSize: 3, stride: 2, padding: 1, bias: false), try BatchNorm2d(w), Function.relu])
    stage1 = try ResidualBlock(w, w1, stride: 2)
    stage2 = try ResidualBlock(w1, w2, stride: 2)
    stage3 = try ResidualBlock(w2, w3)
    stage4 = try ResidualBlock(w3, w3)
    head = try Conv2d(w3, configuration.descriptorDimension, kernelSize: 1)
  }

  public var directParameters: [(name: String, tensor: Tensor)] { [] }
  public var children: [(name: String, module: any Module)] {
    [("stem", stem), ("stage1", stage1), ("stage2", stage2), ("stage3", stage3), ("stage4", stage4), ("head", head)]
  }

  /// Descriptors [N, D, H, W] of normalized images [N, 3, H, W].
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let shape = x.shape
    let features = try stage4(stage3(stage2(stage1(stem(x)))))
    return try Functional.interpolateBilinear(head(features), size: (shape[2], shape[3]), alignCorners: false)
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

// osprey-learn: the learning commands, in a process of their own.
//
// libtorch costs ~0.5 s and ~200 MB at process start-up (it loads ~300 shared libraries). The
// `osprey` executable must not pay that for solve/gcs/plan/sim, so it never links Torch; the learning
// commands (`osprey descriptors train|eval|show`) exec this program with their arguments.
import ArgumentParser
import Foundation
import Descriptors
import Imaging
import LinearAlgebra
import Perception
import Torch

struct OspreyLearn: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "osprey-learn",
    abstract: "Osprey's learning commands (libtorch); `osprey` runs it for the commands that train or run networks.",
    version: "osprey-learn 0.1.0 (libtorch \(Torch.version), OpenBLAS kernels \(BLASKernels.coreName))",
    subcommands: [SelfTest.self, DescriptorsCommand.self])
}

struct SelfTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "selftest",
    abstract: "Trains a tiny convolutional classifier on synthetic data and prints the loss going down.")

  @Option(help: "Training steps.")
  var steps = 60

  @Option(help: "Torch threads (OpenBLAS is pinned to one).")
  var threads = 2

  @Option(help: "Random seed.")
  var seed: UInt64 = 7

  @Flag(help: "Also time one training step of a small residual conv net on a 3×240×320 image.")
  var benchmark = false

  @Option(help: "Batch size for --benchmark.")
  var batch = 1

  @Option(help: "Channel width for --benchmark.")
  var width = 32

  @Option(help: "Timed steps for --benchmark (the median is reported).")
  var repeats = 5

  func validate() throws {
    guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
    guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    guard repeats > 0, batch > 0, width > 0 else { throw ValidationError("--repeats, --batch and --width must be positive") }
  }

  func run() throws {
    try Torch.setThreads(threads)
    Torch.manualSeed(seed)
    print("libtorch \(Torch.version), \(Torch.threads) thread(s), CUDA \(Torch.isCUDAAvailable ? "available" : "not available")")
    let start = Date()
    let (first, last) = try trainTinyClassifier()
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "loss %.4f -> %.4f in %d steps (%.2f s)", first, last, steps, seconds))
    guard last < 0.5 * first else {
      print("selftest: FAILED, the loss did not halve")
      throw ExitCode.failure
    }
    print("selftest: ok")
    if benchmark { try timeConvStep() }
  }

  /// Classifies 8×8 single-channel images by which quadrant holds a bright square (4 classes).
  func trainTinyClassifier() throws -> (first: Double, last: Double) {
    let count = 64
    var pixels = [Float](repeating: 0, count: count * 64)
    var labels = [Int64](repeating: 0, count: count)
    var generator = SplitMix(seed: seed)
    for n in 0..<count {
      let quadrant = Int(generator.next() % 4)
      labels[n] = Int64(quadrant)
      let (r0, c0) = ((quadrant / 2) * 4, (quadrant % 2) * 4)
      for r in 0..<8 { for c in 0..<8 { pixels[n * 64 + r * 8 + c] = Float(generator.next() % 100) / 500 } }
      for r in r0..<(r0 + 3) { for c in c0..<(c0 + 3) { pixels[n * 64 + r * 8 + c] += 1 } }
    }
    let x = try Tensor(pixels, shape: [count, 1, 8, 8])
    let y = try Tensor(int64: labels, shape: [count])
    let model = Sequential([
      try Conv2d(1, 8, kernelSize: 3, padding: 1), Function.relu,
      Function { try Functional.maxPool2d($0, kernel: (2, 2)) },
      Function { try $0.flattened(startDim: 1) },
      try Linear(8 * 4 * 4, 4),
    ])
    let optimizer = Adam(model.parameters(), learningRate: 0.01)
    var first = 0.0
    var last = 0.0
    for step in 0..<steps {
      try optimizer.zeroGrad()
      let loss = try Functional.crossEntropy(model(x), y)
      try loss.backward()
      try optimizer.step()
      let value = try loss.item()
      if step == 0 { first = value }
      last = value
      if step % 10 == 0 || step == steps - 1 { print(String(format: "step %3d  loss %.4f", step, value)) }
    }
    return (first, last)
  }

  /// One Adam step of a descriptor-like fully-convolutional net at 240×320 (stem stride 2, two residual
  /// blocks, 1×1 head to 16 channels, bilinear upsampling to the input size, MSE to a random target).
  func timeConvStep() throws {
    let stem = try Conv2d(3, width, kernelSize: 3, stride: 2, padding: 1, bias: false)
    let model = Sequential([
      stem, try BatchNorm2d(width), Function.relu,
      try ResidualBlock(width, width), try ResidualBlock(width, width),
      try Conv2d(width, 16, kernelSize: 1),
      Function { try Functional.interpolateBilinear($0, size: (240, 320), alignCorners: false) },
    ])
    let optimizer = Adam(model.parameters(), learningRate: 1e-3)
    let x = try Tensor.randn([batch, 3, 240, 320], seed: 1)
    let target = try Tensor.randn([batch, 16, 240, 320], seed: 2)
    func step() throws {
      try optimizer.zeroGrad()
      let loss = try Functional.mseLoss(model(x), target)
      try loss.backward()
      try optimizer.step()
    }
    try step()  // warm-up (allocations, kernel selection)
    var times: [Double] = []
    for _ in 0..<repeats {
      let t0 = Date()
      try step()
      times.append(Date().timeIntervalSince(t0))
    }
    times.sort()
    print(String(format: "conv-net train step, batch %d, width %d, 3x240x320: median %.3f s (min %.3f, max %.3f; %d params)",
                 batch, width, times[repeats / 2], times[0], times[repeats - 1], model.parameterCount))
  }
}

/// SplitMix64: a tiny repeatable generator for the synthetic data.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// Before anything else: start again with better OpenBLAS kernels if it fell back to generic ones
// (LinearAlgebra's BLASKernels; libtorch's matrix products run on OpenBLAS).
BLASKernels.relaunchWithBetterKernelsIfNeeded()

// Exit statuses as `osprey`'s: 0 success, 2 bad input (usage and validation errors, and libtorch
// errors such as an unreadable checkpoint), 1 a failed self-test.
do {
  var command = try OspreyLearn.parseAsRoot()
  try command.run()
} catch let error as TorchError {
  FileHandle.standardError.write(Data("osprey-learn: error: \(error)\n".utf8))
  exit(2)
} catch let error as DescriptorError {
  FileHandle.standardError.write(Data("osprey-learn: error: \(error)\n".utf8))
  exit(2)
} catch let error as PerceptionError {
  FileHandle.standardError.write(Data("osprey-learn: error: \(error)\n".utf8))
  exit(2)
} catch let error as ImagingError {
  FileHandle.standardError.write(Data("osprey-learn: error: \(error)\n".utf8))
  exit(2)
} catch {
  let code = OspreyLearn.exitCode(for: error)
  if code == .validationFailure {
    FileHandle.standardError.write(Data((OspreyLearn.fullMessage(for: error) + "\n").utf8))
    exit(2)
  }
  OspreyLearn.exit(withError: error)
}

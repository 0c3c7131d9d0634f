import Foundation
import Testing

@testable import Torch

extension TorchTests {
  @Suite struct ModuleTests {
    @Test func parameterNamesNestWithDots() throws {
      let block = try ResidualBlock(4, 8, stride: 2)
      let names = block.namedParameters().map(\.name)
      #expect(names == [
        "conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
        "downsample.0.weight", "downsample.1.weight", "downsample.1.bias",
      ])
      #expect(block.namedBuffers().map(\.name).contains("downsample.1.running_var"))
      #expect(try block(Tensor.zeros([2, 4, 8, 8])).shape == [2, 8, 4, 4])
      let same = try ResidualBlock(4, 4)
      #expect(same.downsample == nil)
      #expect(try same(Tensor.zeros([1, 4, 5, 5])).shape == [1, 4, 5, 5])
    }

    @Test func dilatedResidualBlockKeepsTheSizeAndWidensTheReceptiveField() throws {
      let dilated = try ResidualBlock(2, 2, dilation: 3)
      #expect(dilated.conv1.dilation == 3 && dilated.conv1.padding == 3 && dilated.conv2.dilation == 3)
      dilated.eval()
      // An impulse at the centre of a 15×15 image: two 3×3 convolutions dilated by 3 reach offsets
      // 0, ±3, ±6 (undilated: up to ±2), so the output 6 pixels from the centre changes with the
      // impulse only when dilated.
      func response(_ block: ResidualBlock) throws -> [Float] {
        var pixels = [Float](repeating: 0, count: 2 * 15 * 15)
        pixels[7 * 15 + 7] = 1
        let withImpulse = try block(Tensor(pixels, shape: [1, 2, 15, 15]))
        let without = try block(Tensor.zeros([1, 2, 15, 15]))
        #expect(withImpulse.shape == [1, 2, 15, 15])
        let d = try (withImpulse - without).abs().floats()
        return [d[7 * 15 + 1], d[15 * 15 + 7 * 15 + 13]]  // (x 1, y 7) channel 0, (x 13, y 7) channel 1
      }
      for w in [dilated.conv1.weight, dilated.conv2.weight] { try Torch.withNoGrad { try w.fill_(0.1) } }
      #expect(try response(dilated).allSatisfy { $0 > 0 })
      let plain = try ResidualBlock(2, 2)
      plain.eval()
      for w in [plain.conv1.weight, plain.conv2.weight] { try Torch.withNoGrad { try w.fill_(0.1) } }
      #expect(try response(plain).allSatisfy { $0 == 0 })
    }

    @Test func layerShapesAndCounts() throws {
      let linear = try Linear(3, 2)
      #expect(linear.parameterCount == 8)
      #expect(try linear(Tensor.zeros([5, 3])).shape == [5, 2])
      let conv = try Conv2d(3, 6, kernelSize: 3, stride: 2, padding: 1)
      #expect(try conv(Tensor.zeros([1, 3, 9, 9])).shape == [1, 6, 5, 5])
      let norm = try GroupNorm(groups: 2, channels: 6)
      #expect(try norm(Tensor.ones([1, 6, 2, 2])).shape == [1, 6, 2, 2])
    }

    @Test func batchNormTrainAndEval() throws {
      let bn = try BatchNorm2d(1)
      let x = try Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
      _ = try bn(x)
      #expect(isClose(try bn.runningMean.floats(), [0.25]))
      let model = Sequential([bn])
      model.eval()
      #expect(!bn.isTraining)
      let before = try bn.runningMean.floats()
      let y = try bn(x)
      #expect(try bn.runningMean.floats() == before)
      let sd = Float((0.9 + 0.1 * 5.0 / 3 + 1e-5).squareRoot())
      #expect(isClose(try y.floats(), [1, 2, 3, 4].map { ($0 - 0.25) / sd }, tolerance: float32Tolerance))
    }

    @Test func seededInitializationIsRepeatable() throws {
      Torch.manualSeed(5)
      let a = try Linear(4, 3).weight.floats()
      Torch.manualSeed(5)
      let b = try Linear(4, 3).weight.floats()
      #expect(a == b)
      #expect(a.allSatisfy { Swift.abs($0) <= 0.5 })  // ±1/√4
    }

    /// y = sin(3x) on 32 points by a 1-32-32-1 MLP: Adam takes the MSE down tenfold in 300 steps.
    @Test func mlpLossFalls() throws {
      Torch.manualSeed(1)
      let xs = (0..<32).map { Float($0) / 16 - 1 }
      let x = try Tensor(xs, shape: [32, 1])
      let y = try Tensor(xs.map { Foundation.sin(3 * $0) }, shape: [32, 1])
      let model = Sequential([try Linear(1, 32), Function { try $0.tanh() }, try Linear(32, 32), Function { try $0.tanh() }, try Linear(32, 1)])
      let optimizer = Adam(model.parameters(), learningRate: 0.01)
      var losses: [Double] = []
      for _ in 0..<300 {
        try optimizer.zeroGrad()
        let loss = try Functional.mseLoss(model(x), y)
        try loss.backward()
        try optimizer.step()
        losses.append(try loss.item())
      }
      #expect(losses.last! < losses.first! / 10, "loss \(losses.first!) → \(losses.last!)")
    }

    /// Which quadrant of an 8×8 image is bright: a conv net learns it in a few dozen steps.
    @Test func convNetLossFalls() throws {
      Torch.manualSeed(2)
      let count = 32
      var pixels = [Float](repeating: 0, count: count * 64)
      var labels = [Int64](repeating: 0, count: count)
      for n in 0..<count {
        let quadrant = n % 4
        labels[n] = Int64(quadrant)
        for r in 0..<4 { for c in 0..<4 { pixels[n * 64 + ((quadrant / 2) * 4 + r) * 8 + (quadrant % 2) * 4 + c] = 1 } }
      }
      let noise = try Tensor.rand([count, 1, 8, 8], seed: 3) * 0.3
      let x = try Tensor(pixels, shape: [count, 1, 8, 8]) + noise
      let y = try Tensor(int64: labels, shape: [count])
      let model = Sequential([
        try Conv2d(1, 4, kernelSize: 3, padding: 1), try BatchNorm2d(4), Function.relu,
        Function { try Functional.maxPool2d($0, kernel: (2, 2)) }, Function { try $0.flattened(startDim: 1) },
        try Linear(4 * 4 * 4, 4),
      ])
      let optimizer = SGD(model.parameters(), learningRate: 0.1, momentum: 0.9)
      var first = 0.0
      var last = 0.0
      for step in 0..<40 {
        try optimizer.zeroGrad()
        let loss = try Functional.crossEntropy(model(x), y)
        try loss.backward()
        try optimizer.step()
        if step == 0 { first = try loss.item() }
        last = try loss.item()
      }
      #expect(last < first / 4, "loss \(first) → \(last)")
      model.eval()
      let predicted = try model(x).argmax(dim: 1).int64s()
      #expect(predicted == labels)
    }
  }
}

import Foundation
import Testing
import Torch
@testable import Descriptors

extension DescriptorsTests {
  @Suite struct DescriptorNetworkTests {
    @Test func outputHasInputSizeAndDefaultParameterCount() throws {
      Torch.manualSeed(0)
      let network = try DescriptorNetwork(DescriptorConfiguration())
      #expect(network.parameterCount == 418_064)
      let tiny = try DescriptorNetwork(tinyConfiguration(width: 64, height: 48, dimension: 5))
      #expect(try tiny(Tensor.randn([2, 3, 48, 64], seed: 1)).shape == [2, 5, 48, 64])
    }

    /// Channels-last (the default) computes the NCHW network's descriptors and gradients up to float
    /// rounding, in training and evaluation mode, with the decoder and context path too; the output
    /// is row-major NCHW either way, and a replica keeps the layout.
    @Test func channelsLastMatchesTheRowMajorNetwork() throws {
      Torch.manualSeed(11)
      var config = tinyConfiguration(width: 64, height: 48, dimension: 5)
      for (decoder, context) in [(0, 0), (8, 8)] {
        (config.decoderWidth, config.contextWidth) = (decoder, context)
        let fast = try DescriptorNetwork(config)
        #expect(fast.channelsLast)
        let plain = try fast.replica()
        plain.channelsLast = false
        #expect(try fast.replica().channelsLast && !plain.replica().channelsLast)
        let x = try Tensor.randn([2, 3, 48, 64], seed: 12)
        for training in [true, false] {
          fast.train(training)
          plain.train(training)
          let (a, b) = (try fast(x), try plain(x))
          #expect(a.isContiguous && b.isContiguous && a.shape == [2, 5, 48, 64])
          #expect(try (a - b).abs().max().item() < 1e-4)
          guard training else { continue }
          try fast.zeroGrad()
          try plain.zeroGrad()
          try (a * a).mean().backward()
          try (b * b).mean().backward()
          for (p, q) in zip(fast.parameters(), plain.parameters()) {
            let scale = max(1e-3, try q.grad!.abs().max().item())
            #expect(try (p.grad! - q.grad!).abs().max().item() / scale < 1e-3)
          }
        }
      }
    }

    @Test func decoderAndDilationKeepTheOutputSize() throws {
      Torch.manualSeed(3)
      var config = DescriptorConfiguration()
      (config.decoderWidth, config.dilation) = (32, 2)
      let network = try DescriptorNetwork(config)
      // The decoder's five layers: 1×1 96→32, 1×1 48→32, 1×1 32→32 (with biases), two 3×3 32→32
      // with batch norm, and a 32-channel head instead of a 96-channel one.
      let decoder = (96 * 32 + 32) + (48 * 32 + 32) + (32 * 32 + 32) + 2 * (9 * 32 * 32 + 64)
      #expect(network.parameterCount == 418_064 + decoder - (96 - 32) * 16)
      #expect(network.stage3.conv1.dilation == 2 && network.stage4.conv1.dilation == 4)
      var tiny = tinyConfiguration(width: 64, height: 48, dimension: 5)
      (tiny.decoderWidth, tiny.dilation) = (8, 2)
      #expect(try DescriptorNetwork(tiny)(Tensor.randn([1, 3, 48, 64], seed: 4)).shape == [1, 5, 48, 64])
    }

    @Test func contextPathKeepsTheOutputSizeAndAddsItsStages() throws {
      Torch.manualSeed(6)
      var config = DescriptorConfiguration()
      config.contextWidth = 128
      let network = try DescriptorNetwork(config)
      // Two residual blocks 96→128 and 128→128, both stride 2 (so both have a 1×1 shortcut with
      // batch norm), and two 1×1 projections 128→96 with biases.
      let block5 = 9 * 96 * 128 + 9 * 128 * 128 + 96 * 128 + 3 * 2 * 128
      let block6 = 2 * 9 * 128 * 128 + 128 * 128 + 3 * 2 * 128
      #expect(network.parameterCount == 418_064 + block5 + block6 + 2 * (128 * 96 + 96))
      var tiny = tinyConfiguration(width: 64, height: 48, dimension: 5)
      tiny.contextWidth = 8
      // 48×64 input: stride 8 is 6×8, strides 16 and 32 are 3×4 and 2×2, upsampled back to 6×8.
      #expect(try DescriptorNetwork(tiny)(Tensor.randn([2, 3, 48, 64], seed: 7)).shape == [2, 5, 48, 64])
      tiny.decoderWidth = 6
      #expect(try DescriptorNetwork(tiny)(Tensor.randn([1, 3, 48, 64], seed: 8)).shape == [1, 5, 48, 64])
    }

    /// A version-1 file (before the decoder and dilation entries) loads as the plain network, a
    /// version-2 file (before the context entry) without the context path.
    @Test func olderModelsLoadWithoutTheLaterParts() throws {
      Torch.manualSeed(5)
      let config = tinyConfiguration(width: 32, height: 24)
      let network = try DescriptorNetwork(config)
      let path = temporaryFolder("v1") + "/model.pt"
      func entries(version: Int64, without names: [String]) throws -> [(name: String, tensor: Tensor)] {
        try network.state() + config.entries().filter { !names.contains($0.name) }
          .map { $0.name == "config.version" ? ($0.name, try Tensor(int64: [version], shape: [1])) : $0 }
      }
      try Checkpoint.save(try entries(version: 1, without: ["config.decoder_width", "config.dilation", "config.context_width"]), to: path)
      var loaded = try DescriptorNetwork.load(from: path)
      #expect(loaded.configuration.decoderWidth == 0 && loaded.configuration.dilation == 1 && loaded.decoder == nil)
      #expect(loaded.configuration.contextWidth == 0 && loaded.context == nil)
      try Checkpoint.save(try entries(version: 2, without: ["config.context_width"]), to: path)
      loaded = try DescriptorNetwork.load(from: path)
      #expect(loaded.configuration == config && loaded.context == nil)
      try Checkpoint.save(try entries(version: 4, without: []), to: path)
      do {
        _ = try DescriptorNetwork.load(from: path)
        Issue.record("loaded a version-4 model")
      } catch let error as DescriptorError {
        #expect(error.description == "\(path): entry 'config.version': this reader knows versions 1 to 3, got 4")
      }
    }

    @Test func checkpointRoundTripKeepsDescriptorsAndConfiguration() throws {
      Torch.manualSeed(1)
      var config = tinyConfiguration(width: 32, height: 24)
      config.heldOutEvery = 3
      (config.decoderWidth, config.dilation, config.contextWidth) = (6, 2, 5)
      let network = try DescriptorNetwork(config)
      network.eval()
      let x = try Tensor.randn([1, 3, 24, 32], seed: 2)
      let before = try network(x).floats()
      let path = temporaryFolder("ckpt") + "/model.pt"
      try network.save(to: path)
      let loaded = try DescriptorNetwork.load(from: path)
      #expect(loaded.configuration == config)
      #expect(try loaded(x).floats() == before)
    }

    @Test func missingOrForeignModelsThrowNamingTheFile() throws {
      #expect(throws: DescriptorError(path: "/nonexistent/model.pt", message: "no such model file")) {
        _ = try DescriptorNetwork.load(from: "/nonexistent/model.pt")
      }
      let path = temporaryFolder("foreign") + "/plain.pt"
      try Checkpoint.save([("weight", try Tensor.zeros([2]))], to: path)
      do {
        _ = try DescriptorNetwork.load(from: path)
        Issue.record("loaded a checkpoint without configuration")
      } catch let error as DescriptorError {
        #expect(error.description == "\(path): not a descriptor model (no entry 'config.version')")
      }
      let garbage = temporaryFolder("garbage") + "/model.pt"
      try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: garbage))
      #expect(throws: TorchError.self) { _ = try DescriptorNetwork.load(from: garbage) }
    }
  }
}

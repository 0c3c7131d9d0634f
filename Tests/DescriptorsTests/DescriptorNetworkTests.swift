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

    @Test func checkpointRoundTripKeepsDescriptorsAndConfiguration() throws {
      Torch.manualSeed(1)
      var config = tinyConfiguration(width: 32, height: 24)
      config.heldOutEvery = 3
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

import Foundation
import Testing

@testable import Torch

extension TorchTests {
  @Suite struct CheckpointTests {
    static func temporaryPath(_ name: String) -> String {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osprey-torch-tests-\(getpid())")
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      return folder.appendingPathComponent(name).path
    }

    static func makeNet() throws -> Sequential {
      Sequential([try Conv2d(2, 4, kernelSize: 3, padding: 1), try BatchNorm2d(4), Function.relu, try ResidualBlock(4, 4)])
    }

    @Test func namedTensorsRoundTrip() throws {
      let path = Self.temporaryPath("named.pt")
      try Checkpoint.save([("a", Tensor([1, 2, 3])), ("b.c", Tensor(int64: [7, 8], shape: [2, 1]))], to: path)
      let loaded = try Checkpoint.load(from: path)
      #expect(loaded.map(\.name) == ["a", "b.c"])
      #expect(try loaded[0].tensor.floats() == [1, 2, 3])
      #expect(loaded[1].tensor.dtype == .int64)
      #expect(loaded[1].tensor.shape == [2, 1])
      #expect(try loaded[1].tensor.int64s() == [7, 8])
      #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func moduleRoundTripGivesIdenticalOutputs() throws {
      Torch.manualSeed(3)
      let a = try Self.makeNet()
      let x = try Tensor.randn([2, 2, 6, 6], seed: 4)
      _ = try a(x)  // move the running statistics away from their initial values
      a.eval()
      let expected = try a(x).floats()
      let path = Self.temporaryPath("net.pt")
      try a.save(to: path)
      let b = try Self.makeNet()
      b.eval()
      #expect(try b(x).floats() != expected)
      try b.load(from: path)
      #expect(try b(x).floats() == expected)
    }

    @Test func missingFileThrows() throws {
      let path = Self.temporaryPath("does-not-exist.pt")
      do {
        _ = try Checkpoint.load(from: path)
        Issue.record("loading a missing file did not throw")
      } catch let error as TorchError {
        #expect(error.operation == "Checkpoint.load")
        #expect(error.message.contains("cannot open"), "message: \(error.message)")
      }
    }

    @Test func corruptFilesThrow() throws {
      // Not a zip archive at all.
      let garbage = Self.temporaryPath("garbage.pt")
      try Data((0..<256).map { UInt8(($0 * 37) % 256) }).write(to: URL(fileURLWithPath: garbage))
      #expect(throws: TorchError.self) { try Checkpoint.load(from: garbage) }
      // A real checkpoint cut in half, and one with its middle overwritten.
      let good = Self.temporaryPath("good.pt")
      try Checkpoint.save([("w", Tensor.randn([64, 64], seed: 5))], to: good)
      let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
      let truncated = Self.temporaryPath("truncated.pt")
      try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
      #expect(throws: TorchError.self) { try Checkpoint.load(from: truncated) }
      var scrambled = bytes
      for i in stride(from: 60, to: Swift.min(400, scrambled.count), by: 1) { scrambled[i] = 0xA5 }
      let scrambledPath = Self.temporaryPath("scrambled.pt")
      try scrambled.write(to: URL(fileURLWithPath: scrambledPath))
      do {
        _ = try Checkpoint.load(from: scrambledPath)
        Issue.record("a checkpoint with overwritten bytes loaded")
      } catch let error as TorchError {
        #expect(error.message.contains("is corrupt"), "message: \(error.message)")
      }
      // One flipped bit in the tensor data, near the end of the file.
      var flipped = bytes
      flipped[bytes.count * 3 / 4] ^= 0x01
      let flippedPath = Self.temporaryPath("flipped.pt")
      try flipped.write(to: URL(fileURLWithPath: flippedPath))
      #expect(throws: TorchError.self) { try Checkpoint.load(from: flippedPath) }
      // An empty file.
      let empty = Self.temporaryPath("empty.pt")
      try Data().write(to: URL(fileURLWithPath: empty))
      #expect(throws: TorchError.self) { try Checkpoint.load(from: empty) }
    }

    @Test func mismatchedModuleThrowsNamingTheEntry() throws {
      let path = Self.temporaryPath("linear.pt")
      try Linear(3, 2).save(to: path)
      do {
        try Linear(4, 2).load(from: path)
        Issue.record("loading 2×3 weights into a 2×4 layer did not throw")
      } catch let error as TorchError {
        #expect(error.operation == "Module.load")
        #expect(error.message.contains("'weight' has shape [2, 3]"), "message: \(error.message)")
      }
      #expect(throws: TorchError.self) { try Linear(3, 2, bias: false).load(from: path) }  // extra 'bias'
      try Checkpoint.save([("weight", Tensor.zeros([2, 3]))], to: path)
      #expect(throws: TorchError.self) { try Linear(3, 2).load(from: path) }  // missing 'bias'
    }

    @Test func duplicateNamesThrow() throws {
      let path = Self.temporaryPath("duplicate.pt")
      #expect(throws: TorchError.self) { try Checkpoint.save([("a", Tensor([1])), ("a", Tensor([2]))], to: path) }
    }
  }
}

import Foundation
import Objects
import Simulation
import Testing
import Torch
@testable import Descriptors

/// The tests share libtorch's global state (threads, seed) and MuJoCo's GL context: one suite, serialized.
@Suite(.serialized) struct DescriptorsTests {}

/// A tiny data set collected once by the Simulation module: 2 mugs × 4 views at 96×72, kinematic.
enum TinyData {
  static let folder: Result<String, SimulationError> = {
    var options = CollectionOptions()
    options.views = 4
    options.width = 96
    options.height = 72
    options.motion = .kinematic
    let root = temporaryFolder("tiny-data")
    do throws(SimulationError) {
      for k in 0..<2 {
        let scene = try OrbitCollector(options: options).collect(ObjectInstance.mug(seed: UInt64(11 + k)), worldSeed: UInt64(11 + k))
        try scene.write(toFolder: root + String(format: "/scene-%06d", k), layout: .sequence)
      }
      return .success(root)
    } catch {
      return .failure(error)
    }
  }()
}

/// A fresh folder under the temporary directory.
func temporaryFolder(_ name: String) -> String {
  let path = NSTemporaryDirectory() + "osprey-descriptors-\(name)-\(UUID().uuidString.prefix(8))"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A tiny network configuration (fast in a debug build).
func tinyConfiguration(width: Int = 96, height: Int = 72, dimension: Int = 3) -> DescriptorConfiguration {
  var c = DescriptorConfiguration()
  c.width = width
  c.height = height
  c.descriptorDimension = dimension
  c.baseWidth = 4
  c.heldOutEvery = 0
  return c
}

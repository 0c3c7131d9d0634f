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
  static let folder = collectMugs(name: "tiny-data", views: 4, width: 96, height: 72, seeds: [11, 12])
}

/// Plain mugs (one scene per seed, the mug's and the world's seed alike) collected kinematically
/// into `DIR/scene-00000k`; the folder DIR.
func collectMugs(name: String, views: Int, width: Int, height: Int, seeds: [UInt64]) -> Result<String, SimulationError> {
  var options = CollectionOptions()
  options.views = views
  options.width = width
  options.height = height
  options.motion = .kinematic
  let root = temporaryFolder(name)
  do throws(SimulationError) {
    for (k, seed) in seeds.enumerated() {
      let scene = try OrbitCollector(options: options).collect(ObjectInstance.mug(seed: seed), worldSeed: seed)
      try scene.write(toFolder: root + String(format: "/scene-%06d", k), layout: .sequence)
    }
    return .success(root)
  } catch {
    return .failure(error)
  }
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

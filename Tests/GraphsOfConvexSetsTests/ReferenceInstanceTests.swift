import Foundation
import Testing

@testable import GraphsOfConvexSets

/// Osprey against the reference results of shared/benchmarks/gcs/reference-drake.jsonl (Drake 1.51
/// GraphOfConvexSets with Clarabel: relaxation cost, relaxation + 10 rounded paths, and for the `small`
/// graphs the optimum by enumerating every simple path).
@Suite struct ReferenceInstanceTests {
  struct Reference {
    var name: String
    var vertices: Int
    var relaxationCost: Double
    var cost: Double
    var optimum: Double?
  }

  static func references() throws -> (folder: String, items: [Reference])? {
    guard let folder = GCSFixtures.benchmarkFolder,
      let text = try? String(contentsOfFile: folder + "/reference-drake.jsonl", encoding: .utf8)
    else { return nil }
    var items: [Reference] = []
    for line in text.split(separator: "\n") {
      guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
      items.append(
        Reference(
          name: o["name"] as! String, vertices: o["vertices"] as! Int, relaxationCost: o["relaxation_cost"] as! Double,
          cost: o["cost"] as! Double, optimum: o["optimum"] as? Double))
    }
    return (folder, items)
  }

  /// The relaxation (no preprocessing, as the reference) equals Drake's to 1e-6 relative (both solvers
  /// stop at 1e-8 relative gap; margin for the two formulations' different scaling), and the rounded
  /// cost meets the reference to the 1e-4. Instances up to 102 vertices keep debug runs short;
  /// `make bench-gcs` covers the rest.
  @Test func relaxationAndRoundedCostMatchDrake() throws {
    guard let (folder, items) = try Self.references() else { return }
    var checked = 0
    for ref in items where ref.vertices <= 102 {
      let file = try GCSFile.read(path: "\(folder)/\(ref.name).json")
      var options = GCSOptions()
      options.preprocessing = false
      let r = file.graph.solveShortestPath(from: file.source, to: file.target, options: options)
      let relaxation = try #require(r.relaxationCost, "\(ref.name)")
      let cost = try #require(r.cost, "\(ref.name)")
      #expect(abs(relaxation - ref.relaxationCost) <= 1e-6 * max(1, abs(ref.relaxationCost)), "\(ref.name): \(relaxation) vs \(ref.relaxationCost)")
      #expect(abs(cost - ref.cost) <= 1e-4 * max(1, abs(ref.cost)), "\(ref.name): \(cost) vs \(ref.cost)")
      checked += 1
    }
    #expect(checked >= 10)
  }

  /// Branch-and-bound proves the enumerated optimum on the `small` graphs.
  @Test func micpProvesTheEnumeratedOptimum() throws {
    guard let (folder, items) = try Self.references() else { return }
    for ref in items {
      guard let optimum = ref.optimum else { continue }
      let file = try GCSFile.read(path: "\(folder)/\(ref.name).json")
      var options = GCSOptions()
      options.method = .micp
      let r = file.graph.solveShortestPath(from: file.source, to: file.target, options: options)
      #expect(r.status == .optimal, "\(ref.name)")
      #expect(abs(r.cost! - optimum) <= 1e-6 * max(1, optimum), "\(ref.name): \(r.cost!) vs \(optimum)")
    }
  }
}

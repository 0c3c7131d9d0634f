import Foundation
import Testing
import Torch
@testable import Descriptors

extension DescriptorsTests {
  @Suite struct EvaluationTests {
    @Test func evaluationReportsTheKeysInSaneRanges() throws {
      let root = try TinyData.folder.get()
      try Torch.setThreads(1)
      Torch.manualSeed(7)
      let network = try DescriptorNetwork(tinyConfiguration())
      var options = EvaluationOptions()
      options.views = .all
      options.pairs = 4
      options.matchesPerPair = 20
      let result = try evaluate(network, scenePaths: try sceneFolderPaths(in: root), options: options)
      #expect(result.pairs > 0 && result.pairs <= 4)
      #expect(result.matches > 0 && result.matches <= 80)
      let object = try JSONSerialization.jsonObject(with: Data(result.json().utf8)) as! [String: Any]
      for key in ["pairs", "matches", "median_pixel_error", "fraction_within_px", "median_3d_error_m"] { #expect(object[key] != nil, "\(key)") }
      let within = object["fraction_within_px"] as! [String: Double]
      #expect(Set(within.keys) == ["5", "10", "20"])
      #expect(within["5"]! <= within["10"]! && within["10"]! <= within["20"]! && within["20"]! <= 1)
      let median = object["median_pixel_error"] as! Double
      #expect(median >= 0 && median <= (96.0 * 96 + 72 * 72).squareRoot())
      #expect(result.fractionsCloser.allSatisfy { $0 >= 0 && $0 <= 1 })
      if let m3 = object["median_3d_error_m"] as? Double { #expect(m3 >= 0 && m3 < 0.5) }
    }

    @Test func heldOutViewsWithoutPairsThrowAClearError() throws {
      let root = try TinyData.folder.get()
      var config = tinyConfiguration()
      config.heldOutEvery = 0   // nothing held out
      let network = try DescriptorNetwork(config)
      do {
        _ = try evaluate(network, scenePaths: try sceneFolderPaths(in: root), options: EvaluationOptions())
        Issue.record("evaluated without held-out views")
      } catch let error as DescriptorError {
        #expect(error.message.contains("--views all"))
      }
    }

    @Test func dataFolderErrorsNameTheFolder() throws {
      #expect(throws: DescriptorError(path: "/nonexistent/data", message: "no such data folder")) { _ = try sceneFolderPaths(in: "/nonexistent/data") }
      let empty = temporaryFolder("empty")
      #expect(throws: DescriptorError.self) { _ = try sceneFolderPaths(in: empty) }
    }
  }
}

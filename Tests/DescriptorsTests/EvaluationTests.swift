import Foundation
import Geometry
import Perception
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

    /// Each query record agrees with the scene: its surface point (object frame) projects to the
    /// query pixel in A and to the true match in B; errors agree with the pixels and points.
    @Test func queryRecordsAgreeWithTheScene() throws {
      let root = try TinyData.folder.get()
      try Torch.setThreads(1)
      Torch.manualSeed(8)
      let network = try DescriptorNetwork(tinyConfiguration())   // 96×72: the data's resolution
      var options = EvaluationOptions()
      options.views = .all
      options.pairs = 3
      options.matchesPerPair = 15
      let paths = try sceneFolderPaths(in: root)
      let result = try evaluate(network, scenePaths: paths, options: options)
      #expect(result.matches > 0)
      for q in result.queries {
        let folder = try SceneFolder(path: paths[q.scene])
        let X_WO = try SceneGroundTruth(folder: folder).X_WO
        let K = folder.cameras.intrinsics
        func pixel(_ p_O: SIMD3<Double>, view: Int) -> SIMD2<Double>? { K.project(folder.cameras.frames[view].X_WC.inverse * (X_WO * p_O)) }
        let inA = try #require(pixel(q.point_O, view: q.viewA)), inB = try #require(pixel(q.point_O, view: q.viewB))
        #expect(abs(inA.x - q.pixelA.x) < 1e-6 && abs(inA.y - q.pixelA.y) < 1e-6, "\(inA) vs \(q.pixelA)")
        #expect(abs(inB.x - q.truthB.x) < 1e-6 && abs(inB.y - q.truthB.y) < 1e-6, "\(inB) vs \(q.truthB)")
        let e = q.predictedB - q.truthB
        #expect(abs(q.pixelError - (e * e).sum().squareRoot()) < 1e-12)
        #expect((q.threeDError == nil) == (q.predicted_O == nil))
        if let p = q.predicted_O, let error = q.threeDError {
          let d = p - q.point_O
          #expect(abs((d * d).sum().squareRoot() - error) < 1e-9)
          let at = try #require(pixel(p, view: q.viewB))
          #expect(abs(at.x - q.predictedB.x) <= 0.5 + 1e-6 && abs(at.y - q.predictedB.y) <= 0.5 + 1e-6)
        }
      }
      let lines = result.queriesCSV(sceneNames: paths.map { ($0 as NSString).lastPathComponent }).split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == result.matches + 2 && lines.last == "")   // header, one line per query, final newline
      #expect(lines[0].split(separator: ",").count == 18)
      let first = lines[1].split(separator: ",", omittingEmptySubsequences: false)
      #expect(first.count == 18 && first[0] == "scene-00000\(result.queries[0].scene)")
      // A name with a comma or a quote is quoted (RFC 4180).
      let quoted = result.queriesCSV(sceneNames: ["odd,\"name\"", "odd,\"name\""]).split(separator: "\n")[1]
      #expect(quoted.hasPrefix("\"odd,\"\"name\"\"\",\(result.queries[0].viewA),"))
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

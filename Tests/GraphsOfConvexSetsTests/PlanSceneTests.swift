import ConvexSets
import Foundation
import Testing

@testable import GraphsOfConvexSets

/// Named fixtures of the planning-file tests.
enum PlanFixtures {
  /// A 2-D scene with every optional field, one field per line (so error tests can check lines).
  static let scene = """
    {"format": "osprey.plan.scene", "version": 1,
     "domain": {"lb": [0, 0], "ub": [4, 4]},
     "obstacles": [{"type": "box", "lb": [1, 1], "ub": [3, 3]}, {"type": "ellipsoid", "A": [[4, 0], [0, 4]], "center": [0.5, 3.5]}],
     "start": [0.5, 0.5],
     "goal": [3.5, 3.5],
     "velocity_bounds": {"lb": [-1, -2], "ub": [1, 2]},
     "seeds": [[3.5, 0.5]]}
    """

  static func sceneWith(_ old: String, _ new: String) -> String {
    precondition(scene.components(separatedBy: old).count == 2, "fixture holds \(old) not exactly once")
    return scene.replacingOccurrences(of: old, with: new)
  }

  /// The shared folder `../shared/benchmarks/plan` next to the package root, or `nil`.
  static var benchmarkFolder: String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folder = root.appendingPathComponent("../shared/benchmarks/plan").standardized.path
    guard FileManager.default.fileExists(atPath: folder) else {
      print("note: \(folder) not found; skipping the benchmark-scene checks")
      return nil
    }
    return folder
  }
}

@Suite struct PlanSceneTests {
  @Test func readsEveryField() throws {
    let scene = try PlanScene.parse(PlanFixtures.scene)
    #expect(scene.dimension == 2 && scene.obstacles.count == 2)
    #expect(scene.domain == (try Hyperrectangle(lb: [0, 0], ub: [4, 4])))
    #expect(scene.start == [0.5, 0.5] && scene.goal == [3.5, 3.5])
    #expect(scene.velocityBounds == .init(lower: [-1, -2], upper: [1, 2]))
    #expect(scene.seeds == [[3.5, 0.5]])
  }

  @Test func roundTrips() throws {
    let scene = try PlanScene.parse(PlanFixtures.scene)
    let text = try scene.serialized()
    let again = try PlanScene.parse(text)
    #expect(try again.serialized() == text)
    #expect(again.start == scene.start && again.velocityBounds == scene.velocityBounds && again.seeds == scene.seeds)
  }

  @Test func optionalFieldsMayBeAbsent() throws {
    let text = """
      {"format": "osprey.plan.scene", "version": 1, "domain": {"lb": [0], "ub": [1]}, "obstacles": [], "start": [0.1], "goal": [0.9]}
      """
    let scene = try PlanScene.parse(text)
    #expect(scene.velocityBounds == nil && scene.seeds == nil && scene.obstacles.isEmpty)
    #expect(try PlanScene.parse(scene.serialized()).serialized() == scene.serialized())
  }

  /// Each bad scene gives one message naming the line and the field.
  @Test(arguments: [
    ("\"start\": [0.5, 0.5],\n", "", "scene.json:1: start: is missing"),
    ("\"goal\": [3.5, 3.5]", "\"goal\": [3.5, 3.5, 1]", "scene.json:5: goal: has 3 entries, expected 2 (the domain's dimension)"),
    ("\"start\": [0.5, 0.5]", "\"start\": [NaN, 0.5]", "scene.json:4: start[0]: is NaN (not finite)"),
    ("\"start\": [0.5, 0.5]", "\"start\": [2, 2]", "scene.json:4: start: is [2.0, 2.0], inside obstacles[0]"),
    ("\"goal\": [3.5, 3.5]", "\"goal\": [5, 3.5]", "scene.json:5: goal: is [5.0, 3.5], outside the domain"),
    ("\"ub\": [4, 4]", "\"ub\": [4, 0]", "scene.json:2: domain.ub[1]: is 0.0, expected above domain.lb[1] = 0.0"),
    ("\"center\": [0.5, 3.5]", "\"center\": [0.5, 3.5, 1]", "scene.json:3: obstacles[1].A: has 2 columns, expected 3"),
    ("\"lb\": [-1, -2]", "\"lb\": [0.5, -2]", "scene.json:6: velocity_bounds: coordinate 0 has bounds [0.5, 1.0], which exclude 0"),
    ("[[3.5, 0.5]]", "[[2.5, 2.5]]", "scene.json:7: seeds[0]: is [2.5, 2.5], inside obstacles[0]"),
    ("\"osprey.plan.scene\"", "\"osprey.gcs\"", "scene.json:1: format: is \"osprey.gcs\", expected \"osprey.plan.scene\""),
  ])
  func badScenesNameTheField(old: String, new: String, expected: String) throws {
    let text = PlanFixtures.sceneWith(old, new)
    let error = expectGCSFileError { _ = try PlanScene.parse(text, path: "scene.json") }
    #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "-")")
  }

  @Test func checkedInitializerRejectsAStartInAnObstacle() throws {
    let error = expectGCSFileError {
      _ = try PlanScene(
        domain: try Hyperrectangle(lb: [0, 0], ub: [4, 4]), obstacles: [try Hyperrectangle(lb: [1, 1], ub: [3, 3])],
        start: [2, 2], goal: [3.5, 3.5])
    }
    #expect(error?.field == "start")
  }

  @Test func benchmarkScenesParse() throws {
    guard let folder = PlanFixtures.benchmarkFolder else { return }
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    #expect(names.count >= 4)
    for name in names {
      let scene = try PlanScene.read(path: "\(folder)/\(name)")
      #expect(scene.dimension == 2 && !scene.obstacles.isEmpty, "\(name)")
      #expect(try PlanScene.parse(scene.serialized()).serialized() == scene.serialized(), "\(name)")
    }
  }

  @Test func candidateSeedsStartWithSceneSeedsStartAndGoalThenFreeGridPoints() throws {
    let scene = try PlanScene.parse(PlanFixtures.scene)
    var options = PlanRegionOptions()
    options.gridPointsPerAxis = 2
    let seeds = scene.candidateSeeds(options: options)
    // Grid centres (1,1), (3,1), (1,3), (3,3) lie on the obstacle box's corners: all inside it.
    #expect(seeds == [[3.5, 0.5], [0.5, 0.5], [3.5, 3.5]])
    options.gridPointsPerAxis = 4
    let more = scene.candidateSeeds(options: options)
    #expect(more.count == 3 + 16 - 4 - 1)  // four centres in the box, one in the ellipse
    #expect(more.allSatisfy { x in !scene.obstacles.contains { $0.contains(x) } })
  }

  @Test func buildsRegionsCoveringStartAndGoal() throws {
    let scene = try PlanScene.parse(PlanFixtures.scene)
    var reported = 0
    let regions = try scene.buildRegions { _ in reported += 1 }
    #expect(reported == regions.regions.count && !regions.regions.isEmpty)
    #expect(regions.regions.contains { $0.contains(scene.start) } && regions.regions.contains { $0.contains(scene.goal) })
  }
}

@Suite struct PlanRegionsFileTests {
  @Test func roundTrips() throws {
    let regions = try PlanRegions(
      regions: [try Hyperrectangle(lb: [0, 0], ub: [4, 1]), try HPolyhedron(Hyperrectangle(lb: [3, 0], ub: [4, 4]))],
      seeds: [[0.5, 0.5], [3.5, 3.5]], timingsSeconds: [0.25, 0.125])
    let text = try regions.serialized()
    let again = try PlanRegions.parse(text)
    #expect(try again.serialized() == text)
    #expect(again.seeds == regions.seeds && again.timingsSeconds == [0.25, 0.125] && again.dimension == 2)
  }

  @Test func badRegionsNameTheField() {
    let text = """
      {"format": "osprey.plan.regions", "version": 1,
       "regions": [{"type": "box", "lb": [0, 0], "ub": [1, 1]}, {"type": "box", "lb": [0], "ub": [1]}],
       "seeds": [[0, 0], [0.5, 0.5]]}
      """
    let error = expectGCSFileError { _ = try PlanRegions.parse(text, path: "r.json") }
    #expect(error?.description == "r.json:2: regions[1]: has dimension 1, expected 2 (as regions[0])")
  }
}

@Suite struct PlanTrajectoryFileTests {
  static func trajectory() -> PiecewiseBezierTrajectory {
    PiecewiseBezierTrajectory(
      paths: [BezierCurve(controlPoints: [[0, 0], [0, 0], [1, 0], [2, 0]]), BezierCurve(controlPoints: [[2, 0], [3, 0], [3, 1], [3, 1]])],
      durations: [1.5, 1.25])
  }

  @Test func samplesRunFromZeroToTInclusiveAndRoundTrip() throws {
    let t = Self.trajectory()
    let samples = t.samples(dt: 0.1).map { PlanTrajectoryFile.Sample(t: $0.time, q: $0.position, v: $0.velocity) }
    let file = PlanTrajectoryFile(status: .solved, cost: 4.5, regionPath: [0, 1], trajectory: t, sampleDt: 0.1, samples: samples)
    #expect(file.samples.first?.t == 0 && file.samples.last?.t == 2.75)
    #expect(file.samples.filter { $0.t == 2.75 }.count == 1)
    let text = file.serialized()
    let again = try PlanTrajectoryFile.parse(text)
    #expect(again.serialized() == text)
    #expect(again.trajectory == t && again.samples == samples && again.regionPath == [0, 1] && again.duration == 2.75)
  }

  @Test func infeasibleHasNoSamples() throws {
    let file = PlanTrajectoryFile(status: .infeasible, reason: "no chain of regions joins them", trajectory: nil, sampleDt: 0.01, samples: [])
    let again = try PlanTrajectoryFile.parse(file.serialized())
    #expect(again.status == .infeasible && again.duration == nil && again.samples.isEmpty && again.reason == file.reason)
  }

  @Test func badStatusIsNamed() {
    let error = expectGCSFileError {
      _ = try PlanTrajectoryFile.parse(#"{"format": "osprey.trajectory", "version": 1, "status": "done"}"#, path: "t.json")
    }
    #expect(error?.description == "t.json:1: status: is \"done\", expected \"solved\", \"infeasible\" or \"error\"")
  }
}

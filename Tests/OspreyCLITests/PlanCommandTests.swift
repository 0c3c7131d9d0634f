import Foundation
import GraphsOfConvexSets
import Testing

@testable import OspreyCLI

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Named fixtures of the `osprey plan` tests.
enum PlanCLIFixtures {
  /// A 4×4 domain with a 2×2 box obstacle in the middle; start and goal at opposite corners.
  static let scene = """
    {"format": "osprey.plan.scene", "version": 1, "domain": {"lb": [0, 0], "ub": [4, 4]},
     "obstacles": [{"type": "box", "lb": [1, 1], "ub": [3, 3]}],
     "start": [0.5, 0.5],
     "goal": [3.5, 3.5],
     "velocity_bounds": {"lb": [-1, -1], "ub": [1, 1]}}
    """

  /// Two overlapping boxes around the obstacle (bottom strip, right strip): start → goal is reachable.
  static let regions = """
    {"format": "osprey.plan.regions", "version": 1, "regions": [
     {"type": "box", "lb": [0, 0], "ub": [4, 1]}, {"type": "hpolyhedron", "A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [4, -3, 4, 0]}],
     "seeds": [[0.5, 0.5], [3.5, 3.5]]}
    """

  /// examples/plan/arm-2link.json: a 2-link planar arm among three polygons (start and goal free).
  static let armScenePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/plan/arm-2link.json").path

  /// Two boxes that do not meet: the goal cannot be reached.
  static let disjointRegions = """
    {"format": "osprey.plan.regions", "version": 1, "regions": [
     {"type": "box", "lb": [0, 0], "ub": [4, 1]}, {"type": "box", "lb": [3, 3], "ub": [4, 4]}],
     "seeds": [[0.5, 0.5], [3.5, 3.5]]}
    """
}

@Suite struct PlanCommandTests {
  @Test func trajectoryWithGivenRegionsSamplesFromZeroToTInclusive() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    let regions = try Fixtures.write(PlanCLIFixtures.regions, named: "regions.json", in: folder)
    let out = "\(folder)/traj.json"
    let status = OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "--sample-dt", "0.05", "-o", out])
    #expect(status == .success)
    let file = try PlanTrajectoryFile.read(path: out)
    #expect(file.status == .solved && file.regionPath == [0, 1])
    let T = try #require(file.duration)
    // Speed ≤ 1 per axis over at least 3 + 3 units of travel (with rest at both ends): T > 3.
    #expect(T > 3 && T < 20)
    #expect(file.samples.first?.t == 0)
    #expect(file.samples.last?.t == T && file.samples.filter { $0.t == T }.count == 1)
    #expect(file.samples.count == Int((T / 0.05).rounded(.up)) || file.samples.count == Int((T / 0.05).rounded(.up)) + 1)
    let tolerance = 1e-6  // interior-point solution accuracy
    let first = try #require(file.samples.first), last = try #require(file.samples.last)
    #expect(abs(first.q[0] - 0.5) < tolerance && abs(first.q[1] - 0.5) < tolerance)
    #expect(abs(last.q[0] - 3.5) < tolerance && abs(last.q[1] - 3.5) < tolerance)
    for sample in file.samples {
      #expect(sample.v.allSatisfy { abs($0) <= 1 + tolerance }, "t = \(sample.t)")
      // Outside the obstacle's interior.
      #expect(!(sample.q[0] > 1 + tolerance && sample.q[0] < 3 - tolerance && sample.q[1] > 1 + tolerance && sample.q[1] < 3 - tolerance))
    }
  }

  @Test func unreachableGoalIsInfeasibleWithStatus0() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    let regions = try Fixtures.write(PlanCLIFixtures.disjointRegions, named: "regions.json", in: folder)
    let out = "\(folder)/traj.json"
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "-o", out]) == .success)
    let file = try PlanTrajectoryFile.read(path: out)
    #expect(file.status == .infeasible && file.samples.isEmpty && file.duration == nil)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(text.contains("\"status\": \"infeasible\""))
  }

  /// Bad scenes: status 2, and one line naming the file, the line and the field.
  @Test(arguments: [
    ("\"start\": [0.5, 0.5],\n", "", "scene.json:1: start: is missing"),
    ("\"goal\": [3.5, 3.5]", "\"goal\": [3.5]", "scene.json:4: goal: has 1 entries, expected 2"),
    ("\"start\": [0.5, 0.5]", "\"start\": [0.5, NaN]", "scene.json:3: start[1]: is NaN (not finite)"),
    ("\"start\": [0.5, 0.5]", "\"start\": [2, 2]", "scene.json:3: start: is [2.0, 2.0], inside obstacles[0]"),
  ])
  func badScenesExitWithStatus2(old: String, new: String, expected: String) throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene.replacingOccurrences(of: old, with: new), named: "scene.json", in: folder)
    let regions = try Fixtures.write(PlanCLIFixtures.regions, named: "regions.json", in: folder)
    for arguments in [["plan", "trajectory", scene, "--regions", regions], ["plan", "regions", scene], ["plan", "draw", scene, "-o", "\(folder)/x.svg"]] {
      do {
        var command = try OspreyCommand.parseAsRoot(arguments)
        try command.run()
        Issue.record("expected an InputError for \(arguments)")
      } catch let error as InputError {
        #expect(error.message.hasPrefix("\(folder)/\(expected)"), "\(error.message)")
      }
      #expect(OspreyCommand.execute(arguments) == .badInput)
    }
  }

  @Test(arguments: [
    ["plan", "trajectory", "s.json", "--sample-dt", "0"],
    ["plan", "trajectory", "s.json", "--sample-dt", "-1"],
    ["plan", "regions", "s.json", "--grid", "-1"],
    ["plan", "draw", "s.json"],
    ["plan", "draw", "s.json", "a", "b", "c", "-o", "x.svg"],
    ["plan", "trajectory", "/nonexistent/scene.json"],
  ])
  func badOptionsExitWithStatus2(arguments: [String]) {
    #expect(OspreyCommand.execute(arguments) == .badInput)
  }

  @Test func regionsOfAnotherDimensionAreBadInput() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    let regions = try Fixtures.write(
      #"{"format": "osprey.plan.regions", "version": 1, "regions": [{"type": "box", "lb": [0], "ub": [1]}], "seeds": [[0.5]]}"#,
      named: "regions.json", in: folder)
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions]) == .badInput)
  }

  @Test func drawIsWellFormedWithEveryLayer() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    let regions = try Fixtures.write(PlanCLIFixtures.regions, named: "regions.json", in: folder)
    let traj = "\(folder)/traj.json"
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "-o", traj]) == .success)
    let svgPath = "\(folder)/plan.svg"
    // Extra files in either order.
    #expect(OspreyCommand.execute(["plan", "draw", scene, traj, regions, "-o", svgPath]) == .success)
    let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
    let elements = try #require(SVGElements.parse(svg))
    func count(_ cls: String) -> Int { elements.elements.filter { $0.attributes["class"] == cls }.count }
    #expect(count("domain") == 1 && count("obstacle") == 1 && count("region") == 2)
    #expect(count("trajectory") == 1 && count("start") == 1 && count("goal") == 1)
  }

  @Test func drawRejectsA3DScene() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(
      #"{"format": "osprey.plan.scene", "version": 1, "domain": {"lb": [0, 0, 0], "ub": [1, 1, 1]}, "obstacles": [], "start": [0.1, 0.1, 0.1], "goal": [0.9, 0.9, 0.9]}"#,
      named: "scene.json", in: folder)
    #expect(OspreyCommand.execute(["plan", "draw", scene, "-o", "\(folder)/x.svg"]) == .badInput)
  }

  @Test func regionsThenTrajectory() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    #expect(OspreyCommand.execute(["plan", "regions", scene, "-o", "\(folder)/r.json"]) == .success)
    let regions = try PlanRegions.read(path: "\(folder)/r.json")
    #expect(regions.regions.contains { $0.contains([0.5, 0.5]) } && regions.regions.contains { $0.contains([3.5, 3.5]) })
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "-o", "\(folder)/t.json"]) == .success)
    #expect(try PlanTrajectoryFile.read(path: "\(folder)/t.json").status == .solved)
  }

  /// A planar arm's scene end to end: configuration-space regions, a trajectory whose samples the
  /// command checks for collision, and a drawing of the workspace beside the configuration space.
  @Test func armSceneRegionsTrajectoryAndDrawing() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = PlanCLIFixtures.armScenePath
    let regions = "\(folder)/r.json", traj = "\(folder)/t.json", svgPath = "\(folder)/arm.svg"
    #expect(OspreyCommand.execute(["plan", "regions", scene, "--grid", "3", "-o", regions]) == .success)
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "-o", traj]) == .success)
    let file = try PlanTrajectoryFile.read(path: traj)
    #expect(file.status == .solved && file.samplesInCollision == 0)
    #expect(OspreyCommand.execute(["plan", "draw", scene, regions, traj, "-o", svgPath]) == .success)
    let elements = try #require(SVGElements.parse(try String(contentsOfFile: svgPath, encoding: .utf8)))
    func count(_ cls: String) -> Int { elements.elements.filter { $0.attributes["class"] == cls }.count }
    // Workspace: three obstacles, the arm at start and goal (polylines) and along the trajectory;
    // configuration space: grid cells in collision, regions, the trajectory, start and goal (circles).
    #expect(count("pose") >= 5 && count("tip-path") == 1 && count("base") == 1)
    #expect(count("start") == 2 && count("goal") == 2 && count("trajectory") == 1)
    let regionCount = try PlanRegions.read(path: regions).regions.count
    #expect(count("obstacle") > 3 && count("region") == regionCount)
  }

  @Test func armSceneWithStartInCollisionIsBadInput() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(
      try String(contentsOfFile: PlanCLIFixtures.armScenePath, encoding: .utf8).replacingOccurrences(of: "\"start\": [-0.6, 1.2]", with: "\"start\": [0.3, 0.0]"), named: "arm.json", in: folder)
    #expect(OspreyCommand.execute(["plan", "regions", scene, "-o", "\(folder)/r.json"]) == .badInput)
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/r.json"))
  }

  /// --verbose prints the shortest-path solver's details (it once crashed naming the start and goal
  /// vertices, which the trajectory problem adds to its graph).
  @Test func trajectoryVerboseRuns() throws {
    let folder = try Fixtures.temporaryFolder()
    let scene = try Fixtures.write(PlanCLIFixtures.scene, named: "scene.json", in: folder)
    let regions = try Fixtures.write(PlanCLIFixtures.regions, named: "regions.json", in: folder)
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "--verbose", "-o", "\(folder)/t.json"]) == .success)
    #expect(OspreyCommand.execute(["plan", "trajectory", scene, "--regions", regions, "--time-weight", "0", "--length-weight", "0", "-o", "\(folder)/u.json"]) == .badInput)
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/u.json"))
  }
}

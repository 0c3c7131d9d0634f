import Foundation
import GraphsOfConvexSets
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import OspreyCLI

@Suite struct DemoCommandTests {
  @Test func listsProblemFilesSortedWithoutTheReferences() throws {
    let folder = try Fixtures.temporaryFolder()
    for name in ["b.json", "a.cbf", "c.mps", "notes.txt", "references.json"] {
      _ = try Fixtures.write("{}", named: name, in: folder)
    }
    let set = try ExampleSet.load(folder: folder)
    #expect(set.problemPaths.map { ($0 as NSString).lastPathComponent } == ["a.cbf", "b.json", "c.mps"])
    #expect(set.references.isEmpty)  // "{}" is an empty references file
  }

  @Test func mazePartWritesProblemSolutionAndDrawing() throws {
    let folder = try Fixtures.temporaryFolder()
    var demo = try #require(try OspreyCommand.parseAsRoot(["demo", "--output", folder, "--maze-size", "6"]) as? DemoCommand)
    try demo.validate()
    try demo.solveMaze()
    let solution = try GCSSolution.read(path: folder + "/maze-6.solution.json")
    let problem = try GCSFile.read(path: folder + "/maze-6.json")
    try solution.check(against: problem)
    #expect(solution.status == .optimal || solution.status == .feasible)
    #expect(solution.path.first == "s" && solution.path.last == "t")
    let svg = try String(contentsOfFile: folder + "/maze-6.svg", encoding: .utf8)
    #expect(XMLParser(data: Data(svg.utf8)).parse())
    demo.mazeSize = 1
    #expect(throws: (any Error).self) { try demo.validate() }
  }

  @Test func armAndMugPartsWriteTheirFiles() throws {
    let folder = try Fixtures.temporaryFolder()
    let armScene = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("examples/plan/arm-2link.json").path
    let demo = try #require(try OspreyCommand.parseAsRoot(["demo", "--output", folder, "--arm-scene", armScene]) as? DemoCommand)
    try demo.planArm()
    let svg = try String(contentsOfFile: folder + "/arm-2link.svg", encoding: .utf8)
    #expect(XMLParser(data: Data(svg.utf8)).parse() && svg.contains("class=\"pose\""))
    try demo.renderMug()
    for name in ["rgb.png", "depth.png", "mask.png", "cameras.json", "scene.json", "object.obj", "object.json"] {
      #expect(FileManager.default.fileExists(atPath: folder + "/mug/" + name), "\(name)")
    }
    let missing = try #require(try OspreyCommand.parseAsRoot(["demo", "--output", folder, "--arm-scene", "/no/such/arm.json"]) as? DemoCommand)
    #expect(throws: InputError.self) { try missing.planArm() }
  }

  @Test func missingFolderIsAnInputError() {
    #expect(throws: InputError.self) { try ExampleSet.load(folder: "/no/such/osprey-examples") }
    #expect(OspreyCommand.execute(["demo", "--examples", "/no/such/osprey-examples"]) == .badInput)
  }

  @Test func malformedReferencesNameTheFileAndField() throws {
    let folder = try Fixtures.temporaryFolder()
    let path = try Fixtures.write(#"{"p": {"objective": "x", "source": "s"}}"#, named: "references.json", in: folder)
    do {
      _ = try ExampleSet.decodeReferences(path: path)
      Issue.record("expected an input error")
    } catch {
      #expect(error.message.hasPrefix(path + ": p.objective"))
    }
  }

  @Test func problemNameDropsFolderAndExtension() {
    #expect(ExampleSet.problemName("examples/conic/netlib_afiro.json") == "netlib_afiro")
  }

  /// The shipped sample set: every problem has a reference with a source, afiro the published optimum.
  @Test func repositorySamplesAllHaveReferences() throws {
    let set = try ExampleSet.load(folder: Fixtures.repositoryExamples)
    #expect((8...12).contains(set.problemPaths.count))
    for path in set.problemPaths {
      let name = ExampleSet.problemName(path)
      let reference = try #require(set.references[name], "\(name) has no reference")
      #expect(!reference.source.isEmpty && reference.family != nil)
    }
    #expect(set.references["netlib_afiro"]?.objective == -464.7531428571)
  }
}

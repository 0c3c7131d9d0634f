import ArgumentParser
import Testing

@testable import OspreyCLI

@Suite struct OspreyCommandTests {
  @Test func parsesSolveWithEveryOption() throws {
    let parsed = try OspreyCommand.parseAsRoot([
      "solve", "x.json", "--json", "--format", "cbf", "--time-limit", "2.5", "--max-iterations", "40", "--verbose",
    ])
    let solve = try #require(parsed as? SolveCommand)
    #expect(solve.file == "x.json")
    #expect(solve.json)
    #expect(solve.format == .cbf)
    #expect(solve.timeLimit == 2.5)
    #expect(solve.maxIterations == 40)
    #expect(solve.verbose)
  }

  @Test func parsesSolveDefaults() throws {
    let solve = try #require(try OspreyCommand.parseAsRoot(["solve", "x.json"]) as? SolveCommand)
    #expect(!solve.json && !solve.verbose)
    #expect(solve.format == nil && solve.timeLimit == nil && solve.maxIterations == nil)
  }

  @Test func parsesDemoWithDefaultFolder() throws {
    let demo = try #require(try OspreyCommand.parseAsRoot(["demo"]) as? DemoCommand)
    #expect(demo.examples == "examples/conic")
    let other = try #require(try OspreyCommand.parseAsRoot(["demo", "--examples", "/tmp/x"]) as? DemoCommand)
    #expect(other.examples == "/tmp/x")
  }

  /// Bad option values are usage errors: ArgumentParser's 64 is mapped to 2 (bad input).
  @Test(arguments: [
    ["solve", "x.json", "--format", "xyz"],
    ["solve", "x.json", "--max-iterations", "abc"],
    ["solve", "x.json", "--max-iterations=-3"],
    ["solve", "x.json", "--time-limit", "0"],
    ["solve", "x.json", "--time-limit=-1"],
    ["solve"],
    ["solve", "x.json", "--no-such-option"],
  ])
  func badOptionValuesExitWithStatus2(arguments: [String]) {
    #expect(throws: (any Error).self) { try OspreyCommand.parseAsRoot(arguments) }
    do {
      _ = try OspreyCommand.parseAsRoot(arguments)
    } catch {
      #expect(OspreyCommand.exitStatus(for: error) == .badInput)
      #expect(OspreyCommand.exitStatus(for: error).rawValue == 2)
    }
  }

  @Test func validationMessageNamesTheOption() {
    do {
      _ = try OspreyCommand.parseAsRoot(["solve", "x.json", "--time-limit", "0"])
      Issue.record("expected a validation error")
    } catch {
      #expect(OspreyCommand.errorMessage(for: error).contains("--time-limit must be a positive number of seconds"))
    }
  }

  @Test func inputErrorsAreOneLineWithStatus2() {
    let error = InputError("a.json:3: q: expected a number")
    #expect(OspreyCommand.exitStatus(for: error) == .badInput)
    #expect(OspreyCommand.errorMessage(for: error) == "osprey: error: a.json:3: q: expected a number")
  }

  @Test func helpIsASuccessAndExitCodesAreKept() {
    #expect(OspreyCommand.exitStatus(for: CleanExit.helpRequest()) == .success)
    #expect(OspreyCommand.exitStatus(for: ExitCode(5)) == ExitCode(5))
  }

  @Test func executeReturnsStatus2ForAMissingFile() {
    #expect(OspreyCommand.execute(["solve", "/no/such/osprey-file.json", "--json"]) == .badInput)
  }
}

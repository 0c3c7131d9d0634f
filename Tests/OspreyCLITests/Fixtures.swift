import Foundation

@testable import ConicSolver

/// Named fixtures shared by the CLI tests.
enum Fixtures {
  /// `min −x s.t. x ≤ 1` in conic JSON: optimum x = 1, objective −1.
  static let tinyLPJSON = """
    {"format":"conic-json-v1","name":"tiny_lp","n":1,"m":1,"objective_constant":0.0,
     "P":{"m":1,"n":1,"colptr":[0,0],"rowval":[],"nzval":[]},"q":[-1.0],
     "A":{"m":1,"n":1,"colptr":[0,1],"rowval":[0],"nzval":[1.0]},"b":[1.0],
     "cones":[{"NonnegativeConeT":1}]}
    """

  /// A fresh temporary folder for one test.
  static func temporaryFolder() throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("osprey-cli-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes `text` to `name` inside `folder`; returns the path.
  static func write(_ text: String, named name: String, in folder: String) throws -> String {
    let path = (folder as NSString).appendingPathComponent(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The repository's examples/conic folder (found from this source file).
  static var repositoryExamples: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("examples/conic").path
  }

  /// A result with every field chosen by the test.
  static func result(
    status: SolverStatus = .solved, x: [Double] = [1, 2], objective: Double = -1, iterations: Int = 7,
    setup: Double = 0.001, solve: Double = 0.002, primalResidual: Double = 1e-10, dualResidual: Double = 2e-10,
    gapAbsolute: Double = 3e-9, gapRelative: Double = 4e-9
  ) -> SolverResult {
    SolverResult(
      status: status, x: x, s: [], z: [], objective: objective, dualObjective: objective, iterations: iterations,
      setupTimeSeconds: setup, solveTimeSeconds: solve, primalResidual: primalResidual, dualResidual: dualResidual,
      gapAbsolute: gapAbsolute, gapRelative: gapRelative)
  }
}

// TEMPORARY: declarations of the Formats reader API so that OspreyCLI compiles before the real
// readers land. Delete this file at merge (the real Sources/ConicSolver/Formats/ replaces it).

/// File formats of conic problems (stub).
public enum ConicFileFormat: String, CaseIterable, Sendable {
  case json, cbf, mps
  public static func infer(fromPath path: String) -> ConicFileFormat? { fatalError("stub: Formats not merged yet") }
}

/// Objective sense of a problem file (stub).
public enum ObjectiveSense: String, Sendable { case minimize, maximize }

/// A problem read from a file (stub).
public struct ConicFile: Sendable {
  public var problem: ConicProblem
  public var objectiveSense: ObjectiveSense
  public var knownOptimum: Double?
  public func reportedObjective(_ minimizedObjective: Double) -> Double { fatalError("stub: Formats not merged yet") }
  public static func read(path: String, format: ConicFileFormat? = nil) throws(ConicFileError) -> ConicFile {
    fatalError("stub: Formats not merged yet")
  }
}

/// Bad problem file (stub).
public struct ConicFileError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var line: Int?
  public var field: String?
  public var message: String
  public var description: String { fatalError("stub: Formats not merged yet") }
}

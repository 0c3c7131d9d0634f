import ConicSolver

/// A JSON value with object keys kept in insertion order, for the CLI's machine-readable output.
///
/// Numbers that are not finite (NaN, ±∞) are written as `null`, so the output is always valid JSON.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// A number, or `null` when `value` is `nil` or not finite.
  public static func numberOrNull(_ value: Double?) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    return .number(value)
  }

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
    default: return false
    }
  }

  /// Compact JSON text (no spaces, no newline).
  ///
  /// - Complexity: O(size of the value).
  public func serialized() -> String {
    var text = ""
    write(to: &text)
    return text
  }

  private func write(to text: inout String) {
    switch self {
    case .null: text += "null"
    case .bool(let b): text += b ? "true" : "false"
    case .int(let i): text += String(i)
    case .number(let d):
      // Swift's shortest round-trip form ("0.1", "1e-08", "5.0") is valid JSON for finite values.
      text += d.isFinite ? "\(d)" : "null"
    case .string(let s): JSONValue.writeString(s, to: &text)
    case .array(let values):
      text += "["
      for (k, value) in values.enumerated() {
        if k > 0 { text += "," }
        value.write(to: &text)
      }
      text += "]"
    case .object(let members):
      text += "{"
      for (k, (key, value)) in members.enumerated() {
        if k > 0 { text += "," }
        JSONValue.writeString(key, to: &text)
        text += ":"
        value.write(to: &text)
      }
      text += "}"
    }
  }

  private static func writeString(_ s: String, to text: inout String) { text += JSONText.quoted(s) }
}

/// What `osprey solve` reports about one solve: the file, the problem's size, and the result with its
/// objectives in the file's own sense.
public struct SolveReport: Sendable {
  public var path: String
  public var format: ConicFileFormat
  public var name: String?
  public var objectiveSense: ObjectiveSense
  public var variableCount: Int
  public var constraintCount: Int
  public var result: SolverResult
  /// The primal objective in the file's sense; `nil` unless the status has a solution.
  public var objective: Double?
  /// The dual objective in the file's sense; `nil` unless the status has a solution.
  public var dualObjective: Double?
  /// The optimum the file states (planted or published), if any.
  public var knownOptimum: Double?

  public init(
    path: String, format: ConicFileFormat, name: String?, objectiveSense: ObjectiveSense,
    variableCount: Int, constraintCount: Int, result: SolverResult, objective: Double?, dualObjective: Double?,
    knownOptimum: Double? = nil
  ) {
    self.path = path
    self.format = format
    self.name = name
    self.objectiveSense = objectiveSense
    self.variableCount = variableCount
    self.constraintCount = constraintCount
    self.result = result
    self.objective = objective
    self.dualObjective = dualObjective
    self.knownOptimum = knownOptimum
  }
}

/// The JSON object of `osprey solve --json` (one object, keys in this order; non-finite numbers and
/// missing objectives are `null`):
///
/// `file, format, name, objective_sense, n, m, status, objective, dual_objective, iterations,
/// setup_time_s, solve_time_s, total_time_s, primal_residual, dual_residual, gap, gap_abs, x`
///
/// `gap` is the relative duality gap, `gap_abs` the absolute one (see `SolverResult`).
public enum ResultJSON {
  public static func value(for report: SolveReport) -> JSONValue {
    let result = report.result
    return .object([
      ("file", .string(report.path)),
      ("format", .string(report.format.rawValue)),
      ("name", report.name.map(JSONValue.string) ?? .null),
      ("objective_sense", .string(report.objectiveSense.rawValue)),
      ("n", .int(report.variableCount)),
      ("m", .int(report.constraintCount)),
      ("status", .string(result.status.rawValue)),
      ("objective", .numberOrNull(report.objective)),
      ("dual_objective", .numberOrNull(report.dualObjective)),
      ("iterations", .int(result.iterations)),
      ("setup_time_s", .number(result.setupTimeSeconds)),
      ("solve_time_s", .number(result.solveTimeSeconds)),
      ("total_time_s", .number(result.totalTimeSeconds)),
      ("primal_residual", .number(result.primalResidual)),
      ("dual_residual", .number(result.dualResidual)),
      ("gap", .number(result.gapRelative)),
      ("gap_abs", .number(result.gapAbsolute)),
      ("x", .array(result.x.map { .number($0) })),
    ])
  }

  /// `value(for:)` as compact JSON text.
  public static func text(for report: SolveReport) -> String { value(for: report).serialized() }
}

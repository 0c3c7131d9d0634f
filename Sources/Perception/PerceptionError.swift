/// Why reading a scene folder (or another Perception input) failed. Every error names the file and,
/// where there is one, the field.
public struct PerceptionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of failure.
  public enum Code: Equatable, Sendable {
    /// A folder or file that must exist does not.
    case missingFile
    /// A file exists but cannot be read or parsed (not JSON, not a PNG, not an OBJ).
    case unreadable
    /// A required JSON field is absent.
    case missingField
    /// A JSON field has the wrong type or an invalid value (including `format` and `version`).
    case invalidField
    /// An image has the wrong size, bit depth or channel count for the frame it belongs to.
    case imageMismatch
  }

  /// The kind of failure.
  public let code: Code
  /// The file (or folder) concerned.
  public let path: String
  /// The JSON field concerned, as a path such as `frames[3].X_WC` (empty where none applies).
  public let field: String
  /// What went wrong, in words.
  public let message: String

  /// An error from its parts.
  public init(code: Code, path: String, field: String = "", message: String) {
    self.code = code
    self.path = path
    self.field = field
    self.message = message
  }

  public var description: String { field.isEmpty ? "\(path): \(message)" : "\(path): \(field): \(message)" }
}

/// Bad input for the descriptor commands: a missing or malformed model, data folder or image.
///
/// The message names the file (and the entry or field) at fault; the command line prints it as one
/// line and exits with status 2.
public struct DescriptorError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file or folder at fault.
  public let path: String
  /// What is wrong with it.
  public let message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}

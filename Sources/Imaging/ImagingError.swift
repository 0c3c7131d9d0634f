/// Why reading or writing an image file failed. Every case names the file.
public struct ImagingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of failure.
  public enum Code: Equatable, Sendable {
    /// The file could not be opened or is not a PNG libpng can decode.
    case unreadable
    /// The PNG decodes, but to a layout `Image` does not hold (for example 16-bit with alpha) or
    /// not the one asked for (a 16-bit file read as 8-bit).
    case unsupportedFormat
    /// The image has a layout PNG writing does not support here.
    case unsupportedImage
    /// Encoding, writing the temporary file or renaming it into place failed.
    case unwritable
  }

  /// The kind of failure.
  public let code: Code
  /// The file read or written.
  public let path: String
  /// What went wrong, in words (libpng's message where it gave one).
  public let message: String

  /// An error from its parts.
  public init(code: Code, path: String, message: String) {
    self.code = code
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}

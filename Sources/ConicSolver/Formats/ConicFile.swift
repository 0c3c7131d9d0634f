#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Foundation
import LinearAlgebra

/// A file format for conic problems.
public enum ConicFileFormat: String, CaseIterable, Sendable {
  /// `conic-json-v1`: Clarabel's JSON layout (see docs/formats/conic-json.md).
  case json
  /// The Conic Benchmark Format of CBLIB, versions 1–3 (see docs/formats/cbf.md).
  case cbf
  /// Free or fixed MPS, with the QPS extensions for quadratic objectives (see docs/formats/mps.md).
  case mps

  /// The format named by a path's extension (`.json`, `.cbf`, `.mps`/`.qps`/`.sif`, any case),
  /// or `nil` when the extension is not one of these.
  public static func infer(fromPath path: String) -> ConicFileFormat? {
    let base = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
    guard let dot = base.lastIndex(of: ".") else { return nil }
    switch base[base.index(after: dot)...].lowercased() {
    case "json": return .json
    case "cbf": return .cbf
    case "mps", "qps", "sif": return .mps
    default: return nil
    }
  }
}

/// Whether a file's objective is minimized or maximized.
public enum ObjectiveSense: String, Sendable {
  case minimize
  case maximize
}

/// A conic problem read from (or to be written to) a file, with what the file says about it.
///
/// `problem` is always a minimization in Clarabel's form
///
/// ```
/// minimize    ½ xᵀPx + qᵀx + c
/// subject to  Ax + s = b,  s ∈ K
/// ```
///
/// For a file that maximizes `f(x)`, the problem minimizes `−f(x)`: `P`, `q` and `c` are the file's
/// data negated, and `reportedObjective(_:)` turns the minimized value back into the file's sense.
public struct ConicFile: Sendable {
  /// The problem as a minimization in Clarabel form.
  public var problem: ConicProblem
  /// The file's objective sense; `.maximize` means `problem`'s `P`, `q` and `c` were negated.
  public var objectiveSense: ObjectiveSense
  /// The optimal objective the file states (JSON `meta.known_optimum`), in the file's own sense.
  public var knownOptimum: Double?

  /// Wraps a problem with its objective sense and known optimum.
  public init(problem: ConicProblem, objectiveSense: ObjectiveSense = .minimize, knownOptimum: Double? = nil) {
    self.problem = problem
    self.objectiveSense = objectiveSense
    self.knownOptimum = knownOptimum
  }

  /// The objective in the file's sense: `minimizedObjective` itself, or its negation for `.maximize`.
  public func reportedObjective(_ minimizedObjective: Double) -> Double {
    objectiveSense == .maximize ? -minimizedObjective : minimizedObjective
  }

  /// Reads a problem file; the format comes from the extension when `format` is `nil`.
  ///
  /// - Throws: `ConicFileError` with the path, and the line and field where the format has them.
  public static func read(path: String, format: ConicFileFormat? = nil) throws(ConicFileError) -> ConicFile {
    guard let format = format ?? ConicFileFormat.infer(fromPath: path) else {
      throw ConicFileError(
        path: path, message: "cannot tell the format from the extension (expected .json, .cbf, .mps, .qps or .sif)")
    }
    let bytes = try readBytes(path: path)
    return try parse(bytes: bytes, format: format, path: path)
  }

  /// Parses the text of a problem file.
  ///
  /// - Parameter path: used only in error messages.
  public static func parse(_ text: String, format: ConicFileFormat, path: String = "<string>") throws(ConicFileError)
    -> ConicFile
  {
    try parse(bytes: Array(text.utf8), format: format, path: path)
  }

  static func parse(bytes: [UInt8], format: ConicFileFormat, path: String) throws(ConicFileError) -> ConicFile {
    switch format {
    case .json: return try ConicJSONReader.read(bytes, path: path)
    case .cbf: return try CBFReader.read(bytes, path: path)
    case .mps: return try MPSReader.read(bytes, path: path)
    }
  }

  /// The problem as the text of a file in `format`.
  ///
  /// - Throws: `ConicFileError` when the format cannot hold the problem (second-order cones in MPS,
  ///   a quadratic objective in CBF).
  public func serialized(as format: ConicFileFormat) throws(ConicFileError) -> String {
    switch format {
    case .json: return ConicJSONWriter.write(self)
    case .cbf: return try CBFWriter.write(self)
    case .mps: return try MPSWriter.write(self)
    }
  }

  /// Writes the problem to `path` atomically (`writeTextAtomically`), so readers never see a
  /// half-written file.
  public func write(to path: String, format: ConicFileFormat) throws(ConicFileError) {
    try writeTextAtomically(try serialized(as: format), to: path)
  }

  static func readBytes(path: String) throws(ConicFileError) -> [UInt8] {
    guard let handle = fopen(path, "rb") else {
      throw ConicFileError(path: path, message: "cannot open: \(errnoText())")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
      if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
      if count < chunk.count {
        if ferror(handle) != 0 { throw ConicFileError(path: path, message: "read failed: \(errnoText())") }
        break
      }
    }
    return bytes
  }
}

private func errnoText() -> String {
  guard let c = strerror(errno) else { return "errno \(errno)" }
  return String(cString: c)
}

/// A problem file (conic, GCS or planning; `GCSFileError` is this type) that cannot be read or written:
/// where, and what is wrong.
///
/// `description` reads like a compiler diagnostic: `file.cbf:12: ACOORD: index 7 outside 0..<5`.
public struct ConicFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or `"<string>"` for parsed text).
  public var path: String
  /// The 1-based line, where the format is line-oriented or the position is known.
  public var line: Int?
  /// The field, section or keyword at fault (`"A.colptr"`, `"cones[2]"`, `"ACOORD"`, `"BOUNDS"`).
  public var field: String?
  /// What is wrong, in words.
  public var message: String

  public init(path: String, line: Int? = nil, field: String? = nil, message: String) {
    self.path = path
    self.line = line
    self.field = field
    self.message = message
  }

  public var description: String {
    var text = path
    if let line { text += ":\(line)" }
    text += ": "
    if let field { text += "\(field): " }
    return text + message
  }
}

extension ConicFileError {
  /// Wraps a problem-validation error from data read out of `path`.
  init(path: String, _ error: ConicProblemError) {
    self.init(path: path, field: error.field, message: error.message)
  }
}

/// Writes `text` to `path` atomically: to a temporary file in the same folder, flushed, then renamed
/// over `path`, so readers never see a half-written file and a failed write leaves none. The one text
/// writer of the file formats (conic problems, `osprey.gcs`, the planning files, the CLI's outputs).
///
/// - Throws: `ConicFileError` naming `path` when its folder does not exist, or when writing or
///   renaming fails (the temporary file is removed then).
public func writeTextAtomically(_ text: String, to path: String) throws(ConicFileError) {
  let folder = (path as NSString).deletingLastPathComponent
  var isDirectory: ObjCBool = false
  let folderPath = folder.isEmpty ? "." : folder
  guard FileManager.default.fileExists(atPath: folderPath, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw ConicFileError(path: path, message: "cannot write: no folder \(folderPath)")
  }
  var text = text
  let tempPath = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  guard let handle = fopen(tempPath, "wb") else {
    throw ConicFileError(path: path, message: "cannot create temporary file \(tempPath): \(errnoText())")
  }
  let written = text.withUTF8 { buffer in fwrite(buffer.baseAddress, 1, buffer.count, handle) }
  let expected = text.utf8.count
  let flushFailed = fflush(handle) != 0
  let closeFailed = fclose(handle) != 0
  if written != expected || flushFailed || closeFailed {
    let reason = errnoText()
    unlink(tempPath)
    throw ConicFileError(path: path, message: "write failed: \(reason)")
  }
  if rename(tempPath, path) != 0 {
    let reason = errnoText()
    unlink(tempPath)
    throw ConicFileError(path: path, message: "cannot rename the temporary file into place: \(reason)")
  }
}

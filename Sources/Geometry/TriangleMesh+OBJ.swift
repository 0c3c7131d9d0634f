import Foundation

/// A mesh file that could not be read or written: the file, the 1-based line (0 when the problem is
/// not tied to a line) and what is wrong.
public struct MeshFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file's path as given.
  public var path: String
  /// The 1-based line, or 0 for the file as a whole.
  public var line: Int
  /// What is wrong.
  public var message: String

  /// An error from its parts.
  public init(path: String, line: Int = 0, message: String) {
    self.path = path
    self.line = line
    self.message = message
  }

  /// `path:line: message` (or `path: message`).
  public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}

extension TriangleMesh {
  /// The mesh as Wavefront OBJ text: one `v x y z` line per vertex (shortest round-trip decimals, so
  /// reading it back gives bit-identical coordinates) and one `f a b c` line per face (1-based).
  ///
  /// - Parameter comment: lines written first as `# …` comments (for example the generator and seed).
  /// - Complexity: O(vertices + faces).
  public func objText(comment: [String] = []) -> String {
    var out = ""
    out.reserveCapacity(vertices.count * 60 + faces.count * 24)
    for line in comment { out += "# \(line)\n" }
    for p in vertices { out += "v \(p.x) \(p.y) \(p.z)\n" }
    for f in faces { out += "f \(f.x + 1) \(f.y + 1) \(f.z + 1)\n" }
    return out
  }

  /// Writes `objText(comment:)` to `path` atomically: a temporary file in the same folder renamed into
  /// place, so readers never see a half-written mesh.
  /// - Throws: `MeshFileError` when the folder is missing or the write fails.
  public func writeOBJ(to path: String, comment: [String] = []) throws(MeshFileError) {
    try writeFileAtomically(objText(comment: comment), to: path)
  }

  /// Reads a Wavefront OBJ file: `v` lines (a fourth coordinate is ignored) and `f` lines with 1-based
  /// or negative (relative) indices in any of the forms `i`, `i/t`, `i/t/n`, `i//n`; polygons with more
  /// than three corners are split into a fan. Other statements (`vt`, `vn`, `o`, `g`, `s`, `usemtl`,
  /// `mtllib`, comments) are skipped.
  /// - Throws: `MeshFileError` naming the file and line of the first malformed statement.
  public init(objPath path: String) throws(MeshFileError) {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw MeshFileError(path: path, message: "cannot read: \(error.localizedDescription)")
    }
    try self.init(objText: text, path: path)
  }

  /// Parses OBJ text (see `init(objPath:)`); `path` names the source in errors.
  /// - Throws: `MeshFileError` naming `path` and the line of the first malformed statement.
  public init(objText text: String, path: String = "<text>") throws(MeshFileError) {
    var vertices: [SIMD3<Double>] = []
    var faces: [SIMD3<Int>] = []
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      guard let keyword = fields.first else { continue }
      switch keyword {
      case "v":
        guard fields.count >= 4 else {
          throw MeshFileError(path: path, line: lineNumber, message: "vertex needs 3 coordinates, got \(fields.count - 1)")
        }
        var p = SIMD3<Double>.zero
        for i in 0..<3 {
          guard let x = Double(fields[i + 1]), x.isFinite else {
            throw MeshFileError(path: path, line: lineNumber, message: "vertex coordinate '\(fields[i + 1])' is not a finite number")
          }
          p[i] = x
        }
        vertices.append(p)
      case "f":
        guard fields.count >= 4 else {
          throw MeshFileError(path: path, line: lineNumber, message: "face needs at least 3 corners, got \(fields.count - 1)")
        }
        var corners: [Int] = []
        for field in fields.dropFirst() {
          let indexText = field.split(separator: "/", omittingEmptySubsequences: false).first ?? ""
          guard let index = Int(indexText), index != 0 else {
            throw MeshFileError(path: path, line: lineNumber, message: "face corner '\(field)' has no valid vertex index")
          }
          let resolved = index > 0 ? index - 1 : vertices.count + index
          guard resolved >= 0 && resolved < vertices.count else {
            throw MeshFileError(
              path: path, line: lineNumber,
              message: "face corner \(index) refers to a vertex outside 1...\(vertices.count) defined so far")
          }
          corners.append(resolved)
        }
        for k in 1..<(corners.count - 1) { faces.append(SIMD3(corners[0], corners[k], corners[k + 1])) }
      default:
        continue
      }
    }
    self.init(unchecked: vertices, faces: faces)
  }
}

/// Writes `text` to `path` through a temporary file in the same folder renamed into place, so readers
/// never see a half-written file (used by the mesh writers and their sidecar files).
/// - Throws: `MeshFileError` when the folder is missing or the write fails.
public func writeFileAtomically(_ text: String, to path: String) throws(MeshFileError) {
  let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw MeshFileError(path: path, message: "cannot write: no folder \(folder)")
  }
  do {
    // Foundation's .atomic option writes a temporary file and renames it over `path`.
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    throw MeshFileError(path: path, message: "cannot write: \(error.localizedDescription)")
  }
}

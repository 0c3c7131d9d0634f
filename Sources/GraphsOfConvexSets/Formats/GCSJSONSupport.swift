import ConicSolver
import Foundation
import LinearAlgebra

// Shared by the `osprey.gcs` problem and solution files: the error type, schema-driven reading helpers
// over ConicSolver's `JSONScanner` (no document tree), and the writer's number and string forms.
// See docs/formats/gcs.md.

/// A GCS problem or solution file that cannot be read or written: where, and what is wrong. The same
/// error as every Osprey file reader's (path, line, field, message), reading like a compiler diagnostic:
/// `maze.json:3: edges[7].to: unknown vertex "c9_9"`.
public typealias GCSFileError = ConicFileError

/// Reading helpers: an object is first walked once to record where each key's value starts, then the
/// values the schema needs are parsed by moving the scanner back to them. So key order does not matter
/// (a set's `type` may come last), unknown keys are skipped without being parsed, and every error
/// carries the byte offset of the value at fault.
enum GCSJSON {
  /// A JSON object's keys and the byte offsets of their values (a repeated key: the last one wins).
  struct Fields {
    /// Offset of the object's `{`.
    var start: Int
    var offsets: [String: Int]
    subscript(key: String) -> Int? { offsets[key] }
  }

  /// `parent.key`, or `key` at the top level.
  static func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }

  static func missing(_ f: Fields, _ key: String, in parent: String) -> JSONReadError {
    JSONReadError(offset: f.start, field: join(parent, key), message: "is missing")
  }

  /// What the next value is, in words (after whitespace).
  static func kindOfNext(_ s: inout JSONScanner) -> String {
    switch s.peek() {
    case 0x7B: return "an object"
    case 0x5B: return "an array"
    case 0x22: return "a string"
    case 0x74, 0x66: return "a boolean"
    case 0x6E: return "null"
    case 0x2D, 0x30...0x39, 0x4E, 0x49: return "a number"
    default: return s.describeNext()
    }
  }

  /// Walks the object at the scanner's position and records its keys; leaves the scanner after it.
  static func fields(_ s: inout JSONScanner, field: String) throws(JSONReadError) -> Fields {
    if s.peek() != 0x7B {
      throw s.error("expected an object, found \(kindOfNext(&s))", field: field.isEmpty ? nil : field)
    }
    let start = s.position
    var offsets: [String: Int] = [:]
    try s.parseObject(field: field.isEmpty ? nil : field) { (s: inout JSONScanner, key: String) throws(JSONReadError) in
      _ = s.peek()
      offsets[key] = s.position
      try s.skipValue(field: join(field, key))
    }
    return Fields(start: start, offsets: offsets)
  }

  /// Whether the value at `offset` is `null`.
  static func isNull(_ s: inout JSONScanner, at offset: Int) -> Bool {
    s.position = offset
    return s.peek() == 0x6E
  }

  static func string(_ s: inout JSONScanner, at offset: Int, field: String) throws(JSONReadError) -> String {
    s.position = offset
    if s.peek() != 0x22 {
      throw JSONReadError(offset: offset, field: field, message: "expected a string, found \(kindOfNext(&s))")
    }
    return try s.parseString(field: field)
  }

  /// The required string `key` of `f`.
  static func string(_ s: inout JSONScanner, _ f: Fields, _ key: String, in parent: String) throws(JSONReadError)
    -> String
  {
    guard let at = f[key] else { throw missing(f, key, in: parent) }
    return try string(&s, at: at, field: join(parent, key))
  }

  /// A finite number.
  static func number(_ s: inout JSONScanner, at offset: Int, field: String) throws(JSONReadError) -> Double {
    s.position = offset
    switch s.peek() {
    case 0x2D, 0x30...0x39, 0x4E, 0x49: break
    case 0x6E: throw JSONReadError(offset: offset, field: field, message: "is null, expected a number")
    default: throw JSONReadError(offset: offset, field: field, message: "expected a number, found \(kindOfNext(&s))")
    }
    let x = try s.parseDouble(field: field)
    if !x.isFinite { throw JSONReadError(offset: offset, field: field, message: "is \(word(x)) (not finite)") }
    return x
  }

  /// The required number `key` of `f`.
  static func number(_ s: inout JSONScanner, _ f: Fields, _ key: String, in parent: String) throws(JSONReadError)
    -> Double
  {
    guard let at = f[key] else { throw missing(f, key, in: parent) }
    return try number(&s, at: at, field: join(parent, key))
  }

  /// The number `key` of `f`; `nil` when absent or `null`.
  static func optionalNumber(_ s: inout JSONScanner, _ f: Fields, _ key: String, in parent: String)
    throws(JSONReadError) -> Double?
  {
    guard let at = f[key], !isNull(&s, at: at) else { return nil }
    return try number(&s, at: at, field: join(parent, key))
  }

  /// `true` or `false`.
  static func bool(_ s: inout JSONScanner, at offset: Int, field: String) throws(JSONReadError) -> Bool {
    s.position = offset
    _ = s.peek()
    if s.consumeLiteral("true") { return true }
    if s.consumeLiteral("false") { return false }
    throw JSONReadError(offset: offset, field: field, message: "expected true or false, found \(kindOfNext(&s))")
  }

  /// A non-negative integer (`3` or `3.0`).
  static func count(_ s: inout JSONScanner, at offset: Int, field: String) throws(JSONReadError) -> Int {
    let x = try number(&s, at: offset, field: field)
    guard x == x.rounded(), x >= 0, x < 1e15 else {
      throw JSONReadError(offset: offset, field: field, message: "is \(x), expected a non-negative integer")
    }
    return Int(x)
  }

  /// An array of finite numbers; `null` entries become `nullValue` when it is given, else are errors.
  /// Leaves the scanner after the array.
  static func vector(_ s: inout JSONScanner, at offset: Int, field: String, nullValue: Double? = nil)
    throws(JSONReadError) -> [Double]
  {
    s.position = offset
    if s.peek() != 0x5B {
      throw JSONReadError(offset: offset, field: field, message: "expected an array of numbers, found \(kindOfNext(&s))")
    }
    s.position += 1
    var values: [Double] = []
    if s.consume(0x5D) { return values }
    while true {
      let elementField = "\(field)[\(values.count)]"
      _ = s.peek()
      let at = s.position
      if let nullValue, s.peek() == 0x6E {
        if !s.consumeLiteral("null") { throw s.error("invalid literal", field: elementField) }
        values.append(nullValue)
      } else {
        values.append(try number(&s, at: at, field: elementField))
      }
      if s.consume(0x2C) { continue }
      if s.consume(0x5D) { return values }
      throw s.error("expected ',' or ']' in array, found \(s.describeNext())", field: field)
    }
  }

  /// The required array of numbers `key` of `f`.
  static func vector(
    _ s: inout JSONScanner, _ f: Fields, _ key: String, in parent: String, nullValue: Double? = nil
  ) throws(JSONReadError) -> [Double] {
    guard let at = f[key] else { throw missing(f, key, in: parent) }
    return try vector(&s, at: at, field: join(parent, key), nullValue: nullValue)
  }

  /// A matrix written as an array of rows of equal length.
  static func rows(_ s: inout JSONScanner, at offset: Int, field: String) throws(JSONReadError) -> [[Double]] {
    s.position = offset
    if s.peek() != 0x5B {
      throw JSONReadError(
        offset: offset, field: field, message: "expected an array of rows (arrays of numbers), found \(kindOfNext(&s))")
    }
    s.position += 1
    var rows: [[Double]] = []
    if s.consume(0x5D) { return rows }
    while true {
      let rowField = "\(field)[\(rows.count)]"
      _ = s.peek()
      let at = s.position
      let row = try vector(&s, at: at, field: rowField)
      if let first = rows.first, row.count != first.count {
        throw JSONReadError(offset: at, field: rowField, message: "has \(row.count) entries, expected \(first.count) (as row 0)")
      }
      rows.append(row)
      if s.consume(0x2C) { continue }
      if s.consume(0x5D) { return rows }
      throw s.error("expected ',' or ']' in array, found \(s.describeNext())", field: field)
    }
  }

  /// The required matrix `key` of `f` (with `columns` columns when it has no rows), and its offset.
  static func matrix(_ s: inout JSONScanner, _ f: Fields, _ key: String, in parent: String, columns: Int)
    throws(JSONReadError) -> (Matrix, Int)
  {
    guard let at = f[key] else { throw missing(f, key, in: parent) }
    let r = try rows(&s, at: at, field: join(parent, key))
    if r.isEmpty { return (Matrix(rowCount: 0, columnCount: columns, elements: []), at) }
    return (Matrix(rows: r), at)
  }

  /// Calls `body` on every element of the array of objects at `offset` (`null` counts as empty), with the
  /// element's index and keys; the scanner is put back after each element.
  static func forEachObject(
    _ s: inout JSONScanner, at offset: Int, field: String,
    _ body: (inout JSONScanner, Int, Fields) throws(JSONReadError) -> Void
  ) throws(JSONReadError) {
    s.position = offset
    if s.peek() == 0x6E, s.consumeLiteral("null") { return }
    if s.peek() != 0x5B {
      throw JSONReadError(offset: offset, field: field, message: "expected an array of objects, found \(kindOfNext(&s))")
    }
    s.position += 1
    if s.consume(0x5D) { return }
    var k = 0
    while true {
      let f = try fields(&s, field: "\(field)[\(k)]")
      let after = s.position
      try body(&s, k, f)
      s.position = after
      k += 1
      if s.consume(0x2C) { continue }
      if s.consume(0x5D) { return }
      throw s.error("expected ',' or ']' in array, found \(s.describeNext())", field: field)
    }
  }

  /// Checks `format` and `version` of a top-level object.
  static func checkHeader(_ s: inout JSONScanner, _ top: Fields, format expected: String) throws(JSONReadError) {
    guard let at = top["format"] else {
      throw JSONReadError(offset: top.start, field: "format", message: "is missing (expected \"\(expected)\")")
    }
    let format = try string(&s, at: at, field: "format")
    if format != expected {
      throw JSONReadError(offset: at, field: "format", message: "is \"\(format)\", expected \"\(expected)\"")
    }
    guard let versionAt = top["version"] else {
      throw JSONReadError(offset: top.start, field: "version", message: "is missing (expected 1)")
    }
    let version = try number(&s, at: versionAt, field: "version")
    if version != 1 {
      throw JSONReadError(
        offset: versionAt, field: "version",
        message: "is \(version == version.rounded() && abs(version) < 1e15 ? String(Int(version)) : "\(version)"); this reader reads version 1")
    }
  }

  /// Runs a document reader over `bytes` and turns its errors into `GCSFileError`s with line numbers.
  static func read<T>(
    _ bytes: [UInt8], path: String, _ body: (inout JSONScanner) throws(JSONReadError) -> T
  ) throws(GCSFileError) -> T {
    do {
      return try JSONScanner.scan(bytes) { (s: inout JSONScanner) throws(JSONReadError) -> T in
        if s.peek() != 0x7B {
          throw s.error("expected a JSON object ('{') at the top level, found \(s.describeNext())")
        }
        return try body(&s)
      }
    } catch {
      let line = error.offset >= 0 ? JSONScanner.line(ofOffset: error.offset, in: bytes) : nil
      throw GCSFileError(path: path, line: line, field: error.field, message: error.message)
    }
  }

  /// Checks that nothing but whitespace follows the top-level value.
  static func checkEnd(_ s: inout JSONScanner) throws(JSONReadError) {
    if s.peek() != 0 { throw s.error("unexpected \(s.describeNext()) after the top-level object") }
  }

  static func word(_ x: Double) -> String {
    x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity")
  }

  // MARK: - Files

  static func readBytes(path: String) throws(GCSFileError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw GCSFileError(path: path, message: "no such file")
    }
    if isDirectory.boolValue { throw GCSFileError(path: path, message: "is a folder, not a file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GCSFileError(path: path, message: "cannot read the file")
    }
    return [UInt8](data)
  }

  /// Writes `text` to `path` atomically (ConicSolver's `writeTextAtomically`).
  static func writeAtomically(_ text: String, to path: String) throws(GCSFileError) {
    try writeTextAtomically(text, to: path)
  }

  // MARK: - Writing

  /// Swift's shortest round-trip form ("0.1", "1e-08", "5.0"), valid JSON; `null` when not finite.
  static func writeNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

  static func writeArray(_ values: [Double]) -> String {
    "[" + values.map(writeNumber).joined(separator: ", ") + "]"
  }

  /// Rows, as the format writes matrices.
  static func writeMatrix(_ M: Matrix) -> String {
    "[" + (0..<M.rowCount).map { writeArray(M.row($0)) }.joined(separator: ", ") + "]"
  }

  static func quoted(_ text: String) -> String { JSONText.quoted(text) }

  /// `{"k": v, …}` from members already written as JSON.
  static func object(_ members: [(String, String)]) -> String {
    "{" + members.map { quoted($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import LinearAlgebra

// conic-json-v1 (Clarabel's JSON layout): a schema-driven reader over the raw UTF-8 bytes, and a writer.
// The reader does not build a document tree: it walks the top-level object and parses `P`, `q`, `A`,
// `b` and `cones` straight into arrays, skipping keys it does not use. See docs/formats/conic-json.md.

/// A JSON syntax or schema error at a byte offset (turned into a line number by the reader).
///
/// Public so that other modules' schema-driven readers (the `osprey.gcs` files) share this scanner.
public struct JSONReadError: Error, Sendable {
  /// The byte offset of the error, or a negative value when it has no position (a missing key).
  public var offset: Int
  /// The field at fault, when known.
  public var field: String?
  /// What is wrong, in words.
  public var message: String

  public init(offset: Int, field: String?, message: String) {
    self.offset = offset
    self.field = field
    self.message = message
  }
}

/// Scans JSON tokens out of a NUL-terminated UTF-8 buffer.
///
/// Public (through `JSONScanner.scan(_:_:)`) so that other modules' schema-driven readers share it.
public struct JSONScanner {
  let bytes: UnsafeBufferPointer<UInt8>  // last byte is a NUL sentinel, not part of the text
  /// The byte offset of the next token; readers may move it back to a value they skipped earlier.
  public var position = 0
  let end: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    self.end = bytes.count - 1
  }

  /// Runs `body` with a scanner over `input` (a NUL sentinel is appended to a copy).
  public static func scan<T>(_ input: [UInt8], _ body: (inout JSONScanner) throws(JSONReadError) -> T)
    throws(JSONReadError) -> T
  {
    var bytes = input
    bytes.append(0)
    let result: Result<T, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
      var scanner = JSONScanner(buffer)
      do throws(JSONReadError) {
        return .success(try body(&scanner))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// The 1-based line of byte `offset` in `input`.
  public static func line(ofOffset offset: Int, in input: [UInt8]) -> Int {
    var line = 1
    for k in 0..<min(max(offset, 0), input.count) where input[k] == 0x0A { line += 1 }
    return line
  }

  /// Skips spaces, tabs and line breaks.
  @inline(__always)
  public mutating func skipWhitespace() {
    while position < end {
      let c = bytes[position]
      if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
    }
  }

  /// The next byte after whitespace (0 at the end), without consuming it.
  @inline(__always)
  public mutating func peek() -> UInt8 {
    skipWhitespace()
    return position < end ? bytes[position] : 0
  }

  /// An error at the current position.
  public func error(_ message: String, field: String? = nil) -> JSONReadError {
    JSONReadError(offset: position, field: field, message: message)
  }

  /// The next byte in words, for error messages (`'x'`, `end of file`).
  public func describeNext() -> String {
    if position >= end { return "end of file" }
    let c = bytes[position]
    if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
    return "byte 0x\(String(c, radix: 16))"
  }

  /// Consumes `c` (after whitespace) or throws.
  public mutating func expect(_ c: UInt8, field: String?) throws(JSONReadError) {
    if peek() != c {
      throw error("expected '\(Character(Unicode.Scalar(c)))', found \(describeNext())", field: field)
    }
    position += 1
  }

  /// Consumes `c` if it is next (after whitespace).
  @inline(__always)
  public mutating func consume(_ c: UInt8) -> Bool {
    if peek() == c {
      position += 1
      return true
    }
    return false
  }

  /// Consumes `word` if the text continues with it (no whitespace is skipped).
  public mutating func consumeLiteral(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    if position + count > end { return false }
    let w = word.utf8Start
    for k in 0..<count where bytes[position + k] != w[k] { return false }
    position += count
    return true
  }

  /// Parses a JSON string, escapes decoded.
  public mutating func parseString(field: String?) throws(JSONReadError) -> String {
    try expect(0x22, field: field)
    var scalars = String.UnicodeScalarView()
    var runStart = position
    var result = ""
    while true {
      guard position < end else { throw error("unterminated string", field: field) }
      let c = bytes[position]
      if c == 0x22 {
        result += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
        position += 1
        return result
      }
      if c < 0x20 { throw error("control character in string", field: field) }
      if c != 0x5C {
        position += 1
        continue
      }
      result += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
      position += 1
      guard position < end else { throw error("unterminated string", field: field) }
      let e = bytes[position]
      position += 1
      scalars.removeAll()
      switch e {
      case 0x22: result += "\""
      case 0x5C: result += "\\"
      case 0x2F: result += "/"
      case 0x62: result += "\u{08}"
      case 0x66: result += "\u{0C}"
      case 0x6E: result += "\n"
      case 0x72: result += "\r"
      case 0x74: result += "\t"
      case 0x75:
        var code = try parseHex4(field: field)
        if (0xD800..<0xDC00).contains(code), position + 1 < end, bytes[position] == 0x5C, bytes[position + 1] == 0x75 {
          position += 2
          let low = try parseHex4(field: field)
          if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
        }
        result.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
      default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", field: field)
      }
      runStart = position
    }
  }

  private mutating func parseHex4(field: String?) throws(JSONReadError) -> UInt32 {
    guard position + 4 <= end else { throw error("truncated \\u escape", field: field) }
    var code: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[position]
      let digit: UInt32
      switch c {
      case 0x30...0x39: digit = UInt32(c - 0x30)
      case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
      default: throw error("invalid \\u escape", field: field)
      }
      code = code << 4 | digit
      position += 1
    }
    return code
  }

  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// Parses a JSON number (also Python's `NaN`, `Infinity`, `-Infinity`, so that such values reach
  /// validation and are reported as "not finite" rather than as a syntax error).
  @inline(__always)
  public mutating func parseDouble(field: String?) throws(JSONReadError) -> Double {
    skipWhitespace()
    let start = position
    var p = position
    var negative = false
    if p < end && bytes[p] == 0x2D {
      negative = true
      p += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    let intStart = p
    while p < end, bytes[p] &- 0x30 < 10 {
      if digits < 19 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[p] &- 0x30)
        if mantissa != 0 { digits += 1 }
      } else {
        exponent += 1
      }
      p += 1
    }
    if p == intStart {
      position = p
      if consumeLiteral("NaN") { return .nan }
      if consumeLiteral("Infinity") { return negative ? -.infinity : .infinity }
      position = start
      throw error("expected a number, found \(describeNext())", field: field)
    }
    if p < end && bytes[p] == 0x2E {
      p += 1
      let fractionStart = p
      while p < end, bytes[p] &- 0x30 < 10 {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(bytes[p] &- 0x30)
          if mantissa != 0 { digits += 1 }
          exponent -= 1
        }
        p += 1
      }
      if p == fractionStart { throw error("malformed number", field: field) }
    }
    if p < end && (bytes[p] | 0x20) == 0x65 {
      p += 1
      var exponentNegative = false
      if p < end && (bytes[p] == 0x2B || bytes[p] == 0x2D) {
        exponentNegative = bytes[p] == 0x2D
        p += 1
      }
      let exponentStart = p
      var e = 0
      while p < end, bytes[p] &- 0x30 < 10 {
        if e < 100_000 { e = e * 10 + Int(bytes[p] &- 0x30) }
        p += 1
      }
      if p == exponentStart { throw error("malformed number exponent", field: field) }
      exponent += exponentNegative ? -e : e
    }
    position = p
    // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
    if digits < 19 && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
      var value = Double(mantissa)
      value = exponent < 0 ? value / JSONScanner.powersOfTen[-exponent] : value * JSONScanner.powersOfTen[exponent]
      return negative ? -value : value
    }
    // Correctly rounded fallback; the buffer is NUL-terminated and strtod stops at the delimiter.
    let base = UnsafeRawPointer(bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self)
    return strtod(base, nil)
  }

  /// Parses a JSON integer (an integral number like `3.0` is accepted too).
  @inline(__always)
  public mutating func parseInt(field: String?) throws(JSONReadError) -> Int {
    skipWhitespace()
    var p = position
    var negative = false
    if p < end && bytes[p] == 0x2D {
      negative = true
      p += 1
    }
    var value = 0
    let digitStart = p
    while p < end, bytes[p] &- 0x30 < 10, p - digitStart < 18 {
      value = value * 10 + Int(bytes[p] &- 0x30)
      p += 1
    }
    if p > digitStart, p >= end || !(bytes[p] == 0x2E || (bytes[p] | 0x20) == 0x65 || bytes[p] &- 0x30 < 10) {
      position = p
      return negative ? -value : value
    }
    let start = position
    let x = try parseDouble(field: field)
    guard x.isFinite, x == x.rounded(), abs(x) < 1e18 else {
      position = start
      throw error("expected an integer, found \(x)", field: field)
    }
    return Int(x)
  }

  /// Parses an array of numbers.
  public mutating func parseDoubleArray(field: String) throws(JSONReadError) -> [Double] {
    try expect(0x5B, field: field)
    var values: [Double] = []
    if consume(0x5D) { return values }
    while true {
      values.append(try parseDouble(field: "\(field)[\(values.count)]"))
      if consume(0x2C) { continue }
      if consume(0x5D) { return values }
      throw error("expected ',' or ']' in array, found \(describeNext())", field: field)
    }
  }

  /// Parses an array of integers.
  public mutating func parseIntArray(field: String) throws(JSONReadError) -> [Int] {
    try expect(0x5B, field: field)
    var values: [Int] = []
    if consume(0x5D) { return values }
    while true {
      values.append(try parseInt(field: "\(field)[\(values.count)]"))
      if consume(0x2C) { continue }
      if consume(0x5D) { return values }
      throw error("expected ',' or ']' in array, found \(describeNext())", field: field)
    }
  }

  /// Skips one value of any kind.
  public mutating func skipValue(field: String?, depth: Int = 0) throws(JSONReadError) {
    if depth > 512 { throw error("nested too deeply", field: field) }
    switch peek() {
    case 0x7B:
      position += 1
      if consume(0x7D) { return }
      while true {
        _ = try parseString(field: field)
        try expect(0x3A, field: field)
        try skipValue(field: field, depth: depth + 1)
        if consume(0x2C) { continue }
        try expect(0x7D, field: field)
        return
      }
    case 0x5B:
      position += 1
      if consume(0x5D) { return }
      while true {
        try skipValue(field: field, depth: depth + 1)
        if consume(0x2C) { continue }
        try expect(0x5D, field: field)
        return
      }
    case 0x22: _ = try parseString(field: field)
    case 0x74: if !consumeLiteral("true") { throw error("invalid literal", field: field) }
    case 0x66: if !consumeLiteral("false") { throw error("invalid literal", field: field) }
    case 0x6E: if !consumeLiteral("null") { throw error("invalid literal", field: field) }
    default: _ = try parseDouble(field: field)
    }
  }

  /// Iterates over an object's keys; `body` must consume the value.
  public mutating func parseObject(field: String?, _ body: (inout JSONScanner, String) throws(JSONReadError) -> Void)
    throws(JSONReadError)
  {
    try expect(0x7B, field: field)
    if consume(0x7D) { return }
    while true {
      let key = try parseString(field: field)
      try expect(0x3A, field: field)
      try body(&self, key)
      if consume(0x2C) { continue }
      if consume(0x7D) { return }
      throw error("expected ',' or '}' in object, found \(describeNext())", field: field)
    }
  }
}

enum ConicJSONReader {
  static func read(_ input: [UInt8], path: String) throws(ConicFileError) -> ConicFile {
    var bytes = input
    bytes.append(0)
    let result: Result<ConicFile, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
      var scanner = JSONScanner(buffer)
      do throws(JSONReadError) {
        return .success(try readDocument(&scanner, path: path))
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let file): return file
    case .failure(let error):
      if error.offset < 0 {
        throw ConicFileError(path: path, field: error.field, message: error.message)
      }
      var line = 1
      for k in 0..<min(error.offset, input.count) where input[k] == 0x0A { line += 1 }
      throw ConicFileError(path: path, line: line, field: error.field, message: error.message)
    }
  }

  struct RawCSC {
    var m: Int?
    var n: Int?
    var colptr: [Int]?
    var rowval: [Int]?
    var nzval: [Double]?
  }

  static func readDocument(_ s: inout JSONScanner, path: String) throws(JSONReadError) -> ConicFile {
    var P: RawCSC?
    var A: RawCSC?
    var q: [Double]?
    var b: [Double]?
    var cones: [ConeSpec]?
    var objectiveConstant = 0.0
    var name: String?
    var knownOptimum: Double?
    var sense = ObjectiveSense.minimize
    if s.peek() != 0x7B { throw s.error("expected a JSON object ('{') at the top level, found \(s.describeNext())") }
    try s.parseObject(field: nil) { (s: inout JSONScanner, key: String) throws(JSONReadError) in
      switch key {
      case "P": P = try parseCSC(&s, field: "P")
      case "A": A = try parseCSC(&s, field: "A")
      case "q": q = try s.parseDoubleArray(field: "q")
      case "b": b = try s.parseDoubleArray(field: "b")
      case "cones": cones = try parseCones(&s)
      case "objective_constant":
        if s.peek() == 0x6E, s.consumeLiteral("null") { objectiveConstant = 0 } else {
          objectiveConstant = try s.parseDouble(field: "objective_constant")
        }
      case "name":
        if s.peek() == 0x22 { name = try s.parseString(field: "name") } else { try s.skipValue(field: "name") }
      case "meta":
        guard s.peek() == 0x7B else { try s.skipValue(field: "meta"); return }
        try s.parseObject(field: "meta") { (s: inout JSONScanner, key: String) throws(JSONReadError) in
          switch key {
          case "known_optimum":
            if s.peek() == 0x6E, s.consumeLiteral("null") { return }
            knownOptimum = try s.parseDouble(field: "meta.known_optimum")
          case "objective_sense":
            let at = s.position
            let text = try s.parseString(field: "meta.objective_sense")
            switch text.lowercased() {
            case "min", "minimize": sense = .minimize
            case "max", "maximize": sense = .maximize
            default:
              throw JSONReadError(
                offset: at, field: "meta.objective_sense", message: "is '\(text)', expected \"min\" or \"max\"")
            }
          default: try s.skipValue(field: "meta.\(key)")
          }
        }
      default: try s.skipValue(field: key)
      }
    }
    if s.peek() != 0 { throw s.error("unexpected \(s.describeNext()) after the top-level object") }
    guard let P else { throw JSONReadError(offset: -1, field: "P", message: "is missing") }
    guard let q else { throw JSONReadError(offset: -1, field: "q", message: "is missing") }
    guard let A else { throw JSONReadError(offset: -1, field: "A", message: "is missing") }
    guard let b else { throw JSONReadError(offset: -1, field: "b", message: "is missing") }
    guard let cones else { throw JSONReadError(offset: -1, field: "cones", message: "is missing") }
    let matrixP = try checkedCSC(P, field: "P")
    let matrixA = try checkedCSC(A, field: "A")
    if matrixP.rowCount == matrixP.columnCount, let message = lowerTriangleProblem(matrixP) {
      throw JSONReadError(offset: -1, field: "P", message: message)
    }
    do {
      let problem = try ConicProblem(
        P: matrixP, q: q, A: matrixA, b: b, cones: cones, objectiveConstant: objectiveConstant, name: name)
      return ConicFile(problem: problem, objectiveSense: sense, knownOptimum: knownOptimum)
    } catch {
      throw JSONReadError(offset: -1, field: error.field, message: error.message)
    }
  }

  static func parseCSC(_ s: inout JSONScanner, field: String) throws(JSONReadError) -> RawCSC {
    var raw = RawCSC()
    try s.parseObject(field: field) { (s: inout JSONScanner, key: String) throws(JSONReadError) in
      switch key {
      case "m": raw.m = try s.parseInt(field: "\(field).m")
      case "n": raw.n = try s.parseInt(field: "\(field).n")
      case "colptr": raw.colptr = try s.parseIntArray(field: "\(field).colptr")
      case "rowval": raw.rowval = try s.parseIntArray(field: "\(field).rowval")
      case "nzval": raw.nzval = try s.parseDoubleArray(field: "\(field).nzval")
      default: try s.skipValue(field: "\(field).\(key)")
      }
    }
    return raw
  }

  /// Checks a CSC matrix's arrays with messages that name the array; sorts rows within columns
  /// (summing duplicates) when the file's columns are not sorted.
  static func checkedCSC(_ raw: RawCSC, field: String) throws(JSONReadError) -> SparseMatrixCSC {
    func fail(_ sub: String, _ message: String) -> JSONReadError {
      JSONReadError(offset: -1, field: "\(field).\(sub)", message: message)
    }
    guard let m = raw.m else { throw fail("m", "is missing") }
    guard let n = raw.n else { throw fail("n", "is missing") }
    guard let colptr = raw.colptr else { throw fail("colptr", "is missing") }
    guard let rowval = raw.rowval else { throw fail("rowval", "is missing") }
    guard let nzval = raw.nzval else { throw fail("nzval", "is missing") }
    if m < 0 { throw fail("m", "is negative (\(m))") }
    if n < 0 { throw fail("n", "is negative (\(n))") }
    if colptr.count != n + 1 { throw fail("colptr", "has \(colptr.count) entries, expected n+1 = \(n + 1)") }
    if colptr[0] != 0 { throw fail("colptr", "colptr[0] is \(colptr[0]), expected 0") }
    for j in 0..<n where colptr[j + 1] < colptr[j] {
      throw fail("colptr", "decreases at column \(j) (\(colptr[j]) > \(colptr[j + 1]))")
    }
    if rowval.count != colptr[n] { throw fail("rowval", "has \(rowval.count) entries, but colptr[n] = \(colptr[n])") }
    if nzval.count != colptr[n] { throw fail("nzval", "has \(nzval.count) entries, but colptr[n] = \(colptr[n])") }
    var sorted = true
    for j in 0..<n {
      var previous = -1
      for p in colptr[j]..<colptr[j + 1] {
        let i = rowval[p]
        if i < 0 || i >= m { throw fail("rowval", "rowval[\(p)] = \(i) is outside 0..<\(m) (m = \(m))") }
        if i <= previous { sorted = false }
        previous = i
      }
    }
    for (k, v) in nzval.enumerated() where !v.isFinite {
      throw fail("nzval", "nzval[\(k)] is \(v) (not finite)")
    }
    let matrix = SparseMatrixCSC(
      uncheckedRowCount: m, columnCount: n, columnPointers: colptr, rowIndices: rowval, values: nzval)
    if sorted { return matrix }
    var columns = [Int](repeating: 0, count: rowval.count)
    for j in 0..<n { for p in colptr[j]..<colptr[j + 1] { columns[p] = j } }
    return SparseMatrixCSC(rowCount: m, columnCount: n, rows: rowval, columns: columns, values: nzval)
  }

  static func parseCones(_ s: inout JSONScanner) throws(JSONReadError) -> [ConeSpec] {
    try s.expect(0x5B, field: "cones")
    var cones: [ConeSpec] = []
    if s.consume(0x5D) { return cones }
    while true {
      let field = "cones[\(cones.count)]"
      if s.peek() != 0x7B {
        throw s.error("expected an object like {\"ZeroConeT\": 3}, found \(s.describeNext())", field: field)
      }
      var cone: ConeSpec?
      let objectStart = s.position
      try s.parseObject(field: field) { (s: inout JSONScanner, key: String) throws(JSONReadError) in
        if cone != nil {
          throw JSONReadError(offset: objectStart, field: field, message: "has more than one key; give one cone per object")
        }
        let at = s.position
        let make: (Int) -> ConeSpec
        switch key {
        case "ZeroConeT": make = ConeSpec.zero
        case "NonnegativeConeT": make = ConeSpec.nonnegative
        case "SecondOrderConeT": make = ConeSpec.secondOrder
        default:
          throw JSONReadError(
            offset: at, field: field,
            message: "unknown cone '\(key)' (supported: ZeroConeT, NonnegativeConeT, SecondOrderConeT)")
        }
        let d = try s.parseInt(field: field)
        if d < 0 { throw JSONReadError(offset: at, field: field, message: "\(key) has negative dimension \(d)") }
        cone = make(d)
      }
      guard let cone else {
        throw JSONReadError(offset: objectStart, field: field, message: "is an empty object; expected e.g. {\"ZeroConeT\": 3}")
      }
      cones.append(cone)
      if s.consume(0x2C) { continue }
      if s.consume(0x5D) { return cones }
      throw s.error("expected ',' or ']' in array, found \(s.describeNext())", field: "cones")
    }
  }

  /// For a square `P` with entries below the diagonal: says whether it is a full symmetric matrix
  /// (give only its upper triangle) or not symmetric at all. `nil` when `P` is upper triangular.
  static func lowerTriangleProblem(_ P: SparseMatrixCSC) -> String? {
    var lowerCount = 0
    var firstLower: (Int, Int)?
    for j in 0..<P.columnCount {
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] where P.rowIndices[p] > j {
        lowerCount += 1
        if firstLower == nil { firstLower = (P.rowIndices[p], j) }
      }
    }
    guard let (i0, j0) = firstLower else { return nil }
    func entry(_ i: Int, _ j: Int) -> Double {
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] where P.rowIndices[p] == i { return P.values[p] }
      return 0
    }
    for j in 0..<P.columnCount {
      for p in P.columnPointers[j]..<P.columnPointers[j + 1] where P.rowIndices[p] != j {
        let i = P.rowIndices[p]
        let mirror = entry(j, i)
        if mirror != P.values[p] {
          return "is not symmetric: P[\(i),\(j)] = \(P.values[p]) but P[\(j),\(i)] = \(mirror); "
            + "P must be symmetric and is stored as its upper triangle (row ≤ column)"
        }
      }
    }
    return "has \(lowerCount) entries below the diagonal (first at (\(i0), \(j0))): it is a full symmetric "
      + "matrix, but the file must hold only the upper triangle (row ≤ column), as Clarabel expects"
  }
}

enum ConicJSONWriter {
  static func write(_ file: ConicFile) -> String {
    let problem = file.problem
    var out = ""
    out.reserveCapacity(64 + 24 * (problem.P.nonzeroCount + problem.A.nonzeroCount) + 24 * (problem.q.count + problem.b.count))
    out += "{\"format\":\"conic-json-v1\""
    if let name = problem.name { out += ",\"name\":" + quoted(name) }
    out += ",\"n\":\(problem.variableCount),\"m\":\(problem.constraintCount)"
    out += ",\"objective_constant\":" + formatNumber(problem.objectiveConstant)
    out += ",\n\"P\":"
    appendCSC(problem.P, to: &out)
    out += ",\n\"q\":"
    appendArray(problem.q, to: &out)
    out += ",\n\"A\":"
    appendCSC(problem.A, to: &out)
    out += ",\n\"b\":"
    appendArray(problem.b, to: &out)
    out += ",\n\"cones\":["
    for (k, cone) in problem.cones.enumerated() {
      if k > 0 { out += "," }
      switch cone {
      case .zero(let d): out += "{\"ZeroConeT\":\(d)}"
      case .nonnegative(let d): out += "{\"NonnegativeConeT\":\(d)}"
      case .secondOrder(let d): out += "{\"SecondOrderConeT\":\(d)}"
      }
    }
    out += "],\n\"meta\":{\"objective_sense\":\"" + (file.objectiveSense == .maximize ? "max" : "min") + "\""
    if let known = file.knownOptimum, known.isFinite { out += ",\"known_optimum\":" + formatNumber(known) }
    out += "}}\n"
    return out
  }

  static func appendCSC(_ M: SparseMatrixCSC, to out: inout String) {
    out += "{\"m\":\(M.rowCount),\"n\":\(M.columnCount),\"colptr\":["
    for (k, v) in M.columnPointers.enumerated() {
      if k > 0 { out += "," }
      out += String(v)
    }
    out += "],\"rowval\":["
    for (k, v) in M.rowIndices.enumerated() {
      if k > 0 { out += "," }
      out += String(v)
    }
    out += "],\"nzval\":"
    appendArray(M.values, to: &out)
    out += "}"
  }

  static func appendArray(_ values: [Double], to out: inout String) {
    out += "["
    for (k, v) in values.enumerated() {
      if k > 0 { out += "," }
      out += formatNumber(v)
    }
    out += "]"
  }

  static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}

/// JSON text helpers shared by the writers of every Osprey file format.
public enum JSONText {
  /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
  public static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

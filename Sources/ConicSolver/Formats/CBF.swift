import LinearAlgebra

// The Conic Benchmark Format (CBF) of CBLIB, versions 1–3, restricted to linear and second-order
// cones. See docs/formats/cbf.md for the mapping to Clarabel's form.

/// A CBF cone domain this reader supports.
enum CBFDomain: Equatable {
  case free, nonnegative, nonpositive, zero, quadratic, rotatedQuadratic

  init?(_ token: Substring) {
    switch token {
    case "F": self = .free
    case "L+": self = .nonnegative
    case "L-": self = .nonpositive
    case "L=": self = .zero
    case "Q": self = .quadratic
    case "QR": self = .rotatedQuadratic
    default: return nil
    }
  }

  /// Why an unsupported domain token is rejected.
  static func rejection(_ token: Substring) -> String {
    if token == "EXP" || token == "EXP*" { return "exponential cone domain '\(token)' is not supported" }
    if token.contains("POW") { return "power cone domain '\(token)' is not supported" }
    if token.contains("PSD") { return "PSD domain '\(token)' is not supported" }
    return "unknown cone domain '\(token)' (supported: F, L+, L-, L=, Q, QR)"
  }
}

enum CBFReader {
  struct Block {
    var domain: CBFDomain
    var size: Int
  }

  /// Where one CBF row (of `g = Ax + b`, or of a variable block) goes in Clarabel form:
  /// up to two target rows with a coefficient each (two for the first rows of a `QR` block).
  struct Target {
    var section: UInt8  // 0 zero, 1 nonnegative, 2 second-order, 3 none (free)
    var row: Int
    var coefficient: Double
  }

  static func read(_ bytes: [UInt8], path: String) throws(ConicFileError) -> ConicFile {
    var lines = TextLines(bytes)
    func next(_ keyword: String) throws(ConicFileError) -> TextLines.Line {
      guard let line = lines.next(skipping: { $0.tokens.isEmpty || $0.tokens[0].hasPrefix("#") }) else {
        throw ConicFileError(
          path: path, line: lines.lastLineNumber, field: keyword, message: "unexpected end of file")
      }
      return line
    }
    func fail(_ line: TextLines.Line, _ keyword: String, _ message: String) -> ConicFileError {
      ConicFileError(path: path, line: line.number, field: keyword, message: message)
    }
    func int(_ line: TextLines.Line, _ k: Int, _ keyword: String, what: String) throws(ConicFileError) -> Int {
      guard k < line.tokens.count else { throw fail(line, keyword, "missing \(what)") }
      guard let value = Int(line.tokens[k]) else {
        throw fail(line, keyword, "\(what) '\(line.tokens[k])' is not an integer")
      }
      return value
    }
    func double(_ line: TextLines.Line, _ k: Int, _ keyword: String, what: String) throws(ConicFileError) -> Double {
      guard k < line.tokens.count else { throw fail(line, keyword, "missing \(what)") }
      guard let value = Double(line.tokens[k]) else {
        throw fail(line, keyword, "\(what) '\(line.tokens[k])' is not a number")
      }
      guard value.isFinite else { throw fail(line, keyword, "\(what) is \(value) (not finite)") }
      return value
    }
    func blocks(_ header: TextLines.Line, _ keyword: String) throws(ConicFileError) -> (Int, [Block]) {
      let total = try int(header, 0, keyword, what: "dimension")
      let count = try int(header, 1, keyword, what: "number of cones")
      if total < 0 || count < 0 { throw fail(header, keyword, "negative size") }
      var result: [Block] = []
      var sum = 0
      for _ in 0..<count {
        let line = try next(keyword)
        guard let domain = CBFDomain(line.tokens[0]) else {
          throw fail(line, keyword, CBFDomain.rejection(line.tokens[0]))
        }
        let size = try int(line, 1, keyword, what: "cone size")
        if size < 0 { throw fail(line, keyword, "cone size \(size) is negative") }
        if domain == .quadratic && size < 1 { throw fail(line, keyword, "Q cone needs size ≥ 1, got \(size)") }
        if domain == .rotatedQuadratic && size < 2 { throw fail(line, keyword, "QR cone needs size ≥ 2, got \(size)") }
        result.append(Block(domain: domain, size: size))
        sum += size
      }
      if sum != total {
        throw fail(header, keyword, "cone sizes add up to \(sum), but the header says \(total)")
      }
      return (total, result)
    }

    var version: Int?
    var sense = ObjectiveSense.minimize
    var n: Int?
    var varBlocks: [Block] = []
    var m: Int?
    var conBlocks: [Block] = []
    var objectiveColumns: [(Int, Double)] = []
    var objectiveConstant = 0.0
    var aEntries: [(row: Int, column: Int, value: Double)] = []
    var bEntries: [(row: Int, value: Double)] = []
    var seen: Set<String> = []

    while let line = lines.next(skipping: { $0.tokens.isEmpty || $0.tokens[0].hasPrefix("#") }) {
      let keyword = String(line.tokens[0])
      if version == nil && keyword != "VER" {
        throw fail(line, keyword, "the file must start with VER (found \(keyword))")
      }
      if seen.contains(keyword) { throw fail(line, keyword, "appears twice") }
      seen.insert(keyword)
      switch keyword {
      case "VER":
        let v = try int(try next(keyword), 0, keyword, what: "version")
        if v < 1 || v > 3 {
          throw fail(line, keyword, "version \(v) is not supported (this reader handles CBF versions 1–3)")
        }
        version = v
      case "OBJSENSE":
        let value = try next(keyword)
        switch value.tokens[0] {
        case "MIN": sense = .minimize
        case "MAX": sense = .maximize
        default: throw fail(value, keyword, "is '\(value.tokens[0])', expected MIN or MAX")
        }
      case "VAR":
        (n, varBlocks) = try blocks(try next(keyword), keyword)
      case "CON":
        (m, conBlocks) = try blocks(try next(keyword), keyword)
      case "INT":
        throw fail(line, keyword, "integer variables are not supported (this is a continuous conic reader)")
      case "PSDVAR", "PSDCON", "OBJFCOORD", "FCOORD", "HCOORD", "DCOORD":
        throw fail(line, keyword, "PSD not supported (semidefinite variables and constraints cannot be read)")
      case "POWCONES", "POW*CONES":
        throw fail(line, keyword, "power cones are not supported")
      case "OBJACOORD", "ACOORD", "BCOORD":
        guard let n else { throw fail(line, keyword, "appears before VAR") }
        let mm = m ?? 0
        if keyword != "OBJACOORD" && m == nil { throw fail(line, keyword, "appears before CON") }
        let count = try int(try next(keyword), 0, keyword, what: "number of entries")
        if count < 0 { throw fail(line, keyword, "negative number of entries") }
        for _ in 0..<count {
          let entry = try next(keyword)
          switch keyword {
          case "OBJACOORD":
            let j = try int(entry, 0, keyword, what: "variable index")
            if j < 0 || j >= n { throw fail(entry, keyword, "variable index \(j) is outside 0..<\(n)") }
            objectiveColumns.append((j, try double(entry, 1, keyword, what: "value")))
          case "ACOORD":
            let i = try int(entry, 0, keyword, what: "constraint index")
            let j = try int(entry, 1, keyword, what: "variable index")
            if i < 0 || i >= mm { throw fail(entry, keyword, "constraint index \(i) is outside 0..<\(mm)") }
            if j < 0 || j >= n { throw fail(entry, keyword, "variable index \(j) is outside 0..<\(n)") }
            aEntries.append((i, j, try double(entry, 2, keyword, what: "value")))
          default:
            let i = try int(entry, 0, keyword, what: "constraint index")
            if i < 0 || i >= mm { throw fail(entry, keyword, "constraint index \(i) is outside 0..<\(mm)") }
            bEntries.append((i, try double(entry, 1, keyword, what: "value")))
          }
        }
      case "OBJBCOORD":
        objectiveConstant = try double(try next(keyword), 0, keyword, what: "value")
      default:
        throw fail(line, keyword, "unknown keyword '\(keyword)'")
      }
    }
    guard let n else {
      throw ConicFileError(path: path, line: lines.lastLineNumber, field: "VAR", message: "is missing")
    }
    // Place every CBF row and variable: constraints first, then variable domains.
    var assembler = ConicRowAssembler(columnCount: n)
    func place(_ blocks: [Block], into targets: inout [Target], secondary: inout [Target?]) {
      let half = 1.0 / 2.0.squareRoot()
      for block in blocks {
        switch block.domain {
        case .free:
          for _ in 0..<block.size { targets.append(Target(section: 3, row: 0, coefficient: 0)); secondary.append(nil) }
        case .zero:
          for _ in 0..<block.size {
            targets.append(Target(section: 0, row: assembler.zero.addRow(rhs: 0), coefficient: 1))
            secondary.append(nil)
          }
        case .nonnegative, .nonpositive:
          let sign: Double = block.domain == .nonnegative ? 1 : -1
          for _ in 0..<block.size {
            targets.append(Target(section: 1, row: assembler.nonnegative.addRow(rhs: 0), coefficient: sign))
            secondary.append(nil)
          }
        case .quadratic:
          for _ in 0..<block.size {
            targets.append(Target(section: 2, row: assembler.secondOrder.addRow(rhs: 0), coefficient: 1))
            secondary.append(nil)
          }
          assembler.secondOrderDimensions.append(block.size)
        case .rotatedQuadratic:
          // (u1, u2, w) ∈ QR  ⇔  ((u1 + u2)/√2, (u1 − u2)/√2, w) ∈ Q.
          let t = assembler.secondOrder.addRow(rhs: 0)
          let v = assembler.secondOrder.addRow(rhs: 0)
          targets.append(Target(section: 2, row: t, coefficient: half))
          secondary.append(Target(section: 2, row: v, coefficient: half))
          targets.append(Target(section: 2, row: t, coefficient: half))
          secondary.append(Target(section: 2, row: v, coefficient: -half))
          for _ in 2..<block.size {
            targets.append(Target(section: 2, row: assembler.secondOrder.addRow(rhs: 0), coefficient: 1))
            secondary.append(nil)
          }
          assembler.secondOrderDimensions.append(block.size)
        }
      }
    }
    var conTargets: [Target] = []
    var conSecondary: [Target?] = []
    place(conBlocks, into: &conTargets, secondary: &conSecondary)
    var varTargets: [Target] = []
    var varSecondary: [Target?] = []
    place(varBlocks, into: &varTargets, secondary: &varSecondary)

    // s = T (g) with g = A x + b gives  −T A x + s = T b.
    func addEntry(_ target: Target, column: Int, value: Double) {
      switch target.section {
      case 0: assembler.zero.add(row: target.row, column: column, value: -target.coefficient * value)
      case 1: assembler.nonnegative.add(row: target.row, column: column, value: -target.coefficient * value)
      case 2: assembler.secondOrder.add(row: target.row, column: column, value: -target.coefficient * value)
      default: break
      }
    }
    func addRHS(_ target: Target, value: Double) {
      switch target.section {
      case 0: assembler.zero.b[target.row] += target.coefficient * value
      case 1: assembler.nonnegative.b[target.row] += target.coefficient * value
      case 2: assembler.secondOrder.b[target.row] += target.coefficient * value
      default: break
      }
    }
    for (i, j, value) in aEntries {
      addEntry(conTargets[i], column: j, value: value)
      if let second = conSecondary[i] { addEntry(second, column: j, value: value) }
    }
    for (i, value) in bEntries {
      addRHS(conTargets[i], value: value)
      if let second = conSecondary[i] { addRHS(second, value: value) }
    }
    for j in 0..<n {
      addEntry(varTargets[j], column: j, value: 1)
      if let second = varSecondary[j] { addEntry(second, column: j, value: 1) }
    }
    let (A, b, cones) = assembler.assemble()
    var q = [Double](repeating: 0, count: n)
    for (j, value) in objectiveColumns { q[j] += value }
    if sense == .maximize {
      for j in 0..<n { q[j] = -q[j] }
      objectiveConstant = -objectiveConstant
    }
    do {
      let problem = try ConicProblem(
        P: .zeros(rowCount: n, columnCount: n), q: q, A: A, b: b, cones: cones,
        objectiveConstant: objectiveConstant, name: problemName(fromPath: path))
      return ConicFile(problem: problem, objectiveSense: sense)
    } catch {
      throw ConicFileError(path: path, error)
    }
  }
}

/// The file name without folder and extension, or `nil` for text that did not come from a file.
func problemName(fromPath path: String) -> String? {
  if path.hasPrefix("<") { return nil }
  let base = path.split(separator: "/").last.map(String.init) ?? path
  if let dot = base.firstIndex(of: "."), dot != base.startIndex { return String(base[..<dot]) }
  return base
}

enum CBFWriter {
  static func write(_ file: ConicFile) throws(ConicFileError) -> String {
    let problem = file.problem.withRowsInReaderOrder()
    let path = problem.name ?? "<problem>"
    if problem.P.values.contains(where: { $0 != 0 }) {
      throw ConicFileError(
        path: path, field: "P",
        message: "CBF (versions 1–3) has no quadratic objective; write this problem as JSON or MPS")
    }
    let sign: Double = file.objectiveSense == .maximize ? -1 : 1
    let n = problem.variableCount
    let m = problem.constraintCount
    var out = "# Conic Benchmark Format, written by Osprey\n"
    if let name = problem.name { out += "# name: \(String(name.map { $0.isNewline ? " " : $0 }))\n" }
    out += "VER\n3\n\n"
    out += "OBJSENSE\n" + (file.objectiveSense == .maximize ? "MAX" : "MIN") + "\n\n"
    out += "VAR\n\(n) 1\nF \(n)\n\n"
    if m > 0 {
      // Clarabel rows s = b − A x ∈ K are CBF rows g = −A x + b ∈ K with the matching domain.
      out += "CON\n\(m) \(problem.cones.count)\n"
      for cone in problem.cones {
        switch cone {
        case .zero(let d): out += "L= \(d)\n"
        case .nonnegative(let d): out += "L+ \(d)\n"
        case .secondOrder(let d): out += "Q \(d)\n"
        }
      }
      out += "\n"
    }
    let objectiveNonzeros = problem.q.indices.filter { problem.q[$0] != 0 }
    if !objectiveNonzeros.isEmpty {
      out += "OBJACOORD\n\(objectiveNonzeros.count)\n"
      for j in objectiveNonzeros { out += "\(j) " + formatNumber(sign * problem.q[j]) + "\n" }
      out += "\n"
    }
    if problem.objectiveConstant != 0 {
      out += "OBJBCOORD\n" + formatNumber(sign * problem.objectiveConstant) + "\n\n"
    }
    if problem.A.nonzeroCount > 0 {
      out += "ACOORD\n\(problem.A.nonzeroCount)\n"
      for j in 0..<n {
        for p in problem.A.columnPointers[j]..<problem.A.columnPointers[j + 1] {
          out += "\(problem.A.rowIndices[p]) \(j) " + formatNumber(-problem.A.values[p]) + "\n"
        }
      }
      out += "\n"
    }
    let rhsNonzeros = problem.b.indices.filter { problem.b[$0] != 0 }
    if !rhsNonzeros.isEmpty {
      out += "BCOORD\n\(rhsNonzeros.count)\n"
      for i in rhsNonzeros { out += "\(i) " + formatNumber(problem.b[i]) + "\n" }
    }
    return out
  }
}

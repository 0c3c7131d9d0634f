import LinearAlgebra

// Free MPS with the QPS extensions (QUADOBJ, QMATRIX), and fixed MPS whose names contain no
// blanks. See docs/formats/mps.md for the mapping to Clarabel's form.

enum MPSReader {
  /// Values at or beyond this magnitude in RHS, RANGES and BOUNDS mean "no bound" (CPLEX's convention).
  static let infinity = 1e20

  enum Section: String {
    case name = "NAME", objsense = "OBJSENSE", objname = "OBJNAME", rows = "ROWS", columns = "COLUMNS"
    case rhs = "RHS", ranges = "RANGES", bounds = "BOUNDS", quadobj = "QUADOBJ", qmatrix = "QMATRIX"
    case endata = "ENDATA"
  }

  /// Where one MPS row's entries go in Clarabel form.
  struct Target {
    var section: UInt8  // 0 zero, 1 nonnegative
    var row: Int
    var coefficient: Double
  }

  static func read(_ bytes: [UInt8], path: String) throws(ConicFileError) -> ConicFile {
    var lines = TextLines(bytes)
    var section: Section?
    var name: String?
    var sense = ObjectiveSense.minimize
    var objectiveRow: String?
    var ignoredRows: Set<String> = []
    var rowIndex: [String: Int] = [:]
    var rowTypes: [UInt8] = []  // E, L, G
    var columnIndex: [String: Int] = [:]
    var columnNames: [String] = []
    var entries: [(row: Int, column: Int, value: Double)] = []
    var objective: [Double] = []
    var rhs: [Double] = []
    var ranges: [Double?] = []
    var objectiveConstant = 0.0
    var lower: [Double] = []
    var upper: [Double] = []
    var lowerGiven: [Bool] = []
    var rhsSet: Substring?
    var rangeSet: Substring?
    var boundSet: Substring?
    var quadratic: [(i: Int, j: Int, value: Double, line: Int, full: Bool)] = []
    var sawEnd = false

    func fail(_ line: TextLines.Line, _ message: String) -> ConicFileError {
      ConicFileError(path: path, line: line.number, field: section?.rawValue, message: message)
    }
    func number(_ line: TextLines.Line, _ token: Substring) throws(ConicFileError) -> Double {
      guard let value = Double(token) else { throw fail(line, "'\(token)' is not a number") }
      if value.isNaN { throw fail(line, "value is NaN") }
      return value
    }
    func column(_ line: TextLines.Line, _ token: Substring) throws(ConicFileError) -> Int {
      guard let j = columnIndex[String(token)] else { throw fail(line, "unknown column '\(token)'") }
      return j
    }
    /// Splits `[set] row value [row value]` into pairs; the set name is there when the count is odd.
    func pairs(_ line: TextLines.Line, set: inout Substring?) throws(ConicFileError) -> [(Substring, Substring)]? {
      let t = line.tokens
      guard t.count >= 2 && t.count <= 5 else { throw fail(line, "expected [set] row value [row value]") }
      let start = t.count % 2
      if start == 1 {
        if set == nil { set = t[0] }
        if set != t[0] { return nil }  // only the first RHS/RANGES set is used
      }
      var result: [(Substring, Substring)] = []
      var k = start
      while k + 1 < t.count {
        result.append((t[k], t[k + 1]))
        k += 2
      }
      return result
    }

    while let line = lines.next(skipping: { $0.tokens.isEmpty || $0.tokens[0].hasPrefix("*") }) {
      let first = line.tokens[0]
      if !line.isIndented, let header = Section(rawValue: first.uppercased()) {
        section = header
        switch header {
        case .name: name = line.tokens.dropFirst().joined(separator: " ")
        case .objsense:
          if line.tokens.count > 1 { sense = try parseSense(line, line.tokens[1], fail) }
        case .endata: sawEnd = true
        default: break
        }
        if sawEnd { break }
        continue
      }
      if !line.isIndented, section == nil || ["QSECTION", "QCMATRIX", "CSECTION", "SOS", "INDICATORS", "SETS"].contains(first.uppercased()) {
        throw ConicFileError(path: path, line: line.number, field: String(first), message: "section '\(first)' is not supported")
      }
      guard let current = section else { throw fail(line, "data before any section header") }
      switch current {
      case .name, .objname:
        break
      case .objsense:
        sense = try parseSense(line, first, fail)
      case .rows:
        guard line.tokens.count >= 2 else { throw fail(line, "expected a row type and a row name") }
        let rowName = String(line.tokens[1])
        switch first.uppercased() {
        case "N":
          if objectiveRow == nil { objectiveRow = rowName } else { ignoredRows.insert(rowName) }
        case "E", "L", "G":
          if rowIndex[rowName] != nil || rowName == objectiveRow { throw fail(line, "row '\(rowName)' is defined twice") }
          rowIndex[rowName] = rowTypes.count
          rowTypes.append(first.uppercased().utf8.first!)
          rhs.append(0)
          ranges.append(nil)
        default: throw fail(line, "unknown row type '\(first)' (expected N, E, L or G)")
        }
      case .columns:
        if line.tokens.count >= 3, line.tokens[1] == "'MARKER'" {
          let marker = line.tokens[2]
          if marker == "'INTORG'" {
            throw fail(line, "integer variables (MARKER INTORG) are not supported")
          }
          continue
        }
        guard line.tokens.count == 3 || line.tokens.count == 5 else {
          throw fail(line, "expected column row value [row value]")
        }
        let columnName = String(first)
        let j: Int
        if let existing = columnIndex[columnName] {
          j = existing
        } else {
          j = columnNames.count
          columnIndex[columnName] = j
          columnNames.append(columnName)
          objective.append(0)
          lower.append(0)
          upper.append(.infinity)
          lowerGiven.append(false)
        }
        var k = 1
        while k + 1 < line.tokens.count {
          let rowName = String(line.tokens[k])
          let value = try number(line, line.tokens[k + 1])
          if rowName == objectiveRow {
            objective[j] += value
          } else if let i = rowIndex[rowName] {
            entries.append((i, j, value))
          } else if !ignoredRows.contains(rowName) {
            throw fail(line, "unknown row '\(rowName)'")
          }
          k += 2
        }
      case .rhs, .ranges:
        var set = current == .rhs ? rhsSet : rangeSet
        let found = try pairs(line, set: &set)
        if current == .rhs { rhsSet = set } else { rangeSet = set }
        guard let found else { continue }
        for (rowToken, valueToken) in found {
          let rowName = String(rowToken)
          let value = try number(line, valueToken)
          if rowName == objectiveRow {
            if current == .rhs { objectiveConstant = -value }
          } else if let i = rowIndex[rowName] {
            if current == .rhs { rhs[i] = value } else { ranges[i] = value }
          } else if !ignoredRows.contains(rowName) {
            throw fail(line, "unknown row '\(rowName)'")
          }
        }
      case .bounds:
        let t = line.tokens
        let type = first.uppercased()
        let hasValue: Bool
        switch type {
        case "UP", "LO", "FX": hasValue = true
        case "FR", "MI", "PL": hasValue = false
        case "BV", "LI", "UI", "SC":
          throw fail(line, "bound type \(type) (integer or semi-continuous variable) is not supported")
        default: throw fail(line, "unknown bound type '\(first)' (supported: UP, LO, FX, FR, MI, PL)")
        }
        let columnToken: Substring
        var value = 0.0
        let setToken: Substring?
        if hasValue {
          guard t.count == 3 || t.count == 4 else { throw fail(line, "expected \(type) [set] column value") }
          setToken = t.count == 4 ? t[1] : nil
          columnToken = t[t.count - 2]
          value = try number(line, t[t.count - 1])
        } else {
          guard t.count == 2 || t.count == 3 || t.count == 4 else { throw fail(line, "expected \(type) [set] column") }
          setToken = t.count >= 3 ? t[1] : nil
          columnToken = t.count >= 3 ? t[2] : t[1]
        }
        if let setToken {
          if boundSet == nil { boundSet = setToken }
          if boundSet != setToken { continue }  // only the first BOUNDS set is used
        }
        let j = try column(line, columnToken)
        switch type {
        case "UP":
          upper[j] = value >= infinity ? .infinity : value
          // Classic MPS rule: a negative upper bound with no lower bound given makes the lower bound −∞.
          if value < 0 && !lowerGiven[j] { lower[j] = -.infinity }
        case "LO":
          lower[j] = value <= -infinity ? -.infinity : value
          lowerGiven[j] = true
        case "FX":
          lower[j] = value
          upper[j] = value
          lowerGiven[j] = true
        case "FR":
          lower[j] = -.infinity
          upper[j] = .infinity
          lowerGiven[j] = true
        case "MI":
          lower[j] = -.infinity
          lowerGiven[j] = true
        default:  // PL
          upper[j] = .infinity
        }
      case .quadobj, .qmatrix:
        guard line.tokens.count == 3 else { throw fail(line, "expected column column value") }
        let i = try column(line, line.tokens[0])
        let j = try column(line, line.tokens[1])
        quadratic.append((i, j, try number(line, line.tokens[2]), line.number, current == .qmatrix))
      case .endata:
        break
      }
    }
    if !sawEnd {
      throw ConicFileError(path: path, line: lines.lastLineNumber, field: "ENDATA", message: "is missing (file truncated?)")
    }
    if objectiveRow == nil && rowTypes.isEmpty && columnNames.isEmpty {
      throw ConicFileError(path: path, field: "ROWS", message: "no rows or columns found")
    }

    // Objective: ½ xᵀQx + cᵀx + c₀ with P = upper triangle of Q.
    let n = columnNames.count
    var pRows: [Int] = []
    var pColumns: [Int] = []
    var pValues: [Double] = []
    // QUADOBJ lists each off-diagonal pair once (either triangle); QMATRIX lists the full symmetric Q.
    var fullEntries: [Int64: (Double, Int)] = [:]
    let usesQMatrix = quadratic.contains { $0.full }
    for (i, j, value, lineNumber, full) in quadratic {
      if full {
        let key = Int64(i) << 32 | Int64(j)
        let (old, _) = fullEntries[key] ?? (0, lineNumber)
        fullEntries[key] = (old + value, lineNumber)
      } else {
        pRows.append(min(i, j))
        pColumns.append(max(i, j))
        pValues.append(value)
      }
    }
    if usesQMatrix {
      for (key, (value, lineNumber)) in fullEntries.sorted(by: { $0.value.1 < $1.value.1 }) {
        let i = Int(key >> 32)
        let j = Int(key & 0xFFFF_FFFF)
        let mirror = fullEntries[Int64(j) << 32 | Int64(i)]?.0 ?? 0
        if mirror != value {
          throw ConicFileError(
            path: path, line: lineNumber, field: "QMATRIX",
            message: "is not symmetric: (\(columnNames[i]), \(columnNames[j])) = \(value) but (\(columnNames[j]), \(columnNames[i])) = \(mirror)")
        }
        if i <= j {
          pRows.append(i)
          pColumns.append(j)
          pValues.append(value)
        }
      }
    }
    var P = SparseMatrixCSC(rowCount: n, columnCount: n, rows: pRows, columns: pColumns, values: pValues)
    var q = objective

    // Rows: E rows and fixed bounds in the zero cone, then L/G/ranged rows and finite bounds as
    // nonnegative rows a x ≤ u and −a x ≤ −l.
    var assembler = ConicRowAssembler(columnCount: n)
    var targets: [[Target]] = Array(repeating: [], count: rowTypes.count)
    for i in 0..<rowTypes.count {
      var lo: Double
      var hi: Double
      let r = rhs[i]
      switch rowTypes[i] {
      case UInt8(ascii: "E"):
        lo = r
        hi = r
        if let range = ranges[i] {
          if range > 0 { hi = r + range } else if range < 0 { lo = r + range }
        }
      case UInt8(ascii: "L"):
        hi = r
        lo = ranges[i].map { r - abs($0) } ?? -.infinity
      default:
        lo = r
        hi = ranges[i].map { r + abs($0) } ?? .infinity
      }
      if lo <= -infinity { lo = -.infinity }
      if hi >= infinity { hi = .infinity }
      if lo == hi {
        targets[i].append(Target(section: 0, row: assembler.zero.addRow(rhs: hi), coefficient: 1))
        continue
      }
      if hi.isFinite { targets[i].append(Target(section: 1, row: assembler.nonnegative.addRow(rhs: hi), coefficient: 1)) }
      if lo.isFinite { targets[i].append(Target(section: 1, row: assembler.nonnegative.addRow(rhs: -lo), coefficient: -1)) }
    }
    for (i, j, value) in entries {
      for target in targets[i] {
        if target.section == 0 {
          assembler.zero.add(row: target.row, column: j, value: target.coefficient * value)
        } else {
          assembler.nonnegative.add(row: target.row, column: j, value: target.coefficient * value)
        }
      }
    }
    for j in 0..<n {
      let lo = lower[j] <= -infinity ? -Double.infinity : lower[j]
      let hi = upper[j] >= infinity ? Double.infinity : upper[j]
      if lo == hi {
        assembler.zero.add(row: assembler.zero.addRow(rhs: hi), column: j, value: 1)
        continue
      }
      if lo.isFinite { assembler.nonnegative.add(row: assembler.nonnegative.addRow(rhs: -lo), column: j, value: -1) }
      if hi.isFinite { assembler.nonnegative.add(row: assembler.nonnegative.addRow(rhs: hi), column: j, value: 1) }
    }
    let (A, b, cones) = assembler.assemble()
    if sense == .maximize {
      for k in q.indices { q[k] = -q[k] }
      for k in P.values.indices { P.values[k] = -P.values[k] }
      objectiveConstant = -objectiveConstant
    }
    do {
      let problem = try ConicProblem(
        P: P, q: q, A: A, b: b, cones: cones, objectiveConstant: objectiveConstant,
        name: (name?.isEmpty == false ? name : nil) ?? problemName(fromPath: path))
      return ConicFile(problem: problem, objectiveSense: sense)
    } catch {
      throw ConicFileError(path: path, error)
    }
  }

  private static func parseSense(
    _ line: TextLines.Line, _ token: Substring, _ fail: (TextLines.Line, String) -> ConicFileError
  ) throws(ConicFileError) -> ObjectiveSense {
    switch token.uppercased() {
    case "MIN", "MINIMIZE": return .minimize
    case "MAX", "MAXIMIZE": return .maximize
    default: throw fail(line, "objective sense '\(token)' is not MIN or MAX")
    }
  }
}

enum MPSWriter {
  /// Writes free MPS: zero-cone rows as E rows, nonnegative rows as L rows, every column free (FR),
  /// `P` as QUADOBJ (upper triangle, each off-diagonal pair once) and the constant as `−RHS` of the
  /// objective row.
  static func write(_ file: ConicFile) throws(ConicFileError) -> String {
    let problem = file.problem.withRowsInReaderOrder()
    if problem.cones.contains(where: { if case .secondOrder = $0 { return true } else { return false } }) {
      throw ConicFileError(
        path: problem.name ?? "<problem>", field: "cones",
        message: "MPS cannot hold second-order cones; write this problem as JSON or CBF")
    }
    let sign: Double = file.objectiveSense == .maximize ? -1 : 1
    let n = problem.variableCount
    let m = problem.constraintCount
    var zeroCount = 0
    for cone in problem.cones { if case .zero(let d) = cone { zeroCount += d } }
    var out = "* Free MPS, written by Osprey\n"
    let name = problem.name.map { String($0.map { $0.isWhitespace ? "_" : $0 }) } ?? "PROBLEM"
    out += "NAME \(name)\n"
    if file.objectiveSense == .maximize { out += "OBJSENSE\n    MAX\n" }
    out += "ROWS\n N  OBJ\n"
    for i in 0..<m { out += (i < zeroCount ? " E  R\(i)\n" : " L  R\(i)\n") }
    out += "COLUMNS\n"
    for j in 0..<n {
      let start = problem.A.columnPointers[j]
      let end = problem.A.columnPointers[j + 1]
      if problem.q[j] != 0 || start == end {
        out += "    C\(j) OBJ " + formatNumber(sign * problem.q[j]) + "\n"
      }
      for p in start..<end {
        out += "    C\(j) R\(problem.A.rowIndices[p]) " + formatNumber(problem.A.values[p]) + "\n"
      }
    }
    out += "RHS\n"
    if problem.objectiveConstant != 0 {
      out += "    RHS OBJ " + formatNumber(-sign * problem.objectiveConstant) + "\n"
    }
    for i in 0..<m where problem.b[i] != 0 { out += "    RHS R\(i) " + formatNumber(problem.b[i]) + "\n" }
    out += "BOUNDS\n"
    for j in 0..<n { out += " FR BND C\(j)\n" }
    if problem.P.nonzeroCount > 0 {
      out += "QUADOBJ\n"
      for j in 0..<n {
        for p in problem.P.columnPointers[j]..<problem.P.columnPointers[j + 1] {
          out += "    C\(j) C\(problem.P.rowIndices[p]) " + formatNumber(sign * problem.P.values[p]) + "\n"
        }
      }
    }
    out += "ENDATA\n"
    return out
  }
}

/// A plain-text table with a header, aligned columns and a rule under the header.
///
/// ```
/// name          status   iters
/// ------------  -------  -----
/// netlib_afiro  solved       8
/// ```
public struct TextTable: Sendable {
  /// How a column's cells line up.
  public enum Alignment: Sendable { case left, right }

  /// A column: its title and alignment.
  public struct Column: Sendable {
    public var title: String
    public var alignment: Alignment
    public init(_ title: String, _ alignment: Alignment = .left) {
      self.title = title
      self.alignment = alignment
    }
  }

  public var columns: [Column]
  public private(set) var rows: [[String]] = []
  /// Spaces between columns. Default 2.
  public var gap: Int = 2

  public init(columns: [Column]) { self.columns = columns }

  /// Appends a row; it must have one cell per column.
  public mutating func append(_ row: [String]) {
    precondition(row.count == columns.count, "row has \(row.count) cells, the table \(columns.count) columns")
    rows.append(row)
  }

  /// The table as lines of text, without trailing spaces.
  ///
  /// - Complexity: O(total characters).
  public func render() -> String {
    var widths = columns.map { $0.title.count }
    for row in rows {
      for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (k, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[k] - cell.count)
        if k > 0 { text += String(repeating: " ", count: gap) }
        text += columns[k].alignment == .left ? cell + padding : padding + cell
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    var lines = [line(columns.map(\.title))]
    lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: String(repeating: " ", count: gap)))
    lines += rows.map(line)
    return lines.joined(separator: "\n")
  }
}

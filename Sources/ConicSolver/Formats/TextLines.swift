/// The lines of a text file, tokenized on blanks, with 1-based line numbers; shared by the
/// line-oriented readers (CBF, MPS).
struct TextLines {
  struct Line {
    var number: Int
    /// The line without its end-of-line characters.
    var text: Substring
    /// Whitespace-separated tokens.
    var tokens: [Substring]
    /// Whether the line starts with a blank (MPS: data lines do, section headers do not).
    var isIndented: Bool
  }

  private let lines: [Substring]
  private var index = 0

  init(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// The next line, or `nil` at the end; `skip` decides which lines (comments, blanks) to pass over.
  mutating func next(skipping skip: (Line) -> Bool) -> Line? {
    while index < lines.count {
      var text = lines[index]
      index += 1
      if text.last == "\r" { text = text.dropLast() }
      let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
      let first = text.first
      let line = Line(number: index, text: text, tokens: tokens, isIndented: first == " " || first == "\t")
      if skip(line) { continue }
      return line
    }
    return nil
  }

  /// The number of the last line handed out (for "unexpected end of file" errors).
  var lastLineNumber: Int { index }
}

import Testing

@testable import OspreyCLI

@Suite struct TableTests {
  @Test func alignsColumnsUnderARule() {
    var table = TextTable(columns: [.init("name"), .init("iters", .right), .init("status")])
    table.append(["netlib_afiro", "8", "solved"])
    table.append(["hs21", "12", "max_iterations"])
    #expect(
      table.render() == """
        name          iters  status
        ------------  -----  --------------
        netlib_afiro      8  solved
        hs21             12  max_iterations
        """)
  }

  @Test func emptyTableIsHeaderAndRule() {
    let table = TextTable(columns: [.init("a"), .init("bb", .right)])
    #expect(table.render() == "a  bb\n-  --")
  }

  @Test func countsCharactersNotBytes() {
    var table = TextTable(columns: [.init("t", .right), .init("x")])
    table.append(["412 µs", "é"])
    #expect(table.render().split(separator: "\n").last == "412 µs  é")
  }
}

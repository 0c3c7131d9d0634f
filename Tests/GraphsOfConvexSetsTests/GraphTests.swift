import ConvexSets
import Testing
@testable import GraphsOfConvexSets

@Suite struct GraphTests {
  @Test func duplicateNamesAreRejected() throws {
    var g = GraphOfConvexSets()
    try g.addVertex(Point([0]), name: "s")
    #expect(throws: GCSError.self) { try g.addVertex(Point([1]), name: "s") }
  }
}

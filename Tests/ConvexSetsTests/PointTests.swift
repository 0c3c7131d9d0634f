import Testing
@testable import ConvexSets

@Suite struct PointTests {
  @Test func membershipUsesTolerance() throws {
    let p = try Point([1, 2])
    #expect(p.contains([1, 2]))
    #expect(p.contains([1 + 1e-10, 2]))
    #expect(!p.contains([1.1, 2]))
  }

  @Test func rejectsNonFinite() {
    #expect(throws: ConvexSetError(field: "x[1]", message: "is nan (not finite)")) { try Point([0, .nan]) }
  }
}

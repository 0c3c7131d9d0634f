import Testing

@testable import OspreyCLI

@Suite struct FormattingTests {
  @Test func numbers() {
    #expect(Formatting.number(-464.75314285714285) == "-464.7531429")
    #expect(Formatting.number(Double.nan) == "-")
    #expect(Formatting.number(Double.infinity) == "inf")
    #expect(Formatting.number(nil as Double?) == "-")
    #expect(Formatting.number(1e-6, significantDigits: 1) == "1e-06")
  }

  @Test func durationsPickAUnit() {
    #expect(Formatting.duration(seconds: 0.000412) == "412 µs")
    #expect(Formatting.duration(seconds: 0.00321) == "3.21 ms")
    #expect(Formatting.duration(seconds: 1.25) == "1.25 s")
    #expect(Formatting.duration(seconds: .nan) == "-")
  }

  @Test func relativeDifferenceIsAbsoluteNearZero() {
    #expect(relativeDifference(-464.7531424399, reference: -464.7531428571).map { $0 < 1e-9 } == true)
    #expect(relativeDifference(1e-3, reference: 0) == 1e-3)
    #expect(relativeDifference(nil, reference: 1) == nil)
    #expect(relativeDifference(.nan, reference: 1) == nil)
    #expect(Formatting.scientific(1.25e-9) == "1.2e-09" || Formatting.scientific(1.25e-9) == "1.3e-09")
  }
}

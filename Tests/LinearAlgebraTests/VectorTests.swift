import LinearAlgebra
import Testing

@Suite struct VectorTests {
  @Test func dotNormsAxpyScaled() {
    let x: [Double] = [3, -4]
    #expect(x.dot([1, 2]) == -5)
    #expect(x.norm2 == 5)
    #expect(x.normInf == 4)
    var y: [Double] = [1, 1]
    y.axpy(2, x)
    #expect(y == [7, -7])
    #expect(x.scaled(by: -0.5) == [-1.5, 2])
    #expect([Double]().norm2 == 0 && [Double]().normInf == 0)
  }

  @Test func norm2NeitherOverflowsNorUnderflows() {
    // Naive sqrt(Σx²) overflows to inf for 1e200 and underflows to 0 for 1e-200.
    #expect(abs([3e200, 4e200].norm2 / 5e200 - 1) <= 1e-15)
    #expect(abs([3e-200, 4e-200].norm2 / 5e-200 - 1) <= 1e-15)
  }

  @Test func normInfPropagatesNaN() {
    #expect([1, .nan, 2].normInf.isNaN)
  }
}

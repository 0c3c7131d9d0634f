import ConvexSets
import Testing
@testable import GraphsOfConvexSets

@Suite struct BezierCurveTests {
  /// Random control points in [−2, 2]ᵈ.
  static func randomCurve(order: Int, dimension: Int, seed: UInt64) -> BezierCurve {
    var rng = SeededGenerator(seed: seed)
    return BezierCurve(controlPoints: (0...order).map { _ in (0..<dimension).map { _ in 4 * rng.nextUnit() - 2 } })
  }

  @Test func endpointsAndMidpointOfAQuadratic() {
    let r = BezierCurve(controlPoints: [[0, 0], [1, 2], [2, 0]])
    #expect(r.order == 2)
    #expect(r.dimension == 2)
    #expect(r.value(at: 0) == [0, 0])
    #expect(r.value(at: 1) == [2, 0])
    // (q₀ + 2q₁ + q₂)/4, exact in binary floating point.
    #expect(r.value(at: 0.5) == [1, 1])
    #expect(r.controlPolygonLength == 2 * 5.0.squareRoot())
  }

  @Test func derivativesMatchCentralFiniteDifferences() {
    // Central differences with step δ = 1e-5 have truncation error δ²/6 · |r'''| ≲ 1e-9 (|r'''| ≤
    // n³ · 8 on these curves) and rounding error ~ 1e-16/δ = 1e-11; tolerance 1e-7 leaves margin.
    let delta = 1e-5
    for (seed, order) in [(UInt64(1), 1), (2, 2), (3, 3), (4, 5)] {
      let r = Self.randomCurve(order: order, dimension: 3, seed: seed)
      for s in stride(from: 0.1, through: 0.9, by: 0.2) {
        for k in 1...min(order, 2) {
          let lower = r.derivativeValue(order: k - 1, at: s - delta)
          let upper = r.derivativeValue(order: k - 1, at: s + delta)
          let exact = r.derivativeValue(order: k, at: s)
          for j in 0..<3 {
            let fd = (upper[j] - lower[j]) / (2 * delta)
            #expect(abs(fd - exact[j]) <= 1e-7 * max(1, abs(exact[j])), "order \(order), k \(k), s \(s): \(fd) vs \(exact[j])")
          }
        }
      }
    }
  }

  @Test func derivativeBeyondTheOrderIsZero() {
    let r = Self.randomCurve(order: 2, dimension: 2, seed: 7)
    #expect(r.derivative(order: 3).controlPoints == [[0, 0]])
    #expect(r.derivative(order: 0) == r)
  }

  @Test func endpointDerivativeWeightsMatchTheDerivativeCurve() {
    for order in 0...5 {
      let r = Self.randomCurve(order: order, dimension: 2, seed: UInt64(10 + order))
      for k in 0...(order + 1) {
        let start = BezierCurve.startDerivativeWeights(order: order, derivative: k)
        let end = BezierCurve.endDerivativeWeights(order: order, derivative: k)
        let atStart = r.derivativeValue(order: k, at: 0)
        let atEnd = r.derivativeValue(order: k, at: 1)
        for j in 0..<2 {
          let fromStart = (0...order).reduce(0.0) { $0 + start[$1] * r.controlPoints[$1][j] }
          let fromEnd = (0...order).reduce(0.0) { $0 + end[$1] * r.controlPoints[$1][j] }
          // Sums of ≤ 6 terms of size ≤ 5!·2⁵·2: relative rounding error far below 1e-12.
          #expect(abs(fromStart - atStart[j]) <= 1e-12 * max(1, abs(atStart[j])), "order \(order), k \(k)")
          #expect(abs(fromEnd - atEnd[j]) <= 1e-12 * max(1, abs(atEnd[j])), "order \(order), k \(k)")
        }
      }
    }
    #expect(BezierCurve.startDerivativeWeights(order: 3, derivative: 1) == [-3, 3, 0, 0])
    #expect(BezierCurve.endDerivativeWeights(order: 3, derivative: 2) == [0, 6, -12, 6])
  }

  @Test func curveStaysInTheBoundingBoxOfItsControlPoints() {
    let r = Self.randomCurve(order: 4, dimension: 2, seed: 21)
    for j in 0..<2 {
      let lo = r.controlPoints.map { $0[j] }.min()!
      let hi = r.controlPoints.map { $0[j] }.max()!
      for s in stride(from: 0.0, through: 1.0, by: 0.01) {
        let x = r.value(at: s)[j]
        // de Casteljau forms convex combinations: within rounding (1e-15) of the hull.
        #expect(x >= lo - 1e-14 && x <= hi + 1e-14)
      }
    }
  }
}

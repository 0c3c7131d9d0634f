import Testing
@testable import GraphsOfConvexSets

@Suite struct PiecewiseBezierTrajectoryTests {
  /// Two cubic segments in the plane, durations 2 and 0.5, starting at t = 0.
  static func twoSegments() -> PiecewiseBezierTrajectory {
    let a = BezierCurve(controlPoints: [[0, 0], [1, 0], [2, 1], [3, 1]])
    let b = BezierCurve(controlPoints: [[3, 1], [4, 1], [4, 3], [5, 2]])
    return PiecewiseBezierTrajectory(paths: [a, b], durations: [2, 0.5])
  }

  @Test func timesAndSegmentLookup() {
    let q = Self.twoSegments()
    #expect(q.startTime == 0)
    #expect(q.endTime == 2.5)
    #expect(q.duration == 2.5)
    #expect(q.dimension == 2)
    #expect(q.segmentIndex(at: 1.99) == 0)
    #expect(q.segmentIndex(at: 2) == 1)  // the later segment at a join
    #expect(q.segmentIndex(at: -1) == 0)
    #expect(q.segmentIndex(at: 9) == 1)
    #expect(q.position(at: -1) == [0, 0])  // clamped
    #expect(q.position(at: 9) == [5, 2])
    #expect(q.position(at: 2) == [3, 1])
  }

  @Test func timeDerivativesFollowTheChainRule() {
    // q̇ = r'(s)/h, q̈ = r''(s)/h²: compare with central differences in t (step 1e-6 inside a
    // segment; truncation ≲ δ² |q'''| ≈ 1e-12 · 6/h³ ≤ 1e-10, rounding ≈ 1e-16/δ = 1e-10).
    let q = Self.twoSegments()
    let delta = 1e-6
    for t in [0.3, 1.1, 1.9, 2.1, 2.4] {
      let v = q.velocity(at: t)
      let a = q.acceleration(at: t)
      let vPlus = q.velocity(at: t + delta)
      let vMinus = q.velocity(at: t - delta)
      let xPlus = q.position(at: t + delta)
      let xMinus = q.position(at: t - delta)
      for j in 0..<2 {
        let fdVelocity = (xPlus[j] - xMinus[j]) / (2 * delta)
        let fdAcceleration = (vPlus[j] - vMinus[j]) / (2 * delta)
        #expect(abs(fdVelocity - v[j]) <= 1e-6 * max(1, abs(v[j])), "t \(t): \(fdVelocity) vs \(v[j])")
        #expect(abs(fdAcceleration - a[j]) <= 1e-5 * max(1, abs(a[j])), "t \(t): \(fdAcceleration) vs \(a[j])")
      }
    }
    // Explicitly: at t = 0 the first segment's velocity is 3 (q₁ − q₀)/h = (1.5, 0).
    #expect(q.velocity(at: 0) == [1.5, 0])
    // The second segment is 4× faster in time: at its start 3 (q₁ − q₀)/0.5 = (6, 0).
    #expect(q.velocity(at: 2) == [6, 0])
  }

  @Test func samplesRunFromStartToEndInclusive() {
    let q = Self.twoSegments()
    let s = q.samples(dt: 0.5)
    #expect(s.map(\.time) == [0, 0.5, 1, 1.5, 2, 2.5])
    let t = q.samples(dt: 0.7)
    let expected = [0, 0.7, 1.4, 2.1, 2.5]
    #expect(t.count == expected.count)
    for (sample, time) in zip(t, expected) { #expect(abs(sample.time - time) < 1e-12) }
    #expect(t.last!.time == 2.5)
    #expect(t.last!.position == [5, 2])
    #expect(t.first!.velocity == q.velocity(at: 0))
    #expect(q.samples(dt: 10).map(\.time) == [0, 2.5])
  }

  @Test func normalizedSegmentTimesKeepThePaths() {
    let q = Self.twoSegments().normalizedSegmentTimes()
    #expect(q.segments.map(\.duration) == [1, 1])
    #expect(q.segments.map(\.startTime) == [0, 1])
    #expect(q.segments.map(\.path) == Self.twoSegments().segments.map(\.path))
  }
}

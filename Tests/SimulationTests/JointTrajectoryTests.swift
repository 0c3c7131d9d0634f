import Simulation
import Testing

struct JointTrajectoryTests {
  /// The minimum-jerk segment starts and ends at rest at its end points, passes the midpoint at
  /// half time, and stays on the straight line between them (1e-12: a handful of roundings).
  @Test func minimumJerkSegmentJoinsItsEndsAtRest() {
    let segment = MinimumJerkSegment(from: [0, 1, -1], to: [1, -1, -1], durationSeconds: 2)
    #expect(segment.position(atSeconds: 0) == [0, 1, -1])
    #expect(segment.position(atSeconds: 2) == [1, -1, -1])
    #expect(segment.position(atSeconds: 5) == [1, -1, -1])
    #expect(segment.velocity(atSeconds: 0).allSatisfy { abs($0) < 1e-15 } && segment.velocity(atSeconds: 2).allSatisfy { abs($0) < 1e-12 })
    let middle = segment.position(atSeconds: 1)
    #expect(abs(middle[0] - 0.5) < 1e-12 && abs(middle[1]) < 1e-12 && middle[2] == -1)
    for t in stride(from: 0.0, through: 2, by: 0.1) {
      let q = segment.position(atSeconds: t)
      #expect(abs(q[1] - (1 - 2 * q[0])) < 1e-12, "off the line at t = \(t)")
    }
    #expect(abs(segment.lengthRadians - 5.0.squareRoot()) < 1e-15)
  }

  /// The duration keeps the sampled peak speed and acceleration of every joint within its limits,
  /// with one of them reached (to 1e-3 of the limit: the 1 ms sampling misses the peak by less),
  /// and never goes below the minimum.
  @Test func durationRespectsSpeedAndAccelerationLimits() {
    let start = [0.0, 0.2, -0.3], end = [1.2, -0.4, 0.0]
    let speed = [0.7, 0.8, 1.2], acceleration = [2.0, 0.5, 3.0]
    let seconds = MinimumJerkSegment.duration(from: start, to: end, speedLimits: speed, accelerationLimits: acceleration)
    let segment = MinimumJerkSegment(from: start, to: end, durationSeconds: seconds)
    var peakSpeedRatio = 0.0, peakAccelerationRatio = 0.0
    let dt = 1e-3
    var previous = segment.velocity(atSeconds: 0)
    for k in 1...Int((seconds / dt).rounded(.up)) {
      let v = segment.velocity(atSeconds: Double(k) * dt)
      for i in 0..<3 {
        peakSpeedRatio = max(peakSpeedRatio, abs(v[i]) / speed[i])
        peakAccelerationRatio = max(peakAccelerationRatio, abs(v[i] - previous[i]) / dt / acceleration[i])
      }
      previous = v
    }
    #expect(peakSpeedRatio <= 1 + 1e-9 && peakAccelerationRatio <= 1 + 1e-3)
    #expect(max(peakSpeedRatio, peakAccelerationRatio) > 1 - 1e-3, "speed \(peakSpeedRatio), acceleration \(peakAccelerationRatio) of the limits")
    #expect(MinimumJerkSegment.duration(from: start, to: start, speedLimits: speed, accelerationLimits: acceleration, minimumSeconds: 0.25) == 0.25)
  }
}

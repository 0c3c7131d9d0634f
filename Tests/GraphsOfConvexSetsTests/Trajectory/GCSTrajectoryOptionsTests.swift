import ConvexSets
import Testing
@testable import GraphsOfConvexSets

@Suite struct GCSTrajectoryOptionsTests {
  @Test func defaultsAreTheDocumentedOnes() {
    let o = GCSTrajectoryOptions()
    #expect(o.order == 3)
    #expect(o.minimumSegmentDuration == 1e-6)
    #expect(o.maximumSegmentDuration == 20)
    #expect(o.timeCostWeight == 1)
    #expect(o.pathLengthCostWeight == 1)
    #expect(o.pathEnergyCostWeight == 0)
    #expect(o.velocityBounds == nil)
    #expect(o.pathContinuityOrder == 1)
    #expect(o.shortestPath == GCSOptions())
  }

  @Test func badOptionsNameTheirField() throws {
    let box = try Hyperrectangle(lb: [0, 0], ub: [1, 1])
    func error(_ change: (inout GCSTrajectoryOptions) -> Void) -> GCSError? {
      var o = GCSTrajectoryOptions()
      change(&o)
      do {
        _ = try GCSTrajectoryOptimization(regions: [box], options: o)
        return nil
      } catch {
        return error
      }
    }
    #expect(error { $0.order = 0 }?.field == "options.order")
    #expect(error { $0.minimumSegmentDuration = 0 }?.field == "options.minimumSegmentDuration")
    #expect(error { $0.maximumSegmentDuration = 1e-7 }?.field == "options.maximumSegmentDuration")
    #expect(error { $0.timeCostWeight = -1 }?.field == "options.timeCostWeight")
    #expect(error { $0.pathContinuityOrder = 4 }?.field == "options.pathContinuityOrder")
    #expect(error { $0.velocityBounds = .symmetric([1]) }?.message == "has 1 lower and 1 upper entries, expected 2")
    #expect(error { $0.velocityBounds = .init(lower: [0, 2], upper: [1, 1]) }?.field == "options.velocityBounds[1]")
    #expect(error { $0.velocityBounds = .init(lower: [-.infinity, 0], upper: [.infinity, 1]) } == nil)
  }

  @Test func statusFollowsTheShortestPathStatus() {
    #expect(GCSTrajectoryStatus(.optimal) == .solved)
    #expect(GCSTrajectoryStatus(.feasible) == .solved)
    #expect(GCSTrajectoryStatus(.infeasible) == .infeasible)
    #expect(GCSTrajectoryStatus(.error) == .error)
    #expect(GCSTrajectoryStatus.solved.rawValue == "solved")
  }
}

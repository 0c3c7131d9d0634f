import ConicSolver
import LinearAlgebra
import Testing
@testable import ConvexSets

/// Checks every set type against the `ConvexSet` contract: its conic description and `contains`
/// agree, its perspective vanishes at `t = 0`, and the derived queries are consistent with each
/// other and with samples.
@Suite struct ConvexSetConformanceTests {
  /// Points in the bounding box grown by half its size on each side, plus a point of the set.
  static func probePoints(_ set: some ConvexSet, count: Int, seed: UInt64) throws -> [[Double]] {
    let box = try #require(set.boundingBox())
    var rng = SeededGenerator(seed: seed)
    var points: [[Double]] = [try #require(set.closestPoint(to: box.center))]
    for _ in 0..<count {
      points.append(box.lb.indices.map { i in
        let width = max(box.ub[i] - box.lb[i], 1)
        return box.lb[i] - 0.5 * width + 2 * width * rng.nextUnit()
      })
    }
    return points
  }

  /// Whether `M [p; w] + c ∈ K` has a solution `w`, by a feasibility solve with `x` fixed to `p`.
  static func descriptionContains(_ description: ConicSetDescription, _ p: [Double]) -> Bool? {
    let minimizer = LinearMinimizer(description.intersected(with: try! Point(p).conicDescription))
    switch minimizer.feasibility() {
    case .feasible: return true
    case .infeasible: return false
    case .undecided: return nil
    }
  }

  @Test(arguments: Fixtures.conformance)
  func descriptionAgreesWithContains(_ fixture: SetFixture) throws {
    let set = fixture.set
    let description = set.conicDescription
    #expect(description.dimension == set.ambientDimension)
    var checkedInside = 0
    var checkedOutside = 0
    for p in try Self.probePoints(set, count: 24, seed: 11) {
      // Inside: within 1e-7 (VPolytope membership is itself an LP at that accuracy). Outside: by
      // more than 1e-3 in the set's constraint units. Points in between are too close to the
      // boundary for either answer to be wrong, and are skipped.
      let inside = set.contains(p, tolerance: 1e-7)
      let clearlyOutside = !set.contains(p, tolerance: 1e-3)
      guard inside || clearlyOutside else { continue }
      let answer = try #require(Self.descriptionContains(description, p), "undecided solve at \(p)")
      #expect(answer == inside, "\(fixture.name): description says \(answer) at \(p), contains says \(inside)")
      if inside { checkedInside += 1 } else { checkedOutside += 1 }
    }
    #expect(checkedInside >= 1)
    #expect(checkedOutside >= 5)
  }

  @Test(arguments: Fixtures.conformance)
  func perspectiveAtZeroIsTheOrigin(_ fixture: SetFixture) throws {
    // For a bounded set, {x : M [x; w] + c·0 ∈ K} = {0}: every coordinate's max and min are 0.
    let n = fixture.set.ambientDimension
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(n))
    let t = builder.addVariables(1).lowerBound
    builder.addConstraint(.zero, [.variable(t)])
    fixture.set.conicDescription.addConstraints(to: &builder, point: x, scale: t)
    let solver = try InteriorPointSolver(problem: try builder.build())
    for i in 0..<n {
      for sign in [1.0, -1.0] {
        var q = [Double](repeating: 0, count: builder.variableCount)
        q[x[i]] = sign
        try solver.update(q: q)
        let result = solver.solve()
        #expect(result.status.hasSolution, "\(fixture.name): status \(result.status) for ±x[\(i)]")
        // The solver's feasibility tolerance is 1e-8; 1e-6 leaves room for equilibration.
        #expect(abs(result.x[x[i]]) <= 1e-6, "\(fixture.name): x[\(i)] = \(result.x[x[i]]) at t = 0")
      }
    }
  }

  @Test(arguments: Fixtures.conformance)
  func perspectiveAtTwoIsTheDoubledSet(_ fixture: SetFixture) throws {
    let set = fixture.set
    let box = try #require(set.boundingBox())
    let p = try #require(set.closestPoint(to: box.center))
    let n = set.ambientDimension
    var builder = ConicProgramBuilder()
    let x = Array(builder.addVariables(n))
    let t = builder.addVariables(1).lowerBound
    builder.addConstraint(.zero, [AffineExpression(indices: [t], coefficients: [1], constant: -2)])
    builder.addConstraint(.zero, (0..<n).map { AffineExpression(indices: [x[$0]], coefficients: [1], constant: -2 * p[$0]) })
    set.conicDescription.addConstraints(to: &builder, point: x, scale: t)
    let result = try InteriorPointSolver(problem: try builder.build()).solve()
    #expect(result.status.hasSolution, "\(fixture.name): (2p, 2) should lie in the perspective; status \(result.status)")
  }

  @Test(arguments: Fixtures.conformance)
  func queriesAreConsistent(_ fixture: SetFixture) throws {
    let set = fixture.set
    #expect(!set.isEmpty())
    #expect(set.isBounded())
    #expect(set.genericIsBounded())
    let box = try #require(set.boundingBox())
    let generic = try #require(set.genericBoundingBox())
    // Closed forms against 2n LPs/SOCPs solved to about 1e-8.
    #expect(Fixtures.maxDifference(box.lb, generic.lb) <= 1e-6, "\(fixture.name): lb \(box.lb) vs \(generic.lb)")
    #expect(Fixtures.maxDifference(box.ub, generic.ub) <= 1e-6, "\(fixture.name): ub \(box.ub) vs \(generic.ub)")
    // The closest point to a far point lies in the set, and agrees with the conic QP.
    let far = box.ub.map { $0 + 3 }
    let nearest = try #require(set.closestPoint(to: far))
    let nearestGeneric = try #require(set.genericClosestPoint(to: far))
    #expect(set.contains(nearest, tolerance: 1e-6))
    #expect(Fixtures.maxDifference(nearest, nearestGeneric) <= 1e-5, "\(fixture.name): \(nearest) vs \(nearestGeneric)")
    let meetsItself = set.intersects(set)
    #expect(meetsItself)
  }

  @Test(arguments: Fixtures.conformance)
  func boundingBoxContainsSamples(_ fixture: SetFixture) throws {
    let set = fixture.set
    let box = try #require(set.boundingBox())
    let samples = try set.uniformSamples(count: 40, seed: 5, burnIn: 20, stepsBetweenSamples: 3)
    #expect(samples.count == 40)
    for s in samples {
      // Samples are inside up to the rounding of the chain's updates (1e-9 on unit-size sets).
      #expect(set.contains(s, tolerance: 1e-7), "\(fixture.name): sample \(s) not in the set")
      #expect(box.contains(s, tolerance: 1e-7), "\(fixture.name): sample \(s) outside \(box)")
    }
    if fixture.fullDimensional {
      #expect(Set(samples.map { $0.description }).count > 30, "\(fixture.name): the chain should move")
    }
  }
}

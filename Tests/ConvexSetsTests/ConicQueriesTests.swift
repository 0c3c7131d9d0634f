import ConicSolver
import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct ConicQueriesTests {
  @Test func feasibilityFindsAPointOfTheSet() throws {
    let outcome = LinearMinimizer(Fixtures.unitTriangle.conicDescription).feasibility()
    guard case .feasible(let p) = outcome else {
      Issue.record("expected feasible, got \(outcome)")
      return
    }
    #expect(Fixtures.unitTriangle.contains(p, tolerance: 1e-7))
  }

  @Test func infeasibleEqualitiesAreCertifiedThroughTheSplitRetry() throws {
    // {x = 1} ∩ {x = 2}: equality rows only, the case the solver leaves undecided on its own.
    let both = try Point([1]).conicDescription.intersected(with: try Point([2]).conicDescription)
    #expect(LinearMinimizer(both).feasibility() == .infeasible)
    let withInequality = try Point([1, 1]).conicDescription.intersected(with: Fixtures.unitTriangle.conicDescription)
    #expect(LinearMinimizer(withInequality).feasibility() == .infeasible)
  }

  @Test func minimizeReportsOptimumUnboundedAndInfeasible() throws {
    let minimizer = LinearMinimizer(Fixtures.unitTriangle.conicDescription)
    guard case .optimal(let value, _) = minimizer.minimize([-1, -2]) else {
      Issue.record("expected an optimum")
      return
    }
    // min −x − 2y over the triangle is −2 at (0, 1); the LP is solved to about 1e-8.
    #expect(abs(value + 2) < 1e-7)
    let halfPlane = try HPolyhedron(A: Matrix(rows: [[1, 0]]), b: [1])
    #expect(LinearMinimizer(halfPlane.conicDescription).minimize([-1, 0]) != .unbounded)
    #expect(LinearMinimizer(halfPlane.conicDescription).minimize([1, 0]) == .unbounded)
    let empty = try HPolyhedron(A: Matrix(rows: [[1], [-1]]), b: [0, -1])
    #expect(LinearMinimizer(empty.conicDescription).minimize([1]) == .infeasible)
  }

  @Test func descriptionWithoutRowsIsTheWholeSpace() throws {
    let whole = try HPolyhedron(A: Matrix(rowCount: 0, columnCount: 2, elements: []), b: [])
    let minimizer = LinearMinimizer(whole.conicDescription)
    #expect(minimizer.feasibility() == .feasible([0, 0]))
    #expect(minimizer.minimize([1, 0]) == .unbounded)
    #expect(minimizer.minimize([0, 0]) == .optimal(value: 0, point: [0, 0]))
  }

  @Test func coordinateExtremesOfATriangle() throws {
    guard case .bounded(let extremes) = coordinateExtremes(of: Fixtures.unitTriangle.conicDescription) else {
      Issue.record("expected bounded")
      return
    }
    // LP accuracy about 1e-8.
    #expect(Fixtures.maxDifference(extremes.lower, [0, 0]) < 1e-7)
    #expect(Fixtures.maxDifference(extremes.upper, [1, 1]) < 1e-7)
    #expect(extremes.points.count == 4)
    #expect(Fixtures.unitTriangle.contains(extremes.interiorGuess, tolerance: 1e-7))
    let strip = try HPolyhedron(A: Matrix(rows: [[0, 1], [0, -1]]), b: [1, 1])
    guard case .unbounded = coordinateExtremes(of: strip.conicDescription) else {
      Issue.record("a strip is unbounded")
      return
    }
  }
}

import LinearAlgebra
import Testing

@testable import ConicSolver

/// Dense copy of a CSC matrix, for entry-by-entry comparisons in small fixtures.
func dense(_ M: SparseMatrixCSC) -> [[Double]] {
  var D = [[Double]](repeating: [Double](repeating: 0, count: M.columnCount), count: M.rowCount)
  for j in 0..<M.columnCount {
    for p in M.columnPointers[j]..<M.columnPointers[j + 1] { D[M.rowIndices[p]][j] += M.values[p] }
  }
  return D
}

/// Whether two problems hold the same data (names aside). Values are compared exactly: every
/// conversion in the readers and writers is a sign flip or a shortest round-trip decimal.
func sameData(_ a: ConicProblem, _ b: ConicProblem, tolerance: Double = 0) -> Bool {
  func close(_ x: [Double], _ y: [Double]) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
  }
  let (pa, pb, aa, ab) = (dense(a.P), dense(b.P), dense(a.A), dense(b.A))
  return pa.count == pb.count && zip(pa, pb).allSatisfy { close($0, $1) } && aa.count == ab.count
    && zip(aa, ab).allSatisfy { close($0, $1) } && close(a.q, b.q) && close(a.b, b.b) && a.cones == b.cones
    && abs(a.objectiveConstant - b.objectiveConstant) <= tolerance * max(1, abs(a.objectiveConstant))
}

/// Expects `body` to throw a `ConicFileError` and returns it.
func expectFileError(_ body: () throws -> Void) -> ConicFileError? {
  do {
    try body()
    Issue.record("expected a ConicFileError")
    return nil
  } catch let error as ConicFileError {
    return error
  } catch {
    Issue.record("expected a ConicFileError, got \(error)")
    return nil
  }
}

import ConicSolver
import ConvexSets
import Foundation

extension GraphOfConvexSets {
  /// Solves the shortest-path problem from `source` to `target`.
  ///
  /// Numerical outcomes (infeasible, limits) are statuses in the result; this never throws.
  public func solveShortestPath(
    from source: VertexID, to target: VertexID, options: GCSOptions = GCSOptions()
  ) -> GCSResult {
    fatalError("solveShortestPath: not yet implemented")
  }

  /// Solves the convex restriction of the problem to a given s–t path (the vertices, in order).
  ///
  /// Returns status `.infeasible` with a reason when consecutive vertices are not joined by an edge
  /// or the convex program is infeasible.
  public func solveConvexRestriction(path: [VertexID], options: GCSOptions = GCSOptions()) -> GCSResult {
    fatalError("solveConvexRestriction: not yet implemented")
  }
}

import ConicSolver

extension ConicSetDescription {
  /// Adds the constraint `point ∈ scale · X` to `builder`, where the point's coordinates and the
  /// scale are affine expressions of the builder's variables (fresh auxiliary variables are added).
  ///
  /// This avoids a variable and an equality row per coordinate when the point is, say, a sum or a
  /// difference of other variables.
  /// - Returns: the indices of the auxiliary variables that were added.
  @discardableResult
  public func addConstraints(
    to builder: inout ConicProgramBuilder, pointExpressions x: [AffineExpression], scale: AffineExpression
  ) -> Range<Int> {
    precondition(x.count == dimension, "addConstraints: \(x.count) point expressions for a set of dimension \(dimension)")
    let w = builder.addVariables(auxiliaryCount)
    for block in blocks {
      var expressions: [AffineExpression] = []
      expressions.reserveCapacity(block.rows.count)
      for (r, row) in block.rows.enumerated() {
        var e = AffineExpression()
        for k in row.columns.indices {
          let j = row.columns[k]
          if j < dimension {
            e.add(x[j], scale: row.values[k])
          } else {
            e.add(w.lowerBound + (j - dimension), row.values[k])
          }
        }
        e.add(scale, scale: block.constants[r])
        expressions.append(e)
      }
      builder.addConstraint(block.kind, expressions)
    }
    return w
  }
}

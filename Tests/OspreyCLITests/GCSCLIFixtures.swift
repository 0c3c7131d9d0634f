import Foundation

/// Named fixtures of the `osprey gcs` tests.
enum GCSCLIFixtures {
  /// A 2-D problem with every set kind: a point, a box, a triangle (H-polyhedron), a half-plane
  /// (unbounded H-polyhedron), a pentagon's hull (V-polytope), a tilted ellipse, a box ∩ disc, a segment
  /// vertex (product of two different boxes), a point. Edges follow that order; a side edge to the half-plane.
  static let everyKind2D = """
    {"format": "osprey.gcs", "version": 1, "source": "s", "target": "t",
     "vertices": [
      {"name": "s", "set": {"type": "point", "x": [0, 0]}},
      {"name": "box", "set": {"type": "box", "lb": [1, -1], "ub": [2, 1]}},
      {"name": "tri", "set": {"type": "hpolyhedron", "A": [[-1, 0], [0, -1], [1, 1]], "b": [-3, 0, 5]}},
      {"name": "half", "set": {"type": "hpolyhedron", "A": [[0, 1]], "b": [-2]}},
      {"name": "hull", "set": {"type": "vpolytope", "vertices": [[5, 0], [6, 0], [6.5, 1], [5.5, 1.5], [5.6, 0.5]]}},
      {"name": "ell", "set": {"type": "ellipsoid", "A": [[1.0, 0.8], [0, 2]], "center": [7.5, 0]}},
      {"name": "cap", "set": {"type": "intersection", "sets": [{"type": "box", "lb": [8.5, -1], "ub": [10, 1]}, {"type": "ellipsoid", "A": [[1, 0], [0, 1]], "center": [9, 0]}]}},
      {"name": "seg", "set": {"type": "product", "sets": [{"type": "box", "lb": [10.5, -1], "ub": [11.5, 0]}, {"type": "box", "lb": [10.5, 0.2], "ub": [11.5, 1.2]}]}},
      {"name": "t", "set": {"type": "point", "x": [12, 0]}}
     ],
     "edges": [
      {"from": "s", "to": "box"}, {"from": "box", "to": "tri"}, {"from": "tri", "to": "hull"}, {"from": "hull", "to": "ell"},
      {"from": "ell", "to": "cap"}, {"from": "cap", "to": "seg"}, {"from": "seg", "to": "t"}, {"from": "box", "to": "half"}
     ]}
    """

  /// A solution of `everyKind2D` (points chosen by hand, in their sets): 7 vertices of 2-D points and
  /// the segment vertex, so 9 polyline points.
  static let everyKind2DSolution = """
    {"format": "osprey.gcs.solution", "version": 1, "status": "feasible", "method": "relaxation", "cost": 13.1, "lower_bound": 12.5,
     "path": ["s", "box", "tri", "hull", "ell", "cap", "seg", "t"],
     "x": {"s": [0, 0], "box": [1, 0], "tri": [3, 0.5], "hull": [5.5, 0.5], "ell": [7, 0], "cap": [9, 0], "seg": [11, -0.5, 11, 0.5], "t": [12, 0]}}
    """

  /// A 3-D problem (cannot be drawn).
  static let threeD = """
    {"format": "osprey.gcs", "version": 1, "source": "s", "target": "t",
     "vertices": [{"name": "s", "set": {"type": "point", "x": [0, 0, 0]}}, {"name": "t", "set": {"type": "point", "x": [1, 0, 0]}}],
     "edges": [{"from": "s", "to": "t", "costs": [{"type": "euclidean"}]}]}
    """

  /// The shared benchmark folder `../shared/benchmarks/gcs` next to the package root, or `nil`.
  static var benchmarkFolder: String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folder = root.appendingPathComponent("../shared/benchmarks/gcs").standardized.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      print("note: \(folder) not found; skipping the benchmark-file checks")
      return nil
    }
    return folder
  }
}

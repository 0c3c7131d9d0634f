import ConvexSets
import Foundation
import Testing

@testable import GraphsOfConvexSets

/// Named fixtures and helpers shared by the GCS file tests.
enum GCSFixtures {
  /// A small problem with every set kind, every cost kind and every constraint kind of the format, keys
  /// out of order, unknown keys, `null` bounds and a vertex without costs. One vertex or edge per line,
  /// so error tests can check line numbers.
  static let everyKind = """
    {"format": "osprey.gcs", "version": 1, "source": "s", "target": "t", "comment": {"any": [1, "x", null]},
     "vertices": [
      {"name": "s", "set": {"type": "point", "x": [0, 0]}},
      {"name": "box", "set": {"ub": [1, 1], "lb": [0, -1], "type": "box"}, "costs": [{"type": "linear", "a": [1, 2], "b": 0.5}], "note": "ignored"},
      {"name": "h", "set": {"type": "hpolyhedron", "A": [[1, 0], [0, 1], [-1, -1]], "b": [2, 2, 0]}, "constraints": [{"type": "linear_inequality", "A": [[1, 1]], "lb": [null], "ub": [3]}]},
      {"name": "v", "set": {"type": "vpolytope", "vertices": [[0, 0], [1, 0], [0, 1]]}, "costs": [{"type": "quadratic", "Q": [[2, 0], [0, 2]], "q": [0, 1], "c": 1}]},
      {"name": "e", "set": {"type": "ellipsoid", "A": [[2, 0], [0, 1]], "center": [1, 1]}, "costs": [{"type": "l1norm", "A": [[1, 0]], "b": [0]}, {"type": "linfnorm", "A": [[1, 0], [0, 1]], "b": [1, -1]}]},
      {"name": "i", "set": {"type": "intersection", "sets": [{"type": "box", "lb": [0, 0], "ub": [2, 2]}, {"type": "ellipsoid", "A": [[1, 0], [0, 1]], "center": [1, 1]}]}, "constraints": [{"type": "linear_equality", "A": [[1, -1]], "b": [0]}]},
      {"name": "p", "set": {"type": "product", "sets": [{"type": "point", "x": [1]}, {"type": "box", "lb": [0], "ub": [1]}]}, "costs": null},
      {"name": "t", "set": {"type": "point", "x": [2, 0]}}
     ],
     "edges": [
      {"from": "s", "to": "box", "costs": [{"type": "euclidean"}]},
      {"from": "box", "to": "h", "costs": [{"type": "l2norm", "A": [[-1, 0, 1, 0], [0, -1, 0, 1]], "b": [0, 0]}]},
      {"from": "h", "to": "v", "constraints": [{"type": "linear_inequality", "A": [[1, 0, -1, 0]], "lb": [-1], "ub": [null]}]},
      {"from": "v", "to": "e", "costs": [], "constraints": []},
      {"from": "e", "to": "i"},
      {"from": "i", "to": "p"},
      {"from": "p", "to": "t", "costs": [{"type": "quadratic", "Q": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], "q": [0, 0, 0, 0], "c": 0}]}
     ]}
    """

  /// `everyKind` with one substring replaced (it must occur exactly once).
  static func everyKindWith(_ old: String, _ new: String) -> String {
    precondition(everyKind.components(separatedBy: old).count == 2, "fixture holds \(old) not exactly once")
    return everyKind.replacingOccurrences(of: old, with: new)
  }

  /// The shared benchmark folder `../shared/benchmarks/gcs` next to the package root, or `nil` (with a
  /// note) when this checkout has none.
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

/// Expects `body` to throw a `GCSFileError` and returns it.
func expectGCSFileError(_ body: () throws -> Void) -> GCSFileError? {
  do {
    try body()
    Issue.record("expected a GCSFileError")
    return nil
  } catch let error as GCSFileError {
    return error
  } catch {
    Issue.record("expected a GCSFileError, got \(error)")
    return nil
  }
}

/// The `serialized` text of a set, to compare sets of any kind.
func setText(_ set: any ConvexSet) throws -> String { try GCSFile.writeSet(set, field: "set") }

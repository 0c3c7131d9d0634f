import CTorch
import Foundation

/// Files of named tensors.
///
/// The format is libtorch's: a zip archive holding a pickled `dict[str, Tensor]`, written with
/// `torch::pickle_save`, whose output libtorch documents as readable by Python's `torch.load` (not
/// tested here; see docs/formats/torch-checkpoint.md). Tensors are saved detached, contiguous, on the CPU. Writing goes to
/// `path.partial` and is renamed into place, so a crash never leaves a half-written checkpoint.
public enum Checkpoint {
  /// Writes `entries` (names must be unique) to `path`.
  public static func save(_ entries: [(name: String, tensor: Tensor)], to path: String) throws {
    let names = entries.map { strdup($0.name) }
    defer { names.forEach { free($0) } }
    let namePointers: [UnsafePointer<CChar>?] = names.map { UnsafePointer($0) }
    let handles: [OpaquePointer?] = entries.map { $0.tensor.handle }
    let status = withExtendedLifetime(entries) {
      namePointers.withUnsafeBufferPointer { n in
        handles.withUnsafeBufferPointer { h in ct_save(path, n.baseAddress, h.baseAddress, Int32(entries.count)) }
      }
    }
    try check("Checkpoint.save", status)
  }

  /// Reads the named tensors of `path`, in the file's order.
  ///
  /// A missing, unreadable, truncated or foreign file throws `TorchError` (operation
  /// `"Checkpoint.load"`) with the reason; it never crashes.
  public static func load(from path: String) throws -> [(name: String, tensor: Tensor)] {
    guard let archive = ct_load(path) else { throw TorchError.last("Checkpoint.load") }
    defer { ct_archive_free(archive) }
    let n = Int(ct_archive_count(archive))
    var out: [(name: String, tensor: Tensor)] = []
    out.reserveCapacity(n)
    for i in 0..<n {
      let name = String(cString: ct_archive_name(archive, Int32(i)))
      out.append((name, try wrap("Checkpoint.load", ct_archive_tensor(archive, Int32(i)))))
    }
    return out
  }
}

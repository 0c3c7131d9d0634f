import CTorch

/// A failed libtorch call: the operation that failed and libtorch's own message.
///
/// Every C++ exception thrown inside libtorch (a shape mismatch, an unreadable checkpoint, an index out
/// of range) is caught in the CTorch shim and arrives here; nothing crashes the process.
public struct TorchError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The Swift-level operation, e.g. `"matmul"` or `"Checkpoint.load"`.
  public var operation: String
  /// libtorch's message (without its C++ backtrace), or ours for checks done in Swift.
  public var message: String

  public init(operation: String, message: String) {
    self.operation = operation
    self.message = message
  }

  public var description: String { "torch: \(operation): \(message)" }

  /// The calling thread's last CTorch error, attributed to `operation`.
  static func last(_ operation: String) -> TorchError {
    TorchError(operation: operation, message: String(cString: ct_last_error()))
  }
}

/// Wraps a new handle from CTorch, or throws the thread's last error when it is NULL.
@inline(__always)
func wrap(_ operation: String, _ handle: OpaquePointer?) throws -> Tensor {
  guard let handle else { throw TorchError.last(operation) }
  return Tensor(owning: handle)
}

/// Throws the thread's last error when a CTorch status call returned nonzero.
@inline(__always)
func check(_ operation: String, _ status: Int32) throws {
  if status != 0 { throw TorchError.last(operation) }
}

/// Calls `body` with `values` as a C array of int64 (shapes, dimension lists).
@inline(__always)
func withInt64s<R>(_ values: [Int], _ body: (UnsafePointer<Int64>?, Int32) throws -> R) rethrows -> R {
  let converted = values.map { Int64($0) }
  return try converted.withUnsafeBufferPointer { try body($0.baseAddress, Int32($0.count)) }
}

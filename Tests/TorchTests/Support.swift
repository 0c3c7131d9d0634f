import Testing

@testable import Torch

/// Every Torch suite is nested in this serialized parent: libtorch's generator, thread count and
/// grad mode are global state, so no two Torch tests run at the same time.
@Suite(.serialized) enum TorchTests {}

/// Whether `actual` and `expected` agree elementwise within `tolerance` (absolute).
func isClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5) -> Bool {
  actual.count == expected.count && zip(actual, expected).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}

/// float32 round-off on values of order 1–100 after a handful of operations.
let float32Tolerance: Float = 1e-4

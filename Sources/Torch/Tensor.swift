import CTorch

/// An n-dimensional array in libtorch, with autograd.
///
/// A `Tensor` owns one CTorch handle and frees it in `deinit`. Like `torch::Tensor`, several `Tensor`s
/// may share storage (views, `alias`), and in-place operations (`add_`, `copy_`, …) are visible through
/// all of them. Operations throw `TorchError` with libtorch's message on any failure (shape mismatch,
/// wrong dtype, index out of range). Not thread-safe: use a tensor from one thread at a time.
public final class Tensor {
  let handle: OpaquePointer

  init(owning handle: OpaquePointer) { self.handle = handle }

  deinit { ct_tensor_free(handle) }

  // MARK: Creation

  /// A tensor of zeros of the given shape.
  public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try withInt64s(shape) { try wrap("zeros", ct_zeros($0, $1, dtype.rawValue, device.rawValue)) }
  }

  /// A tensor of ones of the given shape.
  public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try withInt64s(shape) { try wrap("ones", ct_ones($0, $1, dtype.rawValue, device.rawValue)) }
  }

  /// A tensor of the given shape with every element equal to `value`.
  public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try withInt64s(shape) { try wrap("full", ct_full($0, $1, value, dtype.rawValue, device.rawValue)) }
  }

  /// A float32 tensor holding a copy of `values` (row-major) with the given shape.
  public convenience init(_ values: [Float], shape: [Int], device: Device = .cpu) throws {
    self.init(owning: try copying(values, shape: shape, operation: "Tensor(floats)") { ct_from_floats($0, $1, $2, device.rawValue) })
  }

  /// A float32 tensor holding `values` as a vector.
  public convenience init(_ values: [Float]) throws { try self.init(values, shape: [values.count]) }

  /// A one-element, zero-dimensional float32 tensor.
  public convenience init(scalar: Float) throws { try self.init([scalar], shape: []) }

  /// An int64 tensor holding a copy of `values` (row-major) with the given shape.
  public convenience init(int64 values: [Int64], shape: [Int], device: Device = .cpu) throws {
    self.init(owning: try copying(values, shape: shape, operation: "Tensor(int64)") { ct_from_int64s($0, $1, $2, device.rawValue) })
  }

  /// Values `start, start + step, …` below `end` (like `torch.arange`).
  public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
    try wrap("arange", ct_arange(start, end, step, dtype.rawValue, device.rawValue))
  }

  /// Uniform samples on [0, 1). With a `seed`, from a private generator (repeatable, leaves the global
  /// generator alone); without, from torch's global generator (`Torch.manualSeed`).
  public static func rand(_ shape: [Int], seed: UInt64? = nil, device: Device = .cpu) throws -> Tensor {
    try withInt64s(shape) { try wrap("rand", ct_rand($0, $1, seed ?? 0, seed == nil ? 0 : 1, device.rawValue)) }
  }

  /// Standard-normal samples; `seed` as in `rand`.
  public static func randn(_ shape: [Int], seed: UInt64? = nil, device: Device = .cpu) throws -> Tensor {
    try withInt64s(shape) { try wrap("randn", ct_randn($0, $1, seed ?? 0, seed == nil ? 0 : 1, device.rawValue)) }
  }

  /// A random permutation of 0..<n (int64); `seed` as in `rand`.
  public static func randperm(_ n: Int, seed: UInt64? = nil, device: Device = .cpu) throws -> Tensor {
    try wrap("randperm", ct_randperm(Int64(n), seed ?? 0, seed == nil ? 0 : 1, device.rawValue))
  }

  // MARK: Properties

  /// The size along each dimension.
  public var shape: [Int] { dimensions(ct_sizes) }

  /// The step in elements along each dimension.
  public var strides: [Int] { dimensions(ct_strides) }

  private func dimensions(_ read: (OpaquePointer?, UnsafeMutablePointer<Int64>?, Int32) -> Int32) -> [Int] {
    var buffer = [Int64](repeating: 0, count: 16)
    let rank = Int(read(handle, &buffer, 16))
    if rank > 16 {
      buffer = [Int64](repeating: 0, count: rank)
      _ = read(handle, &buffer, Int32(rank))
    }
    return buffer.prefix(Swift.max(rank, 0)).map { Int($0) }
  }

  /// The number of dimensions.
  public var rank: Int { Int(ct_ndim(handle)) }

  /// The number of elements.
  public var count: Int { Int(ct_numel(handle)) }

  /// The element type (float32 for any other libtorch dtype this API never creates).
  public var dtype: DType { DType(rawValue: ct_dtype(handle)) ?? .float32 }

  /// Where the storage lives.
  public var device: Device { Device(rawValue: ct_device(handle)) ?? .cpu }

  /// Whether the elements are laid out row-major without gaps.
  public var isContiguous: Bool { ct_is_contiguous(handle) == 1 }

  /// Whether autograd records operations on this tensor.
  public var requiresGrad: Bool { ct_requires_grad(handle) == 1 }

  // MARK: Data

  /// The elements, row-major, converted to Float and copied to the CPU.
  public func floats() throws -> [Float] {
    let n = count
    var out = [Float](repeating: 0, count: n)
    let copied = out.withUnsafeMutableBufferPointer { ct_copy_to_floats(handle, $0.baseAddress, Int64(n)) }
    if copied < 0 { throw TorchError.last("floats") }
    return out
  }

  /// The elements, row-major, converted to Int64 and copied to the CPU.
  public func int64s() throws -> [Int64] {
    let n = count
    var out = [Int64](repeating: 0, count: n)
    let copied = out.withUnsafeMutableBufferPointer { ct_copy_to_int64s(handle, $0.baseAddress, Int64(n)) }
    if copied < 0 { throw TorchError.last("int64s") }
    return out
  }

  /// The value of a one-element tensor.
  public func item() throws -> Double {
    var value = 0.0
    try check("item", ct_item(handle, &value))
    return value
  }

  // MARK: Conversion

  /// A copy with another dtype and/or device (the same tensor when nothing changes).
  public func to(_ dtype: DType? = nil, device: Device? = nil) throws -> Tensor {
    try wrap("to", ct_to(handle, (dtype ?? self.dtype).rawValue, (device ?? self.device).rawValue))
  }

  /// A row-major copy, or this tensor's storage when already contiguous.
  public func contiguous() throws -> Tensor { try wrap("contiguous", ct_contiguous(handle)) }

  /// A copy of a 4-D [N, C, H, W] tensor laid out channels-last (NHWC in memory; the shape stays
  /// NCHW), or this tensor's storage when it already is. Convolutions, batch norm, elementwise
  /// operations and bilinear interpolation keep that layout, and oneDNN runs its convolutions on it
  /// without the reorders that NCHW input costs (docs/torch.md, "Channels-last").
  public func channelsLast() throws -> Tensor { try wrap("contiguous_channels_last", ct_contiguous_channels_last(handle)) }

  /// Whether a 4-D tensor is laid out channels-last without gaps.
  public var isChannelsLast: Bool { ct_is_channels_last(handle) == 1 }

  /// A copy of the data that stays in the autograd graph.
  public func clone() throws -> Tensor { try wrap("clone", ct_clone(handle)) }

  /// The same data, cut out of the autograd graph.
  public func detached() throws -> Tensor { try wrap("detach", ct_detach(handle)) }

  /// Another `Tensor` for the same libtorch tensor (storage and autograd identity shared).
  public func alias() throws -> Tensor { try wrap("alias", ct_alias(handle)) }

  // MARK: Autograd

  /// Turns autograd recording for this (leaf) tensor on or off; returns self for chaining.
  @discardableResult
  public func setRequiresGrad(_ flag: Bool = true) throws -> Tensor {
    try check("setRequiresGrad", ct_set_requires_grad(handle, flag ? 1 : 0))
    return self
  }

  /// Back-propagates from this tensor into the `grad` of every leaf that requires it (accumulating).
  /// `gradient` may be omitted for a one-element tensor.
  public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
    try check("backward", ct_backward(handle, gradient?.handle, retainGraph ? 1 : 0))
  }

  /// The accumulated gradient, or nil before any backward pass reached this tensor.
  public var grad: Tensor? {
    guard let h = ct_grad(handle) else { return nil }
    let tensor = Tensor(owning: h)
    return ct_defined(h) == 1 ? tensor : nil
  }

  /// Drops the gradient (`setToNone`, the default, like PyTorch 2) or zeroes it in place.
  public func zeroGrad(setToNone: Bool = true) throws {
    try check("zeroGrad", ct_zero_grad(handle, setToNone ? 1 : 0))
  }

  // MARK: In-place updates (call on parameters inside `Torch.withNoGrad`)

  /// self += alpha · other.
  public func add_(_ other: Tensor, alpha: Double = 1) throws { try check("add_", ct_add_(handle, other.handle, alpha)) }
  /// self += s.
  public func add_(_ s: Double) throws { try check("add_", ct_add_scalar_(handle, s)) }
  /// self *= s.
  public func mul_(_ s: Double) throws { try check("mul_", ct_mul_scalar_(handle, s)) }
  /// self *= other (elementwise, broadcast).
  public func mul_(_ other: Tensor) throws { try check("mul_", ct_mul_(handle, other.handle)) }
  /// self += value · a · b.
  public func addcmul_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
    try check("addcmul_", ct_addcmul_(handle, a.handle, b.handle, value))
  }
  /// self += value · a / b.
  public func addcdiv_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
    try check("addcdiv_", ct_addcdiv_(handle, a.handle, b.handle, value))
  }
  /// Copies `source`'s values (broadcast, converted) into self.
  public func copy_(_ source: Tensor) throws { try check("copy_", ct_copy_(handle, source.handle)) }
  /// Sets every element to `value`.
  public func fill_(_ value: Double) throws { try check("fill_", ct_fill_(handle, value)) }
  /// Fills with uniform samples on [low, high) from the global generator.
  public func uniform_(_ low: Double, _ high: Double) throws { try check("uniform_", ct_uniform_(handle, low, high)) }
  /// Fills with normal samples from the global generator.
  public func normal_(mean: Double = 0, std: Double = 1) throws { try check("normal_", ct_normal_(handle, mean, std)) }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let values = (try? floats()) ?? []
    let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(\(dtype), shape: \(shape), [\(shown)\(values.count > 8 ? ", …" : "")])"
  }
}

/// A tensor handle made by `create` (data, shape, rank) from a copy of `values`, after checking that
/// their count fits `shape`; `operation` names the constructor in errors.
private func copying<Element>(
  _ values: [Element], shape: [Int], operation: String,
  _ create: (UnsafePointer<Element>?, UnsafePointer<Int64>?, Int32) -> OpaquePointer?
) throws -> OpaquePointer {
  let count = shape.reduce(1, *)
  guard values.count == count else {
    throw TorchError(operation: operation, message: "\(values.count) values for shape \(shape) (\(count) elements)")
  }
  return try values.withUnsafeBufferPointer { buffer in
    try withInt64s(shape) { shapePointer, rank -> OpaquePointer in
      guard let handle = create(buffer.baseAddress, shapePointer, rank) else { throw TorchError.last(operation) }
      return handle
    }
  }
}

import CTorch

// Views, indexing, elementwise arithmetic (broadcasting like NumPy), reductions and matrix products.
// Dimensions may be negative (counted from the end), as in PyTorch.

extension Tensor {
  // MARK: Views and shape

  /// The same elements in a new shape (a view when possible, else a copy); one size may be -1.
  public func reshaped(_ shape: [Int]) throws -> Tensor {
    try withInt64s(shape) { try wrap("reshape", ct_reshape(handle, $0, $1)) }
  }

  /// A view with a new shape; throws when the strides do not allow one (use `reshaped`).
  public func view(_ shape: [Int]) throws -> Tensor {
    try withInt64s(shape) { try wrap("view", ct_view(handle, $0, $1)) }
  }

  /// A view with the dimensions reordered: result dimension i is dimension `dims[i]` of self.
  public func permuted(_ dims: [Int]) throws -> Tensor {
    try withInt64s(dims) { try wrap("permute", ct_permute(handle, $0, $1)) }
  }

  /// A view with two dimensions swapped.
  public func transposed(_ dim0: Int, _ dim1: Int) throws -> Tensor {
    try wrap("transpose", ct_transpose(handle, Int64(dim0), Int64(dim1)))
  }

  /// The matrix transpose of a 2-D tensor.
  public var T: Tensor { get throws { try transposed(0, 1) } }

  /// Removes dimension `dim` if its size is 1, or every size-1 dimension when `dim` is nil.
  public func squeezed(_ dim: Int? = nil) throws -> Tensor {
    try wrap("squeeze", ct_squeeze(handle, Int64(dim ?? 0), dim == nil ? 0 : 1))
  }

  /// Inserts a size-1 dimension at `dim`.
  public func unsqueezed(_ dim: Int) throws -> Tensor { try wrap("unsqueeze", ct_unsqueeze(handle, Int64(dim))) }

  /// Merges dimensions `startDim...endDim` into one.
  public func flattened(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
    try wrap("flatten", ct_flatten(handle, Int64(startDim), Int64(endDim)))
  }

  /// A view of `length` indices along `dim` starting at `start`.
  public func narrow(_ dim: Int, start: Int, length: Int) throws -> Tensor {
    try wrap("narrow", ct_narrow(handle, Int64(dim), Int64(start), Int64(length)))
  }

  /// A view of indices `start..<end` with a step along `dim` (like `t[start:end:step]`).
  public func slice(_ dim: Int, _ start: Int, _ end: Int, step: Int = 1) throws -> Tensor {
    try wrap("slice", ct_slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step)))
  }

  /// The view at `index` along `dim`, with that dimension removed.
  public func select(_ dim: Int, _ index: Int) throws -> Tensor {
    try wrap("select", ct_select(handle, Int64(dim), Int64(index)))
  }

  /// A view broadcast to `shape` (size-1 dimensions repeated without copying; -1 keeps a size).
  public func expanded(_ shape: [Int]) throws -> Tensor {
    try withInt64s(shape) { try wrap("expand", ct_expand(handle, $0, $1)) }
  }

  /// Concatenates tensors along an existing dimension.
  public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    let handles: [OpaquePointer?] = tensors.map { $0.handle }
    return try withExtendedLifetime(tensors) {
      try handles.withUnsafeBufferPointer { try wrap("cat", ct_cat($0.baseAddress, Int32($0.count), Int64(dim))) }
    }
  }

  /// Stacks same-shaped tensors along a new dimension.
  public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    let handles: [OpaquePointer?] = tensors.map { $0.handle }
    return try withExtendedLifetime(tensors) {
      try handles.withUnsafeBufferPointer { try wrap("stack", ct_stack($0.baseAddress, Int32($0.count), Int64(dim))) }
    }
  }

  // MARK: Indexing

  /// out[i][j] = self[index[i][j]][j] for dim 0 (and likewise for other dims); `index` is int64.
  public func gather(_ dim: Int, _ index: Tensor) throws -> Tensor {
    try wrap("gather", ct_gather(handle, Int64(dim), index.handle))
  }

  /// The entries at the int64 `index` positions along `dim`.
  public func indexSelect(_ dim: Int, _ index: Tensor) throws -> Tensor {
    try wrap("index_select", ct_index_select(handle, Int64(dim), index.handle))
  }

  /// A copy with `value` wherever the bool `mask` (broadcast) is true.
  public func maskedFill(_ mask: Tensor, _ value: Double) throws -> Tensor {
    try wrap("masked_fill", ct_masked_fill(handle, mask.handle, value))
  }

  /// The elements where the bool `mask` is true, as a vector.
  public func maskedSelect(_ mask: Tensor) throws -> Tensor {
    try wrap("masked_select", ct_masked_select(handle, mask.handle))
  }

  /// Elementwise `condition ? a : b` (broadcast).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    try wrap("where", ct_where(condition.handle, a.handle, b.handle))
  }

  // MARK: Elementwise

  func unary(_ op: ct_unary_op, _ name: String) throws -> Tensor { try wrap(name, ct_unary(Int32(op.rawValue), handle)) }
  func binary(_ op: ct_binary_op, _ other: Tensor, _ name: String) throws -> Tensor {
    try wrap(name, ct_binary(Int32(op.rawValue), handle, other.handle))
  }
  func binary(_ op: ct_binary_op, _ s: Double, _ name: String) throws -> Tensor {
    try wrap(name, ct_binary_scalar(Int32(op.rawValue), handle, s))
  }

  public func abs() throws -> Tensor { try unary(CT_ABS, "abs") }
  public func exp() throws -> Tensor { try unary(CT_EXP, "exp") }
  public func log() throws -> Tensor { try unary(CT_LOG, "log") }
  public func sqrt() throws -> Tensor { try unary(CT_SQRT, "sqrt") }
  public func rsqrt() throws -> Tensor { try unary(CT_RSQRT, "rsqrt") }
  public func sin() throws -> Tensor { try unary(CT_SIN, "sin") }
  public func cos() throws -> Tensor { try unary(CT_COS, "cos") }
  public func floor() throws -> Tensor { try unary(CT_FLOOR, "floor") }
  public func sign() throws -> Tensor { try unary(CT_SIGN, "sign") }
  public func logicalNot() throws -> Tensor { try unary(CT_LOGICAL_NOT, "logical_not") }
  public func relu() throws -> Tensor { try unary(CT_RELU, "relu") }
  public func sigmoid() throws -> Tensor { try unary(CT_SIGMOID, "sigmoid") }
  public func tanh() throws -> Tensor { try unary(CT_TANH, "tanh") }
  /// GELU with the exact (erf) form.
  public func gelu() throws -> Tensor { try unary(CT_GELU, "gelu") }
  /// max(x, 0) + negativeSlope · min(x, 0).
  public func leakyRelu(negativeSlope: Double = 0.01) throws -> Tensor {
    try wrap("leaky_relu", ct_leaky_relu(handle, negativeSlope))
  }

  /// self^exponent elementwise.
  public func pow(_ exponent: Double) throws -> Tensor { try binary(CT_POW, exponent, "pow") }
  public func pow(_ exponent: Tensor) throws -> Tensor { try binary(CT_POW, exponent, "pow") }
  public func maximum(_ other: Tensor) throws -> Tensor { try binary(CT_MAXIMUM, other, "maximum") }
  public func minimum(_ other: Tensor) throws -> Tensor { try binary(CT_MINIMUM, other, "minimum") }

  /// Limits every element to [min, max]; a nil bound is open.
  public func clamped(min: Double? = nil, max: Double? = nil) throws -> Tensor {
    try wrap("clamp", ct_clamp(handle, min ?? 0, min == nil ? 0 : 1, max ?? 0, max == nil ? 0 : 1))
  }

  // Comparisons give bool tensors.
  public func eq(_ other: Tensor) throws -> Tensor { try binary(CT_EQ, other, "eq") }
  public func ne(_ other: Tensor) throws -> Tensor { try binary(CT_NE, other, "ne") }
  public func lt(_ other: Tensor) throws -> Tensor { try binary(CT_LT, other, "lt") }
  public func le(_ other: Tensor) throws -> Tensor { try binary(CT_LE, other, "le") }
  public func gt(_ other: Tensor) throws -> Tensor { try binary(CT_GT, other, "gt") }
  public func ge(_ other: Tensor) throws -> Tensor { try binary(CT_GE, other, "ge") }
  public func eq(_ s: Double) throws -> Tensor { try binary(CT_EQ, s, "eq") }
  public func ne(_ s: Double) throws -> Tensor { try binary(CT_NE, s, "ne") }
  public func lt(_ s: Double) throws -> Tensor { try binary(CT_LT, s, "lt") }
  public func le(_ s: Double) throws -> Tensor { try binary(CT_LE, s, "le") }
  public func gt(_ s: Double) throws -> Tensor { try binary(CT_GT, s, "gt") }
  public func ge(_ s: Double) throws -> Tensor { try binary(CT_GE, s, "ge") }
  public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary(CT_LOGICAL_AND, other, "logical_and") }
  public func logicalOr(_ other: Tensor) throws -> Tensor { try binary(CT_LOGICAL_OR, other, "logical_or") }

  // MARK: Matrix products

  /// The matrix product with NumPy's rules (vectors, matrices, batched broadcasting).
  public func matmul(_ other: Tensor) throws -> Tensor { try binary(CT_MATMUL, other, "matmul") }

  /// The batched matrix product of [B, n, m] and [B, m, p].
  public func bmm(_ other: Tensor) throws -> Tensor { try binary(CT_BMM, other, "bmm") }

  // MARK: Reductions

  func reduce(_ op: ct_reduce_op, _ dims: [Int], _ keepDim: Bool, _ name: String) throws -> Tensor {
    try withInt64s(dims) { try wrap(name, ct_reduce(Int32(op.rawValue), handle, $0, $1, keepDim ? 1 : 0)) }
  }

  /// The sum over `dims` (over everything when empty).
  public func sum(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_SUM, dims, keepDim, "sum") }
  /// The mean over `dims` (over everything when empty).
  public func mean(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_MEAN, dims, keepDim, "mean") }
  /// The largest element over `dims` (over everything when empty).
  public func max(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_MAX, dims, keepDim, "max") }
  /// The smallest element over `dims` (over everything when empty).
  public func min(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_MIN, dims, keepDim, "min") }
  /// The product of all elements.
  public func prod() throws -> Tensor { try reduce(CT_PROD, [], false, "prod") }

  /// The largest values along `dim` and their int64 indices.
  public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
    var values: OpaquePointer?
    var indices: OpaquePointer?
    try check("max", ct_max_dim(handle, Int64(dim), keepDim ? 1 : 0, &values, &indices))
    return (Tensor(owning: values!), Tensor(owning: indices!))
  }

  /// The smallest values along `dim` and their int64 indices.
  public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
    var values: OpaquePointer?
    var indices: OpaquePointer?
    try check("min", ct_min_dim(handle, Int64(dim), keepDim ? 1 : 0, &values, &indices))
    return (Tensor(owning: values!), Tensor(owning: indices!))
  }

  /// The index of the largest value along `dim` (int64).
  public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
    try wrap("argmax", ct_argmax(handle, Int64(dim), keepDim ? 1 : 0))
  }

  /// The index of the smallest value along `dim` (int64).
  public func argmin(dim: Int, keepDim: Bool = false) throws -> Tensor {
    try wrap("argmin", ct_argmin(handle, Int64(dim), keepDim ? 1 : 0))
  }

  /// The p-norm (‖x‖_p = (Σ|x|^p)^(1/p)) over `dims`, or over everything when empty.
  public func norm(_ p: Double = 2, dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
    try withInt64s(dims) { try wrap("norm", ct_norm(handle, p, $0, $1, keepDim ? 1 : 0)) }
  }

  // MARK: Softmax

  /// exp(x_i) / Σ_j exp(x_j) along `dim`.
  public func softmax(dim: Int) throws -> Tensor { try wrap("softmax", ct_softmax(handle, Int64(dim))) }
  /// log(softmax(x)) along `dim`, computed stably.
  public func logSoftmax(dim: Int) throws -> Tensor { try wrap("log_softmax", ct_log_softmax(handle, Int64(dim))) }
}

// MARK: Operators (elementwise, broadcasting). They throw: write `try a + b * c`.

public func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_ADD, b, "add") }
public func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_SUB, b, "sub") }
public func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_MUL, b, "mul") }
public func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_DIV, b, "div") }
public func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_ADD, s, "add") }
public func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_SUB, s, "sub") }
public func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_MUL, s, "mul") }
public func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_DIV, s, "div") }
public func + (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_ADD, s, "add") }
public func - (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_RSUB, s, "rsub") }
public func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_MUL, s, "mul") }
public func / (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_RDIV, s, "rdiv") }
public prefix func - (a: Tensor) throws -> Tensor { try a.unary(CT_NEG, "neg") }

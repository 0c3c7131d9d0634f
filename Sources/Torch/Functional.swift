import CTorch

/// Neural-network functions on NCHW tensors (batch, channels, height, width), with autograd.
/// The modules (`Conv2d`, `BatchNorm2d`, …) hold parameters and call these.
public enum Functional {
  /// 2-D cross-correlation: x [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or nil.
  /// Output size per axis: ⌊(H + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1.
  public static func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
    dilation: (Int, Int) = (1, 1), groups: Int = 1
  ) throws -> Tensor {
    try wrap("conv2d", ct_conv2d(
      x.handle, weight.handle, bias?.handle, Int64(stride.0), Int64(stride.1), Int64(padding.0), Int64(padding.1),
      Int64(dilation.0), Int64(dilation.1), Int64(groups)))
  }

  /// The transpose (gradient) of `conv2d`: x [N, C, H, W], weight [C, O/groups, kH, kW].
  /// Output size per axis: (H − 1)·stride − 2·pad + dilation·(k − 1) + outputPadding + 1.
  public static func convTranspose2d(
    _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
    outputPadding: (Int, Int) = (0, 0), groups: Int = 1, dilation: (Int, Int) = (1, 1)
  ) throws -> Tensor {
    try wrap("conv_transpose2d", ct_conv_transpose2d(
      x.handle, weight.handle, bias?.handle, Int64(stride.0), Int64(stride.1), Int64(padding.0), Int64(padding.1),
      Int64(outputPadding.0), Int64(outputPadding.1), Int64(groups), Int64(dilation.0), Int64(dilation.1)))
  }

  /// Batch normalization over N, H, W per channel: y = (x − μ) / √(σ² + eps) · weight + bias.
  /// Training: μ, σ² from the batch, and `runningMean`/`runningVar` are updated IN PLACE as
  /// running = (1 − momentum)·running + momentum·batch (σ² unbiased). Evaluation: the running values.
  public static func batchNorm(
    _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?, training: Bool,
    momentum: Double = 0.1, eps: Double = 1e-5
  ) throws -> Tensor {
    try wrap("batch_norm", ct_batch_norm(
      x.handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle, training ? 1 : 0, momentum, eps))
  }

  /// Group normalization: channels split into `groups`, each normalized over (C/groups, H, W) per sample.
  public static func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
    try wrap("group_norm", ct_group_norm(x.handle, Int64(groups), weight?.handle, bias?.handle, eps))
  }

  /// Max pooling; `stride` defaults to the kernel size.
  public static func maxPool2d(
    _ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false
  ) throws -> Tensor {
    let s = stride ?? kernel
    return try wrap("max_pool2d", ct_max_pool2d(
      x.handle, Int64(kernel.0), Int64(kernel.1), Int64(s.0), Int64(s.1), Int64(padding.0), Int64(padding.1),
      ceilMode ? 1 : 0))
  }

  /// Average pooling; `stride` defaults to the kernel size.
  public static func avgPool2d(
    _ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
    countIncludePad: Bool = true
  ) throws -> Tensor {
    let s = stride ?? kernel
    return try wrap("avg_pool2d", ct_avg_pool2d(
      x.handle, Int64(kernel.0), Int64(kernel.1), Int64(s.0), Int64(s.1), Int64(padding.0), Int64(padding.1),
      ceilMode ? 1 : 0, countIncludePad ? 1 : 0))
  }

  /// Average pooling to a fixed output size.
  public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) throws -> Tensor {
    try wrap("adaptive_avg_pool2d", ct_adaptive_avg_pool2d(x.handle, Int64(outputSize.0), Int64(outputSize.1)))
  }

  /// Bilinear resampling of [N, C, H, W] to [N, C, height, width].
  ///
  /// `alignCorners: false` (PyTorch's default) maps pixel centres: src = (dst + 0.5)·(in/out) − 0.5,
  /// clamped at 0; `true` maps the corner pixels onto each other: src = dst·(in − 1)/(out − 1).
  public static func interpolateBilinear(_ x: Tensor, size: (height: Int, width: Int), alignCorners: Bool = false) throws -> Tensor {
    try wrap("upsample_bilinear2d", ct_upsample_bilinear2d(x.handle, Int64(size.height), Int64(size.width), alignCorners ? 1 : 0))
  }

  /// `interpolateBilinear` of float32 [N, C, H, W] as two matrix products, Rᵥ · x · Rᵤᵀ, with the
  /// interpolation weights of each axis as an [out, in] matrix (two non-zeros a row): the same values
  /// up to float rounding, returned row-major (NCHW-contiguous) whatever x's layout. On the CPU,
  /// libtorch 1.13's `upsample_bilinear2d` backward pass is a scalar loop over the output; for
  /// the descriptor network's ×8 upsampling of two images' 16 channels, 160×120 out, forward and backward took
  /// 4.7 ms with it and 1.8 ms as matrix products (one thread, Intel Xeon, 2026-12-04). Meant for few
  /// channels: the matrices are dense, so the products cost out·in per row and column.
  public static func interpolateBilinearByMatrices(_ x: Tensor, size: (height: Int, width: Int), alignCorners: Bool = false) throws -> Tensor {
    let shape = x.shape
    guard shape.count == 4, shape[2] >= 1, shape[3] >= 1 else {
      throw TorchError(operation: "interpolateBilinearByMatrices", message: "expected a [N, C, H, W] tensor with H, W ≥ 1, got shape \(shape)")
    }
    guard size.height >= 1, size.width >= 1 else {
      throw TorchError(operation: "interpolateBilinearByMatrices", message: "output size \(size.height)×\(size.width) must be positive")
    }
    let rows = try Tensor(bilinearWeights(from: shape[2], to: size.height, alignCorners: alignCorners), shape: [size.height, shape[2]], device: x.device)
    let columns = try Tensor(bilinearWeights(from: shape[3], to: size.width, alignCorners: alignCorners), shape: [size.width, shape[3]], device: x.device)
    return try rows.matmul(x).matmul(columns.transposed(0, 1))
  }

  /// The [out, in] row-major matrix of 1-D linear interpolation with libtorch's source-index rule
  /// (`interpolateBilinear`'s): row i holds the weights of output sample i.
  static func bilinearWeights(from input: Int, to output: Int, alignCorners: Bool) -> [Float] {
    var weights = [Float](repeating: 0, count: output * input)
    let scale: Double
    if alignCorners {
      scale = output > 1 ? Double(input - 1) / Double(output - 1) : 0
    } else {
      scale = Double(input) / Double(output)
    }
    for i in 0..<output {
      let source = alignCorners ? scale * Double(i) : max(0, scale * (Double(i) + 0.5) - 0.5)
      let lower = min(Int(source), input - 1)
      let upper = min(lower + 1, input - 1)
      let fraction = Float(source - Double(lower))
      weights[i * input + lower] += 1 - fraction
      weights[i * input + upper] += fraction
    }
    return weights
  }

  /// Zeroes each element with probability p while training and scales the rest by 1/(1 − p).
  public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor {
    try wrap("dropout", ct_dropout(x.handle, p, training ? 1 : 0))
  }

  /// x · weightᵀ + bias, for weight [out, in].
  public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    let y = try x.matmul(weight.transposed(0, 1))
    guard let bias else { return y }
    return try y + bias
  }

  // MARK: Losses

  /// Mean (or summed) squared error (input − target)².
  public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try wrap("mse_loss", ct_mse_loss(input.handle, target.handle, reduction.rawValue))
  }

  /// Mean (or summed) absolute error.
  public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try wrap("l1_loss", ct_l1_loss(input.handle, target.handle, reduction.rawValue))
  }

  /// Huber-like loss: 0.5·d²/β where |d| < β, |d| − 0.5·β elsewhere (d = input − target).
  public static func smoothL1Loss(_ input: Tensor, _ target: Tensor, beta: Double = 1, reduction: Reduction = .mean) throws -> Tensor {
    try wrap("smooth_l1_loss", ct_smooth_l1_loss(input.handle, target.handle, reduction.rawValue, beta))
  }

  /// Distances between indexed rows of two tables: `d[k] = √(‖a[rowsA[k]] − b[rowsB[k]]‖² + epsilon)`
  /// for a [N, D], b [M, D] (any strides) and int64 row indices [K]; differentiable in `a` and `b`
  /// (ε keeps the gradient finite where two rows coincide). For float32 CPU tensors one fused
  /// kernel, whose backward pass skips pairs with a zero incoming gradient; otherwise the composed
  /// ops, which cost a temporary [K, D] tensor apiece and, in libtorch 1.13, a kernel call per
  /// selected row in the backward pass (docs/torch.md, "Fused row distances"). An index out of
  /// range throws.
  public static func rowDistance(_ a: Tensor, _ b: Tensor, rowsA: Tensor, rowsB: Tensor, epsilon: Double = 1e-12) throws -> Tensor {
    try wrap("row_distance", ct_row_distance(a.handle, b.handle, rowsA.handle, rowsB.handle, epsilon))
  }

  /// −log softmax(logits)[target], for logits [N, C] (or [N, C, d…]) and int64 class indices [N] (or
  /// [N, d…]); entries equal to `ignoreIndex` do not count.
  public static func crossEntropy(
    _ logits: Tensor, _ target: Tensor, reduction: Reduction = .mean, ignoreIndex: Int = -100, labelSmoothing: Double = 0
  ) throws -> Tensor {
    try wrap("cross_entropy", ct_cross_entropy(logits.handle, target.handle, reduction.rawValue, Int64(ignoreIndex), labelSmoothing))
  }
}

import CTorch

/// Process-wide libtorch settings: threads, seeding, autograd mode, devices.
///
/// libtorch keeps this state globally (the grad mode per thread); tests that change it run serialized.
public enum Torch {
  /// The libtorch version the shim was compiled against, e.g. `"1.13.1"`.
  public static var version: String { String(cString: ct_torch_version()) }

  /// Sets the explicit thread budget: `n` intra-op threads for torch, and OpenBLAS (which Debian's
  /// libtorch calls for GEMMs) pinned to one thread so the two pools do not fight (6× slower small
  /// matrix products otherwise; see docs/torch.md).
  public static func setThreads(_ n: Int) throws {
    try check("Torch.setThreads", ct_set_num_threads(Int32(clamping: n)))
  }

  /// Flushes denormal floats (below 1.18e-38) to zero in torch's CPU arithmetic (like
  /// `torch.set_flush_denormal`) on the calling thread and on the OpenMP workers of its parallel
  /// loops (each thread that runs torch operations has its own team: call it on the thread that
  /// trains); `false` restores IEEE behaviour. Returns whether the CPU supports it (x86 with SSE3;
  /// nothing changes otherwise).
  ///
  /// Training's small gradients and weight-decayed weights produce denormals, which Intel cores
  /// handle by microcode assists: on a 2-core Xeon (AVX-512, 2.0 GHz) a descriptor training step
  /// took 72 ms with the flag against 100 ms without (docs/torch.md).
  @discardableResult
  public static func setFlushDenormal(_ on: Bool) throws -> Bool {
    let status = ct_set_flush_denormal(on ? 1 : 0)
    try check("Torch.setFlushDenormal", status < 0 ? -1 : 0)
    return status == 1
  }

  /// Whether the calling thread flushes denormal floats to zero (`setFlushDenormal(true)` on it, or
  /// on the thread whose OpenMP team it belongs to); always false on CPUs other than x86.
  public static var isFlushingDenormals: Bool { ct_get_flush_denormal() == 1 }

  /// torch's current intra-op thread count.
  public static var threads: Int { Int(ct_get_num_threads()) }

  /// Seeds torch's global generator (parameter initialization, `rand`/`randn` without a seed, dropout).
  public static func manualSeed(_ seed: UInt64) {
    _ = ct_manual_seed(seed)
  }

  /// Whether libtorch was built with CUDA and a device is present (Debian's libtorch is CPU-only).
  public static var isCUDAAvailable: Bool { ct_cuda_is_available() != 0 }

  /// Whether operations on this thread record autograd history.
  public static var isGradEnabled: Bool { ct_grad_enabled() != 0 }

  /// Runs `body` with autograd recording off on this thread (like `torch.no_grad()`), restoring the
  /// previous mode afterwards, also when `body` throws. `body` must stay on the calling thread.
  public static func withNoGrad<R>(_ body: () throws -> R) throws -> R {
    guard let guardHandle = ct_no_grad_begin() else { throw TorchError.last("Torch.withNoGrad") }
    defer { ct_no_grad_end(guardHandle) }
    return try body()
  }
}

/// Element types a `Tensor` can hold.
public enum DType: Int32, Sendable, CustomStringConvertible {
  case float32 = 0
  case int64 = 1
  case bool = 2

  public var description: String {
    switch self {
    case .float32: "float32"
    case .int64: "int64"
    case .bool: "bool"
    }
  }
}

/// Where a `Tensor`'s storage lives.
public enum Device: Int32, Sendable {
  case cpu = 0
  /// The first CUDA device; only when `Torch.isCUDAAvailable`.
  case cuda = 1
}

/// How a loss reduces its per-element values.
public enum Reduction: Int32, Sendable {
  case none = 0
  case mean = 1
  case sum = 2
}

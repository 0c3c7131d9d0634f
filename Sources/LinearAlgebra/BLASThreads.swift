import CLapack

/// Controls the worker threads of OpenBLAS, which runs every dense product and factorization here.
///
/// OpenBLAS keeps one process-wide setting; callers that run several solves in parallel usually
/// want `BLASThreads.set(1)` so the threads do not oversubscribe the cores.
public enum BLASThreads {
  /// Sets the number of threads OpenBLAS uses from now on, for the whole process.
  ///
  /// - Precondition: `n >= 1`.
  public static func set(_ n: Int) {
    precondition(n >= 1, "BLASThreads.set: thread count \(n) must be at least 1")
    openblas_set_num_threads(Int32(clamping: n))
  }

  /// The number of threads OpenBLAS currently uses.
  public static var count: Int { Int(openblas_get_num_threads()) }
}

import LinearAlgebra

/// The shared SplitMix64 generator (LinearAlgebra's `SeededGenerator`), under this file's old name.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
  /// Uniform in [-1, 1).
  mutating func symmetricUnit() -> Double { Double.random(in: -1..<1, using: &self) }
  /// Uniform in [0, 1), from the top 53 bits.
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
  /// Uniform in 0..<n (modulo bias negligible for small n).
  mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Fixtures built from a seed.
enum Fixtures {
  static func randomMatrix(_ m: Int, _ n: Int, _ rng: inout SplitMix64) -> Matrix {
    Matrix(rowCount: m, columnCount: n, elements: (0..<(m * n)).map { _ in rng.symmetricUnit() })
  }

  static func randomVector(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
    (0..<n).map { _ in rng.symmetricUnit() }
  }

  /// `BᵀB + n·I`: symmetric, eigenvalues in [n, n + ‖B‖²], so well conditioned.
  static func randomSPD(_ n: Int, _ rng: inout SplitMix64) -> Matrix {
    let b = randomMatrix(n, n, &rng)
    return b.multiplied(by: b, transposingSelf: true) + Double(n) * Matrix.identity(n)
  }

  /// A random sparse matrix with about `density` of its entries stored (canonical).
  static func randomSparse(_ m: Int, _ n: Int, density: Double, _ rng: inout SplitMix64) -> SparseMatrixCSC {
    var rows: [Int] = []
    var cols: [Int] = []
    var vals: [Double] = []
    for j in 0..<n {
      for i in 0..<m where Double.random(in: 0..<1, using: &rng) < density {
        rows.append(i)
        cols.append(j)
        vals.append(rng.symmetricUnit())
      }
    }
    return SparseMatrixCSC(rowCount: m, columnCount: n, rows: rows, columns: cols, values: vals)
  }

  /// Largest absolute entrywise difference of two vectors.
  static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }
}

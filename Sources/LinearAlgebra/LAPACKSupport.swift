import CLapack

// Internal glue between Swift values and LAPACKE/CBLAS. Nothing here is public.

/// Converts a dimension to LAPACK's 32-bit integer, trapping if it does not fit.
@inline(__always)
func lapackInt(_ n: Int) -> Int32 {
  precondition(n >= 0 && n <= Int(Int32.max), "LinearAlgebra: dimension \(n) does not fit LAPACK's 32-bit integers")
  return Int32(n)
}

/// Leading dimension for column-major storage with `rows` rows (LAPACK requires at least 1).
@inline(__always)
func leadingDimension(_ rows: Int) -> Int32 { lapackInt(max(1, rows)) }

/// LAPACK character arguments.
enum LapackChar {
  static let lower = CChar(UInt8(ascii: "L"))
  static let upper = CChar(UInt8(ascii: "U"))
  static let noTranspose = CChar(UInt8(ascii: "N"))
  static let transpose = CChar(UInt8(ascii: "T"))
  static let left = CChar(UInt8(ascii: "L"))
  static let vectors = CChar(UInt8(ascii: "V"))
  static let nonUnit = CChar(UInt8(ascii: "N"))
}

/// `LAPACK_COL_MAJOR` as the `Int32` LAPACKE takes.
let lapackColumnMajor = Int32(LAPACK_COL_MAJOR)

/// Maps a negative LAPACK `info` to the error that names the argument.
@inline(__always)
func checkArgumentInfo(_ info: Int32, _ routine: String) throws(LinearAlgebraError) {
  if info < 0 { throw LinearAlgebraError.invalidArgument(routine: routine, position: Int(-info)) }
}

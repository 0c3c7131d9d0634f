import LinearAlgebra
import Testing

// OpenBLAS keeps one process-wide thread count: serialized, and the old value is restored.
@Suite(.serialized) struct BLASThreadsTests {
  @Test func setChangesTheCount() {
    let before = BLASThreads.count
    BLASThreads.set(1)
    #expect(BLASThreads.count == 1)
    BLASThreads.set(before)
    #expect(BLASThreads.count == before)
  }
}

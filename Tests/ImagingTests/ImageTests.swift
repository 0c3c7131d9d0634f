import Imaging
import Testing

@Suite struct ImageTests {
  @Test func pixelAddressingIsRowMajorTopDown() {
    var image = Image8(width: 3, height: 2, channels: 3)
    image[2, 1, 1] = 7
    #expect(image.pixels[(1 * 3 + 2) * 3 + 1] == 7)
    #expect(image[2, 1, 1] == 7)
  }

  @Test func repeatingFillsEveryComponent() {
    let image = Image16(width: 4, height: 3, channels: 1, repeating: 500)
    #expect(image.pixels.count == 12)
    #expect(image.pixels.allSatisfy { $0 == 500 })
  }
}

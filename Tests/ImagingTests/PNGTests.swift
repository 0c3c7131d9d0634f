import Foundation
import Imaging
import Testing

/// A fresh temporary folder per test, removed afterwards.
private func withTemporaryFolder(_ body: (String) throws -> Void) throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("osprey-imaging-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  try body(folder)
}

/// A deterministic pattern covering the whole component range (fixed seed, no randomness).
private func pattern<C: ImageComponent>(_: C.Type, width: Int, height: Int, channels: Int) -> [C] {
  (0..<(width * height * channels)).map { i in C(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
}

@Suite struct PNGTests {
  @Test(arguments: [1, 3, 4])
  func eightBitRoundTrip(channels: Int) throws {
    try withTemporaryFolder { folder in
      let image = Image8(width: 37, height: 23, channels: channels,
                         pixels: pattern(UInt8.self, width: 37, height: 23, channels: channels))
      let path = folder + "/image.png"
      try PNG.write(image, to: path)
      #expect(try PNG.read8(path) == image)
    }
  }

  /// Bytes encoded in memory are a PNG file: written to disk as they are, they read back as the image.
  @Test(arguments: [1, 3, 4])
  func encodedBytesReadBack(channels: Int) throws {
    try withTemporaryFolder { folder in
      let image = Image8(width: 29, height: 17, channels: channels,
                         pixels: pattern(UInt8.self, width: 29, height: 17, channels: channels))
      let bytes = try PNG.encode(image)
      #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
      let path = folder + "/encoded.png"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      #expect(try PNG.read8(path) == image)
      #expect(throws: ImagingError.self) { try PNG.encode(Image8(width: 0, height: 3, channels: 3, pixels: [])) }
    }
  }

  @Test func sixteenBitDepthRoundTrip() throws {
    try withTemporaryFolder { folder in
      // Depth in millimetres: the full 16-bit range must survive, including 0 (no depth) and 65535.
      var depth = Image16(width: 64, height: 48, channels: 1,
                          pixels: pattern(UInt16.self, width: 64, height: 48, channels: 1))
      depth[0, 0] = 0
      depth[63, 47] = 65535
      depth[1, 0] = 1234
      let path = folder + "/depth.png"
      try PNG.write(depth, to: path)
      let back = try PNG.read16(path)
      #expect(back == depth)
      #expect(back[1, 0] == 1234)
    }
  }

  @Test func sixteenBitRGBRoundTrip() throws {
    try withTemporaryFolder { folder in
      let image = Image16(width: 9, height: 5, channels: 3, pixels: pattern(UInt16.self, width: 9, height: 5, channels: 3))
      try PNG.write(image, to: folder + "/rgb16.png")
      #expect(try PNG.read(folder + "/rgb16.png") == .sixteen(image))
    }
  }

  @Test func missingFileThrowsNamingIt() throws {
    let path = "/nonexistent-osprey/none.png"
    #expect {
      try PNG.read8(path)
    } throws: { error in
      guard let error = error as? ImagingError else { return false }
      return error.code == .unreadable && error.path == path && error.description.contains(path)
    }
  }

  @Test func garbageFileThrows() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/garbage.png"
      try Data("this is not a png".utf8).write(to: URL(fileURLWithPath: path))
      #expect(throws: ImagingError.self) { try PNG.read(path) }
    }
  }

  @Test func truncatedFileThrows() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/truncated.png"
      let image = Image8(width: 50, height: 50, channels: 3, pixels: pattern(UInt8.self, width: 50, height: 50, channels: 3))
      try PNG.write(image, to: path)
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
      #expect {
        try PNG.read8(path)
      } throws: { error in
        (error as? ImagingError)?.code == .unreadable
      }
    }
  }

  @Test func wrongBitDepthThrows() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/gray8.png"
      try PNG.write(Image8(width: 2, height: 2, channels: 1), to: path)
      #expect {
        try PNG.read16(path)
      } throws: { error in
        (error as? ImagingError)?.code == .unsupportedFormat
      }
    }
  }

  @Test func unwritableFolderThrowsAndLeavesNothing() throws {
    let path = "/nonexistent-osprey/out.png"
    #expect {
      try PNG.write(Image8(width: 2, height: 2, channels: 3), to: path)
    } throws: { error in
      guard let error = error as? ImagingError else { return false }
      return error.code == .unwritable && error.path == path
    }
  }

  @Test func failedWriteKeepsTheOldFileAndNoTemporaries() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/keep.png"
      let old = Image8(width: 4, height: 4, channels: 1, repeating: 9)
      try PNG.write(old, to: path)
      // 16-bit with alpha is refused before anything is written.
      #expect(throws: ImagingError.self) {
        try PNG.write(Image16(width: 4, height: 4, channels: 4), to: path)
      }
      #expect(try PNG.read8(path) == old)
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["keep.png"])
    }
  }

  @Test func emptyImageIsRefused() {
    #expect(throws: ImagingError.self) {
      try PNG.write(Image8(width: 0, height: 3, channels: 1), to: "/tmp/osprey-empty.png")
    }
  }
}

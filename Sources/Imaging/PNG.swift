import CPNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing PNG files through libpng's simplified API (`png_image_*`).
///
/// Supported layouts: 8-bit gray, RGB and RGBA; 16-bit gray (depth in millimetres) and 16-bit
/// RGB. On reading, palette and low-bit-depth files are expanded to 8-bit gray/RGB/RGBA and
/// 8-bit gray+alpha to RGBA; 16-bit files with alpha are rejected.
///
/// Values round-trip exactly: 8-bit files are written with an sRGB chunk and 16-bit files with a
/// linear gamma (`gAMA` 1.0), so libpng applies no conversion when it reads them back. Caveat: an
/// 8-bit file written elsewhere with a non-sRGB `gAMA` chunk is converted to sRGB on reading.
///
/// Writing never leaves a half-written file: the image goes to a temporary file in the same folder
/// which is renamed over the target only once complete.
public enum PNG {
  // libpng's simplified-API format flags (png.h, PNG_FORMAT_FLAG_*).
  private static let flagAlpha: UInt32 = 0x01
  private static let flagColor: UInt32 = 0x02
  private static let flagLinear: UInt32 = 0x04
  private static let flagColormap: UInt32 = 0x08
  private static let imageVersion: UInt32 = 1  // PNG_IMAGE_VERSION

  /// The bit depth of a PNG file's samples as `read` returns them.
  public enum Decoded: Sendable, Equatable {
    /// An 8-bit image (1, 3 or 4 channels).
    case eight(Image8)
    /// A 16-bit image (1 or 3 channels).
    case sixteen(Image16)
  }

  /// Reads a PNG file in its own bit depth.
  ///
  /// - Throws: `ImagingError` naming `path` (`.unreadable`, `.unsupportedFormat`).
  public static func read(_ path: String) throws(ImagingError) -> Decoded {
    var image = png_image()
    image.version = imageVersion
    guard png_image_begin_read_from_file(&image, path) != 0 else {
      let message = messageOf(&image)
      png_image_free(&image)
      throw ImagingError(code: .unreadable, path: path, message: "cannot read PNG: \(message)")
    }
    var format = image.format & ~flagColormap
    let sixteen = format & flagLinear != 0
    if format & flagAlpha != 0 && format & flagColor == 0 {
      format |= flagColor  // gray + alpha → RGBA
    }
    if sixteen && format & flagAlpha != 0 {
      png_image_free(&image)
      throw ImagingError(code: .unsupportedFormat, path: path,
                         message: "16-bit PNG with alpha is not supported (Image holds 16-bit gray or RGB)")
    }
    image.format = format
    let channels = (format & flagColor != 0 ? 3 : 1) + (format & flagAlpha != 0 ? 1 : 0)
    let width = Int(image.width), height = Int(image.height)
    let count = width * height * channels
    if sixteen {
      var pixels = [UInt16](repeating: 0, count: count)
      let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
      guard ok != 0 else { throw finishError(&image, path) }
      return .sixteen(Image16(width: width, height: height, channels: channels, pixels: pixels))
    } else {
      var pixels = [UInt8](repeating: 0, count: count)
      let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
      guard ok != 0 else { throw finishError(&image, path) }
      return .eight(Image8(width: width, height: height, channels: channels, pixels: pixels))
    }
  }

  /// Reads an 8-bit PNG file (gray, RGB or RGBA).
  ///
  /// - Throws: `ImagingError` naming `path`; `.unsupportedFormat` if the file is 16-bit.
  public static func read8(_ path: String) throws(ImagingError) -> Image8 {
    switch try read(path) {
    case .eight(let image): return image
    case .sixteen: throw ImagingError(code: .unsupportedFormat, path: path, message: "expected an 8-bit PNG, found 16-bit")
    }
  }

  /// Reads a 16-bit PNG file (gray or RGB), for example depth in millimetres.
  ///
  /// - Throws: `ImagingError` naming `path`; `.unsupportedFormat` if the file is 8-bit.
  public static func read16(_ path: String) throws(ImagingError) -> Image16 {
    switch try read(path) {
    case .sixteen(let image): return image
    case .eight: throw ImagingError(code: .unsupportedFormat, path: path, message: "expected a 16-bit PNG, found 8-bit")
    }
  }

  /// Writes an 8-bit image (1, 3 or 4 channels) as PNG, atomically (temporary file, then rename).
  ///
  /// - Throws: `ImagingError` naming `path` (`.unsupportedImage` for an empty image,
  ///   `.unwritable` when the folder or file cannot be written).
  public static func write(_ image: Image8, to path: String) throws(ImagingError) {
    let format = formatFlags(channels: image.channels)
    let failure = image.pixels.withUnsafeBytes {
      writeRaw($0, width: image.width, height: image.height, format: format, path: path)
    }
    if let failure { throw failure }
  }

  /// Writes a 16-bit image (1 or 3 channels; depth in millimetres is 1 channel) as PNG, atomically.
  ///
  /// - Throws: `ImagingError` naming `path` (`.unsupportedImage` for 4 channels or an empty image,
  ///   `.unwritable`).
  public static func write(_ image: Image16, to path: String) throws(ImagingError) {
    guard image.channels != 4 else {
      throw ImagingError(code: .unsupportedImage, path: path, message: "16-bit PNG with alpha is not supported")
    }
    let format = formatFlags(channels: image.channels) | flagLinear
    let failure = image.pixels.withUnsafeBytes {
      writeRaw($0, width: image.width, height: image.height, format: format, path: path)
    }
    if let failure { throw failure }
  }

  /// Encodes an 8-bit image (1, 3 or 4 channels) as PNG bytes in memory (for MuJoCo's virtual file
  /// system, for example).
  ///
  /// - Throws: `ImagingError` (`.unsupportedImage` for an empty image, `.unwritable` when libpng
  ///   fails), naming `name`.
  public static func encode(_ image: Image8, name: String = "image") throws(ImagingError) -> [UInt8] {
    guard image.width > 0, image.height > 0 else {
      throw ImagingError(code: .unsupportedImage, path: name, message: "cannot encode an empty \(image.width)×\(image.height) image")
    }
    var png = header(width: image.width, height: image.height, format: formatFlags(channels: image.channels))
    var size = 0
    // First call: the size; second: the bytes.
    let sized = image.pixels.withUnsafeBytes { png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, 0, nil) }
    guard sized != 0, size > 0 else {
      let message = messageOf(&png)
      png_image_free(&png)
      throw ImagingError(code: .unwritable, path: name, message: "cannot encode PNG: \(message)")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    let written = bytes.withUnsafeMutableBytes { out in
      image.pixels.withUnsafeBytes { png_image_write_to_memory(&png, out.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
    }
    guard written != 0 else {
      let message = messageOf(&png)
      png_image_free(&png)
      throw ImagingError(code: .unwritable, path: name, message: "cannot encode PNG: \(message)")
    }
    return Array(bytes.prefix(size))
  }

  /// A libpng simplified-API image description for writing.
  private static func header(width: Int, height: Int, format: UInt32) -> png_image {
    var image = png_image()
    image.version = imageVersion
    image.width = UInt32(width)
    image.height = UInt32(height)
    image.format = format
    return image
  }

  private static func formatFlags(channels: Int) -> UInt32 {
    switch channels {
    case 1: return 0
    case 3: return flagColor
    default: return flagColor | flagAlpha
    }
  }

  /// Writes through a temporary file; returns the error instead of throwing (it runs inside
  /// `withUnsafeBytes`, which is not typed-throws).
  private static func writeRaw(
    _ bytes: UnsafeRawBufferPointer, width: Int, height: Int, format: UInt32, path: String
  ) -> ImagingError? {
    guard width > 0, height > 0 else {
      return ImagingError(code: .unsupportedImage, path: path, message: "cannot write an empty \(width)×\(height) image")
    }
    var image = header(width: width, height: height, format: format)
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let ok = png_image_write_to_file(&image, temporary, 0, bytes.baseAddress, 0, nil)
    guard ok != 0 else {
      let message = messageOf(&image)
      png_image_free(&image)
      unlink(temporary)
      return ImagingError(code: .unwritable, path: path, message: "cannot write PNG: \(message)")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      return ImagingError(code: .unwritable, path: path, message: "cannot move the written PNG into place: \(reason)")
    }
    return nil
  }

  private static func finishError(_ image: inout png_image, _ path: String) -> ImagingError {
    let message = messageOf(&image)
    png_image_free(&image)
    return ImagingError(code: .unreadable, path: path, message: "cannot decode PNG: \(message)")
  }

  private static func messageOf(_ image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let bytes = raw.prefix { $0 != 0 }
      let text = String(decoding: bytes, as: UTF8.self)
      return text.isEmpty ? "unknown libpng error" : text
    }
  }
}

/// A pixel component type an `Image` can hold: 8-bit (`UInt8`) or 16-bit (`UInt16`) unsigned.
public protocol ImageComponent: FixedWidthInteger & UnsignedInteger & Sendable {}
extension UInt8: ImageComponent {}
extension UInt16: ImageComponent {}

/// A dense image: `height` rows of `width` pixels, each of `channels` interleaved components, rows
/// top to bottom.
///
/// Pixel `(x, y)` channel `c` is `pixels[(y * width + x) * channels + c]`; `x` counts columns from
/// the left, `y` rows from the top. Channels are 1 (gray), 3 (RGB) or 4 (RGBA).
///
/// Conventions used across Osprey: RGB is `Image<UInt8>` with 3 channels, depth is
/// `Image<UInt16>` with 1 channel in millimetres (0 = no depth), masks are `Image<UInt8>` with
/// 1 channel (non-zero on the object).
public struct Image<Component: ImageComponent>: Sendable, Equatable {
  /// Columns.
  public let width: Int
  /// Rows.
  public let height: Int
  /// Components per pixel: 1, 3 or 4.
  public let channels: Int
  /// `width * height * channels` components, row-major, rows top to bottom.
  public var pixels: [Component]

  /// An image from its pixels.
  ///
  /// - Precondition: `width, height ≥ 0`, `channels ∈ {1, 3, 4}` and
  ///   `pixels.count == width * height * channels`.
  public init(width: Int, height: Int, channels: Int, pixels: [Component]) {
    precondition(width >= 0 && height >= 0, "Image: negative size \(width)×\(height)")
    precondition([1, 3, 4].contains(channels), "Image: channels must be 1, 3 or 4, got \(channels)")
    precondition(
      pixels.count == width * height * channels,
      "Image: \(pixels.count) components for \(width)×\(height)×\(channels)")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// An image filled with one value.
  public init(width: Int, height: Int, channels: Int, repeating value: Component = 0) {
    self.init(width: width, height: height, channels: channels,
              pixels: [Component](repeating: value, count: max(0, width * height * channels)))
  }

  /// Component `channel` of pixel `(x, y)`.
  public subscript(x: Int, y: Int, channel: Int = 0) -> Component {
    get {
      precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels,
                   "Image: (\(x), \(y), \(channel)) outside \(width)×\(height)×\(channels)")
      return pixels[(y * width + x) * channels + channel]
    }
    set {
      precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels,
                   "Image: (\(x), \(y), \(channel)) outside \(width)×\(height)×\(channels)")
      pixels[(y * width + x) * channels + channel] = newValue
    }
  }
}

/// An 8-bit image (RGB, RGBA, gray, masks).
public typealias Image8 = Image<UInt8>
/// A 16-bit image (depth in millimetres).
public typealias Image16 = Image<UInt16>

import Imaging

/// Pictures for looking at correspondences.
public enum CorrespondencePicture {
  /// Views A and B side by side (RGB, same height) with a coloured line from each match's pixel in
  /// A to its pixel in B (B shifted right by A's width), and a dot at each end.
  /// - Precondition: both images are 3-channel and of the same height.
  public static func sideBySide(_ a: Image8, _ b: Image8, matches: [PixelPair]) -> Image8 {
    precondition(a.channels == 3 && b.channels == 3 && a.height == b.height,
                 "CorrespondencePicture: \(a.width)×\(a.height)×\(a.channels) and \(b.width)×\(b.height)×\(b.channels)")
    var out = Image8(width: a.width + b.width, height: a.height, channels: 3)
    for y in 0..<a.height {
      for x in 0..<a.width { for c in 0..<3 { out[x, y, c] = a[x, y, c] } }
      for x in 0..<b.width { for c in 0..<3 { out[a.width + x, y, c] = b[x, y, c] } }
    }
    for (i, match) in matches.enumerated() {
      let colour = hue(Double(i) * 0.618_033_988_75)
      let start = match.a, end = SIMD2(match.b.x + a.width, match.b.y)
      drawLine(&out, from: start, to: end, colour: colour)
      for p in [start, end] { for dy in -1...1 { for dx in -1...1 { set(&out, p.x + dx, p.y + dy, colour) } } }
    }
    return out
  }

  static func set(_ image: inout Image8, _ x: Int, _ y: Int, _ colour: SIMD3<UInt8>) {
    guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
    for c in 0..<3 { image[x, y, c] = colour[c] }
  }

  /// Bresenham's line.
  static func drawLine(_ image: inout Image8, from p: SIMD2<Int>, to q: SIMD2<Int>, colour: SIMD3<UInt8>) {
    var x = p.x, y = p.y
    let dx = abs(q.x - p.x), dy = -abs(q.y - p.y), sx = p.x < q.x ? 1 : -1, sy = p.y < q.y ? 1 : -1
    var error = dx + dy
    while true {
      set(&image, x, y, colour)
      if x == q.x && y == q.y { break }
      let e2 = 2 * error
      if e2 >= dy { error += dy; x += sx }
      if e2 <= dx { error += dx; y += sy }
    }
  }

  /// A saturated colour from a hue in turns.
  static func hue(_ turns: Double) -> SIMD3<UInt8> {
    let h = (turns - turns.rounded(.down)) * 6
    let f = h - h.rounded(.down)
    let (r, g, b): (Double, Double, Double)
    switch Int(h) {
    case 0: (r, g, b) = (1, f, 0)
    case 1: (r, g, b) = (1 - f, 1, 0)
    case 2: (r, g, b) = (0, 1, f)
    case 3: (r, g, b) = (0, 1 - f, 1)
    case 4: (r, g, b) = (f, 0, 1)
    default: (r, g, b) = (1, 0, 1 - f)
    }
    return SIMD3(UInt8(r * 255), UInt8(g * 255), UInt8(b * 255))
  }
}

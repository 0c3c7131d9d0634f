import Imaging
import Torch

/// A picture of descriptors as colours next to the RGB image: the first three principal components
/// of the image's descriptors, each stretched to [0, 255] between its 1st and 99th percentiles.
public func descriptorPicture(rgb: Image8, descriptors: Tensor) throws -> Image8 {
  let shape = descriptors.shape  // [D, H, W]
  let D = shape[0], H = shape[1], W = shape[2], n = H * W
  let values = try descriptors.contiguous().floats()
  var mean = [Double](repeating: 0, count: D)
  for c in 0..<D { for i in 0..<n { mean[c] += Double(values[c * n + i]) }; mean[c] /= Double(n) }
  var covariance = [Double](repeating: 0, count: D * D)
  for i in stride(from: 0, to: n, by: max(1, n / 20_000)) {
    for r in 0..<D {
      let x = Double(values[r * n + i]) - mean[r]
      for c in r..<D { covariance[r * D + c] += x * (Double(values[c * n + i]) - mean[c]) }
    }
  }
  for r in 0..<D { for c in 0..<r { covariance[r * D + c] = covariance[c * D + r] } }
  let components = leadingEigenvectors(covariance, dimension: D, count: min(3, D))
  var channels: [[Double]] = components.map { v in
    var channel = [Double](repeating: 0, count: n)
    for c in 0..<D { for i in 0..<n { channel[i] += v[c] * (Double(values[c * n + i]) - mean[c]) } }
    return channel
  }
  while channels.count < 3 { channels.append([Double](repeating: 0, count: n)) }
  let rgbResized = resized(rgb, width: W, height: H)
  var out = Image8(width: 2 * W, height: H, channels: 3)
  for c in 0..<3 {
    let sorted = channels[c].sorted()
    let lo = sorted[n / 100], hi = sorted[(99 * n) / 100]
    for y in 0..<H {
      for x in 0..<W {
        let t = hi > lo ? (channels[c][y * W + x] - lo) / (hi - lo) : 0.5
        out[W + x, y, c] = UInt8(max(0, min(255, (t * 255).rounded())))
        out[x, y, c] = rgbResized[x, y, c]
      }
    }
  }
  return out
}

/// Nearest-neighbour resize (for the picture only).
func resized(_ image: Image8, width: Int, height: Int) -> Image8 {
  if image.width == width && image.height == height { return image }
  var out = Image8(width: width, height: height, channels: image.channels)
  for y in 0..<height {
    for x in 0..<width {
      let sx = min(image.width - 1, x * image.width / width), sy = min(image.height - 1, y * image.height / height)
      for c in 0..<image.channels { out[x, y, c] = image[sx, sy, c] }
    }
  }
  return out
}

/// The leading eigenvectors of a symmetric matrix by power iteration with deflation.
func leadingEigenvectors(_ matrix: [Double], dimension D: Int, count: Int) -> [[Double]] {
  var a = matrix
  var out: [[Double]] = []
  for k in 0..<count {
    var v = [Double](repeating: 0, count: D)
    for i in 0..<D { v[i] = ((i + k) % D == 0 ? 1.0 : 0.0) + 0.01 * Double(i + 1) }
    var lambda = 0.0
    for _ in 0..<200 {
      var w = [Double](repeating: 0, count: D)
      for r in 0..<D { for c in 0..<D { w[r] += a[r * D + c] * v[c] } }
      var squares = 0.0
      for x in w { squares += x * x }
      let norm = squares.squareRoot()
      guard norm > 1e-20 else { break }
      lambda = norm
      v = w.map { $0 / norm }
    }
    out.append(v)
    for r in 0..<D { for c in 0..<D { a[r * D + c] -= lambda * v[r] * v[c] } }
  }
  return out
}

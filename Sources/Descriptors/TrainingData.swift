import Foundation
import Geometry
import Imaging
import LinearAlgebra
import Perception
import Torch

/// The scene folders of a data folder as `osprey sim collect` writes them (`DIR/scene-*/cameras.json`),
/// or DIR itself when it is one scene folder.
/// - Throws: `DescriptorError` for a missing folder or one without scenes.
public func sceneFolderPaths(in path: String) throws(DescriptorError) -> [String] {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
    throw DescriptorError(path: path, message: "no such data folder")
  }
  guard isDirectory.boolValue else { throw DescriptorError(path: path, message: "not a folder (expected scene folders from `osprey sim collect`)") }
  if FileManager.default.fileExists(atPath: path + "/cameras.json") { return [path] }
  let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
  let scenes = names.map { (path as NSString).appendingPathComponent($0) }
    .filter { FileManager.default.fileExists(atPath: $0 + "/cameras.json") }
  guard !scenes.isEmpty else {
    throw DescriptorError(path: path, message: "no scene folders (expected DIR/scene-*/cameras.json as `osprey sim collect` writes)")
  }
  return scenes
}

/// Colour jitter, horizontal flip and object-centred crops, applied to the images of a training pair.
public struct Augmentation: Sendable, Equatable {
  /// Brightness, contrast and saturation factors are drawn from [1 − j, 1 + j] per image.
  public var colourJitter = 0.2
  /// Probability of flipping both images of a pair left–right (correspondences flipped with them).
  public var flipProbability = 0.5
  /// Each image of a pair is cut, independently, to a window placed at random where it holds the
  /// whole of the view's object mask; correspondences that leave a window are dropped. The network is
  /// fully convolutional, so a model trained on windows is evaluated on whole images; the windows
  /// spend less of each step on background (a mug fills 3–7% of a 320×240 view). Default `.half`.
  public var crop = Crop.half

  /// The training window.
  public enum Crop: Sendable, Equatable {
    /// Whole images.
    case none
    /// Half the model's width and height, rounded down to multiples of 8 (at least 8): 160×120 at
    /// 320×240, where a mug seen from the collection's orbit spans at most about 85×105 pixels.
    case half
    /// A window of this size in model pixels (clamped to the model's resolution).
    case size(width: Int, height: Int)

    /// The window's width and height for a model of `configuration`'s resolution.
    public func window(for configuration: DescriptorConfiguration) -> (width: Int, height: Int) {
      let (w, h) = (configuration.width, configuration.height)
      switch self {
      case .none: return (w, h)
      case .half: return (min(w, max(8, w / 16 * 8)), min(h, max(8, h / 16 * 8)))
      case .size(let cw, let ch): return (min(w, max(1, cw)), min(h, max(1, ch)))
      }
    }
  }

  public init() {}

  /// No colour jitter and no flips (the windows stay: they change what a step costs more than what
  /// the network learns).
  public static let none: Augmentation = { var a = Augmentation(); a.colourJitter = 0; a.flipProbability = 0; return a }()
}

/// Converts an RGB image to a normalized network input [1, 3, H, W] at the model's resolution.
///
/// Jitter (brightness × b, contrast about the mean × c, saturation towards grey × s) happens in
/// [0, 1] before normalization; `flip` mirrors columns. Resizing is bilinear (libtorch).
public func networkInput(_ rgb: Image8, configuration: DescriptorConfiguration, flip: Bool = false,
                         jitter: (brightness: Float, contrast: Float, saturation: Float) = (1, 1, 1)) throws -> Tensor {
  precondition(rgb.channels == 3, "networkInput: expected 3 channels, got \(rgb.channels)")
  let w = rgb.width, h = rgb.height, n = w * h
  var planes = [Float](repeating: 0, count: 3 * n)
  var mean: Float = 0
  rgb.pixels.withUnsafeBufferPointer { src in
    for y in 0..<h {
      for x in 0..<w {
        let from = (y * w + (flip ? w - 1 - x : x)) * 3, to = y * w + x
        let r = Float(src[from]) / 255 * jitter.brightness
        let g = Float(src[from + 1]) / 255 * jitter.brightness
        let b = Float(src[from + 2]) / 255 * jitter.brightness
        let grey = 0.299 * r + 0.587 * g + 0.114 * b
        planes[to] = grey + (r - grey) * jitter.saturation
        planes[n + to] = grey + (g - grey) * jitter.saturation
        planes[2 * n + to] = grey + (b - grey) * jitter.saturation
        mean += grey
      }
    }
  }
  mean /= Float(n)
  for c in 0..<3 {
    let m = configuration.normalizationMean[c], s = configuration.normalizationStd[c]
    for i in 0..<n {
      let v = min(1, max(0, mean + (planes[c * n + i] - mean) * jitter.contrast))
      planes[c * n + i] = (v - m) / s
    }
  }
  let x = try Tensor(planes, shape: [1, 3, h, w])
  if w == configuration.width && h == configuration.height { return x }
  return try Functional.interpolateBilinear(x, size: (configuration.height, configuration.width), alignCorners: false)
}

/// Maps a pixel of a `from`-sized image to the nearest pixel of a `to`-sized one (pixel centres scale).
@inline(__always)
func scaledPixel(_ p: SIMD2<Double>, from: (w: Int, h: Int), to: (w: Int, h: Int)) -> SIMD2<Double> {
  SIMD2((p.x + 0.5) * Double(to.w) / Double(from.w) - 0.5, (p.y + 0.5) * Double(to.h) / Double(from.h) - 0.5)
}

/// One scene prepared for training: its images, its reconstruction's masks and the correspondence
/// finder (fusion and meshing done once, here; the simulator's ground truth is not read).
public struct TrainingScene: Sendable {
  public let path: String
  public let rgb: [Image8]
  public let masks: [Image8]
  public let finder: ReconstructionCorrespondences
  /// Each mask's bounding box in data pixels (nil for an empty mask), found once here rather than
  /// on every training pair that places a window.
  let maskBoxes: [PixelBox?]

  /// Reads the scene folder, fuses its depth over the table-top box around the point the cameras
  /// look at, and renders the reconstruction into every view.
  public init(path: String) throws {
    let folder = try SceneFolder(path: path)
    let views = try (0..<folder.viewCount).map { i throws(PerceptionError) in try folder.view(i) }
    guard let centre = folder.cameras.lookAtPoint else {
      throw DescriptorError(path: folder.file("cameras.json"), message: "the views do not look at a common point (no orbit)")
    }
    let K = folder.cameras.intrinsics, poses = views.map(\.X_WC)
    let box = TSDFVolume.tableTopBox(centre: SIMD2(centre.x, centre.y), halfWidthMetres: 0.13, tableTopHeightMetres: 0.75, heightMetres: 0.25)
    let reconstruction = ObjectReconstruction(depthMillimetres: views.map(\.depthMillimetres), poses: poses, intrinsics: K, box: box)
    self.path = path
    rgb = views.map(\.rgb)
    masks = poses.map { reconstruction.mask(intrinsics: K, X_WC: $0) }
    maskBoxes = masks.map(Self.boundingBox)
    finder = ReconstructionCorrespondences(mesh_W: reconstruction.sceneMesh_W, intrinsics: K, poses: poses,
                                           measuredDepthMillimetres: views.map(\.depthMillimetres))
  }

  public var viewCount: Int { rgb.count }

  /// The smallest box of pixels holding every non-zero pixel of `mask` (nil when there is none).
  static func boundingBox(of mask: Image8) -> PixelBox? {
    var low = SIMD2(Int.max, Int.max), high = SIMD2(Int.min, Int.min)
    mask.pixels.withUnsafeBufferPointer { m in
      for y in 0..<mask.height { for x in 0..<mask.width where m[(y * mask.width + x) * mask.channels] > 0 {
        low = pointwiseMin(low, SIMD2(x, y))
        high = pointwiseMax(high, SIMD2(x, y))
      } }
    }
    return low.x <= high.x ? PixelBox(low: low, high: high) : nil
  }
}

/// A training pair: the two network inputs and the correspondences at the model's resolution.
public struct TrainingPair {
  public var inputA: Tensor
  public var inputB: Tensor
  /// Where each input's window starts in the (flipped) model-resolution image ((0, 0) without crops);
  /// `indices` are pixel indices of the windows.
  public var originA = SIMD2<Int>(0, 0)
  public var originB = SIMD2<Int>(0, 0)
  /// Whether both images (and their correspondences) were mirrored left–right.
  public var flipped = false
  public var indices: PairIndices
  public var scene: Int
  public var viewA: Int
  public var viewB: Int
}

/// Draws training pairs: a scene, two distinct training views of it, correspondences from the
/// reconstruction (`ReconstructionCorrespondences.sample`), augmentation.
public struct PairSampler {
  public let scenes: [TrainingScene]
  public let configuration: DescriptorConfiguration
  public var sampling: CorrespondenceSamplingOptions
  public var augmentation: Augmentation
  /// The training views of each scene (held-out views excluded).
  public let trainingViews: [[Int]]
  var generator: SeededGenerator

  public init(scenes: [TrainingScene], configuration: DescriptorConfiguration, sampling: CorrespondenceSamplingOptions = CorrespondenceSamplingOptions(),
              augmentation: Augmentation = Augmentation(), seed: UInt64) {
    self.scenes = scenes
    self.configuration = configuration
    self.sampling = sampling
    self.augmentation = augmentation
    trainingViews = scenes.map { scene in (0..<scene.viewCount).filter { !configuration.isHeldOut(view: $0) } }
    generator = SeededGenerator(seed: seed)
  }

  /// Whether some scene has two training views.
  public var canDraw: Bool { trainingViews.contains { $0.count >= 2 } }

  /// The next pair (retries up to 20 draws for a pair with at least 10 matches).
  ///
  /// Each draw takes, in this order: a scene and two of its training views, the correspondence
  /// seed, the flip, both images' colour jitter, and (with windows) the windows' origins — last, so
  /// that samplers seeded alike with and without windows draw the same pair. With windows, B's
  /// background non-matches are drawn inside B's window (`CorrespondenceSamplingOptions.backgroundRegionB`),
  /// as many per match as the window's share of the image (the density over a whole image), instead
  /// of over the whole image only for most of them to be dropped.
  public mutating func next() throws -> TrainingPair {
    precondition(canDraw, "PairSampler: no scene has two training views")
    let eligible = trainingViews.indices.filter { trainingViews[$0].count >= 2 }
    let target = (w: configuration.width, h: configuration.height)
    let size = augmentation.crop.window(for: configuration)
    let window = (w: size.width, h: size.height), windowed = window != target
    var windowSampling = sampling
    if windowed {  // the window's share of the image's background non-matches, rounded up
      let share = Double(window.w * window.h) / Double(target.w * target.h)
      windowSampling.backgroundNonMatchesPerMatch = Int((Double(sampling.backgroundNonMatchesPerMatch) * share).rounded(.up))
    }
    typealias Jitter = (Float, Float, Float)
    var best: (sample: CorrespondenceSample, s: Int, a: Int, b: Int, map: PixelMap, jitter: (Jitter, Jitter), origins: (SIMD2<Int>, SIMD2<Int>))?
    for _ in 0..<20 {
      let s = eligible.randomElement(using: &generator)!
      let views = trainingViews[s]
      let i = Int.random(in: 0..<views.count, using: &generator)
      var j = Int.random(in: 0..<(views.count - 1), using: &generator)
      if j >= i { j += 1 }
      var options = windowSampling
      options.seed = generator.next()
      let (a, b) = (views[i], views[j])
      let flip = Double.random(in: 0..<1, using: &generator) < augmentation.flipProbability
      let jitter = (self.jitter(), self.jitter())
      let scene = scenes[s], map = PixelMap(source: (scene.rgb[a].width, scene.rgb[a].height), target: target, flip: flip)
      var origins = (SIMD2(0, 0), SIMD2(0, 0))
      if windowed {
        origins = (cropOrigin(box: scene.maskBoxes[a], window: window, map: map), cropOrigin(box: scene.maskBoxes[b], window: window, map: map))
        options.backgroundRegionB = map.sourceBox(of: PixelBox(low: origins.1, high: origins.1 &+ SIMD2(window.w - 1, window.h - 1)))
      }
      let sample = scene.finder.sample(from: a, to: b, maskA: scene.masks[a], maskB: scene.masks[b], options: options)
      if best == nil || sample.matches.count > best!.sample.matches.count { best = (sample, s, a, b, map, jitter, origins) }
      if sample.matches.count >= 10 { break }
    }
    let (sample, s, a, b, map, jitter, (originA, originB)) = best!
    let scene = scenes[s], flip = map.flip
    var inputA = try networkInput(scene.rgb[a], configuration: configuration, flip: flip, jitter: jitter.0)
    var inputB = try networkInput(scene.rgb[b], configuration: configuration, flip: flip, jitter: jitter.1)
    if windowed {
      inputA = try inputA.narrow(2, start: originA.y, length: window.h).narrow(3, start: originA.x, length: window.w)
      inputB = try inputB.narrow(2, start: originB.y, length: window.h).narrow(3, start: originB.x, length: window.w)
    }
    /// Index of `p` in the window that starts at `origin` (nil outside it).
    func index(_ p: SIMD2<Int>, _ origin: SIMD2<Int>) -> Int64? {
      let q = map(p) &- origin
      guard q.x >= 0, q.y >= 0, q.x < window.w, q.y < window.h else { return nil }
      return Int64(q.y * window.w + q.x)
    }
    /// The pairs whose pixels lie in both windows, as window indices.
    func kept(_ pairs: [PixelPair]) -> (a: [Int64], b: [Int64]) {
      var a: [Int64] = [], b: [Int64] = []
      a.reserveCapacity(pairs.count)
      b.reserveCapacity(pairs.count)
      for pair in pairs { if let i = index(pair.a, originA), let j = index(pair.b, originB) { a.append(i); b.append(j) } }
      return (a, b)
    }
    let (matches, objectNonMatches, backgroundNonMatches) = (kept(sample.matches), kept(sample.objectNonMatches), kept(sample.backgroundNonMatches))
    let indices = PairIndices(matchesA: matches.a, matchesB: matches.b, objectNonMatchesA: objectNonMatches.a, objectNonMatchesB: objectNonMatches.b,
                              backgroundNonMatchesA: backgroundNonMatches.a, backgroundNonMatchesB: backgroundNonMatches.b)
    return TrainingPair(inputA: inputA, inputB: inputB, originA: originA, originB: originB, flipped: flip, indices: indices, scene: s, viewA: a, viewB: b)
  }

  /// Brightness, contrast and saturation factors for one image.
  mutating func jitter() -> (Float, Float, Float) {
    let j = Float(augmentation.colourJitter)
    guard j > 0 else { return (1, 1, 1) }
    return (Float.random(in: (1 - j)...(1 + j), using: &generator), Float.random(in: (1 - j)...(1 + j), using: &generator),
            Float.random(in: (1 - j)...(1 + j), using: &generator))
  }

  /// A random origin for a `window`-sized crop of the model image that holds `box` (a mask's
  /// bounding box in data pixels, taken to the model's resolution by `map`, which is monotone in each
  /// axis, so the box's corners bound the mapped mask); when the box is larger than the window, the
  /// window lies at random within the box; no box puts the window anywhere.
  mutating func cropOrigin(box: PixelBox?, window: (w: Int, h: Int), map: PixelMap) -> SIMD2<Int> {
    var low = SIMD2(Int.max, Int.max), high = SIMD2(Int.min, Int.min)
    if let box {
      let (p, q) = (map(box.low), map(box.high))  // a flip swaps the corners' x order
      (low, high) = (pointwiseMin(p, q), pointwiseMax(p, q))
    }
    let target = SIMD2(configuration.width, configuration.height), size = SIMD2(window.w, window.h)
    var origin = SIMD2(0, 0)
    for k in 0..<2 {
      let last = target[k] - size[k]
      guard low[k] <= high[k] else { origin[k] = Int.random(in: 0...last, using: &generator); continue }
      // Windows that hold [low, high]: origin in [high − size + 1, low]; clamped to the image.
      var from = high[k] - size[k] + 1, to = low[k]
      if from > to { swap(&from, &to) }
      from = min(max(from, 0), last)
      to = min(max(to, 0), last)
      origin[k] = Int.random(in: from...to, using: &generator)
    }
    return origin
  }
}

/// Data pixels to model pixels: mirrored left–right when `flip`, then scaled (pixel centres scale)
/// to the nearest model pixel, clamped to the model image. Without scaling it only mirrors.
struct PixelMap {
  let source: (w: Int, h: Int)
  let target: (w: Int, h: Int)
  let flip: Bool

  @inline(__always)
  func callAsFunction(_ p: SIMD2<Int>) -> SIMD2<Int> {
    let x = flip ? source.w - 1 - p.x : p.x
    if source == target { return SIMD2(x, p.y) }
    let q = scaledPixel(SIMD2(Double(x), Double(p.y)), from: source, to: target)
    return SIMD2(min(target.w - 1, max(0, Int(q.x.rounded()))), min(target.h - 1, max(0, Int(q.y.rounded()))))
  }

  /// A box of data pixels that holds every data pixel mapped into `box` (model pixels): exact
  /// without scaling, wider on each side by half a model pixel's span in data pixels and one more
  /// with it (callers keep only what lands inside).
  func sourceBox(of box: PixelBox) -> PixelBox {
    func back(_ q: SIMD2<Int>) -> SIMD2<Int> {
      let p = source == target ? q : SIMD2(Int(((Double(q.x) + 0.5) * Double(source.w) / Double(target.w) - 0.5).rounded()),
                                           Int(((Double(q.y) + 0.5) * Double(source.h) / Double(target.h) - 0.5).rounded()))
      return SIMD2(flip ? source.w - 1 - p.x : p.x, p.y)
    }
    let (p, q) = (back(box.low), back(box.high)), margin = source == target ? 0
      : 1 + Int((0.5 * max(Double(source.w) / Double(target.w), Double(source.h) / Double(target.h))).rounded(.up))
    return PixelBox(low: pointwiseMin(p, q) &- margin, high: pointwiseMax(p, q) &+ margin).clamped(width: source.w, height: source.h)
  }
}

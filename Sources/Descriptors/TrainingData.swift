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

/// Colour jitter, horizontal flip, in-plane rotation and object-centred crops, applied to the images
/// of a training pair.
public struct Augmentation: Sendable, Equatable {
  /// Brightness, contrast and saturation factors are drawn from [1 − j, 1 + j] per image.
  public var colourJitter = 0.2
  /// Probability of flipping both images of a pair left–right (correspondences flipped with them).
  public var flipProbability = 0.5
  /// Each image of a pair is turned, independently, by an angle drawn uniformly from
  /// [−rotation, rotation] (radians) about the centre of its object mask's bounding box, with its
  /// correspondences (0: no rotation). Seen from above, a mug turns in the image as the camera
  /// orbits; the turned pairs show every instance at many more in-plane angles than its views do.
  public var rotation = 0.0
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

  /// No colour jitter, no flips and no rotation (the windows stay: they change what a step costs
  /// more than what the network learns).
  public static let none: Augmentation = { var a = Augmentation(); a.colourJitter = 0; a.flipProbability = 0; a.rotation = 0; return a }()
}

/// Converts an RGB image to a normalized network input [1, 3, H, W] at the model's resolution.
///
/// Jitter (brightness × b, contrast about the mean × c, saturation towards grey × s) happens in
/// [0, 1] before normalization; `flip` mirrors columns; `rotation` then turns the (mirrored) image
/// by `angle` radians about `centre` (image pixels, x right and y down, so a positive angle turns
/// clockwise on screen), sampling bilinearly and repeating the border pixels beyond the image.
/// Resizing is bilinear (libtorch).
public func networkInput(_ rgb: Image8, configuration: DescriptorConfiguration, flip: Bool = false,
                         jitter: (brightness: Float, contrast: Float, saturation: Float) = (1, 1, 1),
                         rotation: (angle: Double, centre: SIMD2<Double>)? = nil) throws -> Tensor {
  precondition(rgb.channels == 3, "networkInput: expected 3 channels, got \(rgb.channels)")
  let w = rgb.width, h = rgb.height, n = w * h
  var planes = [Float](repeating: 0, count: 3 * n)
  var mean: Float = 0
  let turn = rotation.map { (c: $0.centre, cos: cos($0.angle), sin: sin($0.angle)) }
  rgb.pixels.withUnsafeBufferPointer { src in
    /// Channel `k` of the mirrored image at pixel (x, y) (clamped to the image; for turned images).
    @inline(__always) func at(_ x: Int, _ y: Int, _ k: Int) -> Float {
      let xc = min(w - 1, max(0, x)), yc = min(h - 1, max(0, y))
      return Float(src[(yc * w + (flip ? w - 1 - xc : xc)) * 3 + k])
    }
    for y in 0..<h {
      for x in 0..<w {
        let to = y * w + x
        var rgb: (Float, Float, Float)
        if let turn {  // the output pixel comes from R(−angle)(p − c) + c
          let dx = Double(x) - turn.c.x, dy = Double(y) - turn.c.y
          let sx = turn.cos * dx + turn.sin * dy + turn.c.x, sy = -turn.sin * dx + turn.cos * dy + turn.c.y
          let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
          let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
          func sample(_ k: Int) -> Float {
            (1 - fy) * ((1 - fx) * at(x0, y0, k) + fx * at(x0 + 1, y0, k)) + fy * ((1 - fx) * at(x0, y0 + 1, k) + fx * at(x0 + 1, y0 + 1, k))
          }
          rgb = (sample(0), sample(1), sample(2))
        } else {  // in the image: no clamping on this, the common, path
          let from = (y * w + (flip ? w - 1 - x : x)) * 3
          rgb = (Float(src[from]), Float(src[from + 1]), Float(src[from + 2]))
        }
        let r = rgb.0 / 255 * jitter.brightness
        let g = rgb.1 / 255 * jitter.brightness
        let b = rgb.2 / 255 * jitter.brightness
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
  /// The point every view looks at (world frame): the axis of ring non-matches passes through it.
  public let orbitCentre_W: SIMD3<Double>

  /// Views past the captured ones are synthesized (`ViewSynthesisOptions`); they are never held out.
  public let capturedViewCount: Int

  /// Reads the scene folder, fuses its depth over the table-top box around the point the cameras
  /// look at, and renders the reconstruction into every view; with `synthesis`, appends views
  /// synthesized from the captured views that `heldOutEvery` does not hold out (every Nth view,
  /// views N−1, 2N−1, …; 0: none held out), as `DescriptorConfiguration.heldOutEvery` says.
  public init(path: String, synthesis: ViewSynthesisOptions = ViewSynthesisOptions(), heldOutEvery: Int = 0) throws {
    let folder = try SceneFolder(path: path)
    let views = try (0..<folder.viewCount).map { i throws(PerceptionError) in try folder.view(i) }
    guard let centre = folder.cameras.lookAtPoint else {
      throw DescriptorError(path: folder.file("cameras.json"), message: "the views do not look at a common point (no orbit)")
    }
    let K = folder.cameras.intrinsics, captured = views.map(\.X_WC)
    let tableTop = 0.75
    let box = TSDFVolume.tableTopBox(centre: SIMD2(centre.x, centre.y), halfWidthMetres: 0.13, tableTopHeightMetres: tableTop, heightMetres: 0.25)
    let reconstruction = ObjectReconstruction(depthMillimetres: views.map(\.depthMillimetres), poses: captured, intrinsics: K, box: box)
    // Synthesized poses: each captured training view's camera moved along the orbit.
    let sources = (0..<views.count).filter { !DescriptorConfiguration.isHeldOut(view: $0, every: heldOutEvery) }
    var generator = SeededGenerator(seed: synthesis.seed ^ ViewSynthesis.hash((path as NSString).standardizingPath))
    var synthesized: [(source: Int, X_WC: RigidTransform)] = []
    if synthesis.viewsPerView > 0 {
      let (azimuth, elevation) = (synthesis.azimuthDegrees * .pi / 180, synthesis.elevationDegrees * .pi / 180)
      for source in sources {
        for _ in 0..<synthesis.viewsPerView {
          let a = azimuth > 0 ? Double.random(in: -azimuth...azimuth, using: &generator) : 0
          let e = elevation > 0 ? Double.random(in: -elevation...elevation, using: &generator) : 0
          synthesized.append((source, ViewSynthesis.orbitPose(captured[source], centre_W: centre, azimuth: a, elevation: e)))
        }
      }
    }
    let poses = captured + synthesized.map(\.X_WC)
    let noReading = Image16(width: K.width, height: K.height, channels: 1, pixels: [UInt16](repeating: 0, count: K.width * K.height))
    self.path = path
    orbitCentre_W = centre
    capturedViewCount = views.count
    finder = ReconstructionCorrespondences(mesh_W: reconstruction.sceneMesh_W, intrinsics: K, poses: poses,
                                           measuredDepthMillimetres: views.map(\.depthMillimetres) + synthesized.map { _ in noReading })
    var images = views.map(\.rgb)
    if !synthesized.isEmpty {
      /// The direction from the centre to a captured camera.
      func direction(_ view: Int) -> SIMD3<Double> {
        let d = captured[view].translation - centre
        return d / max(1e-12, (d * d).sum().squareRoot())
      }
      for (k, view) in synthesized.enumerated() {
        // The source first, then the other training views, those whose cameras point most alike first.
        let camera = view.X_WC.translation - centre
        let others = sources.filter { $0 != view.source }.sorted { (direction($0) * camera).sum() > (direction($1) * camera).sum() }
        images.append(ViewSynthesis.image(at: finder.renderings[views.count + k], sources: [view.source] + others,
                                          images: images, renderings: finder.renderings, measuredDepthMetres: finder.measuredDepthMetres,
                                          tableTopHeightMetres: tableTop))
      }
    }
    rgb = images
    masks = poses.map { reconstruction.mask(intrinsics: K, X_WC: $0) }
    maskBoxes = masks.map(Self.boundingBox)
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
  /// The in-plane rotation of each image (radians, about its mask's centre; 0 without rotation).
  public var rotationA = 0.0
  public var rotationB = 0.0
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
  /// The training views of each scene (held-out views excluded, synthesized views included).
  public let trainingViews: [[Int]]
  /// The probability that a pair is drawn around a view the network finds hard (0, the default:
  /// every pair uniform). Such a pair takes one view in proportion to its running loss
  /// (`record(loss:for:)`; a view not yet scored counts as the mean of those scored), the other
  /// uniformly among its scene's training views, and puts the hard one first or second at random.
  /// Online hard-example mining at the level of views (after Shrivastava, Gupta, Girshick,
  /// "Training region-based object detectors with online hard example mining", CVPR 2016): the far
  /// misses gather in a few views (those from high above), which uniform pairs visit no more often
  /// than the rest. `train` sets it from `TrainingOptions.hardViewFraction` and reports each step's
  /// loss, so it has one home: the training options.
  public internal(set) var hardViewFraction = 0.0
  /// Running loss of each training view (indexed like `trainingViews`; nil: not yet scored).
  public private(set) var viewLoss: [[Double?]]
  var generator: SeededGenerator

  public init(scenes: [TrainingScene], configuration: DescriptorConfiguration, sampling: CorrespondenceSamplingOptions = CorrespondenceSamplingOptions(),
              augmentation: Augmentation = Augmentation(), seed: UInt64) {
    self.scenes = scenes
    self.configuration = configuration
    self.sampling = sampling
    self.augmentation = augmentation
    trainingViews = scenes.map { scene in (0..<scene.viewCount).filter { $0 >= scene.capturedViewCount || !configuration.isHeldOut(view: $0) } }
    viewLoss = trainingViews.map { Array(repeating: nil, count: $0.count) }
    generator = SeededGenerator(seed: seed)
  }

  /// A copy that draws its own stream, for training worker `k` ≥ 1 (`TrainingOptions.workers`;
  /// worker 0 is the sampler itself): its generator is seeded with a hash of `seed` and `k`, so
  /// that the streams do not overlap.
  public func forWorker(_ k: Int, seed: UInt64) -> PairSampler {
    var mixer = SeededGenerator(seed: seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(truncatingIfNeeded: k)))
    var copy = self
    copy.generator = SeededGenerator(seed: mixer.next())
    return copy
  }

  /// Folds a step's loss into the running loss of both views of `pair` (an exponential average,
  /// a fifth for the new value; a first value is taken as it is). Non-finite losses are ignored.
  mutating func record(loss: Double, for pair: TrainingPair) {
    record(loss: loss, scene: pair.scene, view: pair.viewA)
    record(loss: loss, scene: pair.scene, view: pair.viewB)
  }

  /// Folds `loss` into the running loss of `view` (a view number of the scene, not an index).
  mutating func record(loss: Double, scene: Int, view: Int) {
    guard loss.isFinite, scene >= 0, scene < trainingViews.count, let k = trainingViews[scene].firstIndex(of: view) else { return }
    viewLoss[scene][k] = viewLoss[scene][k].map { 0.8 * $0 + 0.2 * loss } ?? loss
  }

  /// A scene and the index (into its `trainingViews`) of a view drawn in proportion to the views'
  /// running losses, nil while no view is scored.
  mutating func hardView(among eligible: [Int]) -> (scene: Int, index: Int)? {
    let known = eligible.flatMap { viewLoss[$0].compactMap { $0 } }
    guard !known.isEmpty else { return nil }
    let mean = known.reduce(0, +) / Double(known.count)
    let total = eligible.reduce(0.0) { sum, s in viewLoss[s].reduce(sum) { $0 + max(0, $1 ?? mean) } }
    guard total > 0 else { return nil }
    var u = Double.random(in: 0..<total, using: &generator)
    for s in eligible {
      for (k, loss) in viewLoss[s].enumerated() {
        u -= max(0, loss ?? mean)
        if u < 0 { return (s, k) }
      }
    }
    return (eligible.last!, viewLoss[eligible.last!].count - 1)
  }

  /// Whether some scene has two training views.
  public var canDraw: Bool { trainingViews.contains { $0.count >= 2 } }

  /// The next pair (retries up to 20 draws for a pair with at least 10 matches).
  ///
  /// Each draw takes, in this order: a scene and two of its training views, the correspondence
  /// seed, the flip, both images' colour jitter, (with rotation) both images' angles, and (with
  /// windows) the windows' origins — last, so that samplers seeded alike with and without windows
  /// draw the same pair. With windows, B's background non-matches are drawn inside B's window
  /// (`CorrespondenceSamplingOptions.backgroundRegionB`), as many per match as the window's share of
  /// the image (the density over a whole image), instead of over the whole image only for most of
  /// them to be dropped; a turned window's are drawn in the bounding box of its turned outline, more
  /// of them by the ratio of that box's area to the window's.
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
    var best: (sample: CorrespondenceSample, s: Int, a: Int, b: Int, maps: (PixelMap, PixelMap), jitter: (Jitter, Jitter), origins: (SIMD2<Int>, SIMD2<Int>))?
    for _ in 0..<20 {
      // A scene and a first view, hard or uniform; then the other view uniformly among the rest.
      var s: Int, i: Int
      let hard = hardViewFraction > 0 && Double.random(in: 0..<1, using: &generator) < hardViewFraction ? hardView(among: eligible) : nil
      if let hard {
        (s, i) = hard
      } else {
        s = eligible.randomElement(using: &generator)!
        i = Int.random(in: 0..<trainingViews[s].count, using: &generator)
      }
      let views = trainingViews[s]
      var j = Int.random(in: 0..<(views.count - 1), using: &generator)
      if j >= i { j += 1 }
      if hard != nil, Bool.random(using: &generator) { swap(&i, &j) }
      var options = windowSampling
      options.seed = generator.next()
      options.ringAxisPoint_W = scenes[s].orbitCentre_W
      let (a, b) = (views[i], views[j])
      let flip = Double.random(in: 0..<1, using: &generator) < augmentation.flipProbability
      let jitter = (self.jitter(), self.jitter())
      let scene = scenes[s], source = (w: scene.rgb[a].width, h: scene.rgb[a].height)
      var maps = (PixelMap(source: source, target: target, flip: flip), PixelMap(source: source, target: target, flip: flip))
      if augmentation.rotation > 0 {
        /// The centre of a view's mask box in the mirrored image (the image's centre without a mask).
        func centre(_ view: Int) -> SIMD2<Double> {
          guard let box = scene.maskBoxes[view] else { return SIMD2(Double(source.w - 1), Double(source.h - 1)) / 2 }
          let c = SIMD2(Double(box.low.x + box.high.x), Double(box.low.y + box.high.y)) / 2
          return SIMD2(flip ? Double(source.w - 1) - c.x : c.x, c.y)
        }
        let r = augmentation.rotation
        maps.0.rotation = (Double.random(in: -r...r, using: &generator), centre(a))
        maps.1.rotation = (Double.random(in: -r...r, using: &generator), centre(b))
      }
      var origins = (SIMD2(0, 0), SIMD2(0, 0))
      if windowed {
        origins = (cropOrigin(box: scene.maskBoxes[a], window: window, map: maps.0), cropOrigin(box: scene.maskBoxes[b], window: window, map: maps.1))
        options.backgroundRegionB = maps.1.sourceBox(of: PixelBox(low: origins.1, high: origins.1 &+ SIMD2(window.w - 1, window.h - 1)))
        if let angle = maps.1.rotation?.angle {  // the turned window's bounding box is larger than the window
          let (c, n) = (abs(cos(angle)), abs(sin(angle))), (w, h) = (Double(window.w), Double(window.h))
          let ratio = (c * w + n * h) * (n * w + c * h) / (w * h)
          options.backgroundNonMatchesPerMatch = Int((Double(windowSampling.backgroundNonMatchesPerMatch) * ratio).rounded(.up))
        }
      }
      let sample = scene.finder.sample(from: a, to: b, maskA: scene.masks[a], maskB: scene.masks[b], options: options)
      if best == nil || sample.matches.count > best!.sample.matches.count { best = (sample, s, a, b, maps, jitter, origins) }
      if sample.matches.count >= 10 { break }
    }
    let (sample, s, a, b, (mapA, mapB), jitter, (originA, originB)) = best!
    let scene = scenes[s], flip = mapA.flip
    var inputA = try networkInput(scene.rgb[a], configuration: configuration, flip: flip, jitter: jitter.0, rotation: mapA.rotation)
    var inputB = try networkInput(scene.rgb[b], configuration: configuration, flip: flip, jitter: jitter.1, rotation: mapB.rotation)
    if windowed {
      inputA = try inputA.narrow(2, start: originA.y, length: window.h).narrow(3, start: originA.x, length: window.w)
      inputB = try inputB.narrow(2, start: originB.y, length: window.h).narrow(3, start: originB.x, length: window.w)
    }
    /// Index of `p` (mapped by `map`) in the window that starts at `origin` (nil outside it).
    func index(_ p: SIMD2<Int>, _ map: PixelMap, _ origin: SIMD2<Int>) -> Int64? {
      let q = map(p) &- origin
      guard q.x >= 0, q.y >= 0, q.x < window.w, q.y < window.h else { return nil }
      return Int64(q.y * window.w + q.x)
    }
    /// The pairs of `lists`, in order, whose pixels lie in both windows, as window indices.
    func kept(_ lists: [PixelPair]...) -> (a: [Int64], b: [Int64]) {
      var a: [Int64] = [], b: [Int64] = []
      let count = lists.reduce(0) { $0 + $1.count }
      a.reserveCapacity(count)
      b.reserveCapacity(count)
      for pairs in lists {
        for pair in pairs { if let i = index(pair.a, mapA, originA), let j = index(pair.b, mapB, originB) { a.append(i); b.append(j) } }
      }
      return (a, b)
    }
    // Ring non-matches join the object non-matches, after them (no joined copy of the 75-per-match list).
    let (matches, objectNonMatches, backgroundNonMatches) = (kept(sample.matches), kept(sample.objectNonMatches, sample.ringNonMatches),
                                                             kept(sample.backgroundNonMatches))
    let indices = PairIndices(matchesA: matches.a, matchesB: matches.b, objectNonMatchesA: objectNonMatches.a, objectNonMatchesB: objectNonMatches.b,
                              backgroundNonMatchesA: backgroundNonMatches.a, backgroundNonMatchesB: backgroundNonMatches.b)
    return TrainingPair(inputA: inputA, inputB: inputB, originA: originA, originB: originB, flipped: flip,
                        rotationA: mapA.rotation?.angle ?? 0, rotationB: mapB.rotation?.angle ?? 0, indices: indices, scene: s, viewA: a, viewB: b)
  }

  /// Brightness, contrast and saturation factors for one image.
  mutating func jitter() -> (Float, Float, Float) {
    let j = Float(augmentation.colourJitter)
    guard j > 0 else { return (1, 1, 1) }
    return (Float.random(in: (1 - j)...(1 + j), using: &generator), Float.random(in: (1 - j)...(1 + j), using: &generator),
            Float.random(in: (1 - j)...(1 + j), using: &generator))
  }

  /// A random origin for a `window`-sized crop of the model image that holds `box` (a mask's
  /// bounding box in data pixels, taken to the model's resolution by `map`: the box of its four
  /// mapped corners bounds the mapped mask); when that box is larger than the window, the window lies
  /// at random within it; no box puts the window anywhere.
  mutating func cropOrigin(box: PixelBox?, window: (w: Int, h: Int), map: PixelMap) -> SIMD2<Int> {
    var low = SIMD2(Int.max, Int.max), high = SIMD2(Int.min, Int.min)
    if let box {
      for corner in box.corners {
        let p = map(corner)
        (low, high) = (pointwiseMin(low, p), pointwiseMax(high, p))
      }
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

/// Data pixels to model pixels: mirrored left–right when `flip`, turned by `rotation` (radians
/// about a centre in the mirrored image's pixels, as `networkInput` turns the image), then scaled
/// (pixel centres scale) to the nearest model pixel, clamped to the model image when not turned (a
/// turned pixel may leave the image, and with it every window). Without scaling or turning it only
/// mirrors.
struct PixelMap {
  let source: (w: Int, h: Int)
  let target: (w: Int, h: Int)
  let flip: Bool
  var rotation: (angle: Double, centre: SIMD2<Double>)? = nil {
    didSet { turn = rotation.map { (cos($0.angle), sin($0.angle), $0.centre) } }
  }
  private var turn: (cos: Double, sin: Double, centre: SIMD2<Double>)?

  init(source: (w: Int, h: Int), target: (w: Int, h: Int), flip: Bool) {
    (self.source, self.target, self.flip) = (source, target, flip)
  }

  @inline(__always)
  func callAsFunction(_ p: SIMD2<Int>) -> SIMD2<Int> {
    let x = flip ? source.w - 1 - p.x : p.x
    if let turn {
      let d = SIMD2(Double(x), Double(p.y)) - turn.centre
      var q = SIMD2(turn.cos * d.x - turn.sin * d.y, turn.sin * d.x + turn.cos * d.y) + turn.centre
      if source != target { q = scaledPixel(q, from: source, to: target) }
      return SIMD2(Int(q.x.rounded()), Int(q.y.rounded()))
    }
    if source == target { return SIMD2(x, p.y) }
    let q = scaledPixel(SIMD2(Double(x), Double(p.y)), from: source, to: target)
    return SIMD2(min(target.w - 1, max(0, Int(q.x.rounded()))), min(target.h - 1, max(0, Int(q.y.rounded()))))
  }

  /// A box of data pixels that holds every data pixel mapped into `box` (model pixels): exact
  /// without scaling, wider on each side by half a model pixel's span in data pixels and one more
  /// with it (callers keep only what lands inside).
  func sourceBox(of box: PixelBox) -> PixelBox {
    if let turn {  // the box of the four corners taken back, one pixel wider and half a model pixel's span more
      var low = SIMD2(Double.infinity, .infinity), high = -low
      for q in box.corners {
        var r = SIMD2(Double(q.x), Double(q.y))
        if source != target { r = scaledPixel(r, from: target, to: source) }
        let d = r - turn.centre
        var p = SIMD2(turn.cos * d.x + turn.sin * d.y, -turn.sin * d.x + turn.cos * d.y) + turn.centre
        if flip { p.x = Double(source.w - 1) - p.x }
        (low, high) = (pointwiseMin(low, p), pointwiseMax(high, p))
      }
      let margin = 1 + 0.5 * max(Double(source.w) / Double(target.w), Double(source.h) / Double(target.h))
      return PixelBox(low: SIMD2(Int((low.x - margin).rounded(.down)), Int((low.y - margin).rounded(.down))),
                      high: SIMD2(Int((high.x + margin).rounded(.up)), Int((high.y + margin).rounded(.up)))).clamped(width: source.w, height: source.h)
    }
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

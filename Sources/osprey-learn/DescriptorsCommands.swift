import ArgumentParser
import Descriptors
import Foundation
import Imaging
import Perception
import Torch

/// `osprey-learn descriptors train|eval|show` (`osprey descriptors …` execs this).
struct DescriptorsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "descriptors",
    abstract: "Dense object descriptors (Dense Object Nets): train, evaluate, show.",
    subcommands: [DescriptorsTrain.self, DescriptorsEval.self, DescriptorsShow.self, DescriptorsTime.self])
}

/// The descriptors commands' libtorch set-up: `threads` intra-op threads, and denormal floats
/// flushed to zero (they cost Intel cores microcode assists: docs/torch.md).
func configureTorch(threads: Int) throws {
  try Torch.setThreads(threads)
  try Torch.setFlushDenormal(true)
}

/// One progress line on standard error.
func progressLine(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// "1 m 05 s", "12.3 s".
func duration(_ seconds: Double) -> String {
  guard seconds.isFinite else { return "?" }
  if seconds < 60 { return String(format: "%.1f s", seconds) }
  let s = Int(seconds.rounded())
  return s < 3600 ? String(format: "%d m %02d s", s / 60, s % 60) : String(format: "%d h %02d m", s / 3600, (s % 3600) / 60)
}

/// Parses "WxH" (also "W×H").
func parseResolution(_ text: String) -> (Int, Int)? {
  let parts = text.replacingOccurrences(of: "×", with: "x").lowercased().split(separator: "x")
  guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 8, h >= 8, w % 8 == 0, h % 8 == 0 else { return nil }
  return (w, h)
}

struct DescriptorsTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Trains a descriptor network on scene folders (`osprey sim collect` output).")

  @Option(help: "Folder of scene folders (DIR/scene-*/cameras.json).") var data: String
  @Option(help: "Model file to write (a libtorch checkpoint with the configuration).") var out: String
  @Option(help: "Adam steps, one image pair each.") var steps = 3_500
  @Option(help: "Descriptor dimension D.") var dim = 16
  @Option(help: "Network resolution WxH, multiples of 8 (default: the data's).") var resolution: String?
  @Option(help: "Random seed (initialization, pairs, augmentation).") var seed: UInt64 = 0
  @Option(help: "Torch threads.") var threads = 2
  @Option(help: "Network replicas that compute gradients side by side, each on its own pairs with --threads/N of the threads, the network stepping with each in turn (default: 2, or 1 with one thread; 1: one pair at a time on all the threads).") var workers: Int?
  @Option(help: "Stop after this many minutes even if the steps are not done.") var minutes: Double?
  @Option(help: "Hold out every Nth view of each scene (views N−1, 2N−1, …) for evaluation; 0 uses all.") var heldOutEvery = 4
  @Option(help: "Channels of the network's stem (the stages have 1.5×, 2×, 3×).") var width = 32
  @Option(help: "Channels of the decoder that brings back the stride-4 and stride-2 features (0: none, the paper's plain stride-8 head).") var decoderWidth = 0
  @Option(help: "Dilation of the last two residual blocks (d and 2d; 1: none).") var dilation = 1
  @Option(help: "Channels of the context path: stages at strides 16 and 32 added back to the stride-8 features (0: none).") var contextWidth = 0
  @Option(help: "Adam's learning rate (the peak of the cosine schedule).") var learningRate = TrainingOptions().learningRate
  @Flag(help: "The paper's step decay (×0.9 every 250 steps) instead of cosine annealing over the budget.") var stepDecay = false
  @Option(help: "Decay per step of an exponential moving average of the weights and batch-norm statistics (e.g. 0.9999; 0: none); --out then holds the average.") var averageDecay = 0.0
  @Option(help: "With --average-decay, also write the last step's weights (the last iterate) to this model file.") var lastIterateOut: String?
  @Flag(help: "No colour jitter, no flips and no rotation.") var noAugmentation = false
  @Option(help: "Turn each image of a pair, independently, by a random angle within ±DEG degrees about its object (0: none).") var rotation = TrainingOptions().augmentation.rotation * 180 / .pi
  @Option(help: "Train on random windows that hold each view's object mask: 'half' (half the resolution's width and height), WxH in model pixels, or 'none' (whole images).") var crop = "half"
  @Option(help: "Weight of the distributional loss term (cross-entropy of a softmax over the other image's pixels at the true match; 0: the paper's contrastive loss alone).") var distributionWeight = TrainingOptions().loss.distributionWeight
  @Option(help: "Temperature of the distributional term's softmax over squared descriptor distance.") var temperature = TrainingOptions().loss.distributionTemperature
  @Option(help: "Spread σ of the distributional term's target, in pixels: a Gaussian around the true match (0: all of its mass on the match).") var distributionSigma = TrainingOptions().loss.distributionSigma
  @Option(help: "Matches of each pair that enter the distributional term (each a softmax over the other image's window).") var distributionMatches = TrainingOptions().loss.distributionMatches
  @Option(help: "Matches scored (without gradient) to choose the distributional term's queries: the --distribution-matches hardest of the first N enter (0: the first matches, no choice).") var distributionCandidates = TrainingOptions().loss.distributionCandidates
  @Option(help: "Fraction of pairs drawn around a view in proportion to its running loss (online hard-example mining over views; 0: uniform pairs).") var hardViews = TrainingOptions().hardViewFraction
  @Option(help: "Views synthesized from each captured training view through the reconstruction: its camera turned along the orbit within ±--synthesis-azimuth and ±--synthesis-elevation degrees (0: none).") var synthesizedViews = ViewSynthesisOptions().viewsPerView
  @Option(help: "Largest azimuth turn of a synthesized view, degrees.") var synthesisAzimuth = ViewSynthesisOptions().azimuthDegrees
  @Option(help: "Largest elevation change of a synthesized view, degrees.") var synthesisElevation = ViewSynthesisOptions().elevationDegrees
  @Option(help: "Ring non-matches per match: the match's surface point turned about the vertical axis through the point the views look at, where it lands on B's object (0: none).") var ringNonMatches = TrainingOptions().sampling.ringNonMatchesPerMatch

  func validate() throws {
    guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
    guard dim > 0 else { throw ValidationError("--dim must be positive, got \(dim)") }
    guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    if let workers, !(1...threads).contains(workers) {
      throw ValidationError("--workers must be between 1 and --threads (\(threads)): each worker needs a thread, got \(workers)")
    }
    guard width > 1 else { throw ValidationError("--width must be at least 2, got \(width)") }
    guard distributionWeight >= 0, distributionWeight.isFinite else { throw ValidationError("--distribution-weight must be ≥ 0, got \(distributionWeight)") }
    guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be positive, got \(temperature)") }
    guard distributionSigma >= 0, distributionSigma <= 20 else { throw ValidationError("--distribution-sigma must be between 0 and 20 pixels, got \(distributionSigma)") }
    guard distributionMatches > 0 else { throw ValidationError("--distribution-matches must be positive, got \(distributionMatches)") }
    guard distributionCandidates >= 0 else { throw ValidationError("--distribution-candidates must be ≥ 0, got \(distributionCandidates)") }
    guard hardViews >= 0, hardViews <= 1 else { throw ValidationError("--hard-views must be between 0 and 1, got \(hardViews)") }
    guard synthesizedViews >= 0 else { throw ValidationError("--synthesized-views must be ≥ 0, got \(synthesizedViews)") }
    guard synthesisAzimuth >= 0, synthesisAzimuth <= 180 else { throw ValidationError("--synthesis-azimuth must be between 0 and 180 degrees, got \(synthesisAzimuth)") }
    guard synthesisElevation >= 0, synthesisElevation <= 75 else { throw ValidationError("--synthesis-elevation must be between 0 and 75 degrees, got \(synthesisElevation)") }
    guard ringNonMatches >= 0 else { throw ValidationError("--ring-non-matches must be ≥ 0, got \(ringNonMatches)") }
    guard decoderWidth >= 0 else { throw ValidationError("--decoder-width must be ≥ 0, got \(decoderWidth)") }
    guard dilation >= 1 else { throw ValidationError("--dilation must be ≥ 1, got \(dilation)") }
    guard contextWidth >= 0 else { throw ValidationError("--context-width must be ≥ 0, got \(contextWidth)") }
    guard rotation >= 0, rotation <= 180 else { throw ValidationError("--rotation must be between 0 and 180 degrees, got \(rotation)") }
    guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
    guard averageDecay >= 0, averageDecay < 1 else { throw ValidationError("--average-decay must lie in [0, 1), got \(averageDecay)") }
    if lastIterateOut != nil, averageDecay == 0 { throw ValidationError("--last-iterate-out needs --average-decay > 0 (without it --out holds the last iterate)") }
    if lastIterateOut == out { throw ValidationError("--last-iterate-out must name another file than --out") }
    guard heldOutEvery >= 0 else { throw ValidationError("--held-out-every must be ≥ 0, got \(heldOutEvery)") }
    if let minutes { guard minutes > 0 else { throw ValidationError("--minutes must be positive, got \(minutes)") } }
    if crop != "none", crop != "half", parseResolution(crop) == nil {
      throw ValidationError("--crop: expected 'half', 'none' or WxH with multiples of 8 (e.g. 160x120), got \"\(crop)\"")
    }
    if let resolution, parseResolution(resolution) == nil {
      throw ValidationError("--resolution: expected WxH with multiples of 8 (e.g. 320x240), got \"\(resolution)\"")
    }
  }

  func run() throws {
    let paths = try sceneFolderPaths(in: data)
    for path in [out] + (lastIterateOut.map { [$0] } ?? []) {
      let outFolder = (path as NSString).deletingLastPathComponent
      var isDirectory: ObjCBool = false
      if !outFolder.isEmpty, !(FileManager.default.fileExists(atPath: outFolder, isDirectory: &isDirectory) && isDirectory.boolValue) {
        throw DescriptorError(path: path, message: "cannot write: folder \(outFolder) does not exist")
      }
    }
    try configureTorch(threads: threads)
    Torch.manualSeed(seed)
    var scenes: [TrainingScene] = []
    let prepareStart = Date()
    var synthesis = ViewSynthesisOptions()
    (synthesis.viewsPerView, synthesis.azimuthDegrees, synthesis.elevationDegrees, synthesis.seed) = (synthesizedViews, synthesisAzimuth, synthesisElevation, seed)
    for (k, path) in paths.enumerated() {
      scenes.append(try TrainingScene(path: path, synthesis: synthesis, heldOutEvery: heldOutEvery))
      let elapsed = Date().timeIntervalSince(prepareStart)
      let added = scenes[k].viewCount - scenes[k].capturedViewCount
      progressLine(String(format: "scene %d/%d fused (%@)%@: %.2f scenes/s, ETA %@", k + 1, paths.count, (path as NSString).lastPathComponent,
                          added > 0 ? ", \(added) views synthesized" : "", Double(k + 1) / elapsed, duration(elapsed / Double(k + 1) * Double(paths.count - k - 1))))
    }
    var config = DescriptorConfiguration()
    config.descriptorDimension = dim
    config.baseWidth = width
    config.decoderWidth = decoderWidth
    config.dilation = dilation
    config.contextWidth = contextWidth
    config.heldOutEvery = heldOutEvery
    if let resolution, let (w, h) = parseResolution(resolution) {
      (config.width, config.height) = (w, h)
    } else {
      (config.width, config.height) = (scenes[0].rgb[0].width / 8 * 8, scenes[0].rgb[0].height / 8 * 8)
    }
    var options = TrainingOptions()
    options.steps = steps
    options.seed = seed
    options.learningRate = learningRate
    options.timeLimitSeconds = minutes.map { $0 * 60 }
    options.augmentation.rotation = rotation * .pi / 180
    if noAugmentation { options.augmentation = .none }
    if crop == "none" {
      options.augmentation.crop = .none
    } else if let (w, h) = parseResolution(crop) {
      options.augmentation.crop = .size(width: w, height: h)
    }
    options.loss.distributionWeight = distributionWeight
    options.loss.distributionTemperature = temperature
    options.loss.distributionMatches = distributionMatches
    options.loss.distributionSigma = distributionSigma
    options.loss.distributionCandidates = distributionCandidates
    options.sampling.ringNonMatchesPerMatch = ringNonMatches
    options.hardViewFraction = hardViews
    // Two workers of one thread each trained 1.3–1.6 times the pairs per second of one worker on
    // two threads (docs/descriptors.md, "Workers").
    options.workers = workers ?? min(2, threads)
    if stepDecay { options.schedule = .stepDecay(every: 250, factor: 0.9) }
    var sampler = PairSampler(scenes: scenes, configuration: config, sampling: options.sampling, augmentation: options.augmentation, seed: seed)
    guard sampler.canDraw else {
      throw DescriptorError(path: data, message: "no scene has two training views (\(heldOutEvery > 0 ? "every \(heldOutEvery)th view is held out" : "all views used"))")
    }
    let network = try DescriptorNetwork(config)
    progressLine("train  \(paths.count) scene(s), D \(dim), \(config.width)×\(config.height), \(network.parameterCount) parameters, \(steps) steps, seed \(seed), \(threads) thread(s)\(options.workers > 1 ? ", \(options.workers) workers" : "")")
    var lastPrint = Date.distantPast
    var recent: [Double] = []
    let average = averageDecay > 0 ? try network.replica() : nil
    let result = try train(network, sampler: &sampler, options: options, averaging: average.map { ($0, averageDecay) }) { p in
      recent.append(p.loss)
      if recent.count > 50 { recent.removeFirst() }
      let now = Date()
      guard now.timeIntervalSince(lastPrint) >= 2 || p.step == p.steps || p.step == 1 else { return }
      lastPrint = now
      let rate = Double(p.step) / max(p.elapsedSeconds, 1e-9)
      var eta = Double(p.steps - p.step) / rate
      if let limit = options.timeLimitSeconds { eta = min(eta, max(0, limit - p.elapsedSeconds)) }
      let mean = recent.reduce(0, +) / Double(recent.count)
      progressLine(String(format: "step %d/%d: %.2f steps/s, loss %.4f (mean of last %d %.4f), %d matches, ETA %@",
                          p.step, p.steps, rate, p.loss, recent.count, mean, p.matches, duration(eta)))
    }
    try (average ?? network).save(to: out)
    if let lastIterateOut { try network.save(to: lastIterateOut) }
    // Which budget ended the run: the steps, or the time limit before them.
    let stop = result.steps < steps ? String(format: "; --minutes stopped it before %d steps", steps) : ""
    print(String(format: "train  %d steps in %@ (%.2f pairs/s%@), loss %.4f -> %.4f, %d parameters -> %@",
                 result.steps, duration(result.seconds), result.pairsPerSecond, stop, result.firstLoss, result.finalLoss, network.parameterCount,
                 out + (average != nil ? String(format: " (weights averaged, decay %g)", averageDecay) : "")))
  }
}

struct DescriptorsEval: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Best-match descriptor errors against the simulator's exact correspondences.")

  @Option(help: "Model file written by `descriptors train`.") var model: String
  @Option(help: "Folder of scene folders.") var data: String
  @Option(help: "Views to pair: held-out (the views the model did not train on) or all (unseen instances).") var views = "held-out"
  @Option(help: "Image pairs.") var pairs = 25
  @Option(help: "Ground-truth matches per pair.") var matchesPerPair = 100
  @Option(help: "Random seed (pairs and queries).") var seed: UInt64 = 0
  @Option(help: "Torch threads.") var threads = 2
  @Flag(help: "Print one JSON object instead of a table.") var json = false
  @Option(help: "Also write every query (pixels, errors, surface points in the object's frame) to this CSV file.") var queries: String?

  func validate() throws {
    guard pairs > 0 else { throw ValidationError("--pairs must be positive, got \(pairs)") }
    guard matchesPerPair > 0 else { throw ValidationError("--matches-per-pair must be positive, got \(matchesPerPair)") }
    guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    guard EvaluationViews(rawValue: views) != nil else { throw ValidationError("--views: expected held-out or all, got \"\(views)\"") }
  }

  func run() throws {
    let network = try DescriptorNetwork.load(from: model)
    let paths = try sceneFolderPaths(in: data)
    try configureTorch(threads: threads)
    var options = EvaluationOptions()
    options.pairs = pairs
    options.matchesPerPair = matchesPerPair
    options.views = EvaluationViews(rawValue: views)!
    options.seed = seed
    let start = Date()
    let result = try evaluate(network, scenePaths: paths, options: options) { done, total in
      guard done > 0, done % 5 == 0 || done == total else { return }
      let elapsed = Date().timeIntervalSince(start)
      progressLine(String(format: "pair %d/%d: %.2f pairs/s, ETA %@", done, total, Double(done) / elapsed,
                          duration(elapsed / Double(done) * Double(total - done))))
    }
    if let queries {
      do {
        try Data(result.queriesCSV(sceneNames: paths.map { ($0 as NSString).lastPathComponent }).utf8)
          .write(to: URL(fileURLWithPath: queries), options: .atomic)
      } catch {
        throw DescriptorError(path: queries, message: "cannot write the queries: \(error.localizedDescription)")
      }
    }
    if json {
      print(result.json(extra: ["views": views, "model": model, "data": data]))
      return
    }
    let c = network.configuration
    print("eval  \(result.pairs) pairs, \(result.matches) matches, \(views) views, at \(c.width)×\(c.height) (D \(c.descriptorDimension))")
    print(String(format: "  median pixel error      %.2f px", result.medianPixelError))
    for (px, fraction) in result.cumulativeDistribution() {
      print(String(format: "  within %3.0f px           %.1f%%", px, 100 * fraction))
    }
    print(String(format: "  median 3-D error        %.4f m (%.1f%% of best matches off the object)", result.medianThreeDErrorMetres,
                 100 * Double(result.offObject) / Double(max(1, result.matches))))
    print(String(format: "  fraction closer         mean %.4f, median %.4f", result.meanFractionCloser, result.medianFractionCloser))
  }
}

struct DescriptorsShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Writes a PNG: the RGB image and its descriptors as colours (first three principal components).")

  @Option(help: "Model file.") var model: String
  @Option(help: "RGB PNG.") var image: String
  @Option(name: .shortAndLong, help: "Output PNG.") var output: String

  func run() throws {
    let network = try DescriptorNetwork.load(from: model)
    let decoded = try PNG.read8(image)
    guard decoded.channels == 3 || decoded.channels == 4 else {
      throw DescriptorError(path: image, message: "expected an RGB or RGBA PNG, got \(decoded.channels) channel(s)")
    }
    var rgb = decoded
    if decoded.channels == 4 {
      var pixels = [UInt8](repeating: 0, count: decoded.width * decoded.height * 3)
      for i in 0..<(decoded.width * decoded.height) { for c in 0..<3 { pixels[3 * i + c] = decoded.pixels[4 * i + c] } }
      rgb = Image8(width: decoded.width, height: decoded.height, channels: 3, pixels: pixels)
    }
    let picture = try descriptorPicture(rgb: rgb, descriptors: network.descriptors(of: rgb))
    try PNG.write(picture, to: output)
    print("show  \(image) -> \(output) (\(picture.width)×\(picture.height))")
  }
}

struct DescriptorsTime: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "time",
    abstract: "Times inference (one image, evaluation mode) at the model's resolution; prints the median.")

  @Option(help: "Model file.") var model: String
  @Option(help: "Timed runs after one warm-up.") var repeats = 10
  @Option(help: "Torch threads.") var threads = 2

  func validate() throws {
    guard repeats > 0 else { throw ValidationError("--repeats must be positive, got \(repeats)") }
    guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
  }

  func run() throws {
    let network = try DescriptorNetwork.load(from: model)
    try configureTorch(threads: threads)
    let c = network.configuration
    let x = try Tensor.randn([1, 3, c.height, c.width], seed: 0)
    var times: [Double] = []
    for k in 0...repeats {
      let t0 = Date()
      _ = try Torch.withNoGrad { try network(x).floats() }
      if k > 0 { times.append(Date().timeIntervalSince(t0)) }
    }
    times.sort()
    print(String(format: "inference  %d×%d, D %d, %d thread(s): median %.1f ms (min %.1f, max %.1f) over %d runs",
                 c.width, c.height, c.descriptorDimension, threads, 1000 * times[times.count / 2], 1000 * times[0], 1000 * times[times.count - 1], repeats))
  }
}

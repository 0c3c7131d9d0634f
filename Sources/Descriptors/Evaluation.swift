import Foundation
import Geometry
import Imaging
import LinearAlgebra
import Perception
import Torch

extension DescriptorNetwork {
  /// Descriptors [D, H, W] of an RGB image at the model's resolution (evaluation mode, no gradient).
  public func descriptors(of rgb: Image8) throws -> Tensor {
    eval()
    return try Torch.withNoGrad { try self(networkInput(rgb, configuration: configuration)).select(0, 0).contiguous() }
  }
}

/// Which views of each scene the evaluation pairs.
public enum EvaluationViews: String, Sendable, CaseIterable {
  /// Views held out of training (`DescriptorConfiguration.heldOutEvery`): both views of a pair.
  case heldOut = "held-out"
  /// Every view (for scenes of instances the model never saw).
  case all
}

/// Evaluation settings (Dense Object Nets: 25 pairs × 100 ground-truth matches).
public struct EvaluationOptions: Sendable, Equatable {
  public var pairs = 25
  public var matchesPerPair = 100
  public var views = EvaluationViews.heldOut
  public var seed: UInt64 = 0
  public init() {}
}

/// Best-match descriptor errors against the simulator's exact correspondences, at the model's resolution.
public struct EvaluationResult: Sendable {
  public var pairs: Int
  /// Pixel error of each query's best match (model-resolution pixels).
  public var pixelErrors: [Double]
  /// 3-D error (metres) of each best match that lands on the object.
  public var threeDErrors: [Double]
  /// Best matches that land off the object (no 3-D error).
  public var offObject: Int
  /// Per query: the fraction of B's pixels whose descriptor is closer than the true match's.
  public var fractionsCloser: [Double]
  public var resolution: (width: Int, height: Int)

  public var matches: Int { pixelErrors.count }
  public var medianPixelError: Double { median(pixelErrors) }
  public var medianThreeDErrorMetres: Double { median(threeDErrors) }
  public var meanFractionCloser: Double { fractionsCloser.isEmpty ? .nan : fractionsCloser.reduce(0, +) / Double(fractionsCloser.count) }
  public var medianFractionCloser: Double { median(fractionsCloser) }

  /// The fraction of queries whose best match is within `pixels` of the truth.
  public func fractionWithin(_ pixels: Double) -> Double {
    pixelErrors.isEmpty ? .nan : Double(pixelErrors.count { $0 <= pixels }) / Double(pixelErrors.count)
  }

  /// The cumulative distribution of pixel error at the given thresholds.
  public func cumulativeDistribution(thresholds: [Double] = [1, 2, 3, 5, 10, 20, 40, 80]) -> [(pixels: Double, fraction: Double)] {
    thresholds.map { ($0, fractionWithin($0)) }
  }

  /// One JSON object (keys sorted).
  public func json(extra: [String: Any] = [:]) -> String {
    func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
    var object: [String: Any] = [
      "pairs": pairs, "matches": matches,
      "median_pixel_error": number(medianPixelError),
      "fraction_within_px": ["5": number(fractionWithin(5)), "10": number(fractionWithin(10)), "20": number(fractionWithin(20))],
      "median_3d_error_m": number(medianThreeDErrorMetres),
      "off_object_fraction": number(matches == 0 ? .nan : Double(offObject) / Double(matches)),
      "mean_fraction_closer": number(meanFractionCloser),
      "median_fraction_closer": number(medianFractionCloser),
      "pixel_error_cdf": cumulativeDistribution().map { ["px": $0.pixels, "fraction": number($0.fraction)] },
      "resolution": [resolution.width, resolution.height],
    ]
    for (k, v) in extra { object[k] = v }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }
}

func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return .nan }
  let s = values.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

/// Evaluates `network` on the scene folders at `paths` with the simulator's exact correspondences
/// (`scene.json`, `object.obj`: evaluation only).
///
/// Pairs (scene, A, B), A ≠ B, are drawn from the chosen views; in each, up to `matchesPerPair`
/// pixels of A's object with a visible exact match in B are drawn. A query's prediction is the
/// pixel of B whose descriptor is nearest (L2) to A's; its pixel error is measured against the exact
/// match scaled to the model's resolution; the 3-D error is the distance between the object's
/// surface points at the prediction and at the query; "fraction closer" counts B's pixels (all
/// of them) whose descriptor is nearer than the one at the true match's pixel.
public func evaluate(_ network: DescriptorNetwork, scenePaths paths: [String], options: EvaluationOptions,
                     progress: (Int, Int) -> Void = { _, _ in }) throws -> EvaluationResult {
  let config = network.configuration
  var generator = SeededGenerator(seed: options.seed)
  struct Candidate { var scene: Int; var a: Int; var b: Int }
  var folders: [SceneFolder] = []
  var candidates: [Candidate] = []
  for (s, path) in paths.enumerated() {
    let folder = try SceneFolder(path: path)
    folders.append(folder)
    let views = (0..<folder.viewCount).filter { options.views == .all || config.isHeldOut(view: $0) }
    for a in views { for b in views where a != b { candidates.append(Candidate(scene: s, a: a, b: b)) } }
  }
  guard !candidates.isEmpty else {
    throw DescriptorError(path: paths.first ?? "", message: "no pairs of \(options.views.rawValue) views to evaluate (the model holds out every \(config.heldOutEvery)th view; use --views all for unseen instances)")
  }
  candidates.shuffle(using: &generator)
  let chosen = Array(candidates.prefix(options.pairs))
  var truths: [Int: GroundTruthViews] = [:]
  var descriptorCache: [String: Tensor] = [:]
  func descriptors(_ s: Int, _ view: Int) throws -> Tensor {
    let key = "\(s)/\(view)"
    if let d = descriptorCache[key] { return d }
    let d = try network.descriptors(of: folders[s].rgb(ofView: view))
    descriptorCache[key] = d
    return d
  }
  var result = EvaluationResult(pairs: 0, pixelErrors: [], threeDErrors: [], offObject: 0, fractionsCloser: [],
                                resolution: (config.width, config.height))
  let W = config.width, H = config.height
  for (n, pair) in chosen.enumerated() {
    progress(n, chosen.count)
    let folder = folders[pair.scene]
    if truths[pair.scene] == nil {
      let truth = try SceneGroundTruth(folder: folder)
      truths[pair.scene] = GroundTruthViews(mesh_O: truth.mesh_O, X_WO: truth.X_WO, intrinsics: folder.cameras.intrinsics,
                                            poses: folder.cameras.frames.map(\.X_WC))
    }
    let truth = truths[pair.scene]!
    let K = folder.cameras.intrinsics
    let source = (w: K.width, h: K.height), target = (w: W, h: H)
    var object = truth.renderings[pair.a].faceIndex.indices.filter { truth.renderings[pair.a].faceIndex[$0] >= 0 }
    object.shuffle(using: &generator)
    var queries: [(a: SIMD2<Double>, b: SIMD2<Double>, p_W: SIMD3<Double>)] = []
    for index in object {
      guard queries.count < options.matchesPerPair else { break }
      let u = index % K.width, v = index / K.width
      guard let p = truth.surfacePoint(u: u, v: v, view: pair.a), let pixel = truth.visiblePixel(of: p, in: pair.b) else { continue }
      queries.append((scaledPixel(SIMD2(Double(u), Double(v)), from: source, to: target), scaledPixel(pixel, from: source, to: target), p))
    }
    guard !queries.isEmpty else { continue }
    result.pairs += 1
    let dA = try descriptors(pair.scene, pair.a), dB = try descriptors(pair.scene, pair.b)
    let D = config.descriptorDimension
    let flatA = try dA.reshaped([D, W * H]).transposed(0, 1), flatB = try dB.reshaped([D, W * H]).transposed(0, 1)
    func pixelIndex(_ p: SIMD2<Double>) -> Int64 {
      Int64(min(H - 1, max(0, Int(p.y.rounded()))) * W + min(W - 1, max(0, Int(p.x.rounded()))))
    }
    let q = try flatA.indexSelect(0, Tensor(int64: queries.map { pixelIndex($0.a) }, shape: [queries.count]))   // [Q, D]
    let trueB = try flatB.indexSelect(0, Tensor(int64: queries.map { pixelIndex($0.b) }, shape: [queries.count])) // [Q, D]
    // ‖q − b‖² = ‖q‖² + ‖b‖² − 2 q·b for every pixel b of B: [Q, H·W].
    let distances = try ((q * q).sum([1], keepDim: true) + (flatB * flatB).sum([1]).unsqueezed(0) - 2.0 * q.matmul(flatB.transposed(0, 1)))
    let best = try distances.argmin(dim: 1).int64s()
    let trueDistance = try ((q - trueB) * (q - trueB)).sum([1], keepDim: true)
    let closer = try distances.lt(trueDistance).to(.float32).sum([1]).floats()
    for (k, query) in queries.enumerated() {
      let predicted = SIMD2(Double(Int(best[k]) % W), Double(Int(best[k]) / W))
      let e = predicted - query.b
      result.pixelErrors.append((e * e).sum().squareRoot())
      result.fractionsCloser.append(Double(closer[k]) / Double(W * H))
      let back = scaledPixel(predicted, from: target, to: source)
      let pixel = SIMD2(min(K.width - 1, max(0, Int(back.x.rounded()))), min(K.height - 1, max(0, Int(back.y.rounded()))))
      if let error = truth.threeDError(predicted: pixel, in: pair.b, truth_W: query.p_W) {
        result.threeDErrors.append(error)
      } else {
        result.offObject += 1
      }
    }
  }
  progress(chosen.count, chosen.count)
  return result
}

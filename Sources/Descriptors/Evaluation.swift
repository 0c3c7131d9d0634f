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

/// One evaluated query: a pixel of A's object, its exact match in B and the best match the descriptors give.
public struct EvaluationQuery: Sendable, Equatable {
  /// Index of the scene folder in the evaluated list.
  public var scene: Int
  public var viewA: Int
  public var viewB: Int
  /// The query pixel in A, at the model's resolution.
  public var pixelA: SIMD2<Double>
  /// The exact match in B (the simulator's), at the model's resolution.
  public var truthB: SIMD2<Double>
  /// The pixel of B whose descriptor is nearest to the query's.
  public var predictedB: SIMD2<Double>
  /// ‖predictedB − truthB‖ in model-resolution pixels.
  public var pixelError: Double
  /// Distance (metres) between the surface points at the prediction and at the query; `nil` when
  /// the prediction lands off the object.
  public var threeDError: Double?
  /// The fraction of B's pixels whose descriptor is nearer than the true match's.
  public var fractionCloser: Double
  /// The queried surface point in the object's frame (metres).
  public var point_O: SIMD3<Double>
  /// The surface point at the prediction in the object's frame; `nil` off the object.
  public var predicted_O: SIMD3<Double>?
}

/// Best-match descriptor errors against the simulator's exact correspondences, at the model's resolution.
public struct EvaluationResult: Sendable {
  public var pairs: Int
  /// Every query, in evaluation order.
  public var queries: [EvaluationQuery]
  public var resolution: (width: Int, height: Int)

  /// Pixel error of each query's best match (model-resolution pixels).
  public var pixelErrors: [Double] { queries.map(\.pixelError) }
  /// 3-D error (metres) of each best match that lands on the object.
  public var threeDErrors: [Double] { queries.compactMap(\.threeDError) }
  /// Best matches that land off the object (no 3-D error).
  public var offObject: Int { queries.count { $0.threeDError == nil } }
  /// Per query: the fraction of B's pixels whose descriptor is closer than the true match's.
  public var fractionsCloser: [Double] { queries.map(\.fractionCloser) }

  public var matches: Int { queries.count }
  public var medianPixelError: Double { median(pixelErrors) }
  public var medianThreeDErrorMetres: Double { median(threeDErrors) }
  public var meanFractionCloser: Double { fractionsCloser.isEmpty ? .nan : fractionsCloser.reduce(0, +) / Double(fractionsCloser.count) }
  public var medianFractionCloser: Double { median(fractionsCloser) }

  /// The fraction of queries whose best match is within `pixels` of the truth.
  public func fractionWithin(_ pixels: Double) -> Double {
    queries.isEmpty ? .nan : Double(queries.count { $0.pixelError <= pixels }) / Double(queries.count)
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

extension EvaluationResult {
  /// Every query as CSV with a header line: scene (its folder's name when `sceneNames` covers it,
  /// else its index), views, pixels at the model's resolution, errors, and the surface points in the
  /// object's frame (empty fields for a prediction off the object).
  public func queriesCSV(sceneNames: [String] = []) -> String {
    func g(_ x: Double) -> String { String(format: "%.6g", x) }
    var lines = ["scene,view_a,view_b,u_a,v_a,u_b_true,v_b_true,u_b_predicted,v_b_predicted,pixel_error,error_3d_m,fraction_closer,x_o,y_o,z_o,x_o_predicted,y_o_predicted,z_o_predicted"]
    lines.reserveCapacity(queries.count + 1)
    for q in queries {
      var name = q.scene < sceneNames.count ? sceneNames[q.scene] : String(q.scene)
      if name.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) {  // RFC 4180 quoting
        name = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      }
      let predicted = q.predicted_O.map { [g($0.x), g($0.y), g($0.z)] } ?? ["", "", ""]
      let fields: [String] = [name, String(q.viewA), String(q.viewB), g(q.pixelA.x), g(q.pixelA.y), g(q.truthB.x), g(q.truthB.y),
                              g(q.predictedB.x), g(q.predictedB.y), g(q.pixelError), q.threeDError.map(g) ?? "", g(q.fractionCloser),
                              g(q.point_O.x), g(q.point_O.y), g(q.point_O.z)] + predicted
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
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
  var result = EvaluationResult(pairs: 0, queries: [], resolution: (config.width, config.height))
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
    let X_OW = truth.X_WO.inverse
    for (k, query) in queries.enumerated() {
      let predicted = SIMD2(Double(Int(best[k]) % W), Double(Int(best[k]) / W))
      let e = predicted - query.b
      let back = scaledPixel(predicted, from: target, to: source)
      let pixel = SIMD2(min(K.width - 1, max(0, Int(back.x.rounded()))), min(K.height - 1, max(0, Int(back.y.rounded()))))
      let predicted_W = truth.surfacePoint(u: pixel.x, v: pixel.y, view: pair.b)
      result.queries.append(EvaluationQuery(
        scene: pair.scene, viewA: pair.a, viewB: pair.b, pixelA: query.a, truthB: query.b, predictedB: predicted,
        pixelError: (e * e).sum().squareRoot(),
        threeDError: predicted_W.map { p in let d = p - query.p_W; return (d * d).sum().squareRoot() },
        fractionCloser: Double(closer[k]) / Double(W * H),
        point_O: X_OW * query.p_W, predicted_O: predicted_W.map { X_OW * $0 }))
    }
  }
  progress(chosen.count, chosen.count)
  return result
}

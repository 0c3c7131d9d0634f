import Foundation
import Geometry
import Imaging
import Objects
import Simulation
import Testing
@testable import Perception

/// A small orbit collected once by the Simulation module and written as a scene folder: 8 views of
/// mug seed 11 at 320×240, noiseless depth.
enum CollectedFixture {
  static let folder: Result<String, SimulationError> = {
    var options = CollectionOptions()
    options.views = 8
    options.width = 320
    options.height = 240
    do throws(SimulationError) {
      let scene = try OrbitCollector(options: options).collect(ObjectInstance.mug(seed: 11), worldSeed: 11)
      let path = temporaryFolder("orbit") + "/scene-000000"
      try scene.write(toFolder: path, layout: .sequence)
      return .success(path)
    } catch {
      return .failure(error)
    }
  }()

  /// The folder, its views and the reconstruction (fused over the table-top box around the point
  /// the cameras look at; no ground truth used).
  struct Loaded {
    var folder: SceneFolder
    var views: [SceneView]
    var reconstruction: ObjectReconstruction
    var box: AxisAlignedBox

    /// Correspondences over every view from the reconstruction, occlusion tested against the measured
    /// depth when `measuredDepth`.
    func correspondences(measuredDepth: Bool = false) -> ReconstructionCorrespondences {
      ReconstructionCorrespondences(mesh_W: reconstruction.sceneMesh_W, intrinsics: folder.cameras.intrinsics, poses: views.map(\.X_WC),
                                    measuredDepthMillimetres: measuredDepth ? views.map(\.depthMillimetres) : nil)
    }

    /// The reconstruction's masks of views `a` and `b`.
    func masks(_ a: Int, _ b: Int) -> (Image8, Image8) {
      let K = folder.cameras.intrinsics
      return (reconstruction.mask(intrinsics: K, X_WC: views[a].X_WC), reconstruction.mask(intrinsics: K, X_WC: views[b].X_WC))
    }
  }

  static let loaded: Result<Loaded, PerceptionError> = {
    do {
      let folder = try SceneFolder(path: try Self.folder.get())
      let views = try (0..<folder.viewCount).map { i throws(PerceptionError) in try folder.view(i) }
      let centre = folder.cameras.lookAtPoint!
      let box = TSDFVolume.tableTopBox(centre: SIMD2(centre.x, centre.y), halfWidthMetres: 0.13, tableTopHeightMetres: 0.75, heightMetres: 0.25)
      let reconstruction = ObjectReconstruction(depthMillimetres: views.map(\.depthMillimetres), poses: views.map(\.X_WC),
                                                intrinsics: folder.cameras.intrinsics, box: box)
      return .success(Loaded(folder: folder, views: views, reconstruction: reconstruction, box: box))
    } catch let error as PerceptionError {
      return .failure(error)
    } catch {
      return .failure(PerceptionError(code: .unreadable, path: "fixture", message: "\(error)"))
    }
  }()
}

// GL contexts are bound to threads: the collection renders, so the suite is serialized.
@Suite(.serialized) struct ScenePipelineTests {
  /// The folder reads back: 8 frames, 320×240, every image of the right depth and size; the
  /// optical axes meet near the object (the collector aims every view at its centre).
  @Test func readsTheCollectedFolder() throws {
    let loaded = try CollectedFixture.loaded.get()
    #expect(loaded.folder.viewCount == 8)
    #expect(loaded.folder.cameras.intrinsics.width == 320 && loaded.folder.cameras.intrinsics.height == 240)
    let truth = try SceneGroundTruth(folder: loaded.folder)
    #expect(truth.category == "mug" && truth.instanceSeed == 11 && truth.tableTopHeightMetres == 0.75)
    let centre = loaded.folder.cameras.lookAtPoint!
    let d = centre - truth.X_WO.translation
    #expect((d.x * d.x + d.y * d.y).squareRoot() < 0.03, "look-at point \(centre) vs object \(truth.X_WO.translation)")
  }

  /// Masks rendered from the reconstruction (the fused mesh above the table plane) agree with the
  /// simulator's masks: IoU ≥ 0.9 in every view on noiseless data.
  @Test func reconstructionMasksMatchTheSimulatorsMasks() throws {
    let loaded = try CollectedFixture.loaded.get()
    var ious: [Double] = []
    for view in loaded.views {
      let mask = loaded.reconstruction.mask(intrinsics: loaded.folder.cameras.intrinsics, X_WC: view.X_WC)
      ious.append(maskIntersectionOverUnion(mask, view.mask))
    }
    print("reconstruction mask IoU per view: \(ious.map { String(format: "%.3f", $0) }.joined(separator: " "))")
    #expect(ious.allSatisfy { $0 >= 0.9 }, "IoU \(ious)")
  }

  /// Correspondences from the reconstruction agree with the simulator's exact ones: over every
  /// ordered pair of views, sampled matches (from the reconstruction's mask) land within 2 px of
  /// the exact correspondence — where the exact one exists — at least 98% of the time (the issue's
  /// bar). Matches whose point the exact geometry calls hidden in B are measured in 3-D instead: the
  /// object point seen (exactly) at the matched pixel of B lies within 5 mm of the one seen at A's
  /// pixel for ≥ 98% of all matches (the 3 mm occlusion tolerance lets through points up to 3 mm
  /// behind a thin rim). The measured depth checks are on (`measuredDepthMillimetres`).
  @Test func correspondencesAgreeWithGroundTruth() throws {
    let loaded = try CollectedFixture.loaded.get()
    let K = loaded.folder.cameras.intrinsics
    let poses = loaded.views.map(\.X_WC)
    let truth = try SceneGroundTruth(folder: loaded.folder)
    let exact = GroundTruthViews(mesh_O: truth.mesh_O, X_WO: truth.X_WO, intrinsics: K, poses: poses)
    let reconstructed = loaded.correspondences(measuredDepth: true)
    let masks = poses.map { loaded.reconstruction.mask(intrinsics: K, X_WC: $0) }
    var within = 0, compared = 0, total = 0, within3D = 0, offB = 0
    var errors: [Double] = [], errors3D: [Double] = []
    var options = CorrespondenceSamplingOptions()
    options.maximumMatches = 300
    for a in poses.indices {
      for b in poses.indices where b != a {
        options.seed = UInt64(a * 100 + b)
        let sample = reconstructed.sample(from: a, to: b, maskA: masks[a], maskB: masks[b], options: options)
        for (pair, pixel) in zip(sample.matches, sample.matchPixelsB) {
          total += 1
          if let p = exact.surfacePoint(u: pair.a.x, v: pair.a.y, view: a),
             let error = exact.threeDError(predicted: pair.b, in: b, truth_W: p) {
            errors3D.append(error)
            if error <= 0.005 { within3D += 1 }
          } else { offB += 1 }
          guard let truthPixel = exact.correspondence(u: pair.a.x, v: pair.a.y, from: a, to: b) else { continue }
          compared += 1
          let d = pixel - truthPixel
          let error = (d * d).sum().squareRoot()
          errors.append(error)
          if error <= 2 { within += 1 }
        }
      }
    }
    errors.sort()
    errors3D.sort()
    let fraction = Double(within) / Double(max(1, compared)), fraction3D = Double(within3D) / Double(max(1, total))
    print("correspondences: \(total) reconstruction matches over \(poses.count * (poses.count - 1)) pairs; \(compared) with a visible exact match: \(String(format: "%.2f", 100 * fraction))% within 2 px, median \(String(format: "%.2f", errors.isEmpty ? .nan : errors[errors.count / 2])) px; 3-D error ≤ 5 mm for \(String(format: "%.2f", 100 * fraction3D))% of all, median \(String(format: "%.2f", errors3D.isEmpty ? .nan : 1000 * errors3D[errors3D.count / 2])) mm")
    print("3-D: \(offB) matched pixels off the object in B; 3-D error quantiles 90/95/97/99%: \([0.9, 0.95, 0.97, 0.99].map { String(format: "%.2f mm", 1000 * errors3D[Int(Double(errors3D.count - 1) * $0)]) })")
    #expect(compared > 2000)
    #expect(fraction >= 0.98, "\(fraction) within 2 px")
    #expect(fraction3D >= 0.98, "\(fraction3D) within 5 mm")
  }
}

extension ScenePipelineTests {
  /// Sampling is repeatable from its seed; non-matches fall where they are asked to (on B's object,
  /// on its background), one set per match, away from the match (5 px, up to 8 redraws).
  @Test func samplingIsSeededAndNonMatchesFallWhereAsked() throws {
    let loaded = try CollectedFixture.loaded.get()
    let reconstructed = loaded.correspondences()
    let (maskA, maskB) = loaded.masks(2, 3)
    var options = CorrespondenceSamplingOptions()
    options.maximumMatches = 200
    options.seed = 7
    let first = reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options)
    let again = reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options)
    #expect(first == again)
    options.seed = 8
    #expect(reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options).matches != first.matches)
    #expect(first.matches.count == 200)
    #expect(first.matches.allSatisfy { maskA[$0.a.x, $0.a.y] != 0 })
    #expect(first.objectNonMatches.count == 200 * 75 && first.backgroundNonMatches.count == 200 * 75)
    #expect(first.objectNonMatches.allSatisfy { maskB[$0.b.x, $0.b.y] != 0 })
    #expect(first.backgroundNonMatches.allSatisfy { maskB[$0.b.x, $0.b.y] == 0 })
    var near = 0
    for (i, pair) in first.objectNonMatches.enumerated() {
      let d = SIMD2(Double(pair.b.x), Double(pair.b.y)) - first.matchPixelsB[i / 75]
      if (d * d).sum() < 25 { near += 1 }
      #expect(pair.a == first.matches[i / 75].a)
    }
    #expect(near <= first.objectNonMatches.count / 1000, "\(near) non-matches within 5 px of their match")
    // Background non-matches inside a region: the matches and object non-matches are those drawn
    // without it (the background ones are drawn last); all fall in the region, on B's background,
    // and reach every part of it. A region with no background pixel gives none.
    options.seed = 7
    let region = PixelBox(low: SIMD2(10, 5), high: SIMD2(41, 30))
    options.backgroundRegionB = region
    let boxed = reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options)
    #expect(boxed.matches == first.matches && boxed.objectNonMatches == first.objectNonMatches)
    #expect(boxed.backgroundNonMatches.count == 200 * 75)
    #expect(boxed.backgroundNonMatches.allSatisfy { maskB[$0.b.x, $0.b.y] == 0 && (10...41).contains($0.b.x) && (5...30).contains($0.b.y) })
    let corners = Set(boxed.backgroundNonMatches.map { SIMD2($0.b.x < 26 ? 0 : 1, $0.b.y < 18 ? 0 : 1) })
    #expect(corners.count == 4)
    let objectPixel = try #require(maskB.pixels.indices.first { maskB.pixels[$0] != 0 })
    let onObject = SIMD2(objectPixel % maskB.width, objectPixel / maskB.width)
    options.backgroundRegionB = PixelBox(low: onObject, high: onObject)
    #expect(reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options).backgroundNonMatches.isEmpty)
    options.backgroundRegionB = PixelBox(low: SIMD2(-50, -50), high: SIMD2(-1, -1))  // clamped away: empty
    #expect(reconstructed.sample(from: 2, to: 3, maskA: maskA, maskB: maskB, options: options).backgroundNonMatches.isEmpty)
  }

  /// Ring non-matches: drawn after every other draw (matches and the other non-matches are those
  /// drawn without them); each pairs a match's A pixel with a pixel of B's object at least 5 px from
  /// the match, on the image of the match's ring: the match's reconstructed point turned about the
  /// vertical axis by some angle projects within rounding of it (searched in 0.1° steps). Half are
  /// turned the way the cameras turned (the camera-relative confuser), so more than half of the
  /// angles share the sign of the cameras' turn. None without an axis. Printed, not asserted: how
  /// many show, by the simulator's ground truth, a point at the match's height (a turned point
  /// hidden in B lands on whatever B sees in front of it, so not all).
  @Test func ringNonMatchesTurnTheMatchAboutTheAxis() throws {
    let loaded = try CollectedFixture.loaded.get()
    let K = loaded.folder.cameras.intrinsics
    let poses = loaded.views.map(\.X_WC)
    let reconstructed = loaded.correspondences()
    let (a, b) = (1, 4)
    let (maskA, maskB) = loaded.masks(a, b)
    var options = CorrespondenceSamplingOptions()
    options.maximumMatches = 300
    options.seed = 5
    let plain = reconstructed.sample(from: a, to: b, maskA: maskA, maskB: maskB, options: options)
    #expect(plain.ringNonMatches.isEmpty)
    options.ringNonMatchesPerMatch = 4
    #expect(reconstructed.sample(from: a, to: b, maskA: maskA, maskB: maskB, options: options).ringNonMatches.isEmpty, "no axis, no ring")
    let axis = try #require(loaded.folder.cameras.lookAtPoint as SIMD3<Double>?)
    options.ringAxisPoint_W = axis
    let ringed = reconstructed.sample(from: a, to: b, maskA: maskA, maskB: maskB, options: options)
    #expect(ringed.matches == plain.matches && ringed.objectNonMatches == plain.objectNonMatches && ringed.backgroundNonMatches == plain.backgroundNonMatches)
    #expect(ringed.ringNonMatches.count > ringed.matches.count && ringed.ringNonMatches.count <= 4 * ringed.matches.count)
    let exactB = Dictionary(zip(ringed.matches.map(\.a), ringed.matchPixelsB), uniquingKeysWith: { first, _ in first })
    func azimuth(_ view: Int) -> Double { let c = poses[view].translation - axis; return atan2(c.y, c.x) }
    let cameraTurn = remainder(azimuth(b) - azimuth(a), 2 * .pi)  // in [−π, π]
    let X_CW_B = poses[b].inverse
    let truth = try SceneGroundTruth(folder: loaded.folder)
    let exact = GroundTruthViews(mesh_O: truth.mesh_O, X_WO: truth.X_WO, intrinsics: K, poses: poses)
    var withCameras = 0, sameHeight = 0, seen = 0
    for pair in ringed.ringNonMatches {
      let match = try #require(exactB[pair.a], "a ring non-match's A pixel is a match's")
      let d = SIMD2(Double(pair.b.x), Double(pair.b.y)) - match
      #expect((d * d).sum() >= 25 && maskB[pair.b.x, pair.b.y] != 0)
      guard case .match(_, let p_W) = reconstructed.correspondence(u: pair.a.x, v: pair.a.y, from: a, to: b) else {
        Issue.record("a match without a correspondence"); continue
      }
      var best = (distance: Double.infinity, angle: 0.0)
      for step in -1800...1800 {
        let angle = Double(step) / 10 * .pi / 180, r = p_W - axis
        let turned = axis + SIMD3(cos(angle) * r.x - sin(angle) * r.y, sin(angle) * r.x + cos(angle) * r.y, r.z)
        guard let q = K.project(X_CW_B * turned) else { continue }
        let e = q - SIMD2(Double(pair.b.x), Double(pair.b.y)), distance = (e * e).sum().squareRoot()
        if distance < best.distance { best = (distance, angle) }
      }
      #expect(best.distance <= 0.75, "ring pixel \(pair.b) is \(best.distance) px from the match's ring")
      if best.angle * cameraTurn > 0 { withCameras += 1 }
      if let p = exact.surfacePoint(u: pair.a.x, v: pair.a.y, view: a), let q = exact.surfacePoint(u: pair.b.x, v: pair.b.y, view: b) {
        seen += 1
        if abs(p.z - q.z) < 0.005 { sameHeight += 1 }
      }
    }
    let n = ringed.ringNonMatches.count
    print("ring non-matches: \(n) for \(ringed.matches.count) matches (cameras turned \(String(format: "%.0f", cameraTurn * 180 / .pi))°); \(withCameras) turned the cameras' way; ground truth at the match's height (5 mm) for \(sameHeight) of \(seen)")
    #expect(Double(withCameras) > 0.55 * Double(n), "\(withCameras) of \(n) turned the cameras' way")
  }

  /// Cross-instance ground truth through the surface atlas: to the same instance it reproduces the
  /// same-instance correspondence (the atlas inverts `point`; tolerance 0.01 px for the nearest-point
  /// search); to another mug (seed 12) at the same pose, the points that stay visible land on that
  /// mug in the image. (Many do not: this view looks into the mug, and seed 12's taller wall hides
  /// the mapped rim and inner-wall points — checked by ray casting, 26 of 201 stay visible.)
  @Test func crossInstanceGroundTruthThroughTheAtlas() throws {
    let loaded = try CollectedFixture.loaded.get()
    let K = loaded.folder.cameras.intrinsics
    let poses = loaded.views.map(\.X_WC)
    let truth = try SceneGroundTruth(folder: loaded.folder)
    let instance = try #require(truth.instance)
    let exact = GroundTruthViews(mesh_O: instance.mesh, X_WO: truth.X_WO, intrinsics: K, poses: poses)
    let other = ObjectInstance.mug(seed: 12)
    let otherViews = GroundTruthViews(mesh_O: other.mesh, X_WO: truth.X_WO, intrinsics: K, poses: poses)
    var same = 0, agree = 0, crossVisible = 0, crossOnOther = 0, onObject = 0
    for v in stride(from: 0, to: K.height, by: 4) {
      for u in stride(from: 0, to: K.width, by: 4) where loaded.views[1].mask[u, v] != 0 {
        onObject += 1
        if let direct = exact.correspondence(u: u, v: v, from: 1, to: 2) {
          same += 1
          if let viaAtlas = exact.crossInstanceCorrespondence(u: u, v: v, view: 1, atlas: instance.atlas, to: exact, view: 2, otherAtlas: instance.atlas),
             ((viaAtlas - direct) * (viaAtlas - direct)).sum().squareRoot() < 0.01 { agree += 1 }
        }
        if let pixel = exact.crossInstanceCorrespondence(u: u, v: v, view: 1, atlas: instance.atlas, to: otherViews, view: 1, otherAtlas: other.atlas) {
          crossVisible += 1
          // On the other mug's rendering within a pixel (a point on the silhouette may round off it).
          let (pu, pv) = (Int(pixel.x.rounded()), Int(pixel.y.rounded()))
          if (-1...1).contains(where: { dv in (-1...1).contains { du in otherViews.renderings[1].depth(u: pu + du, v: pv + dv) > 0 } }) {
            crossOnOther += 1
          }
        }
      }
    }
    print("cross-instance: same \(same) agree \(agree) onObject \(onObject) crossVisible \(crossVisible) on other \(crossOnOther)")
    #expect(same > 100 && Double(agree) >= 0.99 * Double(same), "\(agree) of \(same)")
    #expect(crossVisible > 0 && crossOnOther == crossVisible, "\(crossOnOther) of \(crossVisible)")
  }

  /// A CLI-free demo: with OSPREY_PERCEPTION_IMAGES=DIR set, writes the pictures docs/perception.md
  /// shows (matches between two views, the reconstruction's mask next to the simulator's).
  @Test func writesPicturesWhenAsked() throws {
    guard let directory = ProcessInfo.processInfo.environment["OSPREY_PERCEPTION_IMAGES"] else { return }
    let loaded = try CollectedFixture.loaded.get()
    let K = loaded.folder.cameras.intrinsics
    let reconstructed = loaded.correspondences(measuredDepth: true)
    let (a, b) = (1, 5)
    let (maskA, maskB) = loaded.masks(a, b)
    var options = CorrespondenceSamplingOptions()
    options.maximumMatches = 16
    options.seed = 3
    let sample = reconstructed.sample(from: a, to: b, maskA: maskA, maskB: maskB, options: options)
    try PNG.write(CorrespondencePicture.sideBySide(loaded.views[a].rgb, loaded.views[b].rgb, matches: sample.matches),
                  to: directory + "/perception-matches.png")
    // Mask comparison: reconstruction in red, simulator in green, both yellow, over a dimmed RGB.
    var overlay = loaded.views[a].rgb
    for i in 0..<(K.width * K.height) {
      let r = maskA.pixels[i] != 0, g = loaded.views[a].mask.pixels[i] != 0
      for c in 0..<3 { overlay.pixels[3 * i + c] /= 3 }
      if r { overlay.pixels[3 * i] = 255 }
      if g { overlay.pixels[3 * i + 1] = 255 }
    }
    try PNG.write(overlay, to: directory + "/perception-mask.png")
    try loaded.reconstruction.objectMesh_W.writeOBJ(to: NSTemporaryDirectory() + "/perception-object.obj")
  }
}

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
  }

  static let loaded: Result<Loaded, PerceptionError> = {
    do {
      let folder = try SceneFolder(path: try Self.folder.get())
      let views = try (0..<folder.viewCount).map { i throws(PerceptionError) in try folder.view(i) }
      let centre = folder.cameras.lookAtPoint!
      let box = TSDFVolume.tableTopBox(centre: SIMD2(centre.x, centre.y), halfWidthMetres: 0.13, tableTopHeightMetres: 0.75, heightMetres: 0.25)
      let reconstruction = ObjectReconstruction(depthMillimetres: views.map(\.depthMillimetres), poses: views.map(\.X_WC),
                                                intrinsics: folder.cameras.intrinsics, box: box, tsdf: fixtureTSDF)
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
    let reconstructed = ReconstructionCorrespondences(mesh_W: loaded.reconstruction.sceneMesh_W, intrinsics: K, poses: poses,
                                                      measuredDepthMillimetres: loaded.views.map(\.depthMillimetres))
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

/// The fusion settings of the fixture (read from the environment while tuning).
let fixtureTSDF: TSDFOptions = {
  var o = TSDFOptions()
  if let v = ProcessInfo.processInfo.environment["VOXEL"].flatMap(Double.init) { o.voxelSizeMetres = v }
  if let v = ProcessInfo.processInfo.environment["TRUNC"].flatMap(Double.init) { o.truncationMetres = v }
  return o
}()

import Foundation
import Geometry
import Imaging
import Objects
import Perception
import Simulation
import Testing
@testable import Descriptors

extension DescriptorsTests {
  @Suite struct ViewSynthesisTests {
    /// Twelve views of one plain mug at 160×120 (kinematic collection, sun only).
    static let folder = collectMugs(name: "synthesis", views: 12, width: 160, height: 120, seeds: [21]).map { $0 + "/scene-000000" }

    /// A turn about the vertical keeps the camera's distance to the centre and its height, turns
    /// its horizontal offset by the angle, and keeps the point it looks at on its optical axis;
    /// raising keeps the distance and stops at 85°.
    @Test func orbitPoseTurnsAboutTheCentre() {
      let centre = SIMD3(0.5, 0.1, 0.8)
      let eye = centre + SIMD3(0.3, 0.0, 0.2)
      // A camera at `eye` whose z axis points at the centre (x horizontal).
      func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
      }
      func normalize(_ a: SIMD3<Double>) -> SIMD3<Double> { a / (a * a).sum().squareRoot() }
      let z = normalize(centre - eye), x = normalize(cross(z, SIMD3(0, 0, 1))), y = cross(z, x)
      let X_WC = RigidTransform(rotation: RotationMatrix(uncheckedColumns: x, y, z), translation: eye)
      let turned = ViewSynthesis.orbitPose(X_WC, centre_W: centre, azimuth: 0.3, elevation: 0)
      let offset = turned.translation - centre
      #expect(abs(offset.z - 0.2) < 1e-12)
      #expect(abs(atan2(offset.y, offset.x) - 0.3) < 1e-12)
      let axisPoint = turned.inverse * centre
      #expect(abs(axisPoint.x) < 1e-12 && abs(axisPoint.y) < 1e-12 && axisPoint.z > 0)
      let raised = ViewSynthesis.orbitPose(X_WC, centre_W: centre, azimuth: 0, elevation: 0.2)
      let r = raised.translation - centre
      #expect(abs((r * r).sum() - (0.3 * 0.3 + 0.2 * 0.2)) < 1e-12)
      #expect(abs(atan2(r.z, (r.x * r.x + r.y * r.y).squareRoot()) - (atan2(0.2, 0.3) + 0.2)) < 1e-12)
      let top = ViewSynthesis.orbitPose(X_WC, centre_W: centre, azimuth: 0, elevation: 1.5).translation - centre
      #expect(abs(atan2(top.z, (top.x * top.x + top.y * top.y).squareRoot()) - 85 * Double.pi / 180) < 1e-9)
      let raisedAxis = raised.inverse * centre
      #expect(abs(raisedAxis.x) < 1e-12 && abs(raisedAxis.y) < 1e-12)
    }

    /// Rendered through the reconstruction at a held-out view's pose from the training views
    /// (every other view; the two beside it first), the synthesized image is close to the captured one on the mug: mean absolute
    /// error under a third of what the nearest training image, as it is, differs by.
    @Test func synthesizedViewPredictsAHeldOutView() throws {
      let path = try Self.folder.get()
      let scene = try TrainingScene(path: path)
      let heldOut = 5
      let image = ViewSynthesis.image(at: scene.finder.renderings[heldOut], sources: [4, 6, 8, 2, 0, 10], images: scene.rgb,
                                      renderings: scene.finder.renderings, measuredDepthMetres: scene.finder.measuredDepthMetres,
                                      tableTopHeightMetres: 0.75)
      let truth = scene.rgb[heldOut], mask = scene.masks[heldOut]
      // With OSPREY_DESCRIPTORS_IMAGES=DIR set, the picture docs/descriptors.md shows: the nearest
      // training view as it is, the synthesized view, the captured held-out view.
      if let directory = ProcessInfo.processInfo.environment["OSPREY_DESCRIPTORS_IMAGES"] {
        try PNG.write(Self.sideBySide([scene.rgb[4], image, truth]), to: directory + "/descriptors-view-synthesis.png")
      }
      var synthesized = 0.0, nearest = 0.0, count = 0
      for i in 0..<(mask.width * mask.height) where mask.pixels[i] > 0 {
        for c in 0..<3 {
          synthesized += abs(Double(image.pixels[3 * i + c]) - Double(truth.pixels[3 * i + c]))
          nearest += abs(Double(scene.rgb[4].pixels[3 * i + c]) - Double(truth.pixels[3 * i + c]))
        }
        count += 3
      }
      #expect(count > 300)
      let (mean, baseline) = (synthesized / Double(count), nearest / Double(count))
      #expect(mean < baseline / 3, "synthesized \(mean) against the nearest view's \(baseline) levels")
      print("synthesized view: \(mean) levels of 255 on the mug; the nearest view as it is: \(baseline)")
      #expect(mean < 12, "synthesized view differs by \(mean) levels of 255 on the mug")
    }

    /// Images of one size in a row, 4 white columns apart.
    static func sideBySide(_ images: [Image8]) -> Image8 {
      let (w, h, gap) = (images[0].width, images[0].height, 4)
      let width = images.count * w + (images.count - 1) * gap
      var out = Image8(width: width, height: h, channels: 3, pixels: [UInt8](repeating: 255, count: width * h * 3))
      for (k, image) in images.enumerated() {
        for y in 0..<h { for x in 0..<w { for c in 0..<3 {
          out.pixels[(y * width + k * (w + gap) + x) * 3 + c] = image.pixels[(y * w + x) * 3 + c]
        } } }
      }
      return out
    }

    /// Synthesized views join a scene's training views (after the captured ones, never held out),
    /// come from training views only, are seeded, and pair with captured views through the
    /// reconstruction.
    @Test func synthesizedViewsJoinTheTrainingViews() throws {
      let path = try Self.folder.get()
      var synthesis = ViewSynthesisOptions()
      synthesis.viewsPerView = 2
      let scene = try TrainingScene(path: path, synthesis: synthesis, heldOutEvery: 4)
      #expect(scene.capturedViewCount == 12)
      #expect(scene.viewCount == 12 + 2 * 9)
      #expect(scene.masks.count == scene.viewCount && scene.finder.renderings.count == scene.viewCount)
      let again = try TrainingScene(path: path, synthesis: synthesis, heldOutEvery: 4)
      #expect(again.rgb.last == scene.rgb.last)
      var config = DescriptorConfiguration()
      (config.width, config.height, config.heldOutEvery) = (160, 120, 4)
      let sampler = PairSampler(scenes: [scene], configuration: config, seed: 1)
      #expect(sampler.trainingViews[0] == [0, 1, 2, 4, 5, 6, 8, 9, 10] + Array(12..<30))
      // A synthesized view of view 0 and view 0 itself share most of the mug.
      var options = CorrespondenceSamplingOptions()
      options.seed = 3
      let sample = scene.finder.sample(from: 0, to: 12, maskA: scene.masks[0], maskB: scene.masks[12], options: options)
      #expect(sample.matches.count > 100)
    }
  }
}

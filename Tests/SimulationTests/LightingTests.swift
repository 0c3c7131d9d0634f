import Foundation
import Geometry
import Imaging
import Objects
import Simulation
import Testing

/// The scene's lights (docs/simulation.md, "Lighting").
@Suite struct LightingTests {
  /// Per surface point of the mug seen by two cameras 57° apart in azimuth (`object_view` and `overview`, the
  /// point matched through both depth images to within 3 mm), the median difference of its brightness
  /// (mean of R, G, B, 0–255) between the two images.
  static func brightnessChange(_ lighting: OspreyWorld.Lighting) throws -> (median: Double, points: Int) {
    let instance = ObjectInstance.mug(seed: 3)
    let a = try CollectedScene.render(instance, worldSeed: 3, camera: OspreyWorld.objectCamera, width: 640, height: 480, lighting: lighting)
    let b = try CollectedScene.render(instance, worldSeed: 3, camera: OspreyWorld.overviewCamera, width: 640, height: 480, lighting: lighting)
    let viewA = try #require(a.views.first), viewB = try #require(b.views.first)
    let X_CbW = viewB.X_WC.inverse
    func brightness(_ image: Image8, _ u: Int, _ v: Int) -> Double {
      (0..<3).map { Double(image[u, v, $0]) }.reduce(0, +) / 3
    }
    var changes: [Double] = []
    for v in 0..<480 {
      for u in 0..<640 where viewA.mask[u, v] == 255 {
        let z = Double(viewA.depthMillimetres[u, v]) / 1000
        guard z > 0 else { continue }
        let p_W = viewA.X_WC * a.intrinsics.backProject(u: Double(u), v: Double(v), depth: z)
        let p_Cb = X_CbW * p_W
        guard let uv = b.intrinsics.project(p_Cb) else { continue }
        let ub = Int(uv.x.rounded()), vb = Int(uv.y.rounded())
        guard (0..<640).contains(ub), (0..<480).contains(vb), viewB.mask[ub, vb] == 255,
              abs(Double(viewB.depthMillimetres[ub, vb]) / 1000 - p_Cb.z) < 0.003 else { continue }
        changes.append(abs(brightness(viewA.rgb, u, v) - brightness(viewB.rgb, ub, vb)))
      }
    }
    changes.sort()
    return (changes.isEmpty ? .nan : changes[changes.count / 2], changes.count)
  }

  /// With the sun only, a surface point has the same shading from both cameras (its median brightness
  /// changes by under 2 levels of 255; measured 0.33 over 6,106 points, the rest being the sun's
  /// specular highlights and resampling); with the headlight, the side facing each camera is the
  /// brighter one, so the same point changes by many times as much (measured 13.0).
  @Test func onlyTheHeadlightMovesTheShadingWithTheCamera() throws {
    let sun = try Self.brightnessChange(.sun)
    let headlight = try Self.brightnessChange(.sunAndHeadlight)
    print("lighting: median brightness change of a mug point between object_view and overview: sun \(sun.median) (\(sun.points) points), sun and headlight \(headlight.median) (\(headlight.points) points)")
    #expect(sun.points > 300)
    #expect(headlight.points == sun.points)
    #expect(sun.median < 2)
    #expect(headlight.median > 5 * max(sun.median, 1))
  }

  /// The lighting reaches the model and the scene's record.
  @Test func theLightingIsRecorded() throws {
    var options = OspreyWorld.Options()
    #expect(OspreyWorld.mjcf(options).contains(#"diffuse="0.45 0.45 0.45""#))
    options.lighting = .sun
    #expect(OspreyWorld.mjcf(options).contains(#"<headlight ambient="0.35 0.35 0.35" diffuse="0 0 0" specular="0 0 0"/>"#))
    let scene = try CollectedScene.render(ObjectInstance.mug(seed: 3), worldSeed: 3, width: 64, height: 48, lighting: .sun)
    #expect(scene.sceneJSON().contains(#""lighting": "sun""#))
    #expect(scene.lighting == .sun)
  }
}

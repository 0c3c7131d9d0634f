import Foundation
import Geometry
import Objects
import Testing

@Suite struct GlazeTests {
  /// The textured surface is the visual mesh's surface, cut at the charts' seams: every face's corners
  /// are points of the welded mesh, the total area and the outward volume agree with the mesh's to
  /// rounding, normals are unit, texture coordinates stay in their part's band (one margin row
  /// each side), and the texture has the stated size.
  @Test(arguments: [ObjectCategory.mug, .shoe])
  func texturedSurfaceIsTheMeshSurface(_ category: ObjectCategory) throws {
    let instance = category == .mug ? ObjectInstance.mug(seed: 4) : ObjectInstance.shoe(seed: 4)
    let surface = instance.texturedSurface(width: 64, rowsPerPart: 8)
    let texels = instance.texture(of: surface, glaze: Glaze(seed: 4))
    let welded = Set(instance.mesh.vertices)
    #expect(surface.vertices.allSatisfy { welded.contains($0) })
    func areaAndVolume(_ vertices: [SIMD3<Double>], _ faces: [SIMD3<Int>]) -> (Double, Double) {
      var area = 0.0, volume = 0.0
      for f in faces {
        let a = vertices[f.x], b = vertices[f.y], c = vertices[f.z]
        let n = SIMD3((b - a).y * (c - a).z - (b - a).z * (c - a).y, (b - a).z * (c - a).x - (b - a).x * (c - a).z,
                      (b - a).x * (c - a).y - (b - a).y * (c - a).x)
        area += (n * n).sum().squareRoot() / 2
        volume += (a * SIMD3(b.y * c.z - b.z * c.y, b.z * c.x - b.x * c.z, b.x * c.y - b.y * c.x)).sum() / 6
      }
      return (area, volume)
    }
    let (area, volume) = areaAndVolume(surface.vertices, surface.faces)
    let (meshArea, meshVolume) = areaAndVolume(instance.mesh.vertices, instance.mesh.faces)
    #expect(abs(area - meshArea) < 1e-9 * meshArea, "area \(area) vs \(meshArea)")
    #expect(abs(volume - meshVolume) < 1e-9 * abs(meshVolume), "volume \(volume) vs \(meshVolume)")
    #expect(surface.faces.count == instance.mesh.faces.count)
    #expect(surface.normals.allSatisfy { abs(($0 * $0).sum() - 1) < 1e-9 })
    let parts = Double(surface.textureHeight / 8)
    #expect(surface.textureWidth == 64 && texels.count == 64 * surface.textureHeight * 3)
    for f in surface.faces {
      let t = [f.x, f.y, f.z].map { surface.textureCoordinates[$0].y * parts }
      // One band per face, inside its margins (1 of 8 rows).
      let band = t[0].rounded(.down)
      #expect(t.allSatisfy { $0 >= band + 1.0 / 8 - 1e-9 && $0 <= band + 7.0 / 8 + 1e-9 }, "\(t)")
      // No face spans a seam: its u values lie within one cell of each other.
      let u = [f.x, f.y, f.z].map { surface.textureCoordinates[$0].x }
      #expect(u.max()! - u.min()! < 0.5)
    }
  }

  /// A glaze is a function of the point and the seed: the same seed and point give the same colour,
  /// different seeds different glazes; colours stay in [0, 1]; over a mug's surface both glazes and
  /// speckles show (neither all base nor all accent), and two points a quarter turn apart around the
  /// axis at one height differ (no symmetry about the axis).
  @Test func glazeIsSeededAndPatterned() {
    let mug = ObjectInstance.mug(seed: 2)
    let glaze = Glaze(seed: 2)
    #expect(glaze == Glaze(seed: 2))
    #expect(glaze.base != glaze.accent)
    #expect(Glaze(seed: 3) != glaze)
    let points = mug.mesh.vertices
    let colours = points.map(glaze.colour(at:))
    #expect(colours.allSatisfy { ($0.min() >= 0) && ($0.max() <= 1) })
    func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
    let nearBase = colours.filter { distance($0, glaze.base) < 0.05 }.count
    let nearAccent = colours.filter { distance($0, glaze.accent) < 0.05 }.count
    let nearSpeckle = colours.filter { distance($0, glaze.speckle) < 0.3 }.count
    print("glaze shares: base \(Double(nearBase) / Double(points.count)), accent \(Double(nearAccent) / Double(points.count)), speckle \(Double(nearSpeckle) / Double(points.count))")
    #expect(nearBase > points.count / 5 && nearAccent > points.count / 20 && nearSpeckle > 0,
            "base \(nearBase), accent \(nearAccent), speckle \(nearSpeckle) of \(points.count)")
    // Around the outer wall at mid-height: colours at 16 azimuths are not all alike.
    let r = mug.parameter("bottom_radius") ?? 0.04
    let ring = (0..<16).map { k -> SIMD3<Double> in
      let a = Double(k) * .pi / 8
      return glaze.colour(at: SIMD3(r * cos(a), r * sin(a), 0.05))
    }
    let spread = ring.map { distance($0, ring[0]) }.max()!
    #expect(spread > 0.2, "colours around the wall differ by at most \(spread)")
  }
}

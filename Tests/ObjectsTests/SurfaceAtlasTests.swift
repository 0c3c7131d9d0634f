import Geometry
import Objects
import Testing

@Suite struct SurfaceAtlasTests {
  static let mug = ObjectInstance.mug(seed: 21, resolution: MeshResolution(scale: 0.5))

  @Test func periodicCoordinatesWrapAroundTheSeam() {
    let atlas = SurfaceAtlasTests.mug.atlas
    for v in [0.1, 0.5, 0.9] {
      let start = atlas.point(SurfaceCoordinate(.outerWall, u: 0, v: v))
      #expect(atlas.point(SurfaceCoordinate(.outerWall, u: 1, v: v)) == start)
      #expect(atlas.point(SurfaceCoordinate(.outerWall, u: 2.25, v: v)) == atlas.point(SurfaceCoordinate(.outerWall, u: 0.25, v: v)))
      let back = atlas.coordinate(nearestTo: start, among: [.outerWall]).coordinate
      #expect(back.u >= 0 && back.u < 1 && (back.u < 1e-9 || back.u > 1 - 1e-9))
    }
  }

  @Test func polesMapEveryUToOnePoint() {
    let atlas = SurfaceAtlasTests.mug.atlas
    let centre = atlas.point(SurfaceCoordinate(.innerBottom, u: 0.1, v: 1))
    for u in [0.0, 0.3, 0.77] {
      #expect(distance(atlas.point(SurfaceCoordinate(.innerBottom, u: u, v: 1)), centre) <= 1e-15)
    }
  }

  @Test func searchCanBeLimitedToSomeParts() {
    let atlas = SurfaceAtlasTests.mug.atlas
    let apex = atlas.point(SurfaceCoordinate(.handle, u: 0.5, v: 0))
    let (onWall, gap) = atlas.coordinate(nearestTo: apex, among: [.outerWall])
    #expect(onWall.part == .outerWall && gap > 0.01)
    #expect(atlas.parts == [.outerBottom, .outerWall, .rim, .innerWall, .innerBottom, .handle, .handleTopEnd, .handleBottomEnd])
  }

  @Test func everyFaceHasItsPart() {
    let mug = SurfaceAtlasTests.mug
    #expect(mug.faceParts.count == mug.mesh.faces.count)
    #expect(Set(mug.faceParts) == Set(mug.atlas.parts))
  }
}

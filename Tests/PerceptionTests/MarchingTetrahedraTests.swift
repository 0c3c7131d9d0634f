import Geometry
import Testing
@testable import Perception

struct MarchingTetrahedraTests {
  /// A sphere's signed distance sampled on a 2 mm grid: the surface is watertight, outward-wound,
  /// every vertex lies within 0.1 voxel of the sphere (linear interpolation of an exact distance
  /// along an edge is off by at most the chord sagitta, h²/(8r) ≈ 0.02 voxel here), and the enclosed
  /// volume is within 1% of 4/3 π r³ (inscribed polyhedra lose O(h²/r²)).
  @Test func sphereSignedDistanceGivesAWatertightSphere() {
    let h = 0.002, r = 0.03
    let centre = SIMD3(0.0413, 0.0397, 0.0402)  // off the grid, so no sample is exactly on the surface
    let n = SIMD3(41, 41, 41)
    var values = [Float](repeating: 0, count: n.x * n.y * n.z)
    for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
      let d = SIMD3(Double(i), Double(j), Double(k)) * h - centre
      values[(k * n.y + j) * n.x + i] = Float((d * d).sum().squareRoot() - r)
    } } }
    let mesh = MarchingTetrahedra.isosurface(values: values, dimensions: n, lower: .zero, spacing: h)
    let report = mesh.watertightness()
    #expect(report.isWatertight, "\(report)")
    let worst = mesh.vertices.map { v -> Double in
      let d = v - centre
      return abs((d * d).sum().squareRoot() - r)
    }.max() ?? .infinity
    #expect(worst < 0.1 * h, "worst vertex \(worst / h) voxels off the sphere")
    let exact = 4.0 / 3.0 * Double.pi * r * r * r
    #expect(abs(mesh.signedVolume - exact) / exact < 0.01, "volume \(mesh.signedVolume) vs \(exact)")
  }

  /// Samples marked invalid produce no triangles around them.
  @Test func invalidSamplesAreSkipped() {
    let n = SIMD3(3, 3, 3)
    let values: [Float] = (0..<27).map { $0 % 3 == 0 ? -1 : 1 }
    let all = MarchingTetrahedra.isosurface(values: values, dimensions: n, lower: .zero, spacing: 1)
    #expect(!all.faces.isEmpty)
    let none = MarchingTetrahedra.isosurface(values: values, dimensions: n, lower: .zero, spacing: 1,
                                             valid: (0..<27).map { $0 != 13 })
    #expect(none.faces.isEmpty, "the centre sample belongs to every cube")
  }
}

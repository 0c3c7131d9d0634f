import Foundation
import Geometry
import Testing

/// A closed box mesh (`TriangleMesh.box`), under the tests' name.
func boxMesh(lower: SIMD3<Double>, upper: SIMD3<Double>) -> TriangleMesh { .box(lower: lower, upper: upper) }

/// A UV sphere of radius `r` with `rings` latitude bands and `segments` longitudes (poles shared).
func uvSphere(radius r: Double, rings: Int, segments: Int) -> TriangleMesh {
  var vertices: [SIMD3<Double>] = [SIMD3(0, 0, -r)]
  for i in 1..<rings {
    let theta = Double.pi * Double(i) / Double(rings) - Double.pi / 2
    for j in 0..<segments {
      let phi = 2 * Double.pi * Double(j) / Double(segments)
      vertices.append(r * SIMD3(cos(theta) * cos(phi), cos(theta) * sin(phi), sin(theta)))
    }
  }
  vertices.append(SIMD3(0, 0, r))
  let top = vertices.count - 1
  func ring(_ i: Int, _ j: Int) -> Int { 1 + (i - 1) * segments + (j % segments) }
  var faces: [SIMD3<Int>] = []
  for j in 0..<segments {
    faces.append(SIMD3(0, ring(1, j + 1), ring(1, j)))
    faces.append(SIMD3(top, ring(rings - 1, j), ring(rings - 1, j + 1)))
  }
  for i in 1..<(rings - 1) {
    for j in 0..<segments {
      faces.append(SIMD3(ring(i, j), ring(i, j + 1), ring(i + 1, j + 1)))
      faces.append(SIMD3(ring(i, j), ring(i + 1, j + 1), ring(i + 1, j)))
    }
  }
  return TriangleMesh(vertices: vertices, faces: faces)
}

@Suite struct TriangleMeshTests {
  // The box's integrals are polynomials evaluated exactly up to rounding; 1e-12 relative leaves a
  // wide margin over the ~1e-15 of a few dozen floating-point operations.
  let exact = 1e-12

  @Test func boxVolumeAreaCentroidAndInertiaAreExact() {
    let (a, b, c) = (2.0, 3.0, 4.0)
    let lower = SIMD3<Double>(10, -5, 1)
    let mesh = boxMesh(lower: lower, upper: lower + SIMD3(a, b, c))
    let density = 7.5
    let props = mesh.massProperties(density: density)
    let mass = density * a * b * c
    #expect(abs(mesh.signedVolume - a * b * c) <= exact * a * b * c)
    #expect(abs(mesh.surfaceArea - 2 * (a * b + b * c + a * c)) <= exact * 100)
    #expect(abs(props.mass - mass) <= exact * mass)
    #expect(maxAbs(props.centerOfMass - (lower + SIMD3(a, b, c) / 2)) <= exact * 10)
    let i = props.inertia
    #expect(abs(i.xx - mass * (b * b + c * c) / 12) <= exact * mass * 25)
    #expect(abs(i.yy - mass * (a * a + c * c) / 12) <= exact * mass * 25)
    #expect(abs(i.zz - mass * (a * a + b * b) / 12) <= exact * mass * 25)
    #expect(abs(i.xy) <= exact * mass * 25 && abs(i.yz) <= exact * mass * 25 && abs(i.xz) <= exact * mass * 25)
    #expect(mesh.watertightness().isWatertight)
    #expect(mesh.boundingBox == AxisAlignedBox(lower: lower, upper: lower + SIMD3(a, b, c)))
  }

  @Test func sphereConvergesToClosedForm() {
    // A UV sphere with 96 × 192 cells is inscribed in the sphere: its volume and inertia fall short of
    // the closed form by O(h²) with h ≈ π/96, about 3e-4 relative; 2e-3 is the stated tolerance.
    let r = 0.05
    let mesh = uvSphere(radius: r, rings: 96, segments: 192)
    let report = mesh.watertightness()
    #expect(report.isWatertight, "\(report)")
    let density = 2000.0
    let props = mesh.massProperties(density: density)
    let volume = 4.0 / 3.0 * Double.pi * r * r * r
    #expect(abs(props.volume - volume) / volume < 2e-3)
    #expect(abs(mesh.surfaceArea - 4 * Double.pi * r * r) / (4 * Double.pi * r * r) < 2e-3)
    let inertia = 0.4 * density * volume * r * r
    for moment in [props.inertia.xx, props.inertia.yy, props.inertia.zz] {
      #expect(abs(moment - inertia) / inertia < 4e-3)
    }
    #expect(maxAbs(props.centerOfMass) < 1e-12)
  }

  @Test func massPropertiesFollowRigidTransforms() {
    let mesh = boxMesh(lower: SIMD3(0, 0, 0), upper: SIMD3(1, 2, 3))
    let X_AB = RigidTransform(rotation: .aboutZ(0.3) * .aboutX(1.1), translation: SIMD3(5, -2, 7))
    let moved = mesh.transformed(by: X_AB)
    let before = mesh.massProperties()
    let after = moved.massProperties()
    #expect(abs(after.volume - before.volume) <= 1e-12)
    #expect(maxAbs(after.centerOfMass - X_AB * before.centerOfMass) <= 1e-12)
    let expected = before.inertia.rotated(by: X_AB.rotation)
    for (x, y) in zip(after.inertia.rowMajor, expected.rowMajor) { #expect(abs(x - y) <= 1e-12) }
    #expect(moved.watertightness().isWatertight)
  }

  @Test func sumOfDisjointBoxesMatchesTheirUnion() {
    let left = boxMesh(lower: SIMD3(0, 0, 0), upper: SIMD3(1, 1, 1))
    let right = boxMesh(lower: SIMD3(1, 0, 0), upper: SIMD3(3, 1, 1))
    let whole = boxMesh(lower: SIMD3(0, 0, 0), upper: SIMD3(3, 1, 1))
    let sum = left.massProperties() + right.massProperties()
    let direct = whole.massProperties()
    #expect(abs(sum.mass - direct.mass) <= 1e-12)
    #expect(maxAbs(sum.centerOfMass - direct.centerOfMass) <= 1e-12)
    for (x, y) in zip(sum.inertia.rowMajor, direct.inertia.rowMajor) { #expect(abs(x - y) <= 1e-12) }
    #expect(left.merged(with: right).watertightness().isWatertight)
  }

  @Test func watertightnessFindsHolesFlipsAndDegenerateFaces() {
    let box = boxMesh(lower: .zero, upper: SIMD3(1, 1, 1))
    var holed = box
    holed.faces.removeLast()
    #expect(holed.watertightness().boundaryEdgeCount == 3)
    #expect(!holed.watertightness().isWatertight)

    var flipped = box
    let f = flipped.faces[0]
    flipped.faces[0] = SIMD3(f.x, f.z, f.y)
    let flippedReport = flipped.watertightness()
    #expect(flippedReport.repeatedDirectedEdgeCount > 0 && !flippedReport.isWatertight)

    let inverted = TriangleMesh(vertices: box.vertices, faces: box.faces.map { SIMD3($0.x, $0.z, $0.y) })
    let invertedReport = inverted.watertightness()
    #expect(invertedReport.boundaryEdgeCount == 0 && invertedReport.repeatedDirectedEdgeCount == 0)
    #expect(invertedReport.signedVolume < 0 && !invertedReport.isWatertight)

    var degenerate = box
    degenerate.faces.append(SIMD3(0, 0, 1))
    degenerate.faces.append(SIMD3(0, 1, 0))
    #expect(degenerate.watertightness().degenerateFaces == [12, 13])
  }

  @Test func closestPointOnTriangleRegions() {
    let a = SIMD3<Double>(0, 0, 0)
    let b = SIMD3<Double>(1, 0, 0)
    let c = SIMD3<Double>(0, 1, 0)
    let inside = closestPointOnTriangle(SIMD3(0.25, 0.25, 2), a, b, c)
    #expect(maxAbs(inside.point - SIMD3(0.25, 0.25, 0)) <= 1e-15)
    #expect(maxAbs(inside.weights - SIMD3(0.5, 0.25, 0.25)) <= 1e-15)
    #expect(closestPointOnTriangle(SIMD3(-1, -1, 0), a, b, c).point == a)
    #expect(maxAbs(closestPointOnTriangle(SIMD3(1, 1, 0), a, b, c).point - SIMD3(0.5, 0.5, 0)) <= 1e-15)
    let box = boxMesh(lower: .zero, upper: SIMD3(1, 1, 1))
    let hit = box.closestPoint(to: SIMD3(0.5, 0.5, 3))!
    #expect(abs(hit.distance - 2) <= 1e-15)
  }

  @Test func objRoundTripIsBitIdentical() throws {
    let mesh = uvSphere(radius: 0.0371, rings: 7, segments: 11).transformed(
      by: RigidTransform(rotation: .aboutY(0.7), translation: SIMD3(0.1, 0.2, 0.3)))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osprey-mesh-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("sphere.obj").path
    try mesh.writeOBJ(to: path, comment: ["a test sphere"])
    let read = try TriangleMesh(objPath: path)
    #expect(read == mesh)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(leftovers == ["sphere.obj"])
  }

  @Test func objReaderAcceptsCommonFormsAndNamesBadLines() throws {
    let text = """
      # a quad with texture and normal indices
      o quad
      v 0 0 0
      v 1 0 0
      v 1 1 0 1.0
      v 0 1 0
      vn 0 0 1
      f 1/1/1 2/2/1 3//1 -1
      """
    let mesh = try TriangleMesh(objText: text, path: "quad.obj")
    #expect(mesh.faces == [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    #expect(throws: MeshFileError(path: "bad.obj", line: 2, message: "vertex coordinate 'x' is not a finite number")) {
      try TriangleMesh(objText: "v 0 0 0\nv x 0 0\n", path: "bad.obj")
    }
    #expect(
      throws: MeshFileError(path: "bad.obj", line: 4, message: "face corner 4 refers to a vertex outside 1...3 defined so far")
    ) {
      try TriangleMesh(objText: "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n", path: "bad.obj")
    }
    let error = MeshFileError(path: "bad.obj", line: 4, message: "m")
    #expect(error.description == "bad.obj:4: m")
    #expect(throws: MeshFileError.self) { try TriangleMesh(objPath: "/nonexistent/osprey.obj") }
  }
}

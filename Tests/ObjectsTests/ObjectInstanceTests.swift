import Foundation
import Geometry
import Objects
import Testing

@Suite struct ObjectInstanceTests {
  func temporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osprey-objects-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test(arguments: [ObjectCategory.mug, .shoe])
  func exportWritesOBJAndSidecarThatReadBack(category: ObjectCategory) throws {
    let instance = category == .mug ? ObjectInstance.mug(seed: 5) : ObjectInstance.shoe(seed: 5)
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let (objPath, jsonPath) = try instance.write(toFolder: folder)
    #expect(objPath.hasSuffix("/\(category.rawValue)-000005.obj") && jsonPath.hasSuffix("/\(category.rawValue)-000005.json"))
    // Shortest round-trip decimals: the OBJ reads back bit for bit.
    #expect(try TriangleMesh(objPath: objPath) == instance.mesh)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [
      "\(category.rawValue)-000005.json", "\(category.rawValue)-000005.obj",
    ])

    let data = try #require(FileManager.default.contents(atPath: jsonPath))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["format"] as? String == "osprey.object")
    #expect(json["version"] as? Int == 1)
    #expect(json["category"] as? String == category.rawValue)
    #expect(json["seed"] as? Int == 5)
    #expect(json["mesh"] as? String == "\(category.rawValue)-000005.obj")
    // The file holds shortest round-trip decimals, but Foundation's JSONSerialization on Linux does not
    // parse them correctly rounded (off by an ulp or two): compare to 1e-15 relative.
    func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-15 * max(1, abs(b)) } ?? false }
    let parameters = try #require(json["parameters"] as? [String: Double])
    for p in instance.parameters { #expect(close(parameters[p.name], p.value), "\(p.name)") }
    let keypoints = try #require(json["keypoints"] as? [String: [Double]])
    for k in instance.keypoints {
      let written = try #require(keypoints[k.name])
      #expect(written.count == 3 && (0..<3).allSatisfy { close(written[$0], k.position[$0]) }, "\(k.name)")
    }
    #expect(close(json["mass"] as? Double, instance.massProperties.mass))
    // The text itself carries Swift's shortest round-trip form of each number.
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"mass\": \(instance.massProperties.mass),"))
    #expect((json["inertia"] as? [Double])?.count == 9)
    let principal = try #require(json["principal_moments"] as? [Double])
    let trace = instance.massProperties.inertia.xx + instance.massProperties.inertia.yy + instance.massProperties.inertia.zz
    #expect(principal.count == 3 && abs(principal.reduce(0, +) - trace) <= 1e-12 * trace)
    #expect(principal.allSatisfy { $0 > 0 })
    let pieces = try #require(json["convex_pieces"] as? [[String: Any]])
    #expect(pieces.count == instance.convexPieces.count)
    #expect((pieces.first?["vertices"] as? [[Double]])?.count == instance.convexPieces.first?.vertices.count)
  }

  @Test func writingIntoAMissingFolderNamesThePath() {
    let instance = ObjectInstance.mug(seed: 1, resolution: MeshResolution(scale: 0.3))
    #expect(throws: MeshFileError.self) { try instance.write(toFolder: "/nonexistent/osprey-objects") }
  }

  @Test func coarseAndFineResolutionsStayWatertight() {
    for scale in [0.3, 0.5, 2.0] {
      let resolution = MeshResolution(scale: scale)
      for instance in [ObjectInstance.mug(seed: 2, resolution: resolution), ObjectInstance.shoe(seed: 2, resolution: resolution)] {
        #expect(instance.mesh.watertightness().isWatertight, "\(instance.name) at scale \(scale)")
      }
    }
  }

  @Test func massPropertiesScaleWithDensity() {
    let light = ObjectInstance.mug(seed: 4, density: 1000)
    let heavy = ObjectInstance.mug(seed: 4)
    #expect(abs(heavy.massProperties.mass - 2 * light.massProperties.mass) <= 1e-15)
    #expect(heavy.massProperties.centerOfMass == light.massProperties.centerOfMass)
    #expect(abs(heavy.massProperties.inertia.zz - 2 * light.massProperties.inertia.zz) <= 1e-15)
    // The handle outside the wall is part of the mass: the centre of mass leans towards it.
    let p = MugParameters(seed: 4)
    #expect((heavy.massProperties.centerOfMass * p.handleAxes.radial).sum() > 0.001)
  }

  @Test func supportPolygonHelpers() {
    let square: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(1, 0), SIMD2(1, 1), SIMD2(0, 1)]
    #expect(abs(signedDistanceInsideConvexPolygon(SIMD2(0.5, 0.25), square) - 0.25) <= 1e-15)
    #expect(signedDistanceInsideConvexPolygon(SIMD2(2, 0.5), square) < 0)
  }
}

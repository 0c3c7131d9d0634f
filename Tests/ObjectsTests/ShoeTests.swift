import Foundation
import Geometry
import Objects
import Testing

@Suite struct ShoeTests {
  static let shoes: [ObjectInstance] = instanceSeeds.map { ObjectInstance.shoe(seed: $0) }

  @Test func everyShoeIsWatertightWithPositiveVolume() {
    for shoe in ShoeTests.shoes {
      let report = shoe.mesh.watertightness()
      #expect(report.isWatertight, "shoe \(shoe.seed): \(report)")
      #expect(shoe.massProperties.volume > 0)
      // Real shoes weigh 0.2–0.8 kg.
      #expect((0.2...0.8).contains(shoe.massProperties.mass), "shoe \(shoe.seed): mass \(shoe.massProperties.mass)")
    }
  }

  @Test func parametersStayInTheirDocumentedRanges() {
    for shoe in ShoeTests.shoes {
      #expect(shoe.parameters.count == ShoeParameters.ranges.count)
      for parameter in shoe.parameters {
        #expect(parameter.range.contains(parameter.value), "shoe \(shoe.seed): \(parameter.name) = \(parameter.value)")
      }
    }
  }

  @Test func sameSeedGivesBitIdenticalMesh() {
    let again = ObjectInstance.shoe(seed: 3)
    #expect(again.mesh == ShoeTests.shoes[3].mesh)
    #expect(again.massProperties == ShoeTests.shoes[3].massProperties)
    #expect(ObjectInstance.shoe(seed: 4).mesh != again.mesh)
  }

  @Test func convexPiecesAreConvexAndInsideTheBoundingBox() {
    for shoe in ShoeTests.shoes {
      let box = shoe.mesh.boundingBox!
      for piece in shoe.convexPieces {
        #expect(everyPointIsOnHull(piece.vertices, tolerance: 1e-9), "shoe \(shoe.seed): \(piece.name)")
        for p in piece.vertices { #expect(box.contains(p, tolerance: 1e-12), "shoe \(shoe.seed): \(piece.name) \(p)") }
      }
    }
  }

  @Test func restsOnTheTableAndStandsStably() {
    for shoe in ShoeTests.shoes {
      let box = shoe.mesh.boundingBox!
      #expect(box.lower.z == 0)
      let p = ShoeParameters(values: shoe.parameters.map(\.value))
      #expect(abs(box.lower.x + p.length / 2) <= 1e-12 && abs(box.upper.x - p.length / 2) <= 1e-12)
      #expect(abs(box.lower.y + box.upper.y) <= 1e-12)
      let support = shoe.supportPolygon()
      let c = shoe.massProperties.centerOfMass
      let margin = signedDistanceInsideConvexPolygon(SIMD2(c.x, c.y), support)
      #expect(margin > 0.02, "shoe \(shoe.seed): centre of mass \(c) is \(margin) m inside the support polygon")
    }
  }

  @Test func keypointsSitWhereTheyShould() {
    for shoe in ShoeTests.shoes {
      let p = ShoeParameters(values: shoe.parameters.map(\.value))
      let box = shoe.mesh.boundingBox!
      let heel = shoe.keypoint("heel")!
      let toe = shoe.keypoint("toe")!
      #expect(heel.x == box.lower.x && toe.x == box.upper.x)
      for name in ["heel", "toe", "top_of_heel", "sole_center"] {
        #expect(shoe.mesh.closestPoint(to: shoe.keypoint(name)!)!.distance <= 1e-12, "shoe \(shoe.seed): \(name)")
      }
      let topOfHeel = shoe.keypoint("top_of_heel")!
      #expect(topOfHeel.z > 0.8 * (p.heelHeight + p.counterHeight) && topOfHeel.x < heel.x + 0.02)
      let sole = shoe.keypoint("sole_center")!
      // Under the middle of the length, on the bottom (raised by the arch where there is one).
      #expect(sole.x == 0 && sole.y == 0 && abs(sole.z - p.bottomHeight(0.5)) <= 1e-12)
      // The collar centre: above the recess floor, at the height of the opening, over the opening.
      let collar = shoe.keypoint("collar_center")!
      let below = shoe.mesh.vertices.filter { abs($0.x - collar.x) < 0.004 && abs($0.y) < 0.004 && $0.z > 0.5 * p.heelHeight }
      let floor = below.map(\.z).min()!
      #expect(floor < collar.z - 0.03, "shoe \(shoe.seed): recess floor \(floor) under collar centre \(collar)")
      #expect(collar.z <= box.upper.z)
    }
  }

  @Test func vertexLabelsMapBackToTheirVertices() {
    for shoe in ShoeTests.shoes.prefix(5) {
      #expect(shoe.vertexCoordinates.count == shoe.mesh.vertices.count)
      for (k, label) in shoe.vertexCoordinates.enumerated() {
        #expect(distance(shoe.atlas.point(label), shoe.mesh.vertices[k]) <= 1e-12, "shoe \(shoe.seed): vertex \(k) \(label)")
      }
    }
  }

  @Test func surfaceParameterizationRoundTrips() {
    var random = SplitMix(seed: 12)
    for shoe in ShoeTests.shoes.prefix(3) {
      for part in [SurfacePart.upper, .sole] {
        for _ in 0..<10 {
          let coordinate = SurfaceCoordinate(part, u: random.unit(in: 0.005...0.995), v: random.unit(in: 0.02...0.98))
          let point = shoe.atlas.point(coordinate)
          #expect(shoe.mesh.closestPoint(to: point)!.distance <= 1e-12)
          let (back, gap) = shoe.atlas.coordinate(nearestTo: point)
          #expect(gap <= 1e-12)
          #expect(back.part == part && abs(back.u - coordinate.u) <= 1e-6 && abs(back.v - coordinate.v) <= 1e-6,
                  "shoe \(shoe.seed): \(coordinate) came back as \(back)")
        }
      }
    }
  }

  @Test func sameCoordinateIsTheSamePlaceOnEveryShoe() {
    for shoe in ShoeTests.shoes {
      let box = shoe.mesh.boundingBox!
      // (upper, 0, v) is the heel tip and (sole, 1, v) the toe tip, whatever v.
      // (Interpolating at a pole costs an ulp or two.)
      #expect(distance(shoe.atlas.point(SurfaceCoordinate(.upper, u: 0, v: 0.3)), shoe.keypoint("heel")!) <= 1e-15)
      #expect(distance(shoe.atlas.point(SurfaceCoordinate(.sole, u: 1, v: 0.8)), shoe.keypoint("toe")!) <= 1e-15)
      // (upper, u, 0.5) runs along the top centre line; (sole, u, 0.5) along the bottom one.
      let top = shoe.atlas.point(SurfaceCoordinate(.upper, u: 0.8, v: 0.5))
      let bottom = shoe.atlas.point(SurfaceCoordinate(.sole, u: 0.8, v: 0.5))
      #expect(top.y == 0 && bottom.y == 0 && top.z > bottom.z + 0.02)
      // (upper, u, 0) is the widest line on the +y side.
      let side = shoe.atlas.point(SurfaceCoordinate(.upper, u: 0.6, v: 0))
      #expect(side.y > 0.8 * box.upper.y)
    }
  }
}

import LinearAlgebra
import Foundation
import Geometry
import Objects
import Testing

@Suite struct MugTests {
  static let mugs: [ObjectInstance] = instanceSeeds.map { ObjectInstance.mug(seed: $0) }

  @Test func everyMugIsWatertightWithPositiveVolume() {
    for mug in MugTests.mugs {
      let report = mug.mesh.watertightness()
      #expect(report.isWatertight, "mug \(mug.seed): \(report)")
      #expect(mug.massProperties.volume > 0)
      // Ceramic mugs of these sizes weigh a few hundred grams.
      #expect((0.1...0.9).contains(mug.massProperties.mass), "mug \(mug.seed): mass \(mug.massProperties.mass)")
    }
  }

  @Test func parametersStayInTheirDocumentedRanges() {
    for mug in MugTests.mugs {
      #expect(mug.parameters.count == MugParameters.ranges.count)
      for parameter in mug.parameters {
        #expect(parameter.range.contains(parameter.value), "mug \(mug.seed): \(parameter.name) = \(parameter.value)")
      }
    }
  }

  @Test func sameSeedGivesBitIdenticalMesh() {
    let again = ObjectInstance.mug(seed: 7)
    #expect(again.mesh == MugTests.mugs[7].mesh)
    #expect(again.massProperties == MugTests.mugs[7].massProperties)
    #expect(ObjectInstance.mug(seed: 8).mesh != again.mesh)
  }

  @Test func convexPiecesAreConvexAndInsideTheBoundingBox() {
    for mug in MugTests.mugs {
      let box = mug.mesh.boundingBox!
      for piece in mug.convexPieces {
        #expect(everyPointIsOnHull(piece.vertices, tolerance: 1e-9), "mug \(mug.seed): \(piece.name)")
        for p in piece.vertices { #expect(box.contains(p, tolerance: 1e-12), "mug \(mug.seed): \(piece.name) \(p)") }
      }
    }
  }

  @Test func restsOnTheTableAndStandsStably() {
    for mug in MugTests.mugs {
      #expect(mug.mesh.boundingBox!.lower.z == 0)
      let support = mug.supportPolygon()
      let c = mug.massProperties.centerOfMass
      // The centre of mass projects well inside the bottom disc (radius ≥ 35 mm).
      let margin = signedDistanceInsideConvexPolygon(SIMD2(c.x, c.y), support)
      #expect(margin > 0.02, "mug \(mug.seed): centre of mass \(c) is \(margin) m inside the support polygon")
    }
  }

  @Test func keypointsSitWhereTheyShould() {
    for mug in MugTests.mugs {
      let p = MugParameters(values: mug.parameters.map(\.value))
      let bottom = mug.keypoint("bottom_center")!
      let top = mug.keypoint("top_center")!
      #expect(mug.mesh.closestPoint(to: bottom)!.distance <= 1e-12)
      #expect(abs(top.z - p.height) <= 1e-12 && top.x == 0 && top.y == 0)
      let rimTop = mug.vertexCoordinates.indices.filter { mug.vertexCoordinates[$0].part == .rim }.map { mug.mesh.vertices[$0].z }.max()!
      #expect(abs(rimTop - p.height) <= 1e-12)
      // Handle centre: in the handle's half-plane, inside the loop, clear of the wall and the tube.
      let handle = mug.keypoint("handle_center")!
      let (er, et) = p.handleAxes
      let s = (handle * er).sum()
      #expect(abs((handle * et).sum()) <= 1e-12)
      #expect(s > p.outerRadius(atHeight: handle.z) + 0.003)
      let apex = p.handleCenterline(0)
      #expect(s < apex.x - p.handleThickness - 0.003)
      // The hole between the wall and the handle is at least 8 mm wide (docs/objects.md).
      let hole = apex.x - p.handleThickness - p.outerRadius(atHeight: handle.z)
      #expect(hole >= 0.008, "mug \(mug.seed): hole \(hole) m")
      let centerline = (0...200).map { p.handleCenterline(Double.pi / 2 - Double.pi * Double($0) / 200) }
      let clearance = centerline.map { (($0 - SIMD2(s, handle.z)) * ($0 - SIMD2(s, handle.z))).sum().squareRoot() }.min()!
      #expect(clearance > p.handleThickness + 0.003, "mug \(mug.seed): handle centre \(clearance) m from the handle's centre line")
      #expect(handle.z < centerline.first!.y && handle.z > centerline.last!.y)
    }
  }

  @Test func handleEndsAreBuriedInTheWall() {
    for mug in MugTests.mugs {
      let p = MugParameters(values: mug.parameters.map(\.value))
      for (k, label) in mug.vertexCoordinates.enumerated() where label.part == .handleTopEnd || label.part == .handleBottomEnd {
        let q = mug.mesh.vertices[k]
        let r = (q.x * q.x + q.y * q.y).squareRoot()
        #expect(r > p.innerRadius(atHeight: q.z) + 1e-4 && r < p.outerRadius(atHeight: q.z) - 1e-4, "mug \(mug.seed): cap vertex \(q)")
      }
    }
  }

  @Test func handleTubeDoesNotFoldOnItself() {
    // The tube is free of self-intersection when the centre line's radius of curvature exceeds the
    // cross-section's in-plane semi-axis everywhere.
    for mug in MugTests.mugs {
      let p = MugParameters(values: mug.parameters.map(\.value))
      let n = 400
      let points = (0...n).map { p.handleCenterline(Double.pi / 2 - Double.pi * Double($0) / Double(n)) }
      var smallest = Double.infinity
      for k in 1..<n {
        let (a, b, c) = (points[k - 1], points[k], points[k + 1])
        let ab = ((b - a) * (b - a)).sum().squareRoot()
        let bc = ((c - b) * (c - b)).sum().squareRoot()
        let ca = ((a - c) * (a - c)).sum().squareRoot()
        let twiceArea = abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x))
        if twiceArea > 0 { smallest = min(smallest, ab * bc * ca / (2 * twiceArea)) }
      }
      #expect(smallest > 1.5 * p.handleThickness, "mug \(mug.seed): radius of curvature \(smallest)")
    }
  }

  @Test func vertexLabelsMapBackToTheirVertices() {
    for mug in MugTests.mugs.prefix(5) {
      #expect(mug.vertexCoordinates.count == mug.mesh.vertices.count)
      for (k, label) in mug.vertexCoordinates.enumerated() {
        #expect(distance(mug.atlas.point(label), mug.mesh.vertices[k]) <= 1e-12, "mug \(mug.seed): vertex \(k) \(label)")
      }
    }
  }

  @Test func surfaceParameterizationRoundTrips() {
    var random = SplitMix(seed: 11)
    let parts: [SurfacePart] = [.outerWall, .rim, .innerWall, .innerBottom, .outerBottom, .handle]
    for mug in MugTests.mugs.prefix(3) {
      for part in parts {
        for _ in 0..<4 {
          let coordinate = SurfaceCoordinate(part, u: random.unit(in: 0.02...0.98), v: random.unit(in: 0.02...0.98))
          let point = mug.atlas.point(coordinate)
          #expect(mug.mesh.closestPoint(to: point)!.distance <= 1e-12)
          let (back, gap) = mug.atlas.coordinate(nearestTo: point)
          #expect(gap <= 1e-12)
          #expect(back.part == part && abs(back.u - coordinate.u) <= 1e-6 && abs(back.v - coordinate.v) <= 1e-6,
                  "mug \(mug.seed): \(coordinate) came back as \(back)")
        }
      }
    }
  }

  @Test func sameCoordinateIsTheSamePlaceOnEveryMug() {
    for mug in MugTests.mugs {
      let p = MugParameters(values: mug.parameters.map(\.value))
      let (er, et) = p.handleAxes
      // (handle, 0.5, 0): the outermost point of the handle, in the handle plane.
      let apex = mug.atlas.point(SurfaceCoordinate(.handle, u: 0.5, v: 0))
      let farthest = mug.mesh.vertices.map { ($0 * er).sum() }.max()!
      #expect(abs((apex * er).sum() - farthest) < 0.001 && abs((apex * et).sum()) <= 1e-12)
      // (outer_wall, 0, v): the outside of the body right under the handle.
      let underHandle = mug.atlas.point(SurfaceCoordinate(.outerWall, u: 0, v: 0.5))
      #expect(abs((underHandle * et).sum()) <= 1e-12 && (underHandle * er).sum() > 0)
      // (outer_wall, 0.5, v): opposite the handle.
      #expect((mug.atlas.point(SurfaceCoordinate(.outerWall, u: 0.5, v: 0.5)) * er).sum() < 0)
      // (rim, u, 0.5): the top of the rim, at the mug's height.
      #expect(abs(mug.atlas.point(SurfaceCoordinate(.rim, u: 0.3, v: 0.5)).z - p.height) <= 1e-9)
      // (outer_bottom, u, 0) is the bottom centre keypoint.
      #expect(distance(mug.atlas.point(SurfaceCoordinate(.outerBottom, u: 0.7, v: 0)), mug.keypoint("bottom_center")!) <= 1e-15)
    }
  }
}

/// The shared SplitMix64 generator (LinearAlgebra's `SeededGenerator`) for test-side randomness.
typealias SplitMix = SeededGenerator

extension SeededGenerator {
  mutating func unit(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) * 0x1p-53
  }
}

import LinearAlgebra
import Testing
@testable import ConvexSets

@Suite struct HitAndRunSamplerTests {
  @Test func boxSamplesHaveTheBoxsMeanAndVariance() throws {
    // Uniform on [0, 2] × [−1, 3]: mean (1, 1), variances w²/12 = 1/3 and 4/3.
    let box = try Hyperrectangle(lb: [0, -1], ub: [2, 3])
    let samples = try box.uniformSamples(count: 4000, seed: 17)
    let mean = Fixtures.mean(samples)
    // σ = w/√12 ≤ 1.16. Even if only 1000 of the 4000 samples (10 steps apart) were independent,
    // the standard error would be 1.16/√1000 ≈ 0.037; 0.15 is four of those.
    #expect(Fixtures.maxDifference(mean, [1, 1]) < 0.15, "mean \(mean)")
    for (i, expected) in [1.0 / 3, 4.0 / 3].enumerated() {
      let variance = samples.reduce(0.0) { $0 + ($1[i] - mean[i]) * ($1[i] - mean[i]) } / Double(samples.count)
      // Relative standard error of a variance with N_eff = 1000 uniform draws is √(0.8/1000) ≈ 0.03;
      // 15 % is five of those.
      #expect(abs(variance / expected - 1) < 0.15, "variance[\(i)] = \(variance), expected \(expected)")
    }
  }

  @Test func ellipseSamplesFillAreasInProportion() throws {
    // The concentric ellipse scaled by ½ holds a quarter of the area.
    let ellipse = Fixtures.shearedEllipse
    let samples = try ellipse.uniformSamples(count: 2000, seed: 3)
    let inner = samples.filter { p in (ellipse.A * zip(p, ellipse.center).map { $0 - $1 }).norm2 <= 0.5 }
    let fraction = Double(inner.count) / Double(samples.count)
    // Binomial standard error √(0.25·0.75/500) ≈ 0.019 with a quarter of the samples independent;
    // 0.08 is four of those.
    #expect(abs(fraction - 0.25) < 0.08, "fraction \(fraction)")
    #expect(samples.allSatisfy { ellipse.contains($0, tolerance: 1e-9) })
  }

  @Test func triangleSamplesFillSubTrianglesInProportion() throws {
    // The triangle's corner x + y ≤ ½ holds a quarter of its area.
    let samples = try Fixtures.unitTriangle.uniformSamples(count: 2000, seed: 8)
    let corner = samples.filter { $0[0] + $0[1] <= 0.5 }
    #expect(abs(Double(corner.count) / 2000 - 0.25) < 0.08)
    #expect(samples.allSatisfy { Fixtures.unitTriangle.contains($0, tolerance: 1e-9) })
  }

  @Test func membershipChordsOnAGenericSet() throws {
    // Disk ∩ box has no closed-form chord here: bisection on contains.
    let set = try Intersection([Fixtures.unitDisk, try Hyperrectangle(lb: [0, 0], ub: [2, 2])])  // a quarter disk
    let samples = try set.uniformSamples(count: 600, seed: 21)
    #expect(samples.allSatisfy { set.contains($0, tolerance: 1e-9) })
    // The quarter disk's centroid is at 4/(3π) ≈ 0.424 on each axis; σ ≈ 0.26, standard error with
    // 150 independent samples ≈ 0.02; 0.08 is four of those.
    let mean = Fixtures.mean(samples)
    #expect(Fixtures.maxDifference(mean, [0.4244, 0.4244]) < 0.08, "mean \(mean)")
  }

  @Test func vPolytopesUseTheirFacetsInLowDimension() throws {
    let samples = try Fixtures.unitTriangleVertices.uniformSamples(count: 300, seed: 4)
    #expect(samples.allSatisfy { Fixtures.unitTriangle.contains($0, tolerance: 1e-9) })
  }

  @Test func membershipChordsOnAVPolytopeAboveThreeDimensions() throws {
    // The 4-cube as 16 points: membership is an LP, so only a few steps.
    var corners: [[Double]] = []
    for k in 0..<16 { corners.append((0..<4).map { (k >> $0) & 1 == 1 ? 1.0 : -1.0 }) }
    let samples = try VPolytope(points: corners).uniformSamples(count: 3, seed: 1, burnIn: 0, stepsBetweenSamples: 1)
    #expect(Set(samples.map(\.description)).count == 3, "the chain moves")
    // Inside the cube up to the chord search's membership tolerance (1e-9 × its length, 8 here).
    #expect(samples.allSatisfy { $0.allSatisfy { abs($0) <= 1 + 1e-8 } })
  }

  @Test func sameSeedSameChain() throws {
    let a = try Fixtures.cutCube.uniformSamples(count: 20, seed: 99)
    let b = try Fixtures.cutCube.uniformSamples(count: 20, seed: 99)
    let c = try Fixtures.cutCube.uniformSamples(count: 20, seed: 100)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func samplerStreamsFromAGivenStart() throws {
    var sampler = try HitAndRunSampler(set: Fixtures.box, seed: 1, start: [1.5, 0.5])
    #expect(sampler.current == [1.5, 0.5])
    sampler.advance(steps: 5)
    #expect(sampler.current != [1.5, 0.5])
    #expect(Fixtures.box.contains(sampler.current))
    let batch = sampler.samples(count: 3, stepsBetweenSamples: 2)
    #expect(batch.count == 3)
    #expect(batch.last == sampler.current)
  }

  @Test func aPointStaysPut() throws {
    let p = try Point([1, 2])
    #expect(try p.uniformSamples(count: 3, seed: 1) == [[1, 2], [1, 2], [1, 2]])
  }

  @Test func badInputThrowsNamedErrors() throws {
    #expect(throws: ConvexSetError(field: "set", message: "is unbounded; hit-and-run samples bounded sets only")) {
      try ConvexSetOperationsTests.halfPlane.uniformSamples(count: 1, seed: 1)
    }
    #expect(throws: ConvexSetError(field: "set", message: "is empty; there is nothing to sample")) {
      try ConvexSetOperationsTests.emptyInterval.uniformSamples(count: 1, seed: 1)
    }
    #expect(throws: ConvexSetError(field: "set", message: "is unbounded; hit-and-run samples bounded sets only")) {
      let quadrant = try HPolyhedron(A: Matrix(rows: [[-1, 0], [0, -1]]), b: [0, 0])
      return try Intersection([quadrant, ConvexSetOperationsTests.halfPlane]).uniformSamples(count: 1, seed: 1)
    }
    #expect(
      throws: ConvexSetError(
        field: "start", message: "[5, 5] is not in the set Hyperrectangle(lb: [-1, 0], ub: [2, 1])")
    ) { try Fixtures.box.uniformSamples(count: 1, seed: 1, start: [5, 5]) }
  }
}

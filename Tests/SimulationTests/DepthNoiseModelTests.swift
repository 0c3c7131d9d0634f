import Simulation
import Testing

@Suite struct DepthNoiseModelTests {
  /// A flat image at depth z.
  private func plane(_ z: Float, width: Int = 200, height: Int = 200) -> [Float] { Array(repeating: z, count: width * height) }

  private func statistics(_ values: [Float]) -> (mean: Double, deviation: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
    return (mean, variance.squareRoot())
  }

  /// Mean and standard deviation of the noisy depth of planes at 0.8, 1.5 and 2.5 m against the
  /// model's σ(z). 40,000 pixels: the sample standard deviation's relative error is about
  /// 1/√(2N) = 0.35 %, the mean's σ/√N; tolerances of 2 % and 5 σ/√N leave room.
  @Test func gaussianNoiseMatchesTheModel() {
    var model = DepthNoiseModel()
    model.edgeDropoutProbability = 0
    model.randomDropoutProbability = 0
    for z in [0.8, 1.5, 2.5] as [Float] {
      let noisy = model.apply(to: plane(z), width: 200, height: 200, seed: 11)
      let (mean, deviation) = statistics(noisy)
      let sigma = model.sigma(atDepthMetres: Double(z))
      #expect(abs(mean - Double(z)) < 5 * sigma / 200, "z \(z): mean \(mean)")
      #expect(abs(deviation / sigma - 1) < 0.02, "z \(z): deviation \(deviation), model \(sigma)")
    }
    // Nguyen et al.'s figures: 1.2 mm at 0.4 m, 0.0012 + 0.0019 · 1.44 = 3.94 mm at 1.6 m.
    #expect(abs(model.sigma(atDepthMetres: 0.4) - 0.0012) < 1e-15)
    #expect(abs(model.sigma(atDepthMetres: 1.6) - 0.003936) < 1e-12)
  }

  @Test func zeroSigmaAndNoDropoutReproduceTheCleanDepth() {
    var depth = plane(1.2)
    for i in stride(from: 0, to: depth.count, by: 7) { depth[i] = 0 }  // holes stay holes
    for i in stride(from: 3, to: depth.count, by: 11) { depth[i] = 2.7 }
    #expect(DepthNoiseModel.none.apply(to: depth, width: 200, height: 200, seed: 3) == depth)
  }

  /// Random dropout removes a fraction p of the pixels (binomial: 5 standard deviations allowed).
  @Test func randomDropoutRate() {
    var model = DepthNoiseModel.none
    model.randomDropoutProbability = 0.1
    let out = model.apply(to: plane(1), width: 200, height: 200, seed: 5)
    let dropped = Double(out.filter { $0 == 0 }.count)
    let n = 40_000.0, expected = 0.1 * n, sd = (n * 0.1 * 0.9).squareRoot()
    #expect(abs(dropped - expected) < 5 * sd, "dropped \(dropped)")
    #expect(out.allSatisfy { $0 == 0 || $0 == 1 })
  }

  /// A step from 1 m to 1.5 m at column 100: edge dropout takes only pixels next to the step (and next
  /// to the image's holes), about half of them with p = 0.5.
  @Test func edgeDropoutOnlyAtDiscontinuities() {
    let width = 200, height = 100
    var depth = [Float](repeating: 1, count: width * height)
    for v in 0..<height { for u in 100..<width { depth[v * width + u] = 1.5 } }
    var model = DepthNoiseModel.none
    model.edgeDropoutProbability = 0.5
    let out = model.apply(to: depth, width: width, height: height, seed: 8)
    var droppedAtEdge = 0
    for v in 0..<height {
      for u in 0..<width where out[v * width + u] == 0 {
        #expect(u == 99 || u == 100, "dropped (\(u), \(v)) away from the step")
        droppedAtEdge += 1
      }
    }
    // 200 edge pixels, p = 0.5: mean 100, sd ≈ 7.1.
    #expect(abs(droppedAtEdge - 100) < 36, "dropped \(droppedAtEdge)")
  }

  @Test func sameSeedSameNoiseOtherSeedOther() {
    let model = DepthNoiseModel()
    let a = model.apply(to: plane(1), width: 200, height: 200, seed: 1)
    #expect(a == model.apply(to: plane(1), width: 200, height: 200, seed: 1))
    #expect(a != model.apply(to: plane(1), width: 200, height: 200, seed: 2))
  }
}

import Testing

@testable import Torch

extension TorchTests {
  @Suite struct FunctionalTests {
    /// x = 1…9 as 3×3, w = [[1, 2], [3, 4]], bias 0.5: out(i, j) = Σ w · x[i…i+1, j…j+1] + 0.5.
    @Test func conv2dHandComputed() throws {
      let x = try Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
      let w = try Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
      let b = try Tensor([0.5])
      let y = try Functional.conv2d(x, weight: w, bias: b)
      #expect(y.shape == [1, 1, 2, 2])
      #expect(try y.floats() == [37.5, 47.5, 67.5, 77.5])
      // Zero padding 1: the corner output sees only x(0,0) under w(1,1) = 4.
      let padded = try Functional.conv2d(x, weight: w, padding: (1, 1))
      #expect(padded.shape == [1, 1, 4, 4])
      #expect(try padded.floats()[0] == 4)
      // Stride 2 over the padded input: windows at padded (0,0), (0,2), (2,0), (2,2):
      // 4·1; 3·2 + 4·3; 2·4 + 4·7; 1·5 + 2·6 + 3·8 + 4·9.
      let strided = try Functional.conv2d(x, weight: w, stride: (2, 2), padding: (1, 1))
      let expectedStrided: [Float] = [4, 18, 36, 77]
      #expect(try strided.floats() == expectedStrided)
    }

    @Test func convTranspose2dUndoesShape() throws {
      let x = try Tensor.ones([1, 2, 3, 3])
      let w = try Tensor.ones([2, 4, 2, 2])
      let y = try Functional.convTranspose2d(x, weight: w, stride: (2, 2))
      #expect(y.shape == [1, 4, 6, 6])
      // Stride 2 with kernel 2: every output pixel gets exactly one input pixel per input channel.
      #expect(try y.floats().allSatisfy { $0 == 2 })
    }

    /// [[0, 1], [2, 3]] resampled: value(r, c) = 2·r_src + c_src.
    @Test func bilinearInterpolation() throws {
      let x = try Tensor([0, 1, 2, 3], shape: [1, 1, 2, 2])
      // align_corners: source coordinates 0, ½, 1.
      let aligned = try Functional.interpolateBilinear(x, size: (3, 3), alignCorners: true)
      #expect(isClose(try aligned.floats(), [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]))
      // Pixel centres: src = (dst + ½)/2 − ½ → −¼ (clamped to 0), ¼, ¾, 1¼ (clamped to 1).
      let centred = try Functional.interpolateBilinear(x, size: (4, 4), alignCorners: false)
      let coordinate: [Float] = [0, 0.25, 0.75, 1]
      let expected = coordinate.flatMap { r in coordinate.map { c in 2 * r + c } }
      #expect(isClose(try centred.floats(), expected))
    }

    /// The matrix form against libtorch's upsample_bilinear2d, values and input gradients (of a
    /// weighted sum, so that every output's weight differs): ×8 up as the descriptor network does,
    /// sizes that do not divide, a downsampling, both corner rules, and a channels-last input.
    @Test func bilinearByMatricesMatchesLibtorch() throws {
      let cases: [(input: (Int, Int), output: (Int, Int), alignCorners: Bool)] = [
        ((15, 20), (120, 160), false), ((5, 7), (13, 9), false), ((5, 7), (13, 9), true), ((9, 12), (4, 5), false), ((1, 3), (4, 6), true),
      ]
      for (index, c) in cases.enumerated() {
        let values = try Tensor.randn([2, 3, c.input.0, c.input.1], seed: UInt64(index)).floats()
        let weights = try Tensor.randn([2, 3, c.output.0, c.output.1], seed: UInt64(100 + index))
        for channelsLast in [false, true] {
          func input() throws -> Tensor {
            let x = try Tensor(values, shape: [2, 3, c.input.0, c.input.1])
            return try (channelsLast ? x.channelsLast() : x).setRequiresGrad()
          }
          let x1 = try input(), x2 = try input()
          let reference = try Functional.interpolateBilinear(x1, size: c.output, alignCorners: c.alignCorners)
          let matrices = try Functional.interpolateBilinearByMatrices(x2, size: c.output, alignCorners: c.alignCorners)
          #expect(matrices.shape == reference.shape)
          #expect(matrices.isContiguous, "case \(index): the product is row-major")
          #expect(isClose(try matrices.floats(), try reference.contiguous().floats(), tolerance: 1e-5), "case \(index), channels-last \(channelsLast)")
          try (reference * weights).sum().backward()
          try (matrices * weights).sum().backward()
          #expect(isClose(try #require(x2.grad).contiguous().floats(), try #require(x1.grad).contiguous().floats(), tolerance: 1e-4), "case \(index), channels-last \(channelsLast)")
        }
      }
      #expect(throws: TorchError.self) { try Functional.interpolateBilinearByMatrices(Tensor.zeros([3, 4]), size: (2, 2)) }
      #expect(throws: TorchError.self) { try Functional.interpolateBilinearByMatrices(Tensor.zeros([1, 1, 3, 4]), size: (0, 2)) }
      #expect(throws: TorchError.self) { try Functional.interpolateBilinearByMatrices(Tensor.zeros([1, 1, 0, 4]), size: (2, 2)) }
    }

    /// √(‖a[i] − b[j]‖² + ε) by hand: rows (3, 4) and (0, 0) are 5 apart; equal rows give √ε.
    @Test func rowDistanceHandComputed() throws {
      let a = try Tensor([0, 0, 3, 4], shape: [2, 2]), b = try Tensor([0, 0], shape: [1, 2])
      let d = try Functional.rowDistance(a, b, rowsA: Tensor(int64: [1, 0], shape: [2]), rowsB: Tensor(int64: [0, 0], shape: [2]))
      #expect(isClose(try d.floats(), [5, 1e-6]))
    }

    /// The fused kernel against the composed ops it replaces (index_select, difference, square, sum,
    /// square root): values, and the gradients of a hinge over them, where some pairs are past the
    /// margin (zero gradient, skipped by the kernel) and rows repeat (gradients accumulate); also for
    /// rows read through a transposed view (strided, as a [D, H·W] descriptor image is).
    @Test func rowDistanceMatchesComposedOps() throws {
      let aValues = try Tensor.randn([50, 16], seed: 1).floats(), bValues = try Tensor.randn([16, 40], seed: 2).floats()
      // 600 pairs over 50 and 40 rows: every row in a dozen or more pairs.
      let ia = try Tensor(int64: (0..<600).map { Int64(($0 * 37 + 11) % 50) }, shape: [600])
      let ib = try Tensor(int64: (0..<600).map { Int64(($0 * 53 + 7) % 40) }, shape: [600])
      func hinge(_ d: Tensor) throws -> Tensor { try (6.0 - d).clamped(min: 0).pow(2).sum() }
      let a1 = try Tensor(aValues, shape: [50, 16]).setRequiresGrad(), b1 = try Tensor(bValues, shape: [16, 40]).setRequiresGrad()
      let fused = try Functional.rowDistance(a1, b1.transposed(0, 1), rowsA: ia, rowsB: ib)
      try hinge(fused).backward()
      let a2 = try Tensor(aValues, shape: [50, 16]).setRequiresGrad(), b2 = try Tensor(bValues, shape: [16, 40]).setRequiresGrad()
      let difference = try a2.indexSelect(0, ia) - b2.transposed(0, 1).indexSelect(0, ib)
      let composed = try ((difference * difference).sum([1]) + 1e-12).sqrt()
      try hinge(composed).backward()
      let distances = try composed.floats()
      #expect(distances.contains { $0 > 6 } && distances.contains { $0 < 6 }, "the margin must split the pairs")
      #expect(isClose(try fused.floats(), distances, tolerance: 1e-4))
      #expect(isClose(try #require(a1.grad).floats(), try #require(a2.grad).floats(), tolerance: 1e-4))
      #expect(isClose(try #require(b1.grad).floats(), try #require(b2.grad).floats(), tolerance: 1e-4))
    }

    @Test func rowDistanceRejectsBadShapesAndIndices() throws {
      let a = try Tensor.zeros([4, 3]), b = try Tensor.zeros([5, 3]), two = try Tensor(int64: [0, 1], shape: [2])
      #expect(throws: TorchError.self) { try Functional.rowDistance(a, Tensor.zeros([5, 2]), rowsA: two, rowsB: two) }
      #expect(throws: TorchError.self) { try Functional.rowDistance(a, b, rowsA: two, rowsB: Tensor(int64: [0], shape: [1])) }
      do {
        _ = try Functional.rowDistance(a, b, rowsA: Tensor(int64: [0, 4], shape: [2]), rowsB: two)
        Issue.record("an index past a's 4 rows must throw")
      } catch let error as TorchError {
        #expect(error.message.contains("index 4 is out of range for 4 rows"), "\(error.message)")
      }
    }

    @Test func pooling() throws {
      let x = try Tensor((1...16).map(Float.init), shape: [1, 1, 4, 4])
      #expect(try Functional.maxPool2d(x, kernel: (2, 2)).floats() == [6, 8, 14, 16])
      #expect(try Functional.avgPool2d(x, kernel: (2, 2)).floats() == [3.5, 5.5, 11.5, 13.5])
      #expect(try Functional.adaptiveAvgPool2d(x, outputSize: (1, 1)).floats() == [8.5])
      #expect(try Functional.maxPool2d(x, kernel: (3, 3), stride: (1, 1), padding: (1, 1)).shape == [1, 1, 4, 4])
    }

    /// One channel holding 1, 2, 3, 4: batch mean 2.5, biased variance 1.25, unbiased 5/3.
    @Test func batchNormTrainingUpdatesRunningStatistics() throws {
      let x = try Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
      let mean = try Tensor.zeros([1])
      let variance = try Tensor.ones([1])
      let y = try Functional.batchNorm(x, weight: nil, bias: nil, runningMean: mean, runningVar: variance, training: true)
      let s = Float((1.25 + 1e-5).squareRoot())
      #expect(isClose(try y.floats(), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]))
      #expect(isClose(try mean.floats(), [0.25]))
      #expect(isClose(try variance.floats(), [0.9 + 0.1 * 5 / 3]))
      // Evaluation uses the running statistics: (x − 0.25) / √(1.0666… + eps) · 2 + 1.
      let z = try Functional.batchNorm(x, weight: Tensor([2]), bias: Tensor([1]), runningMean: mean,
                                       runningVar: variance, training: false)
      let sd = Float((0.9 + 0.1 * 5.0 / 3 + 1e-5).squareRoot())
      #expect(isClose(try z.floats(), [1, 2, 3, 4].map { ($0 - 0.25) / sd * 2 + 1 }, tolerance: float32Tolerance))
    }

    @Test func groupNorm() throws {
      // Two groups of one channel each: each channel normalized on its own.
      let x = try Tensor([1, 2, 3, 4, 10, 10, 10, 10], shape: [1, 2, 2, 2])
      let y = try Functional.groupNorm(x, groups: 2, weight: nil, bias: nil)
      let s = Float((1.25 + 1e-5).squareRoot())
      #expect(isClose(try y.floats(), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 0, 0, 0, 0]))
    }

    @Test func losses() throws {
      let input = try Tensor([1, 2, 3])
      let target = try Tensor([1, 1, 1])
      #expect(isClose([Float(try Functional.mseLoss(input, target).item())], [5.0 / 3]))
      #expect(try Functional.mseLoss(input, target, reduction: .sum).item() == 5)
      #expect(try Functional.mseLoss(input, target, reduction: .none).floats() == [0, 1, 4])
      #expect(isClose([Float(try Functional.l1Loss(input, target).item())], [1]))
      // β = 1: 0.5 d² below 1, |d| − 0.5 above: [0, 0.125, 2.5], mean 0.875.
      let smooth = try Functional.smoothL1Loss(Tensor([0, 0.5, 3]), Tensor.zeros([3]))
      #expect(isClose([Float(try smooth.item())], [0.875]))
      // −log softmax: uniform logits give log 3; [1, 2, 3] with class 2 gives −log 0.66524096.
      let logits = try Tensor([0, 0, 0, 1, 2, 3], shape: [2, 3])
      let labels = try Tensor(int64: [0, 2], shape: [2])
      let ce = try Functional.crossEntropy(logits, labels, reduction: .none)
      #expect(isClose(try ce.floats(), [1.09861229, 0.40760596]))
      #expect(isClose([Float(try Functional.crossEntropy(logits, labels).item())], [(1.09861229 + 0.40760596) / 2]))
      let ignored = try Functional.crossEntropy(logits, Tensor(int64: [-100, 2], shape: [2]))
      #expect(isClose([Float(try ignored.item())], [0.40760596]))
    }

    @Test func dropout() throws {
      let x = try Tensor.ones([1000])
      #expect(try Functional.dropout(x, p: 0.5, training: false).floats() == x.floats())
      let kept = try Functional.dropout(x, p: 0.5, training: true).floats()
      #expect(kept.allSatisfy { $0 == 0 || $0 == 2 })
    }
  }
}

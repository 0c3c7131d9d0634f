import Testing

@testable import Torch

extension TorchTests {
  @Suite struct TensorTests {
    @Test func creationAndProperties() throws {
      let z = try Tensor.zeros([2, 3])
      #expect(z.shape == [2, 3])
      #expect(z.count == 6)
      #expect(z.rank == 2)
      #expect(z.dtype == .float32)
      #expect(z.device == .cpu)
      #expect(z.strides == [3, 1])
      #expect(try z.floats() == [0, 0, 0, 0, 0, 0])
      #expect(try Tensor.ones([2], dtype: .int64).int64s() == [1, 1])
      #expect(try Tensor.full([3], 2.5).floats() == [2.5, 2.5, 2.5])
      #expect(try Tensor.arange(0, 5, step: 2).floats() == [0, 2, 4])
      #expect(try Tensor(scalar: 4).item() == 4)
      let ints = try Tensor(int64: [1, 2, 3, 4], shape: [2, 2])
      #expect(ints.dtype == .int64)
      #expect(try ints.to(.float32).floats() == [1, 2, 3, 4])
    }

    /// Denormal floats flush to zero while the flag is on (x86: on the calling thread and in torch's
    /// workers, which multiply the million-element tensor), and stay denormal by default and after.
    @Test func flushDenormal() throws {
      let tiny = try Tensor([1e-39]), many = try Tensor.full([1 << 20], 1e-39)  // below 1.18e-38: denormal
      #expect(try (tiny * 1).floats()[0] == 1e-39)
      #expect(!Torch.isFlushingDenormals)
      let supported = try Torch.setFlushDenormal(true)
      #if arch(x86_64)
      #expect(supported)
      #endif
      #expect(Torch.isFlushingDenormals == supported)
      if supported {
        #expect(try (tiny * 1).floats()[0] == 0)
        #expect(try (many * 1).sum().item() == 0)
      }
      try Torch.setFlushDenormal(false)
      #expect(!Torch.isFlushingDenormals)
      #expect(try (tiny * 1).floats()[0] == 1e-39)
      #expect(try (many * 1).sum().item() > 0)
    }

    @Test func wrongValueCountThrows() {
      #expect(throws: TorchError.self) { try Tensor([1, 2, 3], shape: [2, 2]) }
    }

    @Test func seededRandomIsRepeatable() throws {
      let a = try Tensor.randn([5], seed: 42).floats()
      let b = try Tensor.randn([5], seed: 42).floats()
      let c = try Tensor.randn([5], seed: 43).floats()
      #expect(a == b)
      #expect(a != c)
      let u = try Tensor.rand([1000], seed: 1).floats()
      #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
      #expect(try Tensor.randperm(5, seed: 3).int64s().sorted() == [0, 1, 2, 3, 4])
      Torch.manualSeed(9)
      let g1 = try Tensor.randn([3]).floats()
      Torch.manualSeed(9)
      let g2 = try Tensor.randn([3]).floats()
      #expect(g1 == g2)
    }

    /// Channels-last: the same shape and values (`floats()` reads in NCHW order), NHWC strides; a
    /// convolution keeps the layout; a 3-D tensor cannot take it.
    @Test func channelsLastLayout() throws {
      let x = try Tensor.arange(0, 24).reshaped([1, 2, 3, 4])
      let y = try x.channelsLast()
      #expect(y.shape == [1, 2, 3, 4] && y.strides == [24, 1, 8, 2])
      #expect(y.isChannelsLast && !y.isContiguous && !x.isChannelsLast)
      #expect(try y.floats() == x.floats())
      #expect(try y.contiguous().strides == [24, 12, 4, 1])
      let conv = try Conv2d(2, 3, kernelSize: 3, padding: 1)
      let z = try conv(y)
      #expect(z.isChannelsLast)
      #expect(try (z - conv(x)).abs().max().item() < 1e-4)
      #expect(throws: TorchError.self) { try Tensor.zeros([2, 3, 4]).channelsLast() }
    }

    @Test func views() throws {
      let t = try Tensor.arange(0, 6).reshaped([2, 3])
      let tt = try t.transposed(0, 1)
      #expect(tt.shape == [3, 2])
      #expect(!tt.isContiguous)
      #expect(tt.strides == [1, 3])
      #expect(try tt.floats() == [0, 3, 1, 4, 2, 5])
      #expect(try tt.contiguous().isContiguous)
      #expect(try t.permuted([1, 0]).floats() == [0, 3, 1, 4, 2, 5])
      #expect(try t.view([3, 2]).shape == [3, 2])
      #expect(throws: TorchError.self) { try tt.view([6]) }  // not expressible as a view
      #expect(try t.unsqueezed(0).shape == [1, 2, 3])
      #expect(try t.unsqueezed(0).squeezed().shape == [2, 3])
      #expect(try t.unsqueezed(1).squeezed(1).shape == [2, 3])
      #expect(try t.narrow(1, start: 1, length: 2).floats() == [1, 2, 4, 5])
      #expect(try t.slice(1, 0, 3, step: 2).floats() == [0, 2, 3, 5])
      #expect(try t.select(0, 1).floats() == [3, 4, 5])
      #expect(try Tensor([1, 2], shape: [2, 1]).expanded([2, 3]).floats() == [1, 1, 1, 2, 2, 2])
      #expect(try t.flattened().shape == [6])
      #expect(try Tensor.cat([t, t], dim: 0).shape == [4, 3])
      #expect(try Tensor.stack([t, t], dim: 0).shape == [2, 2, 3])
    }

    @Test func viewsShareStorage() throws {
      let t = try Tensor.zeros([2, 2])
      let row = try t.select(0, 1)
      try row.fill_(7)
      #expect(try t.floats() == [0, 0, 7, 7])
    }

    @Test func indexing() throws {
      let t = try Tensor([1, 2, 3, 4], shape: [2, 2])
      let index = try Tensor(int64: [0, 0, 1, 0], shape: [2, 2])
      #expect(try t.gather(1, index).floats() == [1, 1, 4, 3])
      #expect(try t.indexSelect(0, Tensor(int64: [1, 1, 0], shape: [3])).floats() == [3, 4, 3, 4, 1, 2])
      let mask = try t.gt(2.5)
      #expect(mask.dtype == .bool)
      #expect(try t.maskedFill(mask, -1).floats() == [1, 2, -1, -1])
      #expect(try t.maskedSelect(mask).floats() == [3, 4])
      #expect(try Tensor.where(mask, t, Tensor.zeros([2, 2])).floats() == [0, 0, 3, 4])
    }

    @Test func arithmeticAndBroadcasting() throws {
      let a = try Tensor([1, 2], shape: [2, 1])
      let b = try Tensor([10, 20, 30])
      #expect(try (a + b).shape == [2, 3])
      #expect(try (a + b).floats() == [11, 21, 31, 12, 22, 32])
      #expect(try (b - a).floats() == [9, 19, 29, 8, 18, 28])
      #expect(try (a * b).floats() == [10, 20, 30, 20, 40, 60])
      #expect(try (b / 10).floats() == [1, 2, 3])
      #expect(try (1 - b / 10).floats() == [0, -1, -2])
      #expect(try (60 / b).floats() == [6, 3, 2])
      #expect(try (-b).floats() == [-10, -20, -30])
      #expect(try (2 * b + 1).floats() == [21, 41, 61])
      let x = try Tensor([-2, 0.25, 4])
      #expect(try x.abs().floats() == [2, 0.25, 4])
      #expect(try x.clamped(min: 0).floats() == [0, 0.25, 4])
      #expect(try x.clamped(min: -1, max: 1).floats() == [-1, 0.25, 1])
      #expect(try x.pow(2).floats() == [4, 0.0625, 16])
      #expect(try x.clamped(min: 0).sqrt().floats() == [0, 0.5, 2])
      #expect(isClose(try x.exp().log().floats(), [-2, 0.25, 4], tolerance: float32Tolerance))
      #expect(try x.maximum(Tensor([0, 0, 5])).floats() == [0, 0.25, 5])
      #expect(try x.lt(Tensor([0, 0, 5])).to(.int64).int64s() == [1, 0, 1])
    }

    @Test func activations() throws {
      let x = try Tensor([-1, 0, 2])
      #expect(try x.relu().floats() == [0, 0, 2])
      #expect(isClose(try x.leakyRelu(negativeSlope: 0.1).floats(), [-0.1, 0, 2]))
      // σ(−1) = 1/(1+e), tanh(2) = 0.96402758, GELU(x) = x Φ(x): Φ(−1) = 0.15865525, Φ(2) = 0.97724987.
      #expect(isClose(try x.sigmoid().floats(), [0.26894142, 0.5, 0.88079708]))
      #expect(isClose(try x.tanh().floats(), [-0.76159416, 0, 0.96402758]))
      #expect(isClose(try x.gelu().floats(), [-0.15865525, 0, 1.95449974]))
    }

    @Test func softmax() throws {
      // exp([1,2,3]) / Σ: 2.7183, 7.3891, 20.0855 over 30.1929.
      let x = try Tensor([1, 2, 3, 1, 1, 1], shape: [2, 3])
      #expect(isClose(try x.softmax(dim: 1).floats(), [0.09003057, 0.24472847, 0.66524096, 1 / 3, 1 / 3, 1 / 3]))
      #expect(isClose(try x.logSoftmax(dim: 1).floats(), [-2.40760596, -1.40760596, -0.40760596, -1.09861229, -1.09861229, -1.09861229]))
    }

    @Test func reductions() throws {
      let t = try Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
      #expect(try t.sum().item() == 21)
      #expect(try t.sum([1]).floats() == [9, 12])
      #expect(try t.sum([0], keepDim: true).shape == [1, 3])
      #expect(try t.mean().item() == 3.5)
      #expect(try t.mean([0]).floats() == [2.5, 3.5, 4.5])
      #expect(try t.max().item() == 6)
      #expect(try t.min([1]).floats() == [1, 2])
      let (values, indices) = try t.max(dim: 1)
      #expect(try values.floats() == [5, 6])
      #expect(try indices.int64s() == [1, 2])
      #expect(try t.min(dim: 0).indices.int64s() == [0, 1, 0])
      #expect(try t.argmax(dim: 0).int64s() == [1, 0, 1])
      #expect(try t.argmin(dim: 1).int64s() == [0, 1])
      #expect(try Tensor([3, 4]).norm().item() == 5)
      #expect(try Tensor([3, -4]).norm(1).item() == 7)
      #expect(try Tensor([3, 4, 0, 1], shape: [2, 2]).norm(dims: [1]).floats() == [5, 1])
      #expect(try Tensor([2, 3]).prod().item() == 6)
    }

    @Test func matmul() throws {
      let a = try Tensor([1, 2, 3, 4], shape: [2, 2])
      #expect(try a.matmul(Tensor([5, 6], shape: [2, 1])).floats() == [17, 39])
      let batch = try Tensor.stack([a, a])
      #expect(try batch.bmm(batch).floats() == [7, 10, 15, 22, 7, 10, 15, 22])
    }

    @Test func shapeMismatchInMatmulThrowsWithMessage() throws {
      let a = try Tensor.ones([2, 3])
      do {
        _ = try a.matmul(a)
        Issue.record("matmul of 2×3 by 2×3 did not throw")
      } catch let error as TorchError {
        #expect(error.operation == "matmul")
        #expect(error.message.contains("2x3"), "message: \(error.message)")
        #expect(error.description.hasPrefix("torch: matmul: "))
      }
      #expect(throws: TorchError.self) { try a + Tensor.ones([4]) }
      #expect(throws: TorchError.self) { try a.select(0, 5) }
    }

    @Test func threadBudget() throws {
      try Torch.setThreads(1)
      #expect(Torch.threads == 1)
      try Torch.setThreads(2)
      #expect(Torch.threads == 2)
      #expect(throws: TorchError.self) { try Torch.setThreads(0) }
      #expect(Torch.version.hasPrefix("1."))
    }

    @Test func cudaIsAnOption() throws {
      if Torch.isCUDAAvailable {
        let t = try Tensor.ones([2], device: .cuda)
        #expect(t.device == .cuda)
        #expect(try t.to(device: .cpu).floats() == [1, 1])
      } else {
        #expect(throws: TorchError.self) { try Tensor.ones([2], device: .cuda) }
      }
    }
  }
}

import Testing

@testable import Torch

extension TorchTests {
  @Suite struct AutogradTests {
    /// f(x) = Σ tanh(W x + b)² + mean(σ(x) ⊙ x), a small composite of matmul, broadcasting,
    /// activations and reductions.
    static func f(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws -> Tensor {
      let h = try (w.matmul(x) + b).tanh()
      return try (h * h).sum() + (x.sigmoid() * x).mean()
    }

    @Test func gradientMatchesCentralDifferences() throws {
      let xValues: [Float] = [0.3, -0.7, 1.1]
      let w = try Tensor([0.5, -0.2, 0.1, 0.4, 0.3, -0.6], shape: [2, 3])
      let b = try Tensor([0.05, -0.1], shape: [2, 1])
      let x = try Tensor(xValues, shape: [3, 1]).setRequiresGrad()
      try Self.f(x, w, b).backward()
      let analytic = try #require(x.grad).floats()
      // Central differences in float32: step 1e-2 balances truncation (~1e-4·f‴) and round-off
      // (~1e-7·|f| / step); agreement to 1e-3 is what float32 allows.
      let step: Float = 1e-2
      for i in 0..<3 {
        var plus = xValues
        var minus = xValues
        plus[i] += step
        minus[i] -= step
        let fPlus = try Self.f(Tensor(plus, shape: [3, 1]), w, b).item()
        let fMinus = try Self.f(Tensor(minus, shape: [3, 1]), w, b).item()
        let numeric = Float((fPlus - fMinus) / Double(2 * step))
        #expect(Swift.abs(analytic[i] - numeric) < 1e-3, "component \(i): autograd \(analytic[i]), differences \(numeric)")
      }
    }

    @Test func gradientsAccumulateAndReset() throws {
      let x = try Tensor([2]).setRequiresGrad()
      #expect(x.grad == nil)
      try (x * x).sum().backward()
      #expect(try x.grad?.floats() == [4])
      try (x * 3).sum().backward()
      #expect(try x.grad?.floats() == [7])
      try x.zeroGrad(setToNone: false)
      #expect(try x.grad?.floats() == [0])
      try x.zeroGrad()
      #expect(x.grad == nil)
    }

    @Test func noGradScopeAndDetach() throws {
      let x = try Tensor([1, 2]).setRequiresGrad()
      #expect(Torch.isGradEnabled)
      let y = try Torch.withNoGrad {
        #expect(!Torch.isGradEnabled)
        return try x * 2
      }
      #expect(Torch.isGradEnabled)
      #expect(!y.requiresGrad)
      #expect(try !x.detached().requiresGrad)
      #expect(try (x * 2).requiresGrad)
      // Backward through a graph without grad-requiring leaves is libtorch's error, thrown.
      #expect(throws: TorchError.self) { try y.sum().backward() }
    }

    @Test func backwardWithExplicitGradient() throws {
      let x = try Tensor([1, 2, 3]).setRequiresGrad()
      let y = try x * x
      try y.backward(gradient: Tensor([1, 0, 1]))
      #expect(try x.grad?.floats() == [2, 0, 6])
    }
  }
}

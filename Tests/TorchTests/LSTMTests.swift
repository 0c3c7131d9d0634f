import Testing

@testable import Torch

extension TorchTests {
  @Suite struct LSTMTests {
    @Test func outputShapes() throws {
      let lstm = try LSTM(inputSize: 4, hiddenSize: 6)
      #expect(lstm.namedParameters().map(\.name) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
      #expect(lstm.parameterCount == 4 * 6 * (4 + 6 + 2))
      let (output, state) = try lstm(Tensor.randn([5, 3, 4], seed: 1))
      #expect(output.shape == [5, 3, 6])
      #expect(state.h.shape == [3, 6])
      #expect(state.c.shape == [3, 6])
      // The last output is the final hidden state; |h| < 1 since h = σ(o) tanh(c).
      #expect(try output.select(0, 4).floats() == state.h.floats())
      #expect(try output.abs().max().item() < 1)
      // Continuing from a state equals running the whole sequence at once.
      let x = try Tensor.randn([4, 2, 4], seed: 2)
      let whole = try lstm(x).output.floats()
      let firstHalf = try lstm(x.narrow(0, start: 0, length: 2))
      let secondHalf = try lstm(x.narrow(0, start: 2, length: 2), state: firstHalf.state)
      let joined = try Tensor.cat([firstHalf.output, secondHalf.output]).floats()
      #expect(isClose(joined, whole))
      #expect(throws: TorchError.self) { try lstm(Tensor.zeros([2, 3])) }
    }

    /// d/dx and d/dW_hh[0, 0] of L = Σ output² against central differences.
    @Test func gradientMatchesCentralDifferences() throws {
      Torch.manualSeed(11)
      let lstm = try LSTM(inputSize: 2, hiddenSize: 3)
      let xValues: [Float] = (0..<12).map { Float($0 % 5) * 0.3 - 0.6 }
      func loss(_ values: [Float]) throws -> Tensor {
        let out = try lstm(Tensor(values, shape: [3, 2, 2])).output
        return try (out * out).sum()
      }
      let x = try Tensor(xValues, shape: [3, 2, 2]).setRequiresGrad()
      let out = try lstm(x).output
      try (out * out).sum().backward()
      let analytic = try #require(x.grad).floats()
      let step: Float = 1e-2  // float32: see AutogradTests
      for i in [0, 5, 11] {
        var plus = xValues
        var minus = xValues
        plus[i] += step
        minus[i] -= step
        let numeric = Float((try loss(plus).item() - loss(minus).item()) / Double(2 * step))
        #expect(Swift.abs(analytic[i] - numeric) < 1e-3, "x[\(i)]: autograd \(analytic[i]), differences \(numeric)")
      }
      // A recurrent weight, perturbed in place.
      let weightGrad = try #require(lstm.weightHH.grad).floats()[0]
      let oneHot = try Tensor.zeros([12, 3])  // W_hh is [4H, H]
      try oneHot.select(0, 0).narrow(0, start: 0, length: 1).fill_(Double(step))
      try Torch.withNoGrad { try lstm.weightHH.add_(oneHot) }
      let fPlus = try loss(xValues).item()
      try Torch.withNoGrad { try lstm.weightHH.add_(oneHot, alpha: -2) }
      let fMinus = try loss(xValues).item()
      try Torch.withNoGrad { try lstm.weightHH.add_(oneHot) }
      let numeric = Float((fPlus - fMinus) / Double(2 * step))
      #expect(Swift.abs(weightGrad - numeric) < 1e-3, "W_hh[0,0]: autograd \(weightGrad), differences \(numeric)")
    }
  }
}

/// A single-layer LSTM over time steps, written from matrix products and activations (so autograd
/// differentiates it like any other graph):
///
/// ```
/// [i, f, g, o] = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh      (each of width hiddenSize)
/// c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
/// h_t = σ(o) ⊙ tanh(c_t)
/// ```
/// Gate order and parameter names (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`) follow PyTorch's
/// `nn.LSTM` (without its `_l0` suffix); initialization uniform on ±1/√hiddenSize as there.
/// Input is time-major: [T, B, inputSize].
public final class LSTM: Module {
  public let inputSize: Int
  public let hiddenSize: Int
  public let weightIH: Tensor
  public let weightHH: Tensor
  public let biasIH: Tensor
  public let biasHH: Tensor
  public var isTraining = true

  public init(inputSize: Int, hiddenSize: Int) throws {
    precondition(inputSize > 0 && hiddenSize > 0, "LSTM(\(inputSize), \(hiddenSize)): sizes must be positive")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    let bound = 1 / Double(hiddenSize).squareRoot()
    weightIH = try uniformParameter([4 * hiddenSize, inputSize], bound: bound)
    weightHH = try uniformParameter([4 * hiddenSize, hiddenSize], bound: bound)
    biasIH = try uniformParameter([4 * hiddenSize], bound: bound)
    biasHH = try uniformParameter([4 * hiddenSize], bound: bound)
  }

  public var directParameters: [(name: String, tensor: Tensor)] {
    [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
  }

  /// Runs the sequence `x` [T, B, inputSize] from `state` (h, c) [B, hiddenSize] each (zeros when nil).
  /// Returns every step's h as [T, B, hiddenSize] and the final (h, c).
  public func callAsFunction(_ x: Tensor, state: (h: Tensor, c: Tensor)? = nil) throws
    -> (output: Tensor, state: (h: Tensor, c: Tensor))
  {
    let shape = x.shape
    guard shape.count == 3, shape[2] == inputSize else {
      throw TorchError(operation: "LSTM", message: "input shape \(shape), expected [T, B, \(inputSize)]")
    }
    let steps = shape[0]
    let batch = shape[1]
    var h = try state?.h ?? Tensor.zeros([batch, hiddenSize])
    var c = try state?.c ?? Tensor.zeros([batch, hiddenSize])
    // The input projection for all steps at once: [T, B, 4H].
    let inputGates = try x.matmul(weightIH.transposed(0, 1)) + (biasIH + biasHH)
    let weightHHT = try weightHH.transposed(0, 1)
    var outputs: [Tensor] = []
    outputs.reserveCapacity(steps)
    let n = hiddenSize
    for t in 0..<steps {
      let gates = try inputGates.select(0, t) + h.matmul(weightHHT)
      let i = try gates.narrow(1, start: 0, length: n).sigmoid()
      let f = try gates.narrow(1, start: n, length: n).sigmoid()
      let g = try gates.narrow(1, start: 2 * n, length: n).tanh()
      let o = try gates.narrow(1, start: 3 * n, length: n).sigmoid()
      c = try f * c + i * g
      h = try o * c.tanh()
      outputs.append(h)
    }
    return (try Tensor.stack(outputs, dim: 0), (h, c))
  }
}

import LinearAlgebra

/// A hit-and-run Markov chain whose stationary distribution is uniform on a bounded convex set.
///
/// Each step draws a direction `u` uniformly on the unit sphere, finds the chord of the set
/// through the current point along `u`, and moves to a uniformly random point of the chord
/// (Smith, "Efficient Monte Carlo procedures for generating points uniformly distributed over
/// bounded regions", Oper. Res. 1984, doi:10.1287/opre.32.6.1296; mixing bounds in Lovász & Vempala,
/// doi:10.1137/S009753970544727X):
///
/// ```
/// u ~ uniform on Sⁿ⁻¹,   [t₋, t₊] = { t : x + t u ∈ X },   x ← x + τ u,  τ ~ uniform on [t₋, t₊]
/// ```
/// Chords come in closed form for `HPolyhedron` and `Hyperrectangle` (ratios of slacks, O(m·n) a
/// step), `Hyperellipsoid` (a quadratic, O(m·n)) and full-dimensional `VPolytope`s in dimensions 1
/// to 3 (through their facets, `HPolyhedron(_:)`); any other set gets them by bisection on
/// `contains` along the line (about 2 × 40 membership tests a step, at tolerance 1e-9 × the
/// chord-search length), inside a length taken from its bounding box. The chain is deterministic
/// for a given seed. Consecutive points are correlated: take a burn-in and several steps between
/// recorded samples (`ConvexSet.uniformSamples`).
///
/// A set with empty interior (a `Point`, a flat polytope) keeps the chain on the lower-dimensional
/// piece it starts in, or at its start.
public struct HitAndRunSampler<SetType: ConvexSet>: Sendable {
  /// The set sampled.
  public let set: SetType
  /// The current point of the chain.
  public private(set) var current: [Double]
  /// The generator driving the chain.
  public private(set) var generator: SeededGenerator

  private let chord: Chord
  private var direction: [Double]
  /// `A u` for the closed-form chords.
  private var directionImage: [Double]
  /// `b − A x` (half-spaces) or `A (x − c)` (ellipsoid), updated along the chain.
  private var state: [Double]
  private var stepsSinceRefresh = 0

  /// How chords are found; chosen once, at `init`.
  private enum Chord: Sendable {
    /// `{x : A x ≤ b}`; `state` holds the slack `b − A x`.
    case halfSpaces(A: Matrix, b: [Double])
    /// `{x : ‖A (x − c)‖ ≤ 1}`; `state` holds `A (x − c)`.
    case ellipsoid(A: Matrix, center: [Double])
    /// Bisection on `contains` within `length` of the current point.
    case membership(length: Double)
  }

  /// A chain on `set` started at `start`, or at a point inside the set when `start` is `nil`:
  /// the Chebyshev centre for an `HPolyhedron`, the centre for a box or an ellipsoid, the mean of the
  /// points of a `VPolytope`, and otherwise the mean of the `2n` points that minimize and maximize
  /// each coordinate.
  ///
  /// - Throws: `ConvexSetError` with field `"set"` when the set is empty or unbounded, and field
  ///   `"start"` when `start` is not in the set (tolerance 1e-9).
  /// - Complexity: O(1) for boxes and ellipsoids (plus an eigendecomposition for the boundedness
  ///   test); two LPs for an `HPolyhedron`; `2n` conic solves for other sets.
  /// - Precondition: `start`, when given, has `set.ambientDimension` entries.
  public init(set: SetType, seed: UInt64, start: [Double]? = nil) throws(ConvexSetError) {
    let n = set.ambientDimension
    if let start {
      precondition(start.count == n, "HitAndRunSampler: start of dimension \(start.count), set of dimension \(n)")
    }
    let chord: Chord
    var defaultStart: [Double]
    if let box = set as? Hyperrectangle {
      let h = HPolyhedron(box)
      chord = .halfSpaces(A: h.A, b: h.b)
      defaultStart = box.center
    } else if let polyhedron = set as? HPolyhedron {
      guard let (center, _) = polyhedron.chebyshevCenter() else {
        if polyhedron.isEmpty() { throw ConvexSetError(field: "set", message: "is empty; there is nothing to sample") }
        throw ConvexSetError(field: "set", message: "is unbounded; hit-and-run samples bounded sets only")
      }
      if !polyhedron.recessionConeIsTrivial(polyhedron.unitRows().rows) {
        throw ConvexSetError(field: "set", message: "is unbounded; hit-and-run samples bounded sets only")
      }
      chord = .halfSpaces(A: polyhedron.A, b: polyhedron.b)
      defaultStart = center
    } else if let ellipsoid = set as? Hyperellipsoid {
      if !ellipsoid.isBounded() {
        throw ConvexSetError(field: "set", message: "is unbounded (A does not have full column rank); hit-and-run samples bounded sets only")
      }
      chord = .ellipsoid(A: ellipsoid.A, center: ellipsoid.center)
      defaultStart = ellipsoid.center
    } else if let point = set as? Point {
      chord = .membership(length: 0)
      defaultStart = point.x
    } else if let polytope = set as? VPolytope {
      var mean = [Double](repeating: 0, count: n)
      for p in polytope.points { mean.axpy(1 / Double(polytope.vertices.columnCount), p) }
      defaultStart = mean
      if n <= 3, let h = try? HPolyhedron(polytope) {
        chord = .halfSpaces(A: h.A, b: h.b)
      } else {
        let box = polytope.boundingBox()!
        var diagonal = 0.0
        for i in 0..<n { diagonal += (box.ub[i] - box.lb[i]) * (box.ub[i] - box.lb[i]) }
        chord = .membership(length: 2 * diagonal.squareRoot())
      }
    } else {
      switch coordinateExtremes(of: set.conicDescription) {
      case .bounded(let extremes):
        var diagonal = 0.0
        for i in 0..<n { diagonal += (extremes.upper[i] - extremes.lower[i]) * (extremes.upper[i] - extremes.lower[i]) }
        // Twice the box diagonal (and a floor for a point) reaches outside the set from anywhere in it.
        chord = .membership(length: 2 * diagonal.squareRoot() + 1e-9 * max(1, extremes.lower.normInf, extremes.upper.normInf))
        defaultStart = extremes.interiorGuess
        if !set.contains(defaultStart, tolerance: 1e-9) {
          // The mean of points of the set lies in it up to the solver's accuracy; fall back to one of them.
          defaultStart = extremes.points[0]
        }
      case .empty: throw ConvexSetError(field: "set", message: "is empty; there is nothing to sample")
      case .unbounded: throw ConvexSetError(field: "set", message: "is unbounded; hit-and-run samples bounded sets only")
      case .undecided(let status):
        throw ConvexSetError(field: "set", message: "could not be bounded by the conic solver (status \(status.rawValue))")
      }
    }
    if let start, !set.contains(start, tolerance: 1e-9) {
      throw ConvexSetError(field: "start", message: "\(formatVector(start)) is not in the set \(set)")
    }
    self.set = set
    self.chord = chord
    current = start ?? defaultStart
    generator = SeededGenerator(seed: seed)
    direction = [Double](repeating: 0, count: n)
    switch chord {
    case .halfSpaces(let A, _):
      directionImage = [Double](repeating: 0, count: A.rowCount)
      state = directionImage
    case .ellipsoid(let A, _):
      directionImage = [Double](repeating: 0, count: A.rowCount)
      state = directionImage
    case .membership:
      directionImage = []
      state = []
    }
    refreshState()
  }

  /// Moves the chain `steps` times.
  /// - Complexity: O(steps · m·n) for closed-form chords; O(steps · 80) membership tests otherwise.
  public mutating func advance(steps: Int = 1) {
    precondition(steps >= 0, "HitAndRunSampler.advance: steps \(steps) < 0")
    for _ in 0..<steps { step() }
  }

  /// `count` points of the chain, `stepsBetweenSamples` steps apart (the first after that many steps).
  /// - Complexity: O(count · stepsBetweenSamples) steps.
  public mutating func samples(count: Int, stepsBetweenSamples: Int = 10) -> [[Double]] {
    precondition(count >= 0, "HitAndRunSampler.samples: count \(count) < 0")
    precondition(stepsBetweenSamples >= 1, "HitAndRunSampler.samples: stepsBetweenSamples \(stepsBetweenSamples) < 1")
    var out: [[Double]] = []
    out.reserveCapacity(count)
    for _ in 0..<count {
      advance(steps: stepsBetweenSamples)
      out.append(current)
    }
    return out
  }

  /// Recomputes the tracked slack or image from `current` (rounding drifts along the chain).
  private mutating func refreshState() {
    stepsSinceRefresh = 0
    switch chord {
    case .halfSpaces(let A, let b):
      A.multiply(current, into: &state)
      for i in state.indices { state[i] = b[i] - state[i] }
    case .ellipsoid(let A, let center):
      var shifted = current
      for i in shifted.indices { shifted[i] -= center[i] }
      A.multiply(shifted, into: &state)
    case .membership:
      break
    }
  }

  private mutating func step() {
    let n = current.count
    var squared = 0.0
    repeat {
      squared = 0
      for i in 0..<n {
        direction[i] = generator.nextStandardNormal()
        squared += direction[i] * direction[i]
      }
    } while squared == 0
    let scale = 1 / squared.squareRoot()
    for i in 0..<n { direction[i] *= scale }

    var lower = -Double.infinity
    var upper = Double.infinity
    switch chord {
    case .halfSpaces(let A, _):
      A.multiply(direction, into: &directionImage)
      for i in 0..<state.count {
        let slope = directionImage[i]
        let slack = max(state[i], 0)
        if slope > 0 {
          upper = min(upper, slack / slope)
        } else if slope < 0 {
          lower = max(lower, slack / slope)
        }
      }
    case .ellipsoid(let A, _):
      A.multiply(direction, into: &directionImage)
      var qq = 0.0
      var pq = 0.0
      var pp = 0.0
      for i in 0..<state.count {
        qq += directionImage[i] * directionImage[i]
        pq += state[i] * directionImage[i]
        pp += state[i] * state[i]
      }
      // ‖p + t q‖² ≤ 1  ⇔  qq t² + 2 pq t + pp − 1 ≤ 0.
      let root = max(pq * pq - qq * (pp - 1), 0).squareRoot()
      if qq > 0 {
        lower = (-pq - root) / qq
        upper = (-pq + root) / qq
      }
    case .membership(let length):
      upper = reach(along: 1, length: length)
      lower = -reach(along: -1, length: length)
    }
    guard lower.isFinite, upper.isFinite, lower <= upper else { return }
    let t = lower + (upper - lower) * generator.nextUnit()
    current.axpy(t, direction)
    switch chord {
    case .halfSpaces:
      state.axpy(-t, directionImage)
    case .ellipsoid:
      state.axpy(t, directionImage)
    case .membership:
      break
    }
    stepsSinceRefresh += 1
    if stepsSinceRefresh >= 100 { refreshState() }
  }

  /// The largest `t ∈ [0, length]` (to 1e-10 · length) with `current + sign·t·direction` in the set,
  /// membership tested with tolerance 1e-9 · length (a set whose `contains` solves an LP, as
  /// `VPolytope`'s does, answers at that accuracy only).
  private func reach(along sign: Double, length: Double) -> Double {
    var inside = 0.0
    var outside = length
    var trial = current
    while outside - inside > 1e-10 * length {
      let mid = 0.5 * (inside + outside)
      for i in trial.indices { trial[i] = current[i] + sign * mid * direction[i] }
      if set.contains(trial, tolerance: 1e-9 * length) { inside = mid } else { outside = mid }
    }
    return inside
  }
}

extension ConvexSet {
  /// `count` points approximately uniformly distributed on the set, by hit-and-run
  /// (`HitAndRunSampler`): `burnIn` steps first, then one sample every `stepsBetweenSamples` steps.
  ///
  /// The same seed gives the same samples on every machine. The defaults suit low dimensions; the
  /// chain mixes in O*(n²) steps from a central start (more for elongated sets), so raise both for
  /// large `n`.
  /// - Throws: `ConvexSetError` as `HitAndRunSampler.init` does (empty or unbounded set, `start`
  ///   not in the set).
  /// - Complexity: the sampler's set-up, then `burnIn + count · stepsBetweenSamples` steps.
  public func uniformSamples(
    count: Int, seed: UInt64, burnIn: Int = 100, stepsBetweenSamples: Int = 10, start: [Double]? = nil
  ) throws(ConvexSetError) -> [[Double]] {
    precondition(burnIn >= 0, "uniformSamples: burnIn \(burnIn) < 0")
    var sampler = try HitAndRunSampler(set: self, seed: seed, start: start)
    sampler.advance(steps: burnIn)
    return sampler.samples(count: count, stepsBetweenSamples: stepsBetweenSamples)
  }
}

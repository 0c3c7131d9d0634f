import ConicSolver
import ConvexSets

/// A node of the branch-and-bound tree: bounds on the flows and its parent's relaxation value.
struct BranchNode {
  var bound: Double
  var lower: [Double]
  var upper: [Double]
  var depth: Int
}

/// A binary min-heap of nodes by bound (best-first search); ties go to the deeper node, which
/// reaches integral solutions sooner.
struct NodeQueue {
  private var heap: [BranchNode] = []

  var isEmpty: Bool { heap.isEmpty }
  var count: Int { heap.count }
  /// The smallest bound of the queued nodes.
  var minimumBound: Double? { heap.first?.bound }

  private static func before(_ a: BranchNode, _ b: BranchNode) -> Bool {
    a.bound < b.bound || (a.bound == b.bound && a.depth > b.depth)
  }

  mutating func push(_ node: BranchNode) {
    heap.append(node)
    var i = heap.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      if !Self.before(heap[i], heap[parent]) { break }
      heap.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> BranchNode? {
    guard !heap.isEmpty else { return nil }
    heap.swapAt(0, heap.count - 1)
    let top = heap.removeLast()
    var i = 0
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var best = i
      if l < heap.count && Self.before(heap[l], heap[best]) { best = l }
      if r < heap.count && Self.before(heap[r], heap[best]) { best = r }
      if best == i { break }
      heap.swapAt(i, best)
      i = best
    }
    return top
  }
}

extension SolveContext {
  /// Best-first branch-and-bound over the flows `φ ∈ {0, 1}`, each node a relaxation with some flows
  /// fixed, all on one solver whose symbolic factorization is reused (only the bounds' right-hand side
  /// changes). Incumbents come from rounding at the root, from a greedy walk at every node, and from
  /// integral node solutions; each is priced by its convex restriction.
  mutating func solveByBranchAndBound(_ formulation: RelaxationFormulation) {
    let t0 = elapsed
    var settings = options.solverSettings
    settings.timeLimitSeconds = min(settings.timeLimitSeconds, options.timeLimitSeconds)
    let edgeCount = formulation.edges.count
    let rootLower = formulation.edges.map { graph[$0].fixed == true ? 1.0 : 0.0 }
    let rootUpper = [Double](repeating: 1, count: edgeCount)
    var problem = formulation.problem
    problem.b = formulation.rightHandSide(lower: rootLower, upper: rootUpper)
    guard let solver = try? InteriorPointSolver(problem: problem, settings: settings) else {
      result.reason = "could not set up the relaxation"
      return
    }
    var queue = NodeQueue()
    queue.push(BranchNode(bound: -.infinity, lower: rootLower, upper: rootUpper, depth: 0))
    var isRoot = true
    var limitReached = false
    var unresolved = false  // a node ended without a usable solution; its subtree's bound is unknown
    var generator = SeededGenerator(seed: options.roundingSeed)

    while let node = queue.pop() {
      if let incumbent = result.cost, isClosed(cost: incumbent, bound: node.bound) {
        queue.push(node)  // keeps the global bound honest; everything left is pruned
        break
      }
      if elapsed > options.timeLimitSeconds || result.statistics.nodes >= options.maxNodes {
        queue.push(node)
        limitReached = true
        break
      }
      result.statistics.nodes += 1
      if !isRoot {
        do {
          try solver.update(b: formulation.rightHandSide(lower: node.lower, upper: node.upper))
        } catch {
          result.reason = "could not update the node's bounds: \(error)"
          return
        }
      }
      let relaxed = solver.solve()
      result.statistics.conicSolves += 1
      result.statistics.interiorPointIterations += relaxed.iterations
      if relaxed.status == .primalInfeasible {
        if isRoot {
          result.status = .infeasible
          result.reason = "the convex relaxation is infeasible, so no path is feasible"
          result.timings.branchAndBound = elapsed - t0
          return
        }
        continue
      }
      guard relaxed.status.hasSolution else {
        // Keep the subtree's bound at the parent's value: it is still unexplored.
        if isRoot {
          result.reason = "the root relaxation ended with status \(relaxed.status.rawValue)"
          result.timings.branchAndBound = elapsed - t0
          return
        }
        unresolved = true
        if node.bound > -.infinity { pendingBounds.append(node.bound) }
        continue
      }
      let bound = max(node.bound, relaxed.objective)
      let flows = flowsPerEdge(formulation, relaxed.x)
      if isRoot {
        result.relaxationCost = relaxed.objective
        result.relaxationFlows = flows
        for path in roundedPaths(flows: flows, count: options.maxRoundedPaths, generator: &generator) {
          _ = tryPath(path)
        }
        isRoot = false
      }
      if let incumbent = result.cost, isClosed(cost: incumbent, bound: bound) { continue }
      // Integral? Then the node's solution is a path.
      let local = formulation.edges.indices.map { flows[formulation.edges[$0].index] }
      var branchIndex = -1
      var mostFractional = 0.0
      for k in 0..<edgeCount {
        let f = min(local[k], 1 - local[k])
        if f > mostFractional + 1e-12 {
          mostFractional = f
          branchIndex = k
        }
      }
      if let greedy = roundedPaths(flows: flows, count: 1, generator: &generator).first { _ = tryPath(greedy) }
      if mostFractional <= 1e-6 { continue }  // integral: its path was just priced
      if let incumbent = result.cost, isClosed(cost: incumbent, bound: bound) { continue }
      var up = node
      up.bound = bound
      up.depth += 1
      up.lower[branchIndex] = 1
      var down = up
      down.lower[branchIndex] = node.lower[branchIndex]
      down.upper[branchIndex] = 0
      queue.push(up)
      queue.push(down)
    }
    result.timings.branchAndBound = elapsed - t0
    let openBound = ([queue.minimumBound].compactMap { $0 } + pendingBounds).min()
    if let cost = result.cost {
      let bound = min(cost, openBound ?? cost)
      result.lowerBound = bound
      result.status = isClosed(cost: cost, bound: bound) ? .optimal : .feasible
      if limitReached && result.status != .optimal {
        result.reason = "stopped at the \(elapsed > options.timeLimitSeconds ? "time" : "node") limit with a gap"
      }
    } else if limitReached || unresolved {
      result.lowerBound = openBound
      result.status = .error
      result.reason = limitReached ? "stopped at the limit before finding a path" : "some nodes failed numerically and no path was found"
    } else {
      result.status = .infeasible
      result.reason = "branch-and-bound proved that no path is feasible"
    }
  }
}

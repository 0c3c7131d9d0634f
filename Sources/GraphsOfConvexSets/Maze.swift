import ConvexSets
import LinearAlgebra

/// A cell of a `Maze`: column `i` (x index) and row `j` (y index), the unit square
/// `[i, i+1] × [j, j+1]`.
public struct MazeCell: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Column (x index), `0..<size`.
  public var i: Int
  /// Row (y index), `0..<size`.
  public var j: Int

  /// The cell in column `i`, row `j`.
  public init(_ i: Int, _ j: Int) {
    self.i = i
    self.j = j
  }

  /// Column-major order: by `i`, then by `j` (the order of the vertices of `makeProblem`).
  public static func < (a: MazeCell, b: MazeCell) -> Bool { (a.i, a.j) < (b.i, b.j) }

  /// The vertex name of the cell, `c{i}_{j}`.
  public var name: String { "c\(i)_\(j)" }
  public var description: String { name }
}

/// A square maze of unit cells, the benchmark of the GCS papers' maze experiments (Marcucci et al.,
/// SIAM J. Optim. 2024, arXiv:2101.11565; Science Robotics 2023, arXiv:2205.04422): a *perfect* maze
/// (a spanning tree of the grid: exactly one way between any two cells) drawn by a seeded randomized
/// depth-first search, then `knockdownCount` more walls knocked down at random, which makes cycles and
/// so many competing routes.
///
/// The randomness is the module's `SeededGenerator` stream of `seed` (not the system generator), so a maze
/// is the same on every platform and Swift version.
///
/// ```swift
/// let maze = Maze(size: 10, seed: 1, knockdowns: 5)
/// let problem = maze.makeProblem()          // 102 vertices: "s", c0_0 … c9_9, "t"
/// ```
public struct Maze: Sendable, Equatable {
  /// Cells per side, `N`.
  public let size: Int
  /// The seed of the random stream.
  public let seed: UInt64
  /// The number of walls knocked down after the perfect maze was drawn.
  public let knockdownCount: Int
  /// `openEast[i + j·N]`: the wall between `(i, j)` and `(i+1, j)` is open.
  private var openEast: [Bool]
  /// `openNorth[i + j·N]`: the wall between `(i, j)` and `(i, j+1)` is open.
  private var openNorth: [Bool]

  /// Draws a maze.
  ///
  /// - Parameters:
  ///   - size: cells per side, `N ≥ 1`.
  ///   - seed: the seed of the random stream.
  ///   - knockdowns: extra walls to open after the perfect maze, `0 ≤ K ≤ (N−1)²` (the number of
  ///     interior walls a perfect maze keeps).
  /// - Precondition: the ranges above.
  /// - Complexity: O(N²).
  public init(size: Int, seed: UInt64 = 1, knockdowns: Int = 0) {
    precondition(size >= 1, "Maze: size must be ≥ 1, got \(size)")
    precondition(
      knockdowns >= 0 && knockdowns <= Maze.closedWallCount(size: size),
      "Maze: knockdowns must be in 0...\(Maze.closedWallCount(size: size)) for size \(size), got \(knockdowns)")
    self.size = size
    self.seed = seed
    self.knockdownCount = knockdowns
    openEast = [Bool](repeating: false, count: size * size)
    openNorth = [Bool](repeating: false, count: size * size)
    var random = SeededGenerator(seed: seed)
    carvePerfectMaze(&random)
    knockDown(knockdowns, &random)
  }

  /// A maze with exactly the given open walls (each between two neighbouring cells).
  ///
  /// - Precondition: every pair is two neighbouring cells of the grid.
  init(size: Int, openWalls: [(MazeCell, MazeCell)], seed: UInt64 = 0, knockdowns: Int = 0) {
    self.size = size
    self.seed = seed
    self.knockdownCount = knockdowns
    openEast = [Bool](repeating: false, count: size * size)
    openNorth = [Bool](repeating: false, count: size * size)
    for (a, b) in openWalls { setOpen(a, b) }
  }

  /// The number of interior walls of an `N × N` grid, `2N(N−1)`.
  public static func interiorWallCount(size: Int) -> Int { 2 * size * (size - 1) }

  /// The interior walls a perfect maze keeps closed: `2N(N−1) − (N²−1) = (N−1)²`; the most walls
  /// that can be knocked down.
  public static func closedWallCount(size: Int) -> Int { (size - 1) * (size - 1) }

  /// The default number of knocked-down walls, `⌊N²/20⌋` (5 for N = 10, 20 for N = 20: the counts of
  /// the reference mazes `maze-10-s1` and `maze-20-s1` in shared/benchmarks/gcs).
  public static func defaultKnockdowns(size: Int) -> Int { min(size * size / 20, closedWallCount(size: size)) }

  /// Whether the wall between two neighbouring cells is open (`false` for cells that are not neighbours).
  public func isOpen(_ a: MazeCell, _ b: MazeCell) -> Bool {
    let (lo, hi) = a < b ? (a, b) : (b, a)
    guard contains(lo), contains(hi) else { return false }
    if lo.i == hi.i && hi.j == lo.j + 1 { return openNorth[lo.i + lo.j * size] }
    if lo.j == hi.j && hi.i == lo.i + 1 { return openEast[lo.i + lo.j * size] }
    return false
  }

  /// The open walls, each as (lower cell, upper cell), in the order of `makeProblem`'s edges: cells in
  /// column-major order (`MazeCell.<`), and for each cell the wall to `(i, j+1)` before the wall to
  /// `(i+1, j)`.
  public var openWalls: [(MazeCell, MazeCell)] {
    var walls: [(MazeCell, MazeCell)] = []
    for i in 0..<size {
      for j in 0..<size {
        if j + 1 < size, openNorth[i + j * size] { walls.append((MazeCell(i, j), MazeCell(i, j + 1))) }
        if i + 1 < size, openEast[i + j * size] { walls.append((MazeCell(i, j), MazeCell(i + 1, j))) }
      }
    }
    return walls
  }

  /// The number of open walls: `N² − 1 + knockdownCount` for a maze drawn by `init(size:seed:knockdowns:)`.
  public var openWallCount: Int { openEast.lazy.filter { $0 }.count + openNorth.lazy.filter { $0 }.count }

  /// The shortest-path problem through the maze, laid out as the reference mazes of
  /// shared/benchmarks/gcs (`maze-*` and `maze-seg-*`).
  ///
  /// Vertices: `"s"`, the point at the centre of cell (0, 0); one vertex `c{i}_{j}` per cell, in
  /// column-major order; `"t"`, the point at the centre of cell (N−1, N−1). Edges: `s → c0_0`,
  /// `c{N−1}_{N−1} → t`, then two directed edges (lower cell first) per open wall, in `openWalls` order.
  ///
  /// - `segments == false` (`maze-*`): each cell's set is its box, and every edge costs
  ///   `‖x_v − x_u‖₂` (the Euclidean length of the straight move between the two points).
  /// - `segments == true` (`maze-seg-*`): each cell's point is a segment `(a, b) ∈ box × box` with the
  ///   vertex cost `‖b − a‖₂` (an `l2norm` with `A = [−I I]`); edges carry no cost but the
  ///   `linear_equality` constraint that joins the segments (`b_u = a_v`; `x_s = a` out of the source,
  ///   `b = x_t` into the target). The path is then a polyline whose every piece lies in its cell.
  ///
  /// - Complexity: O(N²).
  public func makeProblem(segments: Bool = false) -> GCSFile {
    var graph = GraphOfConvexSets()
    let I = Matrix.identity(2)
    let minusI = -1 * I  // −0.0 off the diagonal, as the reference files (numpy's −I) have it
    let zero = Matrix.zeros(rowCount: 2, columnCount: 2)
    func hstack(_ blocks: [Matrix]) -> Matrix {
      Matrix(rows: (0..<2).map { r in blocks.flatMap { $0.row(r) } })
    }
    do {
      let s = try graph.addVertex(Point([0.5, 0.5]), name: "s")
      var cells: [VertexID] = []
      cells.reserveCapacity(size * size)
      for i in 0..<size {
        for j in 0..<size {
          let box = try Hyperrectangle(lb: [Double(i), Double(j)], ub: [Double(i + 1), Double(j + 1)])
          if segments {
            let v = try graph.addVertex(CartesianProduct([box, box]), name: MazeCell(i, j).name)
            try graph.addCost(.l2Norm(A: hstack([minusI, I]), b: [0, 0]), to: v)
            cells.append(v)
          } else {
            cells.append(try graph.addVertex(box, name: MazeCell(i, j).name))
          }
        }
      }
      let t = try graph.addVertex(Point([Double(size) - 0.5, Double(size) - 0.5]), name: "t")
      func cell(_ c: MazeCell) -> VertexID { cells[c.i * size + c.j] }
      func connect(_ u: VertexID, _ v: VertexID, join: Matrix) throws(GCSError) {
        let e = try graph.addEdge(from: u, to: v)
        if segments {
          try graph.addConstraint(.linearEquality(A: join, b: [0, 0]), to: e)
        } else {
          try graph.addCost(.euclidean, to: e)
        }
      }
      try connect(s, cell(MazeCell(0, 0)), join: hstack([I, minusI, zero]))
      try connect(cell(MazeCell(size - 1, size - 1)), t, join: hstack([zero, I, minusI]))
      let between = hstack([zero, I, minusI, zero])
      for (a, b) in openWalls {
        try connect(cell(a), cell(b), join: between)
        try connect(cell(b), cell(a), join: between)
      }
      return GCSFile(graph: graph, source: s, target: t)
    } catch {
      preconditionFailure("Maze.makeProblem: the maze's own data were rejected: \(error)")
    }
  }

  // MARK: - Carving

  private func contains(_ c: MazeCell) -> Bool { c.i >= 0 && c.i < size && c.j >= 0 && c.j < size }

  private mutating func setOpen(_ a: MazeCell, _ b: MazeCell) {
    let (lo, hi) = a < b ? (a, b) : (b, a)
    precondition(contains(lo) && contains(hi), "Maze: wall \(lo)–\(hi) is outside a \(size)×\(size) grid")
    if lo.i == hi.i && hi.j == lo.j + 1 {
      openNorth[lo.i + lo.j * size] = true
    } else if lo.j == hi.j && hi.i == lo.i + 1 {
      openEast[lo.i + lo.j * size] = true
    } else {
      preconditionFailure("Maze: cells \(lo) and \(hi) are not neighbours")
    }
  }

  /// Randomized depth-first search from cell (0, 0) (the "recursive backtracker", with an explicit
  /// stack): from the cell on top of the stack, open the wall to a random unvisited neighbour and push
  /// it; pop when there is none. The open walls form a spanning tree: N² − 1 of them.
  private mutating func carvePerfectMaze(_ random: inout SeededGenerator) {
    var visited = [Bool](repeating: false, count: size * size)
    var stack = [MazeCell(0, 0)]
    visited[0] = true
    var neighbours: [MazeCell] = []
    neighbours.reserveCapacity(4)
    while let c = stack.last {
      neighbours.removeAll(keepingCapacity: true)
      for n in [MazeCell(c.i, c.j + 1), MazeCell(c.i + 1, c.j), MazeCell(c.i, c.j - 1), MazeCell(c.i - 1, c.j)]
      where contains(n) && !visited[n.i + n.j * size] {
        neighbours.append(n)
      }
      if neighbours.isEmpty {
        stack.removeLast()
        continue
      }
      let n = neighbours[Self.uniform(&random, below: neighbours.count)]
      setOpen(c, n)
      visited[n.i + n.j * size] = true
      stack.append(n)
    }
  }

  /// Opens `count` walls drawn uniformly without replacement from the closed interior walls.
  private mutating func knockDown(_ count: Int, _ random: inout SeededGenerator) {
    guard count > 0 else { return }
    var closed: [(MazeCell, MazeCell)] = []
    for i in 0..<size {
      for j in 0..<size {
        if j + 1 < size, !openNorth[i + j * size] { closed.append((MazeCell(i, j), MazeCell(i, j + 1))) }
        if i + 1 < size, !openEast[i + j * size] { closed.append((MazeCell(i, j), MazeCell(i + 1, j))) }
      }
    }
    // A partial Fisher–Yates shuffle: the first `count` entries are the sample.
    for k in 0..<count {
      let pick = k + Self.uniform(&random, below: closed.count - k)
      closed.swapAt(k, pick)
      setOpen(closed[k].0, closed[k].1)
    }
  }

  /// A number in `0..<bound` from the stream (Lemire's multiply-high; the bias is below 2⁻³² for the
  /// bounds used here).
  private static func uniform(_ random: inout SeededGenerator, below bound: Int) -> Int {
    precondition(bound > 0, "Maze.uniform: bound \(bound) must be positive")
    return Int(random.next().multipliedFullWidth(by: UInt64(bound)).high)
  }
}

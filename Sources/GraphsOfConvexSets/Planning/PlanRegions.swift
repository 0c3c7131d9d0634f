import ConicSolver
import ConvexSets
import Dispatch
import Foundation
import LinearAlgebra

/// Convex regions of free space, as held by a file of format `osprey.plan.regions`, version 1 (see
/// docs/formats/plan.md): the regions (sets as in `osprey.gcs`), the seed each was grown from, and
/// optionally the seconds each took.
public struct PlanRegions: Sendable {
  /// The `format` value of regions files.
  public static let format = "osprey.plan.regions"
  /// The version this reader reads and the writer writes.
  public static let version = 1

  /// The regions, all of one dimension.
  public var regions: [any ConvexSet]
  /// The seed region `k` was grown from (`seeds.count == regions.count`).
  public var seeds: [[Double]]
  /// Seconds spent growing each region, when known.
  public var timingsSeconds: [Double]?
  /// The estimated coverage of the free space, when the regions were grown with coverage sampling.
  public var coverage: Coverage?

  /// The fraction of uniform free samples of the domain that lie in some region.
  public struct Coverage: Sendable, Equatable {
    /// Covered free samples over free samples (standard error `√(f(1 − f)/N)`).
    public var fraction: Double
    /// The number `N` of free samples.
    public var freeSamples: Int
    public init(fraction: Double, freeSamples: Int) {
      self.fraction = fraction
      self.freeSamples = freeSamples
    }
  }

  /// The regions' dimension.
  public var dimension: Int { regions.first?.ambientDimension ?? 0 }

  /// Checked regions.
  ///
  /// - Throws: `GCSFileError` (path `"<regions>"`) when there are no regions, dimensions differ, or
  ///   `seeds` or `timingsSeconds` do not have one entry per region.
  public init(regions: [any ConvexSet], seeds: [[Double]], timingsSeconds: [Double]? = nil) throws(GCSFileError) {
    self.init(unchecked: regions, seeds: seeds, timingsSeconds: timingsSeconds)
    if let (field, message) = problem() { throw GCSFileError(path: "<regions>", field: field, message: message) }
  }

  fileprivate init(unchecked regions: [any ConvexSet], seeds: [[Double]], timingsSeconds: [Double]?) {
    self.regions = regions
    self.seeds = seeds
    self.timingsSeconds = timingsSeconds
  }

  func problem() -> (String, String)? {
    guard let d = regions.first?.ambientDimension else { return ("regions", "is empty") }
    for (k, r) in regions.enumerated() where r.ambientDimension != d {
      return ("regions[\(k)]", "has dimension \(r.ambientDimension), expected \(d) (as regions[0])")
    }
    if seeds.count != regions.count { return ("seeds", "has \(seeds.count) entries, expected \(regions.count) (one per region)") }
    for (k, seed) in seeds.enumerated() where seed.count != d {
      return ("seeds[\(k)]", "has \(seed.count) entries, expected \(d)")
    }
    if let t = timingsSeconds, t.count != regions.count {
      return ("timings_s.regions", "has \(t.count) entries, expected \(regions.count) (one per region)")
    }
    return nil
  }

  /// Reads a regions file.
  ///
  /// - Throws: `GCSFileError` naming the path, the line and the field at fault.
  public static func read(path: String) throws(GCSFileError) -> PlanRegions {
    try parse(bytes: GCSJSON.readBytes(path: path), path: path)
  }

  /// Parses the text of a regions file; `path` is used only in error messages.
  public static func parse(_ text: String, path: String = "<string>") throws(GCSFileError) -> PlanRegions {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses the UTF-8 bytes of a regions file; `path` is used only in error messages.
  public static func parse(bytes: [UInt8], path: String = "<string>") throws(GCSFileError) -> PlanRegions {
    try GCSJSON.read(bytes, path: path) { (s: inout JSONScanner) throws(JSONReadError) -> PlanRegions in
      let top = try GCSJSON.fields(&s, field: "")
      try GCSJSON.checkEnd(&s)
      try GCSJSON.checkHeader(&s, top, format: format)
      guard let regionsAt = top["regions"] else { throw GCSJSON.missing(top, "regions", in: "") }
      var regions: [any ConvexSet] = []
      try GCSJSON.forEachObject(&s, at: regionsAt, field: "regions") {
        (s: inout JSONScanner, k: Int, f: GCSJSON.Fields) throws(JSONReadError) in
        regions.append(try GCSProblemReader.readSet(&s, f, field: "regions[\(k)]"))
      }
      var seeds: [[Double]] = []
      if let at = top["seeds"], !GCSJSON.isNull(&s, at: at) { seeds = try GCSJSON.rows(&s, at: at, field: "seeds") }
      var timings: [Double]?
      if let at = top["timings_s"], !GCSJSON.isNull(&s, at: at) {
        s.position = at
        let tf = try GCSJSON.fields(&s, field: "timings_s")
        if let r = tf["regions"] { timings = try GCSJSON.vector(&s, at: r, field: "timings_s.regions") }
      }
      var file = PlanRegions(unchecked: regions, seeds: seeds, timingsSeconds: timings)
      if let at = top["coverage"], !GCSJSON.isNull(&s, at: at) {
        s.position = at
        let cf = try GCSJSON.fields(&s, field: "coverage")
        let fraction = try GCSJSON.number(&s, cf, "fraction", in: "coverage")
        guard let nAt = cf["free_samples"] else { throw GCSJSON.missing(cf, "free_samples", in: "coverage") }
        let n = try GCSJSON.count(&s, at: nAt, field: "coverage.free_samples")
        if !(fraction >= 0 && fraction <= 1) {
          throw JSONReadError(offset: cf["fraction"]!, field: "coverage.fraction", message: "is \(fraction), expected in [0, 1]")
        }
        file.coverage = Coverage(fraction: fraction, freeSamples: n)
      }
      if let (field, message) = file.problem() {
        let key = String(field.prefix { $0 != "[" && $0 != "." })
        throw JSONReadError(offset: top[key] ?? top.start, field: field, message: message)
      }
      return file
    }
  }

  /// The regions as the text of a file (one region per line).
  ///
  /// - Throws: `GCSFileError` when a region is of a kind the format cannot hold.
  public func serialized() throws(GCSFileError) -> String {
    var out = "{\"format\": \(GCSJSON.quoted(Self.format)), \"version\": \(Self.version), \"dimension\": \(dimension),\n"
    out += "\"regions\": ["
    for (k, r) in regions.enumerated() {
      out += (k == 0 ? "\n " : ",\n ") + (try GCSFile.writeSet(r, field: "regions[\(k)]"))
    }
    out += "\n],\n\"seeds\": [" + seeds.map(GCSJSON.writeArray).joined(separator: ", ") + "]"
    if let t = timingsSeconds {
      out += ",\n\"timings_s\": " + GCSJSON.object([("total", GCSJSON.writeNumber(t.reduce(0, +))), ("regions", GCSJSON.writeArray(t))])
    }
    if let c = coverage {
      out += ",\n\"coverage\": " + GCSJSON.object([("fraction", GCSJSON.writeNumber(c.fraction)), ("free_samples", "\(c.freeSamples)")])
    }
    return out + "}\n"
  }

  /// Writes the regions to `path` atomically.
  public func write(to path: String) throws(GCSFileError) {
    try PlanFiles.write(to: path) { () throws(GCSFileError) in try serialized() }
  }
}

// MARK: - Growing regions

/// Options of `PlanScene.buildRegions`.
public struct PlanRegionOptions: Sendable, Equatable {
  /// Options of every IRIS call (task space: a point robot among convex obstacles).
  public var iris = IrisOptions()
  /// Options of every configuration-space IRIS call (scenes with a robot); region `k` uses random
  /// seed `configurationSpaceIris.randomSeed + k`.
  public var configurationSpaceIris = ConfigurationSpaceIrisOptions()
  /// Grid points per axis of the domain tried as seeds after the scene's seeds, start and goal
  /// (cell centres; default 4, so 16 candidates in 2-D). 0: no grid.
  public var gridPointsPerAxis: Int = 4
  /// Most regions to grow (default 64).
  public var maximumRegions: Int = 64
  /// After the candidates, more seeds are drawn among uniform free samples that no region covers,
  /// until this fraction of the free samples is covered (default 0.95; 0 turns it off).
  public var targetCoverage: Double = 0.95
  /// Uniform samples of the domain used to estimate coverage (default 2000).
  public var coverageSampleCount: Int = 2000
  /// Seed of those samples (default 0).
  public var randomSeed: UInt64 = 0
  /// Once the coverage target is met, keep seeding from uncovered free samples (drawing fresh ones
  /// up to five times) until some chain of intersecting regions joins the start and the goal
  /// (default `true`); narrow passages such as a maze's doorways are often the last places covered.
  public var connectsStartAndGoal: Bool = true

  public init() {}
}

/// One region grown, reported to `PlanScene.buildRegions`'s progress callback.
public struct PlanRegionProgress: Sendable {
  /// Index of the region grown (0-based).
  public var region: Int
  /// Candidates tried so far, and in all (candidates inside an obstacle or a region are skipped).
  public var candidatesTried: Int
  public var candidateCount: Int
  /// The seed it was grown from.
  public var seed: [Double]
  /// Its number of inequalities.
  public var faceCount: Int
  /// Seconds for this region, and since the start.
  public var seconds: Double
  public var elapsedSeconds: Double
}

extension PlanScene {
  /// Candidate seeds, in order: the scene's seeds, the start, the goal, then the centres of a
  /// `gridPointsPerAxis`ᵈ grid over the domain (capped at 4096 points), without those in collision.
  public func candidateSeeds(options: PlanRegionOptions = PlanRegionOptions()) -> [[Double]] {
    var points = (seeds ?? []) + [start, goal]
    let checker = try! collisionChecker()  // a checked scene's obstacles suit its robot
    var g = max(0, options.gridPointsPerAxis)
    while g > 0, pow(Double(g), Double(dimension)) > 4096 { g -= 1 }
    if g > 0 {
      var index = [Int](repeating: 0, count: dimension)
      outer: while true {
        let x = (0..<dimension).map { i in domain.lb[i] + (Double(index[i]) + 0.5) * (domain.ub[i] - domain.lb[i]) / Double(g) }
        if checker.isFree(x) { points.append(x) }
        var i = 0
        while i < dimension {
          index[i] += 1
          if index[i] < g { continue outer }
          index[i] = 0
          i += 1
        }
        break
      }
    }
    return points
  }

  /// Grows IRIS regions (Deits & Tedrake 2014; with a robot, configuration-space IRIS driven by the
  /// collision checker, `irisInConfigurationSpace`) in the domain around the obstacles from
  /// `candidateSeeds(options:)`, skipping candidates already inside a region, then from uniform free
  /// samples no region covers, until the estimated coverage of the free space reaches
  /// `options.targetCoverage` or `options.maximumRegions` are grown. Deterministic.
  ///
  /// - Throws: `ConvexSetError` from `iris` (field `seeds[k]` names the candidate), e.g. when the
  ///   inscribed-ellipsoid step fails.
  public func buildRegions(
    options: PlanRegionOptions = PlanRegionOptions(), progress: (PlanRegionProgress) -> Void = { _ in }
  ) throws(ConvexSetError) -> PlanRegions {
    let candidates = candidateSeeds(options: options)
    let box = HPolyhedron(domain)
    let checker = try collisionChecker()
    let begin = DispatchTime.now().uptimeNanoseconds
    var regions: [any ConvexSet] = []
    var used: [[Double]] = []
    var timings: [Double] = []
    // Free samples of the domain, for the coverage estimate; uncovered ones become further seeds.
    var generator = SeededGenerator(seed: options.randomSeed)
    var free: [[Double]] = []
    if options.targetCoverage > 0 {
      for _ in 0..<max(0, options.coverageSampleCount) {
        let x = (0..<dimension).map { i in domain.lb[i] + generator.nextUnit() * (domain.ub[i] - domain.lb[i]) }
        if checker.isFree(x) { free.append(x) }
      }
    }
    var uncovered = free
    var queue = candidates
    var k = 0
    // Regions that meet are joined in components (union–find), to tell whether start and goal are.
    var parent: [Int] = []
    func root(_ i: Int) -> Int {
      var i = i
      while parent[i] != i {
        parent[i] = parent[parent[i]]
        i = parent[i]
      }
      return i
    }
    func startAndGoalJoined() -> Bool {
      let fromStart = Set(regions.indices.filter { regions[$0].contains(start) }.map(root))
      return regions.indices.contains { regions[$0].contains(goal) && fromStart.contains(root($0)) }
    }
    var refills = 0
    while regions.count < options.maximumRegions {
      if k == queue.count {
        // Out of candidates: the next uncovered free sample, while short of the coverage target or
        // (with connectsStartAndGoal) while no chain of regions joins start and goal; for the
        // latter, fresh samples are drawn when those run out (at most 5 times).
        let coverage = free.isEmpty ? 1 : 1 - Double(uncovered.count) / Double(free.count)
        if coverage >= options.targetCoverage {
          guard options.connectsStartAndGoal, !startAndGoalJoined() else { break }
          if uncovered.isEmpty {
            guard refills < 5 else { break }
            refills += 1
            for _ in 0..<max(1, options.coverageSampleCount) {
              let x = (0..<dimension).map { i in domain.lb[i] + generator.nextUnit() * (domain.ub[i] - domain.lb[i]) }
              if checker.isFree(x), !regions.contains(where: { $0.contains(x) }) { uncovered.append(x) }
            }
          }
        }
        guard let next = uncovered.first else { break }
        uncovered.removeFirst()
        queue.append(next)
      }
      let seed = queue[k]
      k += 1
      if regions.contains(where: { $0.contains(seed) }) { continue }
      let t0 = DispatchTime.now().uptimeNanoseconds
      let region: HPolyhedron
      do {
        if robot != nil {
          var cspace = options.configurationSpaceIris
          cspace.randomSeed &+= UInt64(regions.count)
          region = try irisInConfigurationSpace(checker: checker, seed: seed, domain: box, options: cspace).region
        } else {
          region = try iris(obstacles: obstacles, seed: seed, domain: box, options: options.iris)
        }
      } catch {
        if k > candidates.count { continue }  // a sampled seed IRIS cannot grow from is skipped
        throw ConvexSetError(field: "seeds[\(k - 1)] \(GCSJSON.writeArray(seed)): \(error.field)", message: error.message)
      }
      let t1 = DispatchTime.now().uptimeNanoseconds
      let index = regions.count
      parent.append(index)
      for j in 0..<index where root(j) != root(index) && regions[j].intersects(region) { parent[root(j)] = root(index) }
      regions.append(region)
      used.append(seed)
      timings.append(Double(t1 - t0) / 1e9)
      uncovered.removeAll { region.contains($0) }
      progress(
        PlanRegionProgress(
          region: regions.count - 1, candidatesTried: k, candidateCount: queue.count, seed: seed,
          faceCount: region.inequalityCount, seconds: Double(t1 - t0) / 1e9, elapsedSeconds: Double(t1 - begin) / 1e9))
    }
    var result = PlanRegions(unchecked: regions, seeds: used, timingsSeconds: timings)
    if !free.isEmpty {
      let covered = free.filter { x in regions.contains { $0.contains(x) } }.count
      result.coverage = PlanRegions.Coverage(fraction: Double(covered) / Double(free.count), freeSamples: free.count)
    }
    return result
  }
}

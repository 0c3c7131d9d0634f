import ArgumentParser
import ConvexSets
import Foundation
import GraphsOfConvexSets

/// `osprey plan`: motion planning in task-space scenes — IRIS regions, GCS trajectories, drawings.
public struct PlanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Plan around obstacles: grow convex regions (IRIS), optimize trajectories through them (GCS), draw.",
    discussion: "File formats: docs/formats/plan.md. Exit status 0 when the command ran (also for an infeasible plan), 2 for bad input.",
    subcommands: [PlanRegionsCommand.self, PlanTrajectoryCommand.self, PlanDrawCommand.self])

  public init() {}
}

/// Options shared by the commands that grow regions.
public struct PlanRegionArguments: ParsableArguments {
  @Option(help: ArgumentHelp("Grid points per axis tried as seeds after the scene's seeds, start and goal (0: none).", valueName: "n"))
  public var grid: Int = 4

  @Option(help: ArgumentHelp("Most regions to grow.", valueName: "n"))
  public var maxRegions: Int = 64

  @Option(help: ArgumentHelp("IRIS iteration limit per region (default 100 in task space, 3 in an arm's configuration space).", valueName: "n"))
  public var irisIterations: Int?

  @Option(help: ArgumentHelp("Scenes with a robot: the fraction of each region's volume that may collide (ε of sampled configuration-space IRIS).", valueName: "fraction"))
  public var collisionFraction: Double = 0.01

  @Option(help: ArgumentHelp("Fraction of free samples to cover before stopping.", valueName: "fraction"))
  public var coverage: Double = 0.95

  public init() {}

  public func validate() throws {
    if grid < 0 { throw ValidationError("--grid must be ≥ 0, got \(grid)") }
    if maxRegions < 1 { throw ValidationError("--max-regions must be ≥ 1, got \(maxRegions)") }
    if let irisIterations, irisIterations < 1 { throw ValidationError("--iris-iterations must be ≥ 1, got \(irisIterations)") }
    if !(collisionFraction > 0 && collisionFraction < 1) {
      throw ValidationError("--collision-fraction must be in (0, 1), got \(collisionFraction)")
    }
    if !(coverage >= 0 && coverage <= 1) { throw ValidationError("--coverage must be in [0, 1], got \(coverage)") }
  }

  public var options: PlanRegionOptions {
    var options = PlanRegionOptions()
    options.gridPointsPerAxis = grid
    options.maximumRegions = maxRegions
    options.targetCoverage = coverage
    if let irisIterations {
      options.iris.iterationLimit = irisIterations
      options.configurationSpaceIris.iterationLimit = irisIterations
    }
    options.configurationSpaceIris.admissibleCollisionFraction = collisionFraction
    return options
  }
}

/// `osprey plan regions SCENE.json -o REGIONS.json`.
public struct PlanRegionsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "regions",
    abstract: "Grow convex regions of free space (IRIS) in a scene and write the regions file.",
    discussion: """
      Seeds, in order: the scene's seeds, the start, the goal, then the centres of a grid over the domain; \
      a seed inside an obstacle or a region already grown is skipped. One progress line per region on \
      standard error (with rate and an upper bound on the time left), then a one-line summary.
      """)

  @Argument(help: ArgumentHelp("The scene file (osprey.plan.scene, version 1).", valueName: "scene"))
  public var scene: String

  @OptionGroup public var regionArguments: PlanRegionArguments

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the regions file here instead of standard output.", valueName: "file"))
  public var output: String?

  @Flag(help: "Also print the scene's size and each region's seed on standard error.")
  public var verbose = false

  public init() {}

  public func run() throws {
    let file = try PlanRun.loadScene(path: scene)
    if verbose { printError(PlanRun.sceneLine(file, path: scene)) }
    let regions = try PlanRun.buildRegions(file, options: regionArguments.options, verbose: verbose)
    let text: String
    do {
      text = try regions.serialized()
    } catch {
      throw InputError(error.description)
    }
    try GCSRun.emit(text, to: output)
  }
}

/// `osprey plan trajectory SCENE.json [--regions REGIONS.json] [--sample-dt 0.01] -o TRAJ.json`.
public struct PlanTrajectoryCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "trajectory",
    abstract: "Optimize a trajectory from start to goal through convex regions (GCS) and write it with samples.",
    discussion: """
      Without --regions the regions are grown first (as `osprey plan regions`). Costs: time plus path \
      length (weights 1); the scene's velocity bounds, else ±--default-speed on every coordinate; the \
      trajectory starts and ends at rest. Samples every --sample-dt from 0 to the duration T inclusive (T \
      exactly once). An unreachable goal gives status "infeasible" (exit status 0).
      """)

  @Argument(help: ArgumentHelp("The scene file (osprey.plan.scene, version 1).", valueName: "scene"))
  public var scene: String

  @Option(help: ArgumentHelp("A regions file (osprey.plan.regions) to use instead of growing regions.", valueName: "file"))
  public var regions: String?

  @Option(help: ArgumentHelp("Sampling interval of the samples, in seconds.", valueName: "seconds"))
  public var sampleDt: Double = 0.01

  @Option(help: ArgumentHelp("Speed bound per coordinate when the scene has no velocity_bounds.", valueName: "speed"))
  public var defaultSpeed: Double = 1

  @Option(help: ArgumentHelp("Bézier order of the segments.", valueName: "n"))
  public var order: Int = 3

  @Option(help: ArgumentHelp("Weight of the total time in the cost.", valueName: "w"))
  public var timeWeight: Double = 1

  @Option(help: ArgumentHelp("Weight of the path length in the cost.", valueName: "w"))
  public var lengthWeight: Double = 1

  @Option(help: ArgumentHelp("Distinct region paths tried by the randomized rounding.", valueName: "n"))
  public var roundedPaths: Int = 10

  @Option(help: ArgumentHelp("Most re-solves after cutting colliding samples out of the regions (arm scenes; 0: check only).", valueName: "n"))
  public var repairRounds: Int = 5

  @OptionGroup public var regionArguments: PlanRegionArguments

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the trajectory file here instead of standard output.", valueName: "file"))
  public var output: String?

  @Flag(help: "Also print the scene, the regions and the solver's times on standard error.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    if !(sampleDt > 0 && sampleDt.isFinite) { throw ValidationError("--sample-dt must be a positive number of seconds, got \(sampleDt)") }
    if !(defaultSpeed > 0 && defaultSpeed.isFinite) { throw ValidationError("--default-speed must be positive, got \(defaultSpeed)") }
    if order < 1 || order > 12 { throw ValidationError("--order must be in 1...12, got \(order)") }
    if !(timeWeight >= 0 && timeWeight.isFinite) { throw ValidationError("--time-weight must be finite and ≥ 0, got \(timeWeight)") }
    if !(lengthWeight >= 0 && lengthWeight.isFinite) { throw ValidationError("--length-weight must be finite and ≥ 0, got \(lengthWeight)") }
    if timeWeight == 0 && lengthWeight == 0 { throw ValidationError("--time-weight and --length-weight cannot both be 0") }
    if roundedPaths < 1 { throw ValidationError("--rounded-paths must be ≥ 1, got \(roundedPaths)") }
    if repairRounds < 0 { throw ValidationError("--repair-rounds must be ≥ 0, got \(repairRounds)") }
  }

  /// The trajectory options for `scene`.
  public func trajectoryOptions(for scene: PlanScene) -> GCSTrajectoryOptions {
    var options = GCSTrajectoryOptions()
    options.order = order
    options.pathContinuityOrder = min(options.pathContinuityOrder, order)
    options.timeCostWeight = timeWeight
    options.pathLengthCostWeight = lengthWeight
    options.shortestPath.maxRoundedPaths = roundedPaths
    options.velocityBounds = scene.velocityBounds ?? .symmetric([Double](repeating: defaultSpeed, count: scene.dimension))
    return options
  }

  public func run() throws {
    let file = try PlanRun.loadScene(path: scene)
    if verbose { printError(PlanRun.sceneLine(file, path: scene)) }
    let regionFile: PlanRegions
    if let regions {
      regionFile = try PlanRun.loadRegions(path: regions, scene: file, scenePath: scene)
    } else {
      regionFile = try PlanRun.buildRegions(file, options: regionArguments.options, verbose: verbose)
    }
    let started = DispatchTime.now().uptimeNanoseconds
    let outcome: PlanTrajectoryOutcome
    do {
      outcome = try file.planTrajectory(
        regions: regionFile, options: trajectoryOptions(for: file), sampleDt: sampleDt, repairRounds: repairRounds)
    } catch {
      throw InputError("\(regions ?? "regions"): \(error.field): \(error.message)")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    try GCSRun.emit(outcome.file.serialized(), to: output)
    printError(PlanRun.summaryLine(outcome.file, regionCount: regionFile.regions.count, seconds: seconds))
    if outcome.repairRounds > 0 {
      printError("repaired  \(outcome.planesAdded) planes cut colliding samples out of the regions, \(outcome.repairRounds) more solves")
    }
    if verbose, let sp = outcome.result.shortestPath {
      let problem = outcome.problem
      printError("edges \(problem.regionEdges.count) between \(regionFile.regions.count) regions, setup \(Formatting.duration(seconds: problem.setupSeconds))")
      let solution = GCSSolution(result: sp, graph: problem.graph)
      for line in GCSRun.detailLines(solution) { printError(line) }
    }
  }
}

/// `osprey plan draw SCENE.json [REGIONS.json] [TRAJ.json] -o FILE.svg`.
public struct PlanDrawCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "draw",
    abstract: "Draw a 2-D scene, with its regions and trajectory, as an SVG file.",
    discussion: """
      The extra files may come in either order: each is recognized by its format (osprey.plan.regions or \
      osprey.trajectory). Drawn: the domain, the obstacles (dark), the regions (translucent), the \
      trajectory as a polyline through its samples, the start and the goal. The y axis points up.
      """)

  @Argument(help: ArgumentHelp("The scene file (osprey.plan.scene).", valueName: "scene"))
  public var scene: String

  @Argument(help: ArgumentHelp("A regions file and/or a trajectory file.", valueName: "file"))
  public var files: [String] = []

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The SVG file to write.", valueName: "file"))
  public var output: String

  public init() {}

  public func validate() throws {
    if files.count > 2 { throw ValidationError("at most two files after the scene (regions, trajectory), got \(files.count)") }
  }

  public func run() throws {
    let file = try PlanRun.loadScene(path: scene)
    var regionFile: PlanRegions?
    var trajectoryFile: PlanTrajectoryFile?
    for path in files {
      let format: String
      do {
        format = try PlanFiles.format(path: path)
      } catch {
        throw InputError(error.description)
      }
      switch format {
      case PlanRegions.format:
        if regionFile != nil { throw InputError("\(path): a second regions file") }
        regionFile = try PlanRun.loadRegions(path: path, scene: file, scenePath: scene)
      case PlanTrajectoryFile.format:
        if trajectoryFile != nil { throw InputError("\(path): a second trajectory file") }
        do {
          trajectoryFile = try PlanTrajectoryFile.read(path: path)
        } catch {
          throw InputError(error.description)
        }
      default:
        throw InputError("\(path): format: is \"\(format)\", expected \"\(PlanRegions.format)\" or \"\(PlanTrajectoryFile.format)\"")
      }
    }
    let svg: String
    do {
      svg = try PlanDrawing.svg(scene: file, regions: regionFile, trajectory: trajectoryFile)
    } catch {
      throw InputError("\(scene): \(error.message)")
    }
    try GCSRun.emit(svg, to: output)
  }
}

/// A region-growing failure that is not bad input (IRIS's inscribed-ellipsoid step failed, or IRIS is
/// unavailable). Exit status 1.
public struct PlanFailure: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Reading and reporting shared by the `plan` commands.
public enum PlanRun {
  /// Reads a scene file; `InputError` naming the file, the line and the field.
  public static func loadScene(path: String) throws(InputError) -> PlanScene {
    do {
      return try PlanScene.read(path: path)
    } catch {
      throw InputError(error.description)
    }
  }

  /// Reads a regions file and checks its dimension against the scene's.
  public static func loadRegions(path: String, scene: PlanScene, scenePath: String) throws(InputError) -> PlanRegions {
    let regions: PlanRegions
    do {
      regions = try PlanRegions.read(path: path)
    } catch {
      throw InputError(error.description)
    }
    if regions.dimension != scene.dimension {
      throw InputError("\(path): regions: have dimension \(regions.dimension), expected \(scene.dimension) (the scene \(scenePath))")
    }
    return regions
  }

  /// Grows regions with a progress line per region and a summary line on standard error.
  public static func buildRegions(_ scene: PlanScene, options: PlanRegionOptions, verbose: Bool) throws -> PlanRegions {
    let started = DispatchTime.now().uptimeNanoseconds
    let regions: PlanRegions
    do {
      regions = try scene.buildRegions(options: options) { p in printError(progressLine(p, verbose: verbose)) }
    } catch {
      throw PlanFailure(message: "growing regions: \(error.field): \(error.message)")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let faces = regions.regions.reduce(0) { $0 + (($1 as? HPolyhedron)?.inequalityCount ?? 0) }
    var line = "regions  \(regions.regions.count) regions, \(faces) faces in all, time \(Formatting.duration(seconds: seconds))"
    if let c = regions.coverage {
      line += ", coverage \(String(format: "%.1f", 100 * c.fraction))% of \(c.freeSamples) free samples"
    }
    printError(line)
    return regions
  }

  /// `region 3 (seed 5/20): 9 faces, 41.2 ms  (24.3 regions/s, ETA ≤ 0.62 s)`.
  public static func progressLine(_ p: PlanRegionProgress, verbose: Bool) -> String {
    let made = Double(p.region + 1)
    let rate = p.elapsedSeconds > 0 ? made / p.elapsedSeconds : 0
    let left = Double(p.candidateCount - p.candidatesTried) * p.elapsedSeconds / made
    var line = "region \(p.region) (seed \(p.candidatesTried)/\(p.candidateCount)): \(p.faceCount) faces, \(Formatting.duration(seconds: p.seconds))"
    line += "  (\(String(format: "%.3g", rate)) regions/s, ETA ≤ \(Formatting.duration(seconds: left)))"
    if verbose { line += "  seed \(p.seed.map { String(format: "%.4g", $0) }.joined(separator: ", "))" }
    return line
  }

  /// `scene boxes.json: 2-D, 6 obstacles, start [0.3, 0.3], goal [9.7, 9.7], velocity bounds from the scene`.
  public static func sceneLine(_ scene: PlanScene, path: String) -> String {
    func text(_ x: [Double]) -> String { "[" + x.map { Formatting.number($0) }.joined(separator: ", ") + "]" }
    return "scene  \(path): \(scene.dimension)-D, \(scene.obstacles.count) obstacles, start \(text(scene.start)), goal \(text(scene.goal)), "
      + (scene.velocityBounds == nil ? "no velocity bounds" : "velocity bounds from the scene")
  }

  /// `solved  duration 14.2 s  cost 27.6  regions 4  samples 1421  time 120 ms`.
  public static func summaryLine(_ file: PlanTrajectoryFile, regionCount: Int, seconds: Double) -> String {
    var parts = [
      file.status.rawValue,
      "duration \(file.duration.map { Formatting.number($0) + " s" } ?? "-")",
      "cost \(Formatting.number(file.cost))",
      "path \(file.regionPath.count) of \(regionCount) regions",
      "samples \(file.samples.count)" + (file.samplesInCollision.map { " (\($0) in collision)" } ?? ""),
      "time \(Formatting.duration(seconds: seconds))",
    ]
    if let reason = file.reason { parts.append("(\(reason))") }
    return parts.joined(separator: "  ")
  }
}

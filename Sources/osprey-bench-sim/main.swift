// osprey-bench-sim: simulation steps per second and offscreen render frames per second for the
// workcell (arm, gripper, table, racks, shelf, one box on the table). Run by `make bench-sim`
// (bench/sim.sh). A program, not a test: it prints progress, then a table, and writes the table
// to bench/results/sim-<date>.md (or --output FILE).
//
//   osprey-bench-sim [--seconds S] [--output FILE]
//   osprey-bench-sim --images DIR     (only writes the documentation pictures of the scene)
//
// Also: the arm-and-mug scene (a procedural mug resting on the table) and the collection routine's
// throughput (orbiting wrist-camera views per second at 320×240, everything included).
//
// Anchors, side by side: MuJoCo's own mj_step loop in C on the same model (what the Swift
// wrapper costs), and the recipe's figures from FINDINGS.md (another scene, an idle machine).
import CMuJoCo
import Foundation
import Imaging
import Objects
import Simulation

struct Options {
  var seconds = 2.0
  var output: String?
  var images: String?
}

func parseOptions() -> Options {
  var options = Options()
  var arguments = CommandLine.arguments.dropFirst()
  while let argument = arguments.popFirst() {
    switch argument {
    case "--seconds":
      guard let value = arguments.popFirst().flatMap(Double.init), value > 0 else { fail("--seconds needs a positive number") }
      options.seconds = value
    case "--output":
      guard let value = arguments.popFirst() else { fail("--output needs a path") }
      options.output = value
    case "--images":
      guard let value = arguments.popFirst() else { fail("--images needs a folder") }
      options.images = value
    case "-h", "--help":
      print("usage: osprey-bench-sim [--seconds S] [--output FILE] | --images DIR")
      exit(0)
    default:
      fail("unknown argument \(argument)")
    }
  }
  return options
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("osprey-bench-sim: \(message)\n".utf8))
  exit(2)
}

func progress(_ message: String) {
  FileHandle.standardError.write(Data("bench-sim: \(message)\n".utf8))
}

func now() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Runs `body` (which does `unit` operations) repeatedly for at least `seconds`; returns
/// operations per second.
func rate(seconds: Double, unit: Int, _ body: () throws -> Void) rethrows -> Double {
  try body()  // warm-up
  var count = 0
  let start = now()
  var elapsed = 0.0
  repeat {
    try body()
    count += unit
    elapsed = now() - start
  } while elapsed < seconds
  return Double(count) / elapsed
}

func machineDescription() -> String {
  let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
  let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
  return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model)"
}

func loadAverage() -> String {
  ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

func format(_ value: Double) -> String {
  value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
}

let options = parseOptions()

/// The documentation pictures: RGB, depth (scaled for viewing) and per-body segmentation (false
/// colours) of the settled scene from the overview camera, 640×480.
func writeImages(to folder: String) throws {
  let sim = try Simulation(mjcf: OspreyWorld.mjcf())
  try sim.resetToKeyframe("home")
  sim.compensatedDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
  try sim.step(500)
  let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.overviewCamera))
  let frame = try renderer.render(.all)
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  try PNG.write(frame.rgb!, to: folder + "/sim-rgb.png")
  try PNG.write(frame.depthPreview(nearMetres: 1.1, farMetres: 2.9), to: folder + "/sim-depth.png")
  try PNG.write(frame.segmentationPreview(ids: sim.bodySegmentation(frame)), to: folder + "/sim-segmentation.png")
  progress("wrote \(folder)/sim-rgb.png, sim-depth.png, sim-segmentation.png")
  // A mug on the table (object_view, 480×360) and one collected wrist-camera view (320×240).
  let mug = try CollectedScene.render(ObjectInstance.mug(seed: 3), worldSeed: 3, width: 480, height: 360)
  try PNG.write(mug.views[0].rgb, to: folder + "/sim-mug-rgb.png")
  var options = CollectionOptions()
  options.views = 4
  options.width = 320
  options.height = 240
  let collected = try OrbitCollector(options: options).collect(ObjectInstance.mug(seed: 7), worldSeed: 7)
  try PNG.write(collected.views[0].rgb, to: folder + "/sim-collect-view.png")
  progress("wrote \(folder)/sim-mug-rgb.png, sim-collect-view.png")
}

if let folder = options.images {
  try writeImages(to: folder)
  exit(0)
}
let loadAtStart = loadAverage()
progress("machine: \(machineDescription()); load average \(loadAtStart); MuJoCo \(Simulation.mujocoVersion)")

// MARK: Simulation steps

let mjcf = OspreyWorld.mjcf()
let sim = try Simulation(mjcf: mjcf)
try sim.resetToKeyframe("home")
let armDOFs = try OspreyWorld.armJoints.map { sim.info(of: try sim.joint($0)).velocityAddress }
sim.compensatedDOFs = armDOFs
try sim.step(500)  // the box settles on the table
let settled = sim.state
progress("scene: \(sim.bodyCount) bodies, \(sim.geomCount) geoms, \(sim.velocityCount) dofs, \(sim.contacts.count) contacts at rest, dt \(sim.timestepSeconds) s")

// The arm-and-mug scene: the box replaced by a procedural mug (seed 1) resting on the table.
var mugOptions = OspreyWorld.Options()
mugOptions.includeObject = false
mugOptions.object = SceneObject.onTable(ObjectInstance.mug(seed: 1), seed: 1)
let mugSim = try Simulation(mjcf: OspreyWorld.mjcf(mugOptions))
try mugSim.resetToKeyframe("home")
mugSim.compensatedDOFs = armDOFs
try mugSim.step(1000)  // the mug settles
let mugSettled = mugSim.state
let mugScene = "\(mugSim.bodyCount) bodies, \(mugSim.geomCount) geoms (the mug: 1 visual mesh, \(mugOptions.object!.instance.convexPieces.count) convex pieces, \(mugOptions.object!.supportSphereCentres().count) support spheres), \(mugSim.contacts.count) contacts at rest"
progress("arm-and-mug scene: \(mugScene)")

// Anchor: MuJoCo's C loop on the same model and state, without the Swift wrapper.
let path = NSTemporaryDirectory() + "osprey-bench-sim-\(getpid()).xml"
try mjcf.write(toFile: path, atomically: true, encoding: .utf8)
var loadError = [CChar](repeating: 0, count: 1000)
guard let rawModel = mj_loadXML(path, nil, &loadError, 1000), let rawData = mj_makeData(rawModel) else {
  fail("mj_loadXML: \(String(decoding: loadError.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
}
try? FileManager.default.removeItem(atPath: path)
let settledControls = sim.ctrl
func resetRaw() {
  settled.qpos.withUnsafeBufferPointer { rawData.pointee.qpos.update(from: $0.baseAddress!, count: $0.count) }
  settled.qvel.withUnsafeBufferPointer { rawData.pointee.qvel.update(from: $0.baseAddress!, count: $0.count) }
  settledControls.withUnsafeBufferPointer { rawData.pointee.ctrl.update(from: $0.baseAddress!, count: $0.count) }
  rawData.pointee.time = settled.timeSeconds
  mj_forward(rawModel, rawData)
}

// The machine is shared: the variants take turns in short windows and each keeps its best window,
// so a busy moment does not land on one variant only.
let stepVariants: [(String, () throws -> Void, () throws -> Void)] = [
  ("Simulation.step(), gravity-compensated arm (mj_step1 + mj_step2)",
   { sim.compensatedDOFs = armDOFs; sim.state = settled; try sim.forward() }, { try sim.step(1000) }),
  ("Simulation.step(), plain (mj_step)",
   { sim.compensatedDOFs = []; sim.state = settled; try sim.forward() }, { try sim.step(1000) }),
  ("MuJoCo C loop, mj_step (anchor)",
   { resetRaw() }, { for _ in 0..<1000 { mj_step(rawModel, rawData) } }),
  ("arm-and-mug scene: Simulation.step(), gravity-compensated arm, mug resting",
   { mugSim.state = mugSettled; try mugSim.forward() }, { try mugSim.step(1000) }),
]
let rounds = 5
var bestSteps = [Double](repeating: 0, count: stepVariants.count)
for round in 1...rounds {
  for (i, variant) in stepVariants.enumerated() {
    try variant.1()
    bestSteps[i] = max(bestSteps[i], try rate(seconds: options.seconds / Double(rounds), unit: 1000, variant.2))
  }
  progress("stepping, round \(round)/\(rounds): best so far " + bestSteps.map { format($0) }.joined(separator: ", ") + " steps/s")
}
let stepRows = zip(stepVariants.map(\.0), bestSteps).map { ($0, $1) }
mj_deleteData(rawData)
mj_deleteModel(rawModel)

// MARK: Rendering

sim.compensatedDOFs = armDOFs
sim.state = settled
try sim.forward()
let outputSets: [(String, RenderOutputs)] = [("RGB", [.rgb]), ("RGB+depth", [.rgb, .depth]), ("RGB+depth+segmentation", .all)]
let recipe: [String: String] = ["320×240 RGB": "67", "320×240 RGB+depth": "67", "320×240 RGB+depth+segmentation": "56"]
var renderRows: [(String, String, Double)] = []
var glDescription = ""
for (width, height) in [(320, 240), (640, 480)] {
  let renderer = try OffscreenRenderer(simulation: sim, camera: try sim.camera(OspreyWorld.overviewCamera),
                                       options: RendererOptions(width: width, height: height))
  glDescription = renderer.glDescription
  for (name, outputs) in outputSets {
    progress("rendering \(width)×\(height) \(name) …")
    var fps = 0.0
    for _ in 0..<rounds {
      fps = max(fps, try rate(seconds: options.seconds / Double(rounds), unit: 1) { _ = try renderer.render(outputs) })
    }
    renderRows.append(("\(width)×\(height)", name, fps))
    progress("  \(format(fps)) frames/s (\(String(format: "%.1f", 1000 / fps)) ms/frame)")
  }
}

// MARK: Collection

// Orbiting wrist-camera views at 320×240, everything included: loading the scene, 2 s of settling,
// viewpoint planning (IK + collision checks for 6 candidates per view), the tour (segment checks at
// 0.02 rad, retreats), moving the arm (physical: minimum-jerk segments tracked by the impedance
// controller, 0.2 s holds; kinematic: joints set, 25 steps), rendering RGB + depth + segmentation,
// and writing the scene folder.
let collectionScenes = 2, collectionViews = 8
let collectionFolder = NSTemporaryDirectory() + "osprey-bench-collect-\(getpid())"
try FileManager.default.createDirectory(atPath: collectionFolder, withIntermediateDirectories: true)
struct CollectionRow {
  var motion: String, category: String, viewsPerSecond: Double
  var tourRadians: Double, simulatedSeconds: Double, retreats: Int, dropped: Int, displacementMetres: Double
}
var collectionRows: [CollectionRow] = []
for motion in CollectionOptions.Motion.allCases {
  var collectionOptions = CollectionOptions()
  collectionOptions.views = collectionViews
  collectionOptions.width = 320
  collectionOptions.height = 240
  collectionOptions.motion = motion
  let collector = try OrbitCollector(options: collectionOptions)
  for category in ObjectCategory.allCases {
    progress("collecting \(collectionScenes) \(category) scenes × \(collectionViews) views at 320×240, \(motion) motion …")
    let start = now()
    var row = CollectionRow(motion: motion.rawValue, category: "\(category)", viewsPerSecond: 0, tourRadians: 0, simulatedSeconds: 0,
                            retreats: 0, dropped: 0, displacementMetres: 0)
    for k in 0..<collectionScenes {
      let seed = UInt64(100 + k)
      let instance = category == .mug ? ObjectInstance.mug(seed: seed) : ObjectInstance.shoe(seed: seed)
      let scene = try collector.collect(instance, worldSeed: seed)
      if let report = scene.report {
        if report.status != .succeeded { progress("  scene \(k): \(report.statusMessage)") }
        row.tourRadians += report.tour.jointLengthRadians / Double(collectionScenes)
        row.simulatedSeconds += report.simulatedSeconds / Double(collectionScenes)
        row.retreats += report.tour.retreatCount
        row.dropped += report.tour.dropped.count
        row.displacementMetres = max(row.displacementMetres, report.objectDisplacementMetres)
      }
      try scene.write(toFolder: collectionFolder + "/\(category)-\(k)", layout: .sequence)
    }
    row.viewsPerSecond = Double(collectionScenes * collectionViews) / (now() - start)
    collectionRows.append(row)
    progress("  \(format(row.viewsPerSecond)) views/s")
  }
}
try? FileManager.default.removeItem(atPath: collectionFolder)

// MARK: Report

let date = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
let commit = ProcessInfo.processInfo.environment["OSPREY_COMMIT"] ?? "unknown"
let realTime = sim.timestepSeconds
var report = """
  # make bench-sim — \(date)

  - machine: \(machineDescription()); load average at start \(loadAtStart), at end \(loadAverage()) (other jobs may share the cores)
  - commit: \(commit); MuJoCo \(Simulation.mujocoVersion); GL: \(glDescription)
  - scene: OspreyWorld (7-DOF arm + gripper, table, mug rack, shoe rack, shelf, one box resting on the table): \
  \(sim.bodyCount) bodies, \(sim.geomCount) geoms, \(sim.velocityCount) dofs, \(sim.contacts.count) contacts, dt \(realTime) s
  - each figure: the best of \(rounds) windows of \(options.seconds / Double(rounds)) s (each after one warm-up repetition; \
  the step variants take turns window by window); release build

  ## Simulation steps

  | loop | steps/s | × real time |
  |---|---:|---:|

  """
for (name, value) in stepRows {
  report += "| \(name) | \(format(value)) | \(format(value * realTime)) |\n"
}
report += """

  ## Offscreen rendering (OSMesa llvmpipe, overview camera, shadows on, no MSAA)

  | size | outputs | frames/s | ms/frame | recipe, FINDINGS.md (other scene, idle machine) |
  |---|---|---:|---:|---:|

  """
for (size, name, fps) in renderRows {
  report += "| \(size) | \(name) | \(format(fps)) | \(String(format: "%.1f", 1000 / fps)) | \(recipe["\(size) \(name)"] ?? "-") |\n"
}
report += """

  ## Arm-and-mug scene

  \(mugScene); dt \(mugSim.timestepSeconds) s. Its steps/s are the last row of the step table.

  ## Collection (`osprey sim collect`), 320×240

  \(collectionScenes) scenes × \(collectionViews) views per category and motion, one run each (not best-of): scene load, \
  2 s of settling, viewpoint planning (IK + collision checks), the tour (segments checked at 0.02 rad), moving the \
  arm (physical: simulated minimum-jerk segments and 0.2 s holds; kinematic: joints set, 25 steps), RGB + depth + \
  segmentation, PNG + JSON writing, all included. Tour and simulated time: mean per scene; retreats and dropped \
  viewpoints: totals; object displacement: the largest.

  | motion | category | views/s | tour (rad) | simulated s | retreats | dropped | object moved (mm) |
  |---|---|---:|---:|---:|---:|---:|---:|

  """
for row in collectionRows {
  report += "| \(row.motion) | \(row.category) | \(format(row.viewsPerSecond)) | \(String(format: "%.1f", row.tourRadians)) | "
    + "\(String(format: "%.1f", row.simulatedSeconds)) | \(row.retreats) | \(row.dropped) | \(String(format: "%.4f", row.displacementMetres * 1000)) |\n"
}
print(report)
let output = options.output ?? "bench/results/sim-\(date).md"
do {
  try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  try report.write(toFile: output, atomically: true, encoding: .utf8)
  progress("wrote \(output)")
} catch {
  fail("cannot write \(output): \(error)")
}

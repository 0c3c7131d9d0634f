import ArgumentParser
import Foundation
import Objects
import Simulation

/// `osprey sim`: the simulated workcell — render a scene, collect orbiting wrist-camera views.
public struct SimCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "sim",
    abstract: "The simulated workcell (MuJoCo, offscreen OSMesa): render scenes, collect RGB-D views of objects.",
    discussion: "Folder layout and cameras.json: docs/formats/cameras.md. Exit status 0 when the command ran, 2 for bad input, 1 when collection fails.",
    subcommands: [SimRenderCommand.self, SimCollectCommand.self])

  public init() {}
}

/// A simulation failure that is not bad input (no reachable viewpoints, a MuJoCo or GL error). Exit status 1.
public struct SimFailure: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Image size options shared by the `sim` commands.
public struct SimImageArguments: ParsableArguments {
  @Option(help: ArgumentHelp("Image width in pixels (1…8192).", valueName: "pixels"))
  public var width: Int = 640

  @Option(help: ArgumentHelp("Image height in pixels (1…8192).", valueName: "pixels"))
  public var height: Int = 480

  public init() {}

  /// Checked in `run()` (not `validate()`) so that bad values give one line, not a usage block.
  public func check() throws(InputError) {
    guard (1...8192).contains(width) else { throw InputError("--width: must be in 1…8192, got \(width)") }
    guard (1...8192).contains(height) else { throw InputError("--height: must be in 1…8192, got \(height)") }
  }
}

/// `osprey sim render --scene mug-on-table --seed S -o DIR [--width W --height H] [--camera NAME]`.
public struct SimRenderCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Render one view of a scene: rgb.png, depth.png (16-bit mm), mask.png (the object), cameras.json, scene.json, object.obj/.json.",
    discussion: """
      Scenes: \(SimRun.scenes.joined(separator: ", ")). The object (drawn from the seed) is dropped upright at a \
      seeded place on the table and settles for 2 s with the arm at home. Cameras: object_view (default, 0.55 m from \
      the object), overview, wrist_camera. Files are written to a temporary folder and renamed into DIR.
      """)

  @Option(help: ArgumentHelp("The scene: \(SimRun.scenes.joined(separator: ", ")).", valueName: "name"))
  public var scene: String

  @Option(help: ArgumentHelp("Seed of the object instance and its placement.", valueName: "n"))
  public var seed: UInt64 = 0

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The output folder (created if missing).", valueName: "dir"))
  public var output: String

  @OptionGroup public var image: SimImageArguments

  @Option(help: ArgumentHelp("The camera: object_view, overview or wrist_camera.", valueName: "name"))
  public var camera: String = OspreyWorld.objectCamera

  @Flag(help: "Apply the default depth noise and dropout model.")
  public var depthNoise = false

  @Option(help: ArgumentHelp("How the object is coloured: plain (one colour) or glazed (a patterned glaze of its own).", valueName: "name"))
  public var appearance: String = SceneObject.Appearance.plain.rawValue

  @Option(help: ArgumentHelp("The scene's lights: sun-and-headlight (the sun and a light on the camera) or sun (the sun only: shading fixed to the world).", valueName: "name"))
  public var lighting: String = OspreyWorld.Lighting.sunAndHeadlight.rawValue

  public init() {}

  public func run() throws {
    let category = try SimRun.category(ofScene: scene)
    try image.check()
    guard SimRun.cameras.contains(camera) else {
      throw InputError("--camera: unknown camera \"\(camera)\" (known: \(SimRun.cameras.joined(separator: ", ")))")
    }
    let objectAppearance = try SimRun.appearance(appearance)
    let sceneLighting = try SimRun.lighting(lighting)
    try SimRun.prepareFolder(output)
    let instance = SimRun.instance(category, seed: seed)
    let started = DispatchTime.now().uptimeNanoseconds
    let rendered: CollectedScene
    do {
      rendered = try CollectedScene.render(instance, worldSeed: seed, camera: camera, width: image.width, height: image.height,
                                           depthNoise: depthNoise, appearance: objectAppearance, lighting: sceneLighting)
    } catch {
      throw SimFailure(message: "render: \(error.description)")
    }
    try SimRun.write(rendered, to: output, layout: .single)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let onMask = rendered.views[0].mask.pixels.filter { $0 != 0 }.count
    printError("render  \(scene) seed \(seed): \(instance.name) at \(SimRun.text(rendered.X_WO.translation)), \(image.width)×\(image.height) from \(camera), \(onMask) object pixels, \(Formatting.duration(seconds: seconds)) → \(output)")
  }
}

/// `osprey sim collect --category mug|shoe --instances K --views N --seed S -o DIR`.
public struct SimCollectCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "collect",
    abstract: "Collect orbiting wrist-camera RGB-D views of K object instances: DIR/scene-NNNNNN/ per instance.",
    discussion: """
      Instance k (from 0) is the object drawn from seed S + k, placed from the same seed. The wrist camera orbits \
      it at 0.35–0.6 m, 25–70° above the table, looking at its centre, upright (inverse kinematics for the camera frame, \
      collision-checked); the arm moves along a collision-checked joint-space tour of the viewpoints, physically \
      simulated (minimum-jerk segments tracked by a joint impedance controller), or with --kinematic is placed \
      at each viewpoint. A scene whose object moved more than 5 mm or was touched by the arm fails (exit 1, \
      not written). Each scene folder is written under a temporary name and renamed when complete. One \
      progress line per view on standard error, with rate and ETA.
      """)

  @Option(help: ArgumentHelp("The object category: mug or shoe.", valueName: "name"))
  public var category: String

  @Option(help: ArgumentHelp("Number of instances (scenes), ≥ 1.", valueName: "k"))
  public var instances: Int = 1

  @Option(help: ArgumentHelp("Views per scene, ≥ 1.", valueName: "n"))
  public var views: Int = 12

  @Option(help: ArgumentHelp("First seed: instance k uses seed S + k.", valueName: "s"))
  public var seed: UInt64 = 0

  @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The output folder (created if missing).", valueName: "dir"))
  public var output: String

  @OptionGroup public var image: SimImageArguments

  @Flag(help: "Apply the default depth noise and dropout model (seeded by the scene's seed).")
  public var depthNoise = false

  @Option(help: ArgumentHelp("How the objects are coloured: plain (one colour) or glazed (each instance a patterned glaze of its own, seeded by its seed).", valueName: "name"))
  public var appearance: String = SceneObject.Appearance.plain.rawValue

  @Option(help: ArgumentHelp("The scenes' lights: sun (the sun only: shading fixed to the world) or sun-and-headlight (also a light on the camera, as `render` has by default).", valueName: "name"))
  public var lighting: String = OspreyWorld.Lighting.sun.rawValue

  @Flag(help: "Place the arm at each viewpoint (joints set) instead of simulating its motion along the tour: faster, no path between views.")
  public var kinematic = false

  public init() {}

  public func run() throws {
    let objectCategory: ObjectCategory = try SimRun.choice(category, option: "--category", noun: "category")
    guard instances >= 1 else { throw InputError("--instances: must be ≥ 1, got \(instances)") }
    guard views >= 1 else { throw InputError("--views: must be ≥ 1, got \(views)") }
    try image.check()
    let objectAppearance = try SimRun.appearance(appearance)
    let sceneLighting = try SimRun.lighting(lighting)
    try SimRun.prepareFolder(output)
    var options = CollectionOptions()
    options.views = views
    options.width = image.width
    options.height = image.height
    options.depthNoise = depthNoise
    options.appearance = objectAppearance
    options.lighting = sceneLighting
    options.motion = kinematic ? .kinematic : .physical
    let collector: OrbitCollector
    do {
      collector = try OrbitCollector(options: options)
    } catch {
      throw InputError(error.description)
    }
    let started = DispatchTime.now().uptimeNanoseconds
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    let total = instances * views
    for k in 0..<instances {
      let instanceSeed = seed &+ UInt64(k)
      let instance = SimRun.instance(objectCategory, seed: instanceSeed)
      let scene: CollectedScene
      do {
        scene = try collector.collect(instance, worldSeed: instanceSeed) { done, _ in
          printError(SimRun.progressLine(scene: k, scenes: instances, view: done, views: views, done: k * views + done, total: total, seconds: elapsed()))
        }
      } catch {
        throw SimFailure(message: "scene \(k) (\(instance.name)): \(error.description)")
      }
      if let report = scene.report, report.status != .succeeded {
        throw SimFailure(message: "scene \(k) (\(instance.name)): \(report.statusMessage); not written")
      }
      try SimRun.write(scene, to: (output as NSString).appendingPathComponent(String(format: "scene-%06d", k)), layout: .sequence)
    }
    let seconds = elapsed()
    printError("collect  \(instances) scenes × \(views) views of \(category) at \(image.width)×\(image.height), \(options.motion.rawValue) motion, in \(Formatting.duration(seconds: seconds)) (\(String(format: "%.3g", Double(total) / seconds)) views/s) → \(output)")
  }
}

/// Shared pieces of the `sim` commands.
public enum SimRun {
  /// The scenes `sim render` knows.
  public static let scenes = ["mug-on-table", "shoe-on-table"]
  /// The cameras `sim render` can use.
  public static let cameras = [OspreyWorld.objectCamera, OspreyWorld.overviewCamera, OspreyWorld.wristCamera]

  /// The object category of a scene name; `InputError` naming `--scene` for an unknown one.
  public static func category(ofScene name: String) throws(InputError) -> ObjectCategory {
    switch name {
    case "mug-on-table": return .mug
    case "shoe-on-table": return .shoe
    default: throw InputError("--scene: unknown scene \"\(name)\" (known: \(scenes.joined(separator: ", ")))")
    }
  }

  /// The case of `E` whose raw value is `name`, given to `option`; otherwise `InputError`
  /// "OPTION: unknown NOUN "NAME" (known: …)" listing every case.
  public static func choice<E: CaseIterable & RawRepresentable>(_ name: String, option: String, noun: String) throws(InputError) -> E
  where E.RawValue == String {
    guard let value = E(rawValue: name) else {
      throw InputError("\(option): unknown \(noun) \"\(name)\" (known: \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return value
  }

  /// The lighting named by `--lighting`; `InputError` naming the option otherwise.
  public static func lighting(_ name: String) throws(InputError) -> OspreyWorld.Lighting {
    try choice(name, option: "--lighting", noun: "lighting")
  }

  /// The appearance named by `--appearance`; `InputError` naming the option otherwise.
  public static func appearance(_ name: String) throws(InputError) -> SceneObject.Appearance {
    try choice(name, option: "--appearance", noun: "appearance")
  }

  /// The instance of `category` drawn from `seed`.
  public static func instance(_ category: ObjectCategory, seed: UInt64) -> ObjectInstance {
    switch category {
    case .mug: return .mug(seed: seed)
    case .shoe: return .shoe(seed: seed)
    }
  }

  /// Creates `folder` if missing and checks that it can be written (a probe file is made and removed),
  /// before any simulation runs; `InputError` naming the folder otherwise.
  public static func prepareFolder(_ folder: String) throws(InputError) {
    let fileManager = FileManager.default
    var isDirectory: ObjCBool = false
    if fileManager.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw InputError("\(folder): cannot write: not a folder") }
    } else {
      // mkdir(2) along the path, so the message is the system's reason ("Not a directory", …).
      var path = folder.hasPrefix("/") ? "" : "."
      for component in folder.split(separator: "/") {
        path += "/" + component
        if mkdir(path, 0o777) != 0 && errno != EEXIST {
          throw InputError("\(folder): cannot write: cannot create \(path): \(String(cString: strerror(errno)))")
        }
      }
    }
    let probe = (folder as NSString).appendingPathComponent(".osprey-probe-\(getpid())")
    guard fileManager.createFile(atPath: probe, contents: Data()) else {
      throw InputError("\(folder): cannot write: permission denied or read-only")
    }
    try? fileManager.removeItem(atPath: probe)
  }

  /// Writes a scene; a write failure is bad input about the output location (`InputError`).
  static func write(_ scene: CollectedScene, to folder: String, layout: SceneFolderLayout) throws(InputError) {
    do {
      try scene.write(toFolder: folder, layout: layout)
    } catch {
      throw InputError("\(error.context): \(error.message)")
    }
  }

  /// `scene 1/2 view 3/12 (15/24): 4.12 views/s, ETA 2.18 s`.
  public static func progressLine(scene: Int, scenes: Int, view: Int, views: Int, done: Int, total: Int, seconds: Double) -> String {
    let rate = seconds > 0 ? Double(done) / seconds : 0
    let left = rate > 0 ? Double(total - done) / rate : .nan
    return "scene \(scene + 1)/\(scenes) view \(view)/\(views) (\(done)/\(total)): \(String(format: "%.3g", rate)) views/s, ETA \(Formatting.duration(seconds: left))"
  }

  static func text(_ p: SIMD3<Double>) -> String { String(format: "[%.3f, %.3f, %.3f]", p.x, p.y, p.z) }
}

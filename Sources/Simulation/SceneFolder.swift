import Foundation
import Geometry
import Imaging
import Objects

/// How a scene's views are named inside its folder (docs/formats/cameras.md).
public enum SceneFolderLayout: Sendable, Equatable {
  /// `rgb/NNNNNN.png`, `depth/NNNNNN.png`, `mask/NNNNNN.png` (what `osprey sim collect` writes).
  case sequence
  /// `rgb.png`, `depth.png`, `mask.png` for a single view (what `osprey sim render` writes).
  case single

  /// The relative paths of view `index`: (rgb, depth, mask).
  public func paths(ofView index: Int) -> (rgb: String, depth: String, mask: String) {
    switch self {
    case .sequence:
      let n = String(format: "%06d", index)
      return ("rgb/\(n).png", "depth/\(n).png", "mask/\(n).png")
    case .single:
      return ("rgb.png", "depth.png", "mask.png")
    }
  }
}

extension CollectedScene {
  /// `cameras.json`: `osprey.cameras` version 1 (docs/formats/cameras.md).
  public func camerasJSON(layout: SceneFolderLayout) -> String {
    let k = intrinsics
    var lines = ["{\"format\": \"osprey.cameras\", \"version\": 1,"]
    lines.append(" \"intrinsics\": {\"width\": \(k.width), \"height\": \(k.height), \"fx\": \(json(k.fx)), \"fy\": \(json(k.fy)), \"cx\": \(json(k.cx)), \"cy\": \(json(k.cy))},")
    lines.append(" \"frames\": [")
    for (i, view) in views.enumerated() {
      let p = layout.paths(ofView: i)
      let pose = view.X_WC.rowMajor4x4.map(json).joined(separator: ", ")
      lines.append("  {\"rgb\": \"\(p.rgb)\", \"depth\": \"\(p.depth)\", \"mask\": \"\(p.mask)\", \"X_WC\": [\(pose)]}" + (i + 1 < views.count ? "," : ""))
    }
    lines.append(" ]}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `scene.json`: `osprey.scene` version 1, the ground truth for evaluation (docs/formats/cameras.md).
  public func sceneJSON() -> String {
    let instance = object.instance
    func vector(_ p: SIMD3<Double>) -> String { "[\(json(p.x)), \(json(p.y)), \(json(p.z))]" }
    var lines = ["{\"format\": \"osprey.scene\", \"version\": 1,"]
    lines.append(" \"category\": \"\(instance.category.rawValue)\", \"instance_seed\": \(instance.seed), \"world_seed\": \(worldSeed),")
    lines.append(" \"units\": \"m\", \"table_top_height\": \(json(OspreyWorld.tableTopHeightMetres)),")
    lines.append(" \"object\": {\"name\": \"\(instance.name)\", \"mesh\": \"object.obj\", \"sidecar\": \"object.json\", \"appearance\": \"\(object.appearance.rawValue)\",")
    lines.append("  \"X_WO\": [\(X_WO.rowMajor4x4.map(json).joined(separator: ", "))],")
    lines.append("  \"X_WO_dropped\": [\(object.X_WO.rowMajor4x4.map(json).joined(separator: ", "))],")
    lines.append("  \"motion_during_collection\": \(json(objectMotionMetres)),")
    let keypoints = object.worldKeypoints(at: X_WO).map { "\"\($0.name)\": \(vector($0.position))" }.joined(separator: ", ")
    lines.append("  \"keypoints_world\": {\(keypoints)},")
    let keypointsObject = instance.keypoints.map { "\"\($0.name)\": \(vector($0.position))" }.joined(separator: ", ")
    lines.append("  \"keypoints_object\": {\(keypointsObject)},")
    let parameters = instance.parameters.map { "\"\($0.name)\": \(json($0.value))" }.joined(separator: ", ")
    lines.append("  \"parameters\": {\(parameters)},")
    lines.append("  \"mass\": \(json(instance.massProperties.mass)), \"density\": \(json(instance.density))},")
    let joints = views.map { "[" + $0.q.map(json).joined(separator: ", ") + "]" }.joined(separator: ", ")
    if let report {
      lines.append(" \"camera\": \"\(cameraName)\", \"depth_noise\": \(depthNoise), \"lighting\": \"\(lighting.rawValue)\", \"arm_joint_angles\": [\(joints)],")
      let tour = report.tour
      let dropped = tour.dropped.map {
        "{\"eye\": \(vector($0.eye)), \"azimuth_deg\": \(json($0.azimuthDegrees)), \"reason\": \"\(jsonEscaped($0.reason))\"}"
      }.joined(separator: ", ")
      lines.append(" \"collection\": {\"status\": \"\(report.status.rawValue)\", \"motion\": \"\(report.motion.rawValue)\",")
      lines.append("  \"candidates\": \(report.candidatesDrawn), \"candidates_feasible\": \(report.candidatesFeasible),")
      lines.append("  \"tour_joint_length_rad\": \(json(tour.jointLengthRadians)), \"waypoints\": \(tour.waypoints.count), \"retreats\": \(tour.retreatCount),")
      lines.append("  \"simulated_seconds\": \(json(report.simulatedSeconds)),")
      lines.append("  \"object_displacement\": \(json(report.objectDisplacementMetres)), \"object_displacement_limit\": \(json(report.objectDisplacementLimitMetres)),")
      lines.append("  \"arm_touched_object\": \(report.armTouchedObject),")
      lines.append("  \"dropped_viewpoints\": [\(dropped)]}}")
    } else {
      lines.append(" \"camera\": \"\(cameraName)\", \"depth_noise\": \(depthNoise), \"lighting\": \"\(lighting.rawValue)\", \"arm_joint_angles\": [\(joints)]}")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the scene into `folder`: the views' PNGs (paths from `layout`), `cameras.json`,
  /// `scene.json`, `object.obj` and `object.json` (the Objects export).
  ///
  /// Everything is written into a temporary folder next to `folder` first. With `.sequence` that
  /// folder is then renamed to `folder` (an existing `folder` is replaced); with `.single` each file
  /// is renamed into `folder` (created if missing; other files there are kept). A failure leaves
  /// no half-written folder or file.
  /// - Throws: `.writeFailed` naming the path.
  public func write(toFolder folder: String, layout: SceneFolderLayout) throws(SimulationError) {
    let fileManager = FileManager.default
    let url = URL(fileURLWithPath: folder).standardizedFileURL
    let parent = url.deletingLastPathComponent().path
    let temporary = (parent as NSString).appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    func failure(_ path: String, _ message: String) -> SimulationError {
      SimulationError(code: .writeFailed, context: path, message: message)
    }
    do {
      try fileManager.createDirectory(atPath: temporary, withIntermediateDirectories: false)
    } catch {
      throw failure(folder, "cannot write: \(error.localizedDescription)")
    }
    var done = false
    defer { if !done { try? fileManager.removeItem(atPath: temporary) } }
    var relativePaths: [String] = ["cameras.json", "scene.json", "object.obj", "object.json"]
    do {
      if layout == .sequence {
        for sub in ["rgb", "depth", "mask"] {
          try fileManager.createDirectory(atPath: temporary + "/" + sub, withIntermediateDirectories: false)
        }
      }
      for (i, view) in views.enumerated() {
        let p = layout.paths(ofView: i)
        try PNG.write(view.rgb, to: temporary + "/" + p.rgb)
        try PNG.write(view.depthMillimetres, to: temporary + "/" + p.depth)
        try PNG.write(view.mask, to: temporary + "/" + p.mask)
        relativePaths += [p.rgb, p.depth, p.mask]
      }
      try camerasJSON(layout: layout).write(toFile: temporary + "/cameras.json", atomically: true, encoding: .utf8)
      try sceneJSON().write(toFile: temporary + "/scene.json", atomically: true, encoding: .utf8)
      try object.instance.write(toFolder: temporary, name: "object")
    } catch {
      throw failure(folder, "cannot write: \(error)")
    }
    do {
      switch layout {
      case .sequence:
        if fileManager.fileExists(atPath: url.path) {
          let old = temporary + ".old"
          try fileManager.moveItem(atPath: url.path, toPath: old)
          try fileManager.moveItem(atPath: temporary, toPath: url.path)
          try? fileManager.removeItem(atPath: old)
        } else {
          try fileManager.moveItem(atPath: temporary, toPath: url.path)
        }
      case .single:
        try fileManager.createDirectory(atPath: url.path, withIntermediateDirectories: true)
        for path in relativePaths {
          let target = url.path + "/" + path
          // rename(2) replaces an existing file atomically.
          guard rename(temporary + "/" + path, target) == 0 else {
            throw failure(target, "cannot write: \(String(cString: strerror(errno)))")
          }
        }
        try? fileManager.removeItem(atPath: temporary)
      }
      done = true
    } catch let error as SimulationError {
      throw error
    } catch {
      throw failure(folder, "cannot write: \(error.localizedDescription)")
    }
  }
}

/// `text` with JSON's mandatory escapes (quote, backslash, control characters).
private func jsonEscaped(_ text: String) -> String {
  var out = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// A JSON number (finite) or null.
private func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

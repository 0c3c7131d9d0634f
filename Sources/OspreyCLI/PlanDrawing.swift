import ConvexSets
import Foundation
import GraphsOfConvexSets

/// SVG pictures of 2-D planning scenes (`osprey plan draw`), drawn with `GCSDrawing`'s shapes.
///
/// Elements: a `rect` of class `domain`; one element of class `obstacle` per obstacle and of class
/// `region` per region (`rect`, `polygon`, `ellipse` or `circle`, with `data-index`); a `polyline` of
/// class `trajectory`; `circle`s of class `start` and `goal`. The y axis points up; sets that reach out
/// of the domain (or are unbounded) are clipped to it.
public enum PlanDrawing {
  /// The SVG text of `scene`, with `regions` and `trajectory` when given.
  ///
  /// A scene with a planar arm is drawn in its workspace (obstacles, the arm at the start, the goal
  /// and along the trajectory, the path of its tip) and, for a 2-joint arm, also in configuration
  /// space (beside it: the configurations in collision on a grid, the regions, the trajectory).
  ///
  /// - Throws: `GCSDrawError` when the scene is not 2-D (a point robot's) or a set cannot be drawn.
  public static func svg(scene: PlanScene, regions: PlanRegions?, trajectory: PlanTrajectoryFile?) throws(GCSDrawError) -> String {
    if let arm = scene.robot {
      let workspace = try armPanel(scene: scene, arm: arm, trajectory: trajectory)
      var panels = [workspace]
      if scene.dimension == 2 { panels.append(try panel(scene: scene, regions: regions, trajectory: trajectory)) }
      return document(panels)
    }
    guard scene.dimension == 2 else {
      throw GCSDrawError("cannot draw: the scene is \(scene.dimension)-D; draw needs a 2-D scene or a planar arm")
    }
    return document([try panel(scene: scene, regions: regions, trajectory: trajectory)])
  }

  /// Panels side by side, 20 px apart, in one SVG document.
  static func document(_ panels: [(body: String, width: Double, height: Double)]) -> String {
    func f(_ x: Double) -> String { String(format: "%.2f", x) }
    let gap = 20.0
    let width = panels.reduce(0) { $0 + $1.width } + gap * Double(panels.count - 1)
    let height = panels.map(\.height).max() ?? 0
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))">
      <rect class="background" x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>

      """
    var x = 0.0
    for panel in panels {
      out += x == 0 ? panel.body : "<g transform=\"translate(\(f(x)) 0)\">\n" + panel.body + "</g>\n"
      x += panel.width + gap
    }
    return out + "</svg>\n"
  }

  /// The scene's domain with its obstacles (a point robot's) or, for an arm, its configurations in
  /// collision on a grid; the regions, the trajectory, the start and the goal.
  static func panel(
    scene: PlanScene, regions: PlanRegions?, trajectory: PlanTrajectoryFile?
  ) throws(GCSDrawError) -> (body: String, width: Double, height: Double) {
    let domain = GCSDrawing.Box(scene.domain.lb[0], scene.domain.lb[1], scene.domain.ub[0], scene.domain.ub[1])
    func shape(_ set: any ConvexSet, _ name: String) throws(GCSDrawError) -> GCSDrawing.Shape {
      let s = try GCSDrawing.planarShape(of: set, vertex: name)
      if case .halfPlanes(let planes) = s {
        // Clip to the domain (pointHalfPlanes-free: a box's four half-planes).
        return .polygon(GCSDrawing.clip(domain.corners, planes))
      }
      return s
    }
    let obstacleShapes: [GCSDrawing.Shape]
    if scene.robot != nil {
      obstacleShapes = collisionCells(scene, domain: domain)
    } else {
      obstacleShapes = try scene.obstacles.enumerated().map { (k, o) throws(GCSDrawError) in try shape(o, "obstacles[\(k)]") }
    }
    let regionShapes = try (regions?.regions ?? []).enumerated().map { (k, r) throws(GCSDrawError) in try shape(r, "regions[\(k)]") }
    var points: [[Double]] = trajectory?.samples.map(\.q) ?? []
    if points.isEmpty, let t = trajectory?.trajectory {
      points = t.samples(dt: t.duration / 200).map(\.position)
    }
    if let p = points.first(where: { $0.count != 2 }) {
      throw GCSDrawError("cannot draw: the trajectory has points of dimension \(p.count), expected 2")
    }

    let extent = max(domain.width, domain.height)
    let view = domain.padded(by: 0.04 * extent, 0.04 * extent)
    let scale = GCSDrawing.targetSizePixels / max(view.width, view.height)
    let width = view.width * scale
    let height = view.height * scale
    func px(_ p: [Double]) -> (Double, Double) { ((p[0] - view.minX) * scale, (view.maxY - p[1]) * scale) }
    func f(_ x: Double) -> String { String(format: "%.2f", x) }
    func element(_ shape: GCSDrawing.Shape, _ attributes: String) -> String {
      GCSDrawing.element(shape, attributes, view: view, scale: scale)
    }

    var out = element(.box(domain), "class=\"domain\" fill=\"#f7f7f7\" stroke=\"#333333\" stroke-width=\"2\"")
    out += "<g id=\"regions\" fill=\"#4f8fd6\" fill-opacity=\"0.18\" stroke=\"#2f6fb6\" stroke-opacity=\"0.6\" stroke-width=\"1\">\n"
    for (k, s) in regionShapes.enumerated() { out += element(s, "class=\"region\" data-index=\"\(k)\"") }
    out += scene.robot == nil
      ? "</g>\n<g id=\"obstacles\" fill=\"#3b3b3b\" stroke=\"#1b1b1b\" stroke-width=\"1\">\n"
      : "</g>\n<g id=\"obstacles\" fill=\"#3b3b3b\" stroke=\"none\">\n"
    for (k, s) in obstacleShapes.enumerated() { out += element(s, "class=\"obstacle\" data-index=\"\(k)\"") }
    out += "</g>\n"
    if !points.isEmpty {
      let list = points.map { let (x, y) = px($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
      out += "<g id=\"trajectory\">\n<polyline class=\"trajectory\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"3\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"\(list)\"/>\n</g>\n"
    }
    out += "<g id=\"terminals\" font-family=\"sans-serif\" font-size=\"14\">\n"
    for (p, kind, colour) in [(scene.start, "start", "#2ca02c"), (scene.goal, "goal", "#1f77b4")] {
      let (x, y) = px(p)
      out += "<circle class=\"\(kind)\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"7\" fill=\"\(colour)\" stroke=\"black\"/>\n"
      out += "<text x=\"\(f(x + 9))\" y=\"\(f(y - 9))\">\(GCSDrawing.xmlEscaped(kind))</text>\n"
    }
    out += "</g>\n"
    return (out, width, height)
  }

  /// The configurations in collision of a 2-joint arm's scene, as boxes: a 120 × 120 grid over the
  /// domain, cells tested at their centres, runs of colliding cells along a row merged into one box.
  static func collisionCells(_ scene: PlanScene, domain: GCSDrawing.Box) -> [GCSDrawing.Shape] {
    guard let checker = try? scene.collisionChecker() else { return [] }
    let n = 120
    let dx = domain.width / Double(n)
    let dy = domain.height / Double(n)
    var cells: [GCSDrawing.Shape] = []
    for j in 0..<n {
      var runStart: Int?
      for i in 0...n {
        let colliding = i < n && !checker.isFree([domain.minX + (Double(i) + 0.5) * dx, domain.minY + (Double(j) + 0.5) * dy])
        if colliding, runStart == nil { runStart = i }
        if !colliding, let start = runStart {
          let y0 = domain.minY + Double(j) * dy
          cells.append(.box(GCSDrawing.Box(domain.minX + Double(start) * dx, y0, domain.minX + Double(i) * dx, y0 + dy)))
          runStart = nil
        }
      }
    }
    return cells
  }

  /// A planar arm's workspace: its obstacles, the arm at the start (green) and the goal (blue), a
  /// dozen poses along the trajectory (red, fading in) and the path of its tip.
  static func armPanel(
    scene: PlanScene, arm: PlanarArm, trajectory: PlanTrajectoryFile?
  ) throws(GCSDrawError) -> (body: String, width: Double, height: Double) {
    let reach = arm.linkLengths.reduce(0, +) + arm.linkRadius
    var view = GCSDrawing.Box(arm.base[0] - reach, arm.base[1] - reach, arm.base[0] + reach, arm.base[1] + reach)
    var obstacleShapes: [GCSDrawing.Shape] = []
    for (k, o) in scene.obstacles.enumerated() {
      let s = try GCSDrawing.planarShape(of: o, vertex: "obstacles[\(k)]")
      if case .halfPlanes(let planes) = s {
        obstacleShapes.append(.polygon(GCSDrawing.clip(view.padded(by: reach, reach).corners, planes)))
      } else {
        obstacleShapes.append(s)
      }
    }
    for s in obstacleShapes {
      switch s {
      case .point(let p): view.formUnion(GCSDrawing.Box(p[0], p[1], p[0], p[1]))
      case .box(let b): view.formUnion(b)
      case .polygon(let vertices): for v in vertices { view.formUnion(GCSDrawing.Box(v[0], v[1], v[0], v[1])) }
      case .ellipse, .halfPlanes: break
      }
    }
    let extent = max(view.width, view.height)
    view = view.padded(by: 0.04 * extent, 0.04 * extent)
    let scale = GCSDrawing.targetSizePixels / max(view.width, view.height)
    func px(_ p: [Double]) -> (Double, Double) { ((p[0] - view.minX) * scale, (view.maxY - p[1]) * scale) }
    func f(_ x: Double) -> String { String(format: "%.2f", x) }
    var out = "<rect class=\"workspace\" x=\"0\" y=\"0\" width=\"\(f(view.width * scale))\" height=\"\(f(view.height * scale))\" fill=\"#f7f7f7\" stroke=\"#333333\" stroke-width=\"2\"/>\n"
    out += "<g id=\"obstacles\" fill=\"#3b3b3b\" stroke=\"#1b1b1b\" stroke-width=\"1\">\n"
    for (k, s) in obstacleShapes.enumerated() {
      out += GCSDrawing.element(s, "class=\"obstacle\" data-index=\"\(k)\"", view: view, scale: scale)
    }
    out += "</g>\n"
    let width = max(1, 2 * arm.linkRadius * scale)
    func pose(_ q: [Double], _ attributes: String) -> String {
      let list = arm.jointPositions(q).map { let (x, y) = px($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
      return "<polyline \(attributes) points=\"\(list)\" fill=\"none\" stroke-width=\"\(f(width))\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\n"
    }
    let samples = trajectory?.samples.map(\.q) ?? []
    if let bad = samples.first(where: { $0.count != arm.jointCount }) {
      throw GCSDrawError("cannot draw: the trajectory has configurations of dimension \(bad.count), expected \(arm.jointCount) (the arm's joints)")
    }
    if samples.count > 1 {
      out += "<g id=\"poses\" stroke=\"#d62728\">\n"
      let count = min(12, samples.count - 1)
      for k in 1..<count {
        let q = samples[k * (samples.count - 1) / count]
        out += pose(q, "class=\"pose\" stroke-opacity=\"\(f(0.15 + 0.35 * Double(k) / Double(count)))\"")
      }
      let tip = samples.map { let (x, y) = px(arm.jointPositions($0).last!); return "\(f(x)),\(f(y))" }.joined(separator: " ")
      out += "<polyline class=\"tip-path\" points=\"\(tip)\" fill=\"none\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n</g>\n"
    }
    out += pose(scene.start, "class=\"start\" stroke=\"#2ca02c\" stroke-opacity=\"0.9\"")
    out += pose(scene.goal, "class=\"goal\" stroke=\"#1f77b4\" stroke-opacity=\"0.9\"")
    let (bx, by) = px(arm.base)
    out += "<circle class=\"base\" cx=\"\(f(bx))\" cy=\"\(f(by))\" r=\"6\" fill=\"black\"/>\n"
    return (out, view.width * scale, view.height * scale)
  }
}

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
  /// - Throws: `GCSDrawError` when the scene is not 2-D or a set cannot be drawn.
  public static func svg(scene: PlanScene, regions: PlanRegions?, trajectory: PlanTrajectoryFile?) throws(GCSDrawError) -> String {
    guard scene.dimension == 2 else {
      throw GCSDrawError("cannot draw: the scene is \(scene.dimension)-D; draw needs a 2-D scene")
    }
    let domain = GCSDrawing.Box(scene.domain.lb[0], scene.domain.lb[1], scene.domain.ub[0], scene.domain.ub[1])
    func shape(_ set: any ConvexSet, _ name: String) throws(GCSDrawError) -> GCSDrawing.Shape {
      let s = try GCSDrawing.planarShape(of: set, vertex: name)
      if case .halfPlanes(let planes) = s {
        // Clip to the domain (pointHalfPlanes-free: a box's four half-planes).
        return .polygon(GCSDrawing.clip(domain.corners, planes))
      }
      return s
    }
    let obstacleShapes = try scene.obstacles.enumerated().map { (k, o) throws(GCSDrawError) in try shape(o, "obstacles[\(k)]") }
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
      switch shape {
      case .point(let p):
        let (x, y) = px(p)
        return "<circle \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\"/>\n"
      case .box(let b):
        let (x, y) = px([b.minX, b.maxY])
        return "<rect \(attributes) x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(b.width * scale))\" height=\"\(f(b.height * scale))\"/>\n"
      case .polygon(let vertices):
        let list = vertices.map { let (x, y) = px($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
        return "<polygon \(attributes) points=\"\(list)\"/>\n"
      case .ellipse(let center, let radii, let angle):
        let (x, y) = px(center)
        return "<ellipse \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" rx=\"\(f(radii[0] * scale))\" ry=\"\(f(radii[1] * scale))\" transform=\"rotate(\(f(-angle * 180 / .pi)) \(f(x)) \(f(y)))\"/>\n"
      case .halfPlanes:
        preconditionFailure("PlanDrawing: half-planes left unclipped")
      }
    }

    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))">
      <rect class="background" x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>

      """
    out += element(.box(domain), "class=\"domain\" fill=\"#f7f7f7\" stroke=\"#333333\" stroke-width=\"2\"")
    out += "<g id=\"regions\" fill=\"#4f8fd6\" fill-opacity=\"0.18\" stroke=\"#2f6fb6\" stroke-opacity=\"0.6\" stroke-width=\"1\">\n"
    for (k, s) in regionShapes.enumerated() { out += element(s, "class=\"region\" data-index=\"\(k)\"") }
    out += "</g>\n<g id=\"obstacles\" fill=\"#3b3b3b\" stroke=\"#1b1b1b\" stroke-width=\"1\">\n"
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
    out += "</g>\n</svg>\n"
    return out
  }
}

import Foundation
import Geometry

/// Flat-shaded SVG drawings of instances: one row per instance, three orthographic views per row
/// (front: looking along +y; top: looking down −z; oblique: azimuth 35°, elevation 25°). Faces are
/// culled when they face away, sorted far to near (painter's algorithm) and shaded by a directional
/// light; each part has its own colour. No raster library is needed.
public enum ObjectDrawing {
  /// A drawing view: unit vectors of the screen's right and up directions and the direction towards
  /// the viewer, in the object frame.
  struct View {
    let name: String
    let right: SIMD3<Double>
    let up: SIMD3<Double>
    let toward: SIMD3<Double>
  }

  static let views: [View] = {
    let azimuth = 35.0 * Double.pi / 180
    let elevation = 25.0 * Double.pi / 180
    let toward = SIMD3(sin(azimuth) * cos(elevation), -cos(azimuth) * cos(elevation), sin(elevation))
    let right = SIMD3(cos(azimuth), sin(azimuth), 0.0)
    let up = cross(toward, right)
    return [
      View(name: "front (x right, z up)", right: SIMD3(1, 0, 0), up: SIMD3(0, 0, 1), toward: SIMD3(0, -1, 0)),
      View(name: "top (x right, y up)", right: SIMD3(1, 0, 0), up: SIMD3(0, 1, 0), toward: SIMD3(0, 0, 1)),
      View(name: "oblique", right: right, up: up, toward: toward),
    ]
  }()

  static func colour(_ part: SurfacePart) -> SIMD3<Double> {
    switch part {
    case .outerWall, .outerBottom: return SIMD3(0.35, 0.55, 0.85)
    case .rim: return SIMD3(0.85, 0.88, 0.95)
    case .innerWall, .innerBottom: return SIMD3(0.92, 0.92, 0.88)
    case .handle, .handleTopEnd, .handleBottomEnd: return SIMD3(0.25, 0.42, 0.75)
    case .upper: return SIMD3(0.72, 0.36, 0.22)
    case .sole: return SIMD3(0.22, 0.22, 0.24)
    }
  }

  static func partLetter(_ part: SurfacePart) -> String {
    switch part {
    case .outerWall, .outerBottom: return "o"
    case .rim: return "r"
    case .innerWall, .innerBottom: return "i"
    case .handle, .handleTopEnd, .handleBottomEnd: return "h"
    case .upper: return "u"
    case .sole: return "s"
    }
  }

  /// The SVG text: `instances` in rows, three views each, at one scale for all.
  /// - Parameter cell: the side of each view's square cell in pixels.
  public static func svg(_ instances: [ObjectInstance], title: String, cell: Double = 220) -> String {
    let margin = 12.0
    let header = 28.0
    var extent = 1e-9
    for instance in instances {
      guard let box = instance.mesh.boundingBox else { continue }
      let centre = (box.lower + box.upper) / 2
      for p in instance.mesh.vertices { extent = max(extent, norm(p - centre)) }
    }
    let scale = (cell / 2 - margin) / extent
    let width = cell * Double(views.count)
    let height = header + cell * Double(instances.count)
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))">
      <rect width="100%" height="100%" fill="#ffffff"/>
      <text x="8" y="19" font-family="sans-serif" font-size="14">\(title)</text>

      """
    let light = normalize(SIMD3(-0.4, -0.8, 0.9))
    var classes: [String: String] = [:]
    for (row, instance) in instances.enumerated() {
      let box = instance.mesh.boundingBox ?? AxisAlignedBox(lower: .zero, upper: .zero)
      let centre = (box.lower + box.upper) / 2
      let shoe = instance.category == .shoe ? ShoeParameters(values: instance.parameters.map(\.value)) : nil
      for (column, view) in views.enumerated() {
        let cx = cell * (Double(column) + 0.5)
        let cy = header + cell * (Double(row) + 0.5)
        if row == 0 {
          out += "<text x=\"\(Int(cell * Double(column) + 8))\" y=\"\(Int(header + 12))\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#666\">\(view.name)</text>\n"
        }
        var polygons: [(depth: Double, text: String)] = []
        for f in instance.mesh.faces.indices {
          let face = instance.mesh.faces[f]
          let corners = [face.x, face.y, face.z].map { instance.mesh.vertices[$0] }
          let normal = cross(corners[1] - corners[0], corners[2] - corners[0])
          let area = norm(normal)
          guard area > 0, dot(normal, view.toward) > 0 else { continue }
          let n = normal / area
          // The view rotates with the light: light fixed relative to the viewer.
          let lightInObject = light.x * view.right + light.y * view.up + light.z * view.toward
          let shade = 0.35 + 0.65 * max(0, dot(n, lightInObject))
          let part = instance.faceParts[f]
          var base = colour(part)
          var letter = partLetter(part)
          // Shoes: the inside of the collar recess in a lining colour.
          if let shoe, part == .upper {
            let m = (corners[0] + corners[1] + corners[2]) / 3
            let v = (instance.vertexCoordinates[face.x].v + instance.vertexCoordinates[face.y].v + instance.vertexCoordinates[face.z].v) / 3
            if shoe.recessWeight(m.x / shoe.length + 0.5, v: v) > 0.3 {
              base = SIMD3(0.93, 0.86, 0.72)
              letter = "l"
            }
          }
          // A palette of 32 shades per part colour, as CSS classes (fill and a hairline stroke of the
          // same colour, which hides the seams between neighbouring triangles).
          let level = min(31, Int(shade * 32))
          let key = "\(letter)\(level)"
          if classes[key] == nil {
            let c = base * (Double(level) + 0.5) / 32
            classes[key] = String(format: "#%02x%02x%02x", Int(min(1, c.x) * 255), Int(min(1, c.y) * 255), Int(min(1, c.z) * 255))
          }
          let projected = corners.map { p -> SIMD2<Double> in
            let q = p - centre
            return SIMD2(cx + scale * dot(q, view.right), cy - scale * dot(q, view.up))
          }
          let e1 = projected[1] - projected[0]
          let e2 = projected[2] - projected[0]
          if abs(e1.x * e2.y - e1.y * e2.x) < 0.05 { continue }  // edge-on: under 0.025 px²
          var d = ""
          for (k, q) in projected.enumerated() {
            d += (k == 0 ? "M" : "L") + String(format: "%.0f %.0f", q.x, q.y)
          }
          let depth = corners.map { dot($0 - centre, view.toward) }.reduce(0, +) / 3
          polygons.append((depth, "<path class=\"\(key)\" d=\"\(d)Z\"/>\n"))
        }
        polygons.sort { $0.depth < $1.depth }
        for polygon in polygons { out += polygon.text }
      }
      out += "<text x=\"8\" y=\"\(Int(header + cell * Double(row + 1) - 6))\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#333\">"
        + "\(instance.name), \(String(format: "%.0f", instance.massProperties.mass * 1000)) g</text>\n"
    }
    out += "</svg>\n"
    let style = classes.keys.sorted().map { ".\($0){fill:\(classes[$0]!);stroke:\(classes[$0]!)}" }.joined()
    out = out.replacingOccurrences(
      of: "<rect width=", with: "<style>path{stroke-width:0.4}\(style)</style>\n<rect width=", options: [], range: out.range(of: "<rect width="))
    return out
  }
}

@inline(__always) func normalize(_ a: SIMD3<Double>) -> SIMD3<Double> { a / norm(a) }

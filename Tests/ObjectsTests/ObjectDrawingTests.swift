import Foundation
import Geometry
import Objects
import Testing

@Suite struct ObjectDrawingTests {
  /// The drawings in docs/images: three instances per category at a coarse resolution. Written to the
  /// repository when OSPREY_WRITE_DOCS_IMAGES=1, to a temporary folder otherwise; kept under 300 KB.
  @Test func drawingsOfEachCategoryStaySmall() throws {
    let mugs = [3, 11, 26].map { ObjectInstance.mug(seed: UInt64($0), resolution: MeshResolution(scale: 0.3)) }
    let shoes = [1, 5, 9].map { ObjectInstance.shoe(seed: UInt64($0), resolution: MeshResolution(scale: 0.35)) }
    let drawings = [
      ("objects-mugs.svg", ObjectDrawing.svg(mugs, title: "Osprey procedural mugs (seeds 3, 11, 26)")),
      ("objects-shoes.svg", ObjectDrawing.svg(shoes, title: "Osprey procedural shoes (seeds 1, 5, 9)")),
    ]
    let intoRepository = ProcessInfo.processInfo.environment["OSPREY_WRITE_DOCS_IMAGES"] == "1"
    let folder =
      intoRepository
      ? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/images").path
      : FileManager.default.temporaryDirectory.path
    for (name, text) in drawings {
      #expect(text.utf8.count <= 300_000, "\(name): \(text.utf8.count) bytes")
      #expect(text.hasPrefix("<svg") && text.hasSuffix("</svg>\n"))
      try writeFileAtomically(text, to: (folder as NSString).appendingPathComponent(name))
    }
  }
}

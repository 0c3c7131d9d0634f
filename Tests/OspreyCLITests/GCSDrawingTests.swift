import Foundation
import GraphsOfConvexSets
import Testing

@testable import OspreyCLI

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The elements of an SVG document, as Foundation's XMLParser reads them.
final class SVGElements: NSObject, XMLParserDelegate {
  struct Element {
    var name: String
    var attributes: [String: String]
  }
  var elements: [Element] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
    attributes attributeDict: [String: String] = [:]
  ) {
    elements.append(Element(name: elementName, attributes: attributeDict))
  }

  /// Parses `svg`; `nil` (with an issue recorded) when it is not well-formed XML.
  static func parse(_ svg: String) -> SVGElements? {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGElements()
    parser.delegate = collector
    guard parser.parse() else {
      Issue.record("SVG is not well-formed: \(String(describing: parser.parserError))")
      return nil
    }
    return collector
  }

  func ofClass(_ name: String) -> [Element] { elements.filter { $0.attributes["class"] == name } }
}

@Suite struct GCSDrawingTests {
  @Test func everySetKindIsOneWellFormedElement() throws {
    let problem = try GCSFile.parse(GCSCLIFixtures.everyKind2D)
    let svg = try GCSDrawing.svg(problem: problem, solution: nil)
    let parsed = try #require(SVGElements.parse(svg))
    #expect(parsed.elements.first?.name == "svg")
    let sets = parsed.ofClass("set")
    // One element per set; the segment vertex's two different boxes are two.
    var perVertex: [String: [String]] = [:]
    for e in sets { perVertex[e.attributes["data-vertex"] ?? "?", default: []].append(e.name) }
    #expect(perVertex["s"] == ["circle"] && perVertex["t"] == ["circle"])
    #expect(perVertex["box"] == ["rect"])
    #expect(perVertex["tri"] == ["polygon"] && perVertex["half"] == ["polygon"] && perVertex["hull"] == ["polygon"])
    #expect(perVertex["ell"] == ["ellipse"] && perVertex["cap"] == ["polygon"])
    #expect(perVertex["seg"] == ["rect", "rect"])
    #expect(sets.count == problem.graph.vertexCount + 1)
    #expect(parsed.ofClass("edge").count == problem.graph.edgeCount)
    #expect(parsed.ofClass("source").count == 1 && parsed.ofClass("target").count == 1)
    #expect(parsed.ofClass("path").isEmpty)
  }

  /// The triangle {x ≥ 3, y ≥ 0, x + y ≤ 5} has the corners (3, 0), (5, 0), (3, 2); the half-plane
  /// y ≤ −2 is drawn (clipped to the view) though it lies outside the bounded sets; y points up.
  @Test func polygonsAndTheYAxis() throws {
    let problem = try GCSFile.parse(GCSCLIFixtures.everyKind2D)
    let parsed = try #require(SVGElements.parse(try GCSDrawing.svg(problem: problem, solution: nil)))
    func points(_ vertex: String) -> [[Double]] {
      let e = parsed.ofClass("set").first { $0.attributes["data-vertex"] == vertex }
      return (e?.attributes["points"] ?? "").split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
    }
    #expect(points("tri").count == 3)
    #expect(points("half").count == 4)
    // The half-plane lies below (larger SVG y than) everything else.
    let lowestOther = points("tri").map { $0[1] }.max()!
    #expect(points("half").map { $0[1] }.min()! > lowestOther)
    let s = try #require(parsed.ofClass("source").first)
    let tri = points("tri")
    // (3, 2) is the triangle's top: the smallest SVG y of its corners; the source (y = 0) is below it.
    #expect(tri.map { $0[1] }.min()! < Double(s.attributes["cy"]!)!)
    // The pentagon's hull drops its interior point (5.6, 0.5).
    #expect(points("hull").count == 4)
  }

  @Test func pathIsAPolylineThroughTheSolutionPoints() throws {
    let problem = try GCSFile.parse(GCSCLIFixtures.everyKind2D)
    let solution = try GCSSolution.parse(GCSCLIFixtures.everyKind2DSolution)
    let parsed = try #require(SVGElements.parse(try GCSDrawing.svg(problem: problem, solution: solution)))
    let path = try #require(parsed.ofClass("path").first)
    #expect(path.name == "polyline")
    // 7 two-dimensional points and one segment (two points).
    #expect(path.attributes["points"]?.split(separator: " ").count == 9)
  }

  /// The reference maze: one rect per cell, a circle for s and t, and a wall wherever two cells share a
  /// side without an edge: 2·10·9 interior walls − 104 open ones = 76.
  @Test func referenceMazeHasItsWalls() throws {
    guard let folder = GCSCLIFixtures.benchmarkFolder else { return }
    for name in ["maze-10-s1.json", "maze-seg-10-s1.json"] {
      let problem = try GCSFile.read(path: folder + "/" + name)
      let parsed = try #require(SVGElements.parse(try GCSDrawing.svg(problem: problem, solution: nil)))
      #expect(parsed.ofClass("set").count == 102, "\(name)")
      #expect(parsed.ofClass("set").filter { $0.name == "rect" }.count == 100, "\(name)")
      #expect(parsed.ofClass("wall").count == 76, "\(name)")
      #expect(parsed.ofClass("edge").count == 106, "\(name)")  // s–c0_0, c9_9–t and 104 open walls
    }
  }

  @Test func fiftyByFiftyMazeIsLegible() throws {
    let problem = Maze(size: 50, seed: 3, knockdowns: 100).makeProblem()
    let parsed = try #require(SVGElements.parse(try GCSDrawing.svg(problem: problem, solution: nil)))
    let cell = try #require(parsed.ofClass("set").first { $0.attributes["data-vertex"] == "c0_0" })
    // At least 15 px per cell.
    #expect(Double(cell.attributes["width"]!)! >= 15)
    #expect(parsed.ofClass("set").count == 2502)
  }

  @Test func notTwoDimensionalIsAClearError() throws {
    let problem = try GCSFile.parse(GCSCLIFixtures.threeD)
    #expect(throws: GCSDrawError.self) { _ = try GCSDrawing.svg(problem: problem, solution: nil) }
    do {
      _ = try GCSDrawing.svg(problem: problem, solution: nil)
    } catch {
      #expect(error.message.hasPrefix("cannot draw: vertex \"s\" has a set of dimension 3"))
    }
  }

  @Test func unboundedEllipsoidIsAnError() throws {
    let text = GCSCLIFixtures.everyKind2D.replacingOccurrences(of: "\"A\": [[1.0, 0.8], [0, 2]]", with: "\"A\": [[1.0, 2.0]]")
    let problem = try GCSFile.parse(text)
    #expect(throws: GCSDrawError("cannot draw: vertex \"ell\" is an unbounded ellipsoid (its A has rank < 2)")) {
      _ = try GCSDrawing.svg(problem: problem, solution: nil)
    }
  }

  @Test func namesAreEscaped() throws {
    let text = GCSCLIFixtures.threeD.replacingOccurrences(of: "[0, 0, 0]", with: "[0, 0]").replacingOccurrences(of: "[1, 0, 0]", with: "[1, 0]")
      .replacingOccurrences(of: "\"s\"", with: "\"a<&>\\\"b\"")
    let problem = try GCSFile.parse(text)
    let parsed = try #require(SVGElements.parse(try GCSDrawing.svg(problem: problem, solution: nil)))
    #expect(parsed.ofClass("set").contains { $0.attributes["data-vertex"] == "a<&>\"b" })
  }

  @Test func hullAndClipping() {
    let hull = GCSDrawing.convexHull([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [1, 0], [0.5, 0]])
    #expect(hull == [[0, 0], [1, 0], [1, 1], [0, 1]])
    let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]
    let cut = GCSDrawing.clip(square, [GCSDrawing.HalfPlane(a: [1, 1], b: 2)])
    #expect(cut.count == 3 && cut.contains([0, 0]) && cut.contains([2, 0]) && cut.contains([0, 2]))
    #expect(GCSDrawing.clip(square, [GCSDrawing.HalfPlane(a: [1, 0], b: -1)]).isEmpty)
  }
}

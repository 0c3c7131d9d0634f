import Foundation
import Geometry
import Imaging
import Testing

@testable import OspreyCLI

/// Checks of a scene folder written by `osprey sim`.
enum SimFolderCheck {
  /// The PNG's bit depth from its IHDR chunk (byte 24 of the file).
  static func bitDepth(_ path: String) throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return Int(data[24])
  }

  static func json(_ path: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
  }

  /// Checks cameras.json against the contract, every frame's files (16-bit depth, non-empty mask), and
  /// that depth on the mask back-projects (intrinsics and X_WC from cameras.json) to within 2 mm
  /// (median over up to 40 pixels per frame) of object.obj placed at scene.json's X_WO.
  static func check(folder: String, frameCount: Int) throws {
    let cameras = try json(folder + "/cameras.json")
    #expect(Set(cameras.keys) == ["format", "version", "intrinsics", "frames"])
    #expect(cameras["format"] as? String == "osprey.cameras" && cameras["version"] as? Int == 1)
    let k = try #require(cameras["intrinsics"] as? [String: Any])
    #expect(Set(k.keys) == ["width", "height", "fx", "fy", "cx", "cy"])
    let K = CameraIntrinsics(width: try #require(k["width"] as? Int), height: try #require(k["height"] as? Int),
                             fx: try #require(k["fx"] as? Double), fy: try #require(k["fy"] as? Double),
                             cx: try #require(k["cx"] as? Double), cy: try #require(k["cy"] as? Double))
    let frames = try #require(cameras["frames"] as? [[String: Any]])
    #expect(frames.count == frameCount)
    let scene = try json(folder + "/scene.json")
    let object = try #require(scene["object"] as? [String: Any])
    let X_WO = try RigidTransform(rowMajor4x4: try #require(object["X_WO"] as? [Double]))
    let mesh_W = try TriangleMesh(objPath: folder + "/object.obj").transformed(by: X_WO)
    #expect(FileManager.default.fileExists(atPath: folder + "/object.json"))
    for frame in frames {
      #expect(Set(frame.keys) == ["rgb", "depth", "mask", "X_WC"])
      let rgbPath = folder + "/" + (try #require(frame["rgb"] as? String))
      let depthPath = folder + "/" + (try #require(frame["depth"] as? String))
      let maskPath = folder + "/" + (try #require(frame["mask"] as? String))
      let X_WC = try RigidTransform(rowMajor4x4: try #require(frame["X_WC"] as? [Double]))
      let rgb = try PNG.read8(rgbPath)
      #expect(rgb.width == K.width && rgb.height == K.height && rgb.channels == 3)
      #expect(try bitDepth(depthPath) == 16)
      let depth = try PNG.read16(depthPath)
      let mask = try PNG.read8(maskPath)
      let onMask = (0..<mask.pixels.count).filter { mask.pixels[$0] != 0 && depth.pixels[$0] > 0 }
      #expect(onMask.count > 20, "\(maskPath): \(onMask.count) mask pixels with depth")
      let stride = max(1, onMask.count / 40)
      let distances = Swift.stride(from: 0, to: onMask.count, by: stride).map { j -> Double in
        let i = onMask[j]
        let p_C = K.backProject(u: Double(i % K.width), v: Double(i / K.width), depth: Double(depth.pixels[i]) / 1000)
        return mesh_W.closestPoint(to: X_WC * p_C)!.distance
      }.sorted()
      // 2 mm: the brief's bound; millimetre rounding of the depth adds at most 0.5 mm along the ray.
      #expect(distances[distances.count / 2] < 2e-3, "\(depthPath): median \(distances[distances.count / 2]) m")
    }
  }
}

// The sim commands render with OpenGL (contexts bound to threads): serialized.
@Suite(.serialized) struct SimCommandTests {
  @Test func renderWritesOneViewWithCamerasJSON() throws {
    let folder = try Fixtures.temporaryFolder() + "/render"
    let status = OspreyCommand.execute(["sim", "render", "--scene", "mug-on-table", "--seed", "4", "-o", folder, "--width", "160", "--height", "120"])
    #expect(status == .success)
    for name in ["rgb.png", "depth.png", "mask.png", "cameras.json", "scene.json", "object.obj", "object.json"] {
      #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
    }
    try SimFolderCheck.check(folder: folder, frameCount: 1)
    // No temporary folder is left next to the output.
    let parent = (folder as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["render"])
  }

  @Test func collectWritesOneFolderPerInstance() throws {
    let folder = try Fixtures.temporaryFolder()
    let status = OspreyCommand.execute(["sim", "collect", "--category", "mug", "--instances", "2", "--views", "3", "--seed", "21",
                                        "-o", folder, "--width", "160", "--height", "120"])
    #expect(status == .success)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["scene-000000", "scene-000001"])
    for k in 0..<2 {
      let scene = folder + String(format: "/scene-%06d", k)
      try SimFolderCheck.check(folder: scene, frameCount: 3)
      let json = try SimFolderCheck.json(scene + "/scene.json")
      #expect(json["category"] as? String == "mug" && json["instance_seed"] as? Int == 21 + k)
      #expect((json["object"] as? [String: Any])?["keypoints_world"] as? [String: [Double]] != nil)
      let collection = try #require(json["collection"] as? [String: Any])
      #expect(collection["status"] as? String == "succeeded" && collection["motion"] as? String == "physical")
      #expect(json["lighting"] as? String == "sun")
    }
  }

  /// `--kinematic` keeps the teleporting mode, with the same output contract (here with a glazed
  /// shoe lit by the sun and the headlight, both of which `scene.json` records).
  @Test func collectKinematicWritesTheSameContract() throws {
    let folder = try Fixtures.temporaryFolder()
    let status = OspreyCommand.execute(["sim", "collect", "--category", "shoe", "--views", "2", "--seed", "3", "--kinematic",
                                        "--appearance", "glazed", "--lighting", "sun-and-headlight", "-o", folder, "--width", "64", "--height", "48"])
    #expect(status == .success)
    try SimFolderCheck.check(folder: folder + "/scene-000000", frameCount: 2)
    let json = try SimFolderCheck.json(folder + "/scene-000000/scene.json")
    #expect((json["collection"] as? [String: Any])?["motion"] as? String == "kinematic")
    #expect((json["object"] as? [String: Any])?["appearance"] as? String == "glazed")
    #expect(json["lighting"] as? String == "sun-and-headlight")
  }

  @Test func badInputIsOneLineAndStatus2() throws {
    let folder = try Fixtures.temporaryFolder()
    let file = try Fixtures.write("x", named: "file", in: folder)
    let cases: [([String], String)] = [
      (["sim", "render", "--scene", "teapot-on-table", "-o", folder + "/a"], "--scene: unknown scene \"teapot-on-table\""),
      (["sim", "render", "--scene", "mug-on-table", "--camera", "nope", "-o", folder + "/a"], "--camera: unknown camera \"nope\""),
      (["sim", "collect", "--category", "teapot", "-o", folder + "/b"], "--category: unknown category \"teapot\""),
      (["sim", "render", "--scene", "mug-on-table", "-o", file + "/sub"], "cannot write"),
      (["sim", "collect", "--category", "mug", "-o", file], "cannot write: not a folder"),
      (["sim", "collect", "--category", "mug", "--instances", "0", "-o", folder], "--instances: must be ≥ 1, got 0"),
      (["sim", "collect", "--category", "mug", "--views", "0", "-o", folder], "--views: must be ≥ 1, got 0"),
      (["sim", "collect", "--category", "mug", "--appearance", "shiny", "-o", folder + "/c"], "--appearance: unknown appearance \"shiny\" (known: plain, glazed)"),
      (["sim", "render", "--scene", "mug-on-table", "--appearance", "", "-o", folder + "/d"], "--appearance: unknown appearance \"\""),
      (["sim", "collect", "--category", "mug", "--lighting", "moon", "-o", folder + "/e"], "--lighting: unknown lighting \"moon\" (known: sun-and-headlight, sun)"),
      (["sim", "render", "--scene", "mug-on-table", "--width", "0", "-o", folder], "--width: must be in 1…8192, got 0"),
    ]
    for (arguments, expected) in cases {
      #expect(OspreyCommand.execute(arguments) == .badInput, "\(arguments)")
      do {
        var command = try OspreyCommand.parseAsRoot(arguments)
        try command.run()
        Issue.record("\(arguments) ran")
      } catch {
        let message = OspreyCommand.errorMessage(for: error)
        #expect(message.contains(expected) && !message.contains("\n"), "\(message)")
      }
    }
    // Nothing was written for the failed commands.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["file"])
  }
}

import Foundation
import Geometry
import Imaging
import Testing
@testable import Perception

struct SceneFolderTests {
  static let pose = "[1, 0, 0, 0.1, 0, 1, 0, 0.2, 0, 0, 1, 0.3, 0, 0, 0, 1]"

  /// A valid folder with one 4×3 frame; `edit` may change `cameras.json` and the files.
  func makeFolder(camerasJSON: String? = nil, depth: Image16? = Image16(width: 4, height: 3, channels: 1, repeating: 500),
                  mask: Image8? = Image8(width: 4, height: 3, channels: 1)) throws -> String {
    let folder = temporaryFolder("reader")
    for sub in ["rgb", "depth", "mask"] { try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true) }
    try PNG.write(Image8(width: 4, height: 3, channels: 3), to: folder + "/rgb/000000.png")
    if let depth { try PNG.write(depth, to: folder + "/depth/000000.png") }
    if let mask { try PNG.write(mask, to: folder + "/mask/000000.png") }
    let json = camerasJSON ?? """
      {"format": "osprey.cameras", "version": 1,
       "intrinsics": {"width": 4, "height": 3, "fx": 5, "fy": 5, "cx": 1.5, "cy": 1},
       "frames": [{"rgb": "rgb/000000.png", "depth": "depth/000000.png", "mask": "mask/000000.png", "X_WC": \(Self.pose)}]}
      """
    try json.write(toFile: folder + "/cameras.json", atomically: true, encoding: .utf8)
    return folder
  }

  func error(_ body: () throws -> Void) -> PerceptionError? {
    do { try body() } catch let e as PerceptionError { return e } catch { return nil }
    return nil
  }

  @Test func readsAValidFolder() throws {
    let folder = try SceneFolder(path: try makeFolder())
    #expect(folder.viewCount == 1)
    #expect(folder.cameras.intrinsics == CameraIntrinsics(width: 4, height: 3, fx: 5, fy: 5, cx: 1.5, cy: 1))
    #expect(folder.cameras.frames[0].X_WC.translation == SIMD3(0.1, 0.2, 0.3))
    let view = try folder.view(0)
    #expect(view.depthMillimetres.pixels.allSatisfy { $0 == 500 } && view.rgb.channels == 3 && view.mask.channels == 1)
  }

  @Test func missingFolder() {
    let e = error { _ = try SceneFolder(path: "/nonexistent/scene-000000") }
    #expect(e?.code == .missingFile && e?.description == "/nonexistent/scene-000000: no such scene folder")
  }

  @Test func missingCamerasJSON() throws {
    let path = try makeFolder()
    try FileManager.default.removeItem(atPath: path + "/cameras.json")
    let e = error { _ = try SceneFolder(path: path) }
    #expect(e?.code == .missingFile && e?.path == path + "/cameras.json")
  }

  @Test func badJSON() throws {
    let e = error { _ = try SceneFolder(path: try makeFolder(camerasJSON: "{\"format\": ")) }
    #expect(e?.code == .unreadable && e?.path.hasSuffix("cameras.json") == true)
  }

  @Test func wrongFormatVersionAndFields() throws {
    let wrongVersion = error { _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "osprey.cameras", "version": 2}"#)) }
    #expect(wrongVersion?.code == .invalidField && wrongVersion?.field == "version")
    let wrongFormat = error { _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "other", "version": 1}"#)) }
    #expect(wrongFormat?.field == "format")
    let noIntrinsics = error { _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "osprey.cameras", "version": 1, "frames": []}"#)) }
    #expect(noIntrinsics?.code == .missingField && noIntrinsics?.field == "intrinsics")
    let badFx = error {
      _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "osprey.cameras", "version": 1, "intrinsics": {"width": 4, "height": 3, "fx": "five", "fy": 5, "cx": 1, "cy": 1}, "frames": []}"#))
    }
    #expect(badFx?.code == .invalidField && badFx?.field == "intrinsics.fx")
    let badPose = error {
      _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "osprey.cameras", "version": 1, "intrinsics": {"width": 4, "height": 3, "fx": 5, "fy": 5, "cx": 1, "cy": 1}, "frames": [{"rgb": "a", "depth": "b", "mask": "c", "X_WC": [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]}]}"#))
    }
    #expect(badPose?.code == .invalidField && badPose?.field == "frames[0].X_WC")
    let missingPath = error {
      _ = try SceneFolder(path: try makeFolder(camerasJSON: #"{"format": "osprey.cameras", "version": 1, "intrinsics": {"width": 4, "height": 3, "fx": 5, "fy": 5, "cx": 1, "cy": 1}, "frames": [{"rgb": "a", "mask": "c", "X_WC": \#(Self.pose)}]}"#))
    }
    #expect(missingPath?.code == .missingField && missingPath?.field == "frames[0].depth")
  }

  @Test func missingPNG() throws {
    let folder = try SceneFolder(path: try makeFolder(depth: nil))
    let e = error { _ = try folder.depthMillimetres(ofView: 0) }
    #expect(e?.code == .missingFile && e?.field == "frames[0].depth" && e?.path.hasSuffix("depth/000000.png") == true)
  }

  @Test func wrongSizeAndBitDepth() throws {
    let small = try SceneFolder(path: try makeFolder(depth: Image16(width: 2, height: 3, channels: 1)))
    let size = error { _ = try small.depthMillimetres(ofView: 0) }
    #expect(size?.code == .imageMismatch && size?.message == "image is 2×3, intrinsics say 4×3")
    let eightBitDepth = try makeFolder()
    try PNG.write(Image8(width: 4, height: 3, channels: 1), to: eightBitDepth + "/depth/000000.png")
    let depth = error { _ = try SceneFolder(path: eightBitDepth).depthMillimetres(ofView: 0) }
    #expect(depth?.code == .imageMismatch && depth?.message == "depth must be a 16-bit PNG, found 8-bit")
    let rgbMask = try SceneFolder(path: try makeFolder(mask: Image8(width: 4, height: 3, channels: 3)))
    let mask = error { _ = try rgbMask.mask(ofView: 0) }
    #expect(mask?.code == .imageMismatch && mask?.field == "frames[0].mask")
    let corrupt = try makeFolder()
    try "not a png".write(toFile: corrupt + "/mask/000000.png", atomically: true, encoding: .utf8)
    let unreadable = error { _ = try SceneFolder(path: corrupt).mask(ofView: 0) }
    #expect(unreadable?.code == .unreadable)
  }

  /// Cameras on a circle all looking at one point: the least-squares look-at point is that point.
  @Test func lookAtPointOfAnOrbit() {
    let target = SIMD3(0.5, -0.2, 0.8)
    let frames = (0..<5).map { i -> CameraFrame in
      let a = Double(i) * 0.7
      return CameraFrame(rgbPath: "", depthPath: "", maskPath: "", X_WC: lookAt(eye: target + SIMD3(0.4 * cos(a), 0.4 * sin(a), 0.3), target: target))
    }
    let point = CameraSet(intrinsics: CameraIntrinsics(width: 4, height: 3, fx: 1, fy: 1, cx: 1, cy: 1), frames: frames).lookAtPoint!
    #expect(((point - target) * (point - target)).sum().squareRoot() < 1e-9)
  }
}

import Foundation
import Geometry
import Imaging

/// One frame of `cameras.json`: the relative paths of its images and the camera pose.
public struct CameraFrame: Sendable, Equatable {
  /// 8-bit RGB image, relative to the scene folder.
  public var rgbPath: String
  /// 16-bit depth image (millimetres, 0 = no depth), relative to the scene folder.
  public var depthPath: String
  /// 8-bit mask (non-zero on the object), relative to the scene folder.
  public var maskPath: String
  /// `X_WC`: world-from-camera pose, OpenCV camera axes (x right, y down, z forward).
  public var X_WC: RigidTransform

  /// A frame from its parts.
  public init(rgbPath: String, depthPath: String, maskPath: String, X_WC: RigidTransform) {
    self.rgbPath = rgbPath
    self.depthPath = depthPath
    self.maskPath = maskPath
    self.X_WC = X_WC
  }
}

/// The contents of `cameras.json` (`osprey.cameras`, version 1; docs/formats/cameras.md): shared
/// intrinsics and one pose per frame.
public struct CameraSet: Sendable, Equatable {
  /// The pinhole intrinsics every frame shares.
  public var intrinsics: CameraIntrinsics
  /// The frames in file order.
  public var frames: [CameraFrame]

  /// A camera set from its parts.
  public init(intrinsics: CameraIntrinsics, frames: [CameraFrame]) {
    self.intrinsics = intrinsics
    self.frames = frames
  }

  /// Parses `cameras.json` text; `path` is used in errors only.
  /// - Throws: `PerceptionError` naming `path` and the field: `.unreadable` (not JSON),
  ///   `.missingField`, `.invalidField` (wrong type, wrong `format`/`version`, non-positive size or
  ///   focal length, a pose that is not a rigid transform).
  public init(jsonData data: Data, path: String) throws(PerceptionError) {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw PerceptionError(code: .unreadable, path: path, message: "not valid JSON (\(error.localizedDescription))")
    }
    let reader = JSONFieldReader(path: path)
    let root = try reader.dictionary(object, field: "")
    let format = try reader.string(root, "format", in: "")
    guard format == "osprey.cameras" else {
      throw PerceptionError(code: .invalidField, path: path, field: "format", message: "expected \"osprey.cameras\", found \"\(format)\"")
    }
    let version = try reader.integer(root, "version", in: "")
    guard version == 1 else {
      throw PerceptionError(code: .invalidField, path: path, field: "version", message: "version \(version) is not supported (this reader knows 1)")
    }
    let k = try reader.dictionary(try reader.value(root, "intrinsics", in: ""), field: "intrinsics")
    let width = try reader.integer(k, "width", in: "intrinsics")
    let height = try reader.integer(k, "height", in: "intrinsics")
    guard width > 0, height > 0 else {
      throw PerceptionError(code: .invalidField, path: path, field: "intrinsics", message: "size \(width)×\(height) must be positive")
    }
    let fx = try reader.number(k, "fx", in: "intrinsics"), fy = try reader.number(k, "fy", in: "intrinsics")
    let cx = try reader.number(k, "cx", in: "intrinsics"), cy = try reader.number(k, "cy", in: "intrinsics")
    guard fx > 0, fy > 0 else {
      throw PerceptionError(code: .invalidField, path: path, field: "intrinsics", message: "focal lengths fx = \(fx), fy = \(fy) must be positive")
    }
    intrinsics = CameraIntrinsics(width: width, height: height, fx: fx, fy: fy, cx: cx, cy: cy)
    guard let list = try reader.value(root, "frames", in: "") as? [Any] else {
      throw PerceptionError(code: .invalidField, path: path, field: "frames", message: "expected an array")
    }
    var frames: [CameraFrame] = []
    for (i, item) in list.enumerated() {
      let field = "frames[\(i)]"
      let f = try reader.dictionary(item, field: field)
      let pose = try reader.numbers(f, "X_WC", in: field)
      let X_WC: RigidTransform
      do {
        X_WC = try RigidTransform(rowMajor4x4: pose, tolerance: 1e-6)
      } catch {
        throw PerceptionError(code: .invalidField, path: path, field: field + ".X_WC", message: "not a rigid transform: \(error)")
      }
      frames.append(CameraFrame(rgbPath: try reader.string(f, "rgb", in: field), depthPath: try reader.string(f, "depth", in: field),
                                maskPath: try reader.string(f, "mask", in: field), X_WC: X_WC))
    }
    self.frames = frames
  }

  /// Reads a `cameras.json` file.
  /// - Throws: `.missingFile` when it does not exist, otherwise as `init(jsonData:path:)`.
  public init(contentsOf path: String) throws(PerceptionError) {
    guard FileManager.default.fileExists(atPath: path) else {
      throw PerceptionError(code: .missingFile, path: path, message: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PerceptionError(code: .unreadable, path: path, message: "cannot read the file")
    }
    try self.init(jsonData: data, path: path)
  }

  /// The point nearest (least squares) to every frame's optical axis: where an orbit of views looks.
  ///
  /// ```
  /// minimise Σᵢ ‖(I − zᵢzᵢᵀ)(p − cᵢ)‖²   ⇒   (Σᵢ I − zᵢzᵢᵀ) p = Σᵢ (I − zᵢzᵢᵀ) cᵢ
  /// ```
  /// with `cᵢ` the camera centres and `zᵢ` their unit z axes. Nil with fewer than two frames or
  /// parallel axes. Uses only the camera poses (no ground truth), to centre a fusion volume.
  public var lookAtPoint: SIMD3<Double>? {
    guard frames.count >= 2 else { return nil }
    var a = [Double](repeating: 0, count: 9), b = SIMD3<Double>.zero
    for frame in frames {
      let z = frame.X_WC.rotation.column(2), c = frame.X_WC.translation
      for r in 0..<3 {
        for s in 0..<3 {
          let m = (r == s ? 1 : 0) - z[r] * z[s]
          a[3 * r + s] += m
          b[r] += m * c[s]
        }
      }
    }
    return solve3x3(a, b)
  }
}

/// The images of one frame, checked against the intrinsics.
public struct SceneView: Sendable {
  /// 8-bit RGB.
  public var rgb: Image8
  /// 16-bit depth in millimetres along the camera's z axis (0 = no depth).
  public var depthMillimetres: Image16
  /// 8-bit mask, non-zero on the object (the simulator's; evaluation and comparison only).
  public var mask: Image8
  /// World-from-camera pose.
  public var X_WC: RigidTransform
}

/// A scene folder as `osprey sim collect` writes it (docs/formats/cameras.md): `cameras.json`, the
/// views' PNGs, and the ground truth `scene.json` + `object.obj` (evaluation only).
///
/// Construction reads and checks `cameras.json`; images are read per view on demand and checked
/// for existence, bit depth, channel count and size.
public struct SceneFolder: Sendable {
  /// The folder.
  public let path: String
  /// Its `cameras.json`.
  public let cameras: CameraSet

  /// Opens a scene folder.
  /// - Throws: `.missingFile` for a missing folder or `cameras.json`; parse errors of `CameraSet`.
  public init(path: String) throws(PerceptionError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw PerceptionError(code: .missingFile, path: path, message: "no such scene folder")
    }
    self.path = path
    cameras = try CameraSet(contentsOf: (path as NSString).appendingPathComponent("cameras.json"))
  }

  /// The number of views.
  public var viewCount: Int { cameras.frames.count }

  /// The absolute path of a file named relative to the folder.
  public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

  /// View `index`'s depth image (16-bit, one channel, the intrinsics' size).
  /// - Throws: `.missingFile`, `.unreadable`, `.imageMismatch` naming the PNG and `frames[index].depth`.
  public func depthMillimetres(ofView index: Int) throws(PerceptionError) -> Image16 {
    precondition(cameras.frames.indices.contains(index), "SceneFolder: view \(index) outside 0..<\(viewCount)")
    let field = "frames[\(index)].depth"
    let decoded = try readPNG(cameras.frames[index].depthPath, field: field)
    guard case .sixteen(let image) = decoded else {
      throw PerceptionError(code: .imageMismatch, path: file(cameras.frames[index].depthPath), field: field,
                            message: "depth must be a 16-bit PNG, found 8-bit")
    }
    try check(image.width, image.height, image.channels, expectedChannels: [1], relative: cameras.frames[index].depthPath, field: field)
    return image
  }

  /// View `index`'s RGB image (8-bit, three channels; RGBA is accepted and its alpha dropped).
  public func rgb(ofView index: Int) throws(PerceptionError) -> Image8 {
    precondition(cameras.frames.indices.contains(index), "SceneFolder: view \(index) outside 0..<\(viewCount)")
    let image = try eightBit(cameras.frames[index].rgbPath, field: "frames[\(index)].rgb", channels: [3, 4])
    guard image.channels == 4 else { return image }
    var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
    for i in 0..<(image.width * image.height) { for c in 0..<3 { rgb[3 * i + c] = image.pixels[4 * i + c] } }
    return Image8(width: image.width, height: image.height, channels: 3, pixels: rgb)
  }

  /// View `index`'s mask (8-bit, one channel).
  public func mask(ofView index: Int) throws(PerceptionError) -> Image8 {
    precondition(cameras.frames.indices.contains(index), "SceneFolder: view \(index) outside 0..<\(viewCount)")
    return try eightBit(cameras.frames[index].maskPath, field: "frames[\(index)].mask", channels: [1])
  }

  /// Every image of view `index` and its pose.
  public func view(_ index: Int) throws(PerceptionError) -> SceneView {
    SceneView(rgb: try rgb(ofView: index), depthMillimetres: try depthMillimetres(ofView: index),
              mask: try mask(ofView: index), X_WC: cameras.frames[index].X_WC)
  }

  private func eightBit(_ relative: String, field: String, channels: Set<Int>) throws(PerceptionError) -> Image8 {
    guard case .eight(let image) = try readPNG(relative, field: field) else {
      throw PerceptionError(code: .imageMismatch, path: file(relative), field: field, message: "expected an 8-bit PNG, found 16-bit")
    }
    try check(image.width, image.height, image.channels, expectedChannels: channels, relative: relative, field: field)
    return image
  }

  private func readPNG(_ relative: String, field: String) throws(PerceptionError) -> PNG.Decoded {
    let full = file(relative)
    guard FileManager.default.fileExists(atPath: full) else {
      throw PerceptionError(code: .missingFile, path: full, field: field, message: "no such image")
    }
    do {
      return try PNG.read(full)
    } catch {
      throw PerceptionError(code: .unreadable, path: full, field: field, message: error.message)
    }
  }

  private func check(_ width: Int, _ height: Int, _ channels: Int, expectedChannels: Set<Int>, relative: String, field: String) throws(PerceptionError) {
    let k = cameras.intrinsics
    guard width == k.width, height == k.height else {
      throw PerceptionError(code: .imageMismatch, path: file(relative), field: field,
                            message: "image is \(width)×\(height), intrinsics say \(k.width)×\(k.height)")
    }
    guard expectedChannels.contains(channels) else {
      throw PerceptionError(code: .imageMismatch, path: file(relative), field: field,
                            message: "image has \(channels) channels, expected \(expectedChannels.sorted().map(String.init).joined(separator: " or "))")
    }
  }
}

/// Typed access to JSONSerialization's output, with errors naming the file and field.
struct JSONFieldReader {
  let path: String

  func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }

  func dictionary(_ value: Any, field: String) throws(PerceptionError) -> [String: Any] {
    guard let d = value as? [String: Any] else {
      throw PerceptionError(code: .invalidField, path: path, field: field.isEmpty ? "(top level)" : field, message: "expected an object")
    }
    return d
  }

  func value(_ d: [String: Any], _ key: String, in parent: String) throws(PerceptionError) -> Any {
    guard let v = d[key], !(v is NSNull) else {
      throw PerceptionError(code: .missingField, path: path, field: join(parent, key), message: "missing")
    }
    return v
  }

  func string(_ d: [String: Any], _ key: String, in parent: String) throws(PerceptionError) -> String {
    guard let s = try value(d, key, in: parent) as? String else {
      throw PerceptionError(code: .invalidField, path: path, field: join(parent, key), message: "expected a string")
    }
    return s
  }

  func number(_ d: [String: Any], _ key: String, in parent: String) throws(PerceptionError) -> Double {
    let v = try value(d, key, in: parent)
    guard !isBoolean(v), let n = v as? NSNumber, n.doubleValue.isFinite else {
      throw PerceptionError(code: .invalidField, path: path, field: join(parent, key), message: "expected a finite number")
    }
    return n.doubleValue
  }

  func integer(_ d: [String: Any], _ key: String, in parent: String) throws(PerceptionError) -> Int {
    let x = try number(d, key, in: parent)
    guard x == x.rounded(), abs(x) < 1e15 else {
      throw PerceptionError(code: .invalidField, path: path, field: join(parent, key), message: "expected an integer, found \(x)")
    }
    return Int(x)
  }

  func numbers(_ d: [String: Any], _ key: String, in parent: String) throws(PerceptionError) -> [Double] {
    guard let list = try value(d, key, in: parent) as? [Any] else {
      throw PerceptionError(code: .invalidField, path: path, field: join(parent, key), message: "expected an array of numbers")
    }
    var out: [Double] = []
    for (i, item) in list.enumerated() {
      guard !isBoolean(item), let n = item as? NSNumber, n.doubleValue.isFinite else {
        throw PerceptionError(code: .invalidField, path: path, field: join(parent, key) + "[\(i)]", message: "expected a finite number")
      }
      out.append(n.doubleValue)
    }
    return out
  }
}

/// Whether a JSONSerialization value is `true`/`false` (Foundation hands numbers 0 and 1 out as
/// NSNumbers that also cast to Bool, so the dynamic type is checked instead).
func isBoolean(_ value: Any) -> Bool {
  if let n = value as? NSNumber { return String(describing: type(of: n)).contains("Boolean") }
  return value is Bool
}

/// Solves a 3×3 system (row-major `a`) by Cramer's rule; nil when nearly singular.
func solve3x3(_ a: [Double], _ b: SIMD3<Double>) -> SIMD3<Double>? {
  let c0 = SIMD3(a[0], a[3], a[6]), c1 = SIMD3(a[1], a[4], a[7]), c2 = SIMD3(a[2], a[5], a[8])
  func cross(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
  }
  let det = (c0 * cross(c1, c2)).sum()
  let scale = max((c0 * c0).sum(), (c1 * c1).sum(), (c2 * c2).sum())
  guard abs(det) > 1e-9 * scale * scale.squareRoot() else { return nil }
  return SIMD3((b * cross(c1, c2)).sum(), (c0 * cross(b, c2)).sum(), (c0 * cross(c1, b)).sum()) / det
}

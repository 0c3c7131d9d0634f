import CMuJoCo
import CMuJoCoShim
import COSMesa
import Geometry
import Imaging

/// What a render produces.
public struct RenderOutputs: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// Colour, 8-bit RGB.
  public static let rgb = RenderOutputs(rawValue: 1)
  /// Metric depth along the camera's z axis.
  public static let depth = RenderOutputs(rawValue: 2)
  /// The geom seen at each pixel (a second render pass).
  public static let segmentation = RenderOutputs(rawValue: 4)
  /// All three.
  public static let all: RenderOutputs = [.rgb, .depth, .segmentation]
}

/// Settings of an `OffscreenRenderer`; every default is stated.
public struct RendererOptions: Sendable, Equatable {
  /// Image width in pixels (default 640).
  public var width: Int = 640
  /// Image height in pixels (default 480).
  public var height: Int = 480
  /// Multisample anti-aliasing of the colour image (default off). With it on, segmentation ids
  /// blend at object edges into wrong ids, so leave it off when segmentation is rendered.
  public var multisampling: Bool = false
  /// Shadows from lights that cast them (default on; they cost about a third of the frame time).
  public var shadows: Bool = true
  /// Capacity of MuJoCo's scene, in visual geoms (default 2,000; more are dropped with a
  /// `visualGeomBufferFull` diagnostic).
  public var maximumGeoms: Int = 2000
  /// Sensor noise and dropout applied to rendered depth (default nil: clean depth). Frame k of a
  /// renderer (counting from 0) uses the noise stream `seed + k`, so a run is repeatable.
  public var depthNoise: DepthNoiseModel? = nil

  /// Options with the given size and defaults otherwise.
  public init(width: Int = 640, height: Int = 480) {
    self.width = width
    self.height = height
  }
}

/// One rendered camera image with its camera model. Rows run top to bottom.
public struct RenderedFrame: Sendable {
  /// Pixels per row.
  public let width: Int
  /// Rows.
  public let height: Int
  /// 8-bit RGB (3 channels), when `.rgb` was asked for.
  public var rgb: Image8?
  /// Depth in metres along the camera's z axis, row-major, 0 where no surface was hit (empty
  /// unless `.depth` was asked for).
  public var depthMetres: [Float]
  /// The geom index seen at each pixel, −1 where none (empty unless `.segmentation` was asked for).
  public var segmentationGeoms: [Int32]
  /// The camera's intrinsics for this image size (OpenCV convention).
  public let intrinsics: CameraIntrinsics
  /// `X_WC`: the camera's pose in the world, OpenCV convention (x right, y down, z forward).
  public let X_WC: RigidTransform

  /// Depth as a 16-bit image in millimetres (rounded; 0 = no depth; clamped at 65,535 mm).
  public func depthMillimetres() -> Image16 {
    precondition(!depthMetres.isEmpty, "depthMillimetres: the frame was rendered without depth")
    let pixels = depthMetres.map { z -> UInt16 in
      guard z > 0, z.isFinite else { return 0 }
      return UInt16(min(65535, (z * 1000).rounded()))
    }
    return Image16(width: width, height: height, channels: 1, pixels: pixels)
  }

  /// Depth for viewing: 8-bit gray, near bright, far dark, no depth black.
  public func depthPreview(nearMetres: Float, farMetres: Float) -> Image8 {
    precondition(!depthMetres.isEmpty, "depthPreview: the frame was rendered without depth")
    precondition(farMetres > nearMetres, "depthPreview: far \(farMetres) ≤ near \(nearMetres)")
    let pixels = depthMetres.map { z -> UInt8 in
      guard z > 0 else { return 0 }
      let t = max(0, min(1, (z - nearMetres) / (farMetres - nearMetres)))
      return UInt8(30 + (1 - t) * 225)
    }
    return Image8(width: width, height: height, channels: 1, pixels: pixels)
  }

  /// Segmentation for viewing: one well-spread false colour per id, black where none.
  ///
  /// - Parameter ids: per-pixel ids (geom ids by default; pass body ids to colour by object).
  public func segmentationPreview(ids: [Int32]? = nil) -> Image8 {
    let labels = ids ?? segmentationGeoms
    precondition(labels.count == width * height, "segmentationPreview: \(labels.count) ids for \(width)×\(height)")
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for (i, id) in labels.enumerated() where id >= 0 {
      // Golden-ratio hue steps give neighbouring ids distinct colours.
      let hue = (Double(id) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
      let (r, g, b) = Self.hsvToRGB(hue: hue, saturation: 0.75, value: 0.95)
      pixels[3 * i] = r
      pixels[3 * i + 1] = g
      pixels[3 * i + 2] = b
    }
    return Image8(width: width, height: height, channels: 3, pixels: pixels)
  }

  private static func hsvToRGB(hue: Double, saturation s: Double, value v: Double) -> (UInt8, UInt8, UInt8) {
    let h = hue * 6
    let sector = Int(h) % 6
    let f = h - Double(Int(h))
    let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
    let (r, g, b): (Double, Double, Double)
    switch sector {
    case 0: (r, g, b) = (v, t, p)
    case 1: (r, g, b) = (q, v, p)
    case 2: (r, g, b) = (p, v, t)
    case 3: (r, g, b) = (p, q, v)
    case 4: (r, g, b) = (t, p, v)
    default: (r, g, b) = (v, p, q)
    }
    return (UInt8(r * 255), UInt8(g * 255), UInt8(b * 255))
  }
}

/// MuJoCo's OpenGL renderer (`mjr_*`) in an OSMesa context on the CPU (llvmpipe): colour, metric
/// depth and per-geom segmentation from a camera of the model, at any resolution.
///
/// Each renderer owns its GL context and makes it current on the calling thread at every render,
/// so several renderers may take turns on one thread. GL contexts are per thread: never use one
/// renderer from two threads at once (tests that render are `.serialized`).
public final class OffscreenRenderer {
  /// The simulation it draws (its current state).
  public let simulation: Simulation
  /// The settings it was made with.
  public let options: RendererOptions
  /// The camera it renders from.
  public var camera: CameraID {
    didSet { cam.pointee.fixedcamid = Int32(camera.index) }
  }

  private let context: OSMesaContext
  private let colourBuffer: UnsafeMutableRawPointer
  private let scn = UnsafeMutablePointer<mjvScene>.allocate(capacity: 1)
  private let con = UnsafeMutablePointer<mjrContext>.allocate(capacity: 1)
  private let opt = UnsafeMutablePointer<mjvOption>.allocate(capacity: 1)
  private let cam = UnsafeMutablePointer<mjvCamera>.allocate(capacity: 1)
  private var rgbScratch: [UInt8]
  private var depthScratch: [Float]
  private var errorText = [CChar](repeating: 0, count: 1024)
  /// Frames rendered with depth so far (the depth noise stream's offset).
  public private(set) var depthFrameCount: UInt64 = 0

  /// Creates the GL context and MuJoCo's rendering context for `camera`.
  ///
  /// The offscreen buffer is sized to `options` (the model's `<visual><global offwidth
  /// offheight>` is set to it while the context is made, then restored).
  ///
  /// - Throws: `SimulationError.Code.renderingFailed` when OSMesa or MuJoCo cannot make the
  ///   context; `.invalidArgument` for a non-positive size.
  public init(simulation: Simulation, camera: CameraID, options: RendererOptions = RendererOptions()) throws(SimulationError) {
    guard options.width > 0, options.height > 0, options.width <= 8192, options.height <= 8192 else {
      throw SimulationError(code: .invalidArgument, context: "RendererOptions", message: "image size \(options.width)×\(options.height) outside 1…8192")
    }
    guard camera.index >= 0, camera.index < Int(simulation.model.pointee.ncam) else {
      throw SimulationError(code: .invalidArgument, context: "OffscreenRenderer", message: "no \(camera) (model has \(simulation.model.pointee.ncam) cameras)")
    }
    self.simulation = simulation
    self.options = options
    self.camera = camera
    // RGBA colour, 24-bit depth, 8-bit stencil. MuJoCo draws into its own offscreen framebuffer;
    // OSMesa still needs a bound default buffer to make the context current.
    guard let context = OSMesaCreateContextExt(GLenum(OSMESA_RGBA), 24, 8, 0, nil) else {
      scn.deallocate(); con.deallocate(); opt.deallocate(); cam.deallocate()
      throw SimulationError(code: .renderingFailed, context: "OSMesaCreateContextExt", message: "OSMesa could not create a GL context")
    }
    self.context = context
    colourBuffer = UnsafeMutableRawPointer.allocate(byteCount: options.width * options.height * 4, alignment: 64)
    rgbScratch = [UInt8](repeating: 0, count: options.width * options.height * 3)
    depthScratch = [Float](repeating: 0, count: options.width * options.height)
    scn.initialize(to: mjvScene())
    con.initialize(to: mjrContext())
    opt.initialize(to: mjvOption())
    cam.initialize(to: mjvCamera())
    mjv_defaultOption(opt)
    mjv_defaultCamera(cam)
    mjv_defaultScene(scn)
    mjr_defaultContext(con)
    cam.pointee.type = Int32(mjCAMERA_FIXED.rawValue)
    cam.pointee.fixedcamid = Int32(camera.index)
    guard makeCurrent() else {
      throw SimulationError(code: .renderingFailed, context: "OSMesaMakeCurrent", message: "OSMesa could not bind the context")
    }
    let m = simulation.model
    let saved = (m.pointee.vis.global.offwidth, m.pointee.vis.global.offheight, m.pointee.vis.quality.offsamples)
    m.pointee.vis.global.offwidth = Int32(options.width)
    m.pointee.vis.global.offheight = Int32(options.height)
    m.pointee.vis.quality.offsamples = options.multisampling ? max(4, saved.2) : 0
    let made = osp_mjr_make_scene_and_context(m, scn, Int32(options.maximumGeoms), con, &errorText, Int32(errorText.count))
    (m.pointee.vis.global.offwidth, m.pointee.vis.global.offheight, m.pointee.vis.quality.offsamples) = saved
    guard made == 0 else {
      // deinit frees what was made (mjr_freeContext and mjv_freeScene accept partial contexts).
      throw SimulationError(code: .renderingFailed, context: "mjr_makeContext", message: textOf(errorText))
    }
    setFlag(mjRND_SHADOW, options.shadows)
  }

  deinit {
    _ = makeCurrent()
    mjr_freeContext(con)
    mjv_freeScene(scn)
    OSMesaDestroyContext(context)
    colourBuffer.deallocate()
    scn.deallocate(); con.deallocate(); opt.deallocate(); cam.deallocate()
  }

  private func makeCurrent() -> Bool {
    OSMesaMakeCurrent(context, colourBuffer, GLenum(GL_UNSIGNED_BYTE), GLsizei(options.width), GLsizei(options.height)) != 0
  }

  private func setFlag(_ flag: mjtRndFlag, _ on: Bool) {
    withUnsafeMutableBytes(of: &scn.pointee.flags) { $0[Int(flag.rawValue)] = on ? 1 : 0 }
  }

  /// The GL renderer and version OSMesa provides (for reports), for example "llvmpipe … | 4.5".
  public var glDescription: String {
    _ = makeCurrent()
    // Through OSMesa's own lookup, so the call reaches OSMesa even when a libGL is also loaded.
    typealias GetString = @convention(c) (GLenum) -> UnsafePointer<GLubyte>?
    guard let f = OSMesaGetProcAddress("glGetString") else { return "unknown" }
    let getString = unsafeBitCast(f, to: GetString.self)
    let renderer = getString(GLenum(GL_RENDERER)).map { String(cString: $0) } ?? "?"
    let version = getString(GLenum(GL_VERSION)).map { String(cString: $0) } ?? "?"
    return "\(renderer) | GL \(version)"
  }

  /// The camera's intrinsics at this renderer's size.
  public var intrinsics: CameraIntrinsics {
    CameraIntrinsics(width: options.width, height: options.height,
                     verticalFieldOfViewDegrees: simulation.verticalFieldOfViewDegrees(of: camera))
  }

  /// Renders the simulation's current state (call `forward()` after changing the state).
  ///
  /// Depth is linearised from the z-buffer `z ∈ [0, 1]` with MuJoCo's clip planes
  /// (`near = vis.map.znear · stat.extent`, `far = vis.map.zfar · stat.extent`):
  ///
  /// ```
  /// depth = near · far / (far − z · (far − near))      (0 where z = 1: nothing drawn)
  /// ```
  ///
  /// Segmentation renders a second pass with `mjRND_SEGMENT` + `mjRND_IDCOLOR`, whose colour
  /// `r + 256 g + 65536 b` is the scene-geom index + 1; it is mapped to the model geom.
  ///
  /// - Throws: `SimulationError.Code.renderingFailed` with MuJoCo's message.
  public func render(_ outputs: RenderOutputs = [.rgb, .depth]) throws(SimulationError) -> RenderedFrame {
    guard makeCurrent() else {
      throw SimulationError(code: .renderingFailed, context: "OSMesaMakeCurrent", message: "OSMesa could not bind the context")
    }
    let m = simulation.model, d = simulation.data
    let width = options.width, height = options.height
    let viewport = mjrRect(left: 0, bottom: 0, width: Int32(width), height: Int32(height))
    var frame = RenderedFrame(width: width, height: height, rgb: nil, depthMetres: [], segmentationGeoms: [],
                              intrinsics: intrinsics, X_WC: simulation.cameraPose(of: camera))
    if outputs.contains(.rgb) || outputs.contains(.depth) {
      let wantRGB = outputs.contains(.rgb), wantDepth = outputs.contains(.depth)
      let status = rgbScratch.withUnsafeMutableBufferPointer { rgb in
        depthScratch.withUnsafeMutableBufferPointer { depth in
          osp_mjr_render_read(m, d, opt, cam, scn, con, viewport, 1,
                              wantRGB ? rgb.baseAddress : nil, wantDepth ? depth.baseAddress : nil,
                              &errorText, Int32(errorText.count))
        }
      }
      try check(status)
      if wantRGB {
        frame.rgb = Image8(width: width, height: height, channels: 3, pixels: flippedRows(rgbScratch, rowLength: width * 3, rows: height))
      }
      if wantDepth {
        let extent = m.pointee.stat.extent
        let near = Double(m.pointee.vis.map.znear) * extent
        let far = Double(m.pointee.vis.map.zfar) * extent
        var metres = [Float](repeating: 0, count: width * height)
        depthScratch.withUnsafeBufferPointer { z in
          for row in 0..<height {
            let source = (height - 1 - row) * width, target = row * width
            for x in 0..<width {
              let zb = Double(z[source + x])
              metres[target + x] = zb >= 1 ? 0 : Float(near * far / (far - zb * (far - near)))
            }
          }
        }
        if let noise = options.depthNoise {
          metres = noise.apply(to: metres, width: width, height: height, seed: noise.seed &+ depthFrameCount)
        }
        depthFrameCount += 1
        frame.depthMetres = metres
      }
    }
    if outputs.contains(.segmentation) {
      let update: Int32 = outputs.contains(.rgb) || outputs.contains(.depth) ? 0 : 1
      // Flat id colours need no shadows: skip the shadow-map pass.
      setFlag(mjRND_SHADOW, false)
      setFlag(mjRND_SEGMENT, true)
      setFlag(mjRND_IDCOLOR, true)
      let status = rgbScratch.withUnsafeMutableBufferPointer { rgb in
        osp_mjr_render_read(m, d, opt, cam, scn, con, viewport, update, rgb.baseAddress, nil, &errorText, Int32(errorText.count))
      }
      setFlag(mjRND_SEGMENT, false)
      setFlag(mjRND_IDCOLOR, false)
      setFlag(mjRND_SHADOW, options.shadows)
      try check(status)
      // Scene-geom segid → model geom id (−1 for decorations and non-geom objects).
      let count = Int(scn.pointee.ngeom)
      var geomOfSegment = [Int32](repeating: -1, count: count + 1)
      for i in 0..<count {
        let g = scn.pointee.geoms[i]
        if g.segid >= 0 && Int(g.segid) < count && g.objtype == Int32(mjOBJ_GEOM.rawValue) {
          geomOfSegment[Int(g.segid) + 1] = g.objid
        }
      }
      var segmentation = [Int32](repeating: -1, count: width * height)
      for row in 0..<height {
        let source = (height - 1 - row) * width, target = row * width
        for x in 0..<width {
          let p = 3 * (source + x)
          let code = Int(rgbScratch[p]) | Int(rgbScratch[p + 1]) << 8 | Int(rgbScratch[p + 2]) << 16
          if code > 0 && code <= count { segmentation[target + x] = geomOfSegment[code] }
        }
      }
      frame.segmentationGeoms = segmentation
    }
    return frame
  }

  private func check(_ status: Int32) throws(SimulationError) {
    guard status != 0 else { return }
    throw SimulationError(code: .renderingFailed, context: "mjr_render", message: textOf(errorText))
  }
}

extension Simulation {
  /// Per-pixel body ids from a frame's geom segmentation (−1 stays −1).
  ///
  /// - Parameter root: map each body to its top-most ancestor below the world (a whole object or
  ///   the whole arm) instead of the body itself.
  public func bodySegmentation(_ frame: RenderedFrame, root: Bool = false) -> [Int32] {
    precondition(!frame.segmentationGeoms.isEmpty, "bodySegmentation: the frame was rendered without segmentation")
    let bodyOfGeom = (0..<geomCount).map { g -> Int32 in
      let body = body(of: GeomID(g))
      return Int32(root ? rootBody(of: body).index : body.index)
    }
    return frame.segmentationGeoms.map { $0 >= 0 ? bodyOfGeom[Int($0)] : -1 }
  }
}

func flippedRows<T>(_ values: [T], rowLength: Int, rows: Int) -> [T] {
  var out = values
  values.withUnsafeBufferPointer { source in
    out.withUnsafeMutableBufferPointer { target in
      for row in 0..<rows {
        let from = (rows - 1 - row) * rowLength
        for i in 0..<rowLength { target[row * rowLength + i] = source[from + i] }
      }
    }
  }
  return out
}

/// The text before the first NUL of a C character buffer.
func textOf(_ buffer: [CChar]) -> String {
  String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

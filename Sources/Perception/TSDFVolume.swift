import Dispatch
import Geometry
import Imaging

/// Settings of TSDF fusion; every default is stated.
public struct TSDFOptions: Sendable, Equatable {
  /// Grid spacing, metres (default 2 mm).
  public var voxelSizeMetres = 0.002
  /// Truncation distance μ, metres (default 8 mm, four voxels): signed distances are clamped to
  /// [−μ, μ] and voxels more than μ behind the measured surface are not updated.
  public var truncationMetres = 0.008
  /// Depth readings beyond this are ignored, metres (default 3).
  public var maximumDepthMetres = 3.0
  /// Cap on a voxel's accumulated weight (default: none, a plain running average).
  public var maximumWeight: Float = .infinity
  /// Default options.
  public init() {}
}

/// What one `integrate` call did.
public struct TSDFIntegrationStatistics: Sendable, Equatable {
  /// Voxels visited (the whole grid).
  public var voxelsVisited: Int
  /// Voxels whose distance and weight were updated.
  public var voxelsUpdated: Int
}

/// A truncated signed distance volume (Curless & Levoy, "A volumetric method for building complex
/// models from range images", SIGGRAPH 1996, doi:10.1145/237170.237269), as Dense Object Nets fused
/// its RGB-D views.
///
/// Sample points sit on a regular grid `p(i, j, k) = lower + (i, j, k) · voxelSize`, `i` fastest.
/// Each depth image updates every sample `p` that projects into it with a valid depth `d` at the
/// nearest pixel: with `z` the sample's depth in the camera frame,
///
/// ```
/// η = d − z                                   (projective distance along the camera's z axis)
/// skip if η < −μ                              (far behind the surface: unknown)
/// f = min(1, η / μ)                           (truncated, normalised: + in front, − behind)
/// w = 1 if η ≥ 0, else 1 + η/μ                 (Curless & Levoy's taper behind the surface)
/// F ← (W F + w f) / (W + w),   W ← min(W + w, W_max)
/// ```
///
/// so `F · μ` approximates the signed distance to the surface near it (positive in free space).
/// Samples never updated keep `W = 0` and are ignored by `mesh()`.
public struct TSDFVolume: Sendable {
  /// The grid's first sample point (its lower corner), metres.
  public let lower: SIMD3<Double>
  /// Samples along x, y, z.
  public let dimensions: SIMD3<Int>
  /// The settings.
  public let options: TSDFOptions
  /// Normalised truncated distances `F ∈ [−1, 1]`, `i` fastest, then `j`, then `k` (1 where unobserved).
  public private(set) var distances: [Float]
  /// Accumulated weights `W` (0 where unobserved).
  public private(set) var weights: [Float]

  /// An empty volume whose grid covers `box` (the upper corner rounded down to whole voxels).
  /// - Precondition: a non-empty box, positive voxel size and truncation, and at most 2³¹ samples.
  public init(box: AxisAlignedBox, options: TSDFOptions = TSDFOptions()) {
    precondition(options.voxelSizeMetres > 0 && options.truncationMetres > 0,
                 "TSDFVolume: voxel size \(options.voxelSizeMetres) and truncation \(options.truncationMetres) must be positive")
    let extent = box.upper - box.lower
    precondition(extent.x > 0 && extent.y > 0 && extent.z > 0, "TSDFVolume: empty box \(box)")
    let n = SIMD3<Int>((extent / options.voxelSizeMetres).rounded(.down)) &+ 1
    precondition(n.x * n.y * n.z < Int(Int32.max), "TSDFVolume: \(n) samples is too many")
    lower = box.lower
    dimensions = n
    self.options = options
    distances = [Float](repeating: 1, count: n.x * n.y * n.z)
    weights = [Float](repeating: 0, count: n.x * n.y * n.z)
  }

  /// The box over the table top where Dense Object Nets cropped its reconstructions: a square of
  /// half-width `halfWidthMetres` around `centre` (x, y), from `belowTableMetres` under the table
  /// plane `z = tableTopHeightMetres` to `heightMetres` above it.
  public static func tableTopBox(centre: SIMD2<Double>, halfWidthMetres: Double, tableTopHeightMetres: Double,
                                 heightMetres: Double, belowTableMetres: Double = 0.02) -> AxisAlignedBox {
    AxisAlignedBox(lower: SIMD3(centre.x - halfWidthMetres, centre.y - halfWidthMetres, tableTopHeightMetres - belowTableMetres),
                   upper: SIMD3(centre.x + halfWidthMetres, centre.y + halfWidthMetres, tableTopHeightMetres + heightMetres))
  }

  /// Number of samples.
  public var count: Int { dimensions.x * dimensions.y * dimensions.z }

  /// The world point of sample `(i, j, k)`.
  public func point(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
    lower + SIMD3(Double(i), Double(j), Double(k)) * options.voxelSizeMetres
  }

  /// Integrates a depth image in millimetres (0 = no depth) seen by a camera with `intrinsics` at `X_WC`.
  /// - Precondition: the image is one channel of the intrinsics' size.
  @discardableResult
  public mutating func integrate(depthMillimetres depth: Image16, intrinsics: CameraIntrinsics, X_WC: RigidTransform) -> TSDFIntegrationStatistics {
    precondition(depth.channels == 1 && depth.width == intrinsics.width && depth.height == intrinsics.height,
                 "TSDFVolume.integrate: depth \(depth.width)×\(depth.height)×\(depth.channels) for intrinsics \(intrinsics.width)×\(intrinsics.height)")
    let metres = depth.pixels.map { Float($0) * 0.001 }
    return integrate(depthMetres: metres, intrinsics: intrinsics, X_WC: X_WC)
  }

  /// Integrates a depth image in metres (row-major, `width · height`, 0 or non-finite = no depth).
  ///
  /// Slices of constant `k` are processed concurrently; within a row the camera-frame position is
  /// advanced incrementally.
  /// - Complexity: O(samples).
  @discardableResult
  public mutating func integrate(depthMetres depth: [Float], intrinsics K: CameraIntrinsics, X_WC: RigidTransform) -> TSDFIntegrationStatistics {
    precondition(depth.count == K.width * K.height, "TSDFVolume.integrate: \(depth.count) depths for \(K.width)×\(K.height)")
    let X_CW = X_WC.inverse
    let R = X_CW.rotation
    let h = options.voxelSizeMetres
    let stepI = R.column(0) * h, stepJ = R.column(1) * h, stepK = R.column(2) * h
    let origin_C = X_CW * lower
    let n = dimensions
    let mu = Float(options.truncationMetres), maxDepth = Float(options.maximumDepthMetres), maxWeight = options.maximumWeight
    let fx = K.fx, fy = K.fy, cx = K.cx, cy = K.cy, width = K.width, height = K.height
    let slices = n.z
    var updatedPerSlice = [Int](repeating: 0, count: slices)
    distances.withUnsafeMutableBufferPointer { fBuffer in
      weights.withUnsafeMutableBufferPointer { wBuffer in
        depth.withUnsafeBufferPointer { dBuffer in
          updatedPerSlice.withUnsafeMutableBufferPointer { uBuffer in
            nonisolated(unsafe) let f = fBuffer, w = wBuffer, d = dBuffer, updated = uBuffer
            DispatchQueue.concurrentPerform(iterations: slices) { k in
              var count = 0
              for j in 0..<n.y {
                var p = origin_C + Double(k) * stepK + Double(j) * stepJ
                var index = (k * n.y + j) * n.x
                for _ in 0..<n.x {
                  defer { p += stepI; index += 1 }
                  let z = p.z
                  guard z > 1e-6 else { continue }
                  let u = (fx * p.x / z + cx).rounded(), v = (fy * p.y / z + cy).rounded()
                  guard u >= 0, v >= 0, u < Double(width), v < Double(height) else { continue }
                  let measured = d[Int(v) * width + Int(u)]
                  guard measured > 0, measured <= maxDepth else { continue }
                  let eta = measured - Float(z)
                  guard eta >= -mu else { continue }
                  let value = min(1, eta / mu)
                  // Curless & Levoy's taper: full weight in front of the surface, falling linearly
                  // to 0 at −μ behind it, where a measurement says least about the voxel.
                  let sample = eta >= 0 ? Float(1) : max(0, 1 + value)
                  guard sample > 0 else { continue }
                  let weight = w[index]
                  f[index] = (f[index] * weight + value * sample) / (weight + sample)
                  w[index] = min(weight + sample, maxWeight)
                  count += 1
                }
              }
              updated[k] = count
            }
          }
        }
      }
    }
    return TSDFIntegrationStatistics(voxelsVisited: count, voxelsUpdated: updatedPerSlice.reduce(0, +))
  }

  /// The zero level set as a triangle mesh (world frame), by marching tetrahedra over the samples
  /// with `W > 0`; triangles face free space (their normals point towards positive distance).
  public func mesh() -> TriangleMesh {
    MarchingTetrahedra.isosurface(values: distances, dimensions: dimensions, lower: lower,
                                  spacing: options.voxelSizeMetres, valid: weights.map { $0 > 0 })
  }
}

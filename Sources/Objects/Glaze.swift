import Foundation
import Geometry
import LinearAlgebra

/// A procedural glaze: the colour of an object's surface as a function of the point in the object
/// frame (a solid texture), so that a pattern has no seams where surface parts meet and no symmetry
/// about a mug's axis. Real mugs carry prints and glazes; a plain-coloured mug seen from above is rings
/// and a disc whose azimuth only the handle gives away (Florence et al., CoRL 2018, used real,
/// patterned objects).
///
/// The colour is a base glaze with blotches of an accent glaze (two octaves of value noise on a
/// `blotchScaleMetres` lattice, the accent where they exceed `accentThreshold`, blended over
/// `blendWidth`) and dark speckles (value noise on a `speckleScaleMetres` lattice above
/// `speckleThreshold`), as in a speckled stoneware glaze. Colours are linear RGB in [0, 1].
public struct Glaze: Sendable, Equatable {
  /// The base glaze's colour.
  public var base: SIMD3<Double>
  /// The blotches' colour.
  public var accent: SIMD3<Double>
  /// The speckles' colour.
  public var speckle: SIMD3<Double>
  /// Seeds the noise lattices.
  public var seed: UInt64
  /// Lattice spacing of the blotches' coarser octave (default 2.5 cm).
  public var blotchScaleMetres = 0.025
  /// Noise level above which the accent shows (default 0.55: on seed 2's mug 13% of the vertices are
  /// within 0.05 of the accent, 72% of the base, the rest blends and speckles).
  public var accentThreshold = 0.55
  /// Width of the blend between base and accent, in noise units (default 0.06).
  public var blendWidth = 0.06
  /// Lattice spacing of the speckles (default 3 mm).
  public var speckleScaleMetres = 0.003
  /// Noise level above which a speckle shows (default 0.8: a few percent of the surface).
  public var speckleThreshold = 0.8

  /// Glaze colours to draw from (linear RGB): cream, navy, sage, terracotta, white, charcoal,
  /// mustard, sky blue, plum, teal.
  public static let palette: [SIMD3<Double>] = [
    SIMD3(0.92, 0.86, 0.72), SIMD3(0.12, 0.18, 0.40), SIMD3(0.55, 0.66, 0.52), SIMD3(0.76, 0.36, 0.22),
    SIMD3(0.95, 0.95, 0.93), SIMD3(0.22, 0.22, 0.24), SIMD3(0.86, 0.66, 0.18), SIMD3(0.48, 0.68, 0.88),
    SIMD3(0.45, 0.20, 0.38), SIMD3(0.10, 0.48, 0.50),
  ]

  /// A glaze from its parts.
  public init(base: SIMD3<Double>, accent: SIMD3<Double>, speckle: SIMD3<Double>, seed: UInt64) {
    self.base = base
    self.accent = accent
    self.speckle = speckle
    self.seed = seed
  }

  /// A glaze drawn from `seed`: base and accent two different colours of `palette`, speckles a dark
  /// brown (`SeededGenerator`, draws base then accent).
  public init(seed: UInt64) {
    var generator = SeededGenerator(seed: seed ^ 0x6A09_E667_F3BC_C909)
    let n = Self.palette.count
    let b = Int(generator.nextUnit() * Double(n)) % n
    let a = (b + 1 + Int(generator.nextUnit() * Double(n - 1)) % (n - 1)) % n
    self.init(base: Self.palette[b], accent: Self.palette[a], speckle: SIMD3(0.16, 0.11, 0.08), seed: seed)
  }

  /// The colour at `p` (object frame, metres).
  public func colour(at p: SIMD3<Double>) -> SIMD3<Double> {
    let coarse = valueNoise(p / blotchScaleMetres, lattice: 0)
    let fine = valueNoise(p / (blotchScaleMetres / 2.3), lattice: 1)
    let blotch = (2 * coarse + fine) / 3
    let a = smoothstep(accentThreshold - blendWidth / 2, accentThreshold + blendWidth / 2, blotch)
    var colour = base + (accent - base) * a
    let s = smoothstep(speckleThreshold, speckleThreshold + 0.04, valueNoise(p / speckleScaleMetres, lattice: 2))
    colour += (speckle - colour) * (0.85 * s)
    return colour
  }

  /// Value noise in [0, 1]: lattice values from a hash of the integer cell, the seed and `lattice`,
  /// interpolated trilinearly with a smoothstep fade.
  func valueNoise(_ x: SIMD3<Double>, lattice: UInt64) -> Double {
    let f = SIMD3(x.x.rounded(.down), x.y.rounded(.down), x.z.rounded(.down))
    let t = x - f
    let w = t * t * (3 - 2 * t)
    let i = SIMD3<Int64>(Int64(f.x), Int64(f.y), Int64(f.z))
    func corner(_ dx: Int64, _ dy: Int64, _ dz: Int64) -> Double {
      var h = seed &* 0x9E37_79B9_7F4A_7C15 &+ lattice &* 0xD1B5_4A32_D192_ED03
      h ^= UInt64(bitPattern: i.x &+ dx) &* 0x8CB9_2BA7_2F3D_8DD7
      h ^= UInt64(bitPattern: i.y &+ dy) &* 0xABC9_8388_FB8F_AC03
      h ^= UInt64(bitPattern: i.z &+ dz) &* 0xC2B2_AE3D_27D4_EB4F
      h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
      h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
      h ^= h >> 31
      return Double(h >> 11) * 0x1p-53
    }
    func mix(_ a: Double, _ b: Double, _ s: Double) -> Double { a + (b - a) * s }
    let x00 = mix(corner(0, 0, 0), corner(1, 0, 0), w.x), x10 = mix(corner(0, 1, 0), corner(1, 1, 0), w.x)
    let x01 = mix(corner(0, 0, 1), corner(1, 0, 1), w.x), x11 = mix(corner(0, 1, 1), corner(1, 1, 1), w.x)
    return mix(mix(x00, x10, w.y), mix(x01, x11, w.y), w.z)
  }

  private func smoothstep(_ e0: Double, _ e1: Double, _ x: Double) -> Double {
    let t = min(max((x - e0) / (e1 - e0), 0), 1)
    return t * t * (3 - 2 * t)
  }
}

/// An instance's surface laid out for a 2-D texture: every chart of its `SurfaceAtlas` in its own
/// band of texture rows (chart order, `rowsPerPart` rows each, one row of margin at either edge so
/// that filtering never reaches the next band), `u` across the width. Vertices are not shared between
/// charts, and a periodic chart keeps its last column at `u = 1`, so no triangle spans a seam;
/// normals are those of the welded visual mesh, so shading is as smooth as the plain mesh's. The
/// texels themselves come from `ObjectInstance.texture(of:glaze:)`.
public struct TexturedSurface: Sendable {
  /// Vertex positions (object frame, metres): the same surface as `ObjectInstance.mesh`.
  public var vertices: [SIMD3<Double>]
  /// Unit vertex normals, from the welded mesh (area-weighted face normals).
  public var normals: [SIMD3<Double>]
  /// Texture coordinates (s across the width, t down the rows from the top row, both in [0, 1]).
  public var textureCoordinates: [SIMD2<Double>]
  /// Faces (outward, as in the visual mesh), collapsed triangles dropped.
  public var faces: [SIMD3<Int>]
  /// The parts, one band each, top to bottom (the atlas's chart order).
  public var parts: [SurfacePart]
  /// Texture width in texels.
  public var textureWidth: Int
  /// Rows per part's band.
  public var rowsPerPart: Int
  /// Texture height in texels: one band per part.
  public var textureHeight: Int { rowsPerPart * parts.count }

  /// The texture coordinate t of `v` in band `band` (inside its margin rows).
  func t(band: Int, v: Double) -> Double {
    (Double(band * rowsPerPart) + 1 + v * Double(rowsPerPart - 2)) / Double(textureHeight)
  }

  /// The band and the v a texel row stands for (the inverse of `t` at row centres, v clamped to [0, 1]).
  func bandAndV(row: Int) -> (band: Int, v: Double) {
    let band = row / rowsPerPart
    return (band, min(max((Double(row - band * rowsPerPart) + 0.5 - 1) / Double(rowsPerPart - 2), 0), 1))
  }
}

extension ObjectInstance {
  /// The instance's surface laid out for a texture `width` texels wide with `rowsPerPart` rows per
  /// surface part (`TexturedSurface`).
  public func texturedSurface(width: Int = 512, rowsPerPart: Int = 64) -> TexturedSurface {
    precondition(width >= 2 && rowsPerPart >= 4, "texturedSurface: need width ≥ 2 and rowsPerPart ≥ 4")
    // Welded normals, looked up by position.
    var normalSum = [SIMD3<Double>](repeating: .zero, count: mesh.vertices.count)
    for face in mesh.faces {
      let a = mesh.vertices[face.x], b = mesh.vertices[face.y], c = mesh.vertices[face.z]
      let n = cross(b - a, c - a)
      normalSum[face.x] += n; normalSum[face.y] += n; normalSum[face.z] += n
    }
    var weldedIndex: [SIMD3<Double>: Int] = [:]
    for (k, p) in mesh.vertices.enumerated() where weldedIndex[p] == nil { weldedIndex[p] = k }
    var surface = TexturedSurface(vertices: [], normals: [], textureCoordinates: [], faces: [], parts: atlas.parts,
                                  textureWidth: width, rowsPerPart: rowsPerPart)
    for (band, chart) in atlas.charts.enumerated() {
      let first = surface.vertices.count
      for i in chart.uKnots.indices {
        for j in chart.vKnots.indices {
          let p = chart.points[chart.index(i, j)]
          surface.vertices.append(p)
          let n = weldedIndex[p].map { normalSum[$0] } ?? .zero
          let length = (n * n).sum().squareRoot()
          surface.normals.append(length > 0 ? n / length : SIMD3(0, 0, 1))
          surface.textureCoordinates.append(SIMD2(chart.uKnots[i], surface.t(band: band, v: chart.vKnots[j])))
        }
      }
      for i in 0..<(chart.uKnots.count - 1) {
        for j in 0..<(chart.vKnots.count - 1) {
          for triangle in SurfaceChart.cellTriangles {
            let c = triangle.map { first + chart.index(i + $0.0, j + $0.1) }
            let p = c.map { surface.vertices[$0] }
            if p[0] == p[1] || p[1] == p[2] || p[2] == p[0] { continue }
            surface.faces.append(chart.reversed ? SIMD3(c[0], c[2], c[1]) : SIMD3(c[0], c[1], c[2]))
          }
        }
      }
    }
    return surface
  }

  /// The texels of `surface`'s layout coloured by `glaze`: 8-bit sRGB, row-major from the top row,
  /// 3 bytes per texel. Each texel takes the glaze's colour at the surface point it stands for
  /// (`atlas.point`).
  /// - Precondition: `surface` is a layout of this instance (the same parts).
  public func texture(of surface: TexturedSurface, glaze: Glaze) -> [UInt8] {
    precondition(surface.parts == atlas.parts, "texture(of:glaze:): the layout's parts \(surface.parts) are not this instance's \(atlas.parts)")
    let (width, height) = (surface.textureWidth, surface.textureHeight)
    var rgb = [UInt8](repeating: 0, count: width * height * 3)
    func srgb(_ x: Double) -> UInt8 {
      let c = min(max(x, 0), 1)
      let s = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
      return UInt8((s * 255).rounded())
    }
    for row in 0..<height {
      let (band, v) = surface.bandAndV(row: row)
      for column in 0..<width {
        let u = (Double(column) + 0.5) / Double(width)
        let colour = glaze.colour(at: atlas.point(SurfaceCoordinate(surface.parts[band], u: u, v: v)))
        let k = (row * width + column) * 3
        rgb[k] = srgb(colour.x); rgb[k + 1] = srgb(colour.y); rgb[k + 2] = srgb(colour.z)
      }
    }
    return rgb
  }
}

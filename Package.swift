// swift-tools-version:6.0
import PackageDescription

// Osprey: one package, one target per module (see ARCHITECTURE.md in the shared folder).
// No unsafeFlags anywhere, so the package stays usable as a versioned dependency.
// C libraries come from Debian packages through module maps (CLapack, CSuiteSparse).
let package = Package(
  name: "Osprey",
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Geometry", targets: ["Geometry"]),
    .library(name: "ConicSolver", targets: ["ConicSolver"]),
    .library(name: "ConvexSets", targets: ["ConvexSets"]),
    .library(name: "GraphsOfConvexSets", targets: ["GraphsOfConvexSets"]),
    .library(name: "Objects", targets: ["Objects"]),
    .executable(name: "osprey", targets: ["osprey"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // C libraries (Debian: libopenblas-dev, liblapacke-dev, libsuitesparse-dev).
    .systemLibrary(name: "CLapack", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(name: "CSuiteSparse", providers: [.apt(["libsuitesparse-dev"])]),

    // Core
    .target(name: "LinearAlgebra", dependencies: ["CLapack", "CSuiteSparse"]),
    .target(name: "Geometry", dependencies: ["LinearAlgebra"]),

    // Solvers
    .target(name: "ConicSolver", dependencies: ["LinearAlgebra"]),

    // Planning
    .target(name: "ConvexSets", dependencies: ["ConicSolver", "LinearAlgebra"]),
    .target(name: "GraphsOfConvexSets", dependencies: ["ConvexSets", "ConicSolver", "LinearAlgebra"]),

    // World
    // Objects: procedural categories over Geometry; ConvexSets only for its SeededGenerator.
    .target(name: "Objects", dependencies: ["Geometry", "LinearAlgebra", "ConvexSets"]),

    // App
    .target(
      name: "OspreyCLI",
      dependencies: ["ConicSolver", "ConvexSets", "GraphsOfConvexSets", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(name: "osprey", dependencies: ["OspreyCLI"]),

    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
    .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
    .testTarget(name: "ConicSolverTests", dependencies: ["ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "ConvexSetsTests", dependencies: ["ConvexSets", "ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "GraphsOfConvexSetsTests", dependencies: ["GraphsOfConvexSets", "ConvexSets", "ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "ObjectsTests", dependencies: ["Objects", "Geometry"]),
    .testTarget(name: "OspreyCLITests", dependencies: ["OspreyCLI", "ConicSolver", "ConvexSets", "GraphsOfConvexSets"]),
  ],
  swiftLanguageModes: [.v6]
)

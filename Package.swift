// swift-tools-version:6.0
import PackageDescription

// Osprey: one package, one target per module (see ARCHITECTURE.md in the shared folder).
// No unsafeFlags anywhere, so the package stays usable as a versioned dependency.
// C libraries come from Debian packages through module maps (CLapack, CSuiteSparse, CPNG, CMuJoCo,
// COSMesa); CMuJoCoShim is our own C target that turns MuJoCo's fatal errors into return codes.
let package = Package(
  name: "Osprey",
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Geometry", targets: ["Geometry"]),
    .library(name: "Imaging", targets: ["Imaging"]),
    .library(name: "ConicSolver", targets: ["ConicSolver"]),
    .library(name: "ConvexSets", targets: ["ConvexSets"]),
    .library(name: "GraphsOfConvexSets", targets: ["GraphsOfConvexSets"]),
    .library(name: "Multibody", targets: ["Multibody"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "Objects", targets: ["Objects"]),
    .library(name: "Torch", targets: ["Torch"]),
    .library(name: "Perception", targets: ["Perception"]),
    .library(name: "Descriptors", targets: ["Descriptors"]),
    .executable(name: "osprey", targets: ["osprey"]),
    .executable(name: "osprey-learn", targets: ["osprey-learn"]),
    .executable(name: "osprey-bench-sim", targets: ["osprey-bench-sim"]),
    .executable(name: "osprey-bench-perception", targets: ["osprey-bench-perception"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // C libraries (Debian: libopenblas-dev, liblapacke-dev, libsuitesparse-dev).
    .systemLibrary(name: "CLapack", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(name: "CSuiteSparse", providers: [.apt(["libsuitesparse-dev"])]),
    // Debian: libpng-dev, libmujoco-dev (ships no .pc file; the module map links "mujoco"), libosmesa6-dev.
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CMuJoCo", providers: [.apt(["libmujoco-dev"])]),
    .systemLibrary(name: "COSMesa", pkgConfig: "osmesa", providers: [.apt(["libosmesa6-dev"])]),
    // setjmp/longjmp guards around MuJoCo calls that can raise a fatal error (pure C header).
    .target(name: "CMuJoCoShim", dependencies: ["CMuJoCo"], linkerSettings: [.linkedLibrary("mujoco")]),

    // libtorch (Debian: libtorch-dev, C++17) behind a pure-C header; see docs/torch.md. Its C++ API
    // headers live in /usr/include/torch/csrc/api/include, outside the default include path, and
    // .headerSearchPath only takes paths inside the package: SystemHeaders/torch-api is a checked-in
    // symlink to that folder (no unsafeFlags).
    .target(
      name: "CTorch",
      cxxSettings: [.headerSearchPath("../../SystemHeaders/torch-api")],
      linkerSettings: [.linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10")]
    ),

    // Core
    .target(name: "LinearAlgebra", dependencies: ["CLapack", "CSuiteSparse"]),
    .target(name: "Geometry", dependencies: ["LinearAlgebra"]),
    .target(name: "Imaging", dependencies: ["CPNG"]),

    // Solvers
    .target(name: "ConicSolver", dependencies: ["LinearAlgebra"]),

    // Planning
    .target(name: "ConvexSets", dependencies: ["ConicSolver", "LinearAlgebra"]),
    .target(name: "GraphsOfConvexSets", dependencies: ["ConvexSets", "ConicSolver", "LinearAlgebra"]),

    // World (Multibody: kinematics without MuJoCo; Simulation may import it and the Planning layer)
    .target(name: "Multibody", dependencies: ["Geometry", "LinearAlgebra"]),
    .target(name: "Simulation", dependencies: ["CMuJoCo", "CMuJoCoShim", "COSMesa", "Geometry", "Imaging", "Multibody", "ConvexSets", "Objects"]),
    // Objects: procedural categories over Geometry.
    .target(name: "Objects", dependencies: ["Geometry", "LinearAlgebra"]),

    // Learning (Torch links libtorch: ~0.5 s and ~200 MB at process start-up; only osprey-learn and
    // the Learning modules' tests may depend on it, never the `osprey` executable).
    .target(name: "Torch", dependencies: ["CTorch"]),

    // Learning: TSDF fusion, reconstruction masks, correspondences, evaluation geometry (no libtorch:
    // the descriptor network lives in its own module so that this one stays torch-free).
    .target(name: "Perception", dependencies: ["Geometry", "LinearAlgebra", "Imaging", "Objects"]),

    // Learning: the dense descriptor network (Dense Object Nets), its loss, training and evaluation
    // (links libtorch through Torch; used by osprey-learn, never by osprey).
    .target(name: "Descriptors", dependencies: ["Torch", "Perception", "Imaging", "Geometry", "LinearAlgebra"]),

    // App
    .target(
      name: "OspreyCLI",
      dependencies: ["ConicSolver", "ConvexSets", "GraphsOfConvexSets", "Geometry", "Imaging", "Objects", "Simulation", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(name: "osprey", dependencies: ["OspreyCLI", "LinearAlgebra"]),
    // The learning commands, in their own process so that `osprey` never loads libtorch; `osprey`
    // execs it for the commands that train or run networks (docs/torch.md).
    .executableTarget(
      name: "osprey-learn",
      dependencies: ["Torch", "Descriptors", "Perception", "Imaging", "LinearAlgebra", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    // `make bench-sim`: simulation steps/s and render frames/s (a program, not a test).
    .executableTarget(name: "osprey-bench-sim", dependencies: ["Simulation", "Objects", "Imaging", "CMuJoCo"]),

    // `osprey-bench-perception`: TSDF voxels/s, marching tetrahedra and mesh rendering times (a program, not a test).
    .executableTarget(name: "osprey-bench-perception", dependencies: ["Perception", "Geometry"]),

    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
    .testTarget(name: "GeometryTests", dependencies: ["Geometry", "LinearAlgebra"]),
    .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
    .testTarget(name: "ConicSolverTests", dependencies: ["ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "ConvexSetsTests", dependencies: ["ConvexSets", "ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "GraphsOfConvexSetsTests", dependencies: ["GraphsOfConvexSets", "ConvexSets", "ConicSolver", "LinearAlgebra"]),
    .testTarget(name: "MultibodyTests", dependencies: ["Multibody", "Geometry", "LinearAlgebra"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Multibody", "ConvexSets", "Geometry", "Imaging", "Objects"]),
    .testTarget(name: "ObjectsTests", dependencies: ["Objects", "Geometry", "LinearAlgebra"]),
    .testTarget(name: "TorchTests", dependencies: ["Torch", "LinearAlgebra"]),
    .testTarget(name: "DescriptorsTests", dependencies: ["Descriptors", "Torch", "Perception", "Simulation", "Objects", "Geometry", "Imaging"]),
    .testTarget(name: "PerceptionTests", dependencies: ["Perception", "Simulation", "Objects", "Geometry", "Imaging"]),
    .testTarget(name: "OspreyCLITests", dependencies: ["OspreyCLI", "ConicSolver", "ConvexSets", "GraphsOfConvexSets", "Geometry", "Imaging", "Objects"]),
  ],
  swiftLanguageModes: [.v6],
  cxxLanguageStandard: .cxx17
)

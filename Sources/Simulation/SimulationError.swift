/// Why loading, stepping or rendering a simulation failed.
///
/// MuJoCo's fatal errors (which by default end the process) arrive here instead, with MuJoCo's own
/// message; load errors carry the XML element and line MuJoCo names.
public struct SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of failure.
  public enum Code: Equatable, Sendable {
    /// The MJCF did not parse or compile (the message is MuJoCo's and names the line).
    case loadFailed
    /// MuJoCo raised a fatal error inside the engine (stepping, forward dynamics, allocation).
    case engineError
    /// A name that the model does not have (body, geom, site, camera, joint, actuator).
    case unknownName
    /// A value that does not fit the model (array length, resolution).
    case invalidArgument
    /// The offscreen GL context or MuJoCo's renderer could not be created or failed.
    case renderingFailed
    /// Data collection could not finish (too few reachable, collision-free viewpoints).
    case collectionFailed
    /// A file or folder could not be written.
    case writeFailed
  }

  /// The kind of failure.
  public let code: Code
  /// What was being done (a file, `mj_step`, `body "gripper"`).
  public let context: String
  /// What went wrong, in MuJoCo's or our words.
  public let message: String

  /// An error from its parts.
  public init(code: Code, context: String, message: String) {
    self.code = code
    self.context = context
    self.message = message
  }

  public var description: String { "\(context): \(message)" }
}

/// A non-fatal problem MuJoCo reported while the simulation ran (MuJoCo's `mjtWarning`), for
/// example a NaN in the state, after which MuJoCo resets the state and carries on.
public struct SimulationDiagnostic: Equatable, Sendable, CustomStringConvertible {
  /// MuJoCo's warning types (`mjtWarning`).
  public enum Kind: Int, Sendable, CaseIterable {
    /// (Near-)singular inertia matrix.
    case singularInertia = 0
    /// Too many contacts for the contact buffer.
    case contactBufferFull
    /// Too many constraints.
    case constraintBufferFull
    /// Too many visual geoms for the scene.
    case visualGeomBufferFull
    /// NaN, infinity or a huge value in `qpos` (MuJoCo resets the state).
    case badPosition
    /// NaN, infinity or a huge value in `qvel` (MuJoCo resets the state).
    case badVelocity
    /// NaN, infinity or a huge value in `qacc` (MuJoCo resets the state).
    case badAcceleration
    /// NaN, infinity or a huge value in `ctrl`.
    case badControl
  }

  /// The warning type.
  public let kind: Kind
  /// MuJoCo's `lastinfo` for this warning (for the `bad*` kinds: the offending index).
  public let info: Int
  /// Simulation time when it was noticed, in seconds.
  public let timeSeconds: Double
  /// MuJoCo's message where it printed one (it does only on a warning type's first occurrence
  /// since the last reset), else a description of the kind.
  public let message: String

  public var description: String { "t=\(timeSeconds) s \(kind): \(message)" }
}

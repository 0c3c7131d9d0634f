import Simulation

/// Named model fixtures for the tests.
enum Fixtures {
  /// A 10 cm box falling onto a ground plane, and a hinge pendulum.
  static let boxOnPlane = """
    <mujoco model="box-on-plane">
      <option timestep="0.002"/>
      <worldbody>
        <geom name="ground" type="plane" size="2 2 0.1"/>
        <body name="box" pos="0 0 0.3">
          <freejoint name="box_free"/>
          <geom name="box" type="box" size="0.05 0.05 0.05" mass="1"/>
        </body>
        <body name="pendulum" pos="1 0 1">
          <joint name="hinge" type="hinge" axis="0 1 0" limited="true" range="-90 90"/>
          <geom name="bob" type="capsule" fromto="0 0 0 0 0 -0.5" size="0.02"/>
          <site name="tip" pos="0 0 -0.5"/>
        </body>
        <camera name="above" pos="0 0 2" xyaxes="1 0 0 0 1 0"/>
      </worldbody>
    </mujoco>
    """

  /// Broken XML: the geom element is never closed (MuJoCo names line 3).
  static let malformed = """
    <mujoco model="broken">
      <worldbody>
        <geom name="oops" type="sphere" size="0.1">
      </worldbody>
    </mujoco>
    """

  /// Well-formed XML that MuJoCo's compiler rejects (a geom type that does not exist, line 3).
  static let badAttribute = """
    <mujoco>
      <worldbody>
        <geom type="dodecahedron" size="0.1"/>
      </worldbody>
    </mujoco>
    """

  /// Twelve free spheres apart on a plane, with a scratch stack (`nstack`) big enough for them
  /// apart but far too small once they are piled into each other: MuJoCo then raises its fatal
  /// "Stack overflow" error (mju_error), which would end the process without our handler.
  static let smallStack: String = {
    let bodies = (0..<12).map { i in
      "<body name=\"ball\(i)\" pos=\"\(Double(i) * 0.5) 0 0.2\"><freejoint/><geom type=\"sphere\" size=\"0.1\"/></body>"
    }.joined(separator: "\n")
    return """
      <mujoco>
        <size nstack="3000"/>
        <worldbody>
          <geom type="plane" size="10 10 0.1"/>
          \(bodies)
        </worldbody>
      </mujoco>
      """
  }()
}

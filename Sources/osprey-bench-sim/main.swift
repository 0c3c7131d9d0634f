import Imaging
import Simulation

do {
  let sim = try Simulation(mjcf: OspreyWorld.mjcf())
  try sim.resetToKeyframe("home")
  print("nq", sim.positionCount, "nv", sim.velocityCount, "nu", sim.actuatorCount, "bodies", sim.bodyCount, "geoms", sim.geomCount)
  for cam in [OspreyWorld.overviewCamera, OspreyWorld.wristCamera] {
    let r = try OffscreenRenderer(simulation: sim, camera: try sim.camera(cam), options: RendererOptions(width: 640, height: 480))
    print(r.glDescription)
    let f = try r.render(.all)
    try PNG.write(f.rgb!, to: "/tmp/simscratch/\(cam)-rgb.png")
    try PNG.write(f.depthPreview(nearMetres: 0.2, farMetres: 3), to: "/tmp/simscratch/\(cam)-depth.png")
    try PNG.write(f.segmentationPreview(), to: "/tmp/simscratch/\(cam)-seg.png")
    let c = f.width / 2 + f.height / 2 * f.width
    print(cam, "centre depth", f.depthMetres[c], "geom", f.segmentationGeoms[c])
  }
} catch {
  print("error:", error)
}

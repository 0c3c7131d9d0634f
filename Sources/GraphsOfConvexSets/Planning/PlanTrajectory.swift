import ConvexSets
import Foundation
import LinearAlgebra

/// What `PlanScene.planTrajectory` did: the trajectory file, the regions it ended with, and the repairs.
public struct PlanTrajectoryOutcome: Sendable {
  /// The trajectory, sampled, with `samplesInCollision` set by the scene's checker.
  public var file: PlanTrajectoryFile
  /// The last solve's result (status, regions path, the shortest-path solver's times and counters).
  public var result: GCSTrajectoryResult
  /// The last problem solved (its graph, edges and set-up time).
  public var problem: GCSTrajectoryOptimization
  /// The regions after repair (the input regions when nothing collided).
  public var regions: PlanRegions
  /// Solves that found samples in collision and cut the regions before solving again.
  public var repairRounds: Int
  /// Planes added to the regions by those repairs.
  public var planesAdded: Int
}

extension PlanScene {
  /// Plans a trajectory from the start to the goal through `regions`, then checks every sample with
  /// the scene's collision checker; while some collide (possible when the regions were grown in a
  /// robot's configuration space, which is free only with high probability) and `repairRounds` allow,
  /// cuts the colliding configurations out of the regions that contain them (`PlanRegions.excluding`)
  /// and solves again.
  ///
  /// - Throws: `GCSError` when the regions do not suit the trajectory problem (dimension, an
  ///   unbounded region) or the scene's collision checker cannot be built.
  /// - Precondition: `sampleDt > 0`, `repairRounds ≥ 0`.
  public func planTrajectory(
    regions: PlanRegions, options: GCSTrajectoryOptions, sampleDt: Double, repairRounds: Int = 5
  ) throws(GCSError) -> PlanTrajectoryOutcome {
    precondition(repairRounds >= 0, "planTrajectory: repairRounds \(repairRounds) < 0")
    let checker: any CollisionChecker
    do {
      checker = try collisionChecker()
    } catch {
      throw GCSError(field: error.field, message: error.message)
    }
    var current = regions
    var rounds = 0
    var planes = 0
    while true {
      let problem = try GCSTrajectoryOptimization(regions: current.regions, options: options)
      let result = problem.solvePath(from: start, to: goal)
      var file = PlanTrajectoryFile(result: result, sampleDt: sampleDt)
      let colliding = file.samples.map(\.q).filter { !checker.isFree($0) }  // one check per sample
      file.samplesInCollision = colliding.count
      if colliding.isEmpty || rounds == repairRounds {
        return PlanTrajectoryOutcome(
          file: file, result: result, problem: problem, regions: current, repairRounds: rounds, planesAdded: planes)
      }
      let (repaired, added) = current.excluding(colliding, checker: checker)
      if added == 0 {
        return PlanTrajectoryOutcome(
          file: file, result: result, problem: problem, regions: current, repairRounds: rounds, planesAdded: planes)
      }
      current = repaired
      rounds += 1
      planes += added
    }
  }
}

extension PlanRegions {
  /// The regions with `points` (configurations in collision) cut out of every polyhedral region that
  /// contains them, and the number of planes added.
  ///
  /// As in IRIS, planes are tangent to the region's maximum-volume inscribed ellipsoid
  /// `E = {q : ‖A(q − c)‖ ≤ 1}`'s level sets, so they cut as little of its bulk as they can: for a
  /// colliding point `p` inside the region, bisection on the segment from `c` (or from the region's
  /// seed when `c` collides) to `p`, 20 steps, finds `y`, the colliding point nearest the start along
  /// it; the plane is `aᵀq ≤ aᵀy − margin`, `a = AᵀA(y − c)/‖AᵀA(y − c)‖`, its margin shrunk when
  /// needed to keep the seed strictly inside. Points an earlier plane already cut off are skipped.
  /// Boxes are turned into H-polyhedra; regions of other kinds are left as they are.
  public func excluding(
    _ points: [[Double]], checker: any CollisionChecker, margin: Double = 1e-2
  ) -> (regions: PlanRegions, planesAdded: Int) {
    var regions = self.regions
    var added = 0
    for k in regions.indices {
      let polyhedron: HPolyhedron
      switch regions[k] {
      case let h as HPolyhedron: polyhedron = h
      case let box as Hyperrectangle: polyhedron = HPolyhedron(box)
      default: continue
      }
      let seed = seeds[k]
      var rows = polyhedron.A.rows
      var b = polyhedron.b
      var changed = false
      var metric: Matrix?  // AᵀA of the inscribed ellipsoid, computed on the first colliding point
      var center = seed
      for p in points where zip(rows, b).allSatisfy({ $0.dot(p) <= $1 }) {
        if metric == nil {
          if let e = try? polyhedron.maximumVolumeInscribedEllipsoid() {
            metric = e.A.multiplied(by: e.A, transposingSelf: true)
            if checker.isFree(e.center) { center = e.center }
          } else {
            metric = Matrix.identity(seed.count)
          }
        }
        var lo = center
        var hi = p
        for _ in 0..<20 {
          let mid = zip(lo, hi).map { 0.5 * ($0 + $1) }
          if checker.isFree(mid) { lo = mid } else { hi = mid }
        }
        let direction = metric! * zip(hi, center).map { $0 - $1 }
        let length = direction.norm2
        guard length > 0, length.isFinite else { continue }
        let a = direction.map { $0 / length }
        let ay = a.dot(hi)
        let aSeed = a.dot(seed)
        guard ay > aSeed else { continue }  // no plane through y separates p from the seed
        rows.append(a)
        b.append(max(ay - margin, aSeed + 0.5 * (ay - aSeed)))
        changed = true
        added += 1
      }
      if changed, let cut = try? HPolyhedron(A: Matrix(rows: rows), b: b) { regions[k] = cut }
    }
    var result = self
    result.regions = regions
    return (result, added)
  }
}

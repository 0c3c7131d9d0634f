import ConvexSets
import Geometry
import Multibody
import Simulation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

private func nowSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// One checker for the suite (loading the model and finding the always-close pairs takes a moment).
private let sharedChecker: MuJoCoCollisionChecker = {
  do { return try MuJoCoCollisionChecker() } catch { fatalError("MuJoCoCollisionChecker: \(error)") }
}()

@Suite struct MuJoCoCollisionCheckerTests {
  let checker = sharedChecker

  @Test func armStraightUpIsFree() throws {
    let q = Array(repeating: 0.0, count: 7)
    #expect(checker.dimension == 7)
    #expect(checker.isFree(q))
    let clearance = try #require(checker.clearance(q))
    #expect(clearance > 0 && clearance <= 0.05)
    #expect(checker.isFree(OspreyWorld.homeConfiguration))
    print("filtered robot pairs: \(checker.filteredPairs)")
  }

  /// Joint 2 at 115° lays the straight arm forward and down: by our own FK the tcp ends below the
  /// table top, over the table.
  @Test func armFoldedIntoTheTableCollides() throws {
    let q = [0, 2.0, 0, 0, 0, 0, 0]
    let arm = OspreyWorld.armModel()
    let p = try arm.pose(of: try arm.frame(named: "tcp"), at: q).translation
    #expect(p.z < OspreyWorld.tableTopHeightMetres && p.x < 1.05)
    #expect(!checker.isFree(q))
    let clearance = try #require(checker.clearance(q))
    #expect(clearance < 0)
    let hits = checker.contacts(q)
    #expect(!hits.isEmpty)
  }

  /// Lowering the tcp from home (0.25 m above the table, over the box) towards the table: the box
  /// is ignored here (`ignoredBodies`), so the fingertips approach the table top.
  @Test func clearanceShrinksAsTheGripperApproachesTheTable() throws {
    var options = MuJoCoCollisionChecker.Options()
    options.ignoredBodies = [OspreyWorld.objectBody]
    let checker = try MuJoCoCollisionChecker(options: options)
    let arm = OspreyWorld.armModel()
    let tcp = try arm.frame(named: "tcp")
    var previous = Double.infinity
    var q = OspreyWorld.homeConfiguration
    var clearances: [Double] = []
    func lowered(by drop: Double) -> [Double] {
      var target = (try? arm.pose(of: tcp, at: OspreyWorld.homeConfiguration))!
      target.translation.z -= drop
      return (try? arm.inverseKinematics(frame: tcp, target: target, initialGuess: OspreyWorld.homeConfiguration))!.q
    }
    #expect(!sharedChecker.isFree(lowered(by: 0.2)))  // with the box: the fingers are in it
    for drop in [0.20, 0.23, 0.26] {
      q = lowered(by: drop)
      let c = try #require(checker.clearance(q))
      clearances.append(c)
      #expect(c < previous)
      previous = c
    }
    print("clearance with the tcp 5, 2, −1 cm above the table: \(clearances)")
    #expect(clearances[0] > 0.02 && checker.isFree(lowered(by: 0.20)))
    #expect(clearances.last! < 0 && !checker.isFree(q))
  }

  @Test func rejectsBadOptions() throws {
    var options = MuJoCoCollisionChecker.Options()
    options.distanceMarginMetres = 0
    #expect(throws: SimulationError.self) { try MuJoCoCollisionChecker(options: options) }
    #expect(throws: SimulationError.self) { try MuJoCoCollisionChecker(joints: ["nope"]) }
  }

  /// A configuration with a NaN or an infinite joint is answered as in collision (MuJoCo would
  /// compute contacts from garbage), and the checker keeps working afterwards.
  @Test func nonFiniteConfigurationIsNotFree() throws {
    let checker = try MuJoCoCollisionChecker()
    var q = Array(repeating: 0.0, count: 7)
    q[3] = .nan
    #expect(!checker.isFree(q))
    #expect(checker.clearance(q) == nil)
    #expect(checker.contacts(q).isEmpty)
    #expect(checker.failureCount == 3)
    #expect(checker.lastFailure?.contains("entry 3 is nan") == true)
    q[3] = .infinity
    #expect(!checker.isFree(q))
    #expect(checker.isFree(Array(repeating: 0.0, count: 7)))
    #expect(checker.failureCount == 4)
  }

  /// A slider whose body holds three spheres, over a floor, with room for one contact
  /// (`nconmax="1"`): lowered into the floor all three penetrate, MuJoCo's contact list overflows
  /// (mjWARN_CONTACTFULL) and the dropped contacts could be the penetrating ones, so the checker
  /// answers "in collision" with nil clearance instead of trusting the one contact it kept. Raised
  /// clear of the floor, nothing overflows and the answer is "free".
  @Test func fullContactListIsNotFree() throws {
    let mjcf = """
      <mujoco>
        <size nconmax="1"/>
        <worldbody>
          <geom name="floor" type="plane" size="1 1 0.1"/>
          <body name="robot" pos="0 0 0.5">
            <joint name="lift" type="slide" axis="0 0 1" limited="true" range="-1 1"/>
            <geom type="sphere" size="0.05" pos="-0.2 0 0"/>
            <geom type="sphere" size="0.05" pos="0 0 0"/>
            <geom type="sphere" size="0.05" pos="0.2 0 0"/>
          </body>
        </worldbody>
      </mujoco>
      """
    let checker = try MuJoCoCollisionChecker(mjcf: mjcf, joints: ["lift"], robotRoot: "robot")
    #expect(checker.isFree([0]))
    #expect(checker.failureCount == 0)
    #expect(!checker.isFree([-0.48]))
    #expect(checker.clearance([-0.48]) == nil)
    let failure = try #require(checker.lastFailure)
    #expect(failure.contains("contact list is full"))
    #expect(checker.isFree([0]))
  }

  /// Configuration-space IRIS in 7-D from the home configuration with a small budget (one outer
  /// iteration, ε = 5 %); then 500 hit-and-run samples of the region: at least 95 % free.
  @Test func irisRegionInSevenDimensionsIsMostlyFree() throws {
    let limits = OspreyWorld.armJointLimitsRadians
    let domain = HPolyhedron(try Hyperrectangle(lb: limits.map { -$0 }, ub: limits))
    var options = ConfigurationSpaceIrisOptions()
    options.admissibleCollisionFraction = 0.05
    options.particleCount = 200
    options.iterationLimit = 1
    options.planeRoundLimit = 8
    let seed = OspreyWorld.homeConfiguration
    let t0 = nowSeconds()
    let result = try irisInConfigurationSpace(checker: checker, seed: seed, domain: domain, options: options)
    let seconds = nowSeconds() - t0
    #expect(result.region.contains(seed, tolerance: 1e-9))
    let samples = try result.region.uniformSamples(count: 500, seed: 9, burnIn: 500, stepsBetweenSamples: 50)
    let free = samples.filter { checker.isFree($0) }.count
    print("IRIS 7-D: \(String(seconds)) s, \(result.collisionChecks) checks, \(result.region.b.count) inequalities, certified \(result.certified), \(free)/500 samples free")
    #expect(free >= 475)
  }

  /// Speed, printed (a figure for the docs, not an assertion): random configurations within limits.
  @Test func checksPerSecond() throws {
    var generator = SeededGenerator(seed: 5)
    let limits = OspreyWorld.armJointLimitsRadians
    let configurations = (0..<2000).map { _ in limits.map { -$0 + 2 * $0 * generator.nextUnit() } }
    var t0 = nowSeconds()
    var free = 0
    for q in configurations where checker.isFree(q) { free += 1 }
    let isFreeRate = Double(configurations.count) / (nowSeconds() - t0)
    t0 = nowSeconds()
    for q in configurations { _ = checker.clearance(q) }
    let clearanceRate = Double(configurations.count) / (nowSeconds() - t0)
    print("MuJoCoCollisionChecker: \(Int(isFreeRate)) isFree/s, \(Int(clearanceRate)) clearance/s (debug build), \(free)/2000 random configurations free")
    #expect(free > 0 && free < 2000)
  }
}


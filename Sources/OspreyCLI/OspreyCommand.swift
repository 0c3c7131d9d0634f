import ArgumentParser

/// The `osprey` command line.
public struct OspreyCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "osprey",
    abstract: "Osprey: robotic manipulation, planning and convex optimization in Swift.",
    subcommands: [])
  public init() {}
}

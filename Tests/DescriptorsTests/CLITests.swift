import Foundation
import Testing

/// End to end: `osprey-learn` and `osprey` as `swift build --build-tests` builds them next to the
/// test runner (skipped when they are not there, e.g. a filtered build).
extension DescriptorsTests {
  @Suite struct CLITests {
    static let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let learn = folder.appendingPathComponent("osprey-learn").path
    static let osprey = folder.appendingPathComponent("osprey").path

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: learn)))
    func badInputExitsWithStatus2AndOneLine() throws {
      let garbage = temporaryFolder("cli") + "/model.pt"
      try Data("garbage".utf8).write(to: URL(fileURLWithPath: garbage))
      let cases: [([String], String)] = [
        (["descriptors", "train", "--data", "/nonexistent/data", "--out", "/tmp/m.pt"], "/nonexistent/data: no such data folder"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--steps", "0"], "--steps must be positive"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--resolution", "100x7"], "--resolution"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--crop", "quarter"], "--crop: expected 'half', 'none' or WxH"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--ring-non-matches=-1"], "--ring-non-matches must be ≥ 0"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--synthesized-views=-1"], "--synthesized-views must be ≥ 0"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--synthesis-elevation", "80"], "--synthesis-elevation must be between 0 and 75"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--distribution-candidates=-1"], "--distribution-candidates must be ≥ 0"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--distribution-sigma", "nan"], "--distribution-sigma must be between 0 and 20 pixels"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--distribution-sigma=-1"], "--distribution-sigma must be between 0 and 20 pixels"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--workers", "3", "--threads", "2"], "--workers must be between 1 and --threads (2)"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--average-decay", "1"], "--average-decay must lie in [0, 1)"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--last-iterate-out", "/tmp/l.pt"], "--last-iterate-out needs --average-decay > 0"),
        (["descriptors", "train", "--data", "/tmp", "--out", "/tmp/m.pt", "--average-decay", "0.9", "--last-iterate-out", "/tmp/m.pt"], "--last-iterate-out must name another file than --out"),
        (["descriptors", "eval", "--model", "/nonexistent/m.pt", "--data", "/tmp"], "/nonexistent/m.pt: no such model file"),
        (["descriptors", "eval", "--model", garbage, "--data", "/tmp"], "osprey-learn: error: torch:"),
        (["descriptors", "show", "--model", "/nonexistent/m.pt", "--image", "/tmp/x.png", "-o", "/tmp/y.png"], "/nonexistent/m.pt: no such model file"),
      ]
      for (arguments, expected) in cases {
        let (status, output) = try Self.run(Self.learn, arguments)
        #expect(status == 2, "\(arguments): \(output)")
        #expect(output.contains(expected), "\(arguments): \(output)")
      }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: learn)))
    func showRejectsAMissingImage() throws {
      let root = try TinyData.folder.get()
      let model = temporaryFolder("show") + "/m.pt"
      let train = try Self.run(Self.learn, ["descriptors", "train", "--data", root, "--out", model, "--steps", "2", "--width", "4",
                                            "--dim", "3", "--threads", "1", "--held-out-every", "0"])
      #expect(train.status == 0, "\(train.output)")
      // The options that are off by default run end to end too (a synthesized view per view, mined queries, a Gaussian target).
      let options = try Self.run(Self.learn, ["descriptors", "train", "--data", root, "--out", temporaryFolder("options") + "/m.pt", "--steps", "2",
                                              "--width", "4", "--dim", "3", "--threads", "1", "--synthesized-views", "1", "--distribution-candidates", "64",
                                              "--distribution-sigma", "1"])
      #expect(options.status == 0, "\(options.output)")
      #expect(options.output.contains("3 views synthesized"), "\(options.output)")
      // Weight averaging writes the average to --out and the last iterate beside it; both load.
      let averaged = temporaryFolder("average")
      let average = try Self.run(Self.learn, ["descriptors", "train", "--data", root, "--out", averaged + "/m.pt", "--steps", "3", "--width", "4",
                                              "--dim", "3", "--threads", "2", "--average-decay", "0.9", "--last-iterate-out", averaged + "/last.pt"])
      #expect(average.status == 0, "\(average.output)")
      #expect(average.output.contains("(weights averaged, decay 0.9)"), "\(average.output)")
      for name in ["m.pt", "last.pt"] {
        let timing = try Self.run(Self.learn, ["descriptors", "time", "--model", averaged + "/" + name, "--repeats", "1", "--threads", "1"])
        #expect(timing.status == 0, "\(name): \(timing.output)")
      }
      let (status, output) = try Self.run(Self.learn, ["descriptors", "show", "--model", model, "--image", "/nonexistent/x.png", "-o", "/tmp/y.png"])
      #expect(status == 2)
      #expect(output.contains("/nonexistent/x.png"), "\(output)")
      let eval = try Self.run(Self.learn, ["descriptors", "eval", "--model", model, "--data", root, "--views", "all", "--pairs", "2",
                                           "--matches-per-pair", "10", "--json"])
      #expect(eval.status == 0, "\(eval.output)")
      #expect(eval.output.contains("\"fraction_within_px\""))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: osprey)))
    func ospreyNamesAMissingOspreyLearn() throws {
      let missing = temporaryFolder("no-learn") + "/osprey-learn"
      let (status, output) = try Self.run(Self.osprey, ["descriptors", "eval", "--model", "m.pt", "--data", "d"], environment: ["OSPREY_LEARN": missing])
      #expect(status == 2)
      #expect(output.contains("\(missing): no such executable"), "\(output)")
      #expect(output.contains("swift build --product osprey-learn"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: osprey) && FileManager.default.isExecutableFile(atPath: learn)))
    func ospreyExecsOspreyLearnWithItsExitStatus() throws {
      let (status, output) = try Self.run(Self.osprey, ["descriptors", "eval", "--model", "/nonexistent/m.pt", "--data", "/tmp"])
      #expect(status == 2)
      #expect(output.contains("osprey-learn: error: /nonexistent/m.pt: no such model file"), "\(output)")
    }
  }
}

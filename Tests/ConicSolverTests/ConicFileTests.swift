import LinearAlgebra
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@testable import ConicSolver

@Suite struct ConicFileTests {
  @Test func infersFormatFromExtension() {
    #expect(ConicFileFormat.infer(fromPath: "a/b/prob.json") == .json)
    #expect(ConicFileFormat.infer(fromPath: "X.CBF") == .cbf)
    #expect(ConicFileFormat.infer(fromPath: "afiro.mps") == .mps)
    #expect(ConicFileFormat.infer(fromPath: "QAFIRO.QPS") == .mps)
    #expect(ConicFileFormat.infer(fromPath: "afiro.SIF") == .mps)
    #expect(ConicFileFormat.infer(fromPath: "dir.json/file") == nil)
    #expect(ConicFileFormat.infer(fromPath: "file.txt") == nil)
  }

  @Test func reportedObjectiveFlipsForMaximize() throws {
    var file = try ConicFile.parse(ConicJSONTests.small, format: .json)
    #expect(file.reportedObjective(-3) == -3)
    file.objectiveSense = .maximize
    #expect(file.reportedObjective(-3) == 3)
  }

  @Test func errorDescriptionReadsLikeADiagnostic() {
    let error = ConicFileError(path: "file.cbf", line: 12, field: "ACOORD", message: "bad index")
    #expect(error.description == "file.cbf:12: ACOORD: bad index")
    #expect(ConicFileError(path: "p.json", message: "oops").description == "p.json: oops")
  }

  @Test func writeIsAtomicAndReadsBack() throws {
    // An LP, so that every format can hold it (CBF has no quadratic objective).
    var file = try ConicFile.parse(ConicJSONTests.small, format: .json)
    file.problem.P = .zeros(rowCount: 2, columnCount: 2)
    let folder = "/tmp/osprey-conicfile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    mkdir(folder, 0o755)
    defer {
      for format in ConicFileFormat.allCases { unlink("\(folder)/p.\(format.rawValue)") }
      rmdir(folder)
    }
    for format in ConicFileFormat.allCases {
      let path = "\(folder)/p.\(format.rawValue)"
      try file.write(to: path, format: format)
      try file.write(to: path, format: format)  // replaces the existing file
      let back = try ConicFile.read(path: path)
      #expect(sameData(back.problem, file.problem))
    }
    // Only the final files are left: no temporary files behind.
    var names: [String] = []
    if let dir = opendir(folder) {
      while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(dir)
    }
    #expect(names.sorted() == ["p.cbf", "p.json", "p.mps"])
  }

  @Test func readReportsMissingFileAndUnknownExtension() {
    let missing = expectFileError { _ = try ConicFile.read(path: "/nonexistent/x.json") }
    #expect(missing?.description.hasPrefix("/nonexistent/x.json: cannot open") == true)
    let unknown = expectFileError { _ = try ConicFile.read(path: "/tmp/x.txt") }
    #expect(unknown?.message.contains("cannot tell the format") == true)
  }
}

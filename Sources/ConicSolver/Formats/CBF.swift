enum CBFReader { static func read(_ b: [UInt8], path: String) throws(ConicFileError) -> ConicFile { throw ConicFileError(path: path, message: "todo") } }
enum CBFWriter { static func write(_ f: ConicFile) throws(ConicFileError) -> String { "" } }

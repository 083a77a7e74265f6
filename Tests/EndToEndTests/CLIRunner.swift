import Foundation

/// Runs the built `dmdissect` binary the way a user does, from the repository root.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The repository root (three levels above this file).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `dmdissect` executable next to the test bundle.
    static var binary: URL {
        let runner = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return runner.deletingLastPathComponent().appendingPathComponent("dmdissect")
    }

    /// Runs dmdissect with `arguments`, optionally feeding `stdin`, in the repository root.
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        try runTool(binary.path, arguments, stdin: stdin)
    }

    /// Runs the program `tool` (a path, or a name looked up on PATH such as `python3`) with
    /// `arguments` in the repository root.
    static func runTool(_ tool: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        if tool.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
        }
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        // Output goes to temporary files: no pipe can fill up and block the child.
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("dmdissect-stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("dmdissect-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Sample captures in SampleCaptures/ (pcap, pcapng, gzip'ed), sorted by name.
    static var sampleCaptures: [String] {
        let directory = root.appendingPathComponent("SampleCaptures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            [".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz"].contains { name.hasSuffix($0) }
        }.sorted()
    }

    /// Compares `actual` with the golden file `SampleCaptures/<capture><suffix>`, or rewrites the
    /// golden when DMDISSECT_UPDATE_GOLDEN=1 (scripts/update-goldens); returns the expected text.
    static func golden(_ capture: String, _ suffix: String, actual: String) throws -> String {
        let url = root.appendingPathComponent("SampleCaptures").appendingPathComponent(capture + suffix)
        if ProcessInfo.processInfo.environment["DMDISSECT_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return actual
        }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? "(missing golden file \(url.lastPathComponent): run scripts/update-goldens)"
    }
}

import Foundation
import Testing

/// The CLI on every recorded sample capture, against checked-in expected output.
@Suite("CLI on SampleCaptures")
struct SampleCaptureTests {
    @Test("--format frames matches the golden frame list", arguments: CLI.sampleCaptures)
    func frames(capture: String) throws {
        let result = try CLI.run(["--format", "frames", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".frames.txt", actual: result.stdout)))
    }

    @Test("--format summary matches the golden summary", arguments: CLI.sampleCaptures)
    func summary(capture: String) throws {
        let result = try CLI.run(["--format", "summary", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".summary.txt", actual: result.stdout)))
    }

    @Test("--format http matches the golden exchange list", arguments: CLI.sampleCaptures.filter { $0.hasPrefix("http-") })
    func http(capture: String) throws {
        let result = try CLI.run(["--format", "http", "SampleCaptures/\(capture)"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == (try CLI.golden(capture, ".http.txt", actual: result.stdout)))
    }

    @Test("there are sample captures to test")
    func samplesExist() {
        #expect(CLI.sampleCaptures.count >= 10)
    }
}

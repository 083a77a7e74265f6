import Foundation
import Testing

@testable import Capture

/// Regression (FuzzCapture, Fuzz/crashes/FuzzCapture/fd-leak-not-a-capture): opening a regular file
/// that is not a capture leaked its file descriptor, so a long run over many such inputs ended with
/// every open failing ("Too many open files").
@Suite("file descriptors")
struct DescriptorLeakTests {
    /// Open descriptors of this process (other tests running in parallel may add a few).
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    @Test(
        "an input that is not a capture, or is empty, leaves no descriptor open",
        arguments: [[0x26, 0x0A, 0x26, 0xB1], [], [0x0A, 0x0D], Array("not a capture file\n".utf8)] as [[UInt8]])
    func rejectedInputsCloseTheirDescriptor(bytes: [UInt8]) throws {
        let path = try ContainerBuilder.write(bytes)
        let before = Self.openDescriptors()
        for _ in 0..<300 {
            #expect(throws: CaptureError.self) { try CaptureFile.open(path) }
        }
        // A leak would leave 300 more; parallel tests account for a handful at most.
        #expect(Self.openDescriptors() - before < 50)
    }
}

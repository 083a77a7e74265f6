// swift-tools-version: 6.1
// dmdissect: a packet-capture analyzer for OMA Device Management 2.0 traffic.
import PackageDescription

let package = Package(
    name: "dmdissect",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dmdissect", targets: ["dmdissect"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // libpcap, through pkg-config; Debian: libpcap-dev.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // Small C shims: a gzip-transparent FILE* for libpcap (zlib), nothing else.
        .target(
            name: "CSupport",
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Zero-copy decoders from link layer to TCP/UDP; knows nothing of libpcap.
        .target(name: "Packets"),
        // Capture files, standard input and live interfaces through libpcap; native pcapng.
        .target(name: "Capture", dependencies: ["CPcap", "CSupport", "Packets"]),
        // The pipeline glue: runs captures through the decoders, collects findings and statistics.
        .target(name: "Analysis", dependencies: ["Capture", "Packets"]),
        // Text and JSON output.
        .target(name: "Rendering", dependencies: ["Analysis", "Packets", "Capture"]),
        .executableTarget(
            name: "dmdissect",
            dependencies: [
                "Analysis", "Capture", "Packets", "Rendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Packets"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Capture", "Packets"]),
        .testTarget(name: "EndToEndTests", dependencies: ["dmdissect", "Rendering", "Analysis", "Packets"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer entry points (scripts/fuzz builds them with DMDISSECT_FUZZ=1; a normal build never sees them).
// Each is a directory Fuzz/<Name>/ with one file that defines `LLVMFuzzerTestOneInput` via @_cdecl.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzDMPackage", ["DMProtocol"]),
]
if Context.environment["DMDISSECT_FUZZ"] != nil {
    for fuzz in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: fuzz.name,
                dependencies: fuzz.dependencies,
                path: "Fuzz/\(fuzz.name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])],
                linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
            )
        )
    }
}

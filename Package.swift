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
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
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
        // zlib, for gzip/deflate HTTP bodies. Debian: zlib1g-dev.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Zero-copy decoders from link layer to TCP/UDP; knows nothing of libpcap.
        .target(name: "Packets"),
        // TCP flow table and per-direction stream reassembly.
        .target(name: "Reassembly", dependencies: ["Packets"]),
        // Incremental HTTP/1.1 parser over reassembled streams, request/response pairing.
        .target(name: "HTTP1", dependencies: ["Reassembly", "Packets", "CZlib"]),
        // Capture files, standard input and live interfaces through libpcap; native pcapng.
        .target(name: "Capture", dependencies: ["CPcap", "CSupport", "Packets"]),
        // The DM 2.0 model and decoders; pure, no I/O.
        .target(name: "DMProtocol", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // TLS 1.2/1.3 record layer and decryption with an NSS key log, in front of the HTTP parser.
        .target(
            name: "TLS",
            dependencies: ["Packets", "Reassembly", .product(name: "Crypto", package: "swift-crypto")]),
        // The pipeline glue: runs captures through the decoders, collects findings and statistics.
        .target(name: "Analysis", dependencies: ["Capture", "Packets", "Reassembly", "HTTP1", "DMProtocol", "TLS"]),
        // Text and JSON output.
        .target(name: "Rendering", dependencies: ["Analysis", "Packets", "Capture", "HTTP1", "Reassembly"]),
        .executableTarget(
            name: "dmdissect",
            dependencies: [
                "Analysis", "Capture", "Packets", "Rendering", "HTTP1", "DMProtocol", "TLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PacketsTests", dependencies: ["Packets"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Packets"]),
        .testTarget(
            name: "ReassemblyTests",
            dependencies: ["Reassembly", "Packets", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "Reassembly", "Packets"]),
        .testTarget(
            name: "DMProtocolTests",
            dependencies: [
                "DMProtocol",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "AnalysisTests",
            dependencies: [
                "Analysis", "Capture", "Packets", "HTTP1", "Reassembly", "DMProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "TLSTests",
            dependencies: [
                "TLS", "Analysis", "Capture", "HTTP1", "Reassembly", "Packets",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["dmdissect", "Rendering", "Analysis", "Packets"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer entry points (scripts/fuzz builds them with DMDISSECT_FUZZ=1; a normal build never sees them).
// Each is a directory Fuzz/<Name>/ with one file that defines `LLVMFuzzerTestOneInput` via @_cdecl.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzDMPackage", ["DMProtocol"]),
    ("FuzzNotification", ["DMProtocol"]),
    ("FuzzWSP", ["DMProtocol"]),
    ("FuzzPacketDecoder", ["Packets"]),
    ("FuzzFragments", ["Packets"]),
    ("FuzzTCPReassembly", ["Reassembly", "Packets", "HTTP1"]),
    ("FuzzHTTP", ["HTTP1", "Reassembly", "Packets"]),
    ("FuzzCapture", ["Analysis", "Capture", "Packets", "Reassembly"]),
]
// Library targets compiled with the fuzzer's coverage instrumentation (and ASan), so libFuzzer sees the
// decoders' branches and not only the harness file's.
let fuzzInstrumentedTargets: Set<String> = [
    "DMProtocol", "Packets", "Reassembly", "HTTP1", "Capture", "TLS", "Analysis",
]
if Context.environment["DMDISSECT_FUZZ"] != nil {
    for target in package.targets where fuzzInstrumentedTargets.contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=fuzzer,address"])]
    }
    // `main` for every harness: calls LLVMFuzzerRunDriver with the harness's LLVMFuzzerTestOneInput.
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"))
    for fuzz in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: fuzz.name,
                dependencies: fuzz.dependencies + ["FuzzSupport"],
                path: "Fuzz/\(fuzz.name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])],
                // SwiftPM links executables with `--defsym main=<Name>_main` (its entry-point renaming),
                // which a -parse-as-library harness does not define and which would shadow libFuzzer's own
                // `main`; point both at FuzzSupport's driver instead (GNU ld/gold syntax: Linux only).
                linkerSettings: [
                    .unsafeFlags([
                        "-sanitize=fuzzer,address",
                        "-Xlinker", "--defsym", "-Xlinker", "\(fuzz.name)_main=dmdissect_fuzz_main",
                        "-Xlinker", "--defsym", "-Xlinker", "main=dmdissect_fuzz_main",
                    ])
                ]
            )
        )
    }
}

// Throughput benchmarks (scripts/bench/dm-decode builds them with DMDISSECT_BENCH=1, in release mode).
if Context.environment["DMDISSECT_BENCH"] != nil {
    package.targets.append(
        .executableTarget(name: "DMDecodeBench", dependencies: ["DMProtocol"], path: "Benchmarks/DMDecodeBench")
    )
}

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "OriginLens",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "originlens", targets: ["originlens"]),
        .library(name: "OriginLens", targets: ["OriginLens"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "OriginLens",
            dependencies: [
                "CZlib",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/OriginLens"
        ),
        .executableTarget(
            name: "originlens",
            dependencies: [
                "OriginLens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/originlens"
        ),
        .executableTarget(
            name: "originlens-gen",
            dependencies: [
                "OriginLens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "bench/Generator"
        ),
        .testTarget(
            name: "OriginLensTests",
            dependencies: ["OriginLens", "FuzzHarness", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/OriginLensTests",
            resources: [.copy("Fixtures")]
        ),
        // What the fuzz targets run (Fuzz/FuzzHarness): always built, so that it cannot rot, and
        // used by the tests to replay the seeds and the inputs that once crashed.
        .target(
            name: "FuzzHarness",
            dependencies: ["OriginLens"],
            path: "Fuzz/FuzzHarness"
        ),
        // `swift run FuzzReplay TARGET FILE...`: replays inputs through a harness without libFuzzer.
        .executableTarget(
            name: "FuzzReplay",
            dependencies: ["FuzzHarness"],
            path: "Fuzz/FuzzReplay"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (docs/fuzzing.md). Each is an executable of one file that defines
// `LLVMFuzzerTestOneInput` and no `main`: libFuzzer's runtime supplies `main`, so these only
// link when built with `--sanitize fuzzer` (scripts/fuzz.sh). A plain `swift build` would fail to
// link them, so they are added to the package only when the environment variable
// ORIGINLENS_FUZZ=1 is set, which scripts/fuzz.sh does; normal builds and `swift test` never
// see them. Their code lives in the FuzzHarness target above, which every build compiles.
if Context.environment["ORIGINLENS_FUZZ"] == "1" {
    let fuzzTargets = [
        "FuzzCloudflareJSON", "FuzzCloudflareCSV", "FuzzCloudFront", "FuzzAccessLog",
        "FuzzNginxError", "FuzzApacheError", "FuzzPhpFpm", "FuzzSyslog", "FuzzSyslog5424",
        "FuzzJournalJSON", "FuzzJournalExport", "FuzzFail2ban", "FuzzVPCFlow",
        "FuzzProxmoxFirewall", "FuzzGzip", "FuzzLineReader", "FuzzRuleMatcher", "FuzzPipeline",
    ]
    for name in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzHarness"], path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}

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
            dependencies: ["OriginLens", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/OriginLensTests",
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.2
import Foundation
import PackageDescription

// A path dependency is known by its directory's name, which depends on where the repository was cloned.
let warden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

// A package of its own, so `swift test` in the root never builds the benchmarks.
let package = Package(
    name: "warden-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../")
    ],
    targets: [
        .executableTarget(
            name: "WardenBenchmarks",
            dependencies: [
                .product(name: "WardenJSON", package: warden),
                .product(name: "WardenPolicy", package: warden),
                .product(name: "WardenMCP", package: warden),
                .product(name: "WardenProxy", package: warden),
                .product(name: "WardenStore", package: warden),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ]
)

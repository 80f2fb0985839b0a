// swift-tools-version:6.2
import PackageDescription

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
                .product(name: "WardenJSON", package: "warden"),
                .product(name: "WardenPolicy", package: "warden"),
                .product(name: "WardenMCP", package: "warden"),
                .product(name: "WardenProxy", package: "warden"),
                .product(name: "WardenStore", package: "warden"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ]
)

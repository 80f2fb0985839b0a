// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for Warden's parsers, kept out of the main package so `swift test` never builds them.
///
/// Build with `swift build --sanitize=fuzzer --package-path Fuzz`; `scripts/fuzz` builds and runs every target.
/// Each target defines `LLVMFuzzerTestOneInput` and no `main` (libFuzzer supplies it), hence `-parse-as-library`.
let fuzzTargetSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "warden-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, because a path dependency is otherwise known by its directory name, which differs between checkouts.
        .package(name: "warden", path: "../")
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: ["FuzzSupport", .product(name: "WardenJSON", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
        .executableTarget(
            name: "FuzzLineFramer",
            dependencies: ["FuzzSupport", .product(name: "WardenMCP", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
        .executableTarget(
            name: "FuzzLineSafety",
            dependencies: ["FuzzSupport", .product(name: "WardenJSON", package: "warden"), .product(name: "WardenMCP", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
        .executableTarget(
            name: "FuzzSSE",
            dependencies: ["FuzzSupport", .product(name: "WardenMCP", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
        .executableTarget(
            name: "FuzzPolicy",
            dependencies: ["FuzzSupport", .product(name: "WardenPolicy", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
        .executableTarget(
            name: "FuzzGatewayConfig",
            dependencies: ["FuzzSupport", .product(name: "WardenGateway", package: "warden")],
            swiftSettings: fuzzTargetSettings
        ),
    ]
)

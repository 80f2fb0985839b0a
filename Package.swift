// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every Warden target.
let swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0461-async-function-isolation.md
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "warden",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "warden", targets: ["warden"]),
        .library(name: "WardenJSON", targets: ["WardenJSON"]),
        .library(name: "WardenPolicy", targets: ["WardenPolicy"]),
        .library(name: "WardenMCP", targets: ["WardenMCP"]),
        .library(name: "WardenProxy", targets: ["WardenProxy"]),
        .library(name: "WardenStore", targets: ["WardenStore"]),
        .library(name: "WardenGateway", targets: ["WardenGateway"]),
        .library(name: "WardenSchema", targets: ["WardenSchema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "WardenJSON", swiftSettings: swiftSettings),
        .target(name: "WardenSchema", dependencies: ["WardenJSON"], swiftSettings: swiftSettings),
        .target(
            name: "WardenPolicy",
            dependencies: ["WardenJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenMCP",
            dependencies: ["WardenJSON", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenStore",
            dependencies: [
                "WardenJSON",
                "WardenPolicy",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenProxy",
            dependencies: [
                "WardenJSON",
                "WardenPolicy",
                "WardenSchema",
                "WardenMCP",
                "WardenStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenGateway",
            dependencies: [
                "WardenJSON",
                "WardenPolicy",
                "WardenMCP",
                "WardenStore",
                "WardenProxy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenDemoServer",
            dependencies: ["WardenJSON"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenTesting",
            dependencies: ["WardenJSON", "WardenMCP", "WardenPolicy", "WardenProxy"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "warden",
            dependencies: [
                "WardenJSON",
                "WardenPolicy",
                "WardenMCP",
                "WardenProxy",
                "WardenStore",
                "WardenDemoServer",
                "WardenGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WardenJSONTests", dependencies: ["WardenJSON", "WardenTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenSchemaTests", dependencies: ["WardenSchema", "WardenJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenPolicyTests", dependencies: ["WardenPolicy", "WardenJSON", "WardenTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WardenMCPTests",
            dependencies: [
                "WardenMCP",
                "WardenJSON",
                "WardenTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenStoreTests",
            dependencies: ["WardenStore", "WardenPolicy", "WardenTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenGatewayTests",
            dependencies: [
                "WardenGateway",
                "WardenJSON",
                "WardenMCP",
                "WardenPolicy",
                "WardenProxy",
                "WardenTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenProxyTests",
            dependencies: [
                "WardenProxy",
                "WardenJSON",
                "WardenMCP",
                "WardenPolicy",
                "WardenStore",
                "WardenTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "wardenTests",
            dependencies: [
                "warden",
                "WardenDemoServer",
                "WardenJSON",
                "WardenPolicy",
                "WardenProxy",
                "WardenStore",
                "WardenTesting",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

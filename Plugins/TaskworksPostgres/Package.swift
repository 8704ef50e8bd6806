// swift-tools-version: 6.1
import PackageDescription

// A PostgreSQL TaskStore for several hosts sharing one queue. A separate package so the root
// package stays free of dependencies; it uses Taskworks from the repository by path.
let package = Package(
    name: "TaskworksPostgres",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TaskworksPostgres", targets: ["TaskworksPostgres"]),
        .executable(name: "taskworks-postgres-bench", targets: ["TaskworksPostgresBench"]),
    ],
    dependencies: [
        .package(name: "Taskworks", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        .target(
            name: "TaskworksPostgres",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // W1, W2 across processes and W5 on PostgreSQL; also the worker process of the
        // multi-host tests.
        .executableTarget(
            name: "TaskworksPostgresBench",
            dependencies: [
                "TaskworksPostgres",
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TaskworksPostgresTests",
            dependencies: [
                "TaskworksPostgres",
                "TaskworksPostgresBench",
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "TaskStoreConformance", package: "Taskworks"),
                .product(name: "TaskworksTesting", package: "Taskworks"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.1
// readme:begin by-url-manifest
import PackageDescription

let package = Package(
    name: "host",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(
            url: "…/Taskworks.git", branch: "main", traits: ["Postgres", "Hummingbird", "ServiceLifecycle"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "host",
            dependencies: [
                .product(name: "Taskworks", package: "taskworks"),
                .product(name: "TaskworksPostgres", package: "taskworks"),
                .product(name: "TaskworksHummingbird", package: "taskworks"),
                .product(name: "TaskworksServiceLifecycle", package: "taskworks"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ])
    ]
)
// readme:end by-url-manifest

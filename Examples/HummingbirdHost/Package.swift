// swift-tools-version: 6.1
import PackageDescription

// An example host app: Taskworks' HTTP API and task console on Hummingbird. A separate package so
// the root package stays free of dependencies; it uses Taskworks from the repository by path.
let package = Package(
    name: "HummingbirdHost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hummingbird-host", targets: ["HummingbirdHost"])
    ],
    dependencies: [
        .package(name: "Taskworks", path: "../..", traits: ["Hummingbird", "Logging"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdHost",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "TaskworksDemoHostKit", package: "Taskworks"),
                .product(name: "TaskworksServiceLifecycle", package: "Taskworks"),
                .product(name: "TaskworksHummingbird", package: "Taskworks"),
                .product(name: "TaskworksLogging", package: "Taskworks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "HummingbirdHostTests",
            dependencies: ["HummingbirdHost", .product(name: "TaskworksTesting", package: "Taskworks")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

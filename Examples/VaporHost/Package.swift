// swift-tools-version: 6.1
import PackageDescription

// An example host app: Taskworks' HTTP API and task console in a Vapor 4 app. A separate package so
// the root package stays free of dependencies; it uses Taskworks from the repository by path.
let package = Package(
    name: "VaporHost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vapor-host", targets: ["VaporHost"])
    ],
    dependencies: [
        .package(name: "Taskworks", path: "../..", traits: ["Vapor", "Logging"]),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
    ],
    targets: [
        .executableTarget(
            name: "VaporHost",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "TaskworksDemoHostKit", package: "Taskworks"),
                .product(name: "TaskworksLogging", package: "Taskworks"),
                .product(name: "TaskworksVapor", package: "Taskworks"),
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .testTarget(
            name: "VaporHostTests",
            dependencies: ["VaporHost", .product(name: "TaskworksTesting", package: "Taskworks")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

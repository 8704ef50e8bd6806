// swift-tools-version: 6.1
import PackageDescription

// Taskworks inside a Swift server app: worker pools and schedulers as ServiceLifecycle services,
// Taskworks' messages and runners' log lines through swift-log, task metrics through
// swift-metrics, and a span per attempt through swift-distributed-tracing. A separate package so
// the root stays free of dependencies; it uses Taskworks from the repository by path.
let package = Package(
    name: "TaskworksIntegrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TaskworksServiceLifecycle", targets: ["TaskworksServiceLifecycle"]),
        .library(name: "TaskworksLogging", targets: ["TaskworksLogging"]),
        .library(name: "TaskworksMetrics", targets: ["TaskworksMetrics"]),
        .library(name: "TaskworksTracing", targets: ["TaskworksTracing"]),
    ],
    dependencies: [
        .package(name: "Taskworks", path: "../.."),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        .target(
            name: "TaskworksServiceLifecycle",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "TaskworksLogging",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "TaskworksMetrics",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]),
        .target(
            name: "TaskworksTracing",
            dependencies: [
                .product(name: "Taskworks", package: "Taskworks"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]),
        // The README's examples for these products, compiled (not a product).
        .target(
            name: "ReadmeExamples",
            dependencies: [
                "TaskworksServiceLifecycle", "TaskworksLogging", "TaskworksMetrics", "TaskworksTracing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The tracing test's other process: runs a file store's tasks under an in-memory tracer
        // and prints the spans it finished. Not a product.
        .executableTarget(
            name: "TracingProbe",
            dependencies: [
                "TaskworksTracing",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "TaskworksTesting", package: "Taskworks"),
            ]),
        .testTarget(
            name: "TaskworksIntegrationsTests",
            dependencies: [
                "TaskworksServiceLifecycle", "TaskworksLogging", "TaskworksMetrics", "TaskworksTracing",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "TaskworksTesting", package: "Taskworks"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

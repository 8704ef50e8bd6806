// swift-tools-version: 6.1
import PackageDescription

// The root package has no package dependencies on purpose: any host app can embed Taskworks
// without a version fight. Packages under Examples/ and Plugins/ may depend on more.
let package = Package(
    name: "Taskworks",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Taskworks", targets: ["Taskworks"]),
        .library(name: "UserExportPlugin", targets: ["UserExportPlugin"]),
        .library(name: "TaskStoreConformance", targets: ["TaskStoreConformance"]),
        .library(name: "TaskworksTesting", targets: ["TaskworksTesting"]),
        // What both example web hosts (Examples/HummingbirdHost, Examples/VaporHost) share.
        .library(name: "TaskworksDemoHostKit", targets: ["TaskworksDemoHostKit"]),
        .executable(name: "taskworks-demo", targets: ["TaskworksDemo"]),
        .executable(name: "taskworks-bench", targets: ["TaskworksBench"]),
        .executable(name: "taskworks-quickstart", targets: ["TaskworksQuickStart"]),
    ],
    targets: [
        .target(name: "Taskworks", resources: [.copy("Resources/openapi.json"), .copy("Resources/console")]),
        // The TaskStore contract as runnable checks, for any store in any package.
        .target(name: "TaskStoreConformance", dependencies: ["Taskworks", "TaskworksTesting"]),
        // Helpers for host apps' and our own tests: waits with deadlines, a manual clock, a
        // running pool.
        .target(name: "TaskworksTesting", dependencies: ["Taskworks"]),
        // Task-type plugins: dependency-free modules a host installs into its registry.
        .target(
            name: "UserExportPlugin",
            dependencies: ["Taskworks"],
            path: "Plugins/UserExport/Sources/UserExportPlugin"
        ),
        .target(
            name: "TaskworksDemoHostKit",
            dependencies: ["Taskworks", "UserExportPlugin"],
            path: "Examples/DemoHostKit"
        ),
        .executableTarget(
            name: "TaskworksDemo",
            dependencies: ["Taskworks", "UserExportPlugin"],
            path: "Examples/TaskworksDemo"
        ),
        .executableTarget(
            name: "TaskworksQuickStart",
            dependencies: ["Taskworks"],
            path: "Examples/QuickStart"
        ),
        .executableTarget(
            name: "TaskworksBench",
            dependencies: ["Taskworks"],
            path: "Benchmarks/TaskworksBench"
        ),
        // A child process for the file store's crash and multi-process tests.
        .executableTarget(
            name: "TaskworksStoreHelper",
            dependencies: ["Taskworks"],
            path: "Tests/TaskworksStoreHelper"
        ),
        .testTarget(
            name: "UserExportPluginTests",
            dependencies: ["UserExportPlugin", "Taskworks", "TaskworksTesting", "TaskworksDemo"],
            path: "Plugins/UserExport/Tests/UserExportPluginTests"
        ),
        .testTarget(
            name: "TaskworksTests",
            dependencies: [
                "Taskworks", "TaskStoreConformance", "TaskworksTesting", "TaskworksStoreHelper", "TaskworksBench",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

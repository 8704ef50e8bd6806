// swift-tools-version: 6.1
import PackageDescription

// The default build depends on no package: any host app embeds Taskworks without a version
// fight. Everything else is opt-in through package traits (SE-0450), each target dependency on a
// package guarded by its trait, so a build without a trait resolves nothing for it. Code behind a
// trait is wrapped in `#if <Trait>`.
//
// Minimum versions: the lowest release whose API the code (tests included) uses, not the newest,
// so that a host need not upgrade for us. The trait code was built with -warnings-as-errors
// against these versions where a comment says "built" (CONTRIBUTING.md says how).
let dependencies: [Package.Dependency] = [
    // PostgresConnection.listen(on:consume:) (1.31.0; PostgresClient.withTransaction came in
    // 1.25.0); built.
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.31.0"),
    // NIOTooManyBytesError, which Hummingbird's collectBody(upTo:) throws (2.38.0). postgres-nio and
    // Hummingbird ask for more themselves; SwiftPM takes the highest floor.
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.38.0"),
    // Logger.MetadataProvider (1.5.0); built with 1.5.0 (Logging) and 1.5.2 (the floor of
    // ServiceLifecycle 2.5.0).
    .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
    // cancelWhenGracefulShutdown (2.5.0); built.
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.5.0"),
    // Counter, Timer and Gauge made with an explicit `factory:` (2.7.0); built.
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.7.0"),
    // InMemoryTracing for the tracing test (1.3.0); built.
    .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.3.0"),
    // Hummingbird 2's RouterMiddleware, Request.collectBody(upTo:), ResponseBody (2.0.0); built.
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    // HTTPField.Name and HTTPFields (1.0.0); Hummingbird 2.0.0 asks for a later 1.x itself.
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    // VaporTesting for the adapter's tests (4.110.0); the adapter itself needs async lifecycle
    // handlers and Response.Body(managedAsyncStream:), both older.
    .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
]

/// A target dependency on `product` of `package`, present only when `trait` is enabled.
func product(_ product: String, of package: String, when trait: String) -> Target.Dependency {
    .product(name: product, package: package, condition: .when(traits: [trait]))
}

let package = Package(
    name: "Taskworks",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Taskworks", targets: ["Taskworks"]),
        .library(name: "TaskworksHTTP", targets: ["TaskworksHTTP"]),
        .library(name: "UserExportPlugin", targets: ["UserExportPlugin"]),
        .library(name: "TaskStoreConformance", targets: ["TaskStoreConformance"]),
        .library(name: "TaskworksTesting", targets: ["TaskworksTesting"]),
        // What both example web hosts (Examples/HummingbirdHost, Examples/VaporHost) share.
        .library(name: "TaskworksDemoHostKit", targets: ["TaskworksDemoHostKit"]),
        .executable(name: "taskworks-demo", targets: ["TaskworksDemo"]),
        .executable(name: "taskworks-bench", targets: ["TaskworksBench"]),
        .executable(name: "taskworks-quickstart", targets: ["TaskworksQuickStart"]),
        // The operators' command line over a file store (and PostgreSQL with the Postgres trait).
        .executable(name: "taskworks", targets: ["TaskworksCLI"]),
        // Behind traits (empty modules without them).
        .library(name: "TaskworksPostgres", targets: ["TaskworksPostgres"]),
        .library(name: "TaskworksServiceLifecycle", targets: ["TaskworksServiceLifecycle"]),
        .library(name: "TaskworksLogging", targets: ["TaskworksLogging"]),
        .library(name: "TaskworksMetrics", targets: ["TaskworksMetrics"]),
        .library(name: "TaskworksTracing", targets: ["TaskworksTracing"]),
        .library(name: "TaskworksHummingbird", targets: ["TaskworksHummingbird"]),
        .library(name: "TaskworksVapor", targets: ["TaskworksVapor"]),
        .executable(name: "taskworks-postgres-bench", targets: ["TaskworksPostgresBench"]),
    ],
    traits: [
        .trait(
            name: "Postgres",
            description: "PostgresTaskStore (postgres-nio), for many hosts sharing one queue"),
        .trait(
            name: "ServiceLifecycle", description: "Worker pools and schedulers as ServiceLifecycle services"),
        .trait(
            name: "Logging", description: "Taskworks' diagnostics and runners' log lines through swift-log"),
        .trait(name: "Metrics", description: "Task metrics through swift-metrics"),
        .trait(name: "Tracing", description: "A span per attempt through swift-distributed-tracing"),
        .trait(
            name: "Hummingbird",
            description: "The API, events and console on a Hummingbird 2 router in one call (with ServiceLifecycle)",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "Vapor", description: "The API, events and console as a Vapor 4 route collection, with lifecycle"),
        .default(enabledTraits: []),
    ],
    dependencies: dependencies,
    targets: [
        .target(name: "Taskworks"),
        // The framework-neutral HTTP API, its OpenAPI document, live events, signed links, the
        // console and the mount the web adapters serve.
        .target(
            name: "TaskworksHTTP", dependencies: ["Taskworks"],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/console")]),
        // The TaskStore contract as runnable checks, for any store in any package.
        .target(name: "TaskStoreConformance", dependencies: ["Taskworks", "TaskworksTesting"]),
        // Helpers for host apps' and our own tests: waits with deadlines, a manual clock, a
        // running pool.
        .target(name: "TaskworksTesting", dependencies: ["Taskworks"]),
        // The `taskworks` command line: its subcommands as a module the tests drive, and the
        // executable around it. PostgreSQL URLs work with the Postgres trait.
        .target(name: "TaskworksCommandLine", dependencies: ["Taskworks", "TaskworksPostgres"]),
        .executableTarget(name: "TaskworksCLI", dependencies: ["TaskworksCommandLine"]),
        // Task-type plugins: dependency-free modules a host installs into its registry.
        .target(
            name: "UserExportPlugin",
            dependencies: ["Taskworks"],
            path: "Plugins/UserExport/Sources/UserExportPlugin"
        ),
        .target(
            name: "TaskworksDemoHostKit",
            dependencies: ["Taskworks", "TaskworksHTTP", "UserExportPlugin"],
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
            dependencies: ["Taskworks", "TaskworksHTTP"],
            path: "Benchmarks/TaskworksBench"
        ),
        // The deterministic simulator (an executable target, not a product): `swift run taskworks-sim`.
        .executableTarget(
            name: "taskworks-sim",
            dependencies: ["Taskworks"],
            path: "Sources/TaskworksSimulator"
        ),
        // A child process for the file store's crash and multi-process tests.
        .executableTarget(
            name: "TaskworksStoreHelper",
            dependencies: ["Taskworks"],
            path: "Tests/TaskworksStoreHelper"
        ),
        .testTarget(
            name: "UserExportPluginTests",
            dependencies: ["UserExportPlugin", "Taskworks", "TaskworksHTTP", "TaskworksTesting", "TaskworksDemo"],
            path: "Plugins/UserExport/Tests/UserExportPluginTests"
        ),
        .testTarget(
            name: "TaskworksTests",
            dependencies: [
                "Taskworks", "TaskworksHTTP", "TaskStoreConformance", "TaskworksTesting", "TaskworksStoreHelper",
                "TaskworksBench", "TaskworksCommandLine", "TaskworksCLI",
            ]
        ),
        // PostgreSQL (trait Postgres).
        .target(
            name: "TaskworksPostgres",
            dependencies: [
                "Taskworks",
                product("PostgresNIO", of: "postgres-nio", when: "Postgres"),
                product("NIOCore", of: "swift-nio", when: "Postgres"),
                product("Logging", of: "swift-log", when: "Postgres"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "Postgres"),
            ],
            path: "Plugins/TaskworksPostgres/Sources/TaskworksPostgres"
        ),
        .executableTarget(
            name: "TaskworksPostgresBench",
            dependencies: [
                "TaskworksPostgres", "Taskworks",
                product("Logging", of: "swift-log", when: "Postgres"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "Postgres"),
            ],
            path: "Plugins/TaskworksPostgres/Sources/TaskworksPostgresBench"
        ),
        .testTarget(
            name: "TaskworksPostgresTests",
            dependencies: [
                "TaskworksPostgres", "TaskworksPostgresBench", "Taskworks", "TaskStoreConformance",
                "TaskworksTesting", "TaskworksCommandLine",
                product("PostgresNIO", of: "postgres-nio", when: "Postgres"),
                product("Logging", of: "swift-log", when: "Postgres"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "Postgres"),
            ],
            path: "Plugins/TaskworksPostgres/Tests/TaskworksPostgresTests"
        ),
        // Integrations (traits ServiceLifecycle, Logging, Metrics, Tracing).
        .target(
            name: "TaskworksServiceLifecycle",
            dependencies: [
                "Taskworks",
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "ServiceLifecycle"),
            ],
            path: "Plugins/TaskworksIntegrations/Sources/TaskworksServiceLifecycle"
        ),
        .target(
            name: "TaskworksLogging",
            dependencies: ["Taskworks", product("Logging", of: "swift-log", when: "Logging")],
            path: "Plugins/TaskworksIntegrations/Sources/TaskworksLogging"
        ),
        .target(
            name: "TaskworksMetrics",
            dependencies: ["Taskworks", product("CoreMetrics", of: "swift-metrics", when: "Metrics")],
            path: "Plugins/TaskworksIntegrations/Sources/TaskworksMetrics"
        ),
        .target(
            name: "TaskworksTracing",
            dependencies: [
                "Taskworks", product("Tracing", of: "swift-distributed-tracing", when: "Tracing"),
            ],
            path: "Plugins/TaskworksIntegrations/Sources/TaskworksTracing"
        ),
        // Web framework adapters (traits Hummingbird, Vapor).
        .target(
            name: "TaskworksHummingbird",
            dependencies: [
                "Taskworks", "TaskworksHTTP",
                product("Hummingbird", of: "hummingbird", when: "Hummingbird"),
                product("HTTPTypes", of: "swift-http-types", when: "Hummingbird"),
                product("NIOCore", of: "swift-nio", when: "Hummingbird"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "Hummingbird"),
            ]
        ),
        .target(
            name: "TaskworksVapor",
            dependencies: ["Taskworks", "TaskworksHTTP", product("Vapor", of: "vapor", when: "Vapor")]
        ),
        .testTarget(
            name: "TaskworksWebAdaptersTests",
            dependencies: [
                "TaskworksHummingbird", "TaskworksVapor", "Taskworks", "TaskworksHTTP", "TaskworksTesting",
                product("Hummingbird", of: "hummingbird", when: "Hummingbird"),
                product("HummingbirdTesting", of: "hummingbird", when: "Hummingbird"),
                product("HTTPTypes", of: "swift-http-types", when: "Hummingbird"),
                product("Vapor", of: "vapor", when: "Vapor"),
                product("VaporTesting", of: "vapor", when: "Vapor"),
            ]
        ),
        // The README's examples for the integrations, compiled (not a product).
        .target(
            name: "IntegrationReadmeExamples",
            dependencies: [
                "TaskworksServiceLifecycle", "TaskworksLogging", "TaskworksMetrics", "TaskworksTracing",
                product("Logging", of: "swift-log", when: "Logging"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "ServiceLifecycle"),
            ],
            path: "Plugins/TaskworksIntegrations/Sources/ReadmeExamples"
        ),
        // The tracing test's other process: runs a file store's tasks under an in-memory tracer
        // and prints the spans it finished. Not a product.
        .executableTarget(
            name: "TracingProbe",
            dependencies: [
                "TaskworksTracing", "TaskworksTesting",
                product("InMemoryTracing", of: "swift-distributed-tracing", when: "Tracing"),
            ],
            path: "Plugins/TaskworksIntegrations/Sources/TracingProbe"
        ),
        .testTarget(
            name: "TaskworksIntegrationsTests",
            dependencies: [
                "TaskworksServiceLifecycle", "TaskworksLogging", "TaskworksMetrics", "TaskworksTracing",
                "TaskworksTesting", "Taskworks",
                product("Logging", of: "swift-log", when: "Logging"),
                product("ServiceLifecycle", of: "swift-service-lifecycle", when: "ServiceLifecycle"),
                product("ServiceLifecycleTestKit", of: "swift-service-lifecycle", when: "ServiceLifecycle"),
                product("MetricsTestKit", of: "swift-metrics", when: "Metrics"),
                product("Tracing", of: "swift-distributed-tracing", when: "Tracing"),
                product("InMemoryTracing", of: "swift-distributed-tracing", when: "Tracing"),
            ],
            path: "Plugins/TaskworksIntegrations/Tests/TaskworksIntegrationsTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

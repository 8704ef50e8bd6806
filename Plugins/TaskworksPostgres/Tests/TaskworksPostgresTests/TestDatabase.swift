#if Postgres
    import Foundation
    import TaskStoreConformance
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// The PostgreSQL server the tests use: `TASKWORKS_TEST_POSTGRES_URL`. Without it the tests are
    /// skipped locally (and fail in CI, where a server must be there).
    enum TestDatabase {
        static let url = ProcessInfo.processInfo.environment["TASKWORKS_TEST_POSTGRES_URL"]
        static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
        static let howToRun =
            "no PostgreSQL server: set TASKWORKS_TEST_POSTGRES_URL=postgres://user@host:port/db, or run "
            + "`Plugins/TaskworksPostgres/scripts/with-postgres.sh swift test` (starts a throwaway server)"

        /// A configuration for a new, unique schema on the test server.
        static func configuration(schema: String = newSchemaName()) throws -> PostgresTaskStore.Configuration
        {
            var configuration = try PostgresTaskStore.Configuration(url: try #require(url, "\(howToRun)"))
            configuration.schema = schema
            configuration.maximumConnections = 4
            return configuration
        }

        static func newSchemaName() -> String {
            "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        }

        /// Fresh schemas for the conformance suite; each backend drops its schema when torn down.
        static let harness = StoreHarness(name: "postgres") {
            let schema = newSchemaName()
            let opened = LockedState<[PostgresTaskStore]>([])
            return StoreHarness.Backend(
                open: {
                    let store = try await PostgresTaskStore(configuration: try configuration(schema: schema))
                    opened.withLock { $0.append(store) }
                    return store
                },
                tearDown: {
                    let stores = opened.withLock { $0 }
                    try? await stores.first?.dropSchema()
                    for store in stores { await store.close() }
                })
        }
    }

    /// Whether the PostgreSQL tests can run here.
    let postgresIsConfigured = TestDatabase.url != nil
#endif  // Postgres

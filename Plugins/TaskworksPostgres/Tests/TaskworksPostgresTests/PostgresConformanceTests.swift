#if Postgres
    import Foundation
    import TaskStoreConformance
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// The same conformance suite the in-memory and file stores pass, unchanged, on PostgreSQL.
    @Suite(
        "PostgreSQL conformance", .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct PostgresConformanceTests {
        @Test(arguments: TaskStoreConformance.checks)
        func conformance(check: StoreCheck) async throws {
            try await check.run(on: TestDatabase.harness)
        }
    }

    @Suite("PostgreSQL test setup")
    struct PostgresTestSetupTests {
        /// CI must run the PostgreSQL tests, never skip them.
        @Test func aServerIsConfiguredWhenRunningInCI() {
            #expect(!TestDatabase.isCI || postgresIsConfigured, "\(TestDatabase.howToRun)")
        }
    }
#endif  // Postgres

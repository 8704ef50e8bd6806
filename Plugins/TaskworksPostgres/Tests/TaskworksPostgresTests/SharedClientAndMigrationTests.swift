#if Postgres
    import Foundation
    import PostgresNIO
    import ServiceLifecycle
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// A store on the host's own `PostgresClient`, and migrations on open, on request or as SQL.
    @Suite(
        "PostgreSQL: a host's own client and migrations",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
    struct SharedClientAndMigrationTests {
        static func registry() throws -> TaskRegistry {
            let registry = TaskRegistry()
            try registry.register("echo") { _ in ClosureTaskRunner { _ in "done" } }
            return registry
        }

        /// Creates a task through `store` and runs it with a pool; returns its final status.
        static func runOneTask(on store: PostgresTaskStore) async throws -> TaskStatus {
            let service = TaskService(store: store, registry: try registry())
            let pool = WorkerPool(service: service, configuration: .init(concurrency: 2))
            let task = try await service.create("echo", payload: JSONValue.string("hi"), createdBy: .system)
            return try await withRunningPool(pool) {
                var status = TaskStatus.pending
                try await eventually("the task finished", timeout: .seconds(30)) {
                    status = try await service.task(task.id, as: .system).status
                    return status.isTerminal
                }
                return status
            }
        }

        @Test func aStoreOnTheHostsRunningClientWorksAndLeavesTheClientRunning() async throws {
            let configuration = try TestDatabase.configuration()
            try await withAdminClient { client in
                let store = try await PostgresTaskStore(sharing: client, configuration: configuration)
                #expect(store.appliedMigrations == Array(1...PostgresTaskStore.schemaVersion))
                #expect(try await Self.runOneTask(on: store) == .succeeded)
                await store.close()
                // The host's client still serves the host after the store closed.
                var answer = 0
                for try await row in try await client.query("SELECT 41 + 1", logger: silentLogger) {
                    answer = try row.decode(Int.self)
                }
                #expect(answer == 42)
                let reopened = try await PostgresTaskStore(sharing: client, configuration: configuration)
                #expect(reopened.appliedMigrations.isEmpty, "the schema was current")
                try await reopened.dropSchema()
            }
        }

        @Test func inAServiceGroupTheSharedStoreOpensWhenItRuns() async throws {
            let configuration = try TestDatabase.configuration()
            let adminConfiguration = configuration
            let client = PostgresClient(
                configuration: .init(
                    host: adminConfiguration.host, port: adminConfiguration.port,
                    username: adminConfiguration.username, password: adminConfiguration.password,
                    database: adminConfiguration.database, tls: .disable))
            let store = try PostgresTaskStore(sharing: client, runningInServiceGroup: configuration)
            let group = ServiceGroup(services: [client, store], logger: silentLogger)
            let running = Task { try await group.run() }
            #expect(try await Self.runOneTask(on: store) == .succeeded)
            #expect(store.appliedMigrations == Array(1...PostgresTaskStore.schemaVersion))
            try await store.dropSchema()
            await group.triggerGracefulShutdown()
            try await value(of: running)
        }

        @Test func withManualMigrationsAnEmptySchemaIsRefusedWithWhatToDo() async throws {
            var configuration = try TestDatabase.configuration()
            configuration.migrations = .manual
            try await withAdminClient { client in
                do {
                    _ = try await PostgresTaskStore(sharing: client, configuration: configuration)
                    Issue.record("a store opened on a schema with no migrations")
                } catch let error as TaskworksError {
                    #expect(error.code == .storageFailure)
                    #expect(error.message.contains("at migration 0"), "\(error.message)")
                    #expect(error.message.contains("migrationSQL"), "\(error.message)")
                }
                // Opening it refused, it wrote nothing: the schema does not exist.
                var exists = true
                for try await row in try await client.query(
                    "SELECT to_regnamespace(\(configuration.schema)) IS NOT NULL", logger: silentLogger)
                {
                    exists = try row.decode(Bool.self)
                }
                #expect(!exists)
                // On request: migrate, then the manual store opens.
                #expect(
                    try await PostgresTaskStore.migrate(client: client, configuration: configuration)
                        == Array(1...PostgresTaskStore.schemaVersion))
                let store = try await PostgresTaskStore(sharing: client, configuration: configuration)
                #expect(try await Self.runOneTask(on: store) == .succeeded)
                try await store.dropSchema()
            }
        }

        @Test func theExportedSQLBuildsTheSchemaAManualStoreAccepts() async throws {
            var configuration = try TestDatabase.configuration()
            configuration.migrations = .manual
            let script = try PostgresTaskStore.migrationSQL(schema: configuration.schema)
            #expect(script.contains("CREATE TABLE \(configuration.schema).tasks"))
            #expect(script.contains("pg_advisory_xact_lock"))
            // As a migration tool would: the whole script in one transaction, through psql.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "\(configuration.schema).sql")
            try script.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let psql = Process()
            psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            psql.arguments = [
                "psql", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", file.path,
                try #require(TestDatabase.url),
            ]
            psql.standardOutput = FileHandle.nullDevice
            try psql.run()
            psql.waitUntilExit()
            #expect(psql.terminationStatus == 0, "psql could not apply the exported SQL")
            try await withAdminClient { client in
                let store = try await PostgresTaskStore(sharing: client, configuration: configuration)
                #expect(store.appliedMigrations.isEmpty)
                #expect(try await Self.runOneTask(on: store) == .succeeded)
                // A script from the current version on adds no migration.
                let nothing = try PostgresTaskStore.migrationSQL(
                    schema: configuration.schema, after: PostgresTaskStore.schemaVersion)
                #expect(!nothing.contains("INSERT INTO"))
                try await store.dropSchema()
            }
        }

        @Test(arguments: [("Bad-Schema", 0), ("taskworks", -1), ("taskworks", 1_000)])
        func badExportRequestsAreRefused(schema: String, after version: Int) {
            #expect(throws: TaskworksError.self) {
                try PostgresTaskStore.migrationSQL(schema: schema, after: version)
            }
        }
    }
#endif  // Postgres

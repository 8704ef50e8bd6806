#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// A statement whose connection closes under it (a restart, a terminated backend) fails at once
    /// with a connection failure, which the store retries, instead of waiting out its time limit.
    @Suite(
        "PostgreSQL: a connection that closes under a statement",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct ClosedConnectionTests {
        /// A limit no test here may come near: reaching it means the close went unnoticed.
        static let limit = Duration.seconds(60)
        static let promptly = Duration.seconds(10)

        /// Runs `body` with a store on a new schema, then closes the store (and drops the schema).
        private func withStore(
            _ body: (PostgresTaskStore, PostgresTaskStore.Configuration) async throws -> Void
        ) async throws {
            var configuration = try TestDatabase.configuration()
            configuration.statementTimeout = Self.limit
            configuration.applicationName = "closed_\(configuration.schema)"
            let store = try await PostgresTaskStore(configuration: configuration)
            do {
                try await body(store, configuration)
            } catch {
                try? await store.dropSchema()
                await store.close()
                throw error
            }
            try await store.dropSchema()
            await store.close()
        }

        @Test func aStatementWaitingOnAConnectionThatClosesFailsAtOnce() async throws {
            try await withStore { store, _ in
                let started = ContinuousClock.now
                do {
                    _ = try await store.watchdog.run("waiting on a connection that closes") {
                        try await store.onConnection { connection in
                            connection.close().whenComplete { _ in }
                            // Stands for a statement postgres-nio never answers: only cancellation ends it.
                            try await Task.sleep(for: .seconds(3_600))
                            return 0
                        }
                    }
                    Issue.record("the statement returned although its connection closed")
                } catch {
                    #expect(error is ConnectionClosedUnderStatement, "\(error)")
                    #expect(PostgresTaskStore.isConnectionFailure(error), "a closed connection is retried")
                }
                #expect(ContinuousClock.now - started < Self.promptly)
            }
        }

        @Test func aQueryWrittenToAClosedConnectionFailsAtOnce() async throws {
            try await withStore { store, _ in
                let logger = store.logger
                let started = ContinuousClock.now
                do {
                    _ = try await store.watchdog.run("a query after the close") {
                        try await store.onConnection { connection in
                            try await connection.close().get()
                            return try await connection.query("SELECT 1", logger: logger).collect().count
                        }
                    }
                    Issue.record("a query on a closed connection answered")
                } catch {
                    #expect(PostgresTaskStore.isConnectionFailure(error), "\(error)")
                }
                #expect(ContinuousClock.now - started < Self.promptly)
            }
        }

        @Test func terminatedBackendsUnderReadsAndWritesAreRetriedAndTheStoreServesOn() async throws {
            try await withStore { store, configuration in
                let task = try await store.insert(
                    TaskRecord(type: "mail", createdBy: "alice", createdAt: Date()))
                let started = ContinuousClock.now
                // Ends every backend of the store while its next statements run; each is retried.
                let terminate: PostgresQuery =
                    "SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name = \(configuration.applicationName) AND pid <> pg_backend_pid()"
                async let reads: [TaskRecord?] = withThrowingTaskGroup(of: TaskRecord?.self) { group in
                    for _ in 0..<40 { group.addTask { try await store.task(id: task.id) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                _ = try await store.rows(of: terminate)
                #expect(try await reads.allSatisfy { $0?.id == task.id })
                var changed = task
                changed.progress = 50
                let result = try await store.update(changed, expectedVersion: task.version)
                guard case .updated(let stored) = result else {
                    Issue.record("the write after the terminated backends: \(result)")
                    return
                }
                #expect(stored.progress == 50)
                #expect(ContinuousClock.now - started < Self.promptly)
                #expect(store.watchdog.watchedConnectionCount <= configuration.maximumConnections)
            }
        }
    }
#endif  // Postgres

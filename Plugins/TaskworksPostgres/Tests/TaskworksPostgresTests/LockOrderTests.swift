#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// Statements that write several tasks lock them in one order (by id), whatever order their
    /// writes came in, so two of them that share tasks wait for each other instead of deadlocking.
    @Suite(
        "PostgreSQL lock order", .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct LockOrderTests {
        /// The multi-task statements under test.
        enum Statement: String, CaseIterable, CustomTestStringConvertible, Sendable {
            case combinedWrite, removal
            var testDescription: String { rawValue }

            /// Runs the statement on `tasks` in their order; returns how many tasks it changed.
            func run(on tasks: [TaskRecord], in store: PostgresTaskStore, progress: Int) async throws -> Int {
                switch self {
                case .combinedWrite:
                    let writes = tasks.map { task in
                        var changed = task
                        changed.progress = progress
                        return CombinedWrites.Write(task: changed, expectedVersion: task.version)
                    }
                    var updated = 0
                    for result in await store.performWrites(writes) {
                        switch try result.get() {
                        case .updated: updated += 1
                        case .conflict: break
                        case .notFound: Issue.record("a task went missing")
                        }
                    }
                    return updated
                case .removal:
                    return try await store.remove(tasks)
                }
            }
        }

        @Test(arguments: Statement.allCases)
        func twoStatementsOnTheSameTasksInOppositeOrdersBothFinish(statement: Statement) async throws {
            var configuration = try TestDatabase.configuration()
            configuration.maximumConnections = 6
            configuration.applicationName = "locks_\(configuration.schema)"
            let store = try await PostgresTaskStore(configuration: configuration)
            let tasks = try await store.insert(
                contentsOf: (0..<3).map { _ in TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
                })
            let (first, middle, last) = (tasks[0], tasks[1], tasks[2])
            // Enough other rows that the server finds each row by its key, in the statement's order,
            // rather than scanning three rows in the order they were stored.
            _ = try await store.insert(
                contentsOf: (0..<2_000).map { _ in
                    TaskRecord(type: "other", createdBy: "bob", createdAt: Date())
                })
            _ = try await store.client.query("ANALYZE \(unescaped: store.tasksTable)", logger: silentLogger)
                .collect()
            // A third transaction holds the middle task. Statement one then holds `first` and waits
            // for `middle`; statement two holds `last` and waits for `middle`. Locked each in its own
            // order, whichever gets `middle` next would wait for the row the other holds: a deadlock.
            let holding = TestGate()
            let release = TestGate()
            let holder = Task {
                try await store.client.withTransaction(logger: silentLogger) { connection in
                    _ = try await connection.query(
                        "SELECT id FROM \(unescaped: store.tasksTable) WHERE id = \(middle.id.uuid) FOR UPDATE",
                        logger: silentLogger
                    ).collect()
                    holding.open()
                    try await release.waitIgnoringCancellation()
                }
            }
            try await holding.wait()
            let name = configuration.applicationName
            let one = Task { try await statement.run(on: [first, middle, last], in: store, progress: 10) }
            try await waitForLocks(1, on: store, name, "statement one to wait for the held row")
            let two = Task { try await statement.run(on: [last, middle, first], in: store, progress: 20) }
            try await waitForLocks(2, on: store, name, "statement two to wait for a row")
            release.open()
            try await value(of: holder, "the holding transaction")
            let changed =
                try await value(of: one, "statement one") + (try await value(of: two, "statement two"))
            #expect(changed == 3, "each task is changed once, by whichever statement got it first")
            try await store.dropSchema()
            await store.close()
        }

        /// Waits (at most 30 s) until `count` statements of connections named `name` wait for a lock.
        private func waitForLocks(_ count: Int, on store: PostgresTaskStore, _ name: String, _ what: String)
            async throws
        {
            try await eventually(what, timeout: .seconds(30), pollingEvery: .milliseconds(10)) {
                let query: PostgresQuery = """
                    SELECT count(*)::int FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND application_name = \(name)
                    """
                for try await waiting in try await store.client.query(query, logger: silentLogger).decode(
                    Int.self)
                {
                    return waiting >= count
                }
                return false
            }
        }
    }
#endif  // Postgres

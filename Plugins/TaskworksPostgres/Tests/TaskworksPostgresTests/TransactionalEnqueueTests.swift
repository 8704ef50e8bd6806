#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// Transactional enqueue: tasks created on the host's own connection, inside its transaction,
    /// exist if and only if that transaction commits, atomically with the host's rows.
    @Suite(
        "PostgreSQL transactional enqueue",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)),
        .serialized)
    struct TransactionalEnqueueTests {
        struct Welcome: Codable, Sendable {
            var email: String
        }

        /// A store on a fresh schema with a host table `<schema>.users`, a service running
        /// `send_welcome` tasks (each run recorded), and a plain client for the host's transactions.
        struct World {
            let store: PostgresTaskStore
            let service: TaskService
            let runs: RunCounter
            let schema: String

            static func make() async throws -> World {
                let configuration = try TestDatabase.configuration()
                let store = try await PostgresTaskStore(configuration: configuration)
                let runs = RunCounter()
                let registry = TaskRegistry()
                try registry.register("send_welcome") { task in
                    ClosureTaskRunner { _ in
                        await runs.record(task.id)
                        return nil
                    }
                }
                try await withAdminClient { client in
                    _ = try await client.query(
                        PostgresQuery(
                            unsafeSQL:
                                "CREATE TABLE \(configuration.schema).users (id uuid PRIMARY KEY, email text NOT NULL)"
                        ),
                        logger: silentLogger)
                }
                return World(
                    store: store, service: TaskService(store: store, registry: registry), runs: runs,
                    schema: configuration.schema)
            }

            func userCount(_ client: PostgresClient) async throws -> Int {
                let rows = try await client.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).users"), logger: silentLogger)
                for try await count in rows.decode(Int.self) { return count }
                return -1
            }

            func insertUser(_ id: UUID, on connection: PostgresConnection) async throws {
                _ = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(schema).users (id, email) VALUES ($1, $2)",
                        binds: PostgresTaskStore.bindings(id, "u@example.com")),
                    logger: silentLogger)
            }

            func close() async {
                try? await store.dropSchema()
                await store.close()
            }
        }

        @Test func aCommittedTaskIsInvisibleUntilCommitThenRunsOnceBesideTheHostRow() async throws {
            let world = try await World.make()
            var poolConfiguration = WorkerPool.Configuration(concurrency: 2)
            poolConfiguration.pollInterval = .seconds(3600)  // only the commit's NOTIFY wakes it in time
            let observed = EmptyClaimCountingStore(base: world.store)
            let pool = WorkerPool(
                service: TaskService(store: observed, registry: world.service.registry),
                configuration: poolConfiguration)
            try await withRunningPool(pool) {
                // Once the pool found nothing and sleeps on its hour-long poll, only NOTIFY wakes it.
                try await eventually("the pool went idle") { observed.emptyClaims > 0 }
                try await withAdminClient { client in
                    let creation = try await client.withTransaction(logger: silentLogger) { connection in
                        try await world.insertUser(UUID(), on: connection)
                        let creation = try await world.service.create(
                            "send_welcome", payload: Welcome(email: "u@example.com"), createdBy: .system,
                            on: connection)
                        // Another connection (a worker's) sees neither the task nor anything to claim.
                        #expect(try await world.store.task(id: creation.task.id) == nil)
                        let peek = TaskClaimRequest(
                            owner: "peek", now: Date().addingTimeInterval(60), leaseDuration: .seconds(1),
                            limit: 5)
                        #expect(try await world.store.claim(peek).isEmpty)
                        return creation
                    }
                    #expect(!creation.isDuplicate)
                    #expect(try await world.userCount(client) == 1)
                    try await eventually("the committed task ran, woken by NOTIFY", timeout: .seconds(15)) {
                        try await world.service.task(creation.task.id, as: .system).status == .succeeded
                    }
                }
            }
            #expect(await world.runs.total == 1)
            await world.close()
        }

        /// The README's example, run: the host's row and its task commit together.
        @Test func theReadmeExampleCommitsTheUserAndTheirWelcomeTogether() async throws {
            let world = try await World.make()
            let service = world.service
            let logger = silentLogger
            let userID = UUID()
            let email = "ada@example.com"
            try await withAdminClient { client in
                try await client.withTransaction(logger: logger) { connection in
                    // The example's unqualified `users` is this test's schema's table.
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(world.schema)"), logger: logger)
                    // readme:begin postgres-transactional-enqueue
                    try await connection.query(
                        "INSERT INTO users (id, email) VALUES (\(userID), \(email))", logger: logger)
                    try await service.create(
                        "send_welcome", payload: Welcome(email: email), createdBy: .system, on: connection)
                    // readme:end postgres-transactional-enqueue
                }
                #expect(try await world.userCount(client) == 1)
            }
            let page = try await service.list(TaskQuery(), as: .system)
            #expect(page.items.map(\.type) == ["send_welcome"])
            #expect(try page.items.first?.decodePayload(as: Welcome.self).email == email)
            await world.close()
        }

        @Test func aRolledBackTransactionLeavesNoTaskNoRowAndNoHeldKey() async throws {
            let world = try await World.make()
            struct HostFailure: Error {}
            let options = TaskOptions(uniqueKey: "welcome-u1")
            var created: [TaskCreation] = []
            try await withAdminClient { client in
                do {
                    try await client.withTransaction(logger: silentLogger) { connection in
                        try await world.insertUser(UUID(), on: connection)
                        created = try await world.service.create(
                            [NewTask("send_welcome", options: options), NewTask("send_welcome")],
                            createdBy: .system,
                            on: connection)
                        throw HostFailure()
                    }
                    Issue.record("the transaction did not fail")
                } catch let error as PostgresTransactionError {
                    #expect(error.closureError is HostFailure)
                }
                #expect(try await world.userCount(client) == 0)
            }
            #expect(created.count == 2)
            for creation in created { #expect(try await world.store.task(id: creation.task.id) == nil) }
            #expect(try await world.store.counts(createdBy: nil).total == 0)
            let afterwards = try await world.service.createReportingDuplicate(
                "send_welcome", options: options, createdBy: .system)
            #expect(!afterwards.isDuplicate, "the rolled-back task's unique key stayed held")
            await world.close()
        }

        @Test func aHostThatDiesBeforeCommitLeavesNeitherItsRowNorTheTask() async throws {
            let world = try await World.make()
            try await withAdminClient { killer in
                try await withAdminClient { host in
                    var taskID: TaskID?
                    do {
                        try await host.withTransaction(logger: silentLogger) { connection in
                            try await world.insertUser(UUID(), on: connection)
                            taskID = try await world.service.create(
                                "send_welcome", payload: Welcome(email: "u@example.com"), createdBy: .system,
                                on: connection
                            ).task.id
                            // The host dies between statements: the server sees its connection end.
                            var backend = 0
                            for try await pid in try await connection.query(
                                "SELECT pg_backend_pid()", logger: silentLogger
                            )
                            .decode(Int.self) {
                                backend = pid
                            }
                            _ = try await killer.query(
                                "SELECT pg_terminate_backend(\(backend))", logger: silentLogger)
                            _ = try await connection.query("SELECT 1", logger: silentLogger)
                        }
                        Issue.record("the transaction survived its connection")
                    } catch {}
                    let id = try #require(taskID)
                    #expect(try await world.store.task(id: id) == nil)
                    #expect(try await world.userCount(killer) == 0)
                }
            }
            await world.close()
        }

        @Test func aUniqueKeyHeldInAnOpenTransactionMakesTheNextCreateWaitThenSeeTheHolder() async throws {
            let world = try await World.make()
            let options = TaskOptions(uniqueKey: "nightly")
            try await withAdminClient { client in
                let gate = TestGate(deadline: .seconds(10))
                let first = try await client.withTransaction(logger: silentLogger) { connection in
                    let first = try await world.service.create(
                        [NewTask("send_welcome", options: options)], createdBy: .system, on: connection)[0]
                    let racing = Task {
                        gate.open()
                        return try await world.service.createReportingDuplicate(
                            "send_welcome", options: options, createdBy: .system)
                    }
                    try await gate.wait()
                    return (first, racing)
                }
                let racer = try await first.1.value
                #expect(racer.isDuplicate)
                #expect(racer.task.id == first.0.task.id)
            }
            #expect(try await world.store.counts(createdBy: nil).total == 1)
            await world.close()
        }

        @Test func aServiceOnAnotherStoreIsToldTransactionalEnqueueNeedsPostgreSQL() async throws {
            let registry = TaskRegistry()
            try registry.register("send_welcome") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: InMemoryTaskStore(), registry: registry)
            try await withAdminClient { client in
                try await client.withConnection { connection in
                    let error = await #expect(throws: TaskworksError.self) {
                        try await service.create(
                            [NewTask("send_welcome")], createdBy: .system, on: connection)
                    }
                    #expect(error?.code == .invalidInput)
                    #expect(error?.message.contains("PostgresTaskStore") == true)
                }
            }
        }
    }
#endif  // Postgres

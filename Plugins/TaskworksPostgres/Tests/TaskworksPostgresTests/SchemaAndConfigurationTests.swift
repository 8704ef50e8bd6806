#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    @Suite("PostgreSQL: configuration")
    struct ConfigurationTests {
        @Test func aFullURLIsRead() throws {
            let configuration = try PostgresTaskStore.Configuration(
                url: "postgresql://app%40corp:s%3Acret@db.internal:6543/jobs?sslmode=require&schema=queue_1")
            #expect(configuration.host == "db.internal")
            #expect(configuration.port == 6543)
            #expect(configuration.username == "app@corp")
            #expect(configuration.password == "s:cret")
            #expect(configuration.database == "jobs")
            #expect(configuration.requireTLS)
            #expect(configuration.schema == "queue_1")
        }

        @Test(arguments: [
            ("mysql://app@db/jobs", "not a PostgreSQL URL"),
            ("postgres:///jobs", "names no host"),
            ("postgres://db/jobs", "names no user"),
            ("postgres://app@db/jobs?pool=3", "unsupported option 'pool'"),
            ("postgres://app@db/jobs?schema=Robert'); DROP TABLE tasks;--", "is not usable"),
            ("postgres://app@db/jobs?schema=1abc", "is not usable"),
            ("postgres://app:secret@db:0/jobs", "port must be"),
        ])
        func badURLsAreRefusedWithWhatToDo(url: String, expected: String) {
            do {
                _ = try PostgresTaskStore.Configuration(url: url)
                Issue.record("accepted \(url)")
            } catch let error as TaskworksError {
                #expect(error.code == .invalidInput)
                #expect(error.message.contains(expected), "\(error.message)")
                #expect(!error.message.contains("secret"), "the password leaked into the message")
            } catch {
                Issue.record("untyped error \(error)")
            }
        }

        @Test(arguments: [Duration.zero, .milliseconds(-5), .seconds(86_401)])
        func statementTimeoutsOutsideTheRangeAreRefused(timeout: Duration) throws {
            var configuration = PostgresTaskStore.Configuration(host: "db", username: "app")
            configuration.statementTimeout = timeout
            #expect(throws: TaskworksError.self) { try configuration.validate() }
            configuration.statementTimeout = .milliseconds(1)
            try configuration.validate()
        }

        @Test func anUnreachableServerIsATypedErrorNotAHang() async throws {
            let port = try #require(freeLoopbackPort())
            var configuration = PostgresTaskStore.Configuration(
                host: "127.0.0.1", port: port, username: "nobody")
            configuration.connectionAttempts = 1
            let started = ContinuousClock.now
            do {
                _ = try await PostgresTaskStore(configuration: configuration)
                Issue.record("opened a store on a closed port")
            } catch let error as TaskworksError {
                #expect(error.code == .storageFailure)
                #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
            }
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    /// A loopback port nothing listens on (bound, then closed).
    func freeLoopbackPort() -> Int? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    @Suite("PostgreSQL: schema", .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
    struct SchemaTests {
        @Test func migrationsRunOnceAndANewerSchemaIsRefusedWithoutWriting() async throws {
            let configuration = try TestDatabase.configuration()
            let first = try await PostgresTaskStore(configuration: configuration)
            #expect(first.appliedMigrations == [1, 2, 3, 4, 5, 6, 7])
            let task = try await first.insert(TaskRecord(type: "job", createdBy: "alice", createdAt: Date()))
            let second = try await PostgresTaskStore(configuration: configuration)
            #expect(second.appliedMigrations.isEmpty, "re-running the migrations is a no-op")
            await second.close()

            try await withAdminClient { admin in
                let sql =
                    "INSERT INTO \(configuration.schema).taskworks_migrations (version, description) VALUES (99, 'future')"
                _ = try await admin.query(PostgresQuery(unsafeSQL: sql), logger: silentLogger).collect()
            }
            do {
                _ = try await PostgresTaskStore(configuration: configuration)
                Issue.record("opened a schema newer than the code")
            } catch let error as TaskworksError {
                #expect(error.code == .corruptStore)
                #expect(error.message.contains("migration 99"), "\(error.message)")
            }
            #expect(try await first.task(id: task.id) == task, "nothing stored was touched")
            try await first.dropSchema()
            await first.close()
        }

        /// Schema 1 kept each schedule's tick as a hidden task; migration 2 moves it into the
        /// schedule table and removes the task, leaving a host task of the same type name alone.
        @Test func hiddenScheduleTasksBecomeScheduleState() async throws {
            let configuration = try TestDatabase.configuration()
            let tick = Date(timeIntervalSinceReferenceDate: 820_000_000.125)
            var marker = TaskRecord(
                type: "taskworks.schedule", createdBy: "system", maxRetries: 0, createdAt: Date())
            marker.status = .succeeded
            marker.deletedAt = marker.createdAt
            marker.payload = .object(["schedule": .string("nightly")])
            marker.result = .double(tick.timeIntervalSinceReferenceDate)
            var lookalike = TaskRecord(type: "taskworks.schedule", createdBy: "alice", createdAt: Date())
            lookalike.payload = .object(["schedule": .string("nightly")])
            try await withAdminClient { admin in
                _ = try await PostgresSchema.migrate(
                    admin, schema: configuration.schema, logger: silentLogger, upTo: 1)
                // Schema 1 plus migration 5's column, so the rows are written with today's column list
                // (migration 5 adds it only if it is missing).
                _ = try await admin.query(
                    PostgresQuery(
                        unsafeSQL: "ALTER TABLE \(configuration.schema).tasks ADD COLUMN metadata text"),
                    logger: silentLogger
                ).collect()
                try await insertWithLegacyColumns(
                    [marker, lookalike], schema: configuration.schema, admin: admin)
            }
            let store = try await PostgresTaskStore(configuration: configuration)
            #expect(store.appliedMigrations == [2, 3, 4, 5, 6, 7])
            #expect(try await store.lastScheduleTick("nightly") == tick)
            #expect(try await store.task(id: marker.id) == nil)
            #expect(try await store.task(id: lookalike.id)?.createdBy == "alice")
            #expect(!(try await store.claimScheduleTick("nightly", tick: tick)))
            try await store.dropSchema()
            await store.close()
        }

        /// The store's own claim and combined-write statements, planned as the server plans them
        /// when they are prepared (custom and generic plans), on a table with no statistics yet and
        /// after ANALYZE: every claim plan walks the claim index in order and stops after the limit,
        /// and no plan scans the whole table. A plan that scans and sorts the table makes each claim
        /// cost milliseconds per 10,000 tasks (W1's drain stalled at 650–870 tasks/s in half the runs
        /// when the paused-types check was a join). And left to choose, the server keeps one generic
        /// plan for a claim instead of planning every call (it planned every call while the limit was
        /// bound).
        @Test(arguments: [false, true])
        func theStoresClaimsAreIndexScansWithAKeptPlan(analyzed: Bool) async throws {
            let configuration = try TestDatabase.configuration()
            let store = try await PostgresTaskStore(configuration: configuration)
            let tasks = (0..<4_000).map { index in
                // Mostly one type, as in a queue that runs one job: the planner's statistics then say
                // any other type matches nothing.
                var task = TaskRecord(
                    type: index % 100 == 0 ? "mail" : "job", priority: index % 10, createdBy: "alice",
                    createdAt: Date())
                if index % 2 == 0 { task.status = .succeeded }
                return task
            }
            _ = try await store.insert(contentsOf: tasks)
            let texts = store.statementTexts
            let (plans, genericPlans) = try await withAdminClient { admin in
                try await admin.withConnection { connection in
                    if analyzed {
                        for table in ["tasks", "paused_task_types"] {
                            _ = try await connection.query(
                                PostgresQuery(unsafeSQL: "ANALYZE \(configuration.schema).\(table)"),
                                logger: silentLogger
                            ).collect()
                        }
                    }
                    let claimTypes = "float8, text, float8, timestamptz, timestamptz"
                    let claimArguments = "1e12, 'w', 1e12, now(), now()"
                    let combinedTypes =
                        (["text", "uuid[]", "bigint[]"] + TaskRow.mutableColumnTypes.map { $0 + "[]" })
                    let probes = [
                        Probe(
                            "a claim of 10", claimTypes, texts.claim(limit: 10, ofTypes: false).sql,
                            claimArguments),
                        Probe(
                            "a claim of 10 of some types", claimTypes + ", text[]",
                            texts.claim(limit: 10, ofTypes: true).sql, claimArguments + ", ARRAY['job']"),
                        Probe(
                            "a claim of 100", claimTypes + ", bigint",
                            texts.claim(limit: 100, ofTypes: false).sql, claimArguments + ", 100"),
                        Probe(
                            "a combined write", combinedTypes.joined(separator: ", "),
                            texts.combinedUpdate.sql,
                            (["'c'"] + Array(repeating: "NULL", count: combinedTypes.count - 1)).joined(
                                separator: ", "),
                            isClaim: false),
                    ]
                    var plans: [(probe: Probe, mode: String, plan: String)] = []
                    for mode in ["force_custom_plan", "force_generic_plan"] {
                        _ = try await connection.query(
                            PostgresQuery(unsafeSQL: "SET plan_cache_mode = \(mode)"), logger: silentLogger
                        ).collect()
                        for probe in probes {
                            plans.append((probe, mode, try await probe.plan(on: connection)))
                        }
                    }
                    // Left to choose, the server keeps the generic plan of a claim whose limit is in
                    // its text, instead of planning each claim.
                    _ = try await connection.query("SET plan_cache_mode = auto", logger: silentLogger)
                        .collect()
                    let generic = try await probes[0].genericPlansAfterTenRuns(on: connection)
                    return (plans, generic)
                }
            }
            #expect(plans.count == 8)
            for (probe, mode, plan) in plans {
                if probe.isClaim {
                    #expect(plan.contains("Index Scan using tasks_claim"), "\(probe.name), \(mode):\n\(plan)")
                }
                #expect(!plan.contains("Seq Scan on tasks"), "\(probe.name), \(mode):\n\(plan)")
            }
            #expect(genericPlans >= 5)
            try await store.dropSchema()
            await store.close()
        }

        /// One of the store's statements, prepared by hand on an admin connection to read its plans.
        struct Probe: Sendable {
            let name: String
            let parameterTypes: String
            let sql: String
            let arguments: String
            let isClaim: Bool

            init(
                _ name: String, _ parameterTypes: String, _ sql: String, _ arguments: String,
                isClaim: Bool = true
            ) {
                self.name = name
                self.parameterTypes = parameterTypes
                self.sql = sql
                self.arguments = arguments
                self.isClaim = isClaim
            }

            func plan(on connection: PostgresConnection) async throws -> String {
                try await prepare(on: connection)
                let lines = try await connection.query(
                    PostgresQuery(unsafeSQL: "EXPLAIN EXECUTE plan_probe(\(arguments))"), logger: silentLogger
                ).collect().map { try $0.decode(String.self) }
                _ = try await connection.query("DEALLOCATE plan_probe", logger: silentLogger).collect()
                return lines.joined(separator: "\n")
            }

            /// Runs the statement ten times and returns how many of those runs used the generic plan.
            func genericPlansAfterTenRuns(on connection: PostgresConnection) async throws -> Int64 {
                try await prepare(on: connection)
                for _ in 0..<10 {
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: "EXECUTE plan_probe(\(arguments))"), logger: silentLogger
                    ).collect()
                }
                var generic: Int64 = 0
                for try await count in try await connection.query(
                    "SELECT generic_plans FROM pg_prepared_statements WHERE name = 'plan_probe'",
                    logger: silentLogger
                ).decode(Int64.self) {
                    generic = count
                }
                _ = try await connection.query("DEALLOCATE plan_probe", logger: silentLogger).collect()
                return generic
            }

            private func prepare(on connection: PostgresConnection) async throws {
                _ = try await connection.query(
                    PostgresQuery(unsafeSQL: "PREPARE plan_probe(\(parameterTypes)) AS \(sql)"),
                    logger: silentLogger
                ).collect()
            }
        }
    }
#endif  // Postgres

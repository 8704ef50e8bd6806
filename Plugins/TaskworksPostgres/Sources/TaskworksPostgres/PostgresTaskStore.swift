#if Postgres
    import Foundation
    import Logging
    import PostgresNIO
    import ServiceLifecycle
    import Taskworks

    /// A `TaskStore` on PostgreSQL, for several hosts sharing one queue.
    ///
    /// - **Atomic claims** in one round trip: `SELECT … FOR UPDATE SKIP LOCKED` picks the highest
    ///   priority, oldest pending tasks whose `run_after` has passed, and the same statement leases
    ///   them. Claimers on any number of hosts never wait on each other and never share a task.
    /// - **Compare-and-set writes**: every change carries `WHERE id = $1 AND version = $2`, so a
    ///   stale worker can never overwrite a newer state.
    /// - **Wake-ups across hosts**: a create (or a task put back to pending) sends `NOTIFY`; worker
    ///   pools `LISTEN` and claim at once. The poll interval is only a safety net.
    /// - **Durable** as the server is: a write returns after its transaction commits.
    /// - **Connection failures** (server restart, `pg_terminate_backend`) are retried with backoff
    ///   and logged; a retried write that had in fact committed is recognised, never applied twice.
    ///
    /// The schema (a `tasks` table and its indexes in ``Configuration/schema``) is created and
    /// migrated on first use.
    ///
    /// Two ways to run its PostgreSQL client:
    /// - **In your `ServiceGroup`** (the store is a ServiceLifecycle `Service`): make it with
    ///   ``init(runningInServiceGroup:)`` and add it to the group before the worker pool, so the pool
    ///   drains before the connections close. Its ``run()`` connects, migrates, and serves until
    ///   graceful shutdown; calls made before it is ready wait for it.
    /// - **On its own**: ``init(configuration:)`` connects and migrates before it returns, and runs
    ///   the client in a task of its own. Call ``close()`` when done.
    ///
    /// ```swift
    /// let store = try await PostgresTaskStore(url: "postgres://app:secret@db.internal:5432/app")
    /// let service = TaskService(store: store, registry: registry)
    /// ```
    public final class PostgresTaskStore: TaskStore, TaskReadModel, TaskScheduleTickStore, TaskTypePauseStore,
        TaskSettingsStore, WorkAvailableNotifyingStore, Service
    {
        /// What the store was opened with.
        public let configuration: Configuration
        /// The migration versions opening the store applied (empty when the schema was current, or
        /// before ``run()`` got that far for a store run in a `ServiceGroup`).
        public var appliedMigrations: [Int] { readiness.appliedMigrations }
        let client: PostgresClient
        let logger: Logger
        let tasksTable: String
        /// `<schema>.schedule_ticks`: each schedule's last tick.
        let scheduleTicksTable: String
        /// `<schema>.paused_task_types`: the types the claim skips.
        let pausedTypesTable: String
        let settingsTable: String
        let notificationChannel: String
        /// Who runs the PostgreSQL client, and so who closes it.
        let clientRole: ClientRole
        private let notifications: WorkNotifications
        let readiness: StoreReadiness
        /// Compare-and-set writes combined into batches while others are in flight.
        let combinedWrites = CombinedWrites()
        /// The store's most-run statements, prepared once per connection.
        let statementTexts: StoreStatementTexts
        /// Fails statements that take longer than ``Configuration/statementTimeout``.
        let watchdog: StatementWatchdog

        /// Opens a store on the database `url` names (see ``Configuration/init(url:)``).
        public convenience init(url: String) async throws {
            try await self.init(configuration: Configuration(url: url))
        }

        /// Connects, then creates or migrates the schema.
        ///
        /// - Throws: `TaskworksError.Code.invalidInput` for a bad configuration;
        ///   `TaskworksError.Code.storageFailure` when the server cannot be reached within
        ///   15 seconds or refuses the login; `TaskworksError.Code.corruptStore` when the
        ///   schema is newer than this code.
        public convenience init(configuration: Configuration) async throws {
            let client = try PostgresTaskStore.makeClient(configuration)
            let clientTask = Task { await client.run() }
            let applied: [Int]
            do {
                applied = try await PostgresTaskStore.openSchema(client: client, configuration: configuration)
            } catch {
                clientTask.cancel()
                throw error
            }
            self.init(
                configuration: configuration, client: client, clientRole: .runsOnItsOwn(clientTask),
                readiness: StoreReadiness(readyWith: applied))
        }

        /// Makes a store whose client runs in ``run()``: add the store to your `ServiceGroup` (before
        /// the worker pools that use it). Nothing connects until `run()` starts; calls made before the
        /// schema is migrated wait for it, each up to ``Configuration/statementTimeout``.
        ///
        /// ```swift
        /// var configuration = try PostgresTaskStore.Configuration(url: databaseURL)
        /// configuration.logger = logger
        /// let store = try PostgresTaskStore(runningInServiceGroup: configuration)
        /// let pool = WorkerPool(service: TaskService(store: store, registry: registry))
        /// let group = ServiceGroup(
        ///     services: [store, WorkerPoolService(pool)], gracefulShutdownSignals: [.sigterm], logger: logger)
        /// try await group.run()
        /// ```
        ///
        /// - Throws: `TaskworksError.Code.invalidInput` for a bad configuration.
        public convenience init(runningInServiceGroup configuration: Configuration) throws {
            self.init(
                configuration: configuration, client: try PostgresTaskStore.makeClient(configuration),
                clientRole: .runsInService, readiness: StoreReadiness())
        }

        init(
            configuration: Configuration, client: PostgresClient, clientRole: ClientRole,
            readiness: StoreReadiness
        ) {
            self.configuration = configuration
            self.client = client
            self.logger = configuration.logger
            self.tasksTable = "\(configuration.schema).tasks"
            self.scheduleTicksTable = "\(configuration.schema).schedule_ticks"
            self.pausedTypesTable = "\(configuration.schema).paused_task_types"
            self.settingsTable = "\(configuration.schema).settings"
            self.statementTexts = StoreStatementTexts(
                schema: configuration.schema, tasksTable: tasksTable, pausedTypesTable: pausedTypesTable)
            let channel = "taskworks_\(configuration.schema)"
            self.notificationChannel = channel
            self.clientRole = clientRole
            self.readiness = readiness
            self.watchdog = StatementWatchdog(limit: configuration.statementTimeout)
            self.notifications = WorkNotifications(
                client: client, channel: channel, logger: configuration.logger, log: configuration.report,
                readiness: readiness)
        }

        /// The PostgreSQL client for `configuration`, not yet running.
        static func makeClient(_ configuration: Configuration) throws -> PostgresClient {
            try configuration.validate()
            return PostgresClient(
                configuration: clientConfiguration(configuration), backgroundLogger: configuration.logger)
        }

        /// The PostgreSQL client's configuration for `configuration`.
        static func clientConfiguration(_ configuration: Configuration) -> PostgresClient.Configuration {
            var clientConfiguration = PostgresClient.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database,
                tls: configuration.requireTLS ? .require(.makeClientConfiguration()) : .disable)
            clientConfiguration.options.maximumConnections = configuration.maximumConnections
            clientConfiguration.options.connectTimeout = .seconds(10)
            // No minimum: postgres-nio's pool asserts that its open connections never fall below the
            // minimum when a statement asks for one, and a server restart closes them all at once, so
            // any minimum above zero could stop the process (issue 43: 3 of 17 restarts).
            clientConfiguration.options.minimumConnections = 0
            if configuration.keepsConnectionsOpen {
                // Connections stay open while the store lives and are never pinged.
                clientConfiguration.options.connectionIdleTimeout = .seconds(86_400)
                clientConfiguration.options.keepAliveBehavior = nil
            }
            clientConfiguration.options.additionalStartupParameters = [
                ("application_name", configuration.applicationName)
            ]
            return clientConfiguration
        }

        /// Runs the store as a ServiceLifecycle service: for a store made with
        /// ``init(runningInServiceGroup:)``, runs its client, migrates the schema (then calls waiting
        /// for it go ahead), and serves until graceful shutdown or cancellation, then closes every
        /// connection. For a store opened with ``init(configuration:)`` it only waits, then closes.
        ///
        /// - Throws: what opening the store throws (see ``init(configuration:)``); calls waiting for
        ///   the store get the same error.
        public func run() async throws {
            switch clientRole {
            case .runsOnItsOwn:
                try? await gracefulShutdown()
                await close()
            case .shared:
                // Opened already when made with init(sharing:configuration:).
                if readiness.isWaiting { try await openGate() }
                try? await gracefulShutdown()
                await close()
            case .runsInService:
                let client = self.client
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    do {
                        try await openGate()
                    } catch {
                        group.cancelAll()
                        throw error
                    }
                    try? await gracefulShutdown()
                    notifications.stop()
                    watchdog.stop()
                    group.cancelAll()
                }
            }
        }

        /// For a store whose ``run()`` opens the schema: opens it, then opens the gate statements
        /// wait at, or fails them with the same error.
        func openGate() async throws {
            do {
                readiness.open(
                    appliedMigrations: try await PostgresTaskStore.openSchema(
                        client: client, configuration: configuration))
            } catch {
                readiness.fail(error)
                throw error
            }
        }

        /// Stops listening and, unless the host shares its client with the store, closes every
        /// connection. Calls made after this fail.
        public func close() async {
            notifications.stop()
            watchdog.stop()
            if case .runsOnItsOwn(let clientTask) = clientRole {
                clientTask.cancel()
                await clientTask.value
            }
        }

        /// A stream that yields whenever another host (or this one) created a task or put one back
        /// to pending; the pool claims at once. Each stream holds one LISTEN subscription while it
        /// is consumed; the first one opens the store's LISTEN connection.
        public func workAvailableNotifications() -> AsyncStream<Void>? {
            notifications.subscribe()
        }

        // MARK: - Running statements

        /// Runs `body`, retrying it with backoff while the connection to the server fails, up to
        /// ``Configuration/connectionAttempts`` tries. `body` gets the attempt number (1-based) so a
        /// write can recognise its own earlier, committed try.
        func withRetries<T: Sendable>(
            _ what: String, _ body: @escaping @Sendable (_ attempt: Int) async throws -> T
        ) async throws -> T {
            try await readiness.wait(limit: configuration.statementTimeout)
            var attempt = 1
            var delay = Duration.milliseconds(50)
            while true {
                do {
                    let thisAttempt = attempt
                    return try await watchdog.run(what) { try await body(thisAttempt) }
                } catch let error
                    where PostgresTaskStore.isConnectionFailure(error) || error is StatementTimedOut
                {
                    guard attempt < configuration.connectionAttempts else {
                        throw PostgresTaskStore.storeError(error, while: what, configuration: configuration)
                    }
                    configuration.report(
                        "\(what): the connection failed (\(PostgresTaskStore.summary(of: error))); "
                            + "trying again in \(delay) (attempt \(attempt + 1) of \(configuration.connectionAttempts))"
                    )
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(2))
                    attempt += 1
                } catch {
                    throw PostgresTaskStore.storeError(error, while: what, configuration: configuration)
                }
            }
        }

        /// Every row `query` returns, read on a connection the statement watchdog watches.
        func rows(of query: PostgresQuery) async throws -> [PostgresRow] {
            let logger = self.logger
            return try await onConnection { try await $0.query(query, logger: logger).collect() }
        }

        /// Runs one statement and decodes every row as a task.
        func records(_ query: PostgresQuery) async throws -> [(record: TaskRecord, sequence: Int64)] {
            var result: [(record: TaskRecord, sequence: Int64)] = []
            for row in try await rows(of: query) {
                result.append(try TaskRow.record(from: row))
            }
            return result
        }
    }

    extension PostgresTaskStore {
        /// Creates or migrates the schema on a running `client` within 15 seconds; returns the
        /// migration versions applied.
        ///
        /// - Throws: the typed error opening the store reports (see ``init(configuration:)``).
        static func openSchema(client: PostgresClient, configuration: Configuration) async throws -> [Int] {
            let schema = configuration.schema
            let logger = configuration.logger
            do {
                return try await openWithDeadline(
                    .seconds(15), what: "connecting to \(configuration.host):\(configuration.port)"
                ) {
                    switch configuration.migrations {
                    case .onOpen:
                        return try await PostgresSchema.migrate(client, schema: schema, logger: logger)
                    case .manual:
                        try await PostgresSchema.requireCurrent(client, schema: schema, logger: logger)
                        return []
                    }
                }
            } catch {
                throw storeError(error, while: "opening the store", configuration: configuration)
            }
        }

        /// `body`'s result within `limit` (see ``StatementWatchdog``), or a typed error saying what to
        /// check.
        static func openWithDeadline<T: Sendable>(
            _ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
        ) async throws -> T {
            do {
                let watchdog = StatementWatchdog(limit: limit)
                defer { watchdog.stop() }
                return try await watchdog.run(what, body)
            } catch is StatementTimedOut {
                throw TaskworksError(
                    code: .storageFailure,
                    message: "\(what) took longer than \(limit); check that the server runs and accepts "
                        + "connections from this host")
            }
        }
    }

    extension PostgresTaskStore {
        /// Drops this store's schema with every task in it, for good. Benchmarks and tests use it to
        /// clean up the schema they made for one run; never call it on a schema that holds real work.
        public func dropSchema() async throws {
            let statement = PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(configuration.schema) CASCADE")
            try await withRetries("dropping schema \(configuration.schema)") { [self] _ in
                _ = try await rows(of: statement)
            }
        }
    }
#endif  // Postgres

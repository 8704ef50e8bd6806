import Foundation
import Logging
import PostgresNIO
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
/// migrated on first use. Call ``close()`` when done.
///
/// ```swift
/// let store = try await PostgresTaskStore(url: "postgres://app:secret@db.internal:5432/app")
/// let service = TaskService(store: store, registry: registry)
/// ```
public final class PostgresTaskStore: TaskStore {
    /// What the store was opened with.
    public let configuration: Configuration
    /// The migration versions this call to `init` applied (empty when the schema was current).
    public let appliedMigrations: [Int]
    let client: PostgresClient
    let logger: Logger
    let tasksTable: String
    let notificationChannel: String
    private let clientTask: Task<Void, Never>
    private let notifications: WorkNotifications

    /// Opens a store on the database `url` names (see ``Configuration/init(url:)``).
    public convenience init(url: String) async throws {
        try await self.init(configuration: Configuration(url: url))
    }

    /// Connects, then creates or migrates the schema.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for a bad configuration;
    ///   ``TaskworksError/Code/storageFailure`` when the server cannot be reached within
    ///   about 10 seconds or refuses the login; ``TaskworksError/Code/corruptStore`` when the
    ///   schema is newer than this code.
    public init(configuration: Configuration) async throws {
        try configuration.validate()
        self.configuration = configuration
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database,
            tls: configuration.requireTLS ? .require(.makeClientConfiguration()) : .disable)
        clientConfiguration.options.maximumConnections = configuration.maximumConnections
        clientConfiguration.options.connectTimeout = .seconds(10)
        clientConfiguration.options.additionalStartupParameters = [
            ("application_name", configuration.applicationName)
        ]
        let logger = Logger(label: "taskworks.postgres") { _ in SwiftLogNoOpLogHandler() }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.tasksTable = "\(configuration.schema).tasks"
        self.notificationChannel = "taskworks_\(configuration.schema)"
        self.clientTask = Task { await client.run() }
        self.notifications = WorkNotifications(
            client: client, channel: "taskworks_\(configuration.schema)", logger: logger,
            log: configuration.logHandler)
        do {
            let schema = configuration.schema
            appliedMigrations = try await PostgresTaskStore.openWithDeadline(
                .seconds(15), what: "connecting to \(configuration.host):\(configuration.port)"
            ) {
                try await PostgresSchema.migrate(client, schema: schema, logger: logger)
            }
        } catch {
            clientTask.cancel()
            throw PostgresTaskStore.storeError(
                error, while: "opening the store", configuration: configuration)
        }
    }

    /// Stops listening and closes every connection. Calls made after this fail.
    public func close() async {
        notifications.stop()
        clientTask.cancel()
        await clientTask.value
    }

    /// A stream that yields whenever another host (or this one) created a task or put one back
    /// to pending; the pool claims at once. Each stream holds one LISTEN subscription while it
    /// is consumed; the first one opens the store's LISTEN connection.
    public func workAvailableSignals() -> AsyncStream<Void>? {
        notifications.subscribe()
    }

    // MARK: - Running statements

    /// Runs `body`, retrying it with backoff while the connection to the server fails, up to
    /// ``Configuration/connectionAttempts`` tries. `body` gets the attempt number (1-based) so a
    /// write can recognise its own earlier, committed try.
    func withRetries<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (_ attempt: Int) async throws -> T
    ) async throws -> T {
        var attempt = 1
        var delay = Duration.milliseconds(50)
        while true {
            do {
                let thisAttempt = attempt
                return try await PostgresTaskStore.withDeadline(configuration.statementTimeout, what: what) {
                    try await body(thisAttempt)
                }
            } catch let error where PostgresTaskStore.isConnectionFailure(error) || error is StatementTimedOut
            {
                guard attempt < configuration.connectionAttempts else {
                    throw PostgresTaskStore.storeError(error, while: what, configuration: configuration)
                }
                configuration.logHandler(
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

    /// Runs one statement and decodes every row as a task.
    func records(_ query: PostgresQuery) async throws -> [(record: TaskRecord, sequence: Int64)] {
        var result: [(record: TaskRecord, sequence: Int64)] = []
        for try await row in try await client.query(query, logger: logger) {
            result.append(try TaskRow.record(from: row))
        }
        return result
    }

    /// `body`'s result, or ``StatementTimedOut`` when it takes longer than `limit`. A body that
    /// overruns is cancelled and left behind rather than awaited: a statement on a connection
    /// the server dropped may never answer, and must not hold up its caller (or a shutdown).
    static func withDeadline<T: Sendable>(
        _ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Locked<CheckedContinuation<T, any Error>?>(nil)
        let work = Task { try await body() }
        return try await withCheckedThrowingContinuation { continuation in
            outcome.withLock { $0 = continuation }
            @Sendable func finish(_ result: Result<T, any Error>) {
                outcome.withLock { pending in
                    pending?.resume(with: result)
                    pending = nil
                }
            }
            Task {
                let result = await work.result
                finish(result)
            }
            Task {
                try? await Task.sleep(for: limit)
                finish(.failure(StatementTimedOut(limit: limit, what: what)))
                work.cancel()
            }
        }
    }
}

/// A statement got no answer within ``PostgresTaskStore/Configuration/statementTimeout``.
struct StatementTimedOut: Error, CustomStringConvertible {
    let limit: Duration
    let what: String
    var description: String { "no answer within \(limit)" }
}

extension PostgresTaskStore {
    /// ``withDeadline(_:what:_:)`` for opening: a typed error saying what to check.
    static func openWithDeadline<T: Sendable>(
        _ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await withDeadline(limit, what: what, body)
        } catch is StatementTimedOut {
            throw TaskworksError(
                code: .storageFailure,
                message: "\(what) took longer than \(limit); check that the server runs and accepts "
                    + "connections from this host")
        }
    }
}

extension PostgresTaskStore {
    /// Drops the store's schema with everything in it (tests use it to clean up).
    func dropSchema() async throws {
        let statement = PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(configuration.schema) CASCADE")
        try await withRetries("dropping schema \(configuration.schema)") { [self] _ in
            _ = try await client.query(statement, logger: logger).collect()
        }
    }
}

extension PostgresTaskStore {
    /// Drops this store's schema and everything in it. For benchmarks and tests that make a
    /// schema per run; never call it on a schema that holds real work.
    public func dropSchemaForBenchmark() async throws { try await dropSchema() }
}

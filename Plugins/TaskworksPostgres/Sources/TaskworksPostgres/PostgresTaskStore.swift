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
public final class PostgresTaskStore: TaskStore, TaskReadModel {
    /// What the store was opened with.
    public let configuration: Configuration
    /// The migration versions this call to `init` applied (empty when the schema was current).
    public let appliedMigrations: [Int]
    let client: PostgresClient
    let logger: Logger
    let tasksTable: String
    /// `<schema>.schedule_ticks`: each schedule's last tick.
    let scheduleTicksTable: String
    /// `<schema>.paused_task_types`: the types the claim skips.
    let pausedTypesTable: String
    let settingsTable: String
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
        self.scheduleTicksTable = "\(configuration.schema).schedule_ticks"
        self.pausedTypesTable = "\(configuration.schema).paused_task_types"
        self.settingsTable = "\(configuration.schema).settings"
        let channel = "taskworks_\(configuration.schema)"
        self.notificationChannel = channel
        self.clientTask = Task { await client.run() }
        self.notifications = WorkNotifications(
            client: client, channel: channel, logger: logger,
            log: configuration.report)
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
        try await withCheckedThrowingContinuation { continuation in
            let pending = Locked<CheckedContinuation<T, any Error>?>(continuation)
            let timer = Locked<Task<Void, Never>?>(nil)
            /// Resumes the caller once: `true` for the first result, `false` after.
            @Sendable func finish(_ result: Result<T, any Error>) -> Bool {
                pending.withLock { waiting in
                    defer { waiting = nil }
                    waiting?.resume(with: result)
                    return waiting != nil
                }
            }
            let work = Task {
                do {
                    _ = finish(.success(try await body()))
                } catch {
                    _ = finish(.failure(error))
                }
                timer.withLock { $0 }?.cancel()  // an answered statement needs no timer
            }
            let deadline = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                if finish(.failure(StatementTimedOut(limit: limit, what: what))) { work.cancel() }
            }
            timer.withLock { $0 = deadline }
            if pending.withLock({ $0 == nil }) { deadline.cancel() }  // answered before the timer was set
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
    /// Drops this store's schema with every task in it, for good. Benchmarks and tests use it to
    /// clean up the schema they made for one run; never call it on a schema that holds real work.
    public func dropSchema() async throws {
        let statement = PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(configuration.schema) CASCADE")
        try await withRetries("dropping schema \(configuration.schema)") { [self] _ in
            _ = try await client.query(statement, logger: logger).collect()
        }
    }
}

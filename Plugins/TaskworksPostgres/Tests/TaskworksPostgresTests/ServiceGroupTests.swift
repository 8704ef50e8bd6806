#if Postgres
    import Foundation
    import Logging
    import ServiceLifecycle
    import Synchronization
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// Collects what the PostgreSQL client logs, to show the store's `Logger` is the one used.
    struct CollectingLogHandler: LogHandler {
        final class Lines: Sendable {
            private let lines = LockedState<[String]>([])
            func append(_ line: String) { lines.withLock { $0.append(line) } }
            var all: [String] { lines.withLock { $0 } }
        }

        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.append("\(event.level) \(event.message)")
        }
    }

    @Suite("PostgreSQL: run by a ServiceGroup")
    struct ServiceGroupTests {
        @Test func aCallOnAStoreWhoseRunNeverStartedFailsWithWhatToDo() async throws {
            // No server is needed: nothing connects until run() starts.
            var configuration = PostgresTaskStore.Configuration(host: "127.0.0.1", username: "nobody")
            configuration.statementTimeout = .milliseconds(200)
            let store = try PostgresTaskStore(runningInServiceGroup: configuration)
            do {
                _ = try await store.task(id: TaskID())
                Issue.record("a call on a store that never ran succeeded")
            } catch let error as TaskworksError {
                #expect(error.code == .storageFailure)
                #expect(error.message.contains("ServiceGroup"), "\(error.message)")
            }
        }

        @Test func runThrowsWhenTheServerIsUnreachableAndWaitingCallsGetThatError() async throws {
            let port = try #require(freeLoopbackPort())
            var configuration = PostgresTaskStore.Configuration(
                host: "127.0.0.1", port: port, username: "nobody")
            configuration.statementTimeout = .seconds(60)
            let store = try PostgresTaskStore(runningInServiceGroup: configuration)
            let waiting = Task { try await store.task(id: TaskID()) }
            await #expect(throws: TaskworksError.self) { try await store.run() }
            do {
                _ = try await value(of: waiting)
                Issue.record("a call waiting for an unreachable store succeeded")
            } catch let error as TaskworksError {
                #expect(error.code == .storageFailure)
                #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
            }
        }

        @Test(.enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
        func theGroupRunsTheClientMigratesServesAndClosesOnGracefulShutdown() async throws {
            var configuration = try TestDatabase.configuration()
            let lines = CollectingLogHandler.Lines()
            configuration.logger = Logger(label: "app") { _ in CollectingLogHandler(lines: lines) }
            let store = try PostgresTaskStore(runningInServiceGroup: configuration)
            // Issued before the group runs: waits for the migrations, then goes ahead.
            let early = Task {
                try await store.insert(TaskRecord(type: "job", createdBy: "alice", createdAt: Date()))
            }
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: store)], logger: silentLogger))
            let running = Task { try await group.run() }
            let inserted = try await value(of: early)
            #expect(store.appliedMigrations == PostgresSchema.migrations.map(\.version))
            #expect(try await store.task(id: inserted.id)?.createdBy == "alice")
            try await eventually("the client logged through the configured logger") { !lines.all.isEmpty }
            await group.triggerGracefulShutdown()
            try await value(of: running)
            var cleanup = configuration
            cleanup.logger = silentLogger
            let other = try await PostgresTaskStore(configuration: cleanup)
            #expect(try await other.task(id: inserted.id) != nil)
            try await other.dropSchema()
            await other.close()
        }
    }
#endif  // Postgres

#if Logging
    import Foundation
    import Logging
    import Synchronization
    import Taskworks
    import TaskworksLogging
    import TaskworksTesting
    import Testing

    /// Taskworks' diagnostics and runners' log lines through swift-log, metadata preserved.
    @Suite("swift-log bridge")
    struct LoggingTests {
        /// Keeps every record it is given.
        struct Capture: LogHandler {
            final class Box: Sendable {
                let records = LockedRecords()
            }
            let box: Box
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                box.records.append((event.level, "\(event.message)", event.metadata ?? [:]))
            }
        }

        final class LockedRecords: Sendable {
            private let items = LockedState<[(Logger.Level, String, Logger.Metadata)]>([])
            func append(_ item: (Logger.Level, String, Logger.Metadata)) {
                items.withLock { $0.append(item) }
            }
            var all: [(Logger.Level, String, Logger.Metadata)] { items.withLock { $0 } }
        }

        static func logger(_ box: Capture.Box) -> Logger {
            Logger(label: "test") { _ in Capture(box: box) }
        }

        @Test func aDiagnosticIsLoggedAtItsLevelWithItsMetadata() {
            let box = Capture.Box()
            let diagnostics = TaskDiagnostics(logger: LoggingTests.logger(box))
            diagnostics.emit(
                .warning, "dropped a torn record", metadata: ["component": "file-store", "store.path": "/x"])
            let record = box.records.all.first
            #expect(record?.0 == .warning)
            #expect(record?.1 == "dropped a torn record")
            #expect(record?.2["component"] == .string("file-store"))
            #expect(record?.2["store.path"] == .string("/x"))
        }

        @Test func aRunnersLinesCarryTheTaskMetadata() async throws {
            let box = Capture.Box()
            let registry = TaskRegistry()
            try registry.register("talk") { _ in
                ClosureTaskRunner { context in
                    context.log(.notice, "exported page", metadata: ["page": "3"])
                    return nil
                }
            }
            var configuration = TaskService.Configuration()
            configuration.runnerLogHandler = LoggingTests.logger(box).taskLogHandler
            let service = TaskService(
                store: InMemoryTaskStore(), registry: registry, configuration: configuration)
            let pool = WorkerPool(service: service)
            let task = try await withRunningPool(pool) {
                let task = try await service.create("talk", createdBy: .user("alice"))
                try await eventually("the task finished") {
                    try await service.task(task.id, as: .system).status == .succeeded
                }
                return task
            }
            let record = try #require(box.records.all.first)
            #expect(record.0 == .notice)
            #expect(record.1 == "exported page")
            #expect(record.2["task.id"] == .string(task.id.description))
            #expect(record.2["task.type"] == .string("talk"))
            #expect(record.2["task.attempt"] == .string("1"))
            #expect(record.2["page"] == .string("3"))
        }

        @Test(arguments: TaskLogLevel.allCases)
        func everyLevelHasItsNamesake(_ level: TaskLogLevel) {
            #expect(Logger.Level(level).rawValue == level.rawValue)
        }
    }
#endif  // Logging

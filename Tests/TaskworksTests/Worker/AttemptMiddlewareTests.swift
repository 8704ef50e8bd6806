import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Attempt middleware wraps every attempt in order, sees the outcome, may decorate the context,
/// and fails the attempt when it throws.
@Suite("Attempt middleware")
struct AttemptMiddlewareTests {
    /// Lines in the order they were added.
    final class Journal<Line: Sendable>: Sendable {
        private let lines = LockedState<[Line]>([])
        func append(_ line: Line) { lines.withLock { $0.append(line) } }
        var all: [Line] { lines.withLock { $0 } }
    }

    /// Records what it saw under its name.
    struct Recording: TaskAttemptMiddleware {
        let name: String
        let journal: Journal<String>

        init(_ name: String, _ journal: Journal<String>) {
            self.name = name
            self.journal = journal
        }

        func run(
            _ task: TaskRecord, context: TaskContext,
            next: (TaskContext) async throws -> (any Encodable & Sendable)?
        ) async throws -> (any Encodable & Sendable)? {
            journal.append("\(name) before \(task.type)")
            do {
                let result = try await next(context)
                journal.append("\(name) after: \(result.map { "\($0)" } ?? "nil")")
                return result
            } catch {
                journal.append("\(name) saw: \(error)")
                throw error
            }
        }
    }

    /// Tags the attempt's log lines.
    struct Tagging: TaskAttemptMiddleware {
        func run(
            _ task: TaskRecord, context: TaskContext,
            next: (TaskContext) async throws -> (any Encodable & Sendable)?
        ) async throws -> (any Encodable & Sendable)? {
            context.setLogMetadata("trace-\(task.id.description.prefix(8))", forKey: "trace.id")
            return try await next(context)
        }
    }

    struct Refusing: TaskAttemptMiddleware {
        struct Refused: Error, CustomStringConvertible { var description: String { "refused by middleware" } }
        func run(
            _ task: TaskRecord, context: TaskContext,
            next: (TaskContext) async throws -> (any Encodable & Sendable)?
        ) async throws -> (any Encodable & Sendable)? {
            throw Refused()
        }
    }

    static func world(
        middleware: [any TaskAttemptMiddleware], logs: Journal<TaskLogRecord> = Journal(),
        runner: @escaping @Sendable (TaskContext) async throws -> (any Encodable & Sendable)?
    ) throws -> (TaskService, WorkerPool) {
        let registry = TaskRegistry()
        try registry.register("work", defaults: .init(maxRetries: 0)) { _ in ClosureTaskRunner(runner) }
        var configuration = TaskService.Configuration()
        configuration.runnerLogHandler = { record in logs.append(record) }
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        var poolConfiguration = Fixtures.poolConfiguration(concurrency: 1)
        poolConfiguration.middleware = middleware
        return (service, WorkerPool(service: service, configuration: poolConfiguration))
    }

    static func finished(_ id: TaskID, in service: TaskService) async throws -> TaskRecord {
        try await eventually("the task finished") {
            try await service.task(id, as: .system).status.isTerminal
        }
        return try await service.task(id, as: .system)
    }

    @Test func theFirstWrapsTheRestAndEachSeesTheResult() async throws {
        let journal = Journal<String>()
        let (service, pool) = try AttemptMiddlewareTests.world(
            middleware: [Recording("outer", journal), Recording("inner", journal)]
        ) { _ in
            journal.append("runner")
            return 42
        }
        let task = try await withRunningPool(pool) {
            let task = try await service.create("work", createdBy: .user("alice"))
            return try await AttemptMiddlewareTests.finished(task.id, in: service)
        }
        #expect(task.status == .succeeded)
        #expect(task.result == .integer(42))
        #expect(
            journal.all == [
                "outer before work", "inner before work", "runner", "inner after: 42", "outer after: 42",
            ])
    }

    @Test func eachSeesTheRunnersErrorAndTheAttemptFails() async throws {
        let journal = Journal<String>()
        struct Broken: Error, CustomStringConvertible { var description: String { "the printer is on fire" } }
        let (service, pool) = try AttemptMiddlewareTests.world(middleware: [Recording("only", journal)]) {
            _ in
            throw Broken()
        }
        let task = try await withRunningPool(pool) {
            let task = try await service.create("work", createdBy: .user("alice"))
            return try await AttemptMiddlewareTests.finished(task.id, in: service)
        }
        #expect(task.status == .failed)
        #expect(task.errorMessage?.contains("the printer is on fire") == true)
        #expect(journal.all == ["only before work", "only saw: the printer is on fire"])
    }

    @Test func aMiddlewareDecoratesTheContextsLogLines() async throws {
        let logs = Journal<TaskLogRecord>()
        let (service, pool) = try AttemptMiddlewareTests.world(middleware: [Tagging()], logs: logs) {
            context in
            context.log(.info, "working", metadata: ["step": "1"])
            return nil
        }
        let task = try await withRunningPool(pool) {
            let task = try await service.create("work", createdBy: .user("alice"))
            return try await AttemptMiddlewareTests.finished(task.id, in: service)
        }
        let record = try #require(logs.all.first)
        #expect(record.metadata["trace.id"] == "trace-\(task.id.description.prefix(8))")
        #expect(record.metadata["step"] == "1")
        #expect(record.metadata["task.id"] == task.id.description)
    }

    @Test func aMiddlewareThatThrowsFailsTheAttemptAndTheRunnerNeverRuns() async throws {
        let ran = Atomic<Int>(0)
        let (service, pool) = try AttemptMiddlewareTests.world(middleware: [Refusing()]) { _ in
            ran.add(1, ordering: .relaxed)
            return nil
        }
        let task = try await withRunningPool(pool) {
            let task = try await service.create("work", createdBy: .user("alice"))
            return try await AttemptMiddlewareTests.finished(task.id, in: service)
        }
        #expect(task.status == .failed)
        #expect(task.errorMessage?.contains("refused by middleware") == true)
        #expect(ran.load(ordering: .relaxed) == 0)
    }
}

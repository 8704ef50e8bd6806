import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Task service")
struct ServiceTests {
    struct Resize: Codable, Equatable, Sendable {
        var width: Int
    }

    struct ResizeFactory: TaskRunnerFactory {
        func makeRunner(for task: TaskRecord) throws -> any TaskRunner { ClosureTaskRunner { _ in nil } }
        func validatePayload(_ payload: JSONValue?) throws {
            let resize = try (payload ?? .null).decode(Resize.self)
            guard resize.width > 0 else { throw TaskFailure.permanent("width must be positive") }
        }
    }

    private func makeService(clock: ManualTaskClock = ManualTaskClock()) throws -> TaskService {
        let registry = try Sample.registry()
        try registry.register(
            "resize", defaults: TaskTypeDefaults(maxRetries: 1, timeout: .seconds(5), priority: 2),
            factory: ResizeFactory())
        return TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
    }

    @Test func createAppliesOptionsOverTypeDefaults() async throws {
        let clock = ManualTaskClock()
        let service = try makeService(clock: clock)
        let plain = try await service.create("resize", payload: Resize(width: 640), createdBy: .user("alice"))
        #expect(plain.status == .pending)
        #expect(plain.priority == 2)
        #expect(plain.maxRetries == 1)
        #expect(plain.timeout == .seconds(5))
        #expect(plain.createdBy == "alice")
        #expect(plain.createdAt == clock.now())
        #expect(plain.version == 1)
        #expect(try plain.decodePayload(as: Resize.self) == Resize(width: 640))

        let later = clock.now().addingTimeInterval(60)
        let custom = try await service.create(
            "resize", payload: Resize(width: 1),
            options: TaskOptions(maxRetries: 0, priority: 9, runAfter: later),
            createdBy: .system)
        #expect(custom.priority == 9)
        #expect(custom.maxRetries == 0)
        #expect(custom.runAfter == later)
        #expect(custom.createdBy == "system")
    }

    @Test func creatingAnUnknownTypeIsATypedErrorNamingIt() async throws {
        let service = try makeService()
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create("resize_image", createdBy: .user("alice"))
        }
        #expect(error?.code == .unknownTaskType)
        #expect(error?.message.contains("resize_image") == true)
        #expect(try await service.counts(for: .system).total == 0)
    }

    @Test(arguments: [
        TaskOptions(priority: 0), TaskOptions(priority: 11), TaskOptions(maxRetries: -1),
        TaskOptions(maxRetries: 1000), TaskOptions(timeout: .zero),
    ])
    func outOfRangeOptionsAreRefused(options: TaskOptions) async throws {
        let service = try makeService()
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create("noop", options: options, createdBy: .user("alice"))
        }
        #expect(error?.code == .invalidInput)
    }

    @Test func factoriesRefuseBadPayloadsAtCreateTime() async throws {
        let service = try makeService()
        let wrongShape = await #expect(throws: TaskworksError.self) {
            try await service.create("resize", payload: ["height": 3], createdBy: .user("alice"))
        }
        #expect(wrongShape?.code == .invalidInput)
        let refused = await #expect(throws: TaskworksError.self) {
            try await service.create("resize", payload: Resize(width: -5), createdBy: .user("alice"))
        }
        #expect(refused?.message.contains("width must be positive") == true)
        #expect(try await service.counts(for: .system).total == 0)
    }

    @Test(arguments: [
        Caller.user(""), .user("system"), .admin("system"), .user("bad\nid"),
        .user(String(repeating: "x", count: 201)),
    ])
    func unusableCallerIDsAreRefused(caller: Caller) async throws {
        let service = try makeService()
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create("noop", createdBy: caller)
        }
        #expect(error?.code == .invalidInput)
        await #expect(throws: TaskworksError.self) { try await service.list(TaskQuery(), as: caller) }
    }

    @Test func cancelPendingEndsCancelledAtOnceAndTwiceIsAnInvalidTransition() async throws {
        let service = try makeService()
        let task = try await service.create("noop", createdBy: .user("alice"))
        let cancelled = try await service.cancel(task.id, as: .user("alice"))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.finishedAt != nil)
        let error = await #expect(throws: TaskworksError.self) {
            try await service.cancel(task.id, as: .user("alice"))
        }
        #expect(error?.code == .invalidTransition)
    }

    @Test func retryResetsAFailedTaskAndCountsIt() async throws {
        let service = try makeService()
        let task = try await service.create("noop", createdBy: .user("alice"))
        try await service.store.force(task.id) {
            $0.status = .failed
            $0.errorMessage = "boom"
            $0.progress = 40
            $0.attempts = 4
            $0.artifact = try? TaskArtifact(key: "k", fileName: "f.csv")
        }
        let retried = try await service.retry(task.id, as: .user("alice"))
        #expect(retried.status == .pending)
        #expect(retried.errorMessage == nil)
        #expect(retried.progress == 0)
        #expect(retried.artifact == nil)
        #expect(retried.attempts == 0)
        #expect(retried.manualRetries == 1)
        let again = await #expect(throws: TaskworksError.self) {
            try await service.retry(task.id, as: .user("alice"))
        }
        #expect(again?.code == .invalidTransition)
    }

    @Test func deleteHidesTheTaskAndCancelsItFirst() async throws {
        let service = try makeService()
        let task = try await service.create("noop", createdBy: .user("alice"))
        try await service.delete(task.id, as: .user("alice"))
        let stored = try #require(try await service.store.task(id: task.id))
        #expect(stored.status == .cancelled)
        #expect(stored.deletedAt != nil)
        await #expect(throws: TaskworksError.taskNotFound(task.id)) {
            try await service.task(task.id, as: .admin("root"))
        }
        await #expect(throws: TaskworksError.taskNotFound(task.id)) {
            try await service.delete(task.id, as: .user("alice"))
        }
        #expect(try await service.list(TaskQuery(), as: .admin("root")).total == 0)
    }

    @Test func recentTasksUseTheInjectedClock() async throws {
        let clock = ManualTaskClock()
        let service = try makeService(clock: clock)
        let old = try await service.create("noop", createdBy: .user("alice"))
        try await service.store.force(old.id) { $0.status = .succeeded }
        let oldPending = try await service.create("noop", createdBy: .user("alice"))
        clock.advance(by: 25 * 3600)
        let fresh = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.create("noop", createdBy: .user("bob"))
        let recent = try await service.recentTasks(for: .user("alice"))
        #expect(recent.map(\.id) == [fresh.id, oldPending.id])
        var many: [TaskID] = []
        for _ in 0..<12 { many.append(try await service.create("noop", createdBy: .user("carol")).id) }
        #expect(
            try await service.recentTasks(for: .user("carol")).map(\.id) == Array(many.reversed().prefix(10)))
    }

    @Test func countsAreScopedToTheCaller() async throws {
        let service = try makeService()
        _ = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.create("resize", payload: Resize(width: 3), createdBy: .user("bob"))
        #expect(
            try await service.counts(for: .user("alice"))
                == TaskCounts(byStatus: [.pending: 2], byType: ["noop": 2]))
        let all = try await service.counts(for: .admin("root"))
        #expect(all.byType == ["noop": 2, "resize": 1])
        #expect(try await service.counts(for: .system).total == 3)
    }

    @Test func artifactLookupNeedsAnArtifact() async throws {
        let service = try makeService()
        let task = try await service.create("noop", createdBy: .user("alice"))
        let missing = await #expect(throws: TaskworksError.self) {
            try await service.artifact(of: task.id, as: .user("alice"))
        }
        #expect(missing?.code == .artifactNotFound)
        let artifact = try TaskArtifact(key: "exports/1", fileName: "users.csv")
        try await service.store.force(task.id) {
            $0.status = .succeeded
            $0.artifact = artifact
        }
        #expect(try await service.artifact(of: task.id, as: .user("alice")) == artifact)
    }

    @Test func listValidatesThePage() async throws {
        let service = try makeService()
        for (page, size) in [(0, 10), (1, 0), (1, 101), (-3, 10)] {
            let error = await #expect(throws: TaskworksError.self) {
                try await service.list(TaskQuery(page: page, pageSize: size), as: .admin("root"))
            }
            #expect(error?.code == .invalidQuery)
        }
    }
}

import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Completion callbacks")
struct CompletionCallbackTests {
    @Test func callbacksRunExactlyOnceWhileCancelsRaceCompletion() async throws {
        let perTask = Tally<TaskID>()
        let perType = Tally<TaskID>()
        let finalStatus = Tally<TaskStatus>()
        let registry = try Sample.registry()
        try registry.register("quick") { _ in ClosureTaskRunner { _ in "ok" } }
        registry.onComplete(of: "quick") { task in perType.add(task.id) }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration(concurrency: 8))
        let taskCount = 300
        try await withRunningPool(pool) {
            let ids = try await withThrowingTaskGroup(of: TaskID.self) { group in
                for index in 0..<taskCount {
                    group.addTask {
                        let task = try await service.create("quick", createdBy: .user("u\(index % 7)")) {
                            finished in
                            perTask.add(finished.id)
                            finalStatus.add(finished.status)
                        }
                        // Race a cancel against the worker picking the task up and finishing it.
                        if index % 2 == 0 { _ = try? await service.cancel(task.id, as: .admin("root")) }
                        return task.id
                    }
                }
                var ids: [TaskID] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            try await eventually("all tasks terminal") {
                try await service.counts(for: .system).byStatus.keys.allSatisfy(\.isTerminal)
            }
            await service.waitForCallbacks()
            for id in ids {
                #expect(perTask[id] == 1, "per-task callback count for \(id)")
                #expect(perType[id] == 1, "type observer count for \(id)")
            }
            let counts = try await service.counts(for: .system)
            #expect(finalStatus.all[.succeeded, default: 0] == counts[.succeeded])
            #expect(finalStatus.all[.cancelled, default: 0] == counts[.cancelled])
            #expect(counts[.succeeded] + counts[.cancelled] == taskCount)
        }
    }

    @Test func aThrowingOrSlowCallbackNeverBreaksThePool() async throws {
        struct CallbackBroke: Error {}
        let reported = Tally<String>()
        let slowCallbackRelease = TestGate()
        var configuration = TaskService.Configuration()
        configuration.callbackErrorHandler = { task, _ in reported.add(task.type) }
        let registry = try Sample.registry()
        registry.onComplete(of: "noop") { _ in throw CallbackBroke() }
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration(concurrency: 2))
        try await withRunningPool(pool) {
            let slow = try await service.create("noop", createdBy: .user("alice")) { _ in
                try await slowCallbackRelease.waitIgnoringCancellation()
            }
            var later: [TaskID] = []
            for _ in 0..<20 { later.append(try await service.create("noop", createdBy: .user("alice")).id) }
            try await eventually("all succeeded while a callback is still blocked") {
                try await service.counts(for: .system)[.succeeded] == 21
            }
            #expect(!slowCallbackRelease.isOpen)
            #expect(try await service.task(slow.id, as: .system).status == .succeeded)
            slowCallbackRelease.open()
            await service.waitForCallbacks()
            #expect(reported["noop"] == 21)
        }
    }

    @Test func cancellingAPendingTaskCallsItsCallbackOnce() async throws {
        let calls = Tally<TaskStatus>()
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let task = try await service.create("noop", createdBy: .user("alice")) { finished in
            calls.add(finished.status)
        }
        try await service.cancel(task.id, as: .user("alice"))
        _ = try? await service.cancel(task.id, as: .user("alice"))
        try await service.delete(task.id, as: .user("alice"))
        await service.waitForCallbacks()
        #expect(calls.all == [.cancelled: 1])
    }
}

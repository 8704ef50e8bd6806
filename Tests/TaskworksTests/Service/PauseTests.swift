import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Pause and resume")
struct PauseTests {
    private static func registry() throws -> TaskRegistry {
        let registry = try Sample.registry()
        try registry.register("email") { _ in ClosureTaskRunner { _ in nil } }
        return registry
    }

    @Test func pausingFollowsVisibilityAndTheLifeCycle() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try PauseTests.registry())
        let events = try service.events(for: .admin("root"))
        let task = try await service.create("noop", createdBy: .user("alice"))
        let hidden = await #expect(throws: TaskworksError.self) {
            try await service.pause(task.id, as: .user("bob"))
        }
        #expect(hidden?.code == .taskNotFound)
        #expect(try await service.pause(task.id, as: .user("alice")).status == .paused)
        // A second pause changes nothing: the version stays.
        #expect(try await service.pause(task.id, as: .admin("root")).version == 2)
        #expect(try await service.counts(for: .user("alice"))[.paused] == 1)
        #expect(try await service.resume(task.id, as: .admin("root")).status == .pending)
        #expect(try await service.resume(task.id, as: .user("alice")).version == 3)  // already pending
        let seen = try await collect("created, paused, resumed", from: events) { $0.count == 3 }
        #expect(seen.map(\.kind) == [.created, .paused, .resumed])

        try await service.pause(task.id, as: .user("alice"))
        #expect(try await service.cancel(task.id, as: .user("alice")).status == .cancelled)
        let finished = await #expect(throws: TaskworksError.self) {
            try await service.pause(task.id, as: .user("alice"))
        }
        #expect(finished?.code == .invalidTransition)
        let notPaused = await #expect(throws: TaskworksError.self) {
            try await service.resume(task.id, as: .user("alice"))
        }
        #expect(notPaused?.code == .invalidTransition)
    }

    @Test func aPausedTypeWaitsForEveryPoolAndResumingWakesThem() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try PauseTests.registry())
        let denied = await #expect(throws: TaskworksError.self) {
            try await service.pauseTaskType("email", as: .user("alice"))
        }
        #expect(denied?.code == .permissionDenied)
        let malformed = await #expect(throws: TaskworksError.self) {
            try await service.pauseTaskType("no such!", as: .system)
        }
        #expect(malformed?.code == .invalidInput)
        #expect(try await service.pauseTaskType("email", as: .admin("root")))
        #expect(try await service.pausedTaskTypes(as: .user("alice")) == ["email"])
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())  // 1 h poll
        try await withRunningPool(pool) {
            let email = try await service.create("email", createdBy: .user("alice"))
            let noop = try await service.create("noop", createdBy: .user("alice"))
            try await eventually("the other type ran") {
                try await service.task(noop.id, as: .system).status == .succeeded
            }
            #expect(try await service.task(email.id, as: .system).status == .pending)
            #expect(try await service.resumeTaskType("email", as: .system))
            try await eventually("the resumed type ran without waiting for a poll") {
                try await service.task(email.id, as: .system).status == .succeeded
            }
        }
        #expect(!(try await service.resumeTaskType("email", as: .system)))
    }

    @Test func pausedTypesSurviveAReopenAndACompaction() async throws {
        let directory = try TemporaryDirectory.make()
        var options = FileTaskStore.Options()
        options.compactionThreshold = 1024
        let store = try await FileTaskStore(directory: directory.path, options: options)
        #expect(try await store.setTaskType("email", paused: true))
        #expect(try await store.setTaskType("report", paused: true))
        #expect(try await store.setTaskType("report", paused: false))
        await store.close()
        let reopened = try await FileTaskStore(directory: directory.path, options: options)
        #expect(try await reopened.pausedTaskTypes() == ["email"])
        for _ in 0..<20 { _ = try await reopened.insert(Fixtures.record()) }  // forces compactions
        await reopened.close()
        let compacted = try await FileTaskStore(directory: directory.path, options: options)
        #expect(try await compacted.pausedTaskTypes() == ["email"])
        let snapshot = try String(
            contentsOf: directory.appendingPathComponent("snapshot.json"), encoding: .utf8)
        #expect(snapshot.contains(#"{"taskType":"email","paused":true}"#))
        await compacted.close()
    }
}

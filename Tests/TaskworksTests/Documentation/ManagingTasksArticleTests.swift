import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Creating and managing tasks*, compiled and run.
@Suite("Article: Creating and managing tasks")
struct ManagingTasksArticleTests {
    struct ExportRequest: Codable, Sendable { var keywords: String }
    struct Welcome: Codable, Sendable { var userID: String }

    @Test func everyCallOfTheArticleDoesWhatItsCommentSays() async throws {
        let registry = TaskRegistry()
        try registry.register("user_export") { _ in ClosureTaskRunner { _ in nil } }
        try registry.register("send_welcome") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        let alice = Caller.user("alice")
        // readme:begin managing-calls
        let task = try await service.create(
            "user_export", payload: ExportRequest(keywords: "smith"),
            options: TaskOptions(
                maxRetries: 3, priority: 7, timeout: .seconds(300), metadata: ["tenant": "acme"]),
            createdBy: alice)
        let stored = try await service.task(task.id, as: alice)
        let page = try await service.list(TaskQuery(statuses: [.pending], search: "export"), as: alice)
        let recent = try await service.recentTasks(for: alice)  // up to 10 of mine: last 24 h or active
        let counts = try await service.counts(for: .admin("ops"))  // per status and per type
        let paused = try await service.pause(task.id, as: alice)  // pending → paused: never claimed
        let resumed = try await service.resume(task.id, as: alice)  // paused → pending
        let cancelled = try await service.cancel(task.id, as: alice)
        let retried = try await service.retry(task.id, as: alice)  // failed or cancelled → pending
        try await service.delete(task.id, as: alice)  // soft delete: hidden from every read
        // readme:end managing-calls
        #expect(stored.metadata == ["tenant": "acme"])
        #expect(stored.priority == 7)
        #expect(page.items.map(\.id) == [task.id])
        #expect(recent.map(\.id) == [task.id])
        #expect(counts.byType["user_export"] == 1)
        #expect(paused.status == .paused)
        #expect(resumed.status == .pending)
        #expect(cancelled.status == .cancelled)
        #expect(retried.status == .pending && retried.manualRetries == 1)
        let deleted = await #expect(throws: TaskworksError.self) {
            try await service.task(task.id, as: alice)
        }
        #expect(deleted?.code == .taskNotFound)

        let users = ["u1", "u2", "u3"]
        // readme:begin managing-batch
        let batch = try users.map { try NewTask("send_welcome", payload: Welcome(userID: $0)) }
        let created = try await service.create(batch, createdBy: .system)  // [TaskCreation], in order
        // readme:end managing-batch
        #expect(created.count == 3)
        #expect(created.map { $0.task.payload?["userID"] } == [.string("u1"), .string("u2"), .string("u3")])
        let refused = await #expect(throws: TaskworksError.self) {
            try await service.create([NewTask("send_welcome"), NewTask("no_such_type")], createdBy: .system)
        }
        #expect(refused?.message.contains("task 2 of 2") == true)
        #expect(try await service.counts(for: .system).byType["send_welcome"] == 3)
    }
}

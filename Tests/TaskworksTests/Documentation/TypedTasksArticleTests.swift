import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Typed tasks*, compiled and run (`.ci/check-readme-examples`
/// checks that the article shows exactly the marked lines).
enum TypedTasksArticle {
    // readme:begin typed-tasks-definition
    struct Resize: TaskDefinition {
        typealias Result = Resized
        static let taskType = "resize_image"
        var width: Int
    }
    struct Resized: Codable, Sendable { var width: Int }
    // readme:end typed-tasks-definition
}

@Suite("Article: Typed tasks")
struct TypedTasksArticleTests {
    typealias Resize = TypedTasksArticle.Resize
    typealias Resized = TypedTasksArticle.Resized

    @Test func theArticleRunsAsWritten() async throws {
        let registry = TaskRegistry()
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        // readme:begin typed-tasks-use
        try registry.register(Resize.self) { resize, context in Resized(width: resize.width) }
        let task = try await service.create(Resize(width: 640), createdBy: .user("alice")) {
            finished, resized in
            print(finished.status, resized?.width ?? 0)
        }
        // readme:end typed-tasks-use
        _ = try await service.drainInline()
        let finished = try await service.task(task.id, as: .user("alice"))
        #expect(finished.status == .succeeded)
        #expect(try finished.result(of: Resize.self)?.width == 640)
    }
}

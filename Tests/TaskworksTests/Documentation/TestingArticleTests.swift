import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC articles *Testing* and *TaskworksTesting*, compiled and run: the articles'
/// test is this test.
@Suite("Article: Testing")
struct TestingArticleTests {
    typealias Resize = TypedTasksArticle.Resize
    typealias Resized = TypedTasksArticle.Resized

    let registry: TaskRegistry

    init() throws {
        registry = TaskRegistry()
        try registry.register(Resize.self) { resize, context in
            context.reportProgress(100)
            return Resized(width: resize.width / 2)
        }
    }

    // readme:begin testing-a-runner
    @Test func resizeHalvesTheWidth() async throws {
        let outcome = try await RunnerTest.run(Resize(width: 640), registeredIn: registry)
        #expect(outcome.status == .succeeded)
        #expect(try outcome.result(of: Resize.self)?.width == 320)
        #expect(outcome.progressReports.last == 100)
    }
    // readme:end testing-a-runner
}

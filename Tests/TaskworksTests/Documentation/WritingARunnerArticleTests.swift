import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Writing a runner*, compiled and run.
enum WritingARunnerArticle {
    struct ExportRequest: Codable, Sendable { var pages: [String] }

    /// Stands for the host's own work on one page.
    static func export(_ page: String) async throws {}

    // readme:begin writing-a-runner
    struct ExportRunner: TaskRunner {
        func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
            let request = try context.payload(as: ExportRequest.self)
            for (index, page) in request.pages.enumerated() {
                try context.checkCancellation()
                try await export(page)
                context.reportProgress(completed: index + 1, of: request.pages.count)
            }
            return ["pages": request.pages.count]
        }
    }
    // readme:end writing-a-runner
}

@Suite("Article: Writing a runner")
struct WritingARunnerArticleTests {
    @Test func theArticleRunsAsWritten() async throws {
        typealias ExportRunner = WritingARunnerArticle.ExportRunner
        let registry = TaskRegistry()
        // readme:begin writing-a-runner-registration
        try registry.register("export", defaults: .init(maxRetries: 2)) { _ in ExportRunner() }
        // readme:end writing-a-runner-registration
        let outcome = try await RunnerTest.run(
            type: "export", payload: WritingARunnerArticle.ExportRequest(pages: ["a", "b", "c", "d"]),
            registeredIn: registry)
        #expect(outcome.status == .succeeded)
        #expect(outcome.progressReports == [25, 50, 75, 100])
        #expect(try outcome.result(as: [String: Int].self) == ["pages": 4])
    }
}

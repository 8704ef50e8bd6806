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

@Suite("Article: Writing a runner, artifacts")
struct WritingARunnerArtifactTests {
    @Test func aStreamedArtifactIsDownloadedByItsCreatorAndNotFoundForOthers() async throws {
        let directory = try TemporaryDirectory.make().path
        let registry = TaskRegistry()
        let rows = ["id,name\r\n", "1,Ada\r\n", "2,Grace\r\n"]
        try registry.register("report") { _ in
            ClosureTaskRunner { context in
                // readme:begin writing-a-runner-artifact
                try await context.writeArtifact(fileName: "report.csv", contentType: "text/csv") { out in
                    for row in rows { try await out.write(row) }  // streamed: constant memory
                }
                // readme:end writing-a-runner-artifact
                return nil
            }
        }
        // readme:begin writing-a-runner-artifact-store
        let artifacts = try LocalDirectoryArtifactStore(directory: directory)
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, artifacts: artifacts)
        // readme:end writing-a-runner-artifact-store
        let task = try await service.create("report", createdBy: .user("alice"))
        _ = try await service.drainInline()
        let id = task.id
        let caller = Caller.user("alice")
        var received: [UInt8] = []
        // readme:begin writing-a-runner-download
        let download = try await service.openArtifact(of: id, as: caller)  // others: taskNotFound
        // download.artifact.fileName, .contentType and download.size for the response's headers
        for try await chunk in download.bytes { received += chunk }  // write each to the response
        // readme:end writing-a-runner-download
        #expect(String(decoding: received, as: UTF8.self) == rows.joined())
        #expect(download.artifact.fileName == "report.csv")
        #expect(download.artifact.contentType == "text/csv")
        let hidden = await #expect(throws: TaskworksError.self) {
            _ = try await service.openArtifact(of: id, as: .user("bob"))
        }
        #expect(hidden?.code == .taskNotFound)
    }
}

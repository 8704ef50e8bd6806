import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Writing a plugin*, compiled and run.
enum WritingAPluginArticle {
    struct BuildReport: TaskDefinition {
        typealias Result = NoTaskResult
        static let taskType = "reports.build"
        var name: String
    }

    struct CleanupRunner: TaskRunner {
        func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? { nil }
    }

    /// Stands for the plugin's own report code.
    static func build(_ report: BuildReport, _ context: TaskContext) async throws -> NoTaskResult {
        context.reportProgress(100)
        return NoTaskResult()
    }

    // readme:begin writing-a-plugin
    /// The reports module's task types.
    public struct ReportsPlugin: TaskPlugin {
        /// Makes the plugin.
        public init() {}
        /// Registers `reports.build` and `reports.cleanup`.
        public func register(into registry: TaskRegistry) throws {
            try registry.register(BuildReport.self) { report, context in try await build(report, context) }
            try registry.register("reports.cleanup") { _ in CleanupRunner() }
        }
    }
    // readme:end writing-a-plugin
}

@Suite("Article: Writing a plugin")
struct WritingAPluginArticleTests {
    @Test func theArticleRunsAsWritten() async throws {
        typealias ReportsPlugin = WritingAPluginArticle.ReportsPlugin
        let registry = TaskRegistry()
        // readme:begin writing-a-plugin-install
        try registry.install(ReportsPlugin())
        // readme:end writing-a-plugin-install
        #expect(Set(registry.typeNames).isSuperset(of: ["reports.build", "reports.cleanup"]))
        // Installing twice installs nothing: every name is taken.
        #expect(throws: TaskworksError.self) { try registry.install(ReportsPlugin()) }
    }
}

import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Observability* that needs no trait: one sink for Taskworks' own
/// messages, given to the store and the service, and what it receives when a callback throws.
@Suite("Article: Observability")
struct ObservabilityArticleTests {
    /// Stands for the host's logging backend.
    final class Backend: Sendable {
        let received = LockedState<[TaskDiagnostic]>([])
        func write(_ diagnostic: TaskDiagnostic) { received.withLock { $0.append(diagnostic) } }
    }

    @Test func oneSinkReceivesTheServicesMessagesWithTheirMetadata() async throws {
        let backend = Backend()
        let registry = TaskRegistry()
        try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
        let directory = try TemporaryDirectory.make().path
        // readme:begin observability-diagnostics
        let diagnostics = TaskDiagnostics { diagnostic in
            backend.write(diagnostic)  // diagnostic.level, .message and .metadata to your logs
        }
        var storeOptions = FileTaskStore.Options()
        storeOptions.diagnostics = diagnostics  // the store's warnings
        var configuration = TaskService.Configuration()
        configuration.diagnostics = diagnostics  // the service, and its pools and schedulers
        // readme:end observability-diagnostics
        let store = try await FileTaskStore(directory: directory, options: storeOptions)
        let service = TaskService(store: store, registry: registry, configuration: configuration)
        struct MailerDown: Error {}
        let task = try await service.create("report", createdBy: .user("alice")) { _ in throw MailerDown() }
        _ = try await service.drainInline()
        await service.waitForCallbacks()
        await store.close()
        let received = backend.received.withLock { $0 }
        let callbackError = try #require(received.first { $0.metadata["task.id"] == task.id.string })
        #expect(callbackError.level == .error)
        #expect(callbackError.metadata["component"] == "service")
        #expect(callbackError.metadata["task.type"] == "report")
    }
}

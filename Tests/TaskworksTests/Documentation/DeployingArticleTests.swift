import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Deploying*, compiled and run on a manual clock: the pool's
/// configuration with retention, and what retention removes.
@Suite("Article: Deploying")
struct DeployingArticleTests {
    @Test func retentionRemovesFinishedTasksPastTheirAgeAndKeepsLongerLivedTypes() async throws {
        let clock = ManualTaskClock()
        let registry = TaskRegistry()
        for type in ["report", "audit_export"] {
            try registry.register(type) { _ in ClosureTaskRunner { _ in nil } }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
        // readme:begin deploying-pool
        var configuration = WorkerPool.Configuration(concurrency: 8)
        configuration.shutdownGracePeriod = .seconds(10)  // then running tasks go back to pending
        configuration.retention = RetentionPolicy(
            keepFinishedFor: .seconds(7 * 86_400),  // finished tasks, a week
            keepFinishedForByType: ["audit_export": .seconds(90 * 86_400)])
        let pool = WorkerPool(service: service, configuration: configuration)
        // readme:end deploying-pool
        _ = pool
        let report = try await service.create("report", createdBy: .system)
        let audit = try await service.create("audit_export", createdBy: .system)
        #expect(try await service.drainInline().count == 2)
        clock.advance(by: 8 * 86_400)
        let policy = try #require(configuration.retention)
        #expect(try await service.pruneTasks(policy) == 1)
        await #expect(throws: TaskworksError.self) { try await service.task(report.id, as: .system) }
        #expect(try await service.task(audit.id, as: .system).status == .succeeded)
    }
}

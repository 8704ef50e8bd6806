import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// What is removed, on every store, is the conformance check
/// `retention.exactlyTheExpiredTasksAreRemovedAndOnlyIfUnchanged`; these are the file store's
/// durability of removals (seeded as that check seeds) and the pool running retention.
@Suite("Retention")
struct RetentionTests {
    @Test func removalsSurviveAReopenAndACompaction() async throws {
        let directory = try TemporaryDirectory.make()
        var options = FileTaskStore.Options()
        options.compactionThreshold = 2048
        let store = try await FileTaskStore(directory: directory.path, options: options)
        let (removable, all) = try await RetentionChecks.seed(store)
        let found = try await store.removableTasks(RetentionChecks.criteria, limit: 100)
        #expect(try await store.remove(found) == removable.count)
        let before = try await store.counts(createdBy: nil)
        await store.close()
        let reopened = try await FileTaskStore(directory: directory.path, options: options)
        #expect(try await reopened.counts(createdBy: nil) == before)
        for id in all { #expect((try await reopened.task(id: id) == nil) == removable.contains(id)) }
        for _ in 0..<20 { _ = try await reopened.insert(Fixtures.record()) }  // forces compactions
        await reopened.close()
        let compacted = try await FileTaskStore(directory: directory.path)
        for id in removable { #expect(try await compacted.task(id: id) == nil) }
        let snapshot = try String(
            contentsOf: directory.appendingPathComponent("snapshot.json"), encoding: .utf8)
        for id in removable { #expect(!snapshot.contains(id.description)) }
    }

    @Test func pruningRemovesOldTasksWithTheirArtifactsAndAPoolRunsIt() async throws {
        let clock = ManualTaskClock()
        let artifacts = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        let registry = try Sample.registry()
        try registry.register("report") { _ in
            ClosureTaskRunner { context in
                try await context.writeArtifact(fileName: "r.csv", contentType: "text/csv") {
                    try await $0.write("x")
                }
                return nil
            }
        }
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, artifacts: artifacts, clock: clock)
        var configuration = Fixtures.poolConfiguration()
        configuration.pollInterval = .milliseconds(10)
        configuration.retention = RetentionPolicy(keepFinishedFor: .seconds(3600), interval: .milliseconds(1))
        let pool = WorkerPool(service: service, configuration: configuration)
        try await withRunningPool(pool) {
            let old = try await service.create("report", createdBy: .user("alice"))
            try await eventually("report done") {
                try await service.task(old.id, as: .system).status == .succeeded
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: artifacts.directory).count == 1)
            clock.advance(by: 2 * 3600)
            let fresh = try await service.create("noop", createdBy: .user("alice"))
            try await eventually("old report pruned") { try await service.store.task(id: old.id) == nil }
            #expect(try FileManager.default.contentsOfDirectory(atPath: artifacts.directory).isEmpty)
            try await eventually("fresh task done") {
                try await service.task(fresh.id, as: .system).status == .succeeded
            }
            #expect(try await service.store.task(id: fresh.id) != nil)
        }
        await #expect(throws: TaskworksError.self) {
            try await service.pruneTasks(RetentionPolicy(keepFinishedFor: .seconds(-1)))
        }
    }
}

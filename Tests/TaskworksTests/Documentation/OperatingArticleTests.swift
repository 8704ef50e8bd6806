import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Operating Taskworks*, compiled and run: the stuck-queue
/// checks, a poisoned type paused, fixed and retried, and a damaged file store salvaged.
@Suite("Article: Operating Taskworks")
struct OperatingArticleTests {
    @Test func aStuckQueueShowsWhyAndAPoisonedTypeIsPausedFixedAndRetried() async throws {
        let broken = LockedState(true)
        let registry = TaskRegistry()
        try registry.register("charge", defaults: .init(maxRetries: 0)) { _ in
            ClosureTaskRunner { _ in
                if broken.withLock({ $0 }) { throw TaskFailure.permanent("card processor said 502") }
                return nil
            }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        for _ in 0..<3 { _ = try await service.create("charge", createdBy: .user("alice")) }
        #expect(try await service.drainInline().map(\.status) == [.failed, .failed, .failed])

        let admin = Caller.admin("ops")
        // readme:begin operating-pause-poisoned-type
        try await service.pauseTaskType("charge", as: admin)  // no pool on any host claims it now
        let failed = try await service.list(
            TaskQuery(statuses: [.failed], types: ["charge"], pageSize: 100), as: admin)
        for task in failed.items { print(task.id, task.errorMessage ?? "") }
        // readme:end operating-pause-poisoned-type
        _ = try await service.create("charge", createdBy: .user("bob"))
        #expect(try await service.drainInline().isEmpty)  // paused: nothing is claimed

        // readme:begin operating-stuck-queue
        let counts = try await service.counts(for: admin)  // per status and per type, every creator
        let pausedTypes = try await service.pausedTaskTypes(as: admin)  // types no pool claims
        let settings = try await service.settings(as: admin)  // maxConcurrentTasks caps every pool
        print(counts.byStatus, counts.byType, pausedTypes, settings.maxConcurrentTasks)
        // readme:end operating-stuck-queue
        #expect(counts.byStatus[.pending] == 1)
        #expect(counts.byStatus[.failed] == 3)
        #expect(pausedTypes == ["charge"])

        broken.withLock { $0 = false }  // the fix is deployed
        // readme:begin operating-retry-after-fix
        for task in failed.items { _ = try await service.retry(task.id, as: admin) }
        try await service.resumeTaskType("charge", as: admin)
        // readme:end operating-retry-after-fix
        let ran = try await service.drainInline()
        #expect(ran.count == 4)
        #expect(ran.allSatisfy { $0.status == .succeeded })
    }

    @Test func aDamagedFileStoreIsRefusedUnchangedAndSalvaged() async throws {
        let root = try TemporaryDirectory.make()
        let directory = root.appendingPathComponent("tasks").path
        let registry = TaskRegistry()
        try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
        let store = try await FileTaskStore(directory: directory, options: .init(createDirectory: true))
        let service = TaskService(store: store, registry: registry)
        for index in 0..<20 {
            _ = try await service.create("report", payload: ["n": index], createdBy: .system)
        }
        await store.close()
        let journal = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("journal-") })
        let journalPath = directory + "/" + journal
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journalPath))
        bytes[bytes.count / 2] ^= 0x20  // one flipped bit in the middle of a record
        try bytes.write(to: URL(fileURLWithPath: journalPath))

        // readme:begin operating-salvage
        do {
            _ = try await FileTaskStore(directory: directory)
        } catch let error as TaskworksError where error.code == .corruptStore {
            // error.path and error.line name the bad record; every file is left as it was.
            print(error.path ?? "", error.line ?? 0, error.message)
            let report = try await FileTaskStore.salvage(from: directory, into: directory + "-recovered")
            print(report.recoveredTasks, "tasks recovered; records lost:", report.skippedLines)
        }
        // readme:end operating-salvage
        #expect(try Data(contentsOf: URL(fileURLWithPath: journalPath)) == bytes)
        let recovered = try await FileTaskStore(directory: directory + "-recovered")
        let tasks = try await recovered.scanTasks(after: nil, limit: 100)
        await recovered.close()
        #expect(tasks.count == 19)
    }
}

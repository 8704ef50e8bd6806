import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Store error throttle")
struct StoreErrorThrottleTests {
    /// Every outcome write fails as on a full disk.
    final class FullDiskStore: ForwardingTaskStore {
        let base: any TaskStore
        let failedWrites = Atomic<Int>(0)

        init(base: any TaskStore) { self.base = base }

        func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
            failedWrites.add(1, ordering: .relaxed)
            throw TaskworksError.storageFailure("write journal-1.jsonl failed: No space left on device")
        }
    }

    @Test func aFullDiskIsReportedOncePerPollIntervalNotOncePerFailedWrite() async throws {
        let store = FullDiskStore(base: InMemoryTaskStore())
        let service = TaskService(store: store, registry: try Sample.registry())
        let reports = LockedState<[String]>([])
        var configuration = Fixtures.poolConfiguration(concurrency: 4)
        configuration.storeErrorHandler = { error in reports.withLock { $0.append("\(error)") } }
        let pool = WorkerPool(service: service, configuration: configuration)
        try await withRunningPool(pool) {
            for _ in 0..<40 { _ = try await service.create("noop", createdBy: .user("alice")) }
            try await eventually("every task ran and its outcome write failed") {
                store.failedWrites.load(ordering: .relaxed) >= 40
            }
        }
        // The poll interval is an hour: within this test, each distinct message once.
        let seen = reports.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(seen.count == Set(seen).count, "the same error was reported twice: \(seen)")
    }

    @Test func anErrorIsReportedAgainOnceTheIntervalHasPassed() {
        let throttle = StoreErrorThrottle(interval: .seconds(1))
        let start = ContinuousClock.now
        #expect(throttle.shouldReport("disk full", at: start))
        #expect(!throttle.shouldReport("disk full", at: start + .milliseconds(500)))
        #expect(throttle.shouldReport("another error", at: start + .milliseconds(500)))
        #expect(throttle.suppressedCount(of: "disk full") == 1)
        #expect(throttle.shouldReport("disk full", at: start + .milliseconds(1001)))
    }
}

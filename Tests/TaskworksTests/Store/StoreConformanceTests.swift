import Foundation
import TaskStoreConformance
import Taskworks
import Testing

/// The `TaskStore` contract (the `TaskStoreConformance` product), run against every store this
/// package ships: one test case per check and store.
@Suite("Store conformance")
struct StoreConformanceTests {
    static let harnesses: [StoreHarness] = [
        StoreHarness(name: "memory") {
            let store = InMemoryTaskStore()
            return StoreHarness.Backend(open: { store })
        },
        // The core contract only: lists, counts, recent tasks and retention's queries come from
        // the default ScanningTaskReadModel, which the query checks hold to the same contract;
        // the checks of schedule ticks, paused types, settings and notifications pass unrun.
        StoreHarness(name: "memory, core only") {
            let store = CoreOnlyStore()
            return StoreHarness.Backend(open: { store })
        },
        StoreHarness(name: "file") {
            let directory = try TemporaryDirectory.make()
            return StoreHarness.Backend(
                open: { try await FileTaskStore(directory: directory.path) },
                tearDown: { try? FileManager.default.removeItem(at: directory) })
        },
    ]

    @Test(arguments: harnesses, TaskStoreConformance.checks)
    func conformance(harness: StoreHarness, check: StoreCheck) async throws {
        try await check.run(on: harness)
    }

    /// A store that breaks the contract must fail the suite: here one that ignores `runAfter`.
    @Test func aBrokenStoreFailsTheSuite() async throws {
        let broken = StoreHarness(name: "ignores-runAfter") {
            let store = RunAfterIgnoringStore()
            return StoreHarness.Backend(open: { store })
        }
        do {
            try await TaskStoreConformance.runAll(on: broken, namePrefix: "claim.")
            Issue.record("a store that ignores runAfter passed the claim checks")
        } catch let report as ConformanceReport {
            #expect(report.failures.map(\.check).contains("claim.waitsForRunAfter"))
            #expect(report.failures.allSatisfy { $0.check.hasPrefix("claim.") })
        }
    }
}

/// An in-memory store that implements the eight core requirements and declares no capability.
struct CoreOnlyStore: TaskStore {
    let base = InMemoryTaskStore()
    func insert(_ task: TaskRecord) async throws -> TaskRecord { try await base.insert(task) }
    func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord] {
        try await base.insert(contentsOf: tasks)
    }
    func task(id: TaskID) async throws -> TaskRecord? { try await base.task(id: id) }
    func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
        try await base.update(task, expectedVersion: expectedVersion)
    }
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] { try await base.claim(request) }
    func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord] {
        try await base.expiredLeases(at: now, limit: limit)
    }
    func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord] {
        try await base.scanTasks(after: id, limit: limit)
    }
    func remove(_ tasks: [TaskRecord]) async throws -> Int { try await base.remove(tasks) }
}

/// An in-memory store that claims delayed tasks early: the suite must catch it.
private struct RunAfterIgnoringStore: ForwardingTaskStore {
    let base: any TaskStore = InMemoryTaskStore()
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        var farFuture = request
        farFuture.now = .distantFuture
        return try await base.claim(farFuture).map { claimed in
            var fixed = claimed
            fixed.leaseExpiresAt = request.leaseExpiry
            fixed.startedAt = request.now
            fixed.updatedAt = request.now
            return fixed
        }
    }
}

import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// On the memory store, runners run inline in their worker loop's task; a stop cancels that task
/// and the loop retires, replaced by a fresh one. Both stores must behave the same from outside.
@Suite("Stopping runners, inline or in their own task")
struct InlineRunnerTests {
    @Test(arguments: StoreFixture.all)
    func aOneSlotPoolKeepsWorkingAfterEveryCancelAndTimeout(fixture: StoreFixture) async throws {
        let started = Tally<String>()
        let swiftCancellations = Tally<String>()
        let registry = try Sample.registry()
        try registry.register("sleeper") { _ in
            ClosureTaskRunner { context in
                started.add(context.task.id.string)
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch is CancellationError {
                    swiftCancellations.add(context.task.id.string)
                    throw CancellationError()
                }
                return nil
            }
        }
        let store = try await fixture.make()
        let service = TaskService(store: store, registry: registry)
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration(concurrency: 1))
        try await withRunningPool(pool) {
            for round in 0..<3 {
                // A cancel: Swift cancellation reaches the sleeping runner, which ends cancelled.
                let cancelled = try await service.create("sleeper", createdBy: .user("alice"))
                try await eventually("round \(round): started") { started[cancelled.id.string] == 1 }
                try await service.cancel(cancelled.id, as: .user("alice"))
                try await eventually("round \(round): cancelled") {
                    try await store.task(id: cancelled.id)?.status == .cancelled
                }
                // A timeout: the same, ending failed.
                let timed = try await service.create(
                    "sleeper", options: TaskOptions(maxRetries: 0, timeout: .milliseconds(50)),
                    createdBy: .user("alice"))
                try await eventually("round \(round): timed out") {
                    try await store.task(id: timed.id)?.status == .failed
                }
                // The one slot still runs the next task.
                let next = try await service.create("noop", createdBy: .user("alice"))
                try await eventually("round \(round): next task ran") {
                    try await store.task(id: next.id)?.status == .succeeded
                }
                #expect(swiftCancellations[cancelled.id.string] == 1)
                #expect(swiftCancellations[timed.id.string] == 1)
            }
            #expect(swiftCancellations.all.count == 6)
            #expect(swiftCancellations.all.values.allSatisfy { $0 == 1 })
            #expect(pool.concurrency == 1)
        }
    }
}

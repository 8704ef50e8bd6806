import Foundation
import Taskworks
import TaskworksTesting

/// What `running` means, seen from outside a pool: a task is `running` only while a runner runs
/// it, its attempts count runner starts, a cancel before the start means no start, and a pool
/// whose slots are busy leaves the rest to other pools.
enum ClaimSemanticsChecks {
    /// Runners of type `hold` record their start and then wait until the check releases them.
    final class HeldRunners: Sendable {
        private let startedIDs = LockedState<[TaskID]>([])
        private let gate = TestGate()

        var started: [TaskID] { startedIDs.withLock { $0 } }

        func release() { gate.open() }

        /// A registry with `noop` (returns at once) and `hold` (waits for `release()`, at most
        /// 60 s, and honours cancellation).
        func registry() throws -> TaskRegistry {
            let registry = try Sample.registry()
            try registry.register("hold") { _ in
                ClosureTaskRunner { task in
                    self.startedIDs.withLock { $0.append(task.task.id) }
                    try await self.gate.wait()
                    return nil
                }
            }
            return registry
        }
    }

    /// A pool of two slots that has just run a burst of instant tasks (a pool that prefetches
    /// for short runs would now claim ahead), with four `hold` tasks pending behind it.
    static func busyPoolSetUp(
        _ context: ConformanceContext, runners: HeldRunners
    ) async throws -> (service: TaskService, pool: WorkerPool, held: [TaskRecord]) {
        let service = TaskService(store: context.store, registry: try runners.registry())
        let pool = WorkerPool(
            service: service, configuration: Sample.poolConfiguration(workerID: "busy-pool", concurrency: 2))
        try await withRunningPool(pool) {
            for _ in 0..<40 { _ = try await service.create("noop", createdBy: .user("alice")) }
            try await eventually("the warm-up tasks succeeded") {
                try await service.counts(for: .system)[.succeeded] == 40
            }
        }
        var held: [TaskRecord] = []
        for _ in 0..<4 { held.append(try await service.create("hold", createdBy: .user("alice"))) }
        return (service, pool, held)
    }

    static let all: [StoreCheck] = [
        StoreCheck("engine.onlyTasksWhoseRunnerStartedAreRunning") { context in
            let runners = HeldRunners()
            let (service, pool, held) = try await busyPoolSetUp(context, runners: runners)
            try await withRunningPool(pool) {
                try await eventually("two runners started") { runners.started.count == 2 }
                let counts = try await service.counts(for: .system)
                try expectEqual(counts[.running], 2, "running tasks with two busy slots")
                try expectEqual(counts[.pending], 2, "pending tasks with two busy slots")
                for task in held where !runners.started.contains(task.id) {
                    let waiting = try require(try await context.store.task(id: task.id), "a waiting task")
                    try expectEqual(waiting.status, .pending, "status of a task no runner started")
                    try expectEqual(waiting.attempts, 0, "attempts of a task no runner started")
                    try expectEqual(waiting.startedAt, nil, "startedAt of a task no runner started")
                    try expectEqual(waiting.leaseOwner, nil, "lease owner of a task no runner started")
                }
                for task in held where runners.started.contains(task.id) {
                    let running = try require(try await context.store.task(id: task.id), "a started task")
                    try expectEqual(running.status, .running, "status of a started task")
                    try expectEqual(running.attempts, 1, "attempts of a started task")
                }
                runners.release()
                try await eventually("every held task succeeded") {
                    try await service.counts(for: .system)[.succeeded] == 44
                }
            }
            try expectEqual(runners.started.count, 4, "runner starts")
        },
        StoreCheck("engine.aTaskCancelledBeforeItsRunnerStartsNeverStarts") { context in
            let runners = HeldRunners()
            let (service, pool, held) = try await busyPoolSetUp(context, runners: runners)
            try await withRunningPool(pool) {
                try await eventually("two runners started") { runners.started.count == 2 }
                let victim = try require(
                    held.first { !runners.started.contains($0.id) }, "a task waiting for a slot")
                let cancelled = try await service.cancel(victim.id, as: .user("alice"))
                try expectEqual(cancelled.status, .cancelled, "status right after cancelling a waiting task")
                runners.release()
                try await eventually("the other three succeeded") {
                    try await service.counts(for: .system)[.succeeded] == 43
                }
                try expect(!runners.started.contains(victim.id), "the cancelled task's runner started")
                let stored = try require(try await context.store.task(id: victim.id), "the cancelled task")
                try expectEqual(stored.status, .cancelled, "final status of the cancelled task")
                try expectEqual(stored.attempts, 0, "attempts of the cancelled task")
            }
            try expectEqual(runners.started.count, 3, "runner starts")
        },
        StoreCheck("engine.aBusyPoolLeavesWaitingTasksToAnotherPool") { context in
            let runners = HeldRunners()
            let (_, busyPool, _) = try await busyPoolSetUp(context, runners: runners)
            let other = TaskService(
                store: try await context.openAnotherHandle(), registry: try runners.registry())
            let otherPool = WorkerPool(
                service: other,
                configuration: Sample.poolConfiguration(workerID: "other-pool", concurrency: 2))
            try await withRunningPool(busyPool) {
                try await eventually("the busy pool started two runners") { runners.started.count == 2 }
                try await withRunningPool(otherPool) {
                    try await eventually("the other pool started the two waiting tasks") {
                        runners.started.count == 4
                    }
                    try expectEqual(Set(runners.started).count, 4, "distinct tasks started")
                    runners.release()
                    try await eventually("every held task succeeded") {
                        try await other.counts(for: .system)[.succeeded] == 44
                    }
                }
            }
        },
    ]
}

import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Every timer reads the service's clock: with `ManualTaskClock`, nothing that waits on time
/// happens until the test moves the clock, and moving it makes it happen at once. The pools here
/// keep the default poll interval (1 s): it never passes unless the clock moves.
@Suite("Time from the service's clock")
struct ManualClockTests {
    private static func pool(_ service: TaskService, retryDelay: Duration = .seconds(1)) -> WorkerPool {
        var configuration = WorkerPool.Configuration(concurrency: 1)
        configuration.workerID = "pool-under-test"
        configuration.retryPolicy = RetryPolicy(initialDelay: retryDelay, jitter: 0)
        return WorkerPool(service: service, configuration: configuration)
    }

    /// Waits (with a real-time deadline) until the pool's worker loop, its lease sweeper and its
    /// attempt supervisor all sleep on the clock: the pool has done everything the clock's time
    /// allows. Moving the clock
    /// takes every sleeper it wakes off the clock at once, so this waits for them to sleep again.
    private static func waitUntilAsleep(_ clock: ManualTaskClock) async throws {
        try await eventually("the pool sleeps on the clock") { clock.sleeperCount == 3 }
    }

    @Test func aLeaseRunsOutOnlyWhenTheClockPassesIt() async throws {
        let clock = ManualTaskClock()
        let store = InMemoryTaskStore()
        let service = TaskService(store: store, registry: try Sample.registry(), clock: clock)
        let task = try await service.create("noop", createdBy: .user("alice"))
        // A worker in another process claimed it for 30 s and died.
        let claimed = try await store.claim(
            TaskClaimRequest(owner: "dead-worker", now: clock.now(), leaseDuration: .seconds(30)))
        #expect(claimed.map(\.id) == [task.id])
        let pool = Self.pool(service)
        try await withRunningPool(pool) {
            try await Self.waitUntilAsleep(clock)
            clock.advance(by: 29)
            try await Self.waitUntilAsleep(clock)
            #expect(try await service.task(task.id, as: .system).leaseOwner == "dead-worker")
            clock.advance(by: 2)
            try await eventually("the task was rescued and ran") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
        }
        let finished = try await service.task(task.id, as: .system)
        #expect(finished.attempts == 2)
        #expect(finished.leaseOwner == nil)
    }

    @Test func aRetryRunsOnlyOnceTheClockPassesItsBackoff() async throws {
        let clock = ManualTaskClock()
        let attempts = Atomic<Int>(0)
        let registry = TaskRegistry()
        struct FirstTryFails: Error {}
        try registry.register("flaky") { _ in
            ClosureTaskRunner { _ in
                if attempts.add(1, ordering: .sequentiallyConsistent).newValue == 1 { throw FirstTryFails() }
                return nil
            }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
        let pool = Self.pool(service, retryDelay: .seconds(10))
        try await withRunningPool(pool) {
            let task = try await service.create("flaky", createdBy: .user("alice"))
            try await eventually("the first attempt failed and a retry waits") {
                let stored = try await service.task(task.id, as: .system)
                return stored.status == .pending && stored.attempts == 1
            }
            let waiting = try await service.task(task.id, as: .system)
            #expect(waiting.runAfter == clock.now().addingTimeInterval(10))
            try await Self.waitUntilAsleep(clock)
            clock.advance(by: 9.9)
            try await Self.waitUntilAsleep(clock)
            #expect(attempts.load(ordering: .sequentiallyConsistent) == 1, "the retry ran before it was due")
            // Past the backoff (a pool sleeps a millisecond beyond a due date, never short of it).
            clock.advance(by: 0.2)
            try await eventually("the retry ran") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            let retried = try await service.task(task.id, as: .system)
            #expect(try #require(retried.startedAt) >= waiting.runAfter)
        }
        #expect(attempts.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test func aScheduleFiresWhenTheClockReachesItsTick() async throws {
        let clock = ManualTaskClock()  // 08:00:00 UTC: the next minute tick is 60 s away
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(TaskSchedulerTests.minuteSchedule())
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }
        try await eventually("the scheduler sleeps on the clock") { clock.sleeperCount >= 1 }
        #expect(try await service.counts(for: .system).total == 0)
        clock.advance(by: 59)
        try await eventually("the scheduler sleeps again") { clock.sleeperCount >= 1 }
        #expect(try await service.counts(for: .system).total == 0, "the schedule fired before its tick")
        clock.advance(by: 1)
        try await eventually("the tick created a run") {
            try await service.counts(for: .system).total == 1
        }
        running.cancel()
        _ = await running.result
    }
}

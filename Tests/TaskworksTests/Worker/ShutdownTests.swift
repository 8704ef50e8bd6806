import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Shutdown as ServiceLifecycle means it: `shutdown()` is graceful (runners finish within the
/// grace period, completion callbacks in flight are awaited); cancelling `run()` stops now.
@Suite("Pool shutdown")
struct ShutdownTests {
    struct World {
        let service: TaskService
        let pool: WorkerPool
        let runnerStarted = TestGate()
        let finishRunner = TestGate()
        let callbackStarted = TestGate()
        let finishCallback = TestGate()
        let recorder = DiagnosticsTests.Recorder()

        init(gracePeriod: Duration, clock: any TaskClock = SystemTaskClock()) throws {
            let registry = TaskRegistry()
            try registry.register("held") { [runnerStarted, finishRunner] _ in
                ClosureTaskRunner { _ in
                    runnerStarted.open()
                    try await finishRunner.wait()
                    return nil
                }
            }
            try registry.register("quick") { _ in ClosureTaskRunner { _ in nil } }
            var configuration = TaskService.Configuration()
            configuration.diagnostics = recorder.sink
            service = TaskService(
                store: InMemoryTaskStore(), registry: registry, clock: clock, configuration: configuration)
            var poolConfiguration = Fixtures.poolConfiguration(concurrency: 2)
            poolConfiguration.shutdownGracePeriod = gracePeriod
            pool = WorkerPool(service: service, configuration: poolConfiguration)
        }

        /// Creates a quick task whose completion callback is held until `finishCallback` opens.
        func createWithHeldCallback() async throws -> TaskRecord {
            try await service.create("quick", createdBy: .user("alice")) {
                [callbackStarted, finishCallback] _ in
                callbackStarted.open()
                try await finishCallback.waitIgnoringCancellation()
            }
        }
    }

    @Test func cancellingRunStopsRunnersNowWhateverTheGracePeriod() async throws {
        let world = try World(gracePeriod: .seconds(3600))
        let running = Task { try await world.pool.run() }
        let task = try await world.service.create("held", createdBy: .user("alice"))
        try await world.runnerStarted.wait()
        running.cancel()
        try await value(of: running, "run() to return after the hard stop", within: .seconds(20))
        let stored = try await world.service.task(task.id, as: .system)
        #expect(stored.status == .pending, "a stopped runner's task goes back to pending")
        #expect(stored.attempts == 0, "the stopped attempt is not counted")
        #expect(stored.leaseOwner == nil)
    }

    /// A forced shutdown that follows a graceful one at once (a second Ctrl-C) stops the runner
    /// now: the drain must not miss it while an idle loop is woken too. Repeated, as the two
    /// calls race the drain.
    @Test(arguments: 0..<10)
    func aForcedShutdownRightAfterAGracefulOneStopsRunnersAtOnce(round: Int) async throws {
        let world = try World(gracePeriod: .seconds(3600))
        let running = Task { try await world.pool.run() }
        let task = try await world.service.create("held", createdBy: .user("alice"))
        try await world.runnerStarted.wait()
        world.pool.shutdown()
        world.pool.shutdown(force: true)
        try await value(
            of: running, "run() to return after the forced stop (round \(round))", within: .seconds(20))
        #expect(try await world.service.task(task.id, as: .system).status == .pending)
    }

    @Test func gracefulShutdownLetsARunnerFinishAndAwaitsItsCallback() async throws {
        let world = try World(gracePeriod: .seconds(3600))
        let running = Task { try await world.pool.run() }
        let held = try await world.service.create("held", createdBy: .user("alice"))
        try await world.runnerStarted.wait()
        let quick = try await world.createWithHeldCallback()
        try await world.callbackStarted.wait()
        world.pool.shutdown()
        world.finishRunner.open()
        try await eventually("the held runner finished") {
            try await world.service.task(held.id, as: .system).status == .succeeded
        }
        #expect(try await world.service.task(quick.id, as: .system).status == .succeeded)
        // Every runner has stopped; run() still waits for the callback.
        let returned = Atomic<Bool>(false)
        let watcher = Task {
            _ = await running.result
            returned.store(true, ordering: .sequentiallyConsistent)
        }
        try await eventually("run() waits for the callback") {
            world.pool.awaitsCallbacks.load(ordering: .sequentiallyConsistent)
        }
        #expect(world.pool.runningCount == 0)
        let returnedEarly = returned.load(ordering: .sequentiallyConsistent)
        #expect(!returnedEarly, "run() returned before the callback did")
        world.finishCallback.open()
        try await value(of: running, "run() once the callback returned")
        #expect(world.service.engine.callbacks.runningCount == 0)
        try await value(of: watcher)
    }

    @Test func aCallbackOutlastingTheGracePeriodIsReportedNotAwaited() async throws {
        let clock = ManualTaskClock()
        let world = try World(gracePeriod: .seconds(5), clock: clock)
        let running = Task { try await world.pool.run() }
        _ = try await world.createWithHeldCallback()
        try await world.callbackStarted.wait()
        world.pool.shutdown()
        try await eventually("run() waits on the clock for the callback") { clock.sleeperCount >= 1 }
        clock.advance(by: 6)
        try await value(of: running, "run() after the grace period")
        let warning = try #require(world.recorder.all.first { $0.message.contains("completion callback") })
        #expect(warning.level == .warning)
        #expect(warning.message.contains("1 completion callback(s)"))
        world.finishCallback.open()
        await world.service.waitForCallbacks()
    }

    @Test func cancellingASchedulerEndsItBeforeItsNextTick() async throws {
        let clock = ManualTaskClock()
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(TaskSchedulerTests.minuteSchedule())
        let running = Task { try await scheduler.run() }
        try await eventually("the scheduler sleeps until its tick") { clock.sleeperCount == 1 }
        running.cancel()
        _ = try? await value(of: running, "the scheduler to stop")
        #expect(clock.sleeperCount == 0)
        clock.advance(by: 120)
        #expect(try await service.counts(for: .system).total == 0, "a cancelled scheduler fired")
    }
}

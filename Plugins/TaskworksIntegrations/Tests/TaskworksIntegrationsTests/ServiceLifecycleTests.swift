#if ServiceLifecycle
    import Foundation
    import Logging
    import ServiceLifecycle
    import ServiceLifecycleTestKit
    import Taskworks
    import TaskworksServiceLifecycle
    import TaskworksTesting
    import Testing

    /// Pools and schedulers in a `ServiceGroup`: graceful shutdown lets the running task finish and
    /// hands back the one that never started; the group returns.
    @Suite("ServiceLifecycle services")
    struct ServiceLifecycleTests {
        @Test func gracefulShutdownFinishesTheRunningTaskAndHandsBackTheRest() async throws {
            let started = TestGate()
            let release = TestGate()
            let registry = TaskRegistry()
            try registry.register("held") { _ in
                ClosureTaskRunner { _ in
                    started.open()
                    try await release.waitIgnoringCancellation()
                    return "done"
                }
            }
            let service = TaskService(store: InMemoryTaskStore(), registry: registry)
            var configuration = WorkerPool.Configuration(concurrency: 1)
            configuration.shutdownGracePeriod = .seconds(30)
            let pool = WorkerPool(service: service, configuration: configuration)
            let scheduler = TaskScheduler(service: service)
            try scheduler.add(try TaskSchedule(name: "hourly", taskType: "held", trigger: .cron("0 * * * *")))
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: WorkerPoolService(pool)),
                        .init(service: TaskSchedulerService(scheduler)),
                    ],
                    logger: Logger(label: "test")))
            let running = try await service.create("held", createdBy: .user("alice"))
            let waiting = try await service.create("held", createdBy: .user("alice"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await started.wait()
                await group.triggerGracefulShutdown()
                // The group shuts services down in turn: wait until the pool has heard. Its running
                // task is not cancelled, it may finish.
                try await eventually("the pool is shutting down") { pool.isShuttingDown }
                release.open()
                try await tasks.next()
            }
            #expect(try await service.task(running.id, as: .system).status == .succeeded)
            #expect(try await service.task(running.id, as: .system).result == .string("done"))
            let handedBack = try await service.task(waiting.id, as: .system)
            #expect(handedBack.status == .pending)
            #expect(handedBack.attempts == 0)
        }

        @Test func cancellationIsTheHardStop() async throws {
            let started = TestGate()
            let registry = TaskRegistry()
            try registry.register("forever") { _ in
                ClosureTaskRunner { _ in
                    started.open()
                    try await Task.sleep(for: .seconds(3600))
                    return nil
                }
            }
            let service = TaskService(store: InMemoryTaskStore(), registry: registry)
            var configuration = WorkerPool.Configuration(concurrency: 1)
            configuration.shutdownGracePeriod = .seconds(3600)  // cancellation must not wait it out
            let pool = WorkerPool(service: service, configuration: configuration)
            let task = try await service.create("forever", createdBy: .user("alice"))
            let running = Task { try await WorkerPoolService(pool).run() }
            try await started.wait()
            running.cancel()
            try await value(of: running)
            // Cancelled runners go back to pending without spending the attempt.
            let stored = try await service.task(task.id, as: .system)
            #expect(stored.status == .pending)
            #expect(stored.attempts == 0)
        }
    }
#endif  // ServiceLifecycle

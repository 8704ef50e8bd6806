import Foundation
import Taskworks
import TaskworksTesting

/// The service, pools and schedulers running on the store, with several handles on one backend
/// standing in for several processes or hosts.
enum EngineChecks {
    /// How many times each task ran, across every pool of a check.
    actor RunLog {
        private(set) var runs: [TaskID: Int] = [:]
        func record(_ id: TaskID) { runs[id, default: 0] += 1 }
    }

    static let all: [StoreCheck] = [
        StoreCheck("engine.twoPoolsOnTwoHandlesRunEveryTaskExactlyOnce") { context in
            let log = RunLog()
            var services: [TaskService] = []
            for handle in [context.store, try await context.openAnotherHandle()] {
                let registry = TaskRegistry()
                try registry.register("counted") { _ in
                    ClosureTaskRunner { task in
                        await log.record(task.task.id)
                        return nil
                    }
                }
                services.append(TaskService(store: handle, registry: registry))
            }
            let pools = services.enumerated().map { index, service in
                WorkerPool(
                    service: service, configuration: Sample.poolConfiguration(workerID: "pool-\(index)"))
            }
            let taskCount = 300
            try await withRunningPool(pools[0]) {
                try await withRunningPool(pools[1]) {
                    for index in 0..<taskCount {
                        _ = try await services[index % 2].create("counted", createdBy: .user("alice"))
                    }
                    try await eventually("all \(taskCount) tasks succeeded") {
                        try await services[0].counts(for: .admin("root")).byStatus[.succeeded] == taskCount
                    }
                }
            }
            let runs = await log.runs
            try expectEqual(runs.count, taskCount, "tasks that ran")
            try expectEqual(runs.values.filter { $0 != 1 }.count, 0, "tasks that ran more than once")
        },
        StoreCheck("engine.aCancelOnOneHostStopsTheRunnerOnAnother") { context in
            let registry = TaskRegistry()
            try registry.register("endless") { _ in
                ClosureTaskRunner { task in
                    task.reportProgress(40)
                    // Ends only when cancelled (or fails the check after a minute).
                    try await TestGate().wait()
                    return nil
                }
            }
            let host = TaskService(store: context.store, registry: registry)
            let worker = TaskService(store: try await context.openAnotherHandle(), registry: registry)
            let pool = WorkerPool(
                service: worker, configuration: Sample.poolConfiguration(workerID: "host-b"))
            try await withRunningPool(pool) {
                let task = try await host.create("endless", createdBy: .user("alice"))
                try await eventually("host A sees host B's progress") {
                    let seen = try await host.task(task.id, as: .user("alice"))
                    return seen.status == .running && seen.progress == 40
                }
                _ = try await host.cancel(task.id, as: .user("alice"))
                try await eventually("the runner on host B stopped and the task is cancelled") {
                    try await host.task(task.id, as: .user("alice")).status == .cancelled
                }
                try await eventually("host B's pool is idle") { pool.runningCount == 0 }
            }
        },
        StoreCheck("engine.anExpiredLeaseIsRescuedFromAnotherHandle") { context in
            let clock = ManualTaskClock(Sample.start)
            let stored = try await context.store.insert(Sample.record())
            let claimed = try await context.store.claim(Sample.claim("crashed-worker", lease: .seconds(1)))
            try expectEqual(claimed.map(\.id), [stored.id], "claimed by the worker that will crash")
            let rescuer = TaskService(
                store: try await context.openAnotherHandle(), registry: try Sample.registry(), clock: clock)
            try expectEqual(try await rescuer.rescueExpiredLeases(), 0, "rescued before the lease expired")
            clock.advance(by: 2)
            try expectEqual(try await rescuer.rescueExpiredLeases(), 1, "rescued after the lease expired")
            let rescued = try require(try await context.store.task(id: stored.id), "the rescued task")
            try expectEqual(rescued.status, .pending, "status after rescue")
            try expectEqual(rescued.leaseOwner, nil, "lease owner after rescue")
            try expectEqual(rescued.version, claimed[0].version + 1, "version after rescue")
        },
        StoreCheck("engine.schedulersOnTwoHandlesFireOncePerTick", requires: .scheduleTicks) { context in
            let clock = ManualTaskClock(Date(timeIntervalSince1970: 1_795_687_230))  // 10:00:30 UTC
            var services: [TaskService] = []
            var schedulers: [TaskScheduler] = []
            for handle in [context.store, try await context.openAnotherHandle()] {
                let service = TaskService(store: handle, registry: try Sample.registry(), clock: clock)
                let scheduler = TaskScheduler(service: service)
                try scheduler.add(
                    TaskSchedule(
                        name: "every-minute", taskType: "noop",
                        trigger: .interval(.seconds(60), runAtStart: false)))
                services.append(service)
                schedulers.append(scheduler)
            }
            for scheduler in schedulers { _ = try await scheduler.tick() }
            var fired = 0
            let (firstScheduler, secondScheduler) = (schedulers[0], schedulers[1])
            for _ in 0..<5 {
                clock.advance(by: 60)
                async let first = firstScheduler.tick()
                async let second = secondScheduler.tick()
                for outcome in try await first + second {
                    if case .fired = outcome { fired += 1 }
                }
                for task in try await services[0].list(TaskQuery(statuses: [.pending]), as: .system).items {
                    try await services[0].store.force(task.id) { $0.status = .succeeded }
                }
            }
            try expectEqual(fired, 5, "runs fired by two schedulers over five ticks")
            try expectEqual(try await services[1].counts(for: .system).total, 5, "scheduled tasks stored")
        },
        StoreCheck("engine.eachUserSeesOnlyTheirOwnTasks") { context in
            let service = TaskService(store: context.store, registry: try Sample.registry())
            let alices = try await service.create("noop", createdBy: .user("alice"))
            _ = try await service.create("noop", createdBy: .user("alice"))
            let bobs = try await service.create("noop", createdBy: .user("bob"))
            try expectEqual(
                try await service.list(TaskQuery(), as: .user("bob")).items.map(\.id), [bobs.id],
                "bob's list")
            try expectEqual(try await service.counts(for: .user("alice")).total, 2, "alice's count")
            try expectEqual(
                try await service.list(TaskQuery(), as: .admin("root")).total, 3, "the admin's list")
            try expectEqual(
                try await service.recentTasks(for: .user("bob")).map(\.id), [bobs.id], "bob's recent")
            do {
                _ = try await service.task(alices.id, as: .user("bob"))
                throw ConformanceFailure(message: "bob could read alice's task", file: #fileID, line: #line)
            } catch let error as TaskworksError {
                try expectEqual(error.code, .taskNotFound, "error when bob reads alice's task")
            }
        },
    ]
}

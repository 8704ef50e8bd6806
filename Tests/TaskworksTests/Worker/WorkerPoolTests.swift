import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Worker pool")
struct WorkerPoolTests {
    struct Harness {
        let registry: TaskRegistry
        let store: any TaskStore
        let service: TaskService
        let pool: WorkerPool

        init(
            fixture: StoreFixture, concurrency: Int = 4, clock: any TaskClock = SystemTaskClock(),
            configure: (inout WorkerPool.Configuration) -> Void = { _ in },
            register: (TaskRegistry) throws -> Void
        ) async throws {
            registry = try Sample.registry()
            try register(registry)
            store = try await fixture.make()
            service = TaskService(store: store, registry: registry, clock: clock)
            var configuration = Fixtures.poolConfiguration(concurrency: concurrency)
            configure(&configuration)
            pool = WorkerPool(service: service, configuration: configuration)
        }

        func status(_ id: TaskID) async throws -> TaskRecord {
            try #require(try await store.task(id: id))
        }

        func waitFor(_ id: TaskID, _ status: TaskStatus) async throws -> TaskRecord {
            do {
                try await eventually("task \(id) to be \(status)") {
                    try await store.task(id: id)?.status == status
                }
            } catch {
                // What the store holds tells a lost wake-up (pending and due) from a lost write.
                let stored = try? await store.task(id: id)
                Issue.record("\(error); stored at \(Date()): \(String(describing: stored))")
                throw error
            }
            return try await self.status(id)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aCreateWakesAnIdlePoolWithoutWaitingForThePoll(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { _ in }
        try await withRunningPool(harness.pool) {
            // The poll interval is an hour and the pool already found nothing and went idle:
            // finishing at all proves the create woke it.
            try await eventually("pool idle") { harness.pool.idleWaitCount.load(ordering: .relaxed) >= 1 }
            let task = try await harness.service.create("noop", createdBy: .user("alice"))
            let done = try await harness.waitFor(task.id, .succeeded)
            #expect(done.progress == 100)
            #expect(done.attempts == 1)
            #expect(done.leaseOwner == nil)
        }
    }

    @Test(arguments: StoreFixture.all)
    func runnerResultsAndArtifactsAreStored(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("report") { _ in
                ClosureTaskRunner { context in
                    let input = try context.payload(as: [String: Int].self)
                    context.reportProgress(50)
                    try context.setArtifact(key: "reports/1", fileName: "report.csv")
                    return ["rows": (input["rows"] ?? 0) * 2]
                }
            }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create(
                "report", payload: ["rows": 21], createdBy: .user("alice"))
            let done = try await harness.waitFor(task.id, .succeeded)
            #expect(done.result == .object(["rows": .integer(42)]))
            #expect(done.artifact == (try TaskArtifact(key: "reports/1", fileName: "report.csv")))
            #expect(
                try await harness.service.artifact(of: task.id, as: .user("alice")).fileName == "report.csv")
        }
    }

    @Test(arguments: StoreFixture.all)
    func failingAttemptsAreRetriedWithBackoffThenSucceed(fixture: StoreFixture) async throws {
        let clock = ManualTaskClock()
        let starts = LockedState<[Date]>([])
        let harness = try await Harness(
            fixture: fixture, clock: clock,
            configure: { $0.retryPolicy = RetryPolicy(initialDelay: .milliseconds(20), jitter: 0) },
            register: { registry in
                try registry.register("flaky") { _ in
                    ClosureTaskRunner { context in
                        starts.withLock { $0.append(clock.now()) }
                        if context.task.attempts < 3 {
                            throw TaskFailure.retryable("attempt \(context.task.attempts) failed")
                        }
                        return nil
                    }
                }
            })
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create(
                "flaky", options: TaskOptions(maxRetries: 3), createdBy: .user("alice"))
            // The clock moves 5 ms a look: retries come due only as it passes their backoff.
            try await eventually("task \(task.id) to succeed") {
                clock.advance(by: 0.005)
                return try await harness.status(task.id).status == .succeeded
            }
            let done = try await harness.status(task.id)
            #expect(done.attempts == 3)
            #expect(done.errorMessage == nil)
            let times = starts.withLock { $0 }
            try #require(times.count == 3)
            // Backoff 20 ms then 40 ms (jitter off) on the service's clock: a retry never starts early.
            // A Date near 2027 resolves about 0.24 µs, so the differences are compared within 1 µs.
            #expect(times[1].timeIntervalSince(times[0]) >= 0.020 - 1e-6)
            #expect(times[2].timeIntervalSince(times[1]) >= 0.040 - 1e-6)
        }
    }

    @Test(arguments: StoreFixture.all)
    func attemptsRunOutAndTheTaskFailsWithTheErrorText(fixture: StoreFixture) async throws {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "disk full on /exports" }
        }
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("doomed") { _ in ClosureTaskRunner { _ in throw DiskFull() } }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create(
                "doomed", options: TaskOptions(maxRetries: 2), createdBy: .user("alice"))
            let done = try await harness.waitFor(task.id, .failed)
            #expect(done.attempts == 3)
            #expect(done.errorMessage == "disk full on /exports")
            // The pool survives and keeps working.
            let next = try await harness.service.create("noop", createdBy: .user("alice"))
            _ = try await harness.waitFor(next.id, .succeeded)
        }
    }

    /// A runner's message is outside data: a NUL in it (which PostgreSQL's `text` refuses) is
    /// stored as U+FFFD on every store, and a long one is cut at 4,000 characters.
    @Test(arguments: StoreFixture.all)
    func aFailureMessageIsStoredAsEveryStoreCanKeepIt(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("messy") { _ in
                ClosureTaskRunner { context in
                    let long = context.task.priority > 5
                    throw TaskFailure.permanent(long ? String(repeating: "x", count: 5_000) : "bad\u{0}byte")
                }
            }
        }
        try await withRunningPool(harness.pool) {
            let nul = try await harness.service.create("messy", createdBy: .user("alice"))
            let long = try await harness.service.create(
                "messy", options: TaskOptions(priority: 9), createdBy: .user("alice"))
            #expect(try await harness.waitFor(nul.id, .failed).errorMessage == "bad\u{FFFD}byte")
            #expect(try await harness.waitFor(long.id, .failed).errorMessage?.count == 4_000)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aPermanentFailureIsNotRetried(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("bad_input") { _ in
                ClosureTaskRunner { _ in throw TaskFailure.permanent("no such user") }
            }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create(
                "bad_input", options: TaskOptions(maxRetries: 5), createdBy: .user("alice"))
            let done = try await harness.waitFor(task.id, .failed)
            #expect(done.attempts == 1)
            #expect(done.errorMessage == "no such user")
        }
    }

    @Test(arguments: StoreFixture.all)
    func aRunnerThatOverrunsItsTimeoutIsStoppedAndFailed(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("hang") { _ in
                ClosureTaskRunner { _ in
                    try await TestGate().wait()
                    return nil
                }
            }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create(
                "hang", options: TaskOptions(maxRetries: 0, timeout: .milliseconds(50)),
                createdBy: .user("alice"))
            let done = try await harness.waitFor(task.id, .failed)
            #expect(done.errorMessage == "timed out after 50 ms")
            #expect(harness.pool.runningCount == 0)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aTaskOfAnUnregisteredTypeFailsClearlyAndThePoolGoesOn(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { _ in }
        // Another process (or an older deploy) put a type this process does not know.
        let foreign = try await harness.store.insert(
            TaskRecord(type: "legacy_job", createdBy: "alice", createdAt: Date()))
        try await withRunningPool(harness.pool) {
            let done = try await harness.waitFor(foreign.id, .failed)
            #expect(done.errorMessage?.contains("task type 'legacy_job' is not registered") == true)
            #expect(done.attempts == 1)
            let next = try await harness.service.create("noop", createdBy: .user("alice"))
            _ = try await harness.waitFor(next.id, .succeeded)
        }
    }

    @Test(arguments: StoreFixture.all)
    func cancellingARunningTaskStopsItsRunnerAndEndsCancelled(fixture: StoreFixture) async throws {
        let started = TestGate()
        let sawCancellation = TestGate()
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("long") { _ in blockingRunner(started: started, stopped: sawCancellation) }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create("long", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            let requested = try await harness.service.cancel(task.id, as: .user("alice"))
            #expect(requested.status == .running)
            #expect(requested.cancelRequested)
            let done = try await harness.waitFor(task.id, .cancelled)
            #expect(sawCancellation.isOpen)
            #expect(done.attempts == 1)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aRunnerThatFinishesAfterACancelStillEndsCancelled(fixture: StoreFixture) async throws {
        let started = TestGate()
        let release = TestGate()
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("stubborn") { _ in
                ClosureTaskRunner { _ in
                    started.open()
                    // Ignores cancellation, then reports success.
                    try await release.waitIgnoringCancellation()
                    return "done anyway"
                }
            }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create("stubborn", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            try await harness.service.cancel(task.id, as: .user("alice"))
            release.open()
            let done = try await harness.waitFor(task.id, .cancelled)
            #expect(done.result == nil)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aWorkerThatLostItsLeaseWritesNothing(fixture: StoreFixture) async throws {
        let started = TestGate()
        let stopped = TestGate()
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("long") { _ in blockingRunner(started: started, stopped: stopped) }
        }
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create("long", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            // Another worker took the task over (as after a lease expiry and rescue elsewhere).
            let stolen = try await harness.store.force(task.id) {
                $0.leaseOwner = "worker-elsewhere"
                $0.leaseExpiresAt = Date().addingTimeInterval(3600)
            }
            try await stopped.waitIgnoringCancellation()
            try await eventually("runner slot released") { harness.pool.runningCount == 0 }
            let after = try await harness.status(task.id)
            #expect(after == stolen)
        }
    }

    @Test(arguments: StoreFixture.all)
    func progressIsStoredThrottledAndMonotonic(fixture: StoreFixture) async throws {
        let release = TestGate()
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("progress") { _ in
                ClosureTaskRunner { context in
                    for step in 0...1000 { context.reportProgress(step / 20) }
                    context.reportProgress(10)  // backwards: ignored
                    try await release.waitIgnoringCancellation()
                    return nil
                }
            }
        }
        let events = try harness.service.events(for: .admin("root"))
        try await withRunningPool(harness.pool) {
            let task = try await harness.service.create("progress", createdBy: .user("alice"))
            try await eventually("progress 50 stored") {
                try await harness.store.task(id: task.id)?.progress == 50
            }
            release.open()
            _ = try await harness.waitFor(task.id, .succeeded)
            let seen = try await collect("the task's events up to finished", from: events) {
                $0.last?.kind == .finished
            }
            let stored = seen.filter { $0.kind == .progress }.map(\.task.progress)
            // 1,000 reports become a handful of writes (one per 250 ms at most), in the order
            // stored and never backwards.
            #expect(
                zip(stored, stored.dropFirst()).allSatisfy { $0 < $1 }, "progress writes in order: \(stored)")
            #expect(stored.last == 50)
            #expect(stored.count <= 3)
        }
    }

    @Test(arguments: StoreFixture.all)
    func concurrencyCanBeRaisedWhileRunning(fixture: StoreFixture) async throws {
        let meter = ConcurrencyMeter()
        let release = TestGate()
        let harness = try await Harness(fixture: fixture, concurrency: 1) { registry in
            try registry.register("blocking") { _ in
                ClosureTaskRunner { _ in
                    meter.enter()
                    try await release.waitIgnoringCancellation()
                    meter.leave()
                    return nil
                }
            }
        }
        try await withRunningPool(harness.pool) {
            var ids: [TaskID] = []
            for _ in 0..<5 {
                ids.append(try await harness.service.create("blocking", createdBy: .user("alice")).id)
            }
            try await eventually("one runner") { meter.current == 1 }
            #expect(harness.pool.runningCount == 1)
            try harness.pool.setConcurrency(3)
            try await eventually("three runners") { meter.current == 3 }
            release.open()
            for id in ids { _ = try await harness.waitFor(id, .succeeded) }
            #expect(meter.maximum == 3)
            #expect(throws: TaskworksError.self) { try harness.pool.setConcurrency(0) }
        }
    }

    @Test(arguments: StoreFixture.all)
    func gracefulShutdownLetsRunningTasksFinish(fixture: StoreFixture) async throws {
        let started = TestGate()
        let release = TestGate()
        let harness = try await Harness(fixture: fixture) { registry in
            try registry.register("finishing") { _ in
                ClosureTaskRunner { _ in
                    started.open()
                    try await release.waitIgnoringCancellation()
                    return nil
                }
            }
        }
        let running = Task { try await harness.pool.run() }
        let task = try await harness.service.create("finishing", createdBy: .user("alice"))
        try await started.waitIgnoringCancellation()
        harness.pool.shutdown()
        // Shutdown has begun: new tasks are not claimed.
        try await eventually("draining") { harness.pool.isShuttingDown }
        #expect(harness.pool.runningCount == 1)
        let late = try await harness.service.create("noop", createdBy: .user("alice"))
        release.open()
        try await value(of: running)
        #expect(try await harness.status(task.id).status == .succeeded)
        #expect(try await harness.status(late.id).status == .pending)
    }

    @Test(arguments: StoreFixture.all)
    func shutdownAfterTheGracePeriodPutsTasksBackWithoutCountingTheAttempt(fixture: StoreFixture) async throws
    {
        let started = TestGate()
        let harness = try await Harness(
            fixture: fixture,
            configure: { $0.shutdownGracePeriod = .milliseconds(50) },
            register: { registry in
                try registry.register("endless") { _ in
                    ClosureTaskRunner { _ in
                        started.open()
                        try await TestGate().wait()
                        return nil
                    }
                }
            })
        let running = Task { try await harness.pool.run() }
        let task = try await harness.service.create("endless", createdBy: .user("alice"))
        try await started.waitIgnoringCancellation()
        harness.pool.shutdown()
        try await value(of: running)
        // run() returned only after the runner stopped and its task was handed back.
        let after = try await harness.status(task.id)
        #expect(after.status == .pending)
        #expect(after.attempts == 0)
        #expect(after.leaseOwner == nil)
        #expect(harness.pool.runningCount == 0)
    }

    @Test(arguments: StoreFixture.all)
    func runningTwiceAtOnceIsATypedError(fixture: StoreFixture) async throws {
        let harness = try await Harness(fixture: fixture) { _ in }
        try await withRunningPool(harness.pool) {
            // The pool has started: it claimed, found nothing and went idle.
            try await eventually("the pool to start and go idle") {
                harness.pool.idleWaitCount.load(ordering: .relaxed) > 0
            }
            let task = try await harness.service.create("noop", createdBy: .user("alice"))
            _ = try await harness.waitFor(task.id, .succeeded)
            let error = await #expect(throws: TaskworksError.self) { try await harness.pool.run() }
            #expect(error?.code == .alreadyRunning)
        }
    }

    @Test func expiredLeasesOfDeadWorkersAreRescued() async throws {
        let clock = ManualTaskClock()
        let registry = try Sample.registry()
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
        let retryable = try await service.create(
            "noop", options: TaskOptions(maxRetries: 1), createdBy: .user("alice"))
        let exhausted = try await service.create(
            "noop", options: TaskOptions(maxRetries: 0), createdBy: .user("alice"))
        let claimed = try await service.store.claim(Sample.claim("dead-worker", now: clock.now(), limit: 2))
        #expect(claimed.count == 2)
        clock.advance(by: 30)
        #expect(try await service.rescueExpiredLeases() == 0)
        clock.advance(by: 1)
        #expect(try await service.rescueExpiredLeases() == 2)
        let requeued = try #require(try await service.store.task(id: retryable.id))
        #expect(requeued.status == .pending)
        #expect(requeued.errorMessage?.contains("dead-worker") == true)
        let failed = try #require(try await service.store.task(id: exhausted.id))
        #expect(failed.status == .failed)
        #expect(failed.errorMessage?.contains("no attempts are left") == true)
    }

    @Test func invalidConfigurationIsATypedErrorFromRun() async throws {
        let registry = try Sample.registry()
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        var configuration = WorkerPool.Configuration(concurrency: 0)
        let zero = await #expect(throws: TaskworksError.self) {
            try await WorkerPool(service: service, configuration: configuration).run()
        }
        #expect(zero?.message.contains("concurrency") == true)
        configuration = WorkerPool.Configuration()
        configuration.leaseRenewalInterval = .seconds(60)
        let renewal = await #expect(throws: TaskworksError.self) {
            try await WorkerPool(service: service, configuration: configuration).run()
        }
        #expect(renewal?.message.contains("leaseRenewalInterval") == true)
    }
}

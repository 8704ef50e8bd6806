#if Postgres
    import Foundation
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    #if canImport(Glibc)
        import Glibc
    #endif

    /// Several hosts on one database, played by worker processes on one machine.
    @Suite(
        "PostgreSQL: many hosts", .serialized,
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
    struct MultiHostTests {
        /// Creates `count` tasks of type "job" from 4 concurrent producers.
        private func seed(_ store: PostgresTaskStore, count: Int, sleepMilliseconds: Int? = nil) async throws
        {
            let registry = TaskRegistry()
            try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for producer in 0..<4 {
                    group.addTask {
                        for _ in stride(from: producer, to: count, by: 4) {
                            if let sleepMilliseconds {
                                _ = try await service.create(
                                    "job", payload: ["sleep_ms": sleepMilliseconds], createdBy: .system)
                            } else {
                                _ = try await service.create("job", createdBy: .system)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        private func newLog() -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pg-workers-\(UUID()).log"
            )
            .path
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return path
        }

        @Test func fourWorkerProcessesDrainTenThousandTasksExactlyOnce() async throws {
            let configuration = try TestDatabase.configuration()
            let store = try await PostgresTaskStore(configuration: configuration)
            let total = 10_000
            try await seed(store, count: total)
            let log = newLog()
            let workers = try (0..<4).map { _ in
                try startWorker(
                    schema: configuration.schema, log: log, leaseMilliseconds: 30_000, exitAfter: total)
            }
            // The first wait covers the whole drain, which a loaded 2-core machine can slow down.
            for worker in workers { #expect(try await waitForExit(worker, timeout: .seconds(300)) == 0) }

            let allRuns = runs(in: log)
            var perTask: [Substring: Int] = [:]
            for run in allRuns { perTask[run.id, default: 0] += 1 }
            #expect(perTask.count == total)
            #expect(perTask.values.allSatisfy { $0 == 1 }, "a task ran more than once")
            #expect(Set(allRuns.map(\.pid)).count == 4, "every process took part")
            #expect(try await store.counts(createdBy: nil).byStatus == [.succeeded: total])
            try await store.dropSchema()
            await store.close()
        }

        @Test func aWorkerKilledMidRunLosesNothing() async throws {
            let configuration = try TestDatabase.configuration()
            let store = try await PostgresTaskStore(configuration: configuration)
            let total = 4_000
            try await seed(store, count: total, sleepMilliseconds: 2)
            let log = newLog()
            let lease = 1_500
            let workers = try (0..<4).map { _ in
                try startWorker(
                    schema: configuration.schema, log: log, leaseMilliseconds: lease, exitAfter: total)
            }
            let victim = workers[0]
            let victimPID = Substring(String(victim.processIdentifier))
            try await eventually("the victim has run 200 tasks") {
                runs(in: log).filter { $0.pid == victimPID }.count >= 200
            }
            _ = kill(victim.processIdentifier, SIGKILL)
            for worker in workers.dropFirst() { #expect(try await waitForExit(worker) == 0) }
            victim.waitUntilExit()
            #expect(victim.terminationReason == .uncaughtSignal)

            // Nothing lost: every task succeeded, including those the victim held when it died.
            #expect(try await store.counts(createdBy: nil).byStatus == [.succeeded: total])
            let allRuns = runs(in: log)
            var perTask: [Substring: [Substring]] = [:]
            for run in allRuns { perTask[run.id, default: []].append(run.pid) }
            #expect(perTask.count == total)
            // Only a task the victim had started but not yet stored as done ran again, once more, elsewhere.
            let rerun = perTask.filter { $0.value.count > 1 }
            #expect(
                rerun.values.allSatisfy { $0.count == 2 && $0.first == victimPID && $0.last != victimPID })
            try await store.dropSchema()
            await store.close()
        }

        @Test func droppedConnectionsAreRetriedLoggedAndNeverRunATaskTwice() async throws {
            var configuration = try TestDatabase.configuration()
            configuration.applicationName = "taskworks-victim-\(configuration.schema)"
            // A statement left unanswered by a killed connection is retried after 1 s, well within
            // the 5 s lease: a lease that expired while its worker was still alive would be rescued
            // and its task run again, which is right for a dead worker but not what this tests.
            configuration.statementTimeout = .seconds(1)
            let messages = LockedState<[String]>([])
            configuration.logHandler = { message in messages.withLock { $0.append(message) } }
            let store = try await PostgresTaskStore(configuration: configuration)
            let counter = RunCounter()
            let registry = TaskRegistry()
            try registry.register("job") { _ in
                ClosureTaskRunner { context in
                    await counter.record(context.task.id)
                    return nil
                }
            }
            let service = TaskService(store: store, registry: registry)
            let total = 3_000
            for _ in 0..<total { _ = try await service.create("job", createdBy: .system) }
            var poolConfiguration = WorkerPool.Configuration(concurrency: 8)
            poolConfiguration.pollInterval = .milliseconds(100)
            poolConfiguration.leaseDuration = .seconds(5)
            poolConfiguration.leaseRenewalInterval = .milliseconds(250)
            poolConfiguration.storeErrorHandler = { error in messages.withLock { $0.append("pool: \(error)") }
            }
            let pool = WorkerPool(service: service, configuration: poolConfiguration)
            let running = Task { try await pool.run() }
            var terminated = 0
            for threshold in [300, 1_200, 2_100] {
                try await eventually("\(threshold) tasks ran") { await counter.total >= threshold }
                terminated += try await withAdminClient { admin in
                    try await admin.query(
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE application_name = \(configuration.applicationName)
                        """, logger: silentLogger
                    ).collect().count
                }
            }
            try await eventually("every task succeeded") {
                try await service.counts(for: .system).byStatus[.succeeded, default: 0] == total
            }
            pool.shutdown()
            try await value(of: running)
            #expect(terminated >= 3, "the test terminated the store's connections")
            let log = messages.withLock { $0 }
            #expect(await counter.total == total)
            let rerun = await counter.rerun
            #expect(rerun.isEmpty, "tasks ran twice: \(rerun); log: \(log.suffix(30))")
            #expect(
                log.contains { $0.contains("the connection failed") }, "retries were logged: \(log.prefix(5))"
            )
            try await store.dropSchema()
            await store.close()
        }

        @Test func aTaskCreatedOnAnotherHostWakesAnIdlePoolAtOnce() async throws {
            let configuration = try TestDatabase.configuration()
            let workerHost = try await PostgresTaskStore(configuration: configuration)
            let creatingHost = try await PostgresTaskStore(configuration: configuration)
            let registry = TaskRegistry()
            try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
            var poolConfiguration = WorkerPool.Configuration(concurrency: 1)
            poolConfiguration.pollInterval = .seconds(3600)  // only NOTIFY can wake it in time
            let observed = EmptyClaimCountingStore(base: workerHost)
            let pool = WorkerPool(
                service: TaskService(store: observed, registry: registry), configuration: poolConfiguration)
            let creator = TaskService(store: creatingHost, registry: registry)
            let running = Task { try await pool.run() }
            var idleBefore = 0
            for _ in 0..<20 {
                // Create only once the pool's one loop found nothing and went to sleep on its
                // hour-long poll: after that, only NOTIFY can wake it in time.
                try await eventually("the pool went idle") { observed.emptyClaims > idleBefore }
                idleBefore = observed.emptyClaims
                let task = try await creator.create("job", createdBy: .system)
                try await eventually("task picked up through NOTIFY", timeout: .seconds(10)) {
                    try await creator.task(task.id, as: .system).status == .succeeded
                }
            }
            pool.shutdown()
            try await value(of: running)
            try await workerHost.dropSchema()
            await workerHost.close()
            await creatingHost.close()
        }
    }

    /// How many times each task ran.
    actor RunCounter {
        private var runs: [TaskID: Int] = [:]
        private(set) var total = 0
        func record(_ id: TaskID) {
            runs[id, default: 0] += 1
            total += 1
        }
        var maximumRunsPerTask: Int { runs.values.max() ?? 0 }
        /// The tasks that ran more than once.
        var rerun: [TaskID] { runs.filter { $0.value > 1 }.map(\.key) }
    }

    /// A store that counts claims that found nothing (each one sends an idle pool to sleep).
    final class EmptyClaimCountingStore: ForwardingTaskStore {
        let base: any TaskStore
        private let count = LockedState(0)
        init(base: PostgresTaskStore) { self.base = base }
        var emptyClaims: Int { count.withLock { $0 } }

        func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
            let claimed = try await base.claim(request)
            if claimed.isEmpty { count.withLock { $0 += 1 } }
            return claimed
        }
    }
#endif  // Postgres

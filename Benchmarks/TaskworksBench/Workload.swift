import Foundation
import Synchronization
import Taskworks

/// The workloads of ../shared/WORKLOADS.md that this binary runs.
enum Workload {
    static let names = [
        "w1", "w1-create", "w1-batch-create", "w1-e2e", "w2-hot", "w2-idle", "w3", "w4", "w4-open", "w5",
        "w6", "management",
        "http", "w5-worker",
    ]

    static func run(_ options: BenchOptions) async throws {
        if options.workload == "w5-worker" {
            try await multiProcessWorker(options)
            return
        }
        for _ in 0..<options.runs {
            let lines: [JSONLine]
            switch options.workload {
            case "w1": lines = [try await throughput(options)]
            case "w1-create": lines = [try await createOnly(options)]
            case "w1-batch-create": lines = [try await batchCreate(options)]
            case "w1-e2e": lines = [try await endToEnd(options)]
            case "w2-hot": lines = [try await pickupLatency(options, idleGap: false)]
            case "w2-idle": lines = [try await pickupLatency(options, idleGap: true)]
            case "w3": lines = try await scaling(options)
            case "w4": lines = [try await footprint(options)]
            case "w4-open": lines = [try await reopen(options)]
            case "w5": lines = [try await multiProcess(options)]
            case "w6": lines = [try await progress(options)]
            case "http": lines = try await http(options)
            default: lines = try await management(options)
            }
            for var result in lines {
                result["store"] = .string(options.store.rawValue)
                result["concurrency"] = .integer(Int64(options.concurrency))
                result["git_commit"] = .string(JSONLine.gitCommit)
                result["durability"] = .string(options.store == .file ? options.durability.rawValue : "none")
                result.print()
            }
        }
    }

    static func fileOptions(_ options: BenchOptions) -> FileTaskStore.Options {
        switch options.durability {
        case .synchronous: FileTaskStore.Options(durability: .synchronous, createDirectory: true)
        case .batched: FileTaskStore.Options(durability: .batched(.milliseconds(10)), createDirectory: true)
        case .none: FileTaskStore.Options(durability: .none, createDirectory: true)
        }
    }

    /// A fresh store of the chosen kind (the file store in a new temporary directory).
    static func makeStore(_ options: BenchOptions) async throws -> any TaskStore {
        switch options.store {
        case .memory:
            return InMemoryTaskStore()
        case .file:
            let directory = options.directory ?? freshDirectory()
            return try await FileTaskStore(directory: directory, options: fileOptions(options))
        }
    }

    static func freshDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("taskworks-bench-\(UUID().uuidString)")
            .path
    }

    static func poolConfiguration(_ options: BenchOptions) -> WorkerPool.Configuration {
        var configuration = WorkerPool.Configuration(concurrency: options.concurrency)
        configuration.pollInterval = .seconds(1)
        return configuration
    }

    /// W1: enqueue N no-op tasks with no pool running, then drain them with a pool.
    static func throughput(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 20_000
        let finishedRuns = Atomic<Int>(0)
        let (service, store) = try await noopService(options) { finishedRuns.add(1, ordering: .relaxed) }
        let clock = ContinuousClock()
        let enqueueStart = clock.now
        try await createNoops(n, service, options)
        let enqueue = clock.now - enqueueStart
        let drainStart = clock.now
        try await runPool(service, options, until: n) {}
        let drain = clock.now - drainStart
        if let file = store as? FileTaskStore { await file.close() }
        var line = JSONLine()
        line["workload"] = .string("w1")
        line["producers"] = .integer(Int64(options.producers))
        line["n"] = .integer(Int64(n))
        line["enqueue_per_sec"] = JSONLine.number(Double(n) / enqueue.microseconds * 1e6, decimals: 0)
        line["drain_per_sec"] = JSONLine.number(Double(n) / drain.microseconds * 1e6, decimals: 0)
        line["drain_us_per_task"] = JSONLine.number(drain.microseconds / Double(n))
        line["runs_per_task_max"] = .integer(finishedRuns.load(ordering: .relaxed) == n ? 1 : 0)
        line["rss_mb"] = JSONLine.number(residentMegabytes(), decimals: 1)
        return line
    }

    /// W1's enqueue phase alone: N creates and no pool (so that `Benchmarks/instructions-per-task`
    /// can tell the create's share of W1 from the drain's).
    static func createOnly(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 20_000
        let (service, store) = try await noopService(options)
        let clock = ContinuousClock()
        let start = clock.now
        try await createNoops(n, service, options)
        let elapsed = clock.now - start
        if let file = store as? FileTaskStore { await file.close() }
        var line = JSONLine()
        line["workload"] = .string("w1-create")
        line["n"] = .integer(Int64(n))
        line["producers"] = .integer(Int64(options.producers))
        line["enqueue_per_sec"] = JSONLine.number(Double(n) / elapsed.microseconds * 1e6, decimals: 0)
        return line
    }

    /// A service over a fresh store of the chosen kind, with the `noop` type (no retries)
    /// registered; `runner` is its runner's body.
    static func noopService(
        _ options: BenchOptions, runner: @escaping @Sendable () -> Void = {}
    ) async throws -> (TaskService, any TaskStore) {
        let registry = TaskRegistry()
        try registry.register("noop", defaults: TaskTypeDefaults(maxRetries: 0)) { _ in
            ClosureTaskRunner { _ in
                runner()
                return nil
            }
        }
        let store = try await makeStore(options)
        return (TaskService(store: store, registry: registry), store)
    }

    /// Creates `n` no-op tasks from the configured number of producers.
    static func createNoops(_ n: Int, _ service: TaskService, _ options: BenchOptions) async throws {
        try await createTasks(n, producers: options.producers) {
            try await service.create("noop", createdBy: .system)
        }
    }

    /// W1 end to end: the pool runs while one producer creates N no-op tasks; time until the
    /// N-th task succeeded.
    static func endToEnd(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 20_000
        let (service, store) = try await noopService(options)
        let clock = ContinuousClock()
        let start = clock.now
        try await runPool(service, options, until: n) { try await createNoops(n, service, options) }
        let elapsed = clock.now - start
        if let file = store as? FileTaskStore { await file.close() }
        var line = JSONLine()
        line["workload"] = .string("w1-e2e")
        line["n"] = .integer(Int64(n))
        line["producers"] = .integer(Int64(options.producers))
        line["end_to_end_per_sec"] = JSONLine.number(Double(n) / elapsed.microseconds * 1e6, decimals: 0)
        return line
    }

    /// Runs a pool, calls `meanwhile`, and returns (after a graceful shutdown) once `n` tasks of
    /// `type` have finished, as the registry's completion observer reports them.
    static func runPool(
        _ service: TaskService, _ options: BenchOptions, type: String = "noop", until n: Int,
        meanwhile: () async throws -> Void
    ) async throws {
        let finished = CompletionWaiter(registry: service.registry, type: type)
        let pool = WorkerPool(service: service, configuration: poolConfiguration(options))
        let worker = Task { try await pool.run() }
        try await meanwhile()
        await finished.wait(untilFinished: n)
        pool.shutdown()
        try await worker.value
    }

    /// Runs `create` `n` times from `producers` concurrent tasks.
    static func createTasks(
        _ n: Int, producers: Int, _ create: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for producer in 0..<producers {
                let share = n / producers + (producer < n % producers ? 1 : 0)
                group.addTask {
                    for _ in 0..<share { try await create() }
                }
            }
            try await group.waitForAll()
        }
    }

    /// W2: how long from `create` until the runner starts, with 10 idle workers.
    static func pickupLatency(_ options: BenchOptions, idleGap: Bool) async throws -> JSONLine {
        let n = options.n ?? 200
        let registry = TaskRegistry()
        // Uptime nanoseconds of the runner's start (0: not started); an atomic, not a lock, so the
        // probe itself costs next to nothing.
        let started = Atomic<UInt64>(0)
        try registry.register("probe", defaults: TaskTypeDefaults(maxRetries: 0)) { _ in
            ClosureTaskRunner { _ in
                started.store(DispatchTime.now().uptimeNanoseconds, ordering: .releasing)
                return nil
            }
        }
        let service = TaskService(store: try await makeStore(options), registry: registry)
        let pool = WorkerPool(service: service, configuration: poolConfiguration(options))
        let worker = Task { try await pool.run() }
        let finished = try service.events(for: .system)
        var iterator = finished.makeAsyncIterator()
        var samples: [Double] = []
        for _ in 0..<n {
            if idleGap { try await Task.sleep(for: .milliseconds(Int.random(in: 0...300))) }
            started.store(0, ordering: .releasing)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let task = try await service.create("probe", createdBy: .system)
            while let event = await iterator.next() {
                if event.kind == .finished && event.task.id == task.id { break }
            }
            let start = started.load(ordering: .acquiring)
            if start >= t0 { samples.append(Double(start - t0) / 1_000_000) }
        }
        pool.shutdown()
        try await worker.value
        samples.sort()
        var line = JSONLine()
        line["workload"] = .string(idleGap ? "w2-idle" : "w2-hot")
        line["n"] = .integer(Int64(n))
        line["pickup_p50_ms"] = JSONLine.number(percentile(samples, 0.5), decimals: 4)
        line["pickup_p99_ms"] = JSONLine.number(percentile(samples, 0.99), decimals: 4)
        line["pickup_max_ms"] = JSONLine.number(samples.last ?? 0, decimals: 4)
        return line
    }

    /// The management surface (issue 4): listing, counting and recent tasks over N stored tasks.
    static func management(_ options: BenchOptions) async throws -> [JSONLine] {
        let n = options.n ?? 100_000
        let users = max(1, n / 100)
        let store = try await makeStore(options)
        let registry = TaskRegistry()
        try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry)
        let now = Date()
        let statuses: [TaskStatus] = [
            .succeeded, .succeeded, .succeeded, .succeeded, .succeeded, .succeeded, .succeeded, .failed,
            .pending, .cancelled,
        ]
        for index in 0..<n {
            var record = TaskRecord(
                type: index % 3 == 0 ? "export" : "report", createdBy: "user\(index % users)",
                createdAt: now.addingTimeInterval(Double(index - n) * 1.7))
            record.status = statuses[index % statuses.count]
            if record.status == .failed { record.errorMessage = "upstream failed with code \(index % 97)" }
            _ = try await store.insert(record)
        }
        let rss = residentMegabytes()
        let admin = Caller.admin("root")
        let user = Caller.user("user7")
        let operations: [(String, Int, () async throws -> Void)] = [
            ("list_admin_first_page", 2000, { _ = try await service.list(TaskQuery(), as: admin) }),
            ("list_admin_page_50", 2000, { _ = try await service.list(TaskQuery(page: 50), as: admin) }),
            ("list_user_first_page", 2000, { _ = try await service.list(TaskQuery(), as: user) }),
            (
                "list_admin_failed_only", 2000,
                { _ = try await service.list(TaskQuery(statuses: [.failed]), as: admin) }
            ),
            ("counts_admin", 2000, { _ = try await service.counts(for: admin) }),
            ("counts_user", 2000, { _ = try await service.counts(for: user) }),
            ("recent_user", 2000, { _ = try await service.recentTasks(for: user) }),
            (
                "search_admin_full_scan", 20,
                { _ = try await service.list(TaskQuery(search: "code 42"), as: admin) }
            ),
        ]
        var lines: [JSONLine] = []
        for (name, iterations, operation) in operations {
            try await operation()  // warm up
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<iterations { try await operation() }
            let elapsed = clock.now - start
            var line = JSONLine()
            line["workload"] = .string("management")
            line["n"] = .integer(Int64(n))
            line["operation"] = .string(name)
            line["iterations"] = .integer(Int64(iterations))
            line["avg_us"] = JSONLine.number(elapsed.microseconds / Double(iterations), decimals: 2)
            line["rss_mb"] = JSONLine.number(rss, decimals: 1)
            lines.append(line)
        }
        return lines
    }
}

import Foundation
import Synchronization
import Taskworks

extension Workload {
    /// W3: W1 at growing N; the per-task drain cost should stay flat.
    static func scaling(_ options: BenchOptions) async throws -> [JSONLine] {
        let sizes = options.n.map { [$0] } ?? [1_000, 10_000, 100_000]
        var lines: [JSONLine] = []
        var smallest: Double?
        for size in sizes {
            var sized = options
            sized.n = size
            sized.directory = nil
            var line = try await throughput(sized)
            line["workload"] = .string("w3")
            if case .double(let cost) = line["drain_us_per_task"] {
                if smallest == nil { smallest = cost }
                line["ratio_to_smallest_n"] = JSONLine.number(cost / (smallest ?? cost))
            }
            lines.append(line)
        }
        return lines
    }

    /// W4: 100,000 pending tasks with a 200-byte payload: memory, disk, and reopen time. The
    /// peak is the kernel's high-water mark of the whole process (`VmHWM`), create and reopen
    /// included; the creating store is closed and released before the reopen, as a restarted
    /// host would have it.
    static func footprint(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 100_000
        let directory = options.directory ?? freshDirectory()
        let (createElapsed, rss) = try await createPending(n, in: directory, options)
        let peakAfterCreate = peakResidentMegabytes()
        let clock = ContinuousClock()
        var bytes = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            bytes += (attributes[.size] as? Int) ?? 0
        }
        let openStart = clock.now
        let reopened = try await FileTaskStore(directory: directory, options: fileOptions(options))
        let openElapsed = clock.now - openStart
        let count = try await reopened.counts(createdBy: nil)[.pending]
        await reopened.close()
        var line = JSONLine()
        line["workload"] = .string("w4")
        line["peak_rss_mb_create"] = JSONLine.number(peakAfterCreate, decimals: 1)
        line["peak_rss_mb"] = JSONLine.number(peakResidentMegabytes(), decimals: 1)
        line["n"] = .integer(Int64(n))
        line["pending_after_reopen"] = .integer(Int64(count))
        line["create_per_sec"] = JSONLine.number(Double(n) / createElapsed.microseconds * 1e6, decimals: 0)
        line["rss_mb"] = JSONLine.number(rss, decimals: 1)
        line["rss_mb_after_reopen"] = JSONLine.number(residentMegabytes(), decimals: 1)
        line["bytes_on_disk"] = .integer(Int64(bytes))
        line["open_ms"] = JSONLine.number(openElapsed.microseconds / 1000, decimals: 1)
        return line
    }

    /// W4's reopen alone, of the store at `--directory` (made by an earlier `--workload w4
    /// --directory`): how long the open takes and the process's peak RSS.
    static func reopen(_ options: BenchOptions) async throws -> JSONLine {
        guard let directory = options.directory else {
            throw BenchOptions.UsageError(description: "w4-open needs --directory")
        }
        var storeOptions = fileOptions(options)
        storeOptions.createDirectory = false
        let clock = ContinuousClock()
        let start = clock.now
        let store = try await FileTaskStore(directory: directory, options: storeOptions)
        let elapsed = clock.now - start
        let count = try await store.counts(createdBy: nil)[.pending]
        await store.close()
        var line = JSONLine()
        line["workload"] = .string("w4-open")
        line["pending_after_reopen"] = .integer(Int64(count))
        line["open_ms"] = JSONLine.number(elapsed.microseconds / 1000, decimals: 1)
        line["peak_rss_mb"] = JSONLine.number(peakResidentMegabytes(), decimals: 1)
        return line
    }

    /// W4's first phase: `n` pending tasks created into a new store at `directory`, which is
    /// closed (and released) on return. Returns how long the creates took and the RSS after them.
    static func createPending(
        _ n: Int, in directory: String, _ options: BenchOptions
    ) async throws -> (Duration, Double) {
        let registry = TaskRegistry()
        try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
        let payload = ["filter": String(repeating: "p", count: 190)]  // 200 bytes as JSON
        let store = try await FileTaskStore(directory: directory, options: fileOptions(options))
        let service = TaskService(store: store, registry: registry)
        let clock = ContinuousClock()
        let start = clock.now
        try await createTasks(n, producers: max(options.producers, 64)) {
            try await service.create("export", payload: payload, createdBy: .user("bench"))
        }
        let elapsed = clock.now - start
        let rss = residentMegabytes()
        await store.close()
        return (elapsed, rss)
    }

    /// W5: four processes (this binary, `--workload w5-worker`) drain one file store together.
    static func multiProcess(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 20_000
        let processes = options.processes
        let directory = freshDirectory()
        let registry = TaskRegistry()
        try registry.register("noop") { _ in ClosureTaskRunner { _ in nil } }
        let store = try await FileTaskStore(directory: directory, options: fileOptions(options))
        let service = TaskService(store: store, registry: registry)
        try await createTasks(n, producers: 64) { try await service.create("noop", createdBy: .system) }
        await store.close()
        let logDirectory = freshDirectory()
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        let start = clock.now
        var children: [Process] = []
        for number in 0..<processes {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = [
                "--workload", "w5-worker", "--directory", directory, "--n", "\(n)",
                "--durability", options.durability.rawValue, "--concurrency", "\(options.concurrency)",
                "--log", "\(logDirectory)/worker-\(number).ids",
            ]
            try child.run()
            children.append(child)
        }
        for child in children {
            while child.isRunning { try await Task.sleep(for: .milliseconds(1)) }
        }
        let elapsed = clock.now - start
        var runs: [String: Int] = [:]
        for number in 0..<processes {
            let text =
                (try? String(contentsOfFile: "\(logDirectory)/worker-\(number).ids", encoding: .utf8)) ?? ""
            for id in text.split(separator: "\n") { runs[String(id), default: 0] += 1 }
        }
        var line = JSONLine()
        line["workload"] = .string("w5")
        line["n"] = .integer(Int64(n))
        line["processes"] = .integer(Int64(processes))
        line["drain_per_sec"] = JSONLine.number(Double(n) / elapsed.microseconds * 1e6, decimals: 0)
        line["tasks_run"] = .integer(Int64(runs.count))
        line["runs_per_task_max"] = .integer(Int64(runs.values.max() ?? 0))
        line["worker_exit_codes"] = .array(children.map { .integer(Int64($0.terminationStatus)) })
        return line
    }

    /// One W5 worker process: run a pool until every task succeeded, then write the ids it ran.
    static func multiProcessWorker(_ options: BenchOptions) async throws {
        guard let directory = options.directory, let n = options.n, let log = options.log else {
            throw BenchOptions.UsageError(description: "w5-worker needs --directory, --n and --log")
        }
        let (ranStream, ran) = AsyncStream.makeStream(of: String.self)
        let registry = TaskRegistry()
        try registry.register("noop") { _ in
            ClosureTaskRunner { context in
                ran.yield(context.task.id.description)
                return nil
            }
        }
        var storeOptions = fileOptions(options)
        storeOptions.createDirectory = false
        let store = try await FileTaskStore(directory: directory, options: storeOptions)
        let service = TaskService(store: store, registry: registry)
        var configuration = poolConfiguration(options)
        configuration.pollInterval = .milliseconds(5)  // no in-process wake-up between processes
        let pool = WorkerPool(service: service, configuration: configuration)
        let worker = Task { try await pool.run() }
        while try await service.counts(for: .system)[.succeeded] < n {
            try await Task.sleep(for: .milliseconds(5))
        }
        pool.shutdown()
        try await worker.value
        await store.close()
        ran.finish()
        var ids: [String] = []
        for await id in ranStream { ids.append(id) }
        try Data((ids.joined(separator: "\n") + (ids.isEmpty ? "" : "\n")).utf8).write(
            to: URL(fileURLWithPath: log))
    }

    /// W6: runners that report progress 1,000 times each; how many reports per second the pool
    /// absorbs and how many store writes they cause.
    static func progress(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 100
        let reportsPerTask = 1000
        let counting = CountingStore(base: try await makeStore(options))
        let registry = TaskRegistry()
        try registry.register("steps") { _ in
            ClosureTaskRunner { context in
                for step in 1...reportsPerTask {
                    context.reportProgress(completed: step, of: reportsPerTask)
                    await Task.yield()
                }
                return nil
            }
        }
        let service = TaskService(store: counting, registry: registry)
        try await createTasks(n, producers: 1) { try await service.create("steps", createdBy: .system) }
        let writesBefore = counting.updates
        let clock = ContinuousClock()
        let start = clock.now
        try await runPool(service, options, type: "steps", until: n) {}
        let elapsed = clock.now - start
        let writes = counting.updates - writesBefore
        var line = JSONLine()
        line["workload"] = .string("w6")
        line["n"] = .integer(Int64(n))
        line["reports_per_task"] = .integer(Int64(reportsPerTask))
        line["progress_updates_per_sec"] = JSONLine.number(
            Double(n * reportsPerTask) / elapsed.microseconds * 1e6, decimals: 0)
        line["store_writes"] = .integer(Int64(writes))
        line["store_writes_per_task"] = JSONLine.number(Double(writes) / Double(n), decimals: 2)
        line["claims"] = .integer(Int64(counting.claims))
        return line
    }
}

/// A store that counts the writes passing through it (W6's "store writes caused").
final class CountingStore: ForwardingTaskStore {
    let base: any TaskStore
    private let updateCount = Atomic<Int>(0)
    private let claimCount = Atomic<Int>(0)

    init(base: any TaskStore) { self.base = base }

    var updates: Int { updateCount.load(ordering: .relaxed) }
    var claims: Int { claimCount.load(ordering: .relaxed) }

    func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
        updateCount.add(1, ordering: .relaxed)
        return try await base.update(task, expectedVersion: expectedVersion)
    }
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        claimCount.add(1, ordering: .relaxed)
        return try await base.claim(request)
    }
}

#if Postgres
    import Foundation
    import Taskworks
    import TaskworksPostgres

    /// W1, W2 across processes and W5 on PostgreSQL.
    enum Workloads {
        /// A store on a new schema, and a way to drop it.
        static func freshStore(_ arguments: BenchArguments) async throws -> (PostgresTaskStore, String) {
            var configuration = try PostgresTaskStore.Configuration(url: arguments.url)
            configuration.schema = "bench_" + UUID().uuidString.lowercased().prefix(8)
            configuration.maximumConnections = arguments.connections
            return (try await PostgresTaskStore(configuration: configuration), configuration.schema)
        }

        static func registry() throws -> TaskRegistry {
            let registry = TaskRegistry()
            try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
            return registry
        }

        static func line(_ arguments: BenchArguments, _ workload: String, _ figures: [String: JSONValue]) {
            var fields: [String: JSONValue] = [
                "workload": .string(workload), "store": .string("postgres"),
                "n": .integer(Int64(arguments.n)),
                "concurrency": .integer(Int64(arguments.concurrency)), "durability": .string("commit"),
            ]
            fields.merge(figures) { _, new in new }
            print(JSONValue.object(fields).jsonText)
        }

        static func rounded(_ value: Double, _ decimals: Double = 3) -> JSONValue {
            let scale = pow(10, decimals)
            return .double((value * scale).rounded() / scale)
        }

        /// Runs a pool of `concurrency` on `service` until `done` counted `count` finished tasks,
        /// stops it, and returns the seconds from its start to the last finish. Finishes are counted
        /// in process as each task ends: polling the store's counts would load the server measured.
        static func drainWithPool(
            _ service: TaskService, concurrency: Int, until count: Int, _ done: CompletionCounter
        ) async throws -> Double {
            var configuration = WorkerPool.Configuration(concurrency: concurrency)
            configuration.pollInterval = .milliseconds(100)
            let pool = WorkerPool(service: service, configuration: configuration)
            let start = ContinuousClock.now
            let running = Task { try await pool.run() }
            await done.wait(until: count)
            let elapsed = (ContinuousClock.now - start).seconds
            pool.shutdown()
            try await running.value
            return elapsed
        }

        /// W1: create N with no pool (enqueue), then drain with a pool of C.
        static func w1(_ arguments: BenchArguments) async throws {
            let (store, _) = try await freshStore(arguments)
            let registry = try registry()
            let done = CompletionCounter()
            registry.onComplete(of: "job") { _ in done.increment() }
            let service = TaskService(store: store, registry: registry)
            let n = arguments.n
            let enqueueStart = ContinuousClock.now
            for _ in 0..<n { _ = try await service.create("job", createdBy: .system) }
            let enqueue = (ContinuousClock.now - enqueueStart).seconds
            let drain = try await drainWithPool(service, concurrency: arguments.concurrency, until: n, done)
            try await store.dropSchema()
            await store.close()
            line(
                arguments, "w1",
                [
                    "enqueue_per_sec": rounded(Double(n) / enqueue, 0),
                    "drain_per_sec": rounded(Double(n) / drain, 0),
                ])
        }

        /// W2 across processes: a worker process picks up tasks this process creates.
        static func w2(_ arguments: BenchArguments, idle: Bool) async throws {
            let (store, schema) = try await freshStore(arguments)
            let service = TaskService(store: store, registry: try registry())
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("w2-\(schema).log").path
            let worker = try startWorker(arguments, schema: schema, log: log)
            defer { worker.terminate() }
            try await waitForLine("ready", in: log)
            var latencies: [Double] = []
            for _ in 0..<200 {
                if idle { try await Task.sleep(for: .milliseconds(Int.random(in: 0...300))) }
                let t0 = Date().timeIntervalSince1970
                let task = try await service.create("job", payload: ["t0": t0], createdBy: .system)
                while true {
                    let current = try await service.task(task.id, as: .system)
                    if current.status == .succeeded, case .double(let latency) = current.result {
                        latencies.append(latency)
                        break
                    }
                    try await Task.sleep(for: .milliseconds(1))  // latency is measured in the worker
                }
            }
            worker.terminate()
            worker.waitUntilExit()
            try? FileManager.default.removeItem(atPath: log)
            try await store.dropSchema()
            await store.close()
            latencies.sort()
            func percentile(_ p: Double) -> Double {
                latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            }
            var shown = arguments
            shown.n = 200
            line(
                shown, idle ? "w2-idle" : "w2-hot",
                [
                    "pickup_p50_ms": rounded(percentile(0.5)), "pickup_p99_ms": rounded(percentile(0.99)),
                    "processes": .integer(2),
                ])
        }

        /// W5: P worker processes drain N tasks together.
        static func w5(_ arguments: BenchArguments) async throws {
            let (store, schema) = try await freshStore(arguments)
            let service = TaskService(store: store, registry: try registry())
            // Seeded in batches: the figure is the drain's.
            var seeded = 0
            while seeded < arguments.n {
                let size = min(1_000, arguments.n - seeded)
                let batch = (0..<size).map { _ in
                    arguments.sleepMilliseconds > 0
                        ? NewTask(
                            "job",
                            json: .object([
                                "sleep_ms": .integer(Int64.random(in: 0...Int64(arguments.sleepMilliseconds)))
                            ]))
                        : NewTask("job")
                }
                seeded += try await service.create(batch, createdBy: .system).count
            }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("w5-\(schema).log").path
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            // Every process gets C slots (WORKLOADS.md: 4 processes × 10 slots against 1 × 10).
            let perProcess = arguments
            let start = ContinuousClock.now
            let workers = try (0..<arguments.processes).map { _ in
                try startWorker(perProcess, schema: schema, log: log)
            }
            // The workers log "done ID" as each task finishes; reading the new part of the log is
            // cheaper than asking the measured server for counts.
            try await waitForLines(prefix: "done ", count: arguments.n, in: log)
            let elapsed = (ContinuousClock.now - start).seconds
            for worker in workers { worker.terminate() }
            for worker in workers { worker.waitUntilExit() }
            let runs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix("run ") }.map { $0.split(separator: " ")[1] }
            var perTask: [Substring: Int] = [:]
            for id in runs { perTask[id, default: 0] += 1 }
            let succeeded = try await service.counts(for: .system).byStatus[.succeeded, default: 0]
            try? FileManager.default.removeItem(atPath: log)
            try await store.dropSchema()
            await store.close()
            line(
                arguments, "w5",
                [
                    "processes": .integer(Int64(arguments.processes)),
                    "slots_per_process": .integer(Int64(arguments.concurrency)),
                    "runner_sleep_ms_max": .integer(Int64(arguments.sleepMilliseconds)),
                    "drain_per_sec": rounded(Double(arguments.n) / elapsed, 0),
                    "runs_per_task_max": .integer(Int64(perTask.values.max() ?? 0)),
                    "tasks_run": .integer(Int64(perTask.count)), "succeeded": .integer(Int64(succeeded)),
                ])
        }

        static func startWorker(
            _ arguments: BenchArguments, schema: String, log: String, exitAfter: Int = 0
        ) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            process.arguments =
                [
                    "worker", "--url", arguments.url, "--schema", schema, "--log", log,
                    "--concurrency", String(arguments.concurrency), "--connections",
                    String(arguments.connections),
                ] + (exitAfter > 0 ? ["--exit-after", String(exitAfter)] : [])
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return process
        }

        /// Waits until `path` holds `count` lines starting with `prefix`, reading only what was added.
        static func waitForLines(prefix: String, count: Int, in path: String) async throws {
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw TaskworksError.invalidInput("cannot read \(path)")
            }
            defer { try? file.close() }
            let marker = Array(("\n" + prefix).utf8)
            var seen = 0
            var tail: [UInt8] = [UInt8(ascii: "\n")]
            while seen < count {
                let chunk = try file.readToEnd() ?? Data()
                if chunk.isEmpty {
                    try await Task.sleep(for: .milliseconds(1))
                    continue
                }
                let bytes = tail + chunk
                var index = 0
                while index + marker.count <= bytes.count {
                    if bytes[index] == marker[0], Array(bytes[index..<index + marker.count]) == marker {
                        seen += 1
                    }
                    index += 1
                }
                tail = Array(bytes.suffix(marker.count - 1))
            }
        }

        static func waitForLine(_ prefix: String, in path: String) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains(prefix) {
                    return
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw TaskworksError(code: .storageFailure, message: "the worker process never became ready")
        }
    }

    extension Duration {
        var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    }

    /// Counts finished tasks and wakes a waiter at a target (one wait per counter).
    final class CompletionCounter: Sendable {
        private struct Counts: Sendable {
            var count = 0
            var target = Int.max
        }

        private let counts = LockedState(Counts())
        private let reached = Latch<Void>()

        func increment() {
            let done = counts.withLock { counts -> Bool in
                counts.count += 1
                return counts.count >= counts.target
            }
            if done { reached.open() }
        }

        func wait(until target: Int) async {
            let done = counts.withLock { counts -> Bool in
                counts.target = target
                return counts.count >= target
            }
            if done { reached.open() }
            await reached.wait()
        }
    }
#endif  // Postgres

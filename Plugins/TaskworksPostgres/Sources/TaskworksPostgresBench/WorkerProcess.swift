#if Postgres
    import Foundation
    import Taskworks
    import TaskworksPostgres

    #if canImport(Glibc)
        import Glibc
    #endif

    /// Appends whole lines to a file, one `write` each (O_APPEND keeps processes' lines apart).
    final class LineLog: Sendable {
        let descriptor: Int32

        init(_ path: String) throws {
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw TaskworksError.invalidInput("cannot open log file \(path)") }
        }

        func line(_ text: String) {
            let bytes = Array((text + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    /// `worker` mode: a pool on the shared schema running "job" tasks until SIGTERM (or N runs).
    enum WorkerProcess {
        static func run(_ arguments: BenchArguments) async throws {
            guard !arguments.schema.isEmpty, !arguments.log.isEmpty else {
                throw TaskworksError.invalidInput("worker needs --schema and --log")
            }
            var configuration = try PostgresTaskStore.Configuration(url: arguments.url)
            configuration.schema = arguments.schema
            configuration.maximumConnections = arguments.connections
            if arguments.statementTimeoutMilliseconds > 0 {
                configuration.statementTimeout = .milliseconds(arguments.statementTimeoutMilliseconds)
            }
            if arguments.connectionAttempts > 0 {
                configuration.connectionAttempts = arguments.connectionAttempts
            }
            let log = try LineLog(arguments.log)
            let pid = getpid()
            let diagnostics = TaskDiagnostics { diagnostic in log.line("diag \(pid) \(diagnostic.line)") }
            configuration.diagnostics = diagnostics
            let store = try await PostgresTaskStore(configuration: configuration)
            let registry = TaskRegistry()
            try registry.register("job") { _ in
                ClosureTaskRunner { context in
                    let started = Date()
                    log.line("run \(context.task.id) \(pid)")
                    if let sleep = context.task.payload?["sleep_ms"], case .integer(let milliseconds) = sleep
                    {
                        try await Task.sleep(for: .milliseconds(milliseconds))
                    }
                    // W2: how long after its create call the runner started, across processes.
                    if let created = context.task.payload?["t0"], case .double(let t0) = created {
                        return JSONValue.double((started.timeIntervalSince1970 - t0) * 1000)
                    }
                    if context.task.payload?["return_pid"] == .bool(true) {
                        return JSONValue.object(["pid": .integer(Int64(pid))])
                    }
                    return nil
                }
            }
            registry.onComplete(of: "job") { task in log.line("done \(task.id) \(pid)") }
            var serviceConfiguration = TaskService.Configuration()
            serviceConfiguration.diagnostics = diagnostics
            let service = TaskService(store: store, registry: registry, configuration: serviceConfiguration)
            var poolConfiguration = WorkerPool.Configuration(concurrency: arguments.concurrency)
            if !arguments.workerID.isEmpty { poolConfiguration.workerID = arguments.workerID }
            poolConfiguration.pollInterval = .seconds(1)
            poolConfiguration.leaseDuration = .milliseconds(arguments.leaseMilliseconds)
            poolConfiguration.leaseRenewalInterval = .milliseconds(max(50, arguments.leaseMilliseconds / 4))
            poolConfiguration.shutdownGracePeriod = .seconds(5)
            let pool = WorkerPool(service: service, configuration: poolConfiguration)
            if arguments.exitAfter > 0 {
                let target = arguments.exitAfter
                Task {
                    // A count that fails (a slow or dropped connection) is asked again: the worker
                    // must not be left running for ever because one poll threw.
                    while (try? await service.counts(for: .system).byStatus[.succeeded, default: 0]) ?? 0
                        < target
                    {
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    pool.shutdown()
                }
            }
            log.line("ready \(pid)")
            try await SignalHandling.run(pool)
            await store.close()
        }
    }

    extension JSONValue {
        /// The member `key` of an object, or `nil`.
        subscript(key: String) -> JSONValue? {
            if case .object(let members) = self { return members[key] }
            return nil
        }
    }
#endif  // Postgres

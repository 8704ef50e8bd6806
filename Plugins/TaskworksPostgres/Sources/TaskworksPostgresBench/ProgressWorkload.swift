#if Postgres
    import Foundation
    import Taskworks

    extension Workloads {
        /// W6 on PostgreSQL: N tasks on a pool of C, each runner reporting progress 1,000 times over
        /// about a second (50 reports, then 50 ms asleep). Reports how many reports the pool absorbed per second, the
        /// store writes they caused (throttled progress writes plus one outcome a task), and the
        /// statements that carried those writes: writes made while others are in flight share one.
        static func progress(_ arguments: BenchArguments) async throws {
            let (store, _) = try await freshStore(arguments)
            let reportsPerTask = 1_000
            let registry = TaskRegistry()
            try registry.register("steps") { _ in
                ClosureTaskRunner { context in
                    for step in 1...reportsPerTask {
                        context.reportProgress(completed: step, of: reportsPerTask)
                        if step % 50 == 0 { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    return nil
                }
            }
            let done = CompletionCounter()
            registry.onComplete(of: "steps") { _ in done.increment() }
            let service = TaskService(store: store, registry: registry)
            // The shared limit (task_max_concurrent, default 10) would hold the pool below C.
            try await service.updateSettings(
                TaskSettings(maxConcurrentTasks: arguments.concurrency), as: .admin("bench"))
            let n = arguments.n
            _ = try await service.create(Array(repeating: NewTask("steps"), count: n), createdBy: .system)
            let before = store.writeCounts
            let elapsed = try await drainWithPool(service, concurrency: arguments.concurrency, until: n, done)
            let after = store.writeCounts
            let succeeded = try await service.counts(for: .system).byStatus[.succeeded, default: 0]
            try await store.dropSchema()
            await store.close()
            guard succeeded == n else {
                throw TaskworksError.storageFailure("w6 stored \(succeeded) succeeded tasks, not \(n)")
            }
            let writes = after.writes - before.writes
            let statements = after.statements - before.statements
            line(
                arguments, "w6",
                [
                    "reports_per_task": .integer(Int64(reportsPerTask)),
                    "progress_updates_per_sec": rounded(Double(n * reportsPerTask) / elapsed, 0),
                    "store_writes": .integer(Int64(writes)),
                    "store_writes_per_task": rounded(Double(writes) / Double(n), 2),
                    "write_statements": .integer(Int64(statements)),
                    "writes_per_statement": rounded(Double(writes) / Double(max(statements, 1)), 2),
                ])
        }
    }
#endif  // Postgres

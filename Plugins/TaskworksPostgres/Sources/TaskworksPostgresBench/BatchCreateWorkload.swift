#if Postgres
    import Foundation
    import Taskworks

    extension Workloads {
        /// Batch create: N no-op tasks through `TaskService.create(_:createdBy:)` in batches of
        /// `--batch-size`, from `--concurrency` producers at once, no pool. Each batch is one
        /// transaction of multi-row `INSERT`s.
        static func batchCreate(_ arguments: BenchArguments) async throws {
            let (store, _) = try await freshStore(arguments)
            let service = TaskService(store: store, registry: try registry())
            let n = arguments.n
            let batches = (n + arguments.batchSize - 1) / arguments.batchSize
            let producers = min(arguments.concurrency, batches)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        for index in stride(from: producer, to: batches, by: producers) {
                            let size = min(arguments.batchSize, n - index * arguments.batchSize)
                            let batch = Array(repeating: NewTask("job"), count: size)
                            _ = try await service.create(batch, createdBy: .system)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = (ContinuousClock.now - start).seconds
            let stored = try await service.counts(for: .system).total
            try await store.dropSchema()
            await store.close()
            guard stored == n else {
                throw TaskworksError.storageFailure("batch create stored \(stored) tasks, not \(n)")
            }
            line(
                arguments, "batch-create",
                [
                    "create_per_sec": rounded(Double(n) / elapsed, 0),
                    "batch_size": .integer(Int64(arguments.batchSize)),
                    "producers": .integer(Int64(producers)),
                ])
        }
    }
#endif  // Postgres

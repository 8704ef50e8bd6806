import Foundation
import Taskworks

extension Workload {
    /// Batch create: N no-op tasks through `TaskService.create(_:createdBy:)` in batches of
    /// `--batch-size`, no pool; on the file store each batch is one journal write and one flush.
    static func batchCreate(_ options: BenchOptions) async throws -> JSONLine {
        let n = options.n ?? 100_000
        let (service, store) = try await noopService(options)
        let batch = Array(repeating: NewTask("noop"), count: min(options.batchSize, n))
        let clock = ContinuousClock()
        let start = clock.now
        var created = 0
        while created < n {
            let size = min(batch.count, n - created)
            created += try await service.create(
                size == batch.count ? batch : Array(batch.prefix(size)), createdBy: .system
            )
            .count
        }
        let elapsed = clock.now - start
        guard try await service.counts(for: .system).total == n else {
            throw TaskworksError.storageFailure("batch create stored a different number of tasks than \(n)")
        }
        if let file = store as? FileTaskStore { await file.close() }
        var line = JSONLine()
        line["workload"] = .string("w1-batch-create")
        line["n"] = .integer(Int64(n))
        line["batch_size"] = .integer(Int64(batch.count))
        line["create_per_sec"] = JSONLine.number(Double(n) / elapsed.microseconds * 1e6, decimals: 0)
        return line
    }
}

import Foundation
import Taskworks

/// Builders for the records and requests the checks use.
enum Sample {
    /// A fixed instant with a fractional part, so a store that rounds dates fails.
    static let start = Date(timeIntervalSince1970: 1_800_000_000.123_456)

    /// A pending task record, ready to insert straight into a store.
    static func record(
        type: String = "noop", priority: Int = 5, createdBy: String = "alice",
        createdAt: Date = start, runAfter: Date? = nil, uniqueKey: String? = nil
    ) -> TaskRecord {
        TaskRecord(
            type: type, priority: priority, createdBy: createdBy, runAfter: runAfter, uniqueKey: uniqueKey,
            createdAt: createdAt)
    }

    /// A claim request at `now` for `owner`.
    static func claim(
        _ owner: String = "worker-a", now: Date = start, limit: Int = 1, types: Set<String>? = nil,
        lease: Duration = .seconds(30)
    ) -> TaskClaimRequest {
        TaskClaimRequest(owner: owner, now: now, leaseDuration: lease, types: types, limit: limit)
    }

    /// A registry where `noop` returns at once.
    static func registry() throws -> TaskRegistry {
        let registry = TaskRegistry()
        try registry.register("noop") { _ in ClosureTaskRunner { _ in nil } }
        return registry
    }

    /// A pool configuration with fast lease renewals (so cancels and rescues show quickly) and a
    /// 50 ms poll (a store without `workAvailableNotifications()` learns of another handle's work by
    /// polling).
    static func poolConfiguration(workerID: String, concurrency: Int = 4) -> WorkerPool.Configuration {
        var configuration = WorkerPool.Configuration(concurrency: concurrency)
        configuration.workerID = workerID
        configuration.pollInterval = .milliseconds(50)
        configuration.leaseDuration = .seconds(30)
        configuration.leaseRenewalInterval = .milliseconds(20)
        configuration.retryPolicy = RetryPolicy(initialDelay: .zero, jitter: 0)
        configuration.shutdownGracePeriod = .seconds(10)
        return configuration
    }
}

import Foundation
import Taskworks

/// Builders shared by the tests.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A pending task record, ready to insert straight into a store.
    static func record(
        type: String = "noop", priority: Int = 5, createdBy: String = "alice",
        createdAt: Date = start, runAfter: Date? = nil, maxRetries: Int = 3
    ) -> TaskRecord {
        TaskRecord(
            type: type, priority: priority, createdBy: createdBy, maxRetries: maxRetries,
            runAfter: runAfter, createdAt: createdAt)
    }

    // Claim requests and the `noop` registry come from the conformance suite's `Sample`.

    /// A pool configuration for tests: fast renewals, a poll interval long enough that a test
    /// passing proves the pool was woken rather than polled.
    static func poolConfiguration(concurrency: Int = 4) -> WorkerPool.Configuration {
        var configuration = WorkerPool.Configuration(concurrency: concurrency)
        configuration.pollInterval = .seconds(3600)
        configuration.leaseDuration = .seconds(30)
        configuration.leaseRenewalInterval = .milliseconds(20)
        // Retries come due at once; backoff timing is tested on a manual clock.
        configuration.retryPolicy = RetryPolicy(initialDelay: .zero, jitter: 0)
        configuration.shutdownGracePeriod = .seconds(10)
        return configuration
    }
}

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

    /// A claim request at `now` for `owner`.
    static func claim(
        _ owner: String = "worker-a", now: Date = start, limit: Int = 1, types: Set<String>? = nil,
        lease: Duration = .seconds(30)
    ) -> TaskClaimRequest {
        TaskClaimRequest(owner: owner, now: now, leaseDuration: lease, types: types, limit: limit)
    }

    /// A registry with `noop` (returns nil) registered.
    static func registry() throws -> TaskRegistry {
        let registry = TaskRegistry()
        try registry.register("noop") { _ in ClosureTaskRunner { _ in nil } }
        return registry
    }

    /// A pool configuration for tests: fast renewals, a poll interval long enough that a test
    /// passing proves the pool was woken rather than polled.
    static func poolConfiguration(concurrency: Int = 4) -> WorkerPool.Configuration {
        var configuration = WorkerPool.Configuration(concurrency: concurrency)
        configuration.pollInterval = .seconds(3600)
        configuration.leaseDuration = .seconds(30)
        configuration.leaseRenewalInterval = .milliseconds(20)
        configuration.retryPolicy = RetryPolicy(initialDelay: .milliseconds(20), jitter: 0)
        configuration.shutdownGracePeriod = .seconds(10)
        return configuration
    }
}

extension TaskStore {
    /// Writes `change` applied to the current copy, retrying on conflicts (test setup only).
    @discardableResult
    func force(_ id: TaskID, _ change: (inout TaskRecord) -> Void) async throws -> TaskRecord {
        while true {
            guard let current = try await task(id: id) else { throw TaskworksError.taskNotFound(id) }
            var next = current
            change(&next)
            if case .updated(let stored) = try await update(next, expectedVersion: current.version) {
                return stored
            }
        }
    }
}

/// Runs `body` with `pool` running, then shuts the pool down and waits for it.
func withRunningPool<T: Sendable>(
    _ pool: WorkerPool, _ body: () async throws -> T
) async throws -> T {
    let running = Task { try await pool.run() }
    do {
        let value = try await body()
        running.cancel()
        try await running.value
        return value
    } catch {
        running.cancel()
        try? await running.value
        throw error
    }
}

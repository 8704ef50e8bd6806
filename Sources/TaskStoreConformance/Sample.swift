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
        configuration.retryPolicy = RetryPolicy(initialDelay: .milliseconds(10), jitter: 0)
        configuration.shutdownGracePeriod = .seconds(10)
        return configuration
    }
}

extension TaskStore {
    /// Writes `change` applied to the current copy, retrying on conflicts (check setup only).
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
func withRunningPool<T: Sendable>(_ pool: WorkerPool, _ body: () async throws -> T) async throws -> T {
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

/// A clock that moves only when a check moves it.
///
/// `@unchecked Sendable` is safe: the only stored state, `current`, is read and written only inside
/// `lock.withLock`, so no two threads ever touch it at once.
final class SteppedClock: TaskClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    func now() -> Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

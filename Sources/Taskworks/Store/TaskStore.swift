import Foundation

/// Where tasks live. Implement this to put Taskworks on another backend (PostgreSQL, Redis,
/// SQLite…); a store that passes the conformance suite (the `TaskStoreConformance` product) is
/// correct.
///
/// ## Contract
/// - **Atomic single-task writes.** Every method is atomic with respect to every other call on
///   the same data, in this process and in every other process sharing the backend.
/// - **Versions.** ``insert(_:)`` stores version 1. Every successful ``update(_:expectedVersion:)``
///   and every claim stores the previous version + 1. No other call changes a task.
/// - **Durability.** When a write returns, it is as durable as the store promises (document it);
///   a read after a write returns the write.
/// - **Immutable fields.** `id`, `type`, `createdBy` and `createdAt` never change after insert.
/// - **Deleted tasks** (`deletedAt != nil`) are returned by ``task(id:)`` but never by
///   ``query(_:)``, ``counts(createdBy:)`` or ``recentTasks(createdBy:createdSince:limit:)``,
///   and never claimed.
/// - **Time** comes from the caller (`now` arguments); a store reads no clock of its own.
public protocol TaskStore: Sendable {
    /// Stores a new task with version 1 and returns the stored copy — unless `task.uniqueKey` is
    /// held by a pending or running (not deleted) task: then nothing is stored and that task is
    /// returned (the caller sees a different id). The check and the insert are one atomic step.
    ///
    /// - Throws: ``TaskworksError/Code/duplicateTaskID`` when a task with this id exists.
    func insert(_ task: TaskRecord) async throws -> TaskRecord

    /// The task with this id, deleted or not, or `nil`.
    func task(id: TaskID) async throws -> TaskRecord?

    /// Compare-and-set: stores `task` as version `expectedVersion + 1` only if the stored version
    /// is still `expectedVersion`. Otherwise nothing changes and the current copy is returned, so
    /// a writer holding stale data can never overwrite a newer state.
    func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult

    /// Atomically claims up to `request.limit` eligible tasks and returns them as stored.
    ///
    /// Eligible: `pending`, not deleted, `runAfter <= request.now`, and of one of
    /// `request.types` when that is set. Order: highest `priority` first, then oldest
    /// `createdAt`, then insertion order. Each claimed task is stored with status `running`,
    /// `leaseOwner = request.owner`, `leaseExpiresAt = request.now + request.leaseDuration`,
    /// `attempts + 1`, `startedAt = updatedAt = request.now`, version + 1 — in the same atomic
    /// step, so no task is ever handed to two claimers.
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord]

    /// Up to `limit` tasks that are `running` with `leaseExpiresAt < now` (their worker stopped
    /// renewing), oldest lease first. Reading them changes nothing; the caller rescues each with
    /// ``update(_:expectedVersion:)``.
    func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord]

    /// One page of tasks matching `query` (already validated; its `createdBy` already enforced),
    /// in the query's order, plus the number of matches on all pages.
    func query(_ query: TaskQuery) async throws -> TaskPage

    /// Task counts per status and type, for one creator or (when `nil`) for everyone.
    func counts(createdBy: String?) async throws -> TaskCounts

    /// Up to `limit` of `createdBy`'s tasks that were created at or after `createdSince` or are
    /// still `pending`/`running`, newest first.
    func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord]

    /// Up to `limit` tasks that `criteria` allows removing (``RemovalCriteria/allows(_:)``),
    /// deleted ones included, oldest first. Reading them changes nothing.
    func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord]

    /// Removes each given task for good — only if its stored version still equals the given
    /// copy's (a task retried meanwhile stays) — and returns how many were removed. A removed task
    /// is gone from every read, as if it never existed.
    func remove(_ tasks: [TaskRecord]) async throws -> Int

    /// Notifications that tasks may have become claimable through another process or host (a task
    /// created or put back to pending there), so idle pools claim at once instead of waiting
    /// for their next poll. Each call returns a new stream for one pool; the stream ends when its
    /// consumer stops. `nil`, the default, means the store cannot tell: pools then rely on their
    /// poll interval for work from elsewhere (work made in this process always wakes them).
    func workAvailableNotifications() -> AsyncStream<Void>?
}

extension TaskStore {
    /// No notifications: pools poll for work from other processes.
    public func workAvailableNotifications() -> AsyncStream<Void>? { nil }
}

/// The outcome of a compare-and-set ``TaskStore/update(_:expectedVersion:)``.
public enum TaskUpdateResult: Sendable, Hashable {
    /// The write happened; here is the stored copy (with its new version).
    case updated(TaskRecord)
    /// Someone else changed the task first; here is the current copy. Nothing was written.
    case conflict(current: TaskRecord)
    /// No task has this id.
    case notFound
}

/// A request to claim tasks for a worker. See ``TaskStore/claim(_:)``.
public struct TaskClaimRequest: Sendable, Hashable {
    /// The worker taking the lease.
    public var owner: String
    /// The current time; tasks with a later `runAfter` are not eligible.
    public var now: Date
    /// How long the lease lasts before the worker must renew it.
    public var leaseDuration: Duration
    /// Only these types, or any type when `nil`.
    public var types: Set<String>?
    /// The most tasks to claim.
    public var limit: Int

    /// Makes a claim request.
    public init(
        owner: String, now: Date, leaseDuration: Duration, types: Set<String>? = nil, limit: Int = 1
    ) {
        self.owner = owner
        self.now = now
        self.leaseDuration = leaseDuration
        self.types = types
        self.limit = limit
    }

    /// When the leases this claim hands out expire: `now + leaseDuration`.
    public var leaseExpiry: Date { now.addingTimeInterval(leaseDuration.timeInterval) }

    /// Applies the claim to one eligible task: what every store stores for it.
    public func claimed(_ task: TaskRecord) -> TaskRecord {
        var claimed = task
        claimed.status = .running
        claimed.leaseOwner = owner
        claimed.leaseExpiresAt = leaseExpiry
        claimed.attempts += 1
        claimed.startedAt = now
        claimed.updatedAt = now
        claimed.version += 1
        return claimed
    }
}

import Foundation

/// Where tasks live: the core contract every backend implements to put Taskworks on it
/// (PostgreSQL, Redis, SQLite…). A store that passes the conformance suite (the
/// `TaskStoreConformance` product) is correct.
///
/// The contract is split by capability. This protocol is the core: insert, read, compare-and-set,
/// claim, leases, removal, a scan, the schedules' last ticks and paused task types. Listing, counting and the recent-tasks view are the read
/// model, ``TaskReadModel``: a store that also conforms to it answers them itself (with its own
/// indexes); one that does not gets ``ScanningTaskReadModel``, which answers them from
/// ``scanTasks(after:limit:)``. Work-available notifications are an optional capability with a
/// default of none.
///
/// ## Contract
/// - **Atomic single-task writes.** Every method is atomic with respect to every other call on
///   the same data, in this process and in every other process sharing the backend.
/// - **Versions.** ``insert(_:)`` stores version 1. Every successful ``update(_:expectedVersion:)``
///   and every claim stores the previous version + 1. No other call changes a task.
/// - **Durability.** When a write returns, it is as durable as the store promises (document it);
///   a read after a write returns the write.
/// - **Immutable fields.** `id`, `type`, `createdBy` and `createdAt` never change after insert.
/// - **Deleted tasks** (`deletedAt != nil`) are returned by ``task(id:)`` and
///   ``scanTasks(after:limit:)`` but never by the read model, and never claimed.
/// - **Time** comes from the caller (`now` arguments); a store reads no clock of its own.
public protocol TaskStore: Sendable {
    /// Stores a new task with version 1 and returns the stored copy — unless `task.uniqueKey` is
    /// held by a pending or running (not deleted) task: then nothing is stored and that task is
    /// returned (the caller sees a different id). The check and the insert are one atomic step.
    ///
    /// - Throws: ``TaskworksError/Code/duplicateTaskID`` when a task with this id exists.
    func insert(_ task: TaskRecord) async throws -> TaskRecord

    /// Stores many new tasks in one atomic step, each as ``insert(_:)`` would, in order, and
    /// returns one record per task in the same order: the stored copy (version 1), or the
    /// pending or running holder of its unique key (which may be an earlier task of the same
    /// batch). Either every task is resolved this way or, when it throws, none is stored.
    /// An empty batch stores nothing and returns `[]`.
    ///
    /// - Throws: ``TaskworksError/Code/duplicateTaskID`` when an id exists or repeats in the batch.
    func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord]

    /// The task with this id, deleted or not, or `nil`.
    func task(id: TaskID) async throws -> TaskRecord?

    /// Compare-and-set: stores `task` as version `expectedVersion + 1` only if the stored version
    /// is still `expectedVersion`. Otherwise nothing changes and the current copy is returned, so
    /// a writer holding stale data can never overwrite a newer state.
    func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult

    /// Atomically claims up to `request.limit` eligible tasks and returns them as stored.
    ///
    /// Eligible: `pending`, not deleted, `runAfter <= request.now`, of a type that is not paused
    /// (``setTaskType(_:paused:)``), and of one of `request.types` when that is set. Order: highest `priority` first, then oldest
    /// `createdAt`, then insertion order. Each claimed task is stored with status `running`,
    /// `leaseOwner = request.owner`, `leaseExpiresAt = request.now + request.leaseDuration`,
    /// `attempts + 1`, `startedAt = updatedAt = request.now`, version + 1 — in the same atomic
    /// step, so no task is ever handed to two claimers.
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord]

    /// Up to `limit` tasks that are `running` with `leaseExpiresAt < now` (their worker stopped
    /// renewing), oldest lease first. Reading them changes nothing; the caller rescues each with
    /// ``update(_:expectedVersion:)``.
    func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord]

    /// Up to `limit` tasks, deleted ones included, in ascending id order (``TaskID``'s `<`, the
    /// order of the UUID's bytes), starting after `id` (from the first when `nil`). Walking
    /// page by page, each passing the last id of the previous page, visits every task that
    /// existed for the whole walk exactly once; tasks created or removed during it may be missed.
    func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord]

    /// Up to `limit` tasks that `criteria` allows removing (``RemovalCriteria/allows(_:)``),
    /// deleted ones included, oldest first. Reading them changes nothing.
    func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord]

    /// Removes each given task for good — only if its stored version still equals the given
    /// copy's (a task retried meanwhile stays) — and returns how many were removed. A removed task
    /// is gone from every read, as if it never existed.
    func remove(_ tasks: [TaskRecord]) async throws -> Int

    /// Records that schedule `name` fired for `tick` — unless a tick at or after `tick` is
    /// already recorded for it — and says whether this call recorded it. Atomic across every
    /// handle and process, so of several schedulers firing the same tick exactly one gets `true`.
    /// Schedule state is not a task: no read, list, count, claim or retention ever sees it.
    func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool

    /// The last tick recorded for schedule `name`, or `nil` when it never fired.
    func lastScheduleTick(_ name: String) async throws -> Date?

    /// Pauses (`paused: true`) or resumes every task of `type`, for every handle and process:
    /// while a type is paused, ``claim(_:)`` hands out none of its tasks; they stay `pending`.
    /// Returns whether this call changed anything. Atomic like every other write.
    func setTaskType(_ type: String, paused: Bool) async throws -> Bool

    /// The task types paused now.
    func pausedTaskTypes() async throws -> Set<String>

    /// The shared ``TaskSettings`` as last saved by any handle or process, or the defaults when
    /// none were saved.
    func settings() async throws -> TaskSettings

    /// Saves shared settings (already validated) for every handle and process, durably like
    /// every other write.
    func saveSettings(_ settings: TaskSettings) async throws

    /// Notifications that tasks may have become claimable through another process or host (a task
    /// created or put back to pending there), so idle pools claim at once instead of waiting
    /// for their next poll. Each call returns a new stream for one pool; the stream ends when its
    /// consumer stops. `nil`, the default, means the store cannot tell: pools then rely on their
    /// poll interval for work from elsewhere (work made in this process always wakes them).
    func workAvailableNotifications() -> AsyncStream<Void>?

    /// The store's own read model, or `nil` (the default for a store that does not conform to
    /// ``TaskReadModel``): the service then answers lists, counts and recent tasks with
    /// ``ScanningTaskReadModel``. A store conforming to ``TaskReadModel`` returns itself.
    var readModel: (any TaskReadModel)? { get }
}

extension TaskStore {
    /// No notifications: pools poll for work from other processes.
    public func workAvailableNotifications() -> AsyncStream<Void>? { nil }

    /// No read model of its own: see ``ScanningTaskReadModel``.
    public var readModel: (any TaskReadModel)? { nil }
}

extension TaskStore where Self: TaskReadModel {
    /// The store itself.
    public var readModel: (any TaskReadModel)? { self }
}

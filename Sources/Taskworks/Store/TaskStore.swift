import Foundation

/// Where tasks live: the core contract every backend implements to put Taskworks on it
/// (PostgreSQL, Redis, SQLite…). A store that passes the conformance suite (the
/// `TaskStoreConformance` product) is correct.
///
/// The contract is split by capability. This protocol is the core, eight requirements every store
/// has: insert (one or a batch), read, compare-and-set, claim, expired leases, a scan and
/// removal. What a store can do beyond that it declares by conforming to a capability protocol,
/// and Taskworks discovers it by that conformance:
///
/// | capability | protocol | without it |
/// |---|---|---|
/// | lists, counts, recent tasks, retention queries | ``TaskReadModel`` | ``ScanningTaskReadModel`` walks ``scanTasks(after:limit:)`` |
/// | schedules' last ticks | ``TaskScheduleTickStore`` | ``TaskScheduler/run()`` throws ``TaskworksError/Code/unsupported`` |
/// | paused task types | ``TaskTypePauseStore`` | no type is paused; pausing one throws ``TaskworksError/Code/unsupported`` |
/// | shared settings | ``TaskSettingsStore`` | the defaults; saving throws ``TaskworksError/Code/unsupported`` |
/// | work-available notifications | ``WorkAvailableNotifyingStore`` | pools poll for work made elsewhere |
/// | writes that never wait (a hint) | ``ImmediateTaskStore`` | outcome writes may leave the worker loop |
///
/// A ``ForwardingTaskStore`` that does not conform to a capability itself lends its base's.
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
    /// (when the store is a ``TaskTypePauseStore``), and of one of `request.types` when that is set. Order: highest `priority` first, then oldest
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

    /// Removes each given task for good — only if its stored version still equals the given
    /// copy's (a task retried meanwhile stays) — and returns how many were removed. A removed task
    /// is gone from every read, as if it never existed.
    func remove(_ tasks: [TaskRecord]) async throws -> Int
}

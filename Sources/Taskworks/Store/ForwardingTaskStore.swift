import Foundation

/// A store that wraps another and passes every call through, so a wrapper (metrics, tracing, a
/// test double) writes only the methods it changes. Forgetting one, such as
/// ``TaskStore/workAvailableNotifications()``, cannot silently turn a feature off.
///
/// ```swift
/// struct ClaimCounting: ForwardingTaskStore {
///     let base: any TaskStore
///     let claims: Counter
///     func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
///         claims.increment()
///         return try await base.claim(request)
///     }
/// }
/// ```
public protocol ForwardingTaskStore: TaskStore {
    /// The store calls go to.
    var base: any TaskStore { get }
}

extension ForwardingTaskStore {
    /// Forwards to ``base``.
    public func insert(_ task: TaskRecord) async throws -> TaskRecord { try await base.insert(task) }

    /// Forwards to ``base``.
    public func task(id: TaskID) async throws -> TaskRecord? { try await base.task(id: id) }

    /// Forwards to ``base``.
    public func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
        try await base.update(task, expectedVersion: expectedVersion)
    }

    /// Forwards to ``base``.
    public func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        try await base.claim(request)
    }

    /// Forwards to ``base``.
    public func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord] {
        try await base.expiredLeases(at: now, limit: limit)
    }

    /// Forwards to ``base``.
    public func query(_ query: TaskQuery) async throws -> TaskPage { try await base.query(query) }

    /// Forwards to ``base``.
    public func counts(createdBy: String?) async throws -> TaskCounts {
        try await base.counts(createdBy: createdBy)
    }

    /// Forwards to ``base``.
    public func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord] {
        try await base.recentTasks(createdBy: createdBy, createdSince: createdSince, limit: limit)
    }

    /// Forwards to ``base``.
    public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
        try await base.removableTasks(criteria, limit: limit)
    }

    /// Forwards to ``base``.
    public func remove(_ tasks: [TaskRecord]) async throws -> Int { try await base.remove(tasks) }

    /// Forwards to ``base``.
    public func workAvailableNotifications() -> AsyncStream<Void>? { base.workAvailableNotifications() }
}

import Foundation

/// A store that wraps another and passes the core contract through, so a wrapper (metrics,
/// tracing, a test double) writes only the methods it changes. A capability the wrapper does not
/// declare itself is its base's (its ``TaskReadModel``, schedule ticks, pauses, settings and
/// notifications), so wrapping cannot silently turn a feature off; a wrapper that wants to see
/// those calls conforms to the capability's protocol and implements it. The
/// ``ImmediateTaskStore`` hint is never lent: a wrapper may wait where its base does not.
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
    public func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord] {
        try await base.insert(contentsOf: tasks)
    }

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
    public func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord] {
        try await base.scanTasks(after: id, limit: limit)
    }

    /// Forwards to ``base``.
    public func remove(_ tasks: [TaskRecord]) async throws -> Int { try await base.remove(tasks) }
}

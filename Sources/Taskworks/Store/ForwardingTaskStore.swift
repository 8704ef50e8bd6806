import Foundation

/// A store that wraps another and passes every call through, so a wrapper (metrics, tracing, a
/// test double) writes only the methods it changes. Forgetting one, such as
/// ``TaskStore/workAvailableNotifications()`` or the base's ``TaskStore/readModel``, cannot
/// silently turn a feature off.
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
    public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
        try await base.removableTasks(criteria, limit: limit)
    }

    /// Forwards to ``base``.
    public func remove(_ tasks: [TaskRecord]) async throws -> Int { try await base.remove(tasks) }

    /// Forwards to ``base``.
    public func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool {
        try await base.claimScheduleTick(name, tick: tick)
    }

    /// Forwards to ``base``.
    public func lastScheduleTick(_ name: String) async throws -> Date? {
        try await base.lastScheduleTick(name)
    }

    /// Forwards to ``base``.
    public func setTaskType(_ type: String, paused: Bool) async throws -> Bool {
        try await base.setTaskType(type, paused: paused)
    }

    /// Forwards to ``base``.
    public func pausedTaskTypes() async throws -> Set<String> { try await base.pausedTaskTypes() }

    /// Forwards to the base store.
    public func settings() async throws -> TaskSettings { try await base.settings() }

    /// Forwards to the base store.
    public func saveSettings(_ settings: TaskSettings) async throws { try await base.saveSettings(settings) }

    /// Forwards to ``base``.
    public func workAvailableNotifications() -> AsyncStream<Void>? { base.workAvailableNotifications() }

    /// ``base``'s read model: lists, counts and recent tasks go straight to it. A wrapper that
    /// wants to see them conforms to ``TaskReadModel`` itself and returns `self`.
    public var readModel: (any TaskReadModel)? { base.readModel }
}

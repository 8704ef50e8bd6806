import Foundation
import Synchronization

/// A ``TaskStore`` that keeps tasks in memory: for tests, development, and hosts whose tasks
/// need not survive a restart. Nothing is durable.
///
/// Safe from any number of threads: every call takes one lock for a short, bounded time and
/// never suspends while holding it. A claim costs O(log n); the default newest-first page and
/// counts never scan the whole store.
public final class InMemoryTaskStore: TaskStore, TaskReadModel, TaskScheduleTickStore, TaskTypePauseStore,
    TaskSettingsStore, ImmediateTaskStore
{
    private let index = LockedState(InMemoryTaskIndex())

    /// Makes an empty store.
    public init() {}

    /// Stores a new task. See ``TaskStore/insert(_:)``.
    public func insert(_ task: TaskRecord) async throws -> TaskRecord {
        try index.withLock { try $0.insert(task) }
    }

    /// Stores many new tasks in one step. See ``TaskStore/insert(contentsOf:)``.
    public func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord] {
        guard !tasks.isEmpty else { return [] }
        return try index.withLock { try $0.insert(contentsOf: tasks) }
    }

    /// Reads one task. See ``TaskStore/task(id:)``.
    public func task(id: TaskID) async throws -> TaskRecord? {
        index.withLock { $0.task(id: id) }
    }

    /// Compare-and-set write. See ``TaskStore/update(_:expectedVersion:)``.
    public func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
        index.withLock { $0.update(task, expectedVersion: expectedVersion) }
    }

    /// Atomic claim. See ``TaskStore/claim(_:)``.
    public func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        guard request.limit > 0 else { return [] }
        return index.withLock { $0.claim(request) }
    }

    /// Running tasks whose lease ran out. See ``TaskStore/expiredLeases(at:limit:)``.
    public func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord] {
        index.withLock { $0.expiredLeases(at: now, limit: limit) }
    }

    /// One page of matches. See ``TaskReadModel/query(_:)``.
    public func query(_ query: TaskQuery) async throws -> TaskPage {
        index.withLock { $0.query(query) }
    }

    /// Counts per status and type. See ``TaskReadModel/counts(createdBy:)``.
    public func counts(createdBy: String?) async throws -> TaskCounts {
        index.withLock { $0.counts(createdBy: createdBy) }
    }

    /// A creator's recent and active tasks. See ``TaskReadModel/recentTasks(createdBy:createdSince:limit:)``.
    public func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord] {
        index.withLock { $0.recentTasks(createdBy: createdBy, createdSince: createdSince, limit: limit) }
    }

    /// A page of every task in id order. See ``TaskStore/scanTasks(after:limit:)``.
    public func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord] {
        index.withLock { $0.scan(after: id, limit: limit) }
    }

    /// Tasks the criteria allow removing. See ``TaskReadModel/removableTasks(_:limit:)``.
    public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
        index.withLock { $0.removableTasks(criteria, limit: limit) }
    }

    /// Records a schedule's tick. See ``TaskScheduleTickStore/claimScheduleTick(_:tick:)``.
    public func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool {
        index.withLock { $0.claimScheduleTick(name, tick: tick) }
    }

    /// A schedule's last tick. See ``TaskScheduleTickStore/lastScheduleTick(_:)``.
    public func lastScheduleTick(_ name: String) async throws -> Date? {
        index.withLock { $0.scheduleTicks[name] }
    }

    /// Pauses or resumes a task type. See ``TaskTypePauseStore/setTaskType(_:paused:)``.
    public func setTaskType(_ type: String, paused: Bool) async throws -> Bool {
        index.withLock { $0.setTaskType(type, paused: paused) }
    }

    /// The paused task types. See ``TaskTypePauseStore/pausedTaskTypes()``.
    public func pausedTaskTypes() async throws -> Set<String> {
        index.withLock { $0.pausedTypes }
    }

    /// The shared settings. See ``TaskSettingsStore/settings()``.
    public func settings() async throws -> TaskSettings {
        index.withLock { $0.settings } ?? TaskSettings()
    }

    /// Saves the shared settings. See ``TaskSettingsStore/saveSettings(_:)``.
    public func saveSettings(_ settings: TaskSettings) async throws {
        try settings.validate()
        index.withLock { $0.settings = settings }
    }

    /// Removes tasks for good, version-checked. See ``TaskStore/remove(_:)``.
    public func remove(_ tasks: [TaskRecord]) async throws -> Int {
        index.withLock { $0.remove(tasks).count }
    }
}

import Foundation

/// The read model a task list, a dashboard, the recent-tasks view and retention need: listing,
/// counting, the newest tasks of a creator and the tasks retention may remove. An optional
/// capability of a ``TaskStore``: a store conforms to answer these from its own indexes (the
/// in-memory, file and PostgreSQL stores do); for a store that does not,
/// ``ScanningTaskReadModel`` answers them from the core contract.
///
/// Deleted tasks (`deletedAt != nil`) are never listed, counted or returned here, except by
/// ``removableTasks(_:limit:)``.
public protocol TaskReadModel: Sendable {
    /// One page of tasks matching `query` (already validated; its `createdBy` already enforced),
    /// in the query's order, plus the number of matches on all pages.
    func query(_ query: TaskQuery) async throws -> TaskPage

    /// Task counts per status and type, for one creator or (when `nil`) for everyone.
    func counts(createdBy: String?) async throws -> TaskCounts

    /// Up to `limit` of `createdBy`'s tasks that were created at or after `createdSince` or are
    /// still `pending`/`running`, newest first.
    func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord]

    /// Up to `limit` tasks that `criteria` allows removing (``RemovalCriteria/allows(_:)``),
    /// deleted ones included, oldest first. Reading them changes nothing; retention removes them
    /// with ``TaskStore/remove(_:)``.
    func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord]
}

import Foundation

/// The default read model for a store that has only the core contract: it answers lists,
/// counts, recent tasks and retention's removable tasks by walking every task with ``TaskStore/scanTasks(after:limit:)``.
///
/// Each call reads the whole store, so it suits stores of up to some tens of thousands of tasks
/// (a dashboard, an embedded queue); beyond that, conform the store to ``TaskReadModel`` and
/// answer from an index. Results are as consistent as the scan: a task changed while a call
/// walks may appear in its old or its new state. Ties in the query's order are broken by id.
public struct ScanningTaskReadModel: TaskReadModel {
    /// Tasks read per ``TaskStore/scanTasks(after:limit:)`` call.
    public static let scanPageSize = 500

    /// The store walked.
    public let store: any TaskStore

    /// Makes a read model over `store`'s core contract.
    public init(store: any TaskStore) {
        self.store = store
    }

    /// Matches `query` against every visible task, then sorts and pages them.
    public func query(_ query: TaskQuery) async throws -> TaskPage {
        var matches = try await visibleTasks { task in
            (query.createdBy == nil || task.createdBy == query.createdBy) && query.matches(task)
        }
        matches.sort { ScanningTaskReadModel.precedes($0, $1, in: query.sort) }
        let start = min(query.offset ?? matches.count, matches.count)
        let end = min(start + query.pageSize, matches.count)
        return TaskPage(
            items: Array(matches[start..<end]), total: matches.count, page: query.page,
            pageSize: query.pageSize)
    }

    /// Counts every visible task (of `createdBy`, when given) per status and per type.
    public func counts(createdBy: String?) async throws -> TaskCounts {
        var counts = TaskCounts()
        for task in try await visibleTasks({ createdBy == nil || $0.createdBy == createdBy }) {
            counts.byStatus[task.status, default: 0] += 1
            counts.byType[task.type, default: 0] += 1
        }
        return counts
    }

    /// The newest of `createdBy`'s tasks created since `createdSince` or still active.
    public func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord] {
        guard limit > 0 else { return [] }
        var found = try await visibleTasks { task in
            task.createdBy == createdBy && (task.status.isActive || task.createdAt >= createdSince)
        }
        found.sort { ScanningTaskReadModel.precedes($0, $1, in: .createdDescending) }
        return Array(found.prefix(limit))
    }

    /// The oldest tasks `criteria` allows removing, deleted ones included.
    public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
        guard limit > 0 else { return [] }
        var found = try await scannedTasks { criteria.allows($0) }
        found.sort { ScanningTaskReadModel.precedes($0, $1, in: .createdAscending) }
        return Array(found.prefix(limit))
    }

    /// Every task that is not deleted and passes `filter`.
    private func visibleTasks(_ filter: (TaskRecord) -> Bool) async throws -> [TaskRecord] {
        try await scannedTasks { $0.deletedAt == nil && filter($0) }
    }

    /// Every task, deleted or not, that passes `filter`.
    private func scannedTasks(_ filter: (TaskRecord) -> Bool) async throws -> [TaskRecord] {
        var found: [TaskRecord] = []
        var cursor: TaskID?
        while true {
            let page = try await store.scanTasks(after: cursor, limit: ScanningTaskReadModel.scanPageSize)
            for task in page where filter(task) { found.append(task) }
            guard page.count == ScanningTaskReadModel.scanPageSize, let last = page.last else { return found }
            cursor = last.id
        }
    }

    /// Whether `lhs` comes before `rhs` in `sort`'s order, ties broken by newest, then by id.
    static func precedes(_ lhs: TaskRecord, _ rhs: TaskRecord, in sort: TaskSort) -> Bool {
        switch sort {
        case .createdAscending:
            if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
            return lhs.id < rhs.id
        case .priorityDescending where lhs.priority != rhs.priority:
            return lhs.priority > rhs.priority
        case .updatedDescending where lhs.updatedAt != rhs.updatedAt:
            return lhs.updatedAt > rhs.updatedAt
        default:
            if lhs.createdAt != rhs.createdAt { return lhs.createdAt > rhs.createdAt }
            return lhs.id > rhs.id
        }
    }
}

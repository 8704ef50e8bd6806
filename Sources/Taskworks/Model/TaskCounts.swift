/// How many visible tasks there are per status and per type, for dashboards.
/// Deleted tasks are not counted.
public struct TaskCounts: Sendable, Hashable {
    /// Tasks per status; statuses with no tasks are absent.
    public var byStatus: [TaskStatus: Int]
    /// Tasks per type name; types with no tasks are absent.
    public var byType: [String: Int]

    /// Makes counts.
    public init(byStatus: [TaskStatus: Int] = [:], byType: [String: Int] = [:]) {
        self.byStatus = byStatus
        self.byType = byType
    }

    /// All counted tasks.
    public var total: Int { byStatus.values.reduce(0, +) }

    /// The count for one status: 0 when no task has it.
    public subscript(status: TaskStatus) -> Int { byStatus[status] ?? 0 }

    /// The count for one type name: 0 when no task has it.
    public subscript(type type: String) -> Int { byType[type] ?? 0 }
}

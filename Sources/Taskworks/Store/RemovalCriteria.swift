import Foundation

/// Which tasks a retention job may remove for good: finished tasks that finished before a cutoff
/// (per type, or a default), and soft-deleted tasks deleted before a cutoff. Active tasks are
/// never removable.
public struct RemovalCriteria: Sendable, Hashable {
    /// Finished tasks of types without their own cutoff are removable once they finished before this.
    public var finishedBefore: Date
    /// Per-type cutoffs for finished tasks.
    public var finishedBeforeByType: [String: Date]
    /// Soft-deleted tasks are removable once they were deleted before this.
    public var deletedBefore: Date

    /// Makes criteria.
    public init(finishedBefore: Date, finishedBeforeByType: [String: Date] = [:], deletedBefore: Date) {
        self.finishedBefore = finishedBefore
        self.finishedBeforeByType = finishedBeforeByType
        self.deletedBefore = deletedBefore
    }

    /// Whether `task` may be removed.
    public func allows(_ task: TaskRecord) -> Bool {
        guard !task.status.isActive else { return false }
        if let deletedAt = task.deletedAt { return deletedAt < deletedBefore }
        guard let finishedAt = task.finishedAt else { return false }
        return finishedAt < (finishedBeforeByType[task.type] ?? finishedBefore)
    }

    /// The latest creation date a removable task can have (a task finishes after it is created).
    var latestCreation: Date {
        ([finishedBefore, deletedBefore] + Array(finishedBeforeByType.values)).max() ?? finishedBefore
    }
}

/// What ``TaskService/createReportingDuplicate(_:payload:options:createdBy:onComplete:)`` did.
public struct TaskCreation: Sendable, Hashable {
    /// The new task, or the pending or running task already holding the unique key.
    public var task: TaskRecord
    /// `true` when nothing was created because ``task`` holds the unique key.
    public var isDuplicate: Bool

    /// Makes a result.
    public init(task: TaskRecord, isDuplicate: Bool) {
        self.task = task
        self.isDuplicate = isDuplicate
    }
}

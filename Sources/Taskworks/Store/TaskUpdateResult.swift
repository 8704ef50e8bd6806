/// The outcome of a compare-and-set ``TaskStore/update(_:expectedVersion:)``.
public enum TaskUpdateResult: Sendable, Hashable {
    /// The write happened; here is the stored copy (with its new version).
    case updated(TaskRecord)
    /// Someone else changed the task first; here is the current copy. Nothing was written.
    case conflict(current: TaskRecord)
    /// No task has this id.
    case notFound
}

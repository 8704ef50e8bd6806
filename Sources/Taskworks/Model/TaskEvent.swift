/// Something that happened to a task, delivered by ``TaskService/events(for:bufferSize:)``.
public struct TaskEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// The task was created.
        case created
        /// A worker started an attempt.
        case started
        /// The runner's progress was stored.
        case progress
        /// An attempt failed and the task waits for an automatic retry.
        case retryScheduled
        /// A cancel was requested for the running task.
        case cancelRequested
        /// A caller retried a failed or cancelled task; it is pending again.
        case retried
        /// A worker stopped during shutdown or died, and the task is pending again.
        case requeued
        /// The task reached a terminal state.
        case finished
        /// A caller deleted the task.
        case deleted
        /// A caller paused the pending task.
        case paused
        /// A caller resumed the paused task; it is pending again.
        case resumed
    }

    /// What happened.
    public var kind: Kind
    /// The task as stored right after it happened.
    public var task: TaskRecord

    /// Makes an event.
    public init(kind: Kind, task: TaskRecord) {
        self.kind = kind
        self.task = task
    }
}

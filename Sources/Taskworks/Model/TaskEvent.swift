/// Something that happened to a task, delivered by ``TaskService/events(for:bufferSize:)``.
public struct TaskEvent: Sendable, Hashable {
    /// What happened. Compare it with the static members (`event.kind == .finished`, or `case
    /// .finished:` in a `switch` with a `default`). New kinds are added as new static members in
    /// minor releases (workflows and flow control will add some), so code that handles today's
    /// kinds keeps compiling: there is no exhaustive `switch` to break. Ignore kinds you do not
    /// know.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kind's stable name, as the HTTP API's event stream reports it: `created`,
        /// `finished`…
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The kind's ``rawValue``.
        public var description: String { rawValue }

        /// The task was created.
        public static let created = Kind("created")
        /// A worker started an attempt.
        public static let started = Kind("started")
        /// The runner's progress was stored.
        public static let progress = Kind("progress")
        /// An attempt failed and the task waits for an automatic retry.
        public static let retryScheduled = Kind("retryScheduled")
        /// A cancel was requested for the running task.
        public static let cancelRequested = Kind("cancelRequested")
        /// A caller retried a failed or cancelled task; it is pending again.
        public static let retried = Kind("retried")
        /// A worker stopped during shutdown or died, and the task is pending again.
        public static let requeued = Kind("requeued")
        /// The task reached a terminal state.
        public static let finished = Kind("finished")
        /// A caller deleted the task.
        public static let deleted = Kind("deleted")
        /// A caller paused the pending task.
        public static let paused = Kind("paused")
        /// A caller resumed the paused task; it is pending again.
        public static let resumed = Kind("resumed")
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

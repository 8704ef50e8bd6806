import Foundation

/// Everything stored about one task. A plain value: reading it never touches the store, and a
/// changed copy is written back only through the store's compare-and-set ``TaskStore/update(_:expectedVersion:)``.
///
/// The fields the framework owns (status, lease, version, timestamps) are changed by
/// ``TaskService`` and ``WorkerPool``; host code reads them.
public struct TaskRecord: Sendable, Codable, Hashable, Identifiable {
    /// The task's id.
    public var id: TaskID
    /// The registered task type name that runs it, e.g. `user_export`.
    public var type: String
    /// Where the task is in its life.
    public var status: TaskStatus
    /// 1 (lowest) to 10 (highest); higher-priority tasks are claimed first. Default 5.
    public var priority: Int
    /// The input given at create, as JSON, or `nil` when none was given.
    public var payload: JSONValue?
    /// What the runner returned, as JSON, once it succeeded.
    public var result: JSONValue?
    /// Why the last attempt failed (kept while a retry waits, so users can see it).
    public var errorMessage: String?
    /// 0 to 100; never moves backwards within an attempt, and is 100 once succeeded.
    public var progress: Int
    /// Who created the task: a user or admin id, or `"system"`.
    public var createdBy: String
    /// The file the runner attached, if any.
    public var artifact: TaskArtifact?
    /// How many times a worker has started this task since it was created or last retried by a
    /// caller.
    public var attempts: Int
    /// How many automatic retries a failing attempt gets (0 means one attempt only).
    public var maxRetries: Int
    /// How many times a caller retried the task by hand (``TaskService/retry(_:as:)``).
    public var manualRetries: Int
    /// The longest one attempt may run, in milliseconds; `nil` means no limit.
    public var timeoutMilliseconds: Int64?
    /// The task is not claimed before this date (delays and retry backoff set it).
    public var runAfter: Date
    /// When the task was created.
    public var createdAt: Date
    /// When the current or last attempt started.
    public var startedAt: Date?
    /// When the task reached a terminal state.
    public var finishedAt: Date?
    /// When anything about the task last changed.
    public var updatedAt: Date
    /// When a caller deleted the task; deleted tasks are hidden from every read.
    public var deletedAt: Date?
    /// A caller asked to cancel the running task; its runner is being stopped.
    public var cancelRequested: Bool
    /// The worker that holds the task while it runs.
    public var leaseOwner: String?
    /// When the lease runs out unless renewed; an expired lease means the worker is gone.
    public var leaseExpiresAt: Date?
    /// Increases by one on every stored change; used for compare-and-set.
    public var version: UInt64
    /// At most one pending or running task holds a given unique key.
    public var uniqueKey: String?

    /// The per-attempt time limit, if any.
    public var timeout: Duration? {
        timeoutMilliseconds.map { .milliseconds($0) }
    }

    /// Makes a new pending task. ``TaskService/create(_:payload:options:createdBy:onComplete:)``
    /// is the way host code creates tasks; stores and tests use this initializer directly.
    public init(
        id: TaskID = TaskID(),
        type: String,
        priority: Int = TaskTypeDefaults.standardPriority,
        payload: JSONValue? = nil,
        createdBy: String,
        maxRetries: Int = TaskTypeDefaults.standardMaxRetries,
        timeout: Duration? = nil,
        runAfter: Date? = nil,
        uniqueKey: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.type = type
        self.status = .pending
        self.priority = priority
        self.payload = payload
        self.result = nil
        self.errorMessage = nil
        self.progress = 0
        self.createdBy = createdBy
        self.artifact = nil
        self.attempts = 0
        self.maxRetries = maxRetries
        self.manualRetries = 0
        self.timeoutMilliseconds = timeout.map(\.wholeMilliseconds)
        self.runAfter = runAfter ?? createdAt
        self.createdAt = createdAt
        self.startedAt = nil
        self.finishedAt = nil
        self.updatedAt = createdAt
        self.deletedAt = nil
        self.cancelRequested = false
        self.leaseOwner = nil
        self.leaseExpiresAt = nil
        self.version = 0
        self.uniqueKey = uniqueKey
    }

    /// Decodes this task's payload as `T`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when there is no payload or it does not
    ///   match `T`.
    public func decodePayload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let payload else {
            throw TaskworksError.invalidInput(
                "task \(id) of type '\(self.type)' has no payload; expected \(T.self)")
        }
        return try payload.decode(T.self)
    }
}

extension Duration {
    /// The duration rounded down to whole milliseconds, saturating at the `Int64` range.
    var wholeMilliseconds: Int64 {
        let parts = components
        let (milliseconds, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return parts.seconds < 0 ? .min : .max }
        let (total, overflowAdding) = milliseconds.addingReportingOverflow(
            parts.attoseconds / 1_000_000_000_000_000)
        return overflowAdding ? (milliseconds < 0 ? .min : .max) : total
    }

    /// The duration in seconds, as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

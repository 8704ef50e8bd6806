import Foundation

/// Per-task choices given at create. Anything left `nil` falls back to the task type's
/// ``TaskTypeDefaults`` registered in the ``TaskRegistry``.
///
/// ```swift
/// let options = TaskOptions(maxRetries: 3, priority: 7, timeout: .seconds(30))
/// ```
public struct TaskOptions: Sendable {
    /// Automatic retries after a failed attempt (0 to 100).
    public var maxRetries: Int?
    /// 1 (lowest) to 10 (highest).
    public var priority: Int?
    /// The longest one attempt may run (at least 1 ms).
    public var timeout: Duration?
    /// Do not start before this date.
    public var runAfter: Date?
    /// Do not start until this long after creation (give `runAfter` or `delay`, not both).
    public var delay: Duration?
    /// While a task with this key is pending or running, creating another returns that task
    /// instead of a duplicate (``TaskService/submit(_:payload:options:createdBy:onComplete:)``
    /// says which happened). Checked atomically by the store, also across processes.
    public var uniqueKey: String?

    /// Makes options; every value is optional.
    public init(
        maxRetries: Int? = nil, priority: Int? = nil, timeout: Duration? = nil, runAfter: Date? = nil,
        delay: Duration? = nil, uniqueKey: String? = nil
    ) {
        self.maxRetries = maxRetries
        self.priority = priority
        self.timeout = timeout
        self.runAfter = runAfter
        self.delay = delay
        self.uniqueKey = uniqueKey
    }
}

import Foundation

/// Per-task choices given at create. Anything left `nil` falls back to the task type's
/// ``TaskTypeDefaults`` registered in the ``TaskRegistry``.
///
/// ```swift
/// let options = TaskOptions(maxRetries: 3, priority: 7, timeout: .seconds(30))
/// ```
public struct TaskOptions: Sendable {
    /// The longest ``timeout`` (and type default timeout) accepted: 366 days.
    public static let maximumTimeout = Duration.seconds(366 * 86_400)
    /// The longest ``delay`` accepted, and how far ahead ``runAfter`` may lie: 100 years.
    public static let maximumDelay = Duration.seconds(36_525 * 86_400)

    /// Automatic retries after a failed attempt (0 to 100).
    public var maxRetries: Int?
    /// 1 (lowest) to 10 (highest).
    public var priority: Int?
    /// The longest one attempt may run: 1 ms to ``maximumTimeout`` (366 days).
    public var timeout: Duration?
    /// Do not start before this date: a finite date at most ``maximumDelay`` (100 years) from
    /// now; a past date means now.
    public var runAfter: Date?
    /// Do not start until this long after creation: 0 to ``maximumDelay`` (100 years). Give
    /// `runAfter` or `delay`, not both.
    public var delay: Duration?
    /// While a task with this key is pending or running, creating another returns that task
    /// instead of a duplicate (``TaskService/createReportingDuplicate(_:payload:options:createdBy:onComplete:)``
    /// says which happened). Checked atomically by the store, also across processes.
    public var uniqueKey: String?
    /// Strings stored with the task and shown with it (see ``TaskMetadata`` for the limits);
    /// entries from ``TaskService/Configuration/metadataProviders`` are added to these.
    public var metadata: [String: String]?

    /// Makes options; every value is optional.
    public init(
        maxRetries: Int? = nil, priority: Int? = nil, timeout: Duration? = nil, runAfter: Date? = nil,
        delay: Duration? = nil, uniqueKey: String? = nil, metadata: [String: String]? = nil
    ) {
        self.maxRetries = maxRetries
        self.priority = priority
        self.timeout = timeout
        self.runAfter = runAfter
        self.delay = delay
        self.uniqueKey = uniqueKey
        self.metadata = metadata
    }
}

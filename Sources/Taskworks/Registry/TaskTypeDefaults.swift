/// Defaults a task type gives its tasks when the creator's ``TaskOptions`` leave a value unset.
///
/// ```swift
/// try registry.register("nightly_report", defaults: .init(maxRetries: 5, timeout: .seconds(600))) {
///     _ in ReportRunner()
/// }
/// ```
public struct TaskTypeDefaults: Sendable, Hashable {
    /// Priority used when neither options nor type defaults give one.
    public static let standardPriority = 5
    /// Automatic retries used when neither options nor type defaults give a number.
    public static let standardMaxRetries = 3

    /// Automatic retries after a failed attempt.
    public var maxRetries: Int
    /// The longest one attempt may run; `nil` means no limit.
    public var timeout: Duration?
    /// Priority, 1 to 10.
    public var priority: Int

    /// Makes defaults: 3 retries, no timeout, priority 5 unless given.
    public init(
        maxRetries: Int = TaskTypeDefaults.standardMaxRetries,
        timeout: Duration? = nil,
        priority: Int = TaskTypeDefaults.standardPriority
    ) {
        self.maxRetries = maxRetries
        self.timeout = timeout
        self.priority = priority
    }

    /// Checks ranges: retries 0–100, priority 1–10, timeout 1 ms to 366 days.
    func validate(for typeName: String) throws {
        try TaskTypeDefaults.checkRetries(maxRetries, context: "default maxRetries of '\(typeName)'")
        try TaskTypeDefaults.checkPriority(priority, context: "default priority of '\(typeName)'")
        try TaskTypeDefaults.checkTimeout(timeout, context: "default timeout of '\(typeName)'")
    }

    static func checkRetries(_ value: Int, context: String) throws {
        guard (0...100).contains(value) else {
            throw TaskworksError.invalidInput("\(context) must be between 0 and 100; got \(value)")
        }
    }

    static func checkPriority(_ value: Int, context: String) throws {
        guard (1...10).contains(value) else {
            throw TaskworksError.invalidInput(
                "\(context) must be between 1 (lowest) and 10 (highest); got \(value)")
        }
    }

    static func checkTimeout(_ value: Duration?, context: String) throws {
        if let value, value < .milliseconds(1) || value > TaskOptions.maximumTimeout {
            throw TaskworksError.invalidInput(
                "\(context) must be between 1 ms and \(TaskOptions.maximumTimeout) (366 days); got \(value)")
        }
    }
}

/// How much a runner's log line matters.
public enum TaskLogLevel: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Detail for debugging.
    case debug
    /// Normal progress worth recording.
    case info
    /// Something unusual that is not an error.
    case notice
    /// Something went wrong but the attempt goes on.
    case warning
    /// The attempt cannot do what it should.
    case error

    /// The plain name, e.g. `warning`.
    public var description: String { rawValue }

    /// Orders levels from `debug` to `error`.
    public static func < (lhs: TaskLogLevel, rhs: TaskLogLevel) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One line a runner logged through ``TaskContext/log(_:_:metadata:)``, with the attempt it came
/// from: `metadata` always holds `task.id`, `task.type` and `task.attempt`, plus what the runner
/// added.
public struct TaskLogRecord: Sendable, Hashable {
    /// How much it matters.
    public var level: TaskLogLevel
    /// What the runner said.
    public var message: String
    /// `task.id`, `task.type`, `task.attempt` and the runner's own keys.
    public var metadata: [String: String]

    /// Makes a record.
    public init(level: TaskLogLevel, message: String, metadata: [String: String]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }
}

/// Where runners' log lines go: set ``TaskService/Configuration/runnerLogHandler`` to forward them
/// to your logging backend (the swift-log bridge of the adapters, say).
public typealias TaskLogHandler = @Sendable (TaskLogRecord) -> Void

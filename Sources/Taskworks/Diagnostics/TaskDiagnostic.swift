/// One message of Taskworks' own, not a runner's: a completion callback that threw, a worker
/// pool's store error, a file store warning, a schedule that skipped a tick. Delivered to the
/// host's ``TaskDiagnostics`` sink.
public struct TaskDiagnostic: Sendable, Hashable {
    /// How much it matters.
    public var level: TaskLogLevel
    /// What happened, in words.
    public var message: String
    /// Where it happened: `component` always (`service`, `worker-pool`, `scheduler`,
    /// `file-store`, `postgres-store`), plus what applies of `task.id`, `task.type`, `worker.id`,
    /// `schedule`, `store.path`, `artifact.key`; `repeated` when identical messages were held
    /// back before this one (how many).
    public var metadata: [String: String]

    /// Makes a diagnostic.
    public init(level: TaskLogLevel, message: String, metadata: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }

    /// `taskworks: [level] component: message (key=value, …)`, one line, as written to standard
    /// error by default.
    public var line: String {
        let component = metadata["component"].map { "\($0): " } ?? ""
        let details = metadata.filter { $0.key != "component" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "taskworks: [\(level)] \(component)\(message)" + (details.isEmpty ? "" : " (\(details))")
    }
}

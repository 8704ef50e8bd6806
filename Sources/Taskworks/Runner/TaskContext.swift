/// What a runner gets for one attempt: the task, its payload, progress reporting,
/// cancellation, and a place to attach an artifact.
///
/// Progress is cheap to report as often as you like: it is clamped to 0–100, never moves
/// backwards, and is written to the store at most every 250 ms and only after a change of at
/// least one point; success always stores 100.
///
/// Cancellation is cooperative and arrives two ways, use either: Swift `Task` cancellation
/// (so `Task.sleep`, `URLSession` and friends stop on their own), and ``isCancelled`` /
/// ``checkCancellation()`` for loops.
public final class TaskContext: Sendable {
    /// The task as claimed for this attempt (status `running`).
    public let task: TaskRecord
    /// The pool's side of the attempt: stop requests, progress to store, written artifacts.
    let control: AttemptControl
    /// Where ``writeArtifact(fileName:contentType:_:)`` stores files.
    let artifactStore: (any ArtifactStore)?
    /// Where ``log(_:_:metadata:)`` sends lines.
    private let logHandler: TaskLogHandler?
    private var state: LockedState<AttemptControl.State> { control.state }

    init(
        task: TaskRecord, supervisorWakeUp: WakeUpCall? = nil, artifactStore: (any ArtifactStore)? = nil,
        progressObserver: (@Sendable (Int) -> Void)? = nil, logHandler: TaskLogHandler? = nil
    ) {
        self.task = task
        self.control = AttemptControl(
            progress: task.progress, supervisorWakeUp: supervisorWakeUp, progressObserver: progressObserver)
        self.artifactStore = artifactStore
        self.logHandler = logHandler
    }

    /// Decodes the task's payload as `T`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when there is no payload or it does not
    ///   match `T`. Throw it on: a payload that does not decode fails the attempt.
    public func payload<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try task.decodePayload(as: T.self)
    }

    /// Reports progress as a whole percentage, 0–100: the one number type progress has end to end
    /// (``TaskRecord/progress``, events and the HTTP API read it back as the same `Int`). Values
    /// are clamped to 0–100, and a value lower than one already reported is ignored.
    public func reportProgress(_ percent: Int) {
        control.report(min(100, max(0, percent)))
    }

    /// Reports `completed` of `total` steps as a percentage (rounded down): `reportProgress(
    /// completed: 3, of: 4)` is 75. A `total` of 0 or less reports nothing; `completed` is clamped
    /// to 0…`total`, so no count overflows.
    public func reportProgress(completed: Int, of total: Int) {
        guard total > 0 else { return }
        let done = min(total, max(0, completed))
        reportProgress(Int((Double(done) / Double(total) * 100).rounded(.down)))
    }

    /// Logs a line from the runner to the host's backend
    /// (``TaskService/Configuration/runnerLogHandler``), tagged with `task.id`, `task.type` and
    /// `task.attempt`; `metadata` adds keys of its own (it cannot replace those three).
    ///
    /// ```swift
    /// context.log(.info, "exported page", metadata: ["page": "\(page)"])
    /// ```
    public func log(_ level: TaskLogLevel, _ message: String, metadata: [String: String] = [:]) {
        guard let logHandler else { return }
        var tags = state.withLock { $0.logMetadata }.merging(metadata) { _, own in own }
        tags["task.id"] = task.id.string
        tags["task.type"] = task.type
        tags["task.attempt"] = String(task.attempts)
        logHandler(TaskLogRecord(level: level, message: message, metadata: tags))
    }

    /// Keys every later ``log(_:_:metadata:)`` line of this attempt carries, as set with
    /// ``setLogMetadata(_:forKey:)`` (a line's own metadata wins over them).
    public var logMetadata: [String: String] { state.withLock { $0.logMetadata } }

    /// Tags every later log line of this attempt with `key` (`nil` removes it): how an
    /// ``TaskAttemptMiddleware`` decorates the context, with a trace id say.
    public func setLogMetadata(_ value: String?, forKey key: String) {
        state.withLock { $0.logMetadata[key] = value }
    }

    /// The progress reported so far in this attempt.
    public var progress: Int { state.withLock { $0.reportedProgress } }

    /// `true` once the task should stop: a caller cancelled it, it timed out, the pool is
    /// shutting down, or the runner's Swift `Task` was cancelled.
    public var isCancelled: Bool {
        Task.isCancelled || state.withLock { $0.stopReason != nil }
    }

    /// Throws `CancellationError` when ``isCancelled`` is `true`.
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }

    /// Attaches a file this attempt produced. It is stored with the task when the attempt
    /// succeeds; a failed or cancelled attempt keeps none.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for an unusable key or file name.
    public func setArtifact(key: String, fileName: String) throws {
        let artifact = try TaskArtifact(key: key, fileName: fileName)
        state.withLock { $0.artifact = artifact }
    }

    /// Streams a file into the service's ``ArtifactStore`` under a fresh key and attaches it to
    /// the task. The file appears atomically; if `produce` throws, or the attempt does not end
    /// `succeeded`, the file is removed.
    ///
    /// ```swift
    /// try await context.writeArtifact(fileName: "report.csv", contentType: "text/csv") { out in
    ///     for row in rows { try await out.write(row.csvLine) }
    /// }
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the service has no artifact store or
    ///   the file name is unusable; whatever `produce` or the store throws.
    @discardableResult
    public func writeArtifact(
        fileName: String, contentType: String, _ produce: (ArtifactWriter) async throws -> Void
    ) async throws -> TaskArtifact {
        guard let artifactStore else {
            throw TaskworksError.invalidInput(
                "no ArtifactStore is configured; pass artifacts: to TaskService(store:registry:artifacts:)")
        }
        let key = ArtifactKey(for: task.id)
        let artifact = try TaskArtifact(key: key.rawValue, fileName: fileName, contentType: contentType)
        _ = try await artifactStore.write(key, produce)
        state.withLock {
            $0.writtenArtifacts.append(key)
            $0.artifact = artifact
        }
        return artifact
    }

    /// The artifact set by the runner, if any.
    public var artifact: TaskArtifact? { state.withLock { $0.artifact } }
}

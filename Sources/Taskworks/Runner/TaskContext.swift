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
    /// Why the framework asked the runner to stop.
    enum StopReason: Sendable, Equatable {
        case cancelRequested
        case timedOut(Duration)
        case shutdown
        case leaseLost
    }

    private struct State: Sendable {
        var reportedProgress: Int
        var progressDirty = false
        var artifact: TaskArtifact?
        var stopReason: StopReason?
        /// Artifacts written through ``writeArtifact(fileName:contentType:_:)`` in this attempt.
        var writtenArtifacts: [ArtifactKey] = []
        /// The task running the runner, cancelled when a stop is requested.
        var runner: Task<(any Encodable & Sendable)?, any Error>?
        /// The worker loop running the runner inline, cancelled when a stop is requested.
        var inlineLoop: WorkerLoopHandle?
        /// Keys every ``log(_:_:metadata:)`` line of this attempt carries (set by middleware).
        var logMetadata: [String: String] = [:]
    }

    /// The task as claimed for this attempt (status `running`).
    public let task: TaskRecord
    private let state: LockedState<State>
    /// Wakes the pool's lease supervisor when new progress needs writing.
    private let supervisorWakeUp: WakeUpCall?
    /// Where ``writeArtifact(fileName:contentType:_:)`` stores files.
    let artifactStore: (any ArtifactStore)?
    /// Hears every progress value that moved the progress (the test kit records them).
    private let progressObserver: (@Sendable (Int) -> Void)?
    /// Where ``log(_:_:metadata:)`` sends lines.
    private let logHandler: TaskLogHandler?

    init(
        task: TaskRecord, supervisorWakeUp: WakeUpCall? = nil, artifactStore: (any ArtifactStore)? = nil,
        progressObserver: (@Sendable (Int) -> Void)? = nil, logHandler: TaskLogHandler? = nil
    ) {
        self.task = task
        self.supervisorWakeUp = supervisorWakeUp
        self.artifactStore = artifactStore
        self.progressObserver = progressObserver
        self.logHandler = logHandler
        self.state = LockedState(State(reportedProgress: task.progress))
    }

    /// Starts the runner in its own task (so a stop request can cancel it at once) and returns
    /// how it ended.
    func run(_ runner: any TaskRunner) async -> Result<(any Encodable & Sendable)?, any Error> {
        // An unstructured task on purpose: it is the handle a stop request cancels, and it is
        // awaited right here, so it never outlives the attempt. `immediate` starts it on this
        // thread, so a runner that does not suspend costs no thread hand-off at all.
        // A stop requested before the start means the runner never starts: an immediate task would
        // run its body up to the first suspension before the check below.
        if stopReason != nil { return .failure(CancellationError()) }
        let task: Task<(any Encodable & Sendable)?, any Error>
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            task = Task.immediate { try await runner.run(self) }
        } else {
            task = Task { try await runner.run(self) }
        }
        let stopAlreadyRequested = state.withLock { state -> Bool in
            state.runner = task
            return state.stopReason != nil
        }
        if stopAlreadyRequested { task.cancel() }
        let result = await task.result
        state.withLock { $0.runner = nil }
        return result
    }

    /// Runs the runner in the calling task, a worker loop's (see ``WorkerLoopHandle``): no task
    /// of its own, and a stop request cancels `loop`. Returns how the runner ended and whether a
    /// stop was requested while it ran; then the loop's task may be cancelled at any moment, so
    /// the loop must run no further attempt.
    nonisolated(nonsending) func runInline(
        _ runner: any TaskRunner, cancelling loop: WorkerLoopHandle
    ) async -> (Result<(any Encodable & Sendable)?, any Error>, stopRequested: Bool) {
        let stoppedBeforeStart = state.withLock { state -> Bool in
            guard state.stopReason == nil else { return true }
            state.inlineLoop = loop
            return false
        }
        if stoppedBeforeStart { return (.failure(CancellationError()), true) }
        let result: Result<(any Encodable & Sendable)?, any Error>
        do {
            result = .success(try await runner.run(self))
        } catch {
            result = .failure(error)
        }
        // A stop request reads `inlineLoop` in the same critical section that sets the reason:
        // if none is set here, none can cancel the loop from now on.
        let stopRequested = state.withLock { state -> Bool in
            state.inlineLoop = nil
            return state.stopReason != nil
        }
        return (result, stopRequested)
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
        let whole = min(100, max(0, percent))
        let (moved, wake) = state.withLock { state -> (Bool, Bool) in
            guard whole > state.reportedProgress else { return (false, false) }
            state.reportedProgress = whole
            let wasClean = !state.progressDirty
            state.progressDirty = true
            return (true, wasClean)
        }
        if wake { supervisorWakeUp?.notify() }
        if moved, let progressObserver { progressObserver(whole) }
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

    /// Keys this attempt wrote that the stored task does not keep (all of them unless the task
    /// succeeded with one as its artifact).
    func artifactsToDiscard(keeping kept: TaskArtifact?) -> [ArtifactKey] {
        state.withLock { $0.writtenArtifacts.filter { $0.rawValue != kept?.key } }
    }

    /// The artifact set by the runner, if any.
    public var artifact: TaskArtifact? { state.withLock { $0.artifact } }

    /// Records why the runner must stop (the first reason wins) and cancels the runner's task.
    /// Returns `true` if this call set the reason.
    @discardableResult
    func requestStop(_ reason: StopReason) -> Bool {
        let (set, runner, loop) = state.withLock {
            state -> (Bool, Task<(any Encodable & Sendable)?, any Error>?, WorkerLoopHandle?) in
            guard state.stopReason == nil else { return (false, nil, nil) }
            state.stopReason = reason
            return (true, state.runner, state.inlineLoop)
        }
        runner?.cancel()
        loop?.cancel()
        return set
    }

    var stopReason: StopReason? { state.withLock { $0.stopReason } }

    /// Takes the progress to store if it changed since the last take.
    func takeDirtyProgress() -> Int? {
        state.withLock { state in
            guard state.progressDirty else { return nil }
            state.progressDirty = false
            return state.reportedProgress
        }
    }
}

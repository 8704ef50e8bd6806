import Foundation

/// The pool's side of one attempt: why its runner must stop, the task or worker loop to cancel
/// for it, the progress still to store, the artifacts it wrote. A runner never sees it: its
/// ``TaskContext`` offers the runner's API only and keeps this as an internal member (a value: its
/// lock's storage is the one object it adds to an attempt).
struct AttemptControl: Sendable {
    /// Why the framework asked the runner to stop.
    enum StopReason: Sendable, Equatable {
        case cancelRequested
        case timedOut(Duration)
        case shutdown
        case leaseLost
    }

    struct State: Sendable {
        var reportedProgress: Int
        var progressDirty = false
        var artifact: TaskArtifact?
        var stopReason: StopReason?
        /// Artifacts written through ``TaskContext/writeArtifact(fileName:contentType:_:)`` in this attempt.
        var writtenArtifacts: [ArtifactKey] = []
        /// The task running the runner, cancelled when a stop is requested.
        var runner: Task<(any Encodable & Sendable)?, any Error>?
        /// The worker loop running the runner inline, cancelled when a stop is requested.
        var inlineLoop: WorkerLoopHandle?
        /// Keys every ``TaskContext/log(_:_:metadata:)`` line of this attempt carries (set by middleware).
        var logMetadata: [String: String] = [:]
    }

    let state: LockedState<State>
    /// Wakes the pool's lease supervisor when new progress needs writing.
    let supervisorWakeUp: WakeUpCall?
    /// Hears every progress value that moved the progress (the test kit records them).
    let progressObserver: (@Sendable (Int) -> Void)?

    init(progress: Int, supervisorWakeUp: WakeUpCall?, progressObserver: (@Sendable (Int) -> Void)?) {
        self.state = LockedState(State(reportedProgress: progress))
        self.supervisorWakeUp = supervisorWakeUp
        self.progressObserver = progressObserver
    }

    /// Starts the runner in its own task (so a stop request can cancel it at once) and returns
    /// how it ended.
    func run(_ runner: any TaskRunner, in context: TaskContext) async -> Result<
        (any Encodable & Sendable)?, any Error
    > {
        // An unstructured task on purpose: it is the handle a stop request cancels, and it is
        // awaited right here, so it never outlives the attempt. `immediate` starts it on this
        // thread, so a runner that does not suspend costs no thread hand-off at all.
        // A stop requested before the start means the runner never starts: an immediate task would
        // run its body up to the first suspension before the check below.
        if stopReason != nil { return .failure(CancellationError()) }
        let task: Task<(any Encodable & Sendable)?, any Error>
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            task = Task.immediate { try await runner.run(context) }
        } else {
            task = Task { try await runner.run(context) }
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
        _ runner: any TaskRunner, in context: TaskContext, cancelling loop: WorkerLoopHandle
    ) async -> (Result<(any Encodable & Sendable)?, any Error>, stopRequested: Bool) {
        let stoppedBeforeStart = state.withLock { state -> Bool in
            guard state.stopReason == nil else { return true }
            state.inlineLoop = loop
            return false
        }
        if stoppedBeforeStart { return (.failure(CancellationError()), true) }
        let result: Result<(any Encodable & Sendable)?, any Error>
        do {
            result = .success(try await runner.run(context))
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

    /// Keys this attempt wrote that the stored task does not keep (all of them unless the task
    /// succeeded with one as its artifact).
    func artifactsToDiscard(keeping kept: TaskArtifact?) -> [ArtifactKey] {
        state.withLock { $0.writtenArtifacts.filter { $0.rawValue != kept?.key } }
    }

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

    /// Records a progress report (already clamped) and wakes the supervisor when it is new.
    func report(_ whole: Int) {
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
}

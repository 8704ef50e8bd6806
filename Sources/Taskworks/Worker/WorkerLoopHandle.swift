/// The Swift task of one worker loop that runs its runners inline, in the loop's own task, so an
/// attempt costs no task of its own. A stop requested for the attempt running there cancels the
/// loop's task; the loop then retires after that attempt and the pool starts another in its place
/// (a cancelled task stays cancelled).
final class WorkerLoopHandle: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var cancelRequested = false
    }

    private let state = LockedState(State())

    init() {}

    /// Records the loop's task, cancelling it at once if a stop came first.
    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelRequested
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels the loop's task (as soon as it is attached).
    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.cancelRequested = true
            return state.task
        }
        task?.cancel()
    }
}

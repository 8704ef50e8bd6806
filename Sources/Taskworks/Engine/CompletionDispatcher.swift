/// Runs completion callbacks off the worker's path and keeps count of the ones still running.
///
/// Each callback runs in its own task, so a slow one never delays another callback, a worker or
/// a claim, and a throwing one is only reported. These tasks are unstructured on purpose: a
/// callback belongs to the task that finished, not to the call that finished it; they are
/// tracked here so ``waitUntilIdle()`` (and so ``WorkerPool`` shutdown) can await them.
final class CompletionDispatcher: Sendable {
    typealias ErrorHandler = @Sendable (TaskRecord, any Error) -> Void

    private struct State {
        var inFlight = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = LockedState(State())
    private let errorHandler: ErrorHandler

    init(errorHandler: @escaping ErrorHandler) {
        self.errorHandler = errorHandler
    }

    /// Starts every handler for `task`.
    func dispatch(_ task: TaskRecord, to handlers: [TaskCompletionHandler]) {
        guard !handlers.isEmpty else { return }
        state.withLock { $0.inFlight += handlers.count }
        for handler in handlers {
            Task {
                do {
                    try await handler(task)
                } catch {
                    errorHandler(task, error)
                }
                self.finishedOne()
            }
        }
    }

    /// Returns once no callback is running.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.inFlight == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func finishedOne() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

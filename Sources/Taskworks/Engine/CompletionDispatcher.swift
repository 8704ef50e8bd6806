import Synchronization

/// Runs completion callbacks off the worker's path and keeps count of the ones still running.
///
/// Each callback runs in its own task, so a slow one never delays another callback, a worker or
/// a claim, and a throwing one is only reported. These tasks are unstructured on purpose: a
/// callback belongs to the task that finished, not to the call that finished it; they are
/// tracked here so ``waitUntilIdle()`` (and so ``WorkerPool`` shutdown) can await them.
final class CompletionDispatcher: Sendable {
    typealias ErrorHandler = @Sendable (TaskRecord, any Error) -> Void

    /// Callbacks started and not finished: counted without a lock, since every completion
    /// changes it twice and only shutdown waits on it.
    private let inFlight = Atomic<Int>(0)
    /// Who waits for ``inFlight`` to reach zero.
    private let idleWaiters = LockedState<[CheckedContinuation<Void, Never>]>([])
    private let errorHandler: ErrorHandler

    init(errorHandler: @escaping ErrorHandler) {
        self.errorHandler = errorHandler
    }

    /// Starts every handler for `task`.
    func dispatch(_ task: TaskRecord, to handlers: [TaskCompletionHandler]) {
        guard !handlers.isEmpty else { return }
        inFlight.add(handlers.count, ordering: .sequentiallyConsistent)
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
            // Checked under the waiters' lock, which the last finishing callback takes before it
            // resumes waiters: a waiter added while callbacks run is always resumed.
            let idle = idleWaiters.withLock { waiters -> Bool in
                if inFlight.load(ordering: .sequentiallyConsistent) == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func finishedOne() {
        guard inFlight.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 else { return }
        let waiters = idleWaiters.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            // A callback dispatched since the count reached zero keeps the waiters waiting for it.
            guard inFlight.load(ordering: .sequentiallyConsistent) == 0 else { return [] }
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

import Synchronization

/// Runs completion callbacks off the worker's path and keeps count of the ones still running.
///
/// Each callback runs in its own task, so a slow one never delays another callback, a worker or
/// a claim, and a throwing one is only reported. These tasks are unstructured on purpose: a
/// callback belongs to the task that finished, not to the call that finished it; they are
/// counted here so ``waitUntilIdle()`` and a pool's graceful shutdown
/// (``waitUntilIdle(before:on:)``) can await them.
final class CompletionDispatcher: Sendable {
    typealias ErrorHandler = @Sendable (TaskRecord, any Error) -> Void

    /// Callbacks started and not finished: counted without a lock, since every completion
    /// changes it twice and only shutdown waits on it.
    private let inFlight = Atomic<Int>(0)
    /// Notified each time the count reaches zero.
    private let becameIdle = WakeUpCall()
    private let errorHandler: ErrorHandler

    init(errorHandler: @escaping ErrorHandler) {
        self.errorHandler = errorHandler
    }

    /// How many callbacks run now.
    var runningCount: Int { inFlight.load(ordering: .sequentiallyConsistent) }

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

    /// Returns once no callback is running (or the calling task is cancelled).
    func waitUntilIdle() async {
        // A count that reaches zero between the check and the wait leaves a permit: the wait
        // returns at once and the count is checked again.
        while runningCount > 0 && !Task.isCancelled {
            await becameIdle.wait()
        }
    }

    /// Returns once no callback is running, or once `clock` reaches `deadline` (on its timers),
    /// or when the calling task is cancelled; says whether every callback had finished.
    func waitUntilIdle(before deadline: MonotonicInstant, on clock: any TaskClock) async -> Bool {
        while runningCount > 0 {
            let remaining = clock.monotonicNow.duration(until: deadline)
            if remaining <= .zero || Task.isCancelled { return false }
            await becameIdle.wait(timeout: remaining, on: clock)
        }
        return true
    }

    private func finishedOne() {
        if inFlight.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { becameIdle.notify() }
    }
}

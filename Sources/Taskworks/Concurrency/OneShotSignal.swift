/// A signal raised once, which any number of tasks can await (before or after it is raised).
final class OneShotSignal: Sendable {
    private struct State {
        var raised = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = LockedState(State())

    init() {}

    /// Raises the signal: every waiter, present and future, goes on.
    func raise() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.raised = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the signal is raised.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let raised = state.withLock { state -> Bool in
                if state.raised { return true }
                state.waiters.append(continuation)
                return false
            }
            if raised { continuation.resume() }
        }
    }
}

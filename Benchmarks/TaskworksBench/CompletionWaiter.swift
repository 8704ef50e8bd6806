import Foundation
import Taskworks

/// Tells a workload when `n` tasks of one type have finished, from the registry's completion
/// observer: the drain's end is an event, not a poll of the store's counts.
final class CompletionWaiter: Sendable {
    private struct State: Sendable {
        var finished = 0
        var target = Int.max
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = LockedState(State())

    /// Observes every task of `type` that reaches a terminal state through `registry`.
    init(registry: TaskRegistry, type: String) {
        registry.onComplete(of: type) { [self] _ in self.oneFinished() }
    }

    /// Returns once `n` tasks have finished since this waiter was made.
    func wait(untilFinished n: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reached = state.withLock { state -> Bool in
                guard state.finished < n else { return true }
                state.target = n
                state.waiter = continuation
                return false
            }
            if reached { continuation.resume() }
        }
    }

    private func oneFinished() {
        let ready = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished += 1
            guard state.finished >= state.target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        ready?.resume()
    }
}

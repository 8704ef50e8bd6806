import Foundation
import Taskworks

/// Tells a workload when `n` tasks of one type have finished, from the registry's completion
/// observer: the drain's end is an event, not a poll of the store's counts.
final class CompletionWaiter: Sendable {
    private struct Counts: Sendable {
        var finished = 0
        var target = Int.max
    }

    private let counts = LockedState(Counts())
    private let reached = Latch<Void>()

    /// Observes every task of `type` that reaches a terminal state through `registry`.
    init(registry: TaskRegistry, type: String) {
        registry.onComplete(of: type) { [self] _ in self.oneFinished() }
    }

    /// Returns once `n` tasks have finished since this waiter was made (one wait per waiter).
    func wait(untilFinished n: Int) async {
        let done = counts.withLock { counts -> Bool in
            counts.target = n
            return counts.finished >= n
        }
        if done { reached.open() }
        await reached.wait()
    }

    private func oneFinished() {
        let done = counts.withLock { counts -> Bool in
            counts.finished += 1
            return counts.finished >= counts.target
        }
        if done { reached.open() }
    }
}

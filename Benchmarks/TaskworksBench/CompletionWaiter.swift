import Foundation
import Taskworks

/// Tells a workload when `n` tasks of one type have finished, from the registry's completion
/// observer: the drain's end is an event, not a poll of the store's counts.
///
/// `@unchecked Sendable` is safe: the mutable state (`finished`, `target`, `waiter`) is read and
/// written only between `lock.lock()` and `lock.unlock()`. (An `NSLock`, not
/// `Synchronization.Mutex`: ThreadSanitizer sees pthread locks, and the suite runs this binary
/// under it.)
final class CompletionWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = 0
    private var target = Int.max
    private var waiter: CheckedContinuation<Void, Never>?

    /// Observes every task of `type` that reaches a terminal state through `registry`.
    init(registry: TaskRegistry, type: String) {
        registry.onComplete(of: type) { [self] _ in self.oneFinished() }
    }

    /// Returns once `n` tasks have finished since this waiter was made.
    func wait(untilFinished n: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            let reached = finished >= n
            if !reached {
                target = n
                waiter = continuation
            }
            lock.unlock()
            if reached { continuation.resume() }
        }
    }

    private func oneFinished() {
        lock.lock()
        finished += 1
        var ready: CheckedContinuation<Void, Never>?
        if finished >= target {
            ready = waiter
            waiter = nil
        }
        lock.unlock()
        ready?.resume()
    }
}

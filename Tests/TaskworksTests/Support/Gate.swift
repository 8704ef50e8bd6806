@testable import Taskworks

/// A one-way latch: waiters suspend until `open()`, then every wait returns at once.
/// `wait()` ignores task cancellation on purpose, to model a runner that finishes its work
/// even when asked to stop; `waitCancellable()` gives up when cancelled.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
    }

    private let state = LockedState(State())

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Waits until open, whatever happens to the calling task.
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await suspend(id)
    }

    /// Waits until open; throws `CancellationError` if the task is cancelled first.
    func waitCancellable() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await suspend(id)
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.resume()
        }
        if !isOpen { throw CancellationError() }
    }

    private func suspend(_ id: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.isOpen || state.cancelled.contains(id) { return true }
                state.waiters[id] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A thread-safe counter table for "how many times did X happen".
final class Tally<Key: Hashable & Sendable>: Sendable {
    private let counts = LockedState<[Key: Int]>([:])

    func add(_ key: Key) {
        counts.withLock { $0[key, default: 0] += 1 }
    }

    subscript(key: Key) -> Int { counts.withLock { $0[key] ?? 0 } }

    var all: [Key: Int] { counts.withLock { $0 } }
}

/// Tracks how many of something run at once and the most ever seen.
final class ConcurrencyMeter: Sendable {
    private let state = LockedState((current: 0, maximum: 0, started: 0))

    func enter() {
        state.withLock {
            $0.current += 1
            $0.started += 1
            $0.maximum = max($0.maximum, $0.current)
        }
    }

    func leave() {
        state.withLock { $0.current -= 1 }
    }

    var current: Int { state.withLock { $0.current } }
    var maximum: Int { state.withLock { $0.maximum } }
    var started: Int { state.withLock { $0.started } }
}

/// A runner that opens `started`, then blocks until its task is cancelled; it opens `stopped`
/// when it gives up (only if the context reports the cancellation too, so tests see that the
/// framework's flag and Swift cancellation agree), then rethrows.
func blockingRunner(started: Gate, stopped: Gate) -> ClosureTaskRunner {
    ClosureTaskRunner { context in
        started.open()
        do {
            try await Gate().waitCancellable()
        } catch {
            if context.isCancelled { stopped.open() }
            throw error
        }
        return nil
    }
}

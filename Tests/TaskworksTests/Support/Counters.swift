import TaskworksTesting

@testable import Taskworks

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
func blockingRunner(started: TestGate, stopped: TestGate) -> ClosureTaskRunner {
    ClosureTaskRunner { context in
        started.open()
        do {
            try await TestGate().wait()
        } catch {
            if context.isCancelled { stopped.open() }
            throw error
        }
        return nil
    }
}

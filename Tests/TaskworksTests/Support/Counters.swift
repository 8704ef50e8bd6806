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

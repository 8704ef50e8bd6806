import TaskworksTesting
import Testing

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

    /// How long a wait lasts at most: a gate nobody opens fails the test instead of hanging it.
    static let deadline = Duration.seconds(60)

    /// Waits until open, whatever happens to the calling task, for at most ``deadline``; a
    /// deadline that passes is recorded as a test failure and the wait returns.
    func wait(sourceLocation: SourceLocation = #_sourceLocation) async {
        await suspendUntilOpen(nextID(), cancellable: false)
        if !isOpen {
            Issue.record("a Gate was not opened within \(Gate.deadline)", sourceLocation: sourceLocation)
        }
    }

    /// Waits until open; throws `CancellationError` if the task is cancelled first, or
    /// ``DeadlineExceeded`` after ``deadline``.
    func waitCancellable(fileID: String = #fileID, line: Int = #line) async throws {
        await suspendUntilOpen(nextID(), cancellable: true)
        if isOpen { return }
        if Task.isCancelled { throw CancellationError() }
        throw DeadlineExceeded(what: "a Gate to open", timeout: Gate.deadline, fileID: fileID, line: line)
    }

    private func nextID() -> Int {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    /// Suspends until the gate opens, ``deadline`` passes or (when `cancellable`) the task is
    /// cancelled.
    private func suspendUntilOpen(_ id: Int, cancellable: Bool) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: Gate.deadline)
            self?.release(id)
        }
        defer { timer.cancel() }
        if cancellable {
            await withTaskCancellationHandler {
                await suspend(id)
            } onCancel: {
                release(id)
            }
        } else {
            await suspend(id)
        }
    }

    private func release(_ id: Int) {
        let waiter = state.withLock { state in
            state.cancelled.insert(id)
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume()
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

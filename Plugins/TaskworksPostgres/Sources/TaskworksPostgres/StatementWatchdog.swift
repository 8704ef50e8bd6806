import Foundation

/// Gives every statement of a store the same time limit, with one timer for all of them.
///
/// A statement runs in a task of its own and its caller waits on a continuation; when the
/// statement overruns, the caller gets ``StatementTimedOut`` and the statement is cancelled and
/// left behind (a statement on a connection the network dropped may never answer, and must not
/// hold up its caller or a shutdown). One timer task serves every statement: all have the same
/// limit, so a statement started later is never due earlier, and the timer sleeps until the
/// oldest running statement is due (or one limit, when none runs) and fails what is overdue. A
/// statement therefore sets no timer of its own, which a store running thousands of statements a
/// second would otherwise pay for in task switches.
final class StatementWatchdog: Sendable {
    /// The limit every statement gets.
    let limit: Duration
    private let clock = ContinuousClock()
    private let state = Locked(State())
    /// The timer task; cancelled by ``stop()``.
    private let timer = Locked<Task<Void, Never>?>(nil)

    private struct State {
        var nextID: UInt64 = 0
        /// Running statements by id; ids and deadlines grow together.
        var running: [UInt64: Running] = [:]
        var stopped = false
    }

    private struct Running {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    init(limit: Duration) {
        self.limit = limit
        let timerTask = Task { [weak self] in
            // Ends once the watchdog is gone or stopped; holds no reference while it sleeps.
            while let wake = self?.nextWake() {
                try? await Task.sleep(until: wake, clock: .continuous)
                guard !Task.isCancelled else { return }
                self?.expireOverdue()
            }
        }
        timer.withLock { $0 = timerTask }
    }

    /// Stops the timer; statements still running then run without a limit.
    func stop() {
        state.withLock { $0.stopped = true }
        timer.withLock { $0 }?.cancel()
    }

    /// `body`'s result, or ``StatementTimedOut`` (naming `what`) when it takes longer than
    /// ``limit``; an overrunning `body` is cancelled and not awaited.
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T
    {
        let limit = self.limit
        return try await withCheckedThrowingContinuation { continuation in
            let pending = Locked<CheckedContinuation<T, any Error>?>(continuation)
            let work = Locked<Task<Void, Never>?>(nil)
            /// Resumes the caller once: `true` for the first result, `false` after.
            @Sendable func finish(_ result: Result<T, any Error>) -> Bool {
                pending.withLock { waiting in
                    defer { waiting = nil }
                    waiting?.resume(with: result)
                    return waiting != nil
                }
            }
            let id = register {
                if finish(.failure(StatementTimedOut(limit: limit, what: what))) {
                    work.withLock { $0 }?.cancel()
                }
            }
            let task = Task {
                let result: Result<T, any Error>
                do {
                    result = .success(try await body())
                } catch {
                    result = .failure(error)
                }
                self.unregister(id)
                _ = finish(result)
            }
            work.withLock { $0 = task }
        }
    }

    private func register(expire: @escaping @Sendable () -> Void) -> UInt64 {
        state.withLock { state in
            let deadline = clock.now.advanced(by: limit)  // read under the lock: see nextWake()
            let id = state.nextID
            state.nextID &+= 1
            state.running[id] = Running(deadline: deadline, expire: expire)
            return id
        }
    }

    private func unregister(_ id: UInt64) {
        _ = state.withLock { $0.running.removeValue(forKey: id) }
    }

    /// When the oldest running statement is due, or one limit from now when none runs; `nil`
    /// once stopped. A statement registered after this call is due no earlier than that.
    private func nextWake() -> ContinuousClock.Instant? {
        state.withLock { state in
            guard !state.stopped else { return nil }
            return state.running.values.lazy.map(\.deadline).min() ?? clock.now.advanced(by: limit)
        }
    }

    /// Fails every statement that is due.
    private func expireOverdue() {
        let now = clock.now
        let overdue = state.withLock { state in
            let due = state.running.filter { $0.value.deadline <= now }
            for id in due.keys { state.running[id] = nil }
            return due.values.map(\.expire)
        }
        for expire in overdue { expire() }
    }
}

/// A statement got no answer within its limit (``PostgresTaskStore/Configuration/statementTimeout``).
struct StatementTimedOut: Error, CustomStringConvertible {
    let limit: Duration
    let what: String
    var description: String { "no answer within \(limit)" }
}

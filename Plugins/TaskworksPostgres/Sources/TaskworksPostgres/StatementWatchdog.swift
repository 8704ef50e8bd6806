#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    /// Gives every statement of a store the same time limit, with one timer for all of them, and
    /// fails a statement at once when the connection it runs on closes.
    ///
    /// A statement runs in a task of its own and its caller waits on a continuation; when the
    /// statement overruns, the caller gets ``StatementTimedOut`` and the statement is cancelled and
    /// left behind (a statement on a connection the network dropped may never answer, and must not
    /// hold up its caller or a shutdown). One timer task serves every statement: all have the same
    /// limit, so a statement started later is never due earlier, and the timer sleeps until the
    /// oldest running statement is due (or one limit, when none runs) and fails what is overdue. A
    /// statement therefore sets no timer of its own, which a store running thousands of statements a
    /// second would otherwise pay for in task switches.
    ///
    /// A statement that leases a connection says so with ``watchCurrentStatement(on:)``. When that
    /// connection closes (a server restart, a terminated backend) before the statement finishes, the
    /// caller gets ``ConnectionClosedUnderStatement`` at once: postgres-nio never answers a statement
    /// written to a connection that closed just before (its write fails on the closed channel and
    /// nothing fails the statement), which would otherwise hold the caller for the whole limit. Each
    /// connection's close is watched once, not once per statement.
    final class StatementWatchdog: Sendable {
        /// The limit every statement gets.
        let limit: Duration
        /// ``limit`` in nanoseconds, worked out once.
        private let limitNanoseconds: UInt64
        /// Whose timers measure the limit (the system's monotonic clock unless a test gives one).
        private let clock: any TaskClock
        private let state = LockedState(State())
        /// The timer task; cancelled by ``stop()``.
        private let timer = LockedState<Task<Void, Never>?>(nil)

        private struct State {
            var nextID: UInt64 = 0
            /// Running statements by id; ids and deadlines grow together.
            var running: [UInt64: Running] = [:]
            /// The running statements on each open connection whose close is watched.
            var statementsOn: [PostgresConnection.ID: Set<UInt64>] = [:]
            var stopped = false

            /// Forgets statement `id` (and which connection it ran on); returns it if it ran.
            mutating func remove(_ id: UInt64) -> Running? {
                guard let running = running.removeValue(forKey: id) else { return nil }
                if let connection = running.connection { statementsOn[connection]?.remove(id) }
                return running
            }
        }

        private struct Running {
            let deadline: MonotonicInstant
            /// What the statement does, for its ``StatementTimedOut``.
            let what: String
            let expire: @Sendable (any Error) -> Void
            var connection: PostgresConnection.ID?
        }

        /// The statement the current task runs for, set by ``run(_:_:)``.
        @TaskLocal private static var current: (watchdog: StatementWatchdog, id: UInt64)?

        init(limit: Duration, clock: any TaskClock = SystemTaskClock()) {
            self.limit = limit
            self.limitNanoseconds = MonotonicInstant.nanoseconds(of: limit)
            self.clock = clock
            let timerTask = Task { [weak self] in
                // Ends once the watchdog is gone or stopped; holds no reference while it sleeps.
                while let wake = self?.nextWake() {
                    try? await clock.sleep(for: clock.monotonicNow.duration(until: wake))
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
        func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws
            -> T
        {
            return try await withCheckedThrowingContinuation { continuation in
                let pending = LockedState<CheckedContinuation<T, any Error>?>(continuation)
                let work = LockedState<Task<Void, Never>?>(nil)
                /// Resumes the caller once: `true` for the first result, `false` after.
                @Sendable func finish(_ result: Result<T, any Error>) -> Bool {
                    pending.withLock { waiting in
                        defer { waiting = nil }
                        waiting?.resume(with: result)
                        return waiting != nil
                    }
                }
                let id = register(what) { error in
                    if finish(.failure(error)) {
                        work.withLock { $0 }?.cancel()
                    }
                }
                let task = Task {
                    let result: Result<T, any Error>
                    do {
                        result = .success(try await Self.$current.withValue((self, id)) { try await body() })
                    } catch {
                        result = .failure(error)
                    }
                    self.unregister(id)
                    _ = finish(result)
                }
                work.withLock { $0 = task }
            }
        }

        private func register(_ what: String, expire: @escaping @Sendable (any Error) -> Void) -> UInt64 {
            state.withLock { state in
                // Read under the lock: see nextWake().
                let deadline = clock.monotonicNow.advanced(by: limitNanoseconds)
                let id = state.nextID
                state.nextID &+= 1
                state.running[id] = Running(deadline: deadline, what: what, expire: expire)
                return id
            }
        }

        private func unregister(_ id: UInt64) {
            _ = state.withLock { $0.remove(id) }
        }

        /// Fails the statement the current task runs for (if it runs under a watchdog) as soon as
        /// `connection` closes; call it once the statement has leased `connection`.
        static func watchCurrentStatement(on connection: PostgresConnection) {
            guard let (watchdog, id) = current else { return }
            watchdog.watch(id, on: connection)
        }

        private func watch(_ id: UInt64, on connection: PostgresConnection) {
            let firstStatementOnIt = state.withLock { state -> Bool in
                guard state.running[id] != nil else { return false }
                if let previous = state.running[id]?.connection { state.statementsOn[previous]?.remove(id) }
                state.running[id]?.connection = connection.id
                let isNew = state.statementsOn[connection.id] == nil
                state.statementsOn[connection.id, default: []].insert(id)
                return isNew
            }
            guard firstStatementOnIt else { return }
            // Runs at once when the connection closed already.
            let connectionID = connection.id
            connection.closeFuture.whenComplete { [weak self] _ in self?.connectionClosed(connectionID) }
        }

        /// How many statements run now (for tests).
        var runningCount: Int { state.withLock { $0.running.count } }

        /// How many open connections have running statements watched on them (for tests).
        var watchedConnectionCount: Int { state.withLock { $0.statementsOn.count } }

        /// Fails every statement running on the connection that closed.
        private func connectionClosed(_ connection: PostgresConnection.ID) {
            let failed = state.withLock { state in
                let ids = state.statementsOn.removeValue(forKey: connection) ?? []
                return ids.compactMap { state.running.removeValue(forKey: $0)?.expire }
            }
            for expire in failed { expire(ConnectionClosedUnderStatement()) }
        }

        /// When the oldest running statement is due, or one limit from now when none runs; `nil`
        /// once stopped. A statement registered after this call is due no earlier than that.
        private func nextWake() -> MonotonicInstant? {
            state.withLock { state in
                guard !state.stopped else { return nil }
                return state.running.values.lazy.map(\.deadline).min()
                    ?? clock.monotonicNow.advanced(by: limitNanoseconds)
            }
        }

        /// Fails every statement that is due.
        private func expireOverdue() {
            let now = clock.monotonicNow
            let overdue = state.withLock { state in
                let due = state.running.filter { $0.value.deadline <= now }.keys.compactMap {
                    state.remove($0)
                }
                return due.map { ($0.expire, StatementTimedOut(limit: limit, what: $0.what)) }
            }
            for (expire, error) in overdue { expire(error) }
        }
    }

    /// A statement got no answer within its limit (``PostgresTaskStore/Configuration/statementTimeout``).
    struct StatementTimedOut: Error, CustomStringConvertible {
        let limit: Duration
        let what: String
        var description: String { "no answer within \(limit)" }
    }

    /// The connection a statement ran on closed before the statement finished; whether a write it
    /// made committed is unknown.
    struct ConnectionClosedUnderStatement: Error, CustomStringConvertible {
        var description: String { "the connection closed under the statement" }
    }
#endif  // Postgres

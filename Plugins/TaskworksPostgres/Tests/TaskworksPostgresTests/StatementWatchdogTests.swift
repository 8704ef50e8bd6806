#if Postgres
    import Foundation
    import Testing

    @testable import TaskworksPostgres

    @Suite("PostgreSQL: statement time limit")
    struct StatementWatchdogTests {
        @Test func anAnsweredStatementGivesItsResult() async throws {
            let watchdog = StatementWatchdog(limit: .seconds(30))
            defer { watchdog.stop() }
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 0..<50 {
                    group.addTask { try await watchdog.run("statement \(value)") { value } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<50))
        }

        @Test func aStatementThatNeverAnswersTimesOutAndIsCancelled() async throws {
            let watchdog = StatementWatchdog(limit: .milliseconds(100))
            defer { watchdog.stop() }
            let cancelled = OneShot()
            let started = ContinuousClock.now
            do {
                _ = try await watchdog.run("the stuck statement") {
                    // Never answers by itself: only cancellation ends it.
                    await withTaskCancellationHandler {
                        await withCheckedContinuation { (waiting: CheckedContinuation<Void, Never>) in
                            cancelled.onFire { waiting.resume() }
                        }
                    } onCancel: {
                        cancelled.fire()
                    }
                    return 1
                }
                Issue.record("a statement that never answered returned")
            } catch let error as StatementTimedOut {
                #expect(error.what == "the stuck statement")
                #expect(error.limit == .milliseconds(100))
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(100))
            #expect(waited < .seconds(20))
            #expect(await cancelled.wait(upTo: .seconds(20)), "the overrunning statement was not cancelled")
        }

        @Test func aLaterStatementIsTimedFromItsOwnStart() async throws {
            // With nothing running, the timer sleeps until one limit (2 s) after it looked. A
            // statement that starts 1.5 s later and answers after 1 s ends past that wake-up, and must
            // still have had its whole limit from its own start.
            let watchdog = StatementWatchdog(limit: .seconds(2))
            defer { watchdog.stop() }
            _ = try await watchdog.run("quick") { 1 }
            try await Task.sleep(for: .milliseconds(1_500))
            let started = ContinuousClock.now
            let answer = try await watchdog.run("answered after 1 s") {
                try await Task.sleep(for: .seconds(1))
                return 2
            }
            #expect(answer == 2)
            #expect(ContinuousClock.now - started >= .seconds(1))
        }
    }

    /// Fires once; waiters and handlers registered before or after run once it has fired.
    final class OneShot: Sendable {
        private let state = LockedState<(fired: Bool, handlers: [@Sendable () -> Void])>((false, []))

        func fire() {
            let handlers = state.withLock { state -> [@Sendable () -> Void] in
                guard !state.fired else { return [] }
                state.fired = true
                defer { state.handlers = [] }
                return state.handlers
            }
            for handler in handlers { handler() }
        }

        func onFire(_ handler: @escaping @Sendable () -> Void) {
            let now = state.withLock { state -> Bool in
                if state.fired { return true }
                state.handlers.append(handler)
                return false
            }
            if now { handler() }
        }

        func wait() async {
            await withCheckedContinuation { (waiting: CheckedContinuation<Void, Never>) in
                onFire { waiting.resume() }
            }
        }

        /// Whether it fired within `limit`.
        func wait(upTo limit: Duration) async -> Bool {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if state.withLock({ $0.fired }) { return true }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return state.withLock { $0.fired }
        }
    }
#endif  // Postgres

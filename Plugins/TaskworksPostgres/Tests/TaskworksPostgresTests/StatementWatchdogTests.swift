#if Postgres
    import Foundation
    import Taskworks
    import TaskworksTesting
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
            let clock = ManualTaskClock()
            let watchdog = StatementWatchdog(limit: .milliseconds(100), clock: clock)
            defer { watchdog.stop() }
            let cancelled = TestGate()
            let running = Task {
                try await watchdog.run("the stuck statement") {
                    // Never answers by itself: only cancellation ends it.
                    try? await cancelled.waitIgnoringCancellation()
                    return 1
                }
            }
            try await eventually("the statement runs") { watchdog.runningCount == 1 }
            clock.advance(by: 0.099)
            #expect(watchdog.runningCount == 1, "the statement timed out before its limit")
            clock.advance(by: 0.001)
            do {
                _ = try await value(of: running, "the stuck statement to time out")
                Issue.record("a statement that never answered returned")
            } catch let error as StatementTimedOut {
                #expect(error.what == "the stuck statement")
                #expect(error.limit == .milliseconds(100))
            }
            #expect(watchdog.runningCount == 0)
            cancelled.open()
        }

        @Test func anOverrunningStatementIsCancelled() async throws {
            let clock = ManualTaskClock()
            let watchdog = StatementWatchdog(limit: .seconds(1), clock: clock)
            defer { watchdog.stop() }
            let cancelled = Latch<Void>()
            let running = Task {
                try await watchdog.run("the stuck statement") {
                    await withTaskCancellationHandler {
                        _ = await Latch<Void>().wait(timeout: .seconds(60), on: SystemTaskClock())
                    } onCancel: {
                        cancelled.open()
                    }
                    return 1
                }
            }
            try await eventually("the statement runs") { watchdog.runningCount == 1 }
            clock.advance(by: 1)
            await #expect(throws: StatementTimedOut.self) { try await value(of: running, "the timeout") }
            #expect(await cancelled.wait(timeout: .seconds(20), on: SystemTaskClock()) != nil)
        }

        @Test func aLaterStatementIsTimedFromItsOwnStart() async throws {
            // With nothing running, the timer sleeps until one limit (2 s) after it looked. A
            // statement that starts 1.5 s later and answers 1 s after that ends past that wake-up,
            // and must still have had its whole limit from its own start.
            let clock = ManualTaskClock()
            let watchdog = StatementWatchdog(limit: .seconds(2), clock: clock)
            defer { watchdog.stop() }
            _ = try await watchdog.run("quick") { 1 }
            try await eventually("the timer sleeps on the clock") { clock.sleeperCount == 1 }
            clock.advance(by: 1.5)
            let answer = TestGate()
            let running = Task {
                try await watchdog.run("answered after 1 s") {
                    try await answer.waitIgnoringCancellation()
                    return 2
                }
            }
            try await eventually("the statement runs") { watchdog.runningCount == 1 }
            clock.advance(by: 1)  // 2.5 s: past the timer's first wake-up, 1 s into the statement
            try await eventually("the timer sleeps again") { clock.sleeperCount == 1 }
            #expect(watchdog.runningCount == 1, "the statement was timed from the timer's wake-up")
            answer.open()
            #expect(try await value(of: running, "the answer") == 2)
        }
    }
#endif  // Postgres

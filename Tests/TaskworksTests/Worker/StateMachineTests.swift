import Foundation
import Testing

@testable import Taskworks

@Suite("Worker pool state machine")
struct WorkerPoolStateMachineTests {
    private func tasks(_ count: Int) -> [TaskRecord] {
        (0..<count).map { _ in Fixtures.record() }
    }

    @Test func startsOneLoopPerSlotAndOneFetcherAtATime() {
        var machine = WorkerPoolStateMachine(limit: 3)
        do {
            let value = machine.loopsToStart()
            #expect(value == 0)  // not running yet
        }
        let started = machine.start()
        let startedTwice = machine.start()
        #expect(started)
        #expect(!startedTwice)
        do {
            let value = machine.loopsToStart()
            #expect(value == 3)
        }
        do {
            let value = machine.loopsToStart()
            #expect(value == 0)
        }
        do {
            let value = machine.nextAction()
            #expect(value == .fetch(3))  // free slots, no extra round before any run
        }
        do {
            let value = machine.nextAction()
            #expect(value == .wait)  // someone is already fetching
        }
    }

    @Test func aFetchRunsOneTaskAndBuffersTheRest() {
        var machine = WorkerPoolStateMachine(limit: 3)
        _ = machine.start()
        _ = machine.loopsToStart()
        _ = machine.nextAction()
        let claimed = tasks(3)
        let (run, wakeOthers) = machine.fetched(claimed)
        #expect(run == claimed[0])
        #expect(wakeOthers)
        #expect(machine.running == 1)
        do {
            let value = machine.nextAction()
            #expect(value == .run(claimed[1]))
        }
        do {
            let value = machine.nextAction()
            #expect(value == .run(claimed[2]))
        }
        #expect(machine.running == 3)
        do {
            let value = machine.nextAction()
            #expect(value == .wait)  // every slot is taken: claim nothing
        }
    }

    @Test func anEmptyFetchLetsTheNextLoopFetch() {
        var machine = WorkerPoolStateMachine(limit: 2)
        _ = machine.start()
        _ = machine.loopsToStart()
        do {
            let value = machine.nextAction()
            #expect(value == .fetch(2))
        }
        let (run, wakeOthers) = machine.fetched([])
        #expect(run == nil)
        #expect(!wakeOthers)
        do {
            let value = machine.nextAction()
            #expect(value == .fetch(2))
        }
    }

    @Test(arguments: [1, 2, 4, 10])
    func aFetchNeverClaimsMoreThanTheFreeSlots(limit: Int) {
        // However short the runs were, a fetch asks only for loops that have nothing to run, and
        // a loop that finds every slot busy claims nothing.
        var machine = WorkerPoolStateMachine(limit: limit)
        _ = machine.start()
        _ = machine.loopsToStart()
        for _ in 0..<50 {
            guard case .fetch(let count) = machine.nextAction() else {
                Issue.record("expected a fetch")
                return
            }
            #expect(count == limit - machine.running)
            _ = machine.fetched(tasks(count))
            while case .run = machine.nextAction() {}
            #expect(machine.running == limit)
            #expect(machine.waitingCount == 0)
            machine.runnerStopped()
        }
        #expect(machine.running == limit - 1)
    }

    @Test func aLoopFindingEverySlotBusyAfterTheLimitWasLoweredClaimsNothing() {
        var machine = WorkerPoolStateMachine(limit: 3)
        _ = machine.start()
        _ = machine.loopsToStart()
        _ = machine.nextAction()
        _ = machine.fetched(tasks(3))
        _ = machine.nextAction()
        _ = machine.nextAction()
        machine.setLimit(1)
        machine.runnerStopped()
        do {
            let value = machine.nextAction()
            #expect(value == .exit)  // three loops for a limit of one
        }
        do {
            let value = machine.nextAction()
            #expect(value == .exit)
        }
        do {
            let value = machine.nextAction()
            #expect(value == .wait)  // the last loop: two runners still run, the limit is one
        }
    }

    @Test func loweringTheLimitStopsExtraLoopsAndRaisingItStartsMore() {
        var machine = WorkerPoolStateMachine(limit: 4)
        _ = machine.start()
        _ = machine.loopsToStart()
        machine.setLimit(2)
        do {
            let value = machine.nextAction()
            #expect(value == .exit)
        }
        do {
            let value = machine.nextAction()
            #expect(value == .exit)
        }
        #expect(machine.workers == 2)
        do {
            let value = machine.nextAction()
            #expect(value == .fetch(2))
        }
        machine.setLimit(5)
        do {
            let value = machine.loopsToStart()
            #expect(value == 3)
        }
    }

    @Test func shutdownHandsBackTheBufferAndStopsEveryLoop() {
        var machine = WorkerPoolStateMachine(limit: 2)
        let deadline = MonotonicInstant(nanoseconds: 5_000)
        machine.beginShutdown(force: true, deadline: deadline)
        #expect(
            !machine.isDraining && !machine.isForced, "a pool that is not running has nothing to shut down")
        _ = machine.start()
        _ = machine.loopsToStart()
        _ = machine.nextAction()
        let claimed = tasks(3)
        _ = machine.fetched(claimed)
        machine.beginShutdown(force: false, deadline: deadline)
        #expect(machine.isDraining && !machine.isForced)
        #expect(machine.shutdownDeadline == deadline)
        #expect(machine.takeBuffer() == Array(claimed.dropFirst()))
        do {
            let value = machine.nextAction()
            #expect(value == .exit)
        }
        do {
            let value = machine.loopsToStart()
            #expect(value == 0)
        }
        // Forcing after a graceful shutdown began keeps the first deadline.
        machine.beginShutdown(force: true, deadline: MonotonicInstant(nanoseconds: 9_000))
        #expect(machine.isForced && machine.shutdownDeadline == deadline)
        machine.stopped()
        #expect(!machine.isForced && machine.shutdownDeadline == nil)
        do {
            let value = machine.start()
            #expect(value)
        }
        #expect(machine.running == 0)
    }
}

@Suite("Task transitions")
struct TaskTransitionsTests {
    private let now = Fixtures.start.addingTimeInterval(100)

    private func running(attempts: Int = 1, maxRetries: Int = 3, cancelRequested: Bool = false) -> TaskRecord
    {
        var task = Fixtures.record(maxRetries: maxRetries)
        task.status = .running
        task.leaseOwner = "w1"
        task.leaseExpiresAt = Fixtures.start.addingTimeInterval(30)
        task.attempts = attempts
        task.cancelRequested = cancelRequested
        task.progress = 40
        return task
    }

    @Test func successStoresResultArtifactAndFullProgress() throws {
        let artifact = try TaskArtifact(key: "k", fileName: "f.csv")
        let next = try #require(
            TaskTransitions.finish(
                running(), owner: "w1", attempt: 1, startedAt: nil,
                outcome: .succeeded(result: .integer(1), artifact: artifact),
                progress: 50, now: now, retryDelay: .zero))
        #expect(next.status == .succeeded)
        #expect(next.progress == 100)
        #expect(next.result == .integer(1))
        #expect(next.artifact == artifact)
        #expect(next.leaseOwner == nil)
        #expect(next.finishedAt == now)
    }

    @Test func aStaleWorkerWritesNothing() {
        let outcome = TaskTransitions.AttemptOutcome.succeeded(result: nil, artifact: nil)
        #expect(
            TaskTransitions.finish(
                running(), owner: "w2", attempt: 1, startedAt: nil, outcome: outcome, progress: 0, now: now,
                retryDelay: .zero
            ) == nil)
        var rescued = running()
        rescued.status = .pending
        #expect(
            TaskTransitions.finish(
                rescued, owner: "w1", attempt: 1, startedAt: nil, outcome: outcome, progress: 0, now: now,
                retryDelay: .zero)
                == nil)
        #expect(
            TaskTransitions.renew(
                rescued, owner: "w1", attempt: 1, startedAt: nil, progress: 5, now: now,
                leaseDuration: .seconds(1))
                == nil)
    }

    @Test func aStaleClaimWithTheSameOwnerAndAttemptNumberWritesNothing() {
        // The pool stalled past its lease, the task failed, a caller retried it (the count starts
        // again) and the same pool claimed it as attempt 1 again: the stale runner's writes name
        // the same owner and attempt number, but an earlier claim.
        var reclaimed = running(attempts: 1)
        reclaimed.startedAt = now
        let staleStart = now.addingTimeInterval(-60)
        let outcome = TaskTransitions.AttemptOutcome.succeeded(result: nil, artifact: nil)
        #expect(
            TaskTransitions.finish(
                reclaimed, owner: "w1", attempt: 1, startedAt: staleStart, outcome: outcome, progress: 0,
                now: now, retryDelay: .zero) == nil)
        #expect(
            TaskTransitions.renew(
                reclaimed, owner: "w1", attempt: 1, startedAt: staleStart, progress: 5, now: now,
                leaseDuration: .seconds(1)) == nil)
        #expect(
            TaskTransitions.renew(
                reclaimed, owner: "w1", attempt: 1, startedAt: now, progress: 5, now: now,
                leaseDuration: .seconds(1)) != nil)
    }

    @Test func anEarlierAttemptOfTheSameWorkerWritesNothing() {
        // The same pool claimed the retry (attempt 2): a renewal or outcome left over from
        // attempt 1 finds the owner it expects but not its attempt.
        let retry = running(attempts: 2)
        let outcome = TaskTransitions.AttemptOutcome.succeeded(result: nil, artifact: nil)
        #expect(
            TaskTransitions.finish(
                retry, owner: "w1", attempt: 1, startedAt: nil, outcome: outcome, progress: 0, now: now,
                retryDelay: .zero)
                == nil)
        #expect(
            TaskTransitions.renew(
                retry, owner: "w1", attempt: 1, startedAt: nil, progress: 90, now: now,
                leaseDuration: .seconds(1))
                == nil)
        #expect(
            TaskTransitions.renew(
                retry, owner: "w1", attempt: 2, startedAt: nil, progress: 90, now: now,
                leaseDuration: .seconds(1))?
                .progress == 90)
    }

    @Test func aCancelRequestedWhileRunningWinsOverSuccess() throws {
        let next = try #require(
            TaskTransitions.finish(
                running(cancelRequested: true), owner: "w1", attempt: 1, startedAt: nil,
                outcome: .succeeded(result: nil, artifact: nil),
                progress: 70, now: now, retryDelay: .zero))
        #expect(next.status == .cancelled)
        #expect(next.result == nil)
    }

    @Test(arguments: [
        (1, 3, false, TaskStatus.pending), (4, 3, false, .failed), (1, 3, true, .failed),
        (1, 0, false, .failed),
    ])
    func failuresRetryWhileAttemptsRemain(
        attempts: Int, maxRetries: Int, permanent: Bool, expected: TaskStatus
    ) throws {
        let next = try #require(
            TaskTransitions.finish(
                running(attempts: attempts, maxRetries: maxRetries), owner: "w1", attempt: attempts,
                startedAt: nil,
                outcome: .failed(message: "boom", permanent: permanent), progress: 60, now: now,
                retryDelay: .seconds(8)))
        #expect(next.status == expected)
        #expect(next.errorMessage == "boom")
        if expected == .pending {
            #expect(next.runAfter == now.addingTimeInterval(8))
            #expect(next.progress == 0)
        } else {
            #expect(next.finishedAt == now)
        }
    }

    @Test func releaseGivesTheAttemptBack() throws {
        let next = try #require(
            TaskTransitions.finish(
                running(attempts: 2), owner: "w1", attempt: 2, startedAt: nil, outcome: .released,
                progress: 10, now: now,
                retryDelay: .zero))
        #expect(next.status == .pending)
        #expect(next.attempts == 1)
        #expect(next.runAfter == now)
    }

    @Test func progressRenewalNeverMovesBackwards() throws {
        let next = try #require(
            TaskTransitions.renew(
                running(), owner: "w1", attempt: 1, startedAt: nil, progress: 10, now: now,
                leaseDuration: .seconds(30))
        )
        #expect(next.progress == 40)
        #expect(next.leaseExpiresAt == now.addingTimeInterval(30))
    }

    @Test(arguments: [(1, 3, TaskStatus.pending), (4, 3, .failed)])
    func rescueRequeuesOrFailsWithAReason(attempts: Int, maxRetries: Int, expected: TaskStatus) throws {
        let task = running(attempts: attempts, maxRetries: maxRetries)
        #expect(TaskTransitions.rescue(task, now: Fixtures.start.addingTimeInterval(30)) == nil)
        let next = try #require(TaskTransitions.rescue(task, now: Fixtures.start.addingTimeInterval(31)))
        #expect(next.status == expected)
        #expect(next.errorMessage?.contains("worker w1 stopped renewing its lease") == true)
        #expect(next.leaseOwner == nil)
    }

    @Test(arguments: TaskStatus.allCases)
    func cancelRetryAndDeleteFollowTheStatusRules(status: TaskStatus) throws {
        var task = Fixtures.record()
        task.status = status
        switch status {
        case .pending, .paused: #expect(try TaskTransitions.cancel(task, now: now)?.status == .cancelled)
        case .running: #expect(try TaskTransitions.cancel(task, now: now)?.cancelRequested == true)
        default: #expect(throws: TaskworksError.self) { try TaskTransitions.cancel(task, now: now) }
        }
        if status == .failed || status == .cancelled {
            let retried = try TaskTransitions.retry(task, now: now)
            #expect(retried.status == .pending)
            #expect(retried.manualRetries == 1)
        } else {
            #expect(throws: TaskworksError.self) { try TaskTransitions.retry(task, now: now) }
        }
        let deleted = TaskTransitions.delete(task, now: now)
        #expect(deleted.deletedAt == now)
        #expect(deleted.status == (status == .pending || status == .paused ? .cancelled : status))
    }

    @Test(arguments: TaskStatus.allCases)
    func pauseAndResumeFollowTheStatusRules(status: TaskStatus) throws {
        var task = Fixtures.record()
        task.status = status
        switch status {
        case .pending:
            #expect(try TaskTransitions.pause(task, now: now)?.status == .paused)
            #expect(try TaskTransitions.resume(task, now: now) == nil)
        case .paused:
            #expect(try TaskTransitions.pause(task, now: now) == nil)
            let resumed = try #require(try TaskTransitions.resume(task, now: now))
            #expect(
                resumed.status == .pending && resumed.updatedAt == now && resumed.runAfter == task.runAfter)
        default:
            #expect(throws: TaskworksError.self) { try TaskTransitions.pause(task, now: now) }
            #expect(throws: TaskworksError.self) { try TaskTransitions.resume(task, now: now) }
        }
    }
}

import Foundation
import TaskworksTesting
import Testing

@testable import Taskworks

#if canImport(Glibc)
    import Glibc
#endif

/// A real process with running tasks receives SIGTERM: it stops within its grace period with
/// those tasks back in `pending` and nothing lost; a second signal forces the stop.
@Suite("Signals", .serialized)
struct SignalHandlingTests {
    private func serve(tasks: Int, graceMilliseconds: Int) async throws -> (ChildProcess, URL, [TaskID], URL)
    {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        let registry = TaskRegistry()
        try registry.register("long") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry)
        var ids: [TaskID] = []
        for _ in 0..<tasks { ids.append(try await service.create("long", createdBy: .system).id) }
        await store.close()
        let log = try TemporaryDirectory.make().appendingPathComponent("serve.log")
        let child = try ChildProcess.start(["serve", directory.path, log.path, "\(graceMilliseconds)"])
        try await eventually("\(tasks) runs started") {
            readLog(log).filter { $0.first == "start" }.count == tasks
        }
        return (child, directory, ids, log)
    }

    private func expectAllPendingAgain(_ directory: URL, _ ids: [TaskID]) async throws {
        let store = try await FileTaskStore(directory: directory.path)
        #expect(try await store.counts(createdBy: nil).byStatus == [.pending: ids.count])
        for id in ids {
            let task = try #require(try await store.task(id: id))
            #expect(task.status == .pending)
            #expect(task.attempts == 0)
            #expect(task.leaseOwner == nil)
        }
    }

    @Test func sigtermStopsWithinTheGracePeriodAndPutsRunningTasksBack() async throws {
        let (child, directory, ids, log) = try await serve(tasks: 3, graceMilliseconds: 1000)
        let sent = ContinuousClock.now
        _ = kill(child.process.processIdentifier, SIGTERM)
        #expect(try await child.wait(timeout: .seconds(30)) == 0)
        // The runners never finish on their own, so they get the whole grace period, and then the
        // process ends promptly (the upper bound leaves room for a loaded machine).
        let elapsed = ContinuousClock.now - sent
        #expect(elapsed >= .milliseconds(950))
        #expect(elapsed < .seconds(6))
        #expect(readLog(log).last == ["exited"])
        try await expectAllPendingAgain(directory, ids)
    }

    @Test func aSecondSignalForcesTheStop() async throws {
        let (child, directory, ids, log) = try await serve(tasks: 2, graceMilliseconds: 60_000)
        _ = kill(child.process.processIdentifier, SIGTERM)
        _ = kill(child.process.processIdentifier, SIGINT)
        // Far sooner than the 60 s grace period.
        #expect(try await child.wait(timeout: .seconds(30)) == 0)
        #expect(readLog(log).last == ["exited"])
        try await expectAllPendingAgain(directory, ids)
    }

    /// In this very process: a signal chosen by the host stops the pool, a second forces it, each
    /// is announced, a second run in the same process hears its signals too, and the signal's
    /// disposition is put back after each run.
    @Test func runStopsOnTheSignalsGivenAndPutsTheirDispositionBack() async throws {
        for round in 1...2 {
            let world = try ShutdownTests.World(gracePeriod: .seconds(3600))
            let running = Task { try await SignalHandling.run(world.pool, signals: [SIGUSR1]) }
            let task = try await world.service.create("held", createdBy: .user("alice"))
            try await world.runnerStarted.wait()
            _ = kill(getpid(), SIGUSR1)
            try await eventually("the first signal announced (round \(round))") {
                world.recorder.all.contains { $0.message.contains("stopping gracefully") }
            }
            _ = kill(getpid(), SIGUSR1)
            try await value(
                of: running, "run() after the second signal (round \(round))", within: .seconds(20))
            let notices = world.recorder.all.filter { $0.level == .notice }.map(\.message)
            #expect(notices.count == 2)
            #expect(notices.last?.contains("stopping at once") == true)
            #expect(try await world.service.task(task.id, as: .system).status == .pending)
            #expect(currentHandlerIsDefault(SIGUSR1), "the default disposition was not put back")
        }
    }

    @Test func aSignalNoHandlerCanCatchIsAClearError() async throws {
        let world = try ShutdownTests.World(gracePeriod: .seconds(1))
        let error = await #expect(throws: TaskworksError.self) {
            try await SignalHandling.run(world.pool, signals: [SIGKILL])
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("signal \(SIGKILL)") == true)
    }

    private func currentHandlerIsDefault(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        return current.__sigaction_handler.sa_handler == nil
    }
}

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
}

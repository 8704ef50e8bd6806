import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// The file store across real processes: SIGKILL at random points, and several processes
/// draining one directory together.
@Suite("File store processes", .serialized)
struct FileTaskStoreProcessTests {
    @Test func sigkillAtRandomPointsLosesNoAcknowledgedCreate() async throws {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        await store.close()
        let logs = try TemporaryDirectory.make()
        var acknowledged: Set<String> = []
        let iterations = 50
        for iteration in 0..<iterations {
            let log = logs.appendingPathComponent("run-\(iteration).log")
            let child = try ChildProcess.start(["work", directory.path, log.path])
            // Kill after a random number of acknowledged creates: anywhere in a create, a claim,
            // a progress write, a completion or a compaction.
            let target = Int.random(in: 1...25)
            try await eventually("\(target) acks from run \(iteration)") {
                readLog(log).filter { $0.first == "ack" }.count >= target
            }
            child.kill()
            _ = try await child.wait()
            let lines = readLog(log)
            acknowledged.formUnion(lines.filter { $0.first == "ack" }.map { String($0[1]) })
            // Within one process, a task never starts again before its run ended.
            var open: Set<Substring> = []
            for words in lines where words.count == 2 {
                if words[0] == "start" {
                    #expect(
                        !open.contains(words[1]), "task \(words[1]) started twice at once in run \(iteration)"
                    )
                    open.insert(words[1])
                } else if words[0] == "end" {
                    open.remove(words[1])
                }
            }
        }
        #expect(acknowledged.count >= iterations)

        let clock = ManualTaskClock(Date())
        let reopened = try await FileTaskStore(directory: directory.path)
        let service = TaskService(store: reopened, registry: try Sample.registry(), clock: clock)
        for id in acknowledged {
            let found = try await reopened.task(id: try TaskID(parsing: id))
            #expect(found != nil, "acknowledged task \(id) is missing after SIGKILL")
        }
        // Once every lease has expired, the dead workers' tasks are rescued: nothing stays running.
        clock.advance(by: 3600)
        while try await service.rescueExpiredLeases(limit: 1000) > 0 {}
        #expect(try await reopened.counts(createdBy: nil)[.running] == 0)
    }

    /// Four `drain` children over one store of `total` tasks they run.
    private struct FourDrains {
        let directory: URL
        let ids: Set<String>
        let logs: URL
        let children: [ChildProcess]

        /// Seeds the store, then starts the children, with `leaseMilliseconds` when given.
        static func start(total: Int, leaseMilliseconds: Int? = nil) async throws -> FourDrains {
            let directory = try TemporaryDirectory.make()
            let store = try await FileTaskStore(directory: directory.path, options: .init(durability: .none))
            let registry = TaskRegistry()
            try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry)
            var ids: Set<String> = []
            for _ in 0..<total {
                ids.insert(try await service.create("job", createdBy: .system).id.description)
            }
            await store.close()
            let logs = try TemporaryDirectory.make()
            var children: [ChildProcess] = []
            for number in 0..<4 {
                let log = logs.appendingPathComponent("drain-\(number).log").path
                children.append(
                    try ChildProcess.start(
                        ["drain", directory.path, log, "\(total)"]
                            + (leaseMilliseconds.map { ["\($0)"] } ?? [])))
            }
            return FourDrains(directory: directory, ids: ids, logs: logs, children: children)
        }

        func log(_ number: Int) -> [[Substring]] {
            readLog(logs.appendingPathComponent("drain-\(number).log"))
        }

        /// Waits for every child to exit with status 0.
        func waitForAll() async throws {
            for child in children {
                #expect(try await child.wait(timeout: .seconds(120)) == 0)
            }
        }

        /// How many times each task ran, and the processes that ran any.
        func runs() -> (counts: [String: Int], processes: Set<Substring>) {
            var counts: [String: Int] = [:]
            var processes: Set<Substring> = []
            for number in 0..<4 {
                for words in log(number) where words.first == "run" {
                    counts[String(words[1]), default: 0] += 1
                    processes.insert(words[2])
                }
            }
            return (counts, processes)
        }
    }

    @Test func fourProcessesDrainOneStoreAndEveryTaskRunsExactlyOnce() async throws {
        let total = 2000
        let drains = try await FourDrains.start(total: total)
        try await drains.waitForAll()
        let (runs, processesThatRan) = drains.runs()
        #expect(Set(runs.keys) == drains.ids)
        #expect(processesThatRan.count > 1, "the work should be shared between processes")
        let reopened = try await FileTaskStore(directory: drains.directory.path)
        // A task that ran twice is named with its attempts: 2 would mean a lease ran out and the
        // task was rescued, 1 that two claims overlapped.
        var ranTwice: [String] = []
        for (id, count) in runs where count > 1 {
            let task = try await reopened.task(id: try TaskID(parsing: id))
            ranTwice.append("\(id) ran \(count) times, attempts \(task?.attempts ?? -1)")
        }
        #expect(ranTwice.isEmpty, "tasks ran more than once: \(ranTwice)")
        #expect(try await reopened.counts(createdBy: nil).byStatus == [.succeeded: total])
    }

    /// The lead from the 4-process drain that once ran a task twice with a 400 ms lease: a
    /// process stalled (SIGSTOP) while it holds claimed tasks, until the store shows one of its
    /// tasks rescued and claimed again (or the others have run everything). When it resumes,
    /// its own late attempts are refused. A task may then have run twice, but only after a
    /// rescue (attempts 2 or more), never from two overlapping claims, and each task has
    /// exactly one stored outcome.
    @Test func aStalledProcessLosesItsTasksToARescueAndNoTaskRunsTwiceFromOneClaim() async throws {
        let total = 2000
        let drains = try await FourDrains.start(total: total, leaseMilliseconds: 400)
        try await eventually("the first process to run tasks") { !drains.log(0).isEmpty }
        let stalled = drains.children[0].process.processIdentifier
        _ = kill(stalled, SIGSTOP)
        let watcher = try await FileTaskStore(directory: drains.directory.path)
        try await eventually(
            "a task rescued from the stalled process, or the others done", timeout: .seconds(60)
        ) {
            let othersDone = drains.children.dropFirst().allSatisfy { !$0.process.isRunning }
            let tasks = try await watcher.scanTasks(after: nil, limit: 10_000)
            return othersDone || tasks.contains { $0.attempts >= 2 }
        }
        await watcher.close()
        _ = kill(stalled, SIGCONT)
        try await drains.waitForAll()
        let runs = drains.runs().counts
        let reopened = try await FileTaskStore(directory: drains.directory.path)
        var fromOneClaim: [String] = []
        for (id, count) in runs where count > 1 {
            let task = try await reopened.task(id: try TaskID(parsing: id))
            if (task?.attempts ?? 0) < count {
                fromOneClaim.append("\(id) ran \(count) times in \(task?.attempts ?? -1) attempt(s)")
            }
        }
        #expect(fromOneClaim.isEmpty, "runs without a claim of their own: \(fromOneClaim)")
        #expect(runs.count == total)
        #expect(try await reopened.counts(createdBy: nil).byStatus == [.succeeded: total])
        await reopened.close()
        print(
            "a stalled process: \(runs.values.filter { $0 > 1 }.count) task(s) ran twice, each after a rescue"
        )
    }
}

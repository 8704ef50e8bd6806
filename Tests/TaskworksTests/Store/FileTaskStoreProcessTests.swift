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

    @Test func fourProcessesDrainOneStoreAndEveryTaskRunsExactlyOnce() async throws {
        let directory = try TemporaryDirectory.make()
        let total = 2000
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
            let log = logs.appendingPathComponent("drain-\(number).log")
            children.append(try ChildProcess.start(["drain", directory.path, log.path, "\(total)"]))
        }
        for child in children {
            #expect(try await child.wait(timeout: .seconds(120)) == 0)
        }
        var runs: [String: Int] = [:]
        var processesThatRan: Set<Substring> = []
        for number in 0..<4 {
            for words in readLog(logs.appendingPathComponent("drain-\(number).log"))
            where words.first == "run" {
                runs[String(words[1]), default: 0] += 1
                processesThatRan.insert(words[2])
            }
        }
        #expect(Set(runs.keys) == ids)
        #expect(processesThatRan.count > 1, "the work should be shared between processes")
        let reopened = try await FileTaskStore(directory: directory.path)
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
    /// process stalled (SIGSTOP) for three leases while it holds claimed tasks. Its tasks are
    /// rescued and run elsewhere; when it resumes, its own late attempts are refused. A task
    /// may then have run twice, but only after a rescue (attempts 2 or more), never from two
    /// overlapping claims, and each task has exactly one stored outcome.
    @Test func aStalledProcessLosesItsTasksToARescueAndNoTaskRunsTwiceFromOneClaim() async throws {
        let directory = try TemporaryDirectory.make()
        let total = 2000
        let store = try await FileTaskStore(directory: directory.path, options: .init(durability: .none))
        let registry = TaskRegistry()
        try registry.register("job") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry)
        for _ in 0..<total { _ = try await service.create("job", createdBy: .system) }
        await store.close()
        let logs = try TemporaryDirectory.make()
        var children: [ChildProcess] = []
        for number in 0..<4 {
            let log = logs.appendingPathComponent("drain-\(number).log")
            children.append(try ChildProcess.start(["drain", directory.path, log.path, "\(total)", "400"]))
        }
        let stalled = children[0].process.processIdentifier
        try await eventually("the first process to run tasks") {
            !readLog(logs.appendingPathComponent("drain-0.log")).isEmpty
        }
        _ = kill(stalled, SIGSTOP)
        // The fault itself: three leases without a single instruction in that process.
        try await Task.sleep(for: .milliseconds(1_200))
        _ = kill(stalled, SIGCONT)
        for child in children {
            #expect(try await child.wait(timeout: .seconds(120)) == 0)
        }
        var runs: [String: Int] = [:]
        for number in 0..<4 {
            for words in readLog(logs.appendingPathComponent("drain-\(number).log"))
            where words.first == "run" {
                runs[String(words[1]), default: 0] += 1
            }
        }
        let reopened = try await FileTaskStore(directory: directory.path)
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

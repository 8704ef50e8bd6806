import Foundation
import Taskworks
import TaskworksCommandLine
import TaskworksTesting
import Testing

/// `taskworks schedules`: the schedules a store holds runs of, and a run started from the shell
/// that never overlaps an active one.
@Suite("taskworks command line: schedules")
struct CommandLineScheduleTests {
    private struct Fixture {
        let directory: String
        var store: String { "file:" + directory }
        let registry: TaskRegistry
        let firstRun: TaskRecord
        let tick: Date

        static func make() async throws -> Fixture {
            let directory = try TemporaryDirectory.make().appendingPathComponent("tasks").path
            let store = try await FileTaskStore(directory: directory, options: .init(createDirectory: true))
            let registry = TaskRegistry()
            try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry)
            let scheduler = TaskScheduler(service: service)
            try scheduler.add(
                TaskSchedule(
                    name: "nightly", taskType: "report", payload: ["kind": "daily"],
                    options: TaskOptions(maxRetries: 7, priority: 9), trigger: .cron("0 2 * * *")))
            guard case .fired(_, _, let run) = try await scheduler.runNow("nightly") else {
                throw TaskworksError.invalidInput("the first run did not fire")
            }
            let tick = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try await store.claimScheduleTick("nightly", tick: tick)
            _ = try await service.create("report", createdBy: .user("alice"))  // not a schedule's run
            await store.close()
            return Fixture(directory: directory, registry: registry, firstRun: run, tick: tick)
        }

        /// Runs every pending task to success through a fresh handle, as a host's pool would.
        func drain() async throws {
            let store = try await FileTaskStore(directory: directory)
            _ = try await TaskService(store: store, registry: registry).drainInline()
            await store.close()
        }
    }

    @Test func listShowsEachScheduleWithItsLastTickAndNewestRun() async throws {
        let fixture = try await Fixture.make()
        let listed = await CommandRun.run(["schedules", "--store", fixture.store, "--json"])
        #expect(listed.code == 0, "\(listed.errors)")
        let lines = try listed.jsonLines()
        #expect(lines.count == 1)
        let nightly = try #require(lines.first)
        #expect(nightly["name"] == .string("nightly"))
        #expect(nightly["taskType"] == .string("report"))
        #expect(nightly["storedRuns"] == .integer(1))
        #expect(nightly["latestRun"]?["id"] == .string(fixture.firstRun.id.string))
        #expect(nightly["lastTick"] == .string(fixture.tick.formatted(.iso8601)))

        let table = await CommandRun.run(["schedules", "--store", fixture.store, "--as", "admin:ops"])
        let rows = table.output.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.first?.hasPrefix("SCHEDULE") == true)
        #expect(rows.last?.contains("nightly") == true && rows.last?.contains("pending") == true)

        let asUser = await CommandRun.run(["schedules", "--store", fixture.store, "--as", "alice"])
        #expect(asUser.code == 1)
        #expect(asUser.errors.hasPrefix("taskworks schedules: permissionDenied:"))
    }

    @Test func runNowCopiesTheNewestRunAndNeverOverlapsAnActiveOne() async throws {
        let fixture = try await Fixture.make()
        let blocked = await CommandRun.run(["schedules", "run", "nightly", "--store", fixture.store])
        #expect(blocked.code == 0, "\(blocked.errors)")
        #expect(
            blocked.output
                == "nightly did not start: its run \(fixture.firstRun.id.string) is still pending\n")

        try await fixture.drain()
        let started = await CommandRun.run([
            "schedules", "run", "nightly", "--store", fixture.store, "--json",
        ])
        #expect(started.code == 0, "\(started.errors)")
        let answer = try #require(try started.jsonLines().first)
        #expect(answer["created"] == .bool(true))
        let newID = try #require(answer["task"]?["id"]?.stringValue)
        #expect(newID != fixture.firstRun.id.string)

        let store = try await FileTaskStore(directory: fixture.directory)
        let id = try #require(TaskID(newID))
        let run = try #require(try await store.task(id: id))
        await store.close()
        #expect(run.status == .pending)
        #expect(run.type == "report")
        #expect(run.payload == fixture.firstRun.payload)
        #expect(run.priority == 9 && run.maxRetries == 7)
        #expect(run.createdBy == Caller.systemCreatorID)
        #expect(run.uniqueKey == fixture.firstRun.uniqueKey)

        let again = await CommandRun.run(["schedules", "--store", fixture.store, "--json"])
        #expect(try again.jsonLines().first?["storedRuns"] == .integer(2))
    }

    @Test(arguments: [
        (
            ["schedules", "run", "weekly"],
            "taskworks schedules: invalidInput: no run of a schedule named 'weekly'"
        ),
        (["schedules", "run", "nightly", "--as", "alice"], "taskworks schedules: permissionDenied:"),
        (["schedules", "stop", "nightly"], "taskworks schedules: say `schedules` to list them"),
    ])
    func mistakesAreOneClearLine(arguments: [String], message: String) async throws {
        let fixture = try await Fixture.make()
        let result = await CommandRun.run(arguments + ["--store", fixture.store])
        #expect(result.code != 0)
        #expect(result.errors.hasPrefix(message), "\(result.errors)")
        #expect(result.errors.split(separator: "\n").count == 1)
    }
}

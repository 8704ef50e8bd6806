import Foundation
import Taskworks
import TaskworksCommandLine
import TaskworksTesting
import Testing

/// A file store with tasks of two creators, for the command line to act on.
struct CommandLineStore {
    let directory: String
    let store: String
    let alices: [TaskRecord]
    let bobs: TaskRecord

    static func make(clock: any TaskClock = SystemTaskClock()) async throws -> CommandLineStore {
        let directory = try TemporaryDirectory.make().appendingPathComponent("tasks").path
        let store = try await FileTaskStore(directory: directory, options: .init(createDirectory: true))
        let registry = TaskRegistry()
        try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
        try registry.register("charge") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry, clock: clock)
        var alices: [TaskRecord] = []
        for index in 0..<3 {
            alices.append(
                try await service.create("export", payload: ["n": index], createdBy: .user("alice")))
        }
        let bobs = try await service.create("charge", createdBy: .user("bob"))
        await store.close()
        return CommandLineStore(directory: directory, store: "file:" + directory, alices: alices, bobs: bobs)
    }

    /// The tasks as stored now, read by a fresh handle.
    func stored() async throws -> [TaskID: TaskRecord] {
        let store = try await FileTaskStore(directory: directory)
        let tasks = try await store.scanTasks(after: nil, limit: 10_000)
        await store.close()
        return Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0) })
    }
}

@Suite("taskworks command line: reading and changing tasks")
struct CommandLineTests {
    @Test func listShowsOnlyTheCallersTasksAndJsonLinesParse() async throws {
        let fixture = try await CommandLineStore.make()
        let asAlice = await CommandRun.run(["list", "--store", fixture.store, "--as", "alice", "--json"])
        #expect(asAlice.code == 0, "\(asAlice.errors)")
        let ids = try asAlice.jsonLines().compactMap { $0["id"]?.stringValue }
        #expect(Set(ids) == Set(fixture.alices.map(\.id.string)))

        let table = await CommandRun.run([
            "list", "--store", fixture.store, "--status", "pending", "--type", "charge",
        ])
        #expect(table.code == 0)
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.count == 3)  // header, bob's charge, the page line
        #expect(lines[1].contains(fixture.bobs.id.string) && lines[1].contains("pending"))
        #expect(lines.last == "page 1 of 1, 1 task(s)")
    }

    @Test func showAndCountsFollowVisibility() async throws {
        let fixture = try await CommandLineStore.make()
        let shown = await CommandRun.run(["show", fixture.bobs.id.string, "--store", fixture.store])
        #expect(shown.code == 0)
        #expect(shown.output.contains("type      charge") || shown.output.contains("charge"))
        #expect(shown.output.contains("creator") && shown.output.contains("bob"))

        let hidden = await CommandRun.run([
            "show", fixture.bobs.id.string, "--store", fixture.store, "--as", "alice",
        ])
        #expect(hidden.code == 1)
        #expect(hidden.errors.hasPrefix("taskworks show: taskNotFound:"))
        #expect(hidden.errors.split(separator: "\n").count == 1)

        let counts = await CommandRun.run(["counts", "--store", fixture.store, "--json"])
        let object = try #require(try counts.jsonLines().first)
        #expect(object["total"] == .integer(4))
        #expect(object["byType"]?["export"] == .integer(3))
        let alicesCounts = await CommandRun.run([
            "counts", "--store", fixture.store, "--as", "alice", "--json",
        ])
        #expect(try alicesCounts.jsonLines().first?["total"] == .integer(3))
    }

    @Test func cancelPauseResumeRetryAndDeleteChangeTheStore() async throws {
        let fixture = try await CommandLineStore.make()
        let (first, second, third) = (fixture.alices[0].id, fixture.alices[1].id, fixture.alices[2].id)
        #expect(
            await CommandRun.run(["cancel", first.string, second.string, "--store", fixture.store]).code == 0)
        #expect(
            await CommandRun.run(["retry", first.string, "--store", fixture.store, "--as", "alice"]).code == 0
        )
        #expect(await CommandRun.run(["pause", third.string, "--store", fixture.store]).code == 0)
        var stored = try await fixture.stored()
        #expect(stored[first]?.status == .pending && stored[first]?.manualRetries == 1)
        #expect(stored[second]?.status == .cancelled)
        #expect(stored[third]?.status == .paused)
        #expect(await CommandRun.run(["resume", third.string, "--store", fixture.store]).code == 0)
        #expect(await CommandRun.run(["delete", second.string, "--store", fixture.store]).code == 0)
        stored = try await fixture.stored()
        #expect(stored[third]?.status == .pending)
        #expect(stored[second]?.deletedAt != nil)

        // Bob may not touch alice's task: it is not found for him, and the others still change.
        let mixed = await CommandRun.run(["cancel", third.string, "--store", fixture.store, "--as", "bob"])
        #expect(mixed.code == 1)
        #expect(mixed.errors.contains("\(third.string): taskNotFound"))

        let paused = await CommandRun.run(["pause", "--type", "charge", "--store", fixture.store, "--json"])
        #expect(try paused.jsonLines().first?["changed"] == .bool(true))
        let refused = await CommandRun.run([
            "resume", "--type", "charge", "--store", fixture.store, "--as", "bob",
        ])
        #expect(refused.code == 1 && refused.errors.contains("permissionDenied"))
        let store = try await FileTaskStore(directory: fixture.directory)
        #expect(try await store.pausedTaskTypes() == ["charge"])
        await store.close()
    }

    @Test func pruneRemovesFinishedTasksPastTheAgeForAdminsOnly() async throws {
        let clock = ManualTaskClock(Date().addingTimeInterval(-10 * 86_400))
        let fixture = try await CommandLineStore.make(clock: clock)
        let store = try await FileTaskStore(directory: fixture.directory)
        let registry = TaskRegistry()
        try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
        try registry.register("charge") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry, clock: clock)
        _ = try await service.drainInline()  // all four succeed, ten days ago
        _ = try await service.create("export", createdBy: .user("alice"))  // still pending
        await store.close()

        let refused = await CommandRun.run([
            "prune", "--older-than", "7d", "--store", fixture.store, "--as", "alice",
        ])
        #expect(refused.code == 1 && refused.errors.contains("permissionDenied"))
        let pruned = await CommandRun.run(["prune", "--older-than", "7d", "--store", fixture.store, "--json"])
        #expect(pruned.code == 0, "\(pruned.errors)")
        #expect(try pruned.jsonLines().first?["removed"] == .integer(4))
        #expect(try await fixture.stored().count == 1)
    }

    @Test func settingsAreReadAndChangedUnderThePolicy() async throws {
        let fixture = try await CommandLineStore.make()
        let set = await CommandRun.run([
            "settings", "set", "max-concurrent-tasks", "4", "--store", fixture.store,
        ])
        #expect(set.code == 0)
        #expect(set.output == "max-concurrent-tasks  4\n")
        let read = await CommandRun.run(["settings", "--store", fixture.store, "--as", "admin:ops", "--json"])
        #expect(try read.jsonLines().first?["maxConcurrentTasks"] == .integer(4))
        let refused = await CommandRun.run(
            ["settings", "set", "max-concurrent-tasks", "9", "--store", fixture.store, "--as", "alice"])
        #expect(refused.code == 1 && refused.errors.contains("permissionDenied"))
        let outOfRange = await CommandRun.run([
            "settings", "set", "max-concurrent-tasks", "0", "--store", fixture.store,
        ])
        #expect(outOfRange.code == 1 && outOfRange.errors.contains("invalidInput"))
    }

    @Test(arguments: [
        (["nonsense"], "unknown subcommand"),
        (["list"], "say which store"),
        (["list", "--store", "mysql://x"], "--store takes file:DIRECTORY"),
        (["list", "--store", "file:/x", "--status", "done"], "--status takes"),
        (["list", "--store", "file:/x", "--page-size", "500"], "--page-size must be"),
        (["list", "--store", "file:/x", "--colour", "always"], "unknown option --colour"),
        (["show", "not-an-id", "--store", "file:/x"], "is not a task id"),
        (["prune", "--older-than", "7 days", "--store", "file:/x"], "takes a duration"),
        (["cancel", "--store", "file:/x"], "give one or more task ids"),
    ])
    func usageErrorsExitTwoWithOneClearLine(arguments: [String], message: String) async throws {
        let run = await CommandRun.run(arguments)
        #expect(run.code == 2)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(run.errors.split(separator: "\n").count == 1)
    }

    @Test func everySubcommandHasHelpWithAnExample() async throws {
        let overview = await CommandRun.run(["--help"])
        #expect(overview.code == 0 && overview.output.contains("exit codes"))
        for name in [
            "list", "show", "counts", "cancel", "retry", "pause", "resume", "delete", "prune", "settings",
            "tail", "verify", "migrate", "stats",
        ] {
            let help = await CommandRun.run([name, "--help"])
            #expect(help.code == 0)
            #expect(help.output.hasPrefix("usage: taskworks \(name)"), "\(name)")
            #expect(help.output.contains("example"), "\(name)")
        }
    }

    @Test func aMissingStoreIsAnErrorAndIsNotCreated() async throws {
        let directory = try TemporaryDirectory.make().appendingPathComponent("absent").path
        let run = await CommandRun.run(["list", "--store", "file:" + directory])
        #expect(run.code == 1)
        #expect(run.errors.contains("invalidInput"))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    #if !Postgres
        @Test func aPostgresURLNeedsTheTrait() async throws {
            let run = await CommandRun.run(["counts", "--store", "postgres://app@127.0.0.1/app"])
            #expect(run.code == 2)
            #expect(run.errors.contains("--traits Postgres"))
        }
    #endif
}

@Suite("taskworks command line: stats")
struct CommandLineStatsTests {
    @Test func statsCountsTheWindowPerTypeAsTheCallerSeesIt() async throws {
        let fixture = try await CommandLineStore.make()
        let all = await CommandRun.run(["stats", "--store", fixture.store, "--window", "15m", "--json"])
        #expect(all.code == 0, "\(all.errors)")
        let stats = try #require(try all.jsonLines().first)
        #expect(stats["minutes"] == .integer(15))
        func last(_ value: JSONValue?) -> JSONValue? {
            guard case .array(let values)? = value else { return nil }
            return values.last
        }
        #expect(last(stats["byType"]?["export"]?["created"]) == .integer(3))
        #expect(last(stats["total"]?["queueDepth"]) == .integer(4))
        let bobs = await CommandRun.run(["stats", "--store", fixture.store, "--as", "bob", "--json"])
        #expect(try bobs.jsonLines().first?["byType"]?["export"] == nil)
        let table = await CommandRun.run(["stats", "--store", fixture.store])
        #expect(table.output.hasPrefix("TYPE"))
        #expect(table.output.contains("(all)"))
        #expect(table.output.contains("wait from created to started"))
    }
}

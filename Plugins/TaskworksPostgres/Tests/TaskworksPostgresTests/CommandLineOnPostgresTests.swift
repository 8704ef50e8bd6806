#if Postgres
    import Foundation
    import Taskworks
    import TaskworksCommandLine
    import TaskworksPostgres
    import TaskworksTesting
    import Testing

    /// `taskworks` against PostgreSQL: the schema's migrations, and every task subcommand acting
    /// through the service as the caller, with a second store handle standing for another host.
    @Suite(
        "PostgreSQL: the taskworks command line",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
    struct CommandLineOnPostgresTests {
        /// The test server's URL with a new schema of its own.
        static func storeURL(schema: String) throws -> String {
            let base = try #require(TestDatabase.url, "\(TestDatabase.howToRun)")
            var components = try #require(URLComponents(string: base))
            components.queryItems =
                (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: schema)]
            return try #require(components.string)
        }

        /// A migrated store in a new schema of its own, and the URL the command line opens it by.
        static func freshStore() async throws -> (store: PostgresTaskStore, url: String) {
            let schema = TestDatabase.newSchemaName()
            let store = try await PostgresTaskStore(
                configuration: try TestDatabase.configuration(schema: schema))
            return (store, try storeURL(schema: schema))
        }

        @Test func migrateReportsAppliesAndPrintsTheSchema() async throws {
            let schema = TestDatabase.newSchemaName()
            let url = try Self.storeURL(schema: schema)
            let before = await CommandRun.run(["migrate", "status", "--store", url])
            #expect(before.code == 1)
            #expect(before.output.contains("is at migration 0"), "\(before.errors)")
            #expect(before.output.contains("taskworks migrate up"))
            let refused = await CommandRun.run(["counts", "--store", url])  // nothing but migrate changes it
            #expect(refused.code == 1 && refused.errors.contains("is at migration 0"), "\(refused.errors)")
            let up = await CommandRun.run(["migrate", "up", "--store", url, "--json"])
            #expect(up.code == 0, "\(up.errors)")
            #expect(
                try up.jsonLines().first?["applied"]
                    == .array((1...PostgresTaskStore.schemaVersion).map { .integer(Int64($0)) }))
            #expect(await CommandRun.run(["migrate", "status", "--store", url]).code == 0)
            let sql = await CommandRun.run(["migrate", "sql", "--after", "5", "--store", url])
            #expect(sql.output == (try PostgresTaskStore.migrationSQL(schema: schema, after: 5)))
            let store = try await PostgresTaskStore(
                configuration: try TestDatabase.configuration(schema: schema))
            try await store.dropSchema()
            await store.close()
        }

        @Test func tasksAreListedChangedAndPrunedThroughTheService() async throws {
            let clock = ManualTaskClock(Date().addingTimeInterval(-10 * 86_400))
            let (store, url) = try await Self.freshStore()
            let registry = TaskRegistry()
            try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry, clock: clock)
            let old = try await service.create("export", createdBy: .user("alice"))
            _ = try await service.drainInline()  // succeeded ten days ago
            let alices = try await service.create("export", createdBy: .user("alice"))
            let bobs = try await service.create("export", createdBy: .user("bob"))

            let listed = await CommandRun.run(["list", "--store", url, "--as", "alice", "--json"])
            #expect(listed.code == 0, "\(listed.errors)")
            #expect(
                Set(try listed.jsonLines().compactMap { $0["id"]?.stringValue }) == [
                    old.id.string, alices.id.string,
                ])
            let hidden = await CommandRun.run(["cancel", bobs.id.string, "--store", url, "--as", "alice"])
            #expect(hidden.code == 1 && hidden.errors.contains("taskNotFound"))
            #expect(await CommandRun.run(["cancel", bobs.id.string, "--store", url]).code == 0)
            #expect(try await service.task(bobs.id, as: .system).status == .cancelled)
            #expect(await CommandRun.run(["pause", "--type", "export", "--store", url]).code == 0)
            #expect(try await store.pausedTaskTypes() == ["export"])
            let settings = await CommandRun.run([
                "settings", "set", "max-concurrent-tasks", "3", "--store", url,
            ])
            #expect(settings.code == 0)
            #expect(try await store.settings().maxConcurrentTasks == 3)
            let pruned = await CommandRun.run(["prune", "--older-than", "7d", "--store", url, "--json"])
            #expect(try pruned.jsonLines().first?["removed"] == .integer(1))
            #expect(try await store.task(id: old.id) == nil)
            let counts = await CommandRun.run(["counts", "--store", url, "--json"])
            #expect(try counts.jsonLines().first?["total"] == .integer(2))
            try await store.dropSchema()
            await store.close()
        }

        @Test func showRetryResumeDeleteStatsAndSchedulesActThroughTheService() async throws {
            let (store, url) = try await Self.freshStore()
            let registry = TaskRegistry()
            try registry.register("charge", defaults: .init(maxRetries: 0)) { _ in
                ClosureTaskRunner { _ in throw TaskFailure.permanent("card declined") }
            }
            try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
            let service = TaskService(store: store, registry: registry)
            let failed = try await service.create(
                "charge", payload: ["amount": 12], createdBy: .user("alice"))
            _ = try await service.drainInline()
            let scheduler = TaskScheduler(service: service)
            try scheduler.add(TaskSchedule(name: "nightly", taskType: "report", trigger: .cron("0 2 * * *")))
            _ = try await scheduler.runNow("nightly")
            _ = try await store.claimScheduleTick("nightly", tick: Date(timeIntervalSince1970: 1_800_000_000))

            let shown = await CommandRun.run(["show", failed.id.string, "--store", url, "--json"])
            #expect(shown.code == 0, "\(shown.errors)")
            let record = try #require(try shown.jsonLines().first)
            #expect(record["status"] == .string("failed"))
            #expect(record["errorMessage"]?.stringValue?.contains("card declined") == true)
            #expect(record["payload"]?["amount"] == .integer(12))

            let stats = await CommandRun.run(["stats", "--store", url, "--window", "10m", "--json"])
            #expect(stats.code == 0, "\(stats.errors)")
            let figures = try #require(try stats.jsonLines().first)
            func series(_ type: String, _ name: String) -> [JSONValue] {
                if case .array(let values)? = figures["byType"]?[type]?[name] { return values }
                return []
            }
            #expect(series("charge", "failed").contains(.integer(1)))
            #expect(series("report", "queueDepth").last == .integer(1))  // the schedule's run waits

            let retried = await CommandRun.run(["retry", failed.id.string, "--store", url, "--as", "alice"])
            #expect(retried.code == 0, "\(retried.errors)")
            #expect(try await service.task(failed.id, as: .system).status == .pending)
            #expect(await CommandRun.run(["pause", failed.id.string, "--store", url]).code == 0)
            #expect(try await service.task(failed.id, as: .system).status == .paused)
            #expect(await CommandRun.run(["resume", failed.id.string, "--store", url]).code == 0)
            #expect(try await service.task(failed.id, as: .system).status == .pending)
            _ = try await store.setTaskType("charge", paused: true)
            #expect(await CommandRun.run(["resume", "--type", "charge", "--store", url]).code == 0)
            #expect(try await store.pausedTaskTypes().isEmpty)

            let schedules = await CommandRun.run(["schedules", "--store", url, "--json"])
            let nightly = try #require(try schedules.jsonLines().first)
            #expect(nightly["name"] == .string("nightly") && nightly["storedRuns"] == .integer(1))
            #expect(nightly["lastTick"]?.stringValue?.hasPrefix("2027-01-15") == true)
            let busy = await CommandRun.run(["schedules", "run", "nightly", "--store", url, "--json"])
            #expect(try busy.jsonLines().first?["created"] == .bool(false))  // the first run is pending

            let deleted = await CommandRun.run(["delete", failed.id.string, "--store", url, "--json"])
            #expect(deleted.code == 0, "\(deleted.errors)")
            #expect(try deleted.jsonLines().first?["deleted"] == .bool(true))
            let gone = await CommandRun.run(["show", failed.id.string, "--store", url, "--as", "alice"])
            #expect(gone.code == 1 && gone.errors.contains("taskNotFound"), "\(gone.errors)")
            try await store.dropSchema()
            await store.close()
        }

        @Test func tailSeesATaskAnotherHostCreates() async throws {
            let (store, url) = try await Self.freshStore()
            let registry = TaskRegistry()
            try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
            let capture = CommandCapture()
            let tail = Task {
                await TaskworksCommand.run(
                    ["tail", "--store", url, "--json", "--count", "1", "--interval", "50ms", "--for", "60s"],
                    environment: [:], output: capture.output)
            }
            try await eventually("tail to start watching") { capture.standardError.contains("watching") }
            let created = try await TaskService(store: store, registry: registry)
                .create("export", createdBy: .user("carol"))
            #expect(try await value(of: tail, within: .seconds(60)) == 0)
            let line = try JSONValue(
                jsonText: String(try #require(capture.standardOutput.split(separator: "\n").first)))
            #expect(line["id"]?.stringValue == created.id.string)
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres

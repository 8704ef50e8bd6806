#if Postgres
    import Foundation
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// Compare-and-set writes combined into one statement keep every row's own version check.
    @Suite(
        "PostgreSQL combined writes",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct CombinedWritesTests {
        @Test func racingWritersOfOneVersionHaveExactlyOneWinnerPerTaskEvenWhenCombined() async throws {
            let store = try await PostgresTaskStore(configuration: try TestDatabase.configuration())
            let tasks = try await store.insert(
                contentsOf: (0..<200).map { _ in
                    TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
                })
            // Two writers per task, both holding version 1: 400 writes in flight at once, so batches
            // form, and some hold (or would hold) both writes of one task.
            let outcomes = try await withThrowingTaskGroup(of: (TaskID, Int, TaskUpdateResult).self) {
                group in
                for task in tasks {
                    for writer in [3, 8] {
                        group.addTask {
                            var changed = task
                            changed.priority = writer
                            return (task.id, writer, try await store.update(changed, expectedVersion: 1))
                        }
                    }
                }
                var all: [(TaskID, Int, TaskUpdateResult)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            for task in tasks {
                let mine = outcomes.filter { $0.0 == task.id }
                let winners = mine.compactMap { outcome -> Int? in
                    if case .updated(let stored) = outcome.2, stored.version == 2 { return outcome.1 }
                    return nil
                }
                let losers = mine.filter {
                    if case .conflict(let current) = $0.2 { current.version == 2 } else { false }
                }
                #expect(winners.count == 1 && losers.count == 1, "task \(task.id): \(mine.map(\.2))")
                let stored = try #require(try await store.task(id: task.id))
                #expect(stored.version == 2)
                #expect([stored.priority] == winners, "the stored write is the one told it won")
            }
            var missing = tasks[0]
            missing.id = TaskID()
            #expect(try await store.update(missing, expectedVersion: 1) == .notFound)
            let counts = store.writeCounts
            #expect(counts.writes == 401)
            #expect(
                counts.statements < counts.writes, "400 writes in flight at once share statements: \(counts)")
            try await store.dropSchema()
            await store.close()
        }

        /// Every optional column set in some rows of one combined statement and `NULL` in others (the
        /// statement binds each column as one array, `NULL`s inside it), each row stored to the bit.
        /// A row the server refuses (here an error message holding a NUL byte, which `text` cannot
        /// store) fails alone: the other writes of its combined statement are still applied.
        @Test func aRefusedRowFailsAloneAndTheRestOfItsBatchIsApplied() async throws {
            let store = try await PostgresTaskStore(configuration: try TestDatabase.configuration())
            let tasks = try await store.insert(
                contentsOf: (0..<4).map { _ in TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
                })
            let writes = tasks.enumerated().map { index, task in
                var changed = task
                changed.status = .failed
                changed.errorMessage = index == 1 ? "bad\u{0}byte" : "runner \(index) failed"
                return CombinedWrites.Write(task: changed, expectedVersion: task.version)
            }
            let results = await store.performWrites(writes)
            #expect(results.count == 4)
            for (index, result) in results.enumerated() {
                switch (index, result) {
                case (1, .failure(let error)):
                    #expect((error as? TaskworksError)?.code == .storageFailure, "\(error)")
                case (1, _):
                    Issue.record("the refused row did not fail: \(result)")
                case (_, .success(.updated(let stored))):
                    #expect(stored.errorMessage == "runner \(index) failed")
                default:
                    Issue.record("write \(index) was not applied beside the refused row: \(result)")
                }
            }
            #expect(try await store.task(id: tasks[1].id)?.status == .pending)

            // Through the service, a runner's NUL reaches the store as U+FFFD: the outcome is kept.
            let registry = TaskRegistry()
            try registry.register("messy") { _ in
                ClosureTaskRunner { _ in throw TaskFailure.permanent("bad\u{0}byte") }
            }
            let service = TaskService(store: store, registry: registry)
            let messy = try await service.create("messy", createdBy: .user("alice"))
            _ = try await service.drainInline()
            #expect(try await service.task(messy.id, as: .system).errorMessage == "bad\u{FFFD}byte")
            try await store.dropSchema()
            await store.close()
        }

        @Test(arguments: [true, false])
        func aCombinedBatchStoresEveryRowsOwnValuesAndNulls(prepares: Bool) async throws {
            var configuration = try TestDatabase.configuration()
            configuration.preparesStatements = prepares
            let store = try await PostgresTaskStore(configuration: configuration)
            let created = Date(timeIntervalSinceReferenceDate: 812_345_678.123_456_7)
            let tasks = try await store.insert(
                contentsOf: (0..<64).map { _ in
                    TaskRecord(type: "job", createdBy: "alice", createdAt: created)
                })
            var expected: [TaskRecord] = []
            for (index, task) in tasks.enumerated() {
                func has(_ bit: Int) -> Bool { index & (1 << bit) != 0 }
                var changed = task
                changed.status = has(0) ? .running : .failed
                changed.priority = index - 32
                changed.payload =
                    has(1) ? .object(["n": .integer(Int64(index)), "s": .string("é\u{1F600}\"\n")]) : nil
                changed.result = has(2) ? .array([.double(0.1 + Double(index)), .null, .bool(true)]) : nil
                changed.errorMessage = has(3) ? "boom \(index) 'quoted'" : nil
                changed.progress = index
                changed.artifact =
                    has(4)
                    ? try TaskArtifact(key: "k/\(index)", fileName: "f\(index).csv", contentType: "text/csv")
                    : nil
                changed.attempts = index % 5
                changed.timeoutMilliseconds = has(5) ? Int64(index) * 1_000 : nil
                let offset = Double(index) * 1.000_000_3
                changed.startedAt = has(1) ? created.addingTimeInterval(offset) : nil
                changed.finishedAt = has(2) ? created.addingTimeInterval(offset + 0.25) : nil
                changed.deletedAt = has(3) && has(5) ? created.addingTimeInterval(7) : nil
                changed.cancelRequested = has(4)
                changed.leaseOwner = has(0) ? "worker-\(index)" : nil
                changed.leaseExpiresAt = has(0) ? created.addingTimeInterval(30 + offset) : nil
                changed.uniqueKey = has(2) && has(4) ? "key-\(index)" : nil
                changed.metadata = has(5) ? ["tenant": "t\(index)", "empty": ""] : [:]
                changed.updatedAt = created.addingTimeInterval(offset)
                expected.append(changed)
            }
            let results = await store.performWrites(expected.map { .init(task: $0, expectedVersion: 1) })
            #expect(results.count == expected.count)
            for (task, result) in zip(expected, results) {
                var want = task
                want.version = 2
                guard case .success(.updated(let written)) = result else {
                    Issue.record("task \(task.id): \(result)")
                    continue
                }
                #expect(written == want)
                #expect(try await store.task(id: task.id) == want)
            }
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres

#if Postgres
    import Foundation
    import Taskworks
    import TaskworksTesting
    import Testing

    @testable import TaskworksPostgres

    /// How ``CombinedWrites`` groups writes into batches, with a stand-in for the statement (no
    /// database needed).
    @Suite("PostgreSQL combined writes: batching")
    struct CombinedWritesBatchingTests {
        /// Records each batch's size; the first batch holds until `release` opens.
        final class RecordingStatement: Sendable {
            let started = TestGate()
            let release = TestGate()
            private let sizes = LockedState<[Int]>([])

            var batchSizes: [Int] { sizes.withLock { $0 } }

            func perform(_ batch: [CombinedWrites.Write]) async -> [Result<TaskUpdateResult, any Error>] {
                let isFirst = sizes.withLock { sizes in
                    sizes.append(batch.count)
                    return sizes.count == 1
                }
                if isFirst {
                    started.open()
                    do { try await release.waitIgnoringCancellation() } catch {
                        return batch.map { _ in .failure(error) }
                    }
                }
                return batch.map { write in
                    var stored = write.task
                    stored.version = write.expectedVersion + 1
                    return .success(.updated(stored))
                }
            }
        }

        @Test(arguments: [1, 9])
        func writesMadeWhileABatchRunsWaitForItAndGoOutTogether(madeMeanwhile: Int) async throws {
            let writes = CombinedWrites()
            let statement = RecordingStatement()
            let submit = { @Sendable (task: TaskRecord) async throws -> TaskUpdateResult in
                try await writes.submit(.init(task: task, expectedVersion: 1)) { batch in
                    .finished(await statement.perform(batch))
                }
            }
            let tasks = (0...madeMeanwhile).map { _ in
                var task = TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
                task.version = 1
                return task
            }
            try await withThrowingTaskGroup(of: TaskUpdateResult.self) { group in
                defer { statement.release.open() }  // also when a wait below fails
                group.addTask { try await submit(tasks[0]) }
                try await statement.started.wait()  // the lone first write is in flight, alone
                for task in tasks.dropFirst() {
                    group.addTask { try await submit(task) }
                }
                try await eventually("\(madeMeanwhile) writes wait behind the first", timeout: .seconds(10)) {
                    writes.waitingCount == madeMeanwhile
                }
                statement.release.open()
                var versions: [UInt64] = []
                for try await result in group {
                    if case .updated(let stored) = result { versions.append(stored.version) }
                }
                #expect(versions == Array(repeating: 2, count: tasks.count), "every write got its own result")
            }
            // With two batches allowed in flight, the second write went out alone as well (1, 1, then
            // the rest), and the wait above timed out.
            #expect(statement.batchSizes == [1, madeMeanwhile])
            #expect(writes.counts.statements == 2 && writes.counts.writes == tasks.count)
        }

        @Test func aTryThatFailsOnItsConnectionGoesAgainWithTheWritesMadeMeanwhileNotBeforeThem() async throws
        {
            let writes = CombinedWrites()
            let statement = RecordingStatement()
            let attempts = LockedState<[[Int]]>([])
            let submit = { @Sendable (task: TaskRecord) async throws -> TaskUpdateResult in
                try await writes.submit(.init(task: task, expectedVersion: 1)) { batch in
                    let isFirst = attempts.withLock { tries in
                        tries.append(batch.map(\.attempt))
                        return tries.count == 1
                    }
                    let results = await statement.perform(batch)
                    // The lone first try is stuck, then abandoned: its write goes again.
                    if isFirst {
                        return .retry(
                            after: .zero, attemptsAllowed: 3,
                            error: TaskworksError.storageFailure("no answer"))
                    }
                    return .finished(results)
                }
            }
            let tasks = (0..<5).map { _ in
                var task = TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
                task.version = 1
                return task
            }
            try await withThrowingTaskGroup(of: TaskUpdateResult.self) { group in
                defer { statement.release.open() }
                group.addTask { try await submit(tasks[0]) }
                try await statement.started.wait()
                for task in tasks.dropFirst() { group.addTask { try await submit(task) } }
                try await eventually("4 writes wait behind the stuck one", timeout: .seconds(10)) {
                    writes.waitingCount == 4
                }
                statement.release.open()
                var updated = 0
                for try await result in group {
                    if case .updated = result { updated += 1 }
                }
                #expect(updated == tasks.count, "every write, the retried one too, got its result")
            }
            // The second statement carries the retried write (its second try) first, then the four.
            #expect(attempts.withLock { $0 } == [[1], [2, 1, 1, 1, 1]])
            #expect(statement.batchSizes == [1, 5])
        }

        @Test func aWriteOutOfTriesFailsWithTheStoresError() async throws {
            let writes = CombinedWrites()
            let tries = LockedState(0)
            var task = TaskRecord(type: "job", createdBy: "alice", createdAt: Date())
            task.version = 1
            await #expect(throws: TaskworksError.self) {
                _ = try await writes.submit(.init(task: task, expectedVersion: 1)) { _ in
                    tries.withLock { $0 += 1 }
                    return .retry(
                        after: .zero, attemptsAllowed: 3, error: TaskworksError.storageFailure("down"))
                }
            }
            #expect(tries.withLock { $0 } == 3)
        }
    }
#endif  // Postgres

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
        private let sizes = Locked<[Int]>([])

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
                await statement.perform(batch)
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
}

import Foundation
import Taskworks
import Testing

@testable import TaskworksPostgres

/// Compare-and-set writes combined into one statement keep every row's own version check.
@Suite(
    "PostgreSQL combined writes", .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
)
struct CombinedWritesTests {
    @Test func racingWritersOfOneVersionHaveExactlyOneWinnerPerTaskEvenWhenCombined() async throws {
        let store = try await PostgresTaskStore(configuration: try TestDatabase.configuration())
        let tasks = try await store.insert(
            contentsOf: (0..<200).map { _ in TaskRecord(type: "job", createdBy: "alice", createdAt: Date()) })
        // Two writers per task, both holding version 1: 400 writes in flight at once, so batches
        // form, and some hold (or would hold) both writes of one task.
        let outcomes = try await withThrowingTaskGroup(of: (TaskID, Int, TaskUpdateResult).self) { group in
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
        try await store.dropSchema()
        await store.close()
    }
}

import Foundation
import PostgresNIO
import Taskworks

extension PostgresTaskStore {
    /// Runs a batch of compare-and-set writes: one alone as ``updateOne(_:expectedVersion:)``,
    /// more as one `UPDATE … FROM unnest(…)` whose rows each carry their id and expected version,
    /// then one read of the tasks it did not change. Retried as a whole on a dropped connection.
    func performWrites(_ batch: [CombinedWrites.Write]) async -> [Result<TaskUpdateResult, any Error>] {
        if batch.count == 1, let write = batch.first {
            do {
                return [.success(try await updateOne(write.task, expectedVersion: write.expectedVersion))]
            } catch {
                return [.failure(error)]
            }
        }
        do {
            let statement = CombinedUpdateStatement(writes: batch, channel: notificationChannel)
            let results = try await withRetries("updating \(batch.count) tasks") { [self] attempt in
                try await combinedUpdate(batch, statement: statement, attempt: attempt)
            }
            return results.map { .success($0) }
        } catch {
            return Array(repeating: .failure(error), count: batch.count)
        }
    }

    private func combinedUpdate(
        _ batch: [CombinedWrites.Write], statement: CombinedUpdateStatement, attempt: Int
    ) async throws -> [TaskUpdateResult] {
        var updated: [TaskID: TaskRecord] = [:]
        for stored in try await runPrepared(statement).map(\.record) { updated[stored.id] = stored }
        let unchanged = batch.filter { updated[$0.task.id] == nil }
        var current: [TaskID: TaskRecord] = [:]
        if !unchanged.isEmpty {
            let query = PostgresQuery(
                unsafeSQL: "SELECT \(TaskRow.columns) FROM \(tasksTable) WHERE id = ANY($1)",
                binds: Self.bindings(unchanged.map(\.task.id.uuid)))
            for stored in try await records(query).map(\.record) { current[stored.id] = stored }
        }
        return batch.map { write in
            if let stored = updated[write.task.id] { return .updated(stored) }
            guard let stored = current[write.task.id] else { return .notFound }
            // On a retry the write may have committed before the connection broke.
            if attempt > 1, stored.version == write.expectedVersion &+ 1, stored.isSameState(as: write.task) {
                return .updated(stored)
            }
            return .conflict(current: stored)
        }
    }
}

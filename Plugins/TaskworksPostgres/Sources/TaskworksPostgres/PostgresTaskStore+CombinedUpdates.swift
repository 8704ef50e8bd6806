import Foundation
import PostgresNIO
import Taskworks

extension PostgresTaskStore {
    /// Runs a batch of compare-and-set writes: one alone as ``updateOne(_:expectedVersion:)``,
    /// more as one `UPDATE … FROM (VALUES …)` whose rows each carry their id and expected version,
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
            let statement = combinedUpdateStatement(batch)
            let results = try await withRetries("updating \(batch.count) tasks") { [self] attempt in
                try await combinedUpdate(batch, statement: statement, attempt: attempt)
            }
            return results.map { .success($0) }
        } catch {
            return Array(repeating: .failure(error), count: batch.count)
        }
    }

    private func combinedUpdate(
        _ batch: [CombinedWrites.Write], statement: PostgresQuery, attempt: Int
    ) async throws -> [TaskUpdateResult] {
        var updated: [TaskID: TaskRecord] = [:]
        for stored in try await records(statement).map(\.record) { updated[stored.id] = stored }
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

    /// The SQL types of a combined update's `VALUES` columns: id, expected version, then
    /// ``TaskRow/mutableColumnTypes``.
    static let combinedUpdateTypes = ["uuid", "bigint"] + TaskRow.mutableColumnTypes

    /// `UPDATE tasks AS t SET … FROM (VALUES (id, expected, …), …) AS v WHERE t.id = v.id AND
    /// t.version = v.expected`, with a `NOTIFY` when a task became pending.
    private func combinedUpdateStatement(_ batch: [CombinedWrites.Write]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: 1 + batch.count * (2 + TaskRow.mutableColumns.count))
        binds.append(notificationChannel)
        var rows: [String] = []
        rows.reserveCapacity(batch.count)
        for write in batch {
            let first = binds.count + 1
            binds.append(write.task.id.uuid)
            binds.append(Int64(truncatingIfNeeded: write.expectedVersion))
            TaskRow.appendMutableValues(of: write.task, to: &binds)
            let casts = zip(first...binds.count, Self.combinedUpdateTypes).map { "$\($0)::\($1)" }
            rows.append("(" + casts.joined(separator: ", ") + ")")
        }
        let names = (["id", "expected"] + TaskRow.mutableColumns).joined(separator: ", ")
        let assignments = TaskRow.mutableColumns.map { "\($0) = v.\($0)" }.joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: """
                WITH v (\(names)) AS (VALUES \(rows.joined(separator: ", "))),
                updated AS (
                    UPDATE \(tasksTable) AS t SET \(assignments), version = t.version + 1
                    FROM v WHERE t.id = v.id AND t.version = v.expected
                    RETURNING \(TaskRow.columns(qualifiedBy: "t"))
                )
                SELECT \(TaskRow.columns(qualifiedBy: "updated")),
                    CASE WHEN updated.status = 'pending' THEN pg_notify($1, '') END
                FROM updated
                """, binds: binds)
    }
}

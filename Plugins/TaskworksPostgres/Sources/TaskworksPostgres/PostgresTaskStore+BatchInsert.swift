#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Rows per `INSERT`: each statement binds one array per column, so this only bounds the
        /// size of one statement and its answer.
        static let rowsPerInsert = 2_000

        /// Stores many new tasks in one transaction: one `SELECT` for ids already taken, the unique
        /// keys' advisory locks and holders in two more, then `INSERT … SELECT … FROM unnest(…)`s of up
        /// to `rowsPerInsert` rows and one `NOTIFY`. See `TaskStore.insert(contentsOf:)`.
        public func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord] {
            guard !tasks.isEmpty else { return [] }
            let batch = try PostgresTaskStore.newBatch(tasks)
            return try await withRetries("inserting \(tasks.count) tasks") { [self] attempt in
                let outcome = try await inTransaction { connection in
                    try await self.insert(batch, on: connection)
                }
                switch outcome {
                case .inserted(let stored):
                    return stored
                case .idsTaken(let existing):
                    // On a retry these may be this very batch, committed before the connection broke.
                    if attempt > 1, let stored = try await committedBatch(batch, existing: existing) {
                        return stored
                    }
                    throw TaskworksError.duplicateTaskID(existing[0].id)
                }
            }
        }

        /// What one try of a batch insert found.
        enum BatchInsertOutcome: Sendable {
            /// The batch resolved: one record per task, in order.
            case inserted([TaskRecord])
            /// Some ids exist already (these tasks); nothing was written.
            case idsTaken([TaskRecord])
        }

        /// `tasks` as the store will keep them (version 1), after checking no id repeats.
        static func newBatch(_ tasks: [TaskRecord]) throws -> [TaskRecord] {
            var ids = Set<TaskID>(minimumCapacity: tasks.count)
            return try tasks.map { task in
                guard ids.insert(task.id).inserted else { throw TaskworksError.duplicateTaskID(task.id) }
                var stored = task
                stored.version = 1
                return stored
            }
        }

        /// Inserts `batch` with statements on `connection`, inside a transaction its caller owns:
        /// nothing is written when an id is taken, and the `NOTIFY` is delivered when that
        /// transaction commits.
        func insert(_ batch: [TaskRecord], on connection: PostgresConnection) async throws
            -> BatchInsertOutcome
        {
            let taken = try await records(
                PostgresQuery(
                    unsafeSQL: "SELECT \(TaskRow.columns) FROM \(tasksTable) WHERE id = ANY($1)",
                    binds: Self.bindings(batch.map(\.id.uuid))),
                on: connection)
            guard taken.isEmpty else { return .idsTaken(taken) }
            let holders = try await lockedHolders(of: batch, on: connection)
            var keysHeld = holders
            var resolved: [TaskRecord?] = []
            var new: [TaskRecord] = []
            for task in batch {
                if let key = task.uniqueKey, let holder = keysHeld[key] {
                    resolved.append(holder)
                    continue
                }
                if let key = task.uniqueKey { keysHeld[key] = task }
                resolved.append(nil)
                new.append(task)
            }
            var stored: [TaskID: TaskRecord] = [:]
            var start = 0
            while start < new.count {
                let end = min(start + Self.rowsPerInsert, new.count)
                let statement = BatchInsertStatement(tasks: Array(new[start..<end]))
                for (record, _) in try await runPrepared(statement, on: connection) {
                    stored[record.id] = record
                }
                start = end
            }
            if !new.isEmpty {
                _ = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT pg_notify($1, '')", binds: Self.bindings(notificationChannel)),
                    logger: logger)
            }
            return .inserted(
                zip(batch, resolved).map { task, holder in holder ?? stored[task.id] ?? task })
        }

        /// Takes the advisory lock of every unique key in `batch` (in one order, so two batches never
        /// wait on each other in a circle) and returns each key's pending, paused or running holder.
        private func lockedHolders(
            of batch: [TaskRecord], on connection: PostgresConnection
        ) async throws -> [String: TaskRecord] {
            let keys = Array(Set(batch.compactMap(\.uniqueKey)))
            guard !keys.isEmpty else { return [:] }
            _ = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(pg_advisory_xact_lock(lock_key)) FROM (
                            SELECT hashtextextended($1 || ':' || key, 0) AS lock_key
                            FROM unnest($2::text[]) AS key ORDER BY 1
                        ) AS ordered
                        """,
                    binds: Self.bindings(configuration.schema, keys)),
                logger: logger)
            let holders = try await records(holdersQuery(of: keys), on: connection)
            var byKey: [String: TaskRecord] = [:]
            for holder in holders { if let key = holder.uniqueKey { byKey[key] = holder } }
            return byKey
        }

        /// After a retry found ids taken: the batch's records if an earlier try committed this very
        /// batch (each task found is the one this batch creates), else `nil`. A task not found lost
        /// its unique key to another: its holder is read again.
        private func committedBatch(_ batch: [TaskRecord], existing: [TaskRecord]) async throws
            -> [TaskRecord]?
        {
            let created = Dictionary(batch.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            guard existing.allSatisfy({ stored in created[stored.id].map(stored.isSameCreation) ?? false })
            else {
                return nil
            }
            let found = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let missingKeys = Array(Set(batch.filter { found[$0.id] == nil }.compactMap(\.uniqueKey)))
            var holders: [String: TaskRecord] = [:]
            if !missingKeys.isEmpty {
                for holder in try await records(holdersQuery(of: missingKeys)).map(\.record) {
                    if let key = holder.uniqueKey { holders[key] = holder }
                }
            }
            var result: [TaskRecord] = []
            for task in batch {
                guard let stored = found[task.id] ?? task.uniqueKey.flatMap({ holders[$0] }) else {
                    return nil
                }
                result.append(stored)
            }
            return result
        }

        /// The pending, paused or running holder of each of `keys` (the oldest, should there be more).
        private func holdersQuery(of keys: [String]) -> PostgresQuery {
            PostgresQuery(
                unsafeSQL: """
                    SELECT DISTINCT ON (unique_key) \(TaskRow.columns) FROM \(tasksTable)
                    WHERE unique_key = ANY($1) AND status IN ('pending', 'paused', 'running') AND deleted_at_seconds IS NULL
                    ORDER BY unique_key, seq
                    """,
                binds: Self.bindings(keys))
        }

        /// The tasks `query` returns on `connection`.
        func records(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [TaskRecord] {
            var result: [TaskRecord] = []
            for try await row in try await connection.query(query, logger: logger) {
                result.append(try TaskRow.record(from: row).record)
            }
            return result
        }

        /// Bindings of `values`, in order.
        static func bindings(_ values: any PostgresNonThrowingEncodable & Sendable...) -> PostgresBindings {
            var binds = PostgresBindings(capacity: values.count)
            for value in values { binds.append(value) }
            return binds
        }
    }
#endif  // Postgres

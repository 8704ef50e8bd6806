#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Inserts with `NOTIFY`; a task with a unique key is inserted under an advisory lock on the
        /// key, after checking no pending or running task holds it.
        public func insert(_ task: TaskRecord) async throws -> TaskRecord {
            let expected = {
                var stored = task
                stored.version = 1
                return stored
            }()
            return try await withRetries("inserting task \(task.id)") { [self] attempt in
                let inserted: TaskRecord?
                if let key = task.uniqueKey {
                    switch try await insertUnique(task, key: key) {
                    case .held(let holder): return holder
                    case .inserted(let record): inserted = record
                    }
                } else {
                    inserted = try await runPrepared(
                        InsertStatement(task: task, channel: notificationChannel)
                    )
                    .first?.record
                }
                if let inserted { return inserted }
                // The id exists. On a retry it may be this very insert, committed before the
                // connection broke: then it is a success, not a duplicate.
                if attempt > 1, let existing = try await self.task(id: task.id),
                    existing.isSameCreation(as: expected)
                {
                    return existing
                }
                throw TaskworksError.duplicateTaskID(task.id)
            }
        }

        private enum UniqueInsert: Sendable {
            case held(TaskRecord)
            case inserted(TaskRecord?)
        }

        private func insertUnique(_ task: TaskRecord, key: String) async throws -> UniqueInsert {
            let lockKey = "\(configuration.schema):\(key)"
            let holderQuery = PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns) FROM \(tasksTable)
                    WHERE unique_key = $1 AND status IN ('pending', 'paused', 'running') AND deleted_at_seconds IS NULL
                    ORDER BY seq LIMIT 1
                    """,
                binds: {
                    var binds = PostgresBindings()
                    binds.append(key)
                    return binds
                }())
            let insert = InsertStatement(task: task, channel: notificationChannel)
            return try await inTransaction { [self] connection in
                // Held to commit: racing inserts of one key take turns, and each one's check below
                // (a new statement, so a new snapshot) sees the earlier one's committed row.
                _ = try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))", logger: logger)
                for try await row in try await connection.query(holderQuery, logger: logger) {
                    return .held(try TaskRow.record(from: row).record)
                }
                return .inserted(try await runPrepared(insert, on: connection).first?.record)
            }
        }

        /// Compare-and-set, combined with the writes running meanwhile into one statement (see
        /// `CombinedWrites`); each row still carries `WHERE id = … AND version = …`, and a task put
        /// to pending sends `NOTIFY`.
        public func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
            try await combinedWrites.submit(.init(task: task, expectedVersion: expectedVersion)) {
                [self] batch in
                await tryWrites(batch)
            }
        }

        /// One try of `UPDATE … WHERE id = $1 AND version = $2` for one task; a task put to pending
        /// sends `NOTIFY`.
        func updateOne(_ write: CombinedWrites.Write) async throws -> TaskUpdateResult {
            let task = write.task
            let statement = UpdateOneStatement(
                task: task, expectedVersion: write.expectedVersion, channel: notificationChannel)
            if let stored = try await runPrepared(statement).first?.record { return .updated(stored) }
            guard let current = try await records(Self.taskQuery(task.id, in: tasksTable)).first?.record
            else {
                return .notFound
            }
            // On a retry the write may have committed before the connection broke.
            if write.attempt > 1, current.version == write.expectedVersion + 1, current.isSameState(as: task)
            {
                return .updated(current)
            }
            return .conflict(current: current)
        }

        /// One statement: lock the next eligible rows with `FOR UPDATE SKIP LOCKED`, lease them.
        ///
        /// A try whose answer is lost (the connection closed before its commit was confirmed) may
        /// have committed: its tasks are then leased to this owner with that try's expiry, and no
        /// runner knows them. The next try first looks for exactly those rows and returns them, so
        /// they start now rather than when their lease runs out. A retry leases from the time it
        /// runs, not from the first try's: after seconds of retries, a lease dated from the first try
        /// would be about to run out (and be rescued) as its runner starts.
        public func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
            guard request.limit > 0 else { return [] }
            let firstTry = ContinuousClock.now
            let earlierExpiries = LockedState<[Double]>([])
            let claimed = try await withRetries("claiming tasks") { [self] attempt in
                var thisTry = request
                if attempt > 1 {
                    let adopted = try await records(
                        Self.leasedByEarlierTries(
                            owner: request.owner, expiries: earlierExpiries.withLock { $0 }, in: tasksTable))
                    if !adopted.isEmpty { return adopted }
                    let waited = ContinuousClock.now - firstTry
                    let seconds =
                        Double(waited.components.seconds) + Double(waited.components.attoseconds) * 1e-18
                    thisTry.now = request.now.addingTimeInterval(seconds)
                }
                earlierExpiries.withLock { $0.append(TaskRow.seconds(thisTry.leaseExpiry)) }
                return try await runPrepared(
                    ClaimStatement(request: thisTry, types: thisTry.types.map(Array.init)))
            }
            return claimed.sorted { a, b in
                if a.record.priority != b.record.priority { return a.record.priority > b.record.priority }
                if a.record.createdAt != b.record.createdAt { return a.record.createdAt < b.record.createdAt }
                return a.sequence < b.sequence
            }.map(\.record)
        }

        /// `DELETE … WHERE (id, version)` matches each given copy, the rows locked in id order first
        /// (see `StoreStatementTexts.lockedInIDOrder(_:ids:)`).
        public func remove(_ tasks: [TaskRecord]) async throws -> Int {
            guard !tasks.isEmpty else { return 0 }
            var binds = PostgresBindings(capacity: 2)
            binds.append(tasks.map(\.id.uuid))
            binds.append(tasks.map { Int64(truncatingIfNeeded: $0.version) })
            let statement = PostgresQuery(
                unsafeSQL: """
                    WITH locked AS (\(StoreStatementTexts.lockedInIDOrder(tasksTable, ids: "$1::uuid[]")))
                    DELETE FROM \(tasksTable) AS t
                    USING unnest($1::uuid[], $2::bigint[]) AS r(id, version)
                    WHERE t.id = r.id AND t.version = r.version AND t.id = ANY (ARRAY(SELECT id FROM locked))
                    RETURNING t.id
                    """, binds: binds)
            return try await withRetries("removing \(tasks.count) tasks") { [self] _ in
                try await committedRowCount(of: statement)
            }
        }
    }

    extension TaskRecord {
        /// Whether `other` is the same creation: the fields fixed at insert, payload included.
        func isSameCreation(as other: TaskRecord) -> Bool {
            id == other.id && type == other.type && createdBy == other.createdBy
                && createdAt == other.createdAt
                && payload == other.payload && uniqueKey == other.uniqueKey
        }

        /// Whether this stored task holds exactly the mutable state `written` asked for.
        func isSameState(as written: TaskRecord) -> Bool {
            var expected = written
            expected.id = id
            expected.type = type
            expected.createdBy = createdBy
            expected.createdAt = createdAt
            expected.version = version
            return self == expected
        }
    }

    extension PostgresTaskStore {
        /// The running tasks leased to `owner` with one of `expiries`: what earlier tries of one
        /// claim leased (a renewal or another claim sets another expiry).
        static func leasedByEarlierTries(owner: String, expiries: [Double], in tasksTable: String)
            -> PostgresQuery
        {
            var binds = PostgresBindings(capacity: 2)
            binds.append(owner)
            binds.append(expiries)
            return PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns) FROM \(tasksTable)
                    WHERE status = 'running' AND lease_owner = $1 AND lease_expires_at_seconds = ANY($2)
                    """,
                binds: binds)
        }
    }
#endif  // Postgres

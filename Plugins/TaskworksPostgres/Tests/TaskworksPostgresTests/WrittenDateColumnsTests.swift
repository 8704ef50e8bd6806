#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// Migration 7: the `timestamptz` dates are plain columns every write sets, so they must stay in
    /// step with the exact `_seconds` values on every path that writes a task.
    @Suite(
        "PostgreSQL written date columns",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct WrittenDateColumnsTests {
        /// Rows of `schema` whose `timestamptz` dates disagree with their exact values: `NULL` where
        /// the other is not, or more than a microsecond apart.
        static func rowsOutOfStep(in schema: String) async throws -> [String] {
            let checks = PostgresSchema.dateColumns.map { column in
                """
                (\(column) IS NULL) <> (\(column)_seconds IS NULL OR \(column)_seconds NOT \(PostgresSchema.readableSecondsSQL))
                    OR abs(extract(epoch FROM \(column)) - (\(column)_seconds + 978307200)) > 0.000002
                """
            }.joined(separator: " OR ")
            let sql = "SELECT id::text, status FROM \(schema).tasks WHERE \(checks) ORDER BY seq"
            return try await withAdminClient { admin in
                try await admin.query(PostgresQuery(unsafeSQL: sql), logger: silentLogger).collect().map {
                    let (id, status) = try $0.decode((String, String).self)
                    return "\(id) (\(status))"
                }
            }
        }

        /// Every write path: a single insert, a batch insert, a claim, one write alone and several
        /// combined in one statement, a soft delete.
        @Test func everyWriteKeepsTheTimestamptzDatesInStepWithTheExactOnes() async throws {
            let configuration = try TestDatabase.configuration()
            let store = try await PostgresTaskStore(configuration: configuration)
            let now = Date()
            // Sub-microsecond bits the timestamptz columns drop, and a date beyond their range.
            let single = try await store.insert(
                TaskRecord(type: "job", createdBy: "alice", createdAt: now.addingTimeInterval(0.000_000_3)))
            let batch = try await store.insert(
                contentsOf: (0..<4).map { _ in TaskRecord(type: "job", createdBy: "bob", createdAt: now) })
            let farFuture = try await store.insert(
                TaskRecord(
                    type: "later", createdBy: "carol", runAfter: Date(timeIntervalSinceReferenceDate: 1e13),
                    createdAt: now))
            let claimed = try await store.claim(
                TaskClaimRequest(
                    owner: "w", now: now.addingTimeInterval(1), leaseDuration: .seconds(30), limit: 10))
            #expect(Set(claimed.map(\.id)) == Set(([single] + batch).map(\.id)))
            #expect(try await Self.rowsOutOfStep(in: configuration.schema) == [], "after the claim")
            // One write alone, then four in one combined statement.
            var finished: [TaskRecord] = []
            for task in claimed {
                var done = task
                done.status = .succeeded
                done.finishedAt = now.addingTimeInterval(2)
                done.updatedAt = now.addingTimeInterval(2)
                done.leaseOwner = nil
                done.leaseExpiresAt = nil
                finished.append(done)
            }
            let first = try #require(finished.first)
            guard case .updated = try await store.update(first, expectedVersion: first.version) else {
                Issue.record("the first outcome write was not applied")
                return
            }
            let results = await store.performWrites(
                finished.dropFirst().map { CombinedWrites.Write(task: $0, expectedVersion: $0.version) })
            #expect(results.count == finished.count - 1)
            for result in results {
                guard case .success(.updated) = result else {
                    Issue.record("an outcome write was not applied: \(result)")
                    continue
                }
            }
            var deleted = try #require(try await store.task(id: farFuture.id))
            deleted.deletedAt = now.addingTimeInterval(3)
            deleted.updatedAt = now.addingTimeInterval(3)
            _ = try await store.update(deleted, expectedVersion: deleted.version)

            #expect(try await Self.rowsOutOfStep(in: configuration.schema) == [])
            let dates = try await withAdminClient { admin in
                try await admin.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT count(*) FILTER (WHERE finished_at IS NOT NULL AND started_at IS NOT NULL),
                                count(*) FILTER (WHERE run_after IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL)
                            FROM \(configuration.schema).tasks
                            """), logger: silentLogger
                ).collect().map { try $0.decode((Int, Int, Int).self) }
            }
            let (finishedCount, beyondRange, deletedCount) = try #require(dates.first)
            #expect(finishedCount == 5, "claimed and finished tasks show both dates")
            #expect(beyondRange == 1, "a date beyond timestamptz's range is NULL there")
            #expect(deletedCount == 1)
            let stored = try #require(try await store.task(id: farFuture.id))
            #expect(stored.runAfter == farFuture.runAfter, "the exact value is kept beyond that range")
            #expect(try await store.task(id: single.id)?.createdAt == single.createdAt)
            try await store.dropSchema()
            await store.close()
        }

        /// A database at migration 6 (generated dates) is migrated in place: every task reads back to
        /// the bit, its dates are filled in, and a DBA's query by date still works.
        @Test func migrationSevenFillsTheDatesOfExistingTasks() async throws {
            let configuration = try TestDatabase.configuration()
            let now = Date()
            var pending = TaskRecord(type: "job", createdBy: "alice", createdAt: now.addingTimeInterval(-60))
            pending.version = 1
            var running = TaskRecord(
                type: "job", createdBy: "bob", createdAt: now.addingTimeInterval(-3 * 86_400))
            running.version = 1
            running.status = .running
            running.startedAt = now.addingTimeInterval(-30)
            running.leaseOwner = "w"
            running.leaseExpiresAt = now.addingTimeInterval(30)
            try await withAdminClient { admin in
                _ = try await PostgresSchema.migrate(
                    admin, schema: configuration.schema, logger: silentLogger, upTo: 6)
                try await insertExactValues(
                    [pending, running], columns: TaskRow.exactColumns.joined(separator: ", "),
                    schema: configuration.schema, admin: admin)
            }
            let store = try await PostgresTaskStore(configuration: configuration)
            #expect(store.appliedMigrations == [7])
            #expect(try await store.task(id: pending.id) == pending)
            #expect(try await store.task(id: running.id) == running)
            #expect(try await Self.rowsOutOfStep(in: configuration.schema) == [])
            let recent = try await withAdminClient { admin in
                try await admin.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT count(*) FILTER (WHERE created_at > now() - interval '1 day'),
                                count(*) FILTER (WHERE lease_expires_at > now())
                            FROM \(configuration.schema).tasks
                            """), logger: silentLogger
                ).collect().map { try $0.decode((Int, Int).self) }
            }
            let (createdToday, leased) = try #require(recent.first)
            #expect(createdToday == 1)
            #expect(leased == 1)
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres

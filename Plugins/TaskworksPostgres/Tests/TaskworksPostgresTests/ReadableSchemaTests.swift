#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// ``TaskRow/exactColumns`` as they were named before migration 6 (the same order).
    let legacyInsertColumns = TaskRow.exactColumns.joined(separator: ", ").replacingOccurrences(
        of: "_seconds", with: ""
    )
    .replacingOccurrences(of: "_text", with: "")

    /// Inserts `records` into `schema`'s tasks table as it was before migration 6, behind the store.
    func insertWithLegacyColumns(_ records: [TaskRecord], schema: String, admin: PostgresClient) async throws
    {
        try await insertExactValues(records, columns: legacyInsertColumns, schema: schema, admin: admin)
    }

    /// Inserts `records` behind the store, binding ``TaskRow/exactColumns``' values to `columns` (the
    /// same columns, under the names of the schema version the test builds).
    func insertExactValues(
        _ records: [TaskRecord], columns: String, schema: String, admin: PostgresClient
    ) async throws {
        for record in records {
            var binds = PostgresBindings()
            TaskRow.appendExactInsertValues(of: record, to: &binds)
            let placeholders = (1...binds.count).map { "$\($0)" }.joined(separator: ", ")
            let sql = "INSERT INTO \(schema).tasks (\(columns)) VALUES (\(placeholders))"
            _ = try await admin.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: silentLogger)
                .collect()
        }
    }

    /// Migration 6: dates a DBA can compare with `now()`, JSON a DBA can query, every value exact.
    @Suite(
        "PostgreSQL readable schema",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct ReadableSchemaTests {
        /// A database at migration 5 (float8 dates, JSON as text) is migrated in place: every task
        /// reads back to the bit, and a DBA gets timestamptz and jsonb under the old column names.
        @Test func migrationSixGivesTimestamptzAndJsonbAndKeepsEveryValueExact() async throws {
            let configuration = try TestDatabase.configuration()
            let now = Date()
            // A creation date with sub-microsecond bits, which timestamptz alone would lose.
            let createdAt = Date(
                timeIntervalSinceReferenceDate: now.timeIntervalSinceReferenceDate + 0.000_000_123)
            var task = TaskRecord(
                type: "job", priority: 7, payload: .object(["name": .string("ada"), "n": .double(0.1)]),
                createdBy: "alice", runAfter: createdAt.addingTimeInterval(0.25),
                metadata: ["tenant": "acme"],
                createdAt: createdAt)
            task.version = 1
            let old = TaskRecord(
                type: "job", createdBy: "bob", createdAt: now.addingTimeInterval(-3 * 86_400))
            try await withAdminClient { admin in
                _ = try await PostgresSchema.migrate(
                    admin, schema: configuration.schema, logger: silentLogger, upTo: 5)
                try await insertWithLegacyColumns([task, old], schema: configuration.schema, admin: admin)
            }
            let store = try await PostgresTaskStore(configuration: configuration)
            #expect(store.appliedMigrations == [6, 7])
            #expect(
                try await store.task(id: task.id) == task, "a task written before the migration, read after")
            let fresh = try await store.insert(
                TaskRecord(
                    type: "job", payload: .object(["name": .string("grace")]), createdBy: "carol",
                    createdAt: now)
            )
            let sql = """
                SELECT count(*) FILTER (WHERE created_at > now() - interval '1 day'),
                    string_agg(payload ->> 'name', ',' ORDER BY seq), string_agg(metadata ->> 'tenant', ','),
                    min(pg_typeof(created_at)::text), min(pg_typeof(payload)::text)
                FROM \(configuration.schema).tasks
                """
            let answers = try await withAdminClient { admin in
                try await admin.query(PostgresQuery(unsafeSQL: sql), logger: silentLogger).collect().map {
                    try $0.decode((Int, String, String, String, String).self)
                }
            }
            let (recent, names, tenants, dateType, jsonType) = try #require(answers.first)
            #expect(recent == 2, "the tasks created in the last day, by a DBA's query")
            #expect(names == "ada,grace")
            #expect(tenants == "acme")
            #expect(dateType == "timestamp with time zone")
            #expect(jsonType == "jsonb")
            #expect(try await store.task(id: fresh.id) == fresh)
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres

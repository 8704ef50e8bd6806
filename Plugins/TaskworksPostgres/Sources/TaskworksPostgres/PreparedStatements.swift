import Foundation
import PostgresNIO
import Taskworks

/// The texts of the statements a store runs most (claims, outcome writes, creates), prepared once
/// per connection and run by name from then on: the server parses them once and can keep a
/// generic plan, instead of parsing and planning every call.
///
/// postgres-nio takes a prepared statement's name and SQL from static properties, but the SQL
/// names this store's schema, which is known only at run time. The store therefore binds its own
/// texts to ``current`` around each call (``PostgresTaskStore/runPrepared(_:)``), and the
/// statements read them from there; the name includes the schema, so a connection never mixes up
/// two schemas' statements.
struct StoreStatementTexts: Sendable {
    /// One statement's name on the server and its SQL.
    struct Text: Sendable {
        let name: String
        let sql: String
    }

    let claim: Text
    let claimOfTypes: Text
    let combinedUpdate: Text
    let insert: Text
    let updateOne: Text

    /// The texts of the store running the current call.
    @TaskLocal static var current: StoreStatementTexts?

    init(schema: String, tasksTable: String, pausedTypesTable: String) {
        func text(_ name: String, _ sql: String) -> Text {
            Text(name: "taskworks_\(schema)_\(name)", sql: sql)
        }
        claim = text("claim", Self.claimSQL(tasksTable, pausedTypesTable, typeFilter: ""))
        claimOfTypes = text(
            "claim_types", Self.claimSQL(tasksTable, pausedTypesTable, typeFilter: "AND type = ANY($5)"))
        combinedUpdate = text("combined_update", Self.combinedUpdateSQL(tasksTable))
        insert = text("insert", Self.insertSQL(tasksTable))
        updateOne = text("update_one", Self.updateOneSQL(tasksTable))
    }

    /// Lock the next eligible rows with `FOR UPDATE SKIP LOCKED`, lease them. Binds: now, limit,
    /// owner, lease expiry, and for `claimOfTypes` the types.
    private static func claimSQL(_ tasks: String, _ pausedTypes: String, typeFilter: String) -> String {
        """
        WITH next AS (
            SELECT id FROM \(tasks)
            WHERE status = 'pending' AND deleted_at_seconds IS NULL AND run_after_seconds <= $1 \(typeFilter)
                AND NOT EXISTS (SELECT 1 FROM \(pausedTypes) AS p WHERE p.type = \(tasks).type)
            ORDER BY priority DESC, created_at_seconds, seq
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE \(tasks) AS t
        SET status = 'running', lease_owner = $3, lease_expires_at_seconds = $4, attempts = t.attempts + 1,
            started_at_seconds = $1, updated_at_seconds = $1, version = t.version + 1
        FROM next WHERE t.id = next.id
        RETURNING \(TaskRow.columns(qualifiedBy: "t"))
        """
    }

    /// Compare-and-set writes of many tasks: `$1` the notification channel, then one array per
    /// column (id, expected version, ``TaskRow/mutableColumns``) read with `unnest`. A task put to
    /// pending sends `NOTIFY`.
    private static func combinedUpdateSQL(_ tasks: String) -> String {
        let types = ["uuid", "bigint"] + TaskRow.mutableColumnTypes
        let arrays = types.enumerated().map { "$\($0 + 2)::\($1)[]" }.joined(separator: ", ")
        let names = (["id", "expected"] + TaskRow.mutableColumns).joined(separator: ", ")
        let assignments = TaskRow.mutableColumns.map { "\($0) = v.\($0)" }.joined(separator: ", ")
        return """
            WITH v AS (SELECT * FROM unnest(\(arrays)) AS v (\(names))),
            updated AS (
                UPDATE \(tasks) AS t SET \(assignments), version = t.version + 1
                FROM v WHERE t.id = v.id AND t.version = v.expected
                RETURNING \(TaskRow.columns(qualifiedBy: "t"))
            )
            SELECT \(TaskRow.columns(qualifiedBy: "updated")),
                CASE WHEN updated.status = 'pending' THEN pg_notify($1, '') END
            FROM updated
            """
    }

    /// An insert that does nothing when the id exists, with `NOTIFY`. Binds ``TaskRow/insertColumns``,
    /// then the channel.
    private static func insertSQL(_ tasks: String) -> String {
        let count = TaskRow.fixedColumns.count + TaskRow.mutableColumns.count + 1
        let placeholders = (1...count).map { "$\($0)" }.joined(separator: ", ")
        return """
            WITH inserted AS (
                INSERT INTO \(tasks) (\(TaskRow.insertColumns)) VALUES (\(placeholders))
                ON CONFLICT (id) DO NOTHING
                RETURNING \(TaskRow.columns)
            )
            SELECT \(TaskRow.columns(qualifiedBy: "inserted")), pg_notify($\(count + 1), '') FROM inserted
            """
    }

    /// `UPDATE … WHERE id = $1 AND version = $2` for one task, `$3` the channel, then the mutable
    /// values; a task put to pending sends `NOTIFY`.
    private static func updateOneSQL(_ tasks: String) -> String {
        let assignments = TaskRow.mutableColumns.enumerated().map { "\($1) = $\($0 + 4)" }.joined(
            separator: ", ")
        return """
            WITH updated AS (
                UPDATE \(tasks) SET \(assignments), version = version + 1
                WHERE id = $1 AND version = $2
                RETURNING \(TaskRow.columns)
            )
            SELECT \(TaskRow.columns(qualifiedBy: "updated")),
                CASE WHEN updated.status = 'pending' THEN pg_notify($3, '') END
            FROM updated
            """
    }
}

/// A statement of ``StoreStatementTexts``, whose rows are tasks selected with ``TaskRow/columns``.
protocol StoreStatement: PostgresPreparedStatement where Row == (record: TaskRecord, sequence: Int64) {
    /// This statement's text among the store's.
    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text
}

extension StoreStatement {
    static var name: String { StoreStatementTexts.current.map { text(in: $0).name } ?? "taskworks_unbound" }

    static var sql: String {
        // Only PostgresTaskStore.runPrepared runs these, with the texts bound; the fallback fails
        // loudly on the server rather than running something else.
        StoreStatementTexts.current.map { text(in: $0).sql }
            ?? "SELECT 'a Taskworks statement ran without its store''s texts'::int"
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try TaskRow.record(from: row) }
}

/// Claims up to `limit` tasks for `owner` (see ``PostgresTaskStore/claim(_:)``).
struct ClaimStatement: StoreStatement {
    let request: TaskClaimRequest

    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.claim }

    func makeBindings() -> PostgresBindings {
        var binds = PostgresBindings(capacity: 4)
        binds.append(TaskRow.seconds(request.now))
        binds.append(Int64(request.limit))
        binds.append(request.owner)
        binds.append(TaskRow.seconds(request.leaseExpiry))
        return binds
    }
}

/// ``ClaimStatement`` for a pool limited to some task types.
struct ClaimOfTypesStatement: StoreStatement {
    let request: TaskClaimRequest
    let types: [String]

    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.claimOfTypes }

    func makeBindings() -> PostgresBindings {
        var binds = ClaimStatement(request: request).makeBindings()
        binds.append(types)
        return binds
    }
}

/// The compare-and-set writes of a batch, in one statement.
struct CombinedUpdateStatement: StoreStatement {
    let writes: [CombinedWrites.Write]
    let channel: String

    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.combinedUpdate }

    func makeBindings() -> PostgresBindings {
        var binds = PostgresBindings(capacity: 3 + TaskRow.mutableColumns.count)
        binds.append(channel)
        binds.append(NullableArray(elements: writes.map(\.task.id.uuid)))
        binds.append(NullableArray(elements: writes.map { Int64(truncatingIfNeeded: $0.expectedVersion) }))
        TaskRow.appendMutableColumns(of: writes.map(\.task), to: &binds)
        return binds
    }
}

/// One new task (see ``PostgresTaskStore/insert(_:)``).
struct InsertStatement: StoreStatement {
    let task: TaskRecord
    let channel: String

    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.insert }

    func makeBindings() -> PostgresBindings {
        var binds = PostgresBindings(capacity: 29)
        TaskRow.appendInsertValues(of: task, to: &binds)
        binds.append(channel)
        return binds
    }
}

/// One compare-and-set write (see ``PostgresTaskStore/updateOne(_:expectedVersion:)``).
struct UpdateOneStatement: StoreStatement {
    let task: TaskRecord
    let expectedVersion: UInt64
    let channel: String

    static func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.updateOne }

    func makeBindings() -> PostgresBindings {
        var binds = PostgresBindings(capacity: 26)
        binds.append(task.id.uuid)
        binds.append(Int64(truncatingIfNeeded: expectedVersion))
        binds.append(channel)
        TaskRow.appendMutableValues(of: task, to: &binds)
        return binds
    }
}

extension PostgresTaskStore {
    /// Runs one of the store's prepared statements (preparing it first on a connection that has
    /// not seen it) and decodes its rows; with ``Configuration/preparesStatements`` off, sends its
    /// text whole instead. It runs on `connection` (inside a transaction the store opened) or,
    /// when that is `nil`, on a connection of the pool.
    func runPrepared<Statement: StoreStatement>(
        _ statement: Statement, on connection: PostgresConnection? = nil
    ) async throws -> [(record: TaskRecord, sequence: Int64)] {
        var rows: [(record: TaskRecord, sequence: Int64)] = []
        guard configuration.preparesStatements else {
            let query = PostgresQuery(
                unsafeSQL: Statement.text(in: statementTexts).sql, binds: try statement.makeBindings())
            let answer =
                if let connection {
                    try await connection.query(query, logger: logger)
                } else {
                    try await client.query(query, logger: logger)
                }
            for try await row in answer { rows.append(try TaskRow.record(from: row)) }
            return rows
        }
        return try await StoreStatementTexts.$current.withValue(statementTexts) {
            let answer =
                if let connection {
                    try await connection.execute(statement, logger: logger)
                } else {
                    try await client.execute(statement, logger: logger)
                }
            for try await row in answer { rows.append(row) }
            return rows
        }
    }
}

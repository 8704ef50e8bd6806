#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    /// The texts of the statements a store runs most (claims, outcome writes, creates), prepared once
    /// per connection and run by name from then on: the server parses them once and can keep a
    /// generic plan, instead of parsing and planning every call.
    ///
    /// postgres-nio takes a prepared statement's name and SQL from static properties, but the SQL
    /// names this store's schema, which is known only at run time. The store therefore binds the
    /// text of the statement it runs to ``running`` around each call
    /// (``PostgresTaskStore/runPrepared(_:on:)``), and the statements read it from there; the name
    /// includes the schema, so a connection never mixes up two schemas' statements.
    struct StoreStatementTexts: Sendable {
        /// One statement's name on the server and its SQL.
        struct Text: Sendable {
            let name: String
            let sql: String
        }

        let combinedUpdate: Text
        let insert: Text
        let batchInsert: Text
        let updateOne: Text
        /// The claims that write their limit, indexed by it (0 through ``largestWrittenLimit``).
        private let claimsByLimit: [Text]
        /// The same, of some types.
        private let claimsOfTypesByLimit: [Text]
        /// The claims that bind their limit (over ``largestWrittenLimit``), of any type and of some.
        private let claimWithBoundLimit: Text
        private let claimOfTypesWithBoundLimit: Text

        /// Claims of up to this many tasks name their limit in the SQL, one statement per limit (see
        /// ``claim(limit:ofTypes:)``); larger claims bind it.
        static let largestWrittenLimit = 32

        /// The text of the statement the current call runs.
        @TaskLocal static var running: Text?

        init(schema: String, tasksTable: String, pausedTypesTable: String) {
            func claim(limit: Int?, ofTypes: Bool) -> Text {
                let limitText = limit.map(String.init) ?? "$6"
                let typeFilter = ofTypes ? "AND type = ANY(\(limit == nil ? "$7" : "$6"))" : ""
                let name = (ofTypes ? "claim_types_" : "claim_") + (limit == nil ? "n" : limitText)
                return Self.text(
                    schema, name,
                    Self.claimSQL(tasksTable, pausedTypesTable, limit: limitText, typeFilter: typeFilter))
            }
            let writtenLimits = 0...Self.largestWrittenLimit
            claimsByLimit = writtenLimits.map { claim(limit: $0, ofTypes: false) }
            claimsOfTypesByLimit = writtenLimits.map { claim(limit: $0, ofTypes: true) }
            claimWithBoundLimit = claim(limit: nil, ofTypes: false)
            claimOfTypesWithBoundLimit = claim(limit: nil, ofTypes: true)
            combinedUpdate = Self.text(schema, "combined_update", Self.combinedUpdateSQL(tasksTable))
            insert = Self.text(schema, "insert", Self.insertSQL(tasksTable))
            batchInsert = Self.text(schema, "batch_insert", Self.batchInsertSQL(tasksTable))
            updateOne = Self.text(schema, "update_one", Self.updateOneSQL(tasksTable))
        }

        private static func text(_ schema: String, _ name: String, _ sql: String) -> Text {
            Text(name: "taskworks_\(schema)_\(name)", sql: sql)
        }

        /// The claim of up to `limit` tasks, of the types bound last when `ofTypes`. Binds: now,
        /// owner, lease expiry, now and lease expiry again as `timestamptz` (see
        /// ``TaskRow/readableDate(_:)``), then the limit when it is over ``largestWrittenLimit``, then
        /// the types.
        ///
        /// A limit in the SQL lets the server keep one generic plan: with the limit bound, the
        /// generic plan is costed for a tenth of the table, so once the table has statistics the
        /// server plans a custom plan for every claim, about a quarter of a millisecond each. The
        /// 68 texts (about 1 KB each) are made once, when the store opens, not on every claim.
        func claim(limit: Int, ofTypes: Bool) -> Text {
            guard limit <= Self.largestWrittenLimit else {
                return ofTypes ? claimOfTypesWithBoundLimit : claimWithBoundLimit
            }
            let index = max(limit, 0)
            return ofTypes ? claimsOfTypesByLimit[index] : claimsByLimit[index]
        }

        /// Lock the next eligible rows with `FOR UPDATE SKIP LOCKED`, lease them (binds: see
        /// ``claim(limit:ofTypes:)``).
        ///
        /// Written so that every plan, custom or generic, with statistics or none, walks the claim
        /// index in order and stops at the limit, then updates the rows it found through the primary
        /// key. The paused types are read once into an array and tested with `<@` on `ARRAY[type]`,
        /// which the planner has no statistics for and so takes to pass nearly every row: a join
        /// with them, or `type <> ALL (…)` when the table holds one type, made it expect almost no
        /// row to pass and sort the whole table instead. The update finds its rows by `id = ANY`:
        /// joined with the locked rows, a generic plan (which does not know the limit) scanned the
        /// whole table.
        private static func claimSQL(
            _ tasks: String, _ pausedTypes: String, limit: String, typeFilter: String
        ) -> String {
            """
            WITH next AS (
                SELECT id FROM \(tasks)
                WHERE status = 'pending' AND deleted_at_seconds IS NULL AND run_after_seconds <= $1 \(typeFilter)
                    AND NOT (ARRAY[type] <@ ARRAY(SELECT type FROM \(pausedTypes)))
                ORDER BY priority DESC, created_at_seconds, seq
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE \(tasks) AS t
            SET status = 'running', lease_owner = $2, lease_expires_at_seconds = $3, attempts = t.attempts + 1,
                started_at_seconds = $1, updated_at_seconds = $1, version = t.version + 1,
                started_at = $4, updated_at = $4, lease_expires_at = $5
            WHERE t.id = ANY (ARRAY(SELECT id FROM next))
            RETURNING \(TaskRow.columns(qualifiedBy: "t"))
            """
        }

        /// Compare-and-set writes of many tasks: `$1` the notification channel, then one array per
        /// column (id, expected version, ``TaskRow/mutableColumns``) read with `unnest`. A task put to
        /// pending sends `NOTIFY`. The rows are locked first, in id order (see ``lockedInIDOrder(_:ids:)``).
        private static func combinedUpdateSQL(_ tasks: String) -> String {
            let types = ["uuid", "bigint"] + TaskRow.mutableColumnTypes
            let arrays = types.enumerated().map { "$\($0 + 2)::\($1)[]" }.joined(separator: ", ")
            let names = (["id", "expected"] + TaskRow.mutableColumns).joined(separator: ", ")
            let assignments = TaskRow.mutableColumns.map { "\($0) = v.\($0)" }.joined(separator: ", ")
            return """
                WITH v AS (SELECT * FROM unnest(\(arrays)) AS v (\(names))),
                locked AS (\(lockedInIDOrder(tasks, ids: "$2::uuid[]"))),
                updated AS (
                    UPDATE \(tasks) AS t SET \(assignments), version = t.version + 1
                    FROM v WHERE t.id = v.id AND t.version = v.expected AND t.id = ANY (ARRAY(SELECT id FROM locked))
                    RETURNING \(TaskRow.columns(qualifiedBy: "t"))
                )
                SELECT \(TaskRow.columns(qualifiedBy: "updated")),
                    CASE WHEN updated.status = 'pending' THEN pg_notify($1, '') END
                FROM updated
                """
        }

        /// Locks the rows of `tasks` whose ids are in the array `ids`, in id order, and selects their
        /// ids. A statement that writes several tasks reads this first (`t.id = ANY (ARRAY(SELECT id
        /// FROM locked))` makes it run before any row is written): two such statements sharing tasks
        /// then lock them in the same order and one waits for the other, where locking each in its
        /// own order of writes could deadlock (the server then fails one after a second's wait).
        static func lockedInIDOrder(_ tasks: String, ids: String) -> String {
            "SELECT id FROM \(tasks) WHERE id = ANY (\(ids)) ORDER BY id FOR UPDATE"
        }

        /// An insert that does nothing when the id exists, with `NOTIFY`. Binds ``TaskRow/insertColumns``,
        /// then the channel.
        private static func insertSQL(_ tasks: String) -> String {
            let count = TaskRow.insertValueCount
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

        /// The insert of many new tasks at version 1, with one array per column read with `unnest`
        /// (binds: see ``BatchInsertStatement``): however many rows it carries, the statement has the
        /// same 34 bound values, and is prepared once per connection. The caller checked that no id is
        /// taken, inside the same transaction.
        private static func batchInsertSQL(_ tasks: String) -> String {
            let names = TaskRow.fixedColumns + ["created_at"] + TaskRow.mutableColumns
            let types = ["uuid", "text", "text", "float8", "timestamptz"] + TaskRow.mutableColumnTypes
            let arrays = types.enumerated().map { "$\($0 + 1)::\($1)[]" }.joined(separator: ", ")
            let list = names.joined(separator: ", ")
            return """
                INSERT INTO \(tasks) (\(list), version)
                SELECT \(list), 1 FROM unnest(\(arrays)) AS v (\(list))
                RETURNING \(TaskRow.columns)
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
#endif  // Postgres

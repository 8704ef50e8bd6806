#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    /// A statement of ``StoreStatementTexts``, whose rows are tasks selected with ``TaskRow/columns``.
    protocol StoreStatement: PostgresPreparedStatement where Row == (record: TaskRecord, sequence: Int64) {
        /// This statement's text among the store's.
        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text
    }

    extension StoreStatement {
        static var name: String { StoreStatementTexts.running?.name ?? "taskworks_unbound" }

        static var sql: String {
            // Only PostgresTaskStore.runPrepared runs these, with the text bound; the fallback fails
            // loudly on the server rather than running something else.
            StoreStatementTexts.running?.sql
                ?? "SELECT 'a Taskworks statement ran without its store''s texts'::int"
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try TaskRow.record(from: row) }
    }

    /// Claims up to `limit` tasks for `owner`, of the given types when there are any (see
    /// ``PostgresTaskStore/claim(_:)``).
    struct ClaimStatement: StoreStatement {
        let request: TaskClaimRequest
        let types: [String]?

        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text {
            texts.claim(limit: request.limit, ofTypes: types != nil)
        }

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 7)
            binds.append(TaskRow.seconds(request.now))
            binds.append(request.owner)
            binds.append(TaskRow.seconds(request.leaseExpiry))
            binds.append(TaskRow.readableDate(request.now))
            binds.append(TaskRow.readableDate(request.leaseExpiry))
            if request.limit > StoreStatementTexts.largestWrittenLimit { binds.append(Int64(request.limit)) }
            if let types { binds.append(types) }
            return binds
        }
    }

    /// The compare-and-set writes of a batch, in one statement.
    struct CombinedUpdateStatement: StoreStatement {
        let writes: [CombinedWrites.Write]
        let channel: String

        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.combinedUpdate }

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 3 + TaskRow.mutableColumns.count)
            binds.append(channel)
            binds.append(NullableArray(elements: writes.map(\.task.id.uuid)))
            binds.append(
                NullableArray(elements: writes.map { Int64(truncatingIfNeeded: $0.expectedVersion) }))
            TaskRow.appendMutableColumns(of: writes.map(\.task), to: &binds)
            return binds
        }
    }

    /// One new task (see ``PostgresTaskStore/insert(_:)``).
    struct InsertStatement: StoreStatement {
        let task: TaskRecord
        let channel: String

        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.insert }

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: TaskRow.insertValueCount + 1)
            TaskRow.appendInsertValues(of: task, to: &binds)
            binds.append(channel)
            return binds
        }
    }

    /// Many new tasks, one array per column (see ``PostgresTaskStore/insert(contentsOf:)``).
    struct BatchInsertStatement: StoreStatement {
        let tasks: [TaskRecord]

        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.batchInsert }

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 5 + TaskRow.mutableColumns.count)
            binds.append(NullableArray(elements: tasks.map(\.id.uuid)))
            binds.append(NullableArray(elements: tasks.map(\.type)))
            binds.append(NullableArray(elements: tasks.map(\.createdBy)))
            binds.append(NullableArray(elements: tasks.map { TaskRow.seconds($0.createdAt) }))
            binds.append(NullableArray(elements: tasks.map { TaskRow.readableDate($0.createdAt) }))
            TaskRow.appendMutableColumns(of: tasks, to: &binds)
            return binds
        }
    }

    /// One compare-and-set write (see ``PostgresTaskStore/updateOne(_:expectedVersion:)``).
    struct UpdateOneStatement: StoreStatement {
        let task: TaskRecord
        let expectedVersion: UInt64
        let channel: String

        func text(in texts: StoreStatementTexts) -> StoreStatementTexts.Text { texts.updateOne }

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 3 + TaskRow.mutableColumns.count)
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
        /// text whole instead. It runs on `connection` (inside a transaction the store opened, whose
        /// `COMMIT` confirms it) or, when that is `nil`, on a connection of the pool, answering only
        /// once its commit is confirmed (``confirmingCommit(_:)``): every statement here writes.
        func runPrepared<Statement: StoreStatement>(
            _ statement: Statement, on connection: PostgresConnection? = nil
        ) async throws -> [(record: TaskRecord, sequence: Int64)] {
            guard let connection else {
                return try await confirmingCommit { try await runPrepared(statement, on: $0) }
            }
            var rows: [(record: TaskRecord, sequence: Int64)] = []
            let text = statement.text(in: statementTexts)
            guard configuration.preparesStatements else {
                let query = PostgresQuery(unsafeSQL: text.sql, binds: try statement.makeBindings())
                for try await row in try await connection.query(query, logger: logger) {
                    rows.append(try TaskRow.record(from: row))
                }
                return rows
            }
            return try await StoreStatementTexts.$running.withValue(text) {
                for try await row in try await connection.execute(statement, logger: logger) {
                    rows.append(row)
                }
                return rows
            }
        }
    }
#endif  // Postgres

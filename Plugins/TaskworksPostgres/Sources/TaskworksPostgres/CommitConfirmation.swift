#if Postgres
    import Logging
    import PostgresNIO

    extension PostgresTaskStore {
        /// Runs `body` on one connection of the pool; the statement running it fails at once if the
        /// connection closes first (see ``StatementWatchdog/watchCurrentStatement(on:)``). Every
        /// statement of the store leases its connection here.
        func onConnection<Result: Sendable>(
            _ body: (PostgresConnection) async throws -> Result
        ) async throws -> Result {
            try await client.withConnection { connection in
                StatementWatchdog.watchCurrentStatement(on: connection)
                return try await body(connection)
            }
        }

        /// Runs `body` in a transaction on one connection (see ``onConnection(_:)``); its result is
        /// returned once `COMMIT` has answered.
        func inTransaction<Result: Sendable>(
            _ body: (PostgresConnection) async throws -> Result
        ) async throws -> Result {
            let logger = self.logger
            return try await onConnection { connection in
                try await connection.withTransaction(logger: logger) { try await body($0) }
            }
        }

        /// Runs `body` on one connection of the pool and returns its result only once the server has
        /// confirmed that what `body` wrote is committed.
        ///
        /// A statement sent outside a transaction commits when the server processes the `Sync` that
        /// ends it, after it has already sent the statement's rows and `CommandComplete`; the client
        /// hands those over before the `ReadyForQuery` that follows the commit. A backend terminated
        /// in between (a restart, `pg_terminate_backend`) rolls the write back although its caller
        /// already has the answer. The connection runs its next statement only after that
        /// `ReadyForQuery`, so a `SELECT 1` answered on it proves the commit; one that fails leaves
        /// the write's fate unknown, and the error (a connection failure) makes ``withRetries(_:_:)``
        /// try again, where each write recognises its own committed earlier try.
        func confirmingCommit<Result: Sendable>(
            _ body: (PostgresConnection) async throws -> Result
        ) async throws -> Result {
            let logger = self.logger
            return try await onConnection { connection in
                let result = try await body(connection)
                _ = try await connection.query("SELECT 1", logger: logger).collect()
                return result
            }
        }

        /// How many rows the write `query` returned, once its commit is confirmed.
        func committedRowCount(of query: PostgresQuery) async throws -> Int {
            let logger = self.logger
            return try await confirmingCommit { connection in
                var rows = 0
                for try await _ in try await connection.query(query, logger: logger) { rows += 1 }
                return rows
            }
        }
    }
#endif  // Postgres

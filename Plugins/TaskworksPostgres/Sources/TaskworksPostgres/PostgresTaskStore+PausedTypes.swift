#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Pauses (a row in `paused_task_types`, which the claim skips) or resumes (the row deleted,
        /// with a `NOTIFY` so idle pools on every host claim at once) a task type. A retry after a
        /// lost answer may report `false` for a change its first attempt made; the state is right.
        public func setTaskType(_ type: String, paused: Bool) async throws -> Bool {
            var binds = PostgresBindings(capacity: 2)
            binds.append(type)
            let statement: PostgresQuery
            if paused {
                statement = PostgresQuery(
                    unsafeSQL:
                        "INSERT INTO \(pausedTypesTable) (type) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
                    binds: binds)
            } else {
                binds.append(notificationChannel)
                statement = PostgresQuery(
                    unsafeSQL: """
                        WITH removed AS (DELETE FROM \(pausedTypesTable) WHERE type = $1 RETURNING 1)
                        SELECT 1, pg_notify($2, '') FROM removed
                        """, binds: binds)
            }
            return try await withRetries("\(paused ? "pausing" : "resuming") task type \(type.prefix(100))") {
                [self] _ in
                try await committedRowCount(of: statement) > 0
            }
        }

        /// The paused task types.
        public func pausedTaskTypes() async throws -> Set<String> {
            let statement = PostgresQuery(unsafeSQL: "SELECT type FROM \(pausedTypesTable)")
            return try await withRetries("reading paused task types") { [self] _ in
                var types: Set<String> = []
                for row in try await rows(of: statement) {
                    types.insert(try row.decode(String.self))
                }
                return types
            }
        }
    }
#endif  // Postgres

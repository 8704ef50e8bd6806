#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Records `tick` as schedule `name`'s last in one upsert that moves it only forward. Each
        /// call writes a fresh claim token beside the tick, so a retry after a broken connection
        /// recognises its own committed write instead of reporting the tick as someone else's.
        public func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool {
            let token = UUID()
            var binds = PostgresBindings(capacity: 3)
            binds.append(name)
            binds.append(TaskRow.seconds(tick))
            binds.append(token)
            let statement = PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(scheduleTicksTable) AS ticks (name, last_tick, claim_token) VALUES ($1, $2, $3)
                    ON CONFLICT (name) DO UPDATE SET last_tick = EXCLUDED.last_tick, claim_token = EXCLUDED.claim_token
                    WHERE ticks.last_tick < EXCLUDED.last_tick
                    RETURNING 1
                    """, binds: binds)
            var check = PostgresBindings(capacity: 2)
            check.append(name)
            check.append(token)
            let ownWrite = PostgresQuery(
                unsafeSQL: "SELECT 1 FROM \(scheduleTicksTable) WHERE name = $1 AND claim_token = $2",
                binds: check)
            return try await withRetries("recording schedule \(name.prefix(100))'s tick") { [self] attempt in
                if try await committedRowCount(of: statement) > 0 { return true }
                // Nothing moved. On a retry that may be because this very write committed before the
                // connection broke.
                guard attempt > 1 else { return false }
                return try await rowCount(of: ownWrite) > 0
            }
        }

        /// Schedule `name`'s last recorded tick.
        public func lastScheduleTick(_ name: String) async throws -> Date? {
            var binds = PostgresBindings(capacity: 1)
            binds.append(name)
            let statement = PostgresQuery(
                unsafeSQL: "SELECT last_tick FROM \(scheduleTicksTable) WHERE name = $1", binds: binds)
            return try await withRetries("reading schedule \(name.prefix(100))'s tick") { [self] _ in
                var tick: Date?
                for row in try await rows(of: statement) {
                    tick = Date(timeIntervalSinceReferenceDate: try row.decode(Double.self))
                }
                return tick
            }
        }

        /// How many rows `query` returns.
        private func rowCount(of query: PostgresQuery) async throws -> Int {
            try await rows(of: query).count
        }
    }
#endif  // Postgres

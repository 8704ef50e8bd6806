#if Postgres
    extension PostgresTaskStore {
        /// How many compare-and-set writes (outcomes, progress, lease renewals, cancels…) a store
        /// made since it opened, and in how many statements: writes that arrive while others are in
        /// flight share one statement and one commit.
        public struct WriteCounts: Sendable, Equatable {
            /// Task writes made.
            public var writes = 0
            /// Statements (each its own commit) that carried them.
            public var statements = 0
        }

        /// The writes this store made so far and the statements that carried them (see
        /// ``WriteCounts``); a host may export them as metrics.
        public var writeCounts: WriteCounts { combinedWrites.counts }
    }
#endif  // Postgres
